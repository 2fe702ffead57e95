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

#include <string.h>

#include "rs_sql.h"

static int rs_sql_put(rs_sqlbuf_t *b, const char *p, size_t n)
{
	if(b->len + n + 1 > b->size)
		return -1;
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static int rs_sql_name_ok(const rs_str_t *n)
{
	int i;

	if(n == NULL || n->s == NULL || n->len <= 0)
		return 0;
	for(i = 0; i < n->len; i++) {
		char c = n->s[i];
		if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
				   || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* the n bytes at p between two q characters */
static int rs_sql_wrap(rs_sqlbuf_t *b, const char *q, const char *p, int n)
{
	return rs_sql_put(b, q, 1) < 0 || rs_sql_put(b, p, (size_t)n) < 0
						   || rs_sql_put(b, q, 1) < 0
				   ? -1
				   : 0;
}

static int rs_sql_name(rs_sqlbuf_t *b, const rs_str_t *n)
{
	return rs_sql_wrap(b, "`", n->s, n->len);
}

rs_err_t rs_sql_begin(rs_sqlbuf_t *b, char *buf, size_t size,
		const rs_str_t *table, const rs_str_t *cols, int ncols)
{
	int i;

	if(b == NULL || buf == NULL || size == 0 || cols == NULL || ncols <= 0
			|| !rs_sql_name_ok(table))
		return RS_E_INVAL;
	for(i = 0; i < ncols; i++)
		if(!rs_sql_name_ok(&cols[i]))
			return RS_E_INVAL;
	b->s = buf;
	b->size = size;
	b->len = 0;
	b->rows = 0;
	buf[0] = '\0';
	if(rs_sql_put(b, "INSERT INTO ", 12) < 0 || rs_sql_name(b, table) < 0
			|| rs_sql_put(b, " (", 2) < 0)
		return RS_E_LIMIT;
	for(i = 0; i < ncols; i++)
		if((i > 0 && rs_sql_put(b, ",", 1) < 0) || rs_sql_name(b, &cols[i]) < 0)
			return RS_E_LIMIT;
	if(rs_sql_put(b, ") VALUES ", 9) < 0)
		return RS_E_LIMIT;
	return RS_OK;
}

/* 1 if v can be written between single quotes as it is in any sql_mode */
static int rs_sql_plain(const rs_str_t *v)
{
	int i;

	for(i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->s[i];
		if(c < 0x20 || c == 0x7f || c == '\'' || c == '"' || c == '\\')
			return 0;
	}
	return 1;
}

static int rs_sql_value(rs_sqlbuf_t *b, const rs_str_t *v)
{
	static const char hex[] = "0123456789abcdef";
	char two[2];
	int i;

	if(v->s == NULL)
		return rs_sql_put(b, "NULL", 4);
	if(v->len == 0)
		return rs_sql_put(b, "''", 2);
	if(rs_sql_plain(v))
		return rs_sql_wrap(b, "'", v->s, v->len);
	if(rs_sql_put(b, "0x", 2) < 0)
		return -1;
	for(i = 0; i < v->len; i++) {
		two[0] = hex[((unsigned char)v->s[i]) >> 4];
		two[1] = hex[((unsigned char)v->s[i]) & 0xf];
		if(rs_sql_put(b, two, 2) < 0)
			return -1;
	}
	return 0;
}

rs_err_t rs_sql_row(rs_sqlbuf_t *b, const rs_str_t *vals, int n)
{
	size_t mark;
	int i;

	if(b == NULL || b->s == NULL || vals == NULL || n <= 0)
		return RS_E_INVAL;
	for(i = 0; i < n; i++)
		if(vals[i].len < 0)
			return RS_E_INVAL;
	mark = b->len;
	if((b->rows > 0 && rs_sql_put(b, ",", 1) < 0) || rs_sql_put(b, "(", 1) < 0)
		goto full;
	for(i = 0; i < n; i++)
		if((i > 0 && rs_sql_put(b, ",", 1) < 0) || rs_sql_value(b, &vals[i]) < 0)
			goto full;
	if(rs_sql_put(b, ")", 1) < 0)
		goto full;
	b->rows++;
	return RS_OK;
full:
	b->len = mark;
	b->s[mark] = '\0';
	return RS_E_LIMIT;
}
