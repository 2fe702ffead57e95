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

/* flat records, see rs_rec.h */

#include <string.h>

#include "rs_rec.h"

#define RS_REC_MAGIC 0x52435231u /* "RCR1" */

typedef struct rs_rec_head
{
	uint32_t magic;
	int32_t table;
	int64_t time;
	uint32_t n;
	uint32_t pad;
} rs_rec_head_t;

size_t rs_rec_size(const rs_str_t *f, int n)
{
	size_t sz;
	int i;

	if(n < 0 || n > RS_REC_MAX_FIELDS || (n > 0 && f == NULL))
		return 0;
	sz = sizeof(rs_rec_head_t) + (size_t)n * sizeof(int32_t);
	for(i = 0; i < n; i++) {
		if(f[i].s == NULL)
			continue;
		if(f[i].len < 0 || f[i].len > RS_REC_FIELD_MAX)
			return 0;
		sz += (size_t)f[i].len;
	}
	return sz;
}

long rs_rec_pack(void *buf, size_t size, int table, int64_t time,
		const rs_str_t *f, int n)
{
	rs_rec_head_t h;
	int32_t len;
	char *p;
	size_t need;
	int i;

	if(buf == NULL || n < 0 || (n > 0 && f == NULL))
		return RS_E_INVAL;
	need = rs_rec_size(f, n);
	if(need == 0 || need > size)
		return RS_E_LIMIT;
	memset(&h, 0, sizeof(h));
	h.magic = RS_REC_MAGIC;
	h.table = table;
	h.time = time;
	h.n = (uint32_t)n;
	p = buf;
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	for(i = 0; i < n; i++) {
		len = f[i].s ? f[i].len : -1;
		memcpy(p, &len, sizeof(len));
		p += sizeof(len);
	}
	for(i = 0; i < n; i++) {
		if(f[i].s == NULL || f[i].len == 0)
			continue;
		memcpy(p, f[i].s, f[i].len);
		p += f[i].len;
	}
	return (long)need;
}

rs_err_t rs_rec_unpack(const void *buf, size_t len, rs_rec_view_t *out)
{
	rs_rec_head_t h;
	const char *p, *data, *end;
	int32_t l;
	uint32_t i;

	if(buf == NULL || out == NULL || len < sizeof(h))
		return RS_E_INVAL;
	memcpy(&h, buf, sizeof(h));
	if(h.magic != RS_REC_MAGIC || h.n > RS_REC_MAX_FIELDS)
		return RS_E_INVAL;
	if(len < sizeof(h) + (size_t)h.n * sizeof(int32_t))
		return RS_E_INVAL;
	p = (const char *)buf + sizeof(h);
	data = p + h.n * sizeof(int32_t);
	end = (const char *)buf + len;
	memset(out, 0, sizeof(*out));
	out->table = h.table;
	out->time = h.time;
	out->n = (int)h.n;
	for(i = 0; i < h.n; i++) {
		memcpy(&l, p + i * sizeof(int32_t), sizeof(l));
		if(l == -1) {
			out->f[i].s = NULL;
			out->f[i].len = 0;
			continue;
		}
		if(l < 0 || l > RS_REC_FIELD_MAX || l > end - data)
			return RS_E_INVAL;
		out->f[i].s = (char *)data;
		out->f[i].len = l;
		data += l;
	}
	/* the record is exactly len bytes: trailing bytes mean a bad length */
	if(data != end)
		return RS_E_INVAL;
	return RS_OK;
}
