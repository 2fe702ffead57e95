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

/* tests of rs_common.c */

#include "unit.h"

static void test_strerror(void)
{
	static const struct
	{
		rs_err_t e;
		const char *text;
	} tab[] = {
			{RS_OK, "success"},
			{RS_E_NOMEM, "out of memory"},
			{RS_E_INVAL, "invalid argument"},
			{RS_E_DUP, "duplicate entry"},
			{RS_E_NOTFOUND, "not found"},
			{RS_E_LIMIT, "limit exceeded"},
			{RS_E_BADROW, "invalid row"},
			{(rs_err_t)-99, "unknown error"},
			{(rs_err_t)1, "unknown error"},
	};
	size_t i;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		CU_ASSERT_STRING_EQUAL(rs_strerror(tab[i].e), tab[i].text);
}

static void test_alloc_libc(void)
{
	char *p;

	p = rs_alloc_libc.alloc(16, rs_alloc_libc.ctx);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	memset(p, 'x', 16);
	rs_alloc_libc.free(p, rs_alloc_libc.ctx);
	p = rs_alloc_libc.alloc(0, rs_alloc_libc.ctx);
	CU_ASSERT_PTR_NOT_NULL(p);
	rs_alloc_libc.free(p, rs_alloc_libc.ctx);
}

static void test_str_eq(void)
{
	rs_str_t a = UT_L("abc"), b = UT_L("abc"), c = UT_L("abd");
	rs_str_t d = UT_L("ab"), e1 = {NULL, 0}, e2 = UT_L("");
	rs_str_t nul = UT_L("a\0c"), nul2 = UT_L("a\0d");

	CU_ASSERT_TRUE(rs_str_eq(&a, &b));
	CU_ASSERT_FALSE(rs_str_eq(&a, &c));
	CU_ASSERT_FALSE(rs_str_eq(&a, &d));
	CU_ASSERT_FALSE(rs_str_eq(&d, &a));
	CU_ASSERT_TRUE(rs_str_eq(&e1, &e2));
	CU_ASSERT_FALSE(rs_str_eq(&nul, &nul2));
	CU_ASSERT_FALSE(rs_str_eq(&a, NULL));
	CU_ASSERT_TRUE(rs_str_eq(NULL, NULL));
	CU_ASSERT_TRUE(rs_str_eq_buf(&a, "abcdef", 3));
	CU_ASSERT_FALSE(rs_str_eq_buf(&a, "abcdef", 4));
	CU_ASSERT_FALSE(rs_str_eq_buf(&a, NULL, 3));
	CU_ASSERT_TRUE(rs_str_eq_buf(&e1, NULL, 0));
	CU_ASSERT_FALSE(rs_str_eq_buf(NULL, "a", 1));
}

static void test_hash64(void)
{
	/* published FNV-1a 64 test vectors */
	static const struct
	{
		const char *in;
		uint64_t h;
	} tab[] = {
			{"", 0xcbf29ce484222325ULL},
			{"a", 0xaf63dc4c8601ec8cULL},
			{"foobar", 0x85944171f73967e8ULL},
	};
	size_t i;
	uint64_t h;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		CU_ASSERT_EQUAL(rs_hash64(RS_HASH64_INIT, tab[i].in, strlen(tab[i].in)),
				tab[i].h);
	/* chaining equals hashing the concatenation */
	h = rs_hash64(RS_HASH64_INIT, "foo", 3);
	CU_ASSERT_EQUAL(rs_hash64(h, "bar", 3), 0x85944171f73967e8ULL);
	/* the mixer is a bijection, so distinct inputs stay distinct */
	CU_ASSERT_NOT_EQUAL(rs_hash_mix64(1), rs_hash_mix64(2));
	CU_ASSERT_EQUAL(rs_hash_mix64(0), 0);
}

