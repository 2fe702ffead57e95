/*
 * Ringset - column descriptors (rs_cols.h)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rs_cols.h"
#include "rs_userdir.h"

void rs_cols_why(char *why, size_t wn, const char *fmt, ...)
{
	va_list ap;

	if(why == NULL || wn == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, wn, fmt, ap);
	va_end(ap);
}

static int rs_col_is_str(const rs_coldesc_t *c)
{
	return c->type != RS_COL_INT;
}

void rs_cols_defaults(const rs_coldesc_t *d, int n, void *row)
{
	int i;

	for(i = 0; i < n; i++) {
		if(rs_col_is_str(&d[i])) {
			RS_COL_STR(row, d[i].row_off)->s = "";
			RS_COL_STR(row, d[i].row_off)->len = 0;
		} else {
			*RS_COL_INTP(row, d[i].row_off) = d[i].dflt;
		}
	}
}

int rs_cols_find(const rs_coldesc_t *d, int n, const char *name, int len)
{
	int i;

	if(d == NULL || name == NULL || len < 0)
		return -1;
	for(i = 0; i < n; i++)
		if((int)strlen(d[i].name) == len && memcmp(d[i].name, name, len) == 0)
			return i;
	return -1;
}

rs_err_t rs_col_put_int(const rs_coldesc_t *c, void *row, long long v,
		int is_null, char *why, size_t wn)
{
	if(c == NULL || row == NULL)
		return RS_E_INVAL;
	if(rs_col_is_str(c)) {
		rs_cols_why(why, wn, "%s must be text, not a number", c->name);
		return RS_E_BADROW;
	}
	if(is_null) {
		*RS_COL_INTP(row, c->row_off) = c->dflt;
		return RS_OK;
	}
	if(v < INT_MIN || v > INT_MAX) {
		rs_cols_why(why, wn, "%s is out of range (%lld)", c->name, v);
		return RS_E_BADROW;
	}
	*RS_COL_INTP(row, c->row_off) = (int)v;
	return RS_OK;
}

rs_err_t rs_col_put_str(const rs_coldesc_t *c, void *row, const char *s,
		int len, char *why, size_t wn)
{
	long long v = 0;
	int i = 0, neg = 0;

	if(c == NULL || row == NULL || len < 0)
		return RS_E_INVAL;
	if(rs_col_is_str(c)) {
		RS_COL_STR(row, c->row_off)->s = s ? (char *)s : "";
		RS_COL_STR(row, c->row_off)->len = s ? len : 0;
		return RS_OK;
	}
	if(s == NULL || len == 0)
		return rs_col_put_int(c, row, 0, 1, why, wn);
	if(s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	if(i == len) {
		rs_cols_why(why, wn, "%s is not a number", c->name);
		return RS_E_BADROW;
	}
	for(; i < len; i++) {
		if(s[i] < '0' || s[i] > '9') {
			rs_cols_why(why, wn, "%s is not a number", c->name);
			return RS_E_BADROW;
		}
		v = v * 10 + (s[i] - '0');
		if(v > (long long)INT_MAX + 1) {
			rs_cols_why(why, wn, "%s is out of range", c->name);
			return RS_E_BADROW;
		}
	}
	return rs_col_put_int(c, row, neg ? -v : v, 0, why, wn);
}

/* what every string column must be: it ends up in SIP headers and
 * provisioning files, where CR or LF would add a header of the admin's (or
 * an attacker's) choice */
static int rs_col_check_text(
		const rs_coldesc_t *c, const rs_str_t *f, char *why, size_t wn)
{
	return rs_dir_check_field(f, c->name, why, wn);
}

int rs_col_check_str(
		const rs_coldesc_t *c, const rs_str_t *f, char *why, size_t wn)
{
	int i;

	if(c == NULL || f == NULL || c->type == RS_COL_INT) {
		rs_cols_why(why, wn, "not a string column");
		return -1;
	}
	if(rs_col_check_text(c, f, why, wn) < 0)
		return -1;
	switch(c->type) {
		case RS_COL_NAME:
			if(f->len == 0 && c->min == 0)
				return 0;
			if(f->len < c->min || f->len > c->max) {
				rs_cols_why(why, wn, "%s must be %d..%d chars", c->name,
						c->min > 0 ? c->min : 1, c->max);
				return -1;
			}
			for(i = 0; i < f->len; i++) {
				if(!rs_dir_ext_char((unsigned char)f->s[i])) {
					rs_cols_why(why, wn,
							"%s contains an invalid character"
							" (allowed: 0-9 A-Z a-z * # + . _ -)",
							c->name);
					return -1;
				}
			}
			return 0;
		case RS_COL_DISPLAY:
			if(f->len > 0
					&& (memchr(f->s, '"', (size_t)f->len) != NULL
							|| memchr(f->s, '\\', (size_t)f->len) != NULL)) {
				rs_cols_why(why, wn, "%s may not contain \" or \\", c->name);
				return -1;
			}
			return 0;
		default:
			return 0;
	}
}

static int rs_col_check_int(const rs_coldesc_t *c, int v, char *why, size_t wn)
{
	if(c->nullable && v == c->dflt)
		return 0;
	if(v >= c->min && v <= c->max)
		return 0;
	if(c->min == 0 && c->max == 1)
		rs_cols_why(why, wn, "%s must be 0%s1%s", c->name,
				c->nullable ? ", " : " or ", c->nullable ? " or NULL" : "");
	else if(c->max == INT_MAX)
		rs_cols_why(why, wn, "%s must be >= %d", c->name, c->min);
	else
		rs_cols_why(why, wn, "%s must be %d..%d", c->name, c->min, c->max);
	return -1;
}

int rs_cols_check(
		const rs_coldesc_t *d, int n, const void *row, char *why, size_t wn)
{
	int i;

	if(d == NULL || row == NULL) {
		rs_cols_why(why, wn, "no row");
		return -1;
	}
	for(i = 0; i < n; i++) {
		if(rs_col_is_str(&d[i])) {
			if(rs_col_check_str(&d[i], RS_COL_STR(row, d[i].row_off), why, wn)
					< 0)
				return -1;
		} else if(rs_col_check_int(
						  &d[i], *RS_COL_INTP(row, d[i].row_off), why, wn)
				  < 0) {
			return -1;
		}
	}
	return 0;
}
