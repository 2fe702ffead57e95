/*
 * Ringset - unit tests of rs_cols.c (column descriptors) and of the
 * rs_user descriptor that drives userdev's query, validation, xavp and RPC
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <limits.h>
#include <stdio.h>

#include "unit.h"
#include "rs_cols.h"
#include "rs_userdir.h"

/* a table of its own: a new column is its line below and its field */
typedef struct demo_row
{
	rs_str_t name, label;
	int ring, flag, opt;
} demo_row_t;

#define D(f) offsetof(demo_row_t, f), RS_COL_NONE
static const rs_coldesc_t demo_cols[] = {
		{"name", RS_COL_NAME, 1, 8, 0, 0, D(name), 0, 1},
		{"label", RS_COL_DISPLAY, 0, 0, 0, 0, D(label), 0, 1},
		{"ring", RS_COL_INT, 1, 600, 20, 0, D(ring), 0, 1},
		{"flag", RS_COL_INT, 0, 1, 0, 0, D(flag), 0, 1},
		{"opt", RS_COL_INT, 0, 1, RS_COL_UNSET, 1, D(opt), 0, 1},
};
#define NDEMO ((int)(sizeof(demo_cols) / sizeof(demo_cols[0])))

/* a row given as text, one value per column, NULL = SQL NULL */
static int demo_parse(const char *const *val, demo_row_t *r, char *why)
{
	int i;

	rs_cols_defaults(demo_cols, NDEMO, r);
	for(i = 0; i < NDEMO; i++)
		if(rs_col_put_str(&demo_cols[i], r, val[i],
				   val[i] ? (int)strlen(val[i]) : 0, why, 128)
				!= RS_OK)
			return -1;
	return rs_cols_check(demo_cols, NDEMO, r, why, 128);
}

static void test_cols_parse_rows(void)
{
	static const struct
	{
		const char *val[5];
		int ok;
		const char *why;
		int ring, opt;
	} t[] = {
			{{"200", "Al", "25", "1", "0"}, 1, NULL, 25, 0},
			/* NULL and empty give the defaults; opt's NULL is "unset" */
			{{"200", NULL, NULL, NULL, NULL}, 1, NULL, 20, RS_COL_UNSET},
			{{"200", "", "", "", ""}, 1, NULL, 20, RS_COL_UNSET},
			{{"200", "", "+7", "0", "1"}, 1, NULL, 7, 1},
			/* range errors name the column and the range */
			{{"200", "", "0", "0", "0"}, 0, "ring must be 1..600", 0, 0},
			{{"200", "", "601", "0", "0"}, 0, "ring must be 1..600", 0, 0},
			{{"200", "", "-3", "0", "0"}, 0, "ring must be 1..600", 0, 0},
			{{"200", "", "20", "2", "0"}, 0, "flag must be 0 or 1", 0, 0},
			{{"200", "", "20", "0", "-2"}, 0, "opt must be 0, 1 or NULL", 0, 0},
			/* not numbers */
			{{"200", "", "20s", "0", "0"}, 0, "ring is not a number", 0, 0},
			{{"200", "", "-", "0", "0"}, 0, "ring is not a number", 0, 0},
			{{"200", "", "99999999999", "0", "0"}, 0, "ring is out of range", 0,
					0},
			/* strings */
			{{NULL, "", "20", "0", "0"}, 0, "name must be 1..8 chars", 0, 0},
			{{"123456789", "", "20", "0", "0"}, 0, "name must be 1..8 chars", 0,
					0},
			{{"2 0", "", "20", "0", "0"}, 0,
					"name contains an invalid character (allowed: 0-9 A-Z a-z "
					"* # + . _ -)",
					0, 0},
			{{"200", "A\"B", "20", "0", "0"}, 0,
					"label may not contain \" or \\", 0, 0},
			{{"200", "A\r\nB", "20", "0", "0"}, 0,
					"label contains a control character (CR, LF, TAB, ...)", 0,
					0},
	};
	demo_row_t r;
	char why[128];
	size_t i;

	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		why[0] = '\0';
		if(t[i].ok) {
			CU_ASSERT_EQUAL(demo_parse(t[i].val, &r, why), 0);
			CU_ASSERT_EQUAL(r.ring, t[i].ring);
			CU_ASSERT_EQUAL(r.opt, t[i].opt);
		} else {
			CU_ASSERT_EQUAL(demo_parse(t[i].val, &r, why), -1);
			if(strcmp(why, t[i].why) != 0)
				printf("\n  row %zu: \"%s\", want \"%s\"\n", i, why, t[i].why);
			CU_ASSERT_STRING_EQUAL(why, t[i].why);
		}
	}
}

