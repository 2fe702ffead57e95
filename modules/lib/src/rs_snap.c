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

/* the on-disk copy of the directory's rows: one field, one line */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rs_snap.h"

int rs_snap_put_str(const char *s, int len, char *out, int size)
{
	int n = 0, i;
	char e;

	if(size > 0)
		out[0] = '\0';
	if(n + 1 < size)
		out[n] = 's';
	n++;
	for(i = 0; s && i < len; i++) {
		switch(s[i]) {
			case '\\':
				e = '\\';
				break;
			case '\t':
				e = 't';
				break;
			case '\n':
				e = 'n';
				break;
			case '\r':
				e = 'r';
				break;
			default:
				e = 0;
				break;
		}
		if(e) {
			if(n + 2 < size) {
				out[n] = '\\';
				out[n + 1] = e;
			}
			n += 2;
		} else {
			if(n + 1 < size)
				out[n] = s[i];
			n++;
		}
	}
	if(size > 0)
		out[n < size ? n : size - 1] = '\0';
	return n;
}

/* unescapes p[0..len) in place; the new length, or -1 for a bad escape */
static int rs_snap_unescape(char *p, int len)
{
	int i, o = 0;

	for(i = 0; i < len; i++) {
		if(p[i] != '\\') {
			p[o++] = p[i];
			continue;
		}
		if(++i >= len)
			return -1;
		switch(p[i]) {
			case '\\':
				p[o++] = '\\';
				break;
			case 't':
				p[o++] = '\t';
				break;
			case 'n':
				p[o++] = '\n';
				break;
			case 'r':
				p[o++] = '\r';
				break;
			default:
				return -1;
		}
	}
	return o;
}

static int rs_snap_field(char *p, int len, rs_snap_field_t *f)
{
	char num[24], *end;
	int n;

	memset(f, 0, sizeof(*f));
	if(len < 1)
		return -1;
	switch(p[0]) {
		case 'N':
			if(len != 1)
				return -1;
			f->type = RS_SNAP_NULL;
			return 0;
		case 'i':
			if(len < 2 || len - 1 >= (int)sizeof(num))
				return -1;
			memcpy(num, p + 1, len - 1);
			num[len - 1] = '\0';
			errno = 0;
			f->num = strtoll(num, &end, 10);
			if(errno != 0 || *end != '\0')
				return -1;
			f->type = RS_SNAP_INT;
			return 0;
		case 's':
			n = rs_snap_unescape(p + 1, len - 1);
			if(n < 0)
				return -1;
			f->type = RS_SNAP_STR;
			f->str.s = p + 1;
			f->str.len = n;
			return 0;
		default:
			return -1;
	}
}

int rs_snap_parse_line(char *line, int len, rs_snap_field_t *f, int max)
{
	int start = 0, i, n = 0;

	if(line == NULL || f == NULL || len < 0 || max < 1)
		return RS_E_INVAL;
	for(i = 0; i <= len; i++) {
		if(i < len && line[i] != '\t')
			continue;
		if(n >= max || rs_snap_field(line + start, i - start, &f[n]) < 0)
			return RS_E_BADROW;
		n++;
		start = i + 1;
	}
	return n;
}
