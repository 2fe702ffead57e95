/*
 * Ringset - unit tests of rs_reply.c (the replies Ringset decides on)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include "unit.h"
#include "rs_reply.h"

/* every entry is filled, its name unique and found, its code an error,
 * its phrase and log text printable on one line */
static void test_reply_table(void)
{
	const rs_reply_info_t *r;
	rs_str_t t;
	int i, j;

	for(i = 0; i < RS_R_COUNT; i++) {
		r = rs_reply_info((rs_reply_t)i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r->name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r->reason);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r->what);
		CU_ASSERT(r->code >= 400 && r->code <= 699);
		CU_ASSERT(strlen(r->reason) > 0 && strlen(r->what) > 0);
		t.s = (char *)r->reason;
		t.len = (int)strlen(r->reason);
		CU_ASSERT_FALSE(rs_str_has_ctl(&t));
		t.s = (char *)r->what;
		t.len = (int)strlen(r->what);
		CU_ASSERT_FALSE(rs_str_has_ctl(&t));
		CU_ASSERT_EQUAL(rs_reply_find(r->name, (int)strlen(r->name)), i);
		for(j = 0; j < i; j++)
			CU_ASSERT(strcmp(r->name, rs_reply_info((rs_reply_t)j)->name) != 0);
	}
}

static void test_reply_lookup(void)
{
	const rs_reply_info_t *r;

	CU_ASSERT_EQUAL(rs_reply_find("NOT_OUR_DOMAIN", 14), RS_R_NOT_OUR_DOMAIN);
	r = rs_reply_info(RS_R_NOT_OUR_DOMAIN);
	CU_ASSERT_EQUAL(r->code, 403);
	CU_ASSERT_STRING_EQUAL(r->reason, "Not our domain");
	r = rs_reply_info(RS_R_NO_EXTERNAL);
	CU_ASSERT_EQUAL(r->code, 403);
	CU_ASSERT_STRING_EQUAL(r->reason, "Forbidden: external calls not allowed");
	/* exact names only */
	CU_ASSERT_EQUAL(rs_reply_find("not_our_domain", 14), -1);
	CU_ASSERT_EQUAL(rs_reply_find("NOT_OUR_DOMAI", 13), -1);
	CU_ASSERT_EQUAL(rs_reply_find("NOT_OUR_DOMAINX", 15), -1);
	CU_ASSERT_EQUAL(rs_reply_find("", 0), -1);
	CU_ASSERT_EQUAL(rs_reply_find(NULL, 3), -1);
	CU_ASSERT_PTR_NULL(rs_reply_info(RS_R_COUNT));
	CU_ASSERT_PTR_NULL(rs_reply_info((rs_reply_t)-1));
}

static const ut_test_t ut_reply_tests[] = {
		{"table", test_reply_table},
		{"lookup", test_reply_lookup},
		{NULL, NULL},
};

int ut_register_reply(void)
{
	return ut_add_suite("reply", ut_reply_tests);
}