static void test_list_has(void)
{
	rs_str_t list = UT_L("hotdesk.login, media.state\tx"), l1 = UT_L("a");
	rs_str_t login = UT_L("hotdesk.login"), state = UT_L("media.state");
	rs_str_t x = UT_L("x"), up = UT_L("HOTDESK.LOGIN"), pre = UT_L("hotdesk");
	rs_str_t longer = UT_L("hotdesk.login2"), empty = UT_L(""), sep = UT_L(",");
	rs_str_t nul = UT_L("hotdesk.login\0"), elist = UT_L(", ,");

	CU_ASSERT_TRUE(rs_list_has(&list, &login));
	CU_ASSERT_TRUE(rs_list_has(&list, &state));
	CU_ASSERT_TRUE(rs_list_has(&list, &x));
	CU_ASSERT_TRUE(rs_list_has(&l1, &l1));
	/* exact: no case folding, no prefixes, no separators, no NUL tricks */
	CU_ASSERT_FALSE(rs_list_has(&list, &up));
	CU_ASSERT_FALSE(rs_list_has(&list, &pre));
	CU_ASSERT_FALSE(rs_list_has(&list, &longer));
	CU_ASSERT_FALSE(rs_list_has(&list, &empty));
	CU_ASSERT_FALSE(rs_list_has(&list, &sep));
	CU_ASSERT_FALSE(rs_list_has(&list, &nul));
	CU_ASSERT_FALSE(rs_list_has(&elist, &empty));
	CU_ASSERT_FALSE(rs_list_has(&elist, &sep));
	CU_ASSERT_FALSE(rs_list_has(NULL, &login));
	CU_ASSERT_FALSE(rs_list_has(&list, NULL));
}

static void test_has_ctl(void)
{
	rs_str_t ok = UT_L("Alice \"Able\" <x>"), cr = UT_L("a\rb"),
			 lf = UT_L("a\n");
	rs_str_t nul = UT_L("a\0b"), del = UT_L("a\x7f"), tab = UT_L("\ta");
	rs_str_t utf8 = UT_L("J\xc3\xbcrgen"), e = {NULL, 0};

	CU_ASSERT_FALSE(rs_str_has_ctl(&ok));
	CU_ASSERT_FALSE(rs_str_has_ctl(&utf8));
	CU_ASSERT_FALSE(rs_str_has_ctl(&e));
	CU_ASSERT_FALSE(rs_str_has_ctl(NULL));
	CU_ASSERT_TRUE(rs_str_has_ctl(&cr));
	CU_ASSERT_TRUE(rs_str_has_ctl(&lf));
	CU_ASSERT_TRUE(rs_str_has_ctl(&nul));
	CU_ASSERT_TRUE(rs_str_has_ctl(&del));
	CU_ASSERT_TRUE(rs_str_has_ctl(&tab));
}

static void test_str_unset(void)
{
	rs_str_t dash = UT_L("-"), nul = UT_L("<null>"), e = UT_L("");
	rs_str_t word = UT_L("1300"), dd = UT_L("--"), nul2 = UT_L("<null");
	rs_str_t none = {NULL, 0};

	CU_ASSERT_TRUE(rs_str_unset(&dash));
	CU_ASSERT_TRUE(rs_str_unset(&nul));
	CU_ASSERT_FALSE(rs_str_unset(&e));
	CU_ASSERT_FALSE(rs_str_unset(&word));
	CU_ASSERT_FALSE(rs_str_unset(&dd));
	CU_ASSERT_FALSE(rs_str_unset(&nul2));
	CU_ASSERT_FALSE(rs_str_unset(&none));
	CU_ASSERT_FALSE(rs_str_unset(NULL));
}

/* fields at single spaces: the count and each field's bytes */
static void test_split_fields(void)
{
	static const struct
	{
		const char *in;
		int max, rc;
		const char *f[4];
	} tab[] = {
			{"", 4, 0, {NULL}},
			{"a", 4, 1, {"a"}},
			{"7000 dev0000 300 <null>", 4, 4,
					{"7000", "dev0000", "300", "<null>"}},
			{"a b c d e", 4, RS_E_BADROW, {NULL}},
			{"a  b", 4, RS_E_BADROW, {NULL}},
			{" a", 4, RS_E_BADROW, {NULL}},
			{"a ", 4, RS_E_BADROW, {NULL}},
			{" ", 4, RS_E_BADROW, {NULL}},
			{"a", 0, RS_E_BADROW, {NULL}},
	};
	rs_str_t f[4];
	size_t i;
	int k, rc;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		rc = rs_split_fields(tab[i].in, (int)strlen(tab[i].in), f, tab[i].max);
		CU_ASSERT_EQUAL(rc, tab[i].rc);
		for(k = 0; k < rc; k++)
			CU_ASSERT_TRUE(rs_str_eq_buf(
					&f[k], tab[i].f[k], (int)strlen(tab[i].f[k])));
	}
	CU_ASSERT_EQUAL(rs_split_fields(NULL, 0, f, 4), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_split_fields("a", 1, NULL, 4), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_split_fields("a", -1, f, 4), RS_E_INVAL);
}

