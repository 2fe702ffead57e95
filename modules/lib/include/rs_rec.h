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

/*
 * A flat record: a table number, a time and up to RS_REC_MAX_FIELDS string
 * fields (each may be NULL), packed into one caller-provided buffer that
 * holds no pointers, so it can be handed to another process in shared
 * memory (a CDR queued for Kamailio's async workers) and read there without
 * copying. The reader checks every length against the buffer it was given.
 *
 * Layout (host byte order): magic u32, table i32, time i64, n u32, then n
 * lengths i32 (-1 = NULL), then the bytes of the fields one after another.
 */

#ifndef RS_REC_H
#define RS_REC_H

#include <stddef.h>
#include <stdint.h>

#include "rs_common.h"

#define RS_REC_MAX_FIELDS 32
#define RS_REC_FIELD_MAX 4096 /* bytes in one field */

/* a field of a record: v.s == NULL means NULL */
typedef struct rs_rec_view
{
	int table;
	int64_t time;
	int n;
	rs_str_t f[RS_REC_MAX_FIELDS];
} rs_rec_view_t;

/* bytes rs_rec_pack() needs for these fields, or 0 if they break a limit
 * (more than RS_REC_MAX_FIELDS, a field longer than RS_REC_FIELD_MAX) */
size_t rs_rec_size(const rs_str_t *f, int n);

/*
 * Packs table, time and the n fields (f[i].s == NULL: NULL) into buf.
 * Returns the bytes written (> 0), or RS_E_INVAL (bad argument),
 * RS_E_LIMIT (limits above, or size smaller than rs_rec_size()).
 */
long rs_rec_pack(void *buf, size_t size, int table, int64_t time,
		const rs_str_t *f, int n);

/*
 * Reads a packed record of len bytes: the fields of out point into buf.
 * RS_OK, or RS_E_INVAL when buf is not a whole, well-formed record.
 */
rs_err_t rs_rec_unpack(const void *buf, size_t len, rs_rec_view_t *out);

#endif
