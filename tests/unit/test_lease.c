/*
 * Ringset - unit tests of rs_lease.c (the node side of a database lease)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include "unit.h"
#include "rs_lease.h"

static void test_lease_init(void)
{
	rs_lease_t l;

	CU_ASSERT_EQUAL(rs_lease_init(NULL, 3000), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lease_init(&l, RS_LEASE_TTL_MIN - 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lease_init(&l, 3000), RS_OK);
	/* the first try is due at once, whatever the epoch */
	CU_ASSERT(rs_lease_due(&l, -5));
	CU_ASSERT(rs_lease_due(&l, 0));
	CU_ASSERT_FALSE(rs_lease_held(&l, 0, NULL));
}

/* take, renew, lose to another node: the changes and the schedule */
static void test_lease_take_renew_lose(void)
{
	static const struct
	{
		int64_t at;
		int outcome;
		rs_lease_change_t change;
		int held;
	} t[] = {
			{1000, 0, RS_LEASE_SAME, 0},  /* another node holds it */
			{2000, 1, RS_LEASE_TAKEN, 1}, /* it expired: taken */
			{3000, 1, RS_LEASE_SAME, 1},  /* renewed */
			{4000, -1, RS_LEASE_SAME, 1}, /* database away: kept for now */
			{5000, 0, RS_LEASE_LOST, 0},  /* someone else has it */
			{6000, -1, RS_LEASE_SAME, 0}, /* away while not held */
	};
	rs_lease_t l;
	rs_lease_change_t c;
	size_t i;

	CU_ASSERT_EQUAL(rs_lease_init(&l, 3000), RS_OK);
	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CU_ASSERT(rs_lease_due(&l, t[i].at));
		c = rs_lease_result(&l, t[i].outcome, t[i].at);
		CU_ASSERT_EQUAL(c, t[i].change);
		CU_ASSERT_EQUAL(rs_lease_held(&l, t[i].at, NULL), t[i].held);
		/* the next try: a third of the lifetime later */
		CU_ASSERT_FALSE(rs_lease_due(&l, t[i].at + 999));
		CU_ASSERT(rs_lease_due(&l, t[i].at + 1000));
	}
}

/* a holder that cannot renew lets go when its last renewal ends */
static void test_lease_runs_out(void)
{
	rs_lease_t l;
	rs_lease_change_t c;

	CU_ASSERT_EQUAL(rs_lease_init(&l, 3000), RS_OK);
	CU_ASSERT_EQUAL(rs_lease_result(&l, 1, 10000), RS_LEASE_TAKEN);
	CU_ASSERT_EQUAL(rs_lease_result(&l, -1, 11000), RS_LEASE_SAME);
	CU_ASSERT_EQUAL(rs_lease_result(&l, -1, 12000), RS_LEASE_SAME);
	CU_ASSERT(rs_lease_held(&l, 12999, &c));
	CU_ASSERT_EQUAL(c, RS_LEASE_SAME);
	/* 13000: ttl after the last renewal */
	CU_ASSERT_FALSE(rs_lease_held(&l, 13000, &c));
	CU_ASSERT_EQUAL(c, RS_LEASE_LOST);
	CU_ASSERT_FALSE(rs_lease_held(&l, 13001, &c));
	CU_ASSERT_EQUAL(c, RS_LEASE_SAME);
	/* a failed try after the end changes nothing more */
	CU_ASSERT_EQUAL(rs_lease_result(&l, -1, 13500), RS_LEASE_SAME);
	/* nor does a NULL lease crash */
	CU_ASSERT_EQUAL(rs_lease_result(NULL, 1, 0), RS_LEASE_SAME);
	CU_ASSERT_FALSE(rs_lease_held(NULL, 0, &c));
	CU_ASSERT_FALSE(rs_lease_due(NULL, 0));
}

static void test_lease_holder_names(void)
{
	static const struct
	{
		const char *name;
		int ok;
	} t[] = {
			{"sip:127.0.0.1:5065", 1},
			{"node-2_a@pbx.local", 1},
			{"x", 1},
			{"", 0},
			{"a'b", 0},
			{"a b", 0},
			{"a\\b", 0},
			{"a;DROP", 0},
			{"a\nb", 0},
	};
	char longname[RS_LEASE_HOLDER_MAX + 2];
	size_t i;

	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CU_ASSERT_EQUAL(
				rs_lease_holder_ok(t[i].name, (int)strlen(t[i].name)), t[i].ok);
	memset(longname, 'n', sizeof(longname));
	CU_ASSERT(rs_lease_holder_ok(longname, RS_LEASE_HOLDER_MAX));
	CU_ASSERT_FALSE(rs_lease_holder_ok(longname, RS_LEASE_HOLDER_MAX + 1));
	CU_ASSERT_FALSE(rs_lease_holder_ok(NULL, 3));
}

static const ut_test_t ut_lease_tests[] = {
		{"init", test_lease_init},
		{"take, renew, lose", test_lease_take_renew_lose},
		{"a holder that cannot renew runs out", test_lease_runs_out},
		{"holder names", test_lease_holder_names},
		{NULL, NULL},
};

int ut_register_lease(void)
{
	return ut_add_suite("lease", ut_lease_tests);
}