/* a header name matches the set, or not */
static int ut_hf(const rs_hfset_t *set, const char *name)
{
	return rs_hfset_match(set, name, (int)strlen(name));
}

static void test_hfset(void)
{
	rs_str_t spec =
			UT_L("X-Ringset-*, P-Asserted-Identity,\tDiversion ,P-Charging-*");
	rs_str_t one = UT_L("Diversion");
	rs_hfset_t set, s1;
	int bad = -1;

	CU_ASSERT_EQUAL(rs_hfset_parse(&set, &spec, &bad), RS_OK);
	CU_ASSERT_EQUAL(set.n, 4);
	CU_ASSERT_TRUE(set.e[0].prefix);
	CU_ASSERT_FALSE(set.e[1].prefix);
	/* a prefix: every name that begins with it, in any case */
	CU_ASSERT_TRUE(ut_hf(&set, "X-Ringset-Ext"));
	CU_ASSERT_TRUE(ut_hf(&set, "x-ringset-confirm"));
	CU_ASSERT_TRUE(ut_hf(&set, "X-RINGSET-"));
	CU_ASSERT_TRUE(ut_hf(&set, "P-Charging-Vector"));
	CU_ASSERT_FALSE(ut_hf(&set, "X-Ringset"));
	CU_ASSERT_FALSE(ut_hf(&set, "X-Ringsetx"));
	CU_ASSERT_FALSE(ut_hf(&set, "Y-Ringset-Ext"));
	/* a name: only that name, in any case (trimmed of the spaces) */
	CU_ASSERT_TRUE(ut_hf(&set, "p-asserted-identity"));
	CU_ASSERT_TRUE(ut_hf(&set, "Diversion"));
	CU_ASSERT_FALSE(ut_hf(&set, "P-Asserted-Identity2"));
	CU_ASSERT_FALSE(ut_hf(&set, "P-Asserted"));
	CU_ASSERT_FALSE(ut_hf(&set, "Diversion "));
	CU_ASSERT_FALSE(ut_hf(&set, ""));
	CU_ASSERT_FALSE(rs_hfset_match(&set, NULL, 3));
	CU_ASSERT_FALSE(rs_hfset_match(NULL, "Diversion", 9));
	CU_ASSERT_EQUAL(rs_hfset_parse(&s1, &one, NULL), RS_OK);
	CU_ASSERT_TRUE(ut_hf(&s1, "DIVERSION"));
	CU_ASSERT_FALSE(ut_hf(&s1, "X-Ringset-Ext"));
}

static void test_hfset_bad(void)
{
	static const struct
	{
		const char *spec;
		rs_err_t rc;
		int bad;
	} tab[] = {
			{"", RS_E_INVAL, -1},
			{"*", RS_E_INVAL, 0},
			{"a,,b", RS_E_INVAL, 1},
			{"a, ", RS_E_INVAL, 1},
			{"X-*-a", RS_E_INVAL, 0},
			{"a,X Y", RS_E_INVAL, 1},
			{"a:b", RS_E_INVAL, 0},
			{"a\r\nb", RS_E_INVAL, 0},
			{"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", RS_E_LIMIT, 16},
	};
	rs_hfset_t set;
	rs_str_t s;
	size_t i;
	int bad;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		s.s = (char *)tab[i].spec;
		s.len = (int)strlen(tab[i].spec);
		bad = -1;
		CU_ASSERT_EQUAL(rs_hfset_parse(&set, &s, &bad), tab[i].rc);
		CU_ASSERT_EQUAL(bad, tab[i].bad);
	}
	CU_ASSERT_EQUAL(rs_hfset_parse(NULL, &s, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_hfset_parse(&set, NULL, NULL), RS_E_INVAL);
	/* sixteen entries are allowed */
	s.s = "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p";
	s.len = (int)strlen(s.s);
	CU_ASSERT_EQUAL(rs_hfset_parse(&set, &s, NULL), RS_OK);
	CU_ASSERT_EQUAL(set.n, 16);
}

int ut_register_common(void)
{
	static const ut_test_t tests[] = {
			{"strerror", test_strerror},
			{"alloc_libc", test_alloc_libc},
			{"str_eq", test_str_eq},
			{"hash64", test_hash64},
			{"list_has", test_list_has},
			{"has_ctl", test_has_ctl},
			{"str_unset", test_str_unset},
			{"split_fields", test_split_fields},
			{"hfset", test_hfset},
			{"hfset_bad", test_hfset_bad},
			{NULL, NULL},
	};

	return ut_add_suite("common", tests);
}
