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
 * A small fixed-capacity table of short string keys and values in
 * caller-provided memory (Kamailio shared memory): no pointers inside, no
 * locking (the caller serialises), no allocation. Used for the member of
 * each hunt group who answered last. When the table is full, the oldest
 * entry is not evicted: rs_kvtab_set() returns RS_E_LIMIT.
 */

#ifndef RS_KVTAB_H
#define RS_KVTAB_H

#include <stddef.h>
#include <stdint.h>

#include "rs_common.h"

#define RS_KV_KEY_MAX 32
#define RS_KV_VAL_MAX 32

typedef struct rs_kvtab rs_kvtab_t;

/* bytes for a table of n (>= 1) keys; 0 if n is out of range */
size_t rs_kvtab_size(uint32_t n);
/* a table of n keys in mem (size bytes); NULL if too small */
rs_kvtab_t *rs_kvtab_init(void *mem, size_t size, uint32_t n);
/* RS_OK; RS_E_INVAL for a bad key or value (empty, too long); RS_E_LIMIT */
rs_err_t rs_kvtab_set(
		rs_kvtab_t *t, const char *key, int klen, const char *val, int vlen);
/* copies the value (NUL-terminated) to val (RS_KV_VAL_MAX + 1 bytes):
 * its length, or -1 when the key is not there */
int rs_kvtab_get(const rs_kvtab_t *t, const char *key, int klen, char *val);
uint32_t rs_kvtab_count(const rs_kvtab_t *t);

#endif /* RS_KVTAB_H */
