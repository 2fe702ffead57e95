/*
 * Ringset - tests of rs_lockmsg.c
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "unit.h"
#include "rs_lockmsg.h"

static rs_str_t ks(const char *s)
{
	rs_str_t k = {(char *)s, (int)strlen(s)};
	return k;
}

/* format and parse are each other's inverse */
static void test_lockmsg_roundtrip(void)
{
	static const struct
	{
		rs_lockmsg_op_t op;
		const char *key;
		const char *want;
	} t[] = {
			{RS_LOCKMSG_FAIL, "ext:600", "fail ext:600"},
			{RS_LOCKMSG_CLEAR, "term:hotdesk-0004f2000101",
					"clear term:hotdesk-0004f2000101"},
			{RS_LOCKMSG_FAIL, "x", "fail x"},
	};
	char buf[RS_LOCKMSG_MAX + 1];
	rs_lockmsg_op_t op;
	rs_str_t k, got;
	size_t i;
	int n;

	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		k = ks(t[i].key);
		n = rs_lockmsg_format(buf, sizeof(buf), t[i].op, &k);
		CU_ASSERT_EQUAL(n, (int)strlen(t[i].want));
		CU_ASSERT_STRING_EQUAL(buf, t[i].want);
		CU_ASSERT_EQUAL(rs_lockmsg_parse(buf, n, &op, &got), RS_OK);
		CU_ASSERT_EQUAL(op, t[i].op);
		CU_ASSERT_EQUAL(got.len, k.len);
		CU_ASSERT(got.len == k.len && memcmp(got.s, k.s, k.len) == 0);
	}
	/* a trailing line end is allowed */
	CU_ASSERT_EQUAL(rs_lockmsg_parse("clear ext:7\r\n", 13, &op, &got), RS_OK);
	CU_ASSERT_EQUAL(got.len, 5);
	CU_ASSERT_EQUAL(rs_lockmsg_parse("fail ext:7\n", 11, &op, &got), RS_OK);
	CU_ASSERT_EQUAL(op, RS_LOCKMSG_FAIL);
}

/* what a node must refuse from the network */
static void test_lockmsg_bad_input(void)
{
	static const char *bad[] = {"", "fail", "fail ", "clear ", "FAIL ext:1",
			"drop ext:1", "fail ext 1", "fail ext:1\t", "fail \x01",
			"fail ext:\xc3\xa9", "failext:1", " fail ext:1",
			"fail ext:1\r\n\r\n"};
	char longk[RS_LOCKOUT_KEY_MAX + 2];
	char msg[RS_LOCKOUT_KEY_MAX + 16], buf[16];
	rs_lockmsg_op_t op;
	rs_str_t k;
	size_t i;

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(rs_lockmsg_parse(bad[i], (int)strlen(bad[i]), &op, &k),
				RS_E_INVAL);
	/* a key one byte too long, and the longest one */
	memset(longk, 'k', sizeof(longk));
	longk[RS_LOCKOUT_KEY_MAX + 1] = '\0';
	memcpy(msg, "fail ", 5);
	memcpy(msg + 5, longk, RS_LOCKOUT_KEY_MAX + 1);
	CU_ASSERT_EQUAL(rs_lockmsg_parse(msg, 5 + RS_LOCKOUT_KEY_MAX + 1, &op, &k),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_lockmsg_parse(msg, 5 + RS_LOCKOUT_KEY_MAX, &op, &k), RS_OK);
	/* a NUL inside counts as a bad character */
	CU_ASSERT_EQUAL(rs_lockmsg_parse("fail a\0b", 8, &op, &k), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockmsg_parse(NULL, 4, &op, &k), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockmsg_parse("fail x", 6, NULL, &k), RS_E_INVAL);
	/* format: bad op, bad key, short buffer */
	k = ks("ext:1");
	CU_ASSERT_EQUAL(rs_lockmsg_format(buf, sizeof(buf), 0, &k), RS_E_INVAL);
	k = ks("ext 1");
	CU_ASSERT_EQUAL(rs_lockmsg_format(buf, sizeof(buf), RS_LOCKMSG_FAIL, &k),
			RS_E_INVAL);
	k = ks("ext:1234567890");
	CU_ASSERT_EQUAL(rs_lockmsg_format(buf, sizeof(buf), RS_LOCKMSG_CLEAR, &k),
			RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_lockmsg_format(buf, 0, RS_LOCKMSG_FAIL, &k), RS_E_LIMIT);
	CU_ASSERT_EQUAL(
			rs_lockmsg_format(NULL, 10, RS_LOCKMSG_FAIL, &k), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockmsg_key_ok(NULL), 0);
}

