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

#include <stdlib.h>
#include <string.h>

#include "rs_common.h"

const char *rs_strerror(rs_err_t e)
{
	switch(e) {
		case RS_OK:
			return "success";
		case RS_E_NOMEM:
			return "out of memory";
		case RS_E_INVAL:
			return "invalid argument";
		case RS_E_DUP:
			return "duplicate entry";
		case RS_E_NOTFOUND:
			return "not found";
		case RS_E_LIMIT:
			return "limit exceeded";
		case RS_E_BADROW:
			return "invalid row";
	}
	return "unknown error";
}

static void *rs_libc_alloc(size_t size, void *ctx)
{
	(void)ctx;
	return malloc(size ? size : 1);
}

static void rs_libc_free(void *p, void *ctx)
{
	(void)ctx;
	free(p);
}

const rs_alloc_t rs_alloc_libc = {rs_libc_alloc, rs_libc_free, NULL};

int rs_str_eq(const rs_str_t *a, const rs_str_t *b)
{
	if(a == NULL || b == NULL)
		return a == b;
	return rs_str_eq_buf(a, b->s, b->len);
}

int rs_str_eq_buf(const rs_str_t *s, const char *p, int n)
{
	if(s == NULL || s->len != n || n < 0)
		return 0;
	if(n == 0)
		return 1;
	if(s->s == NULL || p == NULL)
		return 0;
	return memcmp(s->s, p, (size_t)n) == 0;
}

static int rs_list_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

int rs_list_has(const rs_str_t *list, const rs_str_t *item)
{
	int i = 0, j;

	if(list == NULL || item == NULL || item->len <= 0 || item->s == NULL
			|| list->s == NULL)
		return 0;
	while(i < list->len) {
		while(i < list->len && rs_list_sep(list->s[i]))
			i++;
		j = i;
		while(j < list->len && !rs_list_sep(list->s[j]))
			j++;
		if(j > i && rs_str_eq_buf(item, list->s + i, j - i))
			return 1;
		i = j;
	}
	return 0;
}

int rs_str_unset(const rs_str_t *f)
{
	if(f == NULL || f->s == NULL)
		return 0;
	return (f->len == 1 && f->s[0] == '-')
		   || (f->len == 6 && memcmp(f->s, "<null>", 6) == 0);
}

int rs_split_fields(const char *s, int len, rs_str_t *f, int max)
{
	int nf = 0, i = 0, start;

	if(s == NULL || f == NULL || len < 0 || max < 0)
		return RS_E_INVAL;
	while(i < len) {
		if(nf == max)
			return RS_E_BADROW;
		start = i;
		while(i < len && s[i] != ' ')
			i++;
		if(i == start)
			return RS_E_BADROW; /* a leading space, or two in a row */
		f[nf].s = (char *)s + start;
		f[nf].len = i - start;
		nf++;
		if(i < len && ++i == len)
			return RS_E_BADROW; /* a trailing space */
	}
	return nf;
}

int rs_str_has_ctl(const rs_str_t *s)
{
	int i;

	if(s == NULL || s->s == NULL)
		return 0;
	for(i = 0; i < s->len; i++) {
		if((unsigned char)s->s[i] < 0x20 || s->s[i] == 0x7f)
			return 1;
	}
	return 0;
}

uint64_t rs_hash64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for(i = 0; i < n; i++) {
		h ^= c[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t rs_hash_mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* RFC 3261 token characters, the ones a header name may hold */
static int rs_hf_tokenchar(char c)
{
	if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
			|| (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-.!%+_`'~", c) != NULL;
}

static char rs_ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

rs_err_t rs_hfset_parse(rs_hfset_t *set, const rs_str_t *spec, int *bad)
{
	int i = 0, j, k, end, n = 0;

	if(set == NULL || spec == NULL || spec->s == NULL || spec->len <= 0)
		return RS_E_INVAL;
	set->n = 0;
	while(i <= spec->len) {
		/* one entry: [i, j) before the next comma, trimmed */
		j = i;
		while(j < spec->len && spec->s[j] != ',')
			j++;
		end = j;
		while(i < end && (spec->s[i] == ' ' || spec->s[i] == '\t'))
			i++;
		while(end > i && (spec->s[end - 1] == ' ' || spec->s[end - 1] == '\t'))
			end--;
		if(bad)
			*bad = n;
		if(end == i)
			return RS_E_INVAL;
		if(n >= RS_HFSET_MAX)
			return RS_E_LIMIT;
		set->e[n].prefix = 0;
		if(spec->s[end - 1] == '*') {
			set->e[n].prefix = 1;
			end--;
			if(end == i)
				return RS_E_INVAL;
		}
		for(k = i; k < end; k++) {
			if(!rs_hf_tokenchar(spec->s[k]))
				return RS_E_INVAL;
		}
		set->e[n].name.s = spec->s + i;
		set->e[n].name.len = end - i;
		n++;
		i = j + 1;
	}
	set->n = n;
	return RS_OK;
}

int rs_hfset_match(const rs_hfset_t *set, const char *name, int len)
{
	int i, k, l;

	if(set == NULL || name == NULL || len <= 0)
		return 0;
	for(i = 0; i < set->n; i++) {
		l = set->e[i].name.len;
		if(len < l || (!set->e[i].prefix && len != l))
			continue;
		for(k = 0; k < l; k++) {
			if(rs_ascii_lower(name[k]) != rs_ascii_lower(set->e[i].name.s[k]))
				break;
		}
		if(k == l)
			return 1;
	}
	return 0;
}
