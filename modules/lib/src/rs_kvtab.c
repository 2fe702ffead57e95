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

#include "rs_kvtab.h"

typedef struct rs_kv
{
	uint8_t klen, vlen; /* klen 0: free */
	char key[RS_KV_KEY_MAX];
	char val[RS_KV_VAL_MAX];
} rs_kv_t;

struct rs_kvtab
{
	uint32_t cap; /* slots, a power of two >= 2 n */
	uint32_t max; /* keys */
	uint32_t count;
	rs_kv_t slot[];
};

static uint32_t rs_kv_cap(uint32_t n)
{
	uint32_t cap = 4;

	while(cap < 2 * n)
		cap <<= 1;
	return cap;
}

size_t rs_kvtab_size(uint32_t n)
{
	if(n < 1 || n > (1u << 24))
		return 0;
	return sizeof(rs_kvtab_t) + (size_t)rs_kv_cap(n) * sizeof(rs_kv_t);
}

rs_kvtab_t *rs_kvtab_init(void *mem, size_t size, uint32_t n)
{
	rs_kvtab_t *t = mem;
	size_t need = rs_kvtab_size(n);

	if(mem == NULL || need == 0 || size < need)
		return NULL;
	memset(mem, 0, need);
	t->cap = rs_kv_cap(n);
	t->max = n;
	return t;
}

/* the slot of key, or the free slot where it would go */
static rs_kv_t *rs_kv_find(const rs_kvtab_t *t, const char *key, int klen)
{
	uint32_t i = (uint32_t)rs_hash_mix64(
						 rs_hash64(RS_HASH64_INIT, key, (size_t)klen))
				 & (t->cap - 1);
	const rs_kv_t *s;

	for(;;) {
		s = &t->slot[i];
		if(s->klen == 0
				|| (s->klen == klen && memcmp(s->key, key, (size_t)klen) == 0))
			return (rs_kv_t *)s;
		i = (i + 1) & (t->cap - 1);
	}
}

rs_err_t rs_kvtab_set(
		rs_kvtab_t *t, const char *key, int klen, const char *val, int vlen)
{
	rs_kv_t *s;

	if(t == NULL || key == NULL || val == NULL || klen < 1
			|| klen > RS_KV_KEY_MAX || vlen < 1 || vlen > RS_KV_VAL_MAX)
		return RS_E_INVAL;
	s = rs_kv_find(t, key, klen);
	if(s->klen == 0) {
		if(t->count >= t->max)
			return RS_E_LIMIT;
		memcpy(s->key, key, (size_t)klen);
		s->klen = (uint8_t)klen;
		t->count++;
	}
	memcpy(s->val, val, (size_t)vlen);
	s->vlen = (uint8_t)vlen;
	return RS_OK;
}

int rs_kvtab_get(const rs_kvtab_t *t, const char *key, int klen, char *val)
{
	const rs_kv_t *s;

	if(t == NULL || key == NULL || val == NULL || klen < 1
			|| klen > RS_KV_KEY_MAX)
		return -1;
	s = rs_kv_find(t, key, klen);
	if(s->klen == 0)
		return -1;
	memcpy(val, s->val, s->vlen);
	val[s->vlen] = '\0';
	return s->vlen;
}

uint32_t rs_kvtab_count(const rs_kvtab_t *t)
{
	return t ? t->count : 0;
}