static void test_cols_put_int_find(void)
{
	demo_row_t r;
	char why[128];

	rs_cols_defaults(demo_cols, NDEMO, &r);
	CU_ASSERT_EQUAL(r.ring, 20);
	CU_ASSERT_EQUAL(r.name.len, 0);
	CU_ASSERT_EQUAL(rs_col_put_int(&demo_cols[2], &r, 30, 0, why, 128), RS_OK);
	CU_ASSERT_EQUAL(r.ring, 30);
	CU_ASSERT_EQUAL(rs_col_put_int(&demo_cols[2], &r, 30, 1, why, 128), RS_OK);
	CU_ASSERT_EQUAL(r.ring, 20);
	CU_ASSERT_EQUAL(rs_col_put_int(&demo_cols[2], &r, (long long)INT_MAX + 1, 0,
							why, 128),
			RS_E_BADROW);
	CU_ASSERT_EQUAL(
			rs_col_put_int(&demo_cols[0], &r, 1, 0, why, 128), RS_E_BADROW);
	CU_ASSERT_STRING_EQUAL(why, "name must be text, not a number");
	CU_ASSERT_EQUAL(rs_col_put_str(NULL, &r, "1", 1, why, 128), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_cols_find(demo_cols, NDEMO, "opt", 3), 4);
	CU_ASSERT_EQUAL(rs_cols_find(demo_cols, NDEMO, "op", 2), -1);
	CU_ASSERT_EQUAL(rs_cols_find(demo_cols, NDEMO, NULL, 0), -1);
}

/* the rs_user descriptor: extension first, names unique, every offset
 * inside its struct */
static void test_cols_user_table(void)
{
	int i, j;

	CU_ASSERT_FATAL(rs_user_ncols > 0);
	CU_ASSERT_STRING_EQUAL(rs_user_cols[0].name, "extension");
	for(i = 0; i < rs_user_ncols; i++) {
		const rs_coldesc_t *c = &rs_user_cols[i];
		size_t w = c->type == RS_COL_INT ? sizeof(int) : sizeof(rs_str_t);

		CU_ASSERT_PTR_NOT_NULL_FATAL(c->name);
		CU_ASSERT(c->row_off + w <= sizeof(rs_user_row_t));
		CU_ASSERT(c->out_off == RS_COL_NONE
				  || c->out_off + w <= sizeof(rs_user_t));
		/* a PIN hash never reaches the script or an RPC */
		if(strcmp(c->name, "pin_hash") == 0)
			CU_ASSERT(c->xavp == 0 && c->rpc == 0);
		for(j = 0; j < i; j++)
			CU_ASSERT(strcmp(c->name, rs_user_cols[j].name) != 0);
	}
}

/*
 * Every column of rs_user from text into a row, through the builder and the
 * frozen directory, and back: a column added to rs_user_cols is covered
 * here without a change to this test (a value in range that is not its
 * default goes in and must come out).
 */
static void test_cols_user_roundtrip(void)
{
	char txt[64][16];
	rs_user_row_t r;
	rs_dir_builder_t *b;
	const rs_user_t *u;
	rs_dir_t *d = NULL;
	char why[160];
	int i, want[64];

	CU_ASSERT_FATAL(rs_user_ncols <= 64);
	rs_cols_defaults(rs_user_cols, rs_user_ncols, &r);
	for(i = 0; i < rs_user_ncols; i++) {
		const rs_coldesc_t *c = &rs_user_cols[i];

		if(c->type == RS_COL_INT) {
			want[i] = c->dflt == c->max ? c->min : c->max;
			if(c->max == INT_MAX)
				want[i] = 7;
			snprintf(txt[i], sizeof(txt[i]), "%d", want[i]);
		} else {
			snprintf(txt[i], sizeof(txt[i]), "v%d", i);
		}
		CU_ASSERT_EQUAL(rs_col_put_str(c, &r, txt[i], (int)strlen(txt[i]), why,
								sizeof(why)),
				RS_OK);
	}
	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &r), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, &d), RS_OK);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	u = rs_dir_user(d, "v0", 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	for(i = 0; i < rs_user_ncols; i++) {
		const rs_coldesc_t *c = &rs_user_cols[i];

		if(c->out_off == RS_COL_NONE)
			continue;
		if(c->type == RS_COL_INT) {
			CU_ASSERT_EQUAL(*RS_COL_INTP(u, c->out_off), want[i]);
		} else {
			const rs_str_t *s = RS_COL_STR(u, c->out_off);

			CU_ASSERT_EQUAL(s->len, (int)strlen(txt[i]));
			CU_ASSERT_NSTRING_EQUAL(s->s, txt[i], strlen(txt[i]));
		}
	}
	rs_dir_free(d, &rs_alloc_libc);
}

