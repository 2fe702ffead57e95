/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2025 The Ringset authors
 *
 * This file is part of Ringset, a free software project; you can
 * redistribute it and/or modify it under the terms of the GNU General
 * Public License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 *
 * Ringset is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/* flat records (rs_rec.c): round trips, NULL and empty fields, limits, and
 * records that are truncated or lie about their lengths */

#include <stdlib.h>

#include "unit.h"
#include "rs_rec.h"

static rs_str_t S(const char *s)
{
	rs_str_t r;

	r.s = (char *)s;
	r.len = s ? (int)strlen(s) : 0;
	return r;
}

static void test_rec_roundtrip(void)
{
	rs_str_t f[5] = {S("BYE"), S(""), {NULL, 0}, S("200"), S("a;b=c'\\")};
	rs_rec_view_t v;
	char buf[256];
	long n;

	n = rs_rec_pack(buf, sizeof(buf), 1, 1733097600LL, f, 5);
	CU_ASSERT_EQUAL_FATAL(n, (long)rs_rec_size(f, 5));
	CU_ASSERT_EQUAL_FATAL(rs_rec_unpack(buf, (size_t)n, &v), RS_OK);
	CU_ASSERT_EQUAL(v.table, 1);
	CU_ASSERT_EQUAL(v.time, 1733097600LL);
	CU_ASSERT_EQUAL_FATAL(v.n, 5);
	CU_ASSERT(rs_str_eq(&v.f[0], &f[0]));
	/* an empty field stays empty, not NULL; a NULL one stays NULL */
	CU_ASSERT(v.f[1].s != NULL);
	CU_ASSERT_EQUAL(v.f[1].len, 0);
	CU_ASSERT(v.f[2].s == NULL);
	CU_ASSERT(rs_str_eq(&v.f[3], &f[3]));
	CU_ASSERT(rs_str_eq(&v.f[4], &f[4]));
}

static void test_rec_no_fields(void)
{
	rs_rec_view_t v;
	char buf[64];
	long n;

	n = rs_rec_pack(buf, sizeof(buf), 7, -1, NULL, 0);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(rs_rec_unpack(buf, (size_t)n, &v), RS_OK);
	CU_ASSERT_EQUAL(v.n, 0);
	CU_ASSERT_EQUAL(v.table, 7);
	CU_ASSERT_EQUAL(v.time, -1);
}

static void test_rec_limits(void)
{
	rs_str_t f[RS_REC_MAX_FIELDS + 1];
	char *big, buf[64];
	int i;

	for(i = 0; i <= RS_REC_MAX_FIELDS; i++)
		f[i] = S("x");
	CU_ASSERT_EQUAL(rs_rec_size(f, RS_REC_MAX_FIELDS + 1), 0);
	CU_ASSERT_EQUAL(
			rs_rec_pack(buf, sizeof(buf), 0, 0, f, RS_REC_MAX_FIELDS + 1),
			RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_rec_size(f, -1), 0);
	/* a buffer one byte short */
	CU_ASSERT_EQUAL(
			rs_rec_pack(buf, rs_rec_size(f, 2) - 1, 0, 0, f, 2), RS_E_LIMIT);
	big = malloc(RS_REC_FIELD_MAX + 1);
	CU_ASSERT_FATAL(big != NULL);
	memset(big, 'a', RS_REC_FIELD_MAX + 1);
	f[0].s = big;
	f[0].len = RS_REC_FIELD_MAX + 1;
	CU_ASSERT_EQUAL(rs_rec_size(f, 1), 0);
	f[0].len = -2;
	CU_ASSERT_EQUAL(rs_rec_size(f, 1), 0);
	free(big);
	CU_ASSERT_EQUAL(rs_rec_pack(NULL, 64, 0, 0, f, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_rec_pack(buf, sizeof(buf), 0, 0, NULL, 1), RS_E_INVAL);
}

static void test_rec_bad_input(void)
{
	rs_str_t f[2] = {S("abc"), S("defg")};
	rs_rec_view_t v;
	char buf[128], bad[128];
	int32_t l;
	long n, i;
	size_t lenoff;

	n = rs_rec_pack(buf, sizeof(buf), 1, 5, f, 2);
	CU_ASSERT_FATAL(n > 0);
	/* every truncation is refused, and so is a trailing byte */
	for(i = 0; i < n; i++)
		CU_ASSERT_EQUAL(rs_rec_unpack(buf, (size_t)i, &v), RS_E_INVAL);
	memcpy(bad, buf, n);
	bad[n] = 'z';
	CU_ASSERT_EQUAL(rs_rec_unpack(bad, (size_t)n + 1, &v), RS_E_INVAL);
	/* a wrong magic */
	memcpy(bad, buf, n);
	bad[0] ^= 0x55;
	CU_ASSERT_EQUAL(rs_rec_unpack(bad, (size_t)n, &v), RS_E_INVAL);
	/* a length that points past the end, a negative one, a huge one */
	lenoff = (size_t)n - 7 - 2 * sizeof(int32_t);
	memcpy(bad, buf, n);
	l = 100;
	memcpy(bad + lenoff, &l, sizeof(l));
	CU_ASSERT_EQUAL(rs_rec_unpack(bad, (size_t)n, &v), RS_E_INVAL);
	l = -5;
	memcpy(bad + lenoff, &l, sizeof(l));
	CU_ASSERT_EQUAL(rs_rec_unpack(bad, (size_t)n, &v), RS_E_INVAL);
	l = 0x7fffffff;
	memcpy(bad + lenoff, &l, sizeof(l));
	CU_ASSERT_EQUAL(rs_rec_unpack(bad, (size_t)n, &v), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_rec_unpack(NULL, (size_t)n, &v), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_rec_unpack(buf, (size_t)n, NULL), RS_E_INVAL);
	/* the original is still fine */
	CU_ASSERT_EQUAL(rs_rec_unpack(buf, (size_t)n, &v), RS_OK);
	CU_ASSERT(rs_str_eq(&v.f[1], &f[1]));
}

static const ut_test_t rec_tests[] = {
		{"pack and unpack: values, empty, NULL", test_rec_roundtrip},
		{"a record without fields", test_rec_no_fields},
		{"field count, field length and buffer limits", test_rec_limits},
		{"truncated, padded and lying records are refused", test_rec_bad_input},
		{NULL, NULL},
};

int ut_register_rec(void)
{
	return ut_add_suite("rec", rec_tests);
}