/* the start-up sync: the request and the state lines */
static void test_lockmsg_state(void)
{
	static const char *bad[] = {"state", "state ", "state ext:1",
			"state ext:1 ", "state ext:1 x", "state ext:1 -1",
			"state ext:1 0 5 9", "state ext:1 0  5", "state ext:1 0 5 ",
			"state ext:1 1000000000", "state  ext:1 0", "sync",
			"state ext:1 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
			"state ext:\x01 0", "fail ext:1"};
	char buf[RS_LOCKMSG_STATE_MAX + 1];
	rs_lockout_entry_t e, got;
	size_t i;
	int n, k;

	CU_ASSERT(rs_lockmsg_is_sync("sync", 4));
	CU_ASSERT(rs_lockmsg_is_sync("sync\r\n", 6));
	CU_ASSERT_FALSE(rs_lockmsg_is_sync("sync ", 5));
	CU_ASSERT_FALSE(rs_lockmsg_is_sync("syn", 3));
	CU_ASSERT_FALSE(rs_lockmsg_is_sync(NULL, 4));
	memset(&e, 0, sizeof(e));
	memcpy(e.key, "ext:620", 7);
	e.keylen = 7;
	e.locked_for = 840;
	e.nfail = 3;
	e.age[0] = 100;
	e.age[1] = 70;
	e.age[2] = 70;
	n = rs_lockmsg_format_state(buf, sizeof(buf), &e);
	CU_ASSERT_STRING_EQUAL(buf, "state ext:620 840 100 70 70");
	CU_ASSERT_EQUAL(n, (int)strlen(buf));
	CU_ASSERT_EQUAL(rs_lockmsg_parse_state(buf, n, &got), RS_OK);
	CU_ASSERT_EQUAL(memcmp(&got, &e, sizeof(e)), 0);
	CU_ASSERT_EQUAL(rs_lockmsg_parse_state("state k 0\n", 10, &got), RS_OK);
	CU_ASSERT_EQUAL(got.nfail, 0);
	/* the longest line fits RS_LOCKMSG_STATE_MAX */
	memset(e.key, 'k', RS_LOCKOUT_KEY_MAX);
	e.keylen = RS_LOCKOUT_KEY_MAX;
	e.locked_for = 999999999;
	e.nfail = RS_LOCKOUT_FAILS_MAX;
	for(k = 0; k < RS_LOCKOUT_FAILS_MAX; k++)
		e.age[k] = 999999999;
	n = rs_lockmsg_format_state(buf, sizeof(buf), &e);
	CU_ASSERT(n > 0 && n <= RS_LOCKMSG_STATE_MAX);
	CU_ASSERT_EQUAL(rs_lockmsg_parse_state(buf, n, &got), RS_OK);
	CU_ASSERT_EQUAL(got.nfail, RS_LOCKOUT_FAILS_MAX);
	CU_ASSERT_EQUAL(rs_lockmsg_format_state(buf, 20, &e), RS_E_LIMIT);
	e.age[3] = -2;
	CU_ASSERT_EQUAL(rs_lockmsg_format_state(buf, sizeof(buf), &e), RS_E_INVAL);
	e.keylen = 0;
	CU_ASSERT_EQUAL(rs_lockmsg_format_state(buf, sizeof(buf), &e), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockmsg_format_state(NULL, 9, &e), RS_E_INVAL);
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(
				rs_lockmsg_parse_state(bad[i], (int)strlen(bad[i]), &got),
				RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockmsg_parse_state(NULL, 3, &got), RS_E_INVAL);
}

int ut_register_lockmsg(void)
{
	static const ut_test_t tests[] = {
			{"roundtrip", test_lockmsg_roundtrip},
			{"bad_input", test_lockmsg_bad_input},
			{"state", test_lockmsg_state},
			{NULL, NULL},
	};

	return ut_add_suite("lockmsg", tests);
}