/* every table's descriptor: a string first (it names a refused row),
 * names unique, every offset inside the input row */
static void cols_table_ok(const rs_coldesc_t *d, int n, size_t rowsize)
{
	int i, j;

	CU_ASSERT_FATAL(n > 0 && n <= 32);
	CU_ASSERT(d[0].type != RS_COL_INT);
	for(i = 0; i < n; i++) {
		size_t w = d[i].type == RS_COL_INT ? sizeof(int) : sizeof(rs_str_t);

		CU_ASSERT_PTR_NOT_NULL_FATAL(d[i].name);
		CU_ASSERT(d[i].row_off + w <= rowsize);
		for(j = 0; j < i; j++)
			CU_ASSERT(strcmp(d[i].name, d[j].name) != 0);
	}
}

static void test_cols_other_tables(void)
{
	rs_permset_row_t p;
	char why[160];

	cols_table_ok(rs_user_cols, rs_user_ncols, sizeof(rs_user_row_t));
	cols_table_ok(rs_device_cols, rs_device_ncols, sizeof(rs_device_row_t));
	cols_table_ok(
			rs_followme_cols, rs_followme_ncols, sizeof(rs_followme_row_t));
	cols_table_ok(rs_feature_cols, rs_feature_ncols, sizeof(rs_feature_row_t));
	cols_table_ok(rs_permset_cols, rs_permset_ncols, sizeof(rs_permset_row_t));
	cols_table_ok(rs_group_cols, rs_group_ncols, sizeof(rs_group_row_t));
	cols_table_ok(rs_group_member_cols, rs_group_member_ncols,
			sizeof(rs_group_member_row_t));
	/* a permission set's NULLs are "unset", each in its rs_perm_t slot */
	rs_cols_defaults(rs_permset_cols, rs_permset_ncols, &p);
	CU_ASSERT_EQUAL(p.perm[RS_PERM_VOICEMAIL], RS_PERM_UNSET);
	CU_ASSERT_EQUAL(
			rs_col_put_str(&rs_permset_cols[4], &p, "1", 1, why, 160), RS_OK);
	CU_ASSERT_STRING_EQUAL(rs_permset_cols[4].name, "voicemail");
	CU_ASSERT_EQUAL(p.perm[RS_PERM_VOICEMAIL], 1);
	CU_ASSERT_EQUAL(p.perm[RS_PERM_CALL_EXTERNAL], RS_PERM_UNSET);
}

/* a value about to be written, checked as the loader will read it */
static void test_cols_check_value(void)
{
	int c = rs_cols_find(rs_user_cols, rs_user_ncols, "cfwd_target", 11);
	int r = rs_cols_find(rs_user_cols, rs_user_ncols, "ring_seconds", 12);
	rs_str_t ok = {"0301234567", 10}, bad = {"fw!d", 4}, empty = {"", 0};
	char why[160];

	CU_ASSERT_FATAL(c >= 0 && r >= 0);
	CU_ASSERT_EQUAL(rs_col_check_str(&rs_user_cols[c], &ok, why, 160), 0);
	CU_ASSERT_EQUAL(rs_col_check_str(&rs_user_cols[c], &empty, why, 160), 0);
	CU_ASSERT_EQUAL(rs_col_check_str(&rs_user_cols[c], &bad, why, 160), -1);
	CU_ASSERT_STRING_EQUAL(why,
			"cfwd_target contains an invalid character (allowed: 0-9 A-Z a-z "
			"* # + . _ -)");
	CU_ASSERT_EQUAL(rs_col_check_str(&rs_user_cols[r], &ok, why, 160), -1);
	CU_ASSERT_EQUAL(rs_col_check_str(NULL, &ok, why, 160), -1);
}

static const ut_test_t ut_cols_tests[] = {
		{"parse_rows", test_cols_parse_rows},
		{"put_int_find", test_cols_put_int_find},
		{"user_table", test_cols_user_table},
		{"user_roundtrip", test_cols_user_roundtrip},
		{"check_value", test_cols_check_value},
		{"other_tables", test_cols_other_tables},
		{NULL, NULL},
};

int ut_register_cols(void)
{
	return ut_add_suite("cols", ut_cols_tests);
}
