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

/* tests of rs_sql.c: the multi-row INSERT of the CDR writer */

#include "unit.h"

#include "rs_sql.h"

static const rs_str_t ut_cols[3] = {
		UT_L("method"), UT_L("callid"), UT_L("src_user")};

static void test_sql_rows(void)
{
	char buf[512];
	rs_sqlbuf_t b;
	rs_str_t t = UT_L("acc");
	rs_str_t r1[3] = {UT_L("BYE"), UT_L("a1@h"), UT_L("200")};
	rs_str_t r2[3] = {UT_L("INVITE"), UT_L(""), {NULL, 0}};

	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, sizeof(buf), &t, ut_cols, 3), RS_OK);
	CU_ASSERT_STRING_EQUAL(
			buf, "INSERT INTO `acc` (`method`,`callid`,`src_user`) VALUES ");
	CU_ASSERT_EQUAL(rs_sql_row(&b, r1, 3), RS_OK);
	CU_ASSERT_EQUAL(rs_sql_row(&b, r2, 3), RS_OK);
	CU_ASSERT_EQUAL(b.rows, 2);
	CU_ASSERT_STRING_EQUAL(buf,
			"INSERT INTO `acc` (`method`,`callid`,`src_user`) VALUES "
			"('BYE','a1@h','200'),('INVITE','',NULL)");
	CU_ASSERT_EQUAL(b.len, strlen(buf));
}

/* anything a caller can put into a Call-ID, a tag or a reason phrase
 * goes as a hexadecimal literal: no quote, backslash or control
 * character ever reaches the statement as it is */
static void test_sql_quoting(void)
{
	char buf[512];
	rs_sqlbuf_t b;
	rs_str_t t = UT_L("acc");
	rs_str_t r[3] = {UT_L("a'b"), UT_L("x\\'); DROP TABLE acc; --"),
			UT_L("n\0l\r\n")};

	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, sizeof(buf), &t, ut_cols, 3), RS_OK);
	CU_ASSERT_EQUAL(rs_sql_row(&b, r, 3), RS_OK);
	CU_ASSERT_STRING_EQUAL(strstr(buf, "VALUES ") + 7,
			"(0x612762,"
			"0x785c27293b2044524f50205441424c45206163633b202d2d,"
			"0x6e006c0d0a)");
	CU_ASSERT_PTR_NULL(strchr(strstr(buf, "VALUES "), '\''));
	CU_ASSERT_PTR_NULL(strchr(buf, '\\'));
	r[0] = ut_s("J\xc3\xbcrgen \"x\"");
	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, sizeof(buf), &t, ut_cols, 1), RS_OK);
	CU_ASSERT_EQUAL(rs_sql_row(&b, r, 1), RS_OK);
	CU_ASSERT_STRING_EQUAL(strstr(buf, "VALUES ") + 7,
			"(0x4ac3bc7267656e20227822)");
}

/* a row that does not fit leaves the statement as it was */
static void test_sql_limits(void)
{
	char buf[96];
	rs_sqlbuf_t b;
	rs_str_t t = UT_L("acc"), bad = UT_L("acc; x"), e = UT_L("");
	rs_str_t badcol[1] = {UT_L("a`b")};
	rs_str_t r[3] = {UT_L("BYE"), UT_L("c"), UT_L("1")};
	rs_str_t big[3] = {UT_L("BYE"), UT_L("0123456789012345678901234567890123"),
			UT_L("1")};
	size_t len;

	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, sizeof(buf), &bad, ut_cols, 3),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, sizeof(buf), &e, ut_cols, 3),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, sizeof(buf), &t, badcol, 1),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, sizeof(buf), &t, ut_cols, 0),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, 20, &t, ut_cols, 3), RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_sql_begin(&b, buf, sizeof(buf), &t, ut_cols, 3), RS_OK);
	CU_ASSERT_EQUAL(rs_sql_row(&b, r, 3), RS_OK);
	len = b.len;
	CU_ASSERT_EQUAL(rs_sql_row(&b, big, 3), RS_E_LIMIT);
	CU_ASSERT_EQUAL(b.len, len);
	CU_ASSERT_EQUAL(strlen(buf), len);
	CU_ASSERT_EQUAL(b.rows, 1);
	CU_ASSERT_EQUAL(rs_sql_row(&b, NULL, 3), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_sql_row(NULL, r, 3), RS_E_INVAL);
	r[1].len = -1;
	CU_ASSERT_EQUAL(rs_sql_row(&b, r, 3), RS_E_INVAL);
}

int ut_register_sql(void)
{
	static const ut_test_t tests[] = {
			{"rows", test_sql_rows},
			{"quoting", test_sql_quoting},
			{"limits", test_sql_limits},
			{NULL, NULL},
	};

	return ut_add_suite("sql", tests);
}
