/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2026 The Ringset authors
 *
 * This file is part of Ringset, a free software project; you can
 * redistribute it and/or modify it under the terms of the GNU General
 * Public License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* tests of rs_snap.c: the directory's on-disk rows */

#include <stdio.h>

#include "unit.h"
#include "rs_snap.h"

static void test_put_str(void)
{
	static const struct
	{
		const char *in;
		int len;
		const char *out;
		int outlen;
	} tab[] = {
			{"", 0, "s", 1}, {"Alice Able", 10, "sAlice Able", 11},
			{"a\tb\nc\rd\\e", 9, "sa\\tb\\nc\\rd\\\\e", 14},
			{"nul\0x", 5, "snul\0x", 6}, /* a NUL byte is kept as is */
	};
	char buf[64];
	size_t i;
	int n;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		n = rs_snap_put_str(tab[i].in, tab[i].len, buf, sizeof(buf));
		CU_ASSERT_EQUAL(n, tab[i].outlen);
		CU_ASSERT_EQUAL(memcmp(buf, tab[i].out, n), 0);
	}
	/* too small: the length it needs, a NUL-terminated prefix */
	n = rs_snap_put_str("abc\tdef", 7, buf, 4);
	CU_ASSERT_EQUAL(n, 9);
	CU_ASSERT_STRING_EQUAL(buf, "sab");
	CU_ASSERT_EQUAL(rs_snap_put_str("x", 1, NULL, 0), 2);
}

static void test_round_trip(void)
{
	const char *text = "a\\b\tc\nd\re";
	char line[128], s[64];
	rs_snap_field_t f[4];
	int n;

	rs_snap_put_str(text, (int)strlen(text), s, sizeof(s));
	n = snprintf(line, sizeof(line), "i0\t%s\tN\ti-42", s);
	CU_ASSERT_EQUAL(rs_snap_parse_line(line, n, f, 4), 4);
	CU_ASSERT_EQUAL(f[0].type, RS_SNAP_INT);
	CU_ASSERT_EQUAL(f[0].num, 0);
	CU_ASSERT_EQUAL(f[1].type, RS_SNAP_STR);
	CU_ASSERT_EQUAL(f[1].str.len, (int)strlen(text));
	CU_ASSERT_EQUAL(memcmp(f[1].str.s, text, f[1].str.len), 0);
	CU_ASSERT_EQUAL(f[2].type, RS_SNAP_NULL);
	CU_ASSERT_EQUAL(f[3].type, RS_SNAP_INT);
	CU_ASSERT_EQUAL(f[3].num, -42);
	/* an empty string is a field */
	strcpy(line, "s\ts");
	CU_ASSERT_EQUAL(rs_snap_parse_line(line, 3, f, 4), 2);
	CU_ASSERT_EQUAL(f[0].str.len, 0);
	CU_ASSERT_EQUAL(f[1].str.len, 0);
}

static void test_bad_lines(void)
{
	static const char *const bad[] = {
			"",						 /* an empty field */
			"x1",					 /* unknown type */
			"NN",					 /* NULL with a value */
			"i",					 /* an integer without digits */
			"i12a",					 /* not a number */
			"i99999999999999999999", /* out of range */
			"sab\\",				 /* a cut escape */
			"sa\\qb",				 /* an unknown escape */
			"i1\t\ti2",				 /* an empty field inside */
			"i1\ti2\ti3\ti4\ti5",	 /* more fields than asked for */
	};
	rs_snap_field_t f[4];
	char line[64];
	size_t i;

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(line, bad[i]);
		CU_ASSERT_EQUAL(
				rs_snap_parse_line(line, (int)strlen(line), f, 4), RS_E_BADROW);
	}
	CU_ASSERT_EQUAL(rs_snap_parse_line(NULL, 0, f, 4), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_snap_parse_line(line, 0, NULL, 4), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_snap_parse_line(line, 0, f, 0), RS_E_INVAL);
}

static const ut_test_t snap_tests[] = {
		{"string fields are escaped, sizes as snprintf", test_put_str},
		{"a line parses back into its fields", test_round_trip},
		{"a bad field or too many fields is a bad row", test_bad_lines},
		{NULL, NULL}};

int ut_register_snap(void)
{
	return ut_add_suite("snap", snap_tests);
}
