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

/* publication table, see rs_pubtab.h: open addressing, linear probing */

#include <string.h>

#include "rs_pubtab.h"

typedef struct rs_pubent
{
	char key[RS_PUBTAB_KEY_MAX + 1];
	uint8_t len; /* 0 = free slot */
	int8_t wanted, published;
	uint8_t pubid; /* which of the key's two publications is in use */
	uint8_t swap;  /* publish under the other one, drop this one */
	unsigned int version;
	uint64_t sent_ms;
} rs_pubent_t;

struct rs_pubtab
{
	uint32_t cap;  /* slots, a power of two */
	uint32_t max;  /* keys allowed (cap / 2 at most) */
	uint32_t n;	   /* keys */
	uint32_t pend; /* keys due: wanted != published, or a swap */
	rs_pubent_t ent[];
};

static uint32_t rs_pubtab_cap(uint32_t n)
{
	uint32_t cap = 16;

	while(cap < n * 2u && cap < (1u << 30))
		cap <<= 1;
	return cap;
}

size_t rs_pubtab_size(uint32_t n)
{
	if(n < 1 || n > (1u << 28))
		return 0;
	return sizeof(rs_pubtab_t) + (size_t)rs_pubtab_cap(n) * sizeof(rs_pubent_t);
}

rs_pubtab_t *rs_pubtab_init(void *mem, size_t size, uint32_t n)
{
	rs_pubtab_t *t = mem;
	size_t need = rs_pubtab_size(n);

	if(mem == NULL || need == 0 || size < need)
		return NULL;
	memset(mem, 0, need);
	t->cap = rs_pubtab_cap(n);
	t->max = n;
	return t;
}

/* the slot of key, or the free slot where it would go */
static rs_pubent_t *rs_pubtab_slot(
		const rs_pubtab_t *t, const char *key, int len)
{
	uint32_t i = (uint32_t)rs_hash_mix64(
						 rs_hash64(RS_HASH64_INIT, key, (size_t)len))
				 & (t->cap - 1);
	const rs_pubent_t *e;

	for(;;) {
		e = &t->ent[i];
		if(e->len == 0
				|| (e->len == len && memcmp(e->key, key, (size_t)len) == 0))
			return (rs_pubent_t *)e;
		i = (i + 1) & (t->cap - 1);
	}
}

static int rs_pubtab_key_ok(const char *key, int len)
{
	return key != NULL && len > 0 && len <= RS_PUBTAB_KEY_MAX
		   && memchr(key, '\0', (size_t)len) == NULL;
}

/* a publication is due: a new state, or a swap of publications */
static int rs_pub_due(const rs_pubent_t *e)
{
	return e->wanted != e->published || e->swap;
}

rs_err_t rs_pubtab_want(rs_pubtab_t *t, const char *key, int len, int state)
{
	rs_pubent_t *e;
	int was;

	if(t == NULL || !rs_pubtab_key_ok(key, len) || (state != 0 && state != 1))
		return RS_E_INVAL;
	e = rs_pubtab_slot(t, key, len);
	if(e->len == 0) {
		if(t->n >= t->max)
			return RS_E_LIMIT;
		memcpy(e->key, key, (size_t)len);
		e->key[len] = '\0';
		e->len = (uint8_t)len;
		e->wanted = RS_PUB_UNKNOWN;
		e->published = RS_PUB_UNKNOWN;
		t->n++;
	}
	was = rs_pub_due(e);
	e->wanted = (int8_t)state;
	if(was && !rs_pub_due(e))
		t->pend--;
	else if(!was && rs_pub_due(e))
		t->pend++;
	return RS_OK;
}

int rs_pubtab_published(const rs_pubtab_t *t, const char *key, int len)
{
	const rs_pubent_t *e;

	if(t == NULL || !rs_pubtab_key_ok(key, len))
		return RS_PUB_UNKNOWN;
	e = rs_pubtab_slot(t, key, len);
	return e->len ? e->published : RS_PUB_UNKNOWN;
}

int rs_pubtab_next_pub(rs_pubtab_t *t, uint64_t now_ms, uint64_t gap_ms,
		uint32_t *cursor, char *key, int *state, unsigned int *version,
		int *pubid, int *drop)
{
	rs_pubent_t *e;
	uint32_t k, i;

	if(t == NULL || cursor == NULL || key == NULL || state == NULL
			|| version == NULL || pubid == NULL || drop == NULL
			|| t->pend == 0)
		return 0;
	for(k = 0; k < t->cap; k++) {
		i = (*cursor + k) & (t->cap - 1);
		e = &t->ent[i];
		if(e->len == 0 || !rs_pub_due(e))
			continue;
		/* one publication of a key per gap */
		if(e->version > 0 && now_ms < e->sent_ms + gap_ms)
			continue;
		memcpy(key, e->key, (size_t)e->len + 1);
		*drop = -1;
		if(e->swap) {
			*drop = e->pubid;
			e->pubid ^= 1;
			e->swap = 0;
		}
		*pubid = e->pubid;
		*state = e->wanted;
		*version = ++e->version;
		e->published = e->wanted;
		e->sent_ms = now_ms;
		t->pend--;
		*cursor = (i + 1) & (t->cap - 1);
		return 1;
	}
	return 0;
}

int rs_pubtab_next(rs_pubtab_t *t, uint64_t now_ms, uint64_t gap_ms,
		uint32_t *cursor, char *key, int *state, unsigned int *version)
{
	int pubid, drop;

	return rs_pubtab_next_pub(
			t, now_ms, gap_ms, cursor, key, state, version, &pubid, &drop);
}

uint32_t rs_pubtab_count(const rs_pubtab_t *t)
{
	return t ? t->n : 0;
}

uint32_t rs_pubtab_pending(const rs_pubtab_t *t)
{
	return t ? t->pend : 0;
}

void rs_pubtab_forget(rs_pubtab_t *t)
{
	rs_pubent_t *e;
	uint32_t i;

	if(t == NULL)
		return;
	t->pend = 0;
	for(i = 0; i < t->cap; i++) {
		e = &t->ent[i];
		if(e->len == 0)
			continue;
		e->published = RS_PUB_UNKNOWN;
		e->swap = 0;
		if(rs_pub_due(e))
			t->pend++;
	}
}

void rs_pubtab_resync(rs_pubtab_t *t)
{
	rs_pubent_t *e;
	uint32_t i;

	if(t == NULL)
		return;
	for(i = 0; i < t->cap; i++) {
		e = &t->ent[i];
		if(e->len == 0 || e->published == RS_PUB_UNKNOWN || e->swap)
			continue;
		if(!rs_pub_due(e))
			t->pend++;
		e->swap = 1;
	}
}
