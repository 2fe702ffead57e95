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

#include "rs_lockout.h"

typedef struct rs_lo_slot
{
	char key[RS_LOCKOUT_KEY_MAX];
	int keylen;							/* 0: free slot */
	int nfail;							/* failures in fail[] */
	int64_t fail[RS_LOCKOUT_FAILS_MAX]; /* times, oldest first */
	int64_t locked_until;				/* 0: not locked */
} rs_lo_slot_t;

struct rs_lockout
{
	rs_lockout_cfg_t cfg;
	int nslots;
	rs_lo_slot_t slot[];
};

size_t rs_lockout_size(int nslots)
{
	if(nslots < 1)
		return 0;
	return sizeof(rs_lockout_t) + (size_t)nslots * sizeof(rs_lo_slot_t);
}

rs_err_t rs_lockout_init(void *mem, size_t size, int nslots,
		const rs_lockout_cfg_t *cfg, rs_lockout_t **out)
{
	rs_lockout_t *lo;

	if(mem == NULL || cfg == NULL || out == NULL || nslots < 1
			|| size < rs_lockout_size(nslots) || cfg->max_failures < 1
			|| cfg->max_failures > RS_LOCKOUT_FAILS_MAX || cfg->window < 1
			|| cfg->lock_seconds < 1)
		return RS_E_INVAL;
	memset(mem, 0, rs_lockout_size(nslots));
	lo = mem;
	lo->cfg = *cfg;
	lo->nslots = nslots;
	*out = lo;
	return RS_OK;
}

static int rs_lo_key_ok(const rs_str_t *key)
{
	return key && key->s && key->len > 0 && key->len <= RS_LOCKOUT_KEY_MAX;
}

/* drop failures older than the window and an expired lock */
static void rs_lo_age(const rs_lockout_t *lo, rs_lo_slot_t *s, int64_t now)
{
	int i, keep;

	if(s->keylen == 0)
		return;
	if(s->locked_until != 0 && s->locked_until <= now) {
		/* the lock is over: its failures are forgotten */
		s->locked_until = 0;
		s->nfail = 0;
	}
	for(i = 0; i < s->nfail && s->fail[i] <= now - lo->cfg.window; i++)
		;
	if(i > 0) {
		keep = s->nfail - i;
		memmove(s->fail, s->fail + i, (size_t)keep * sizeof(s->fail[0]));
		s->nfail = keep;
	}
	if(s->nfail == 0 && s->locked_until == 0)
		s->keylen = 0;
}

static rs_lo_slot_t *rs_lo_find(
		rs_lockout_t *lo, const rs_str_t *key, int64_t now)
{
	rs_lo_slot_t *s;
	int i;

	for(i = 0; i < lo->nslots; i++) {
		s = &lo->slot[i];
		if(s->keylen == key->len && memcmp(s->key, key->s, key->len) == 0) {
			rs_lo_age(lo, s, now);
			return s->keylen ? s : NULL;
		}
	}
	return NULL;
}

int rs_lockout_locked(rs_lockout_t *lo, const rs_str_t *key, int64_t now)
{
	rs_lo_slot_t *s;

	if(lo == NULL || !rs_lo_key_ok(key))
		return 0;
	s = rs_lo_find(lo, key, now);
	if(s == NULL || s->locked_until == 0)
		return 0;
	return (int)(s->locked_until - now);
}

/* a free slot (no failure in the window, no lock), else NULL: a slot that
 * still counts failures is never taken over, or whoever fills the table
 * could wipe the count of the key it attacks */
static rs_lo_slot_t *rs_lo_take(rs_lockout_t *lo, int64_t now)
{
	rs_lo_slot_t *s;
	int i;

	for(i = 0; i < lo->nslots; i++) {
		s = &lo->slot[i];
		rs_lo_age(lo, s, now);
		if(s->keylen == 0)
			return s;
	}
	return NULL;
}

int rs_lockout_fail(rs_lockout_t *lo, const rs_str_t *key, int64_t now)
{
	rs_lo_slot_t *s;

	if(lo == NULL || !rs_lo_key_ok(key))
		return RS_E_INVAL;
	s = rs_lo_find(lo, key, now);
	if(s == NULL) {
		s = rs_lo_take(lo, now);
		if(s == NULL)
			return RS_E_LIMIT;
		memset(s, 0, sizeof(*s));
		memcpy(s->key, key->s, key->len);
		s->keylen = key->len;
	}
	if(s->locked_until != 0)
		return lo->cfg.max_failures;
	if(s->nfail == lo->cfg.max_failures) {
		/* cannot happen: max_failures locks; keep the newest anyway */
		memmove(s->fail, s->fail + 1,
				(size_t)(s->nfail - 1) * sizeof(s->fail[0]));
		s->nfail--;
	}
	s->fail[s->nfail++] = now;
	if(s->nfail >= lo->cfg.max_failures)
		s->locked_until = now + lo->cfg.lock_seconds;
	return s->nfail;
}

void rs_lockout_clear(rs_lockout_t *lo, const rs_str_t *key)
{
	int i;

	if(lo == NULL || !rs_lo_key_ok(key))
		return;
	for(i = 0; i < lo->nslots; i++) {
		if(lo->slot[i].keylen == key->len
				&& memcmp(lo->slot[i].key, key->s, key->len) == 0)
			memset(&lo->slot[i], 0, sizeof(lo->slot[i]));
	}
}

int rs_lockout_failures(rs_lockout_t *lo, const rs_str_t *key, int64_t now)
{
	rs_lo_slot_t *s;

	if(lo == NULL || !rs_lo_key_ok(key))
		return 0;
	s = rs_lo_find(lo, key, now);
	return s ? s->nfail : 0;
}

int rs_lockout_used(rs_lockout_t *lo, int64_t now)
{
	int i, n = 0;

	if(lo == NULL)
		return 0;
	for(i = 0; i < lo->nslots; i++) {
		rs_lo_age(lo, &lo->slot[i], now);
		if(lo->slot[i].keylen)
			n++;
	}
	return n;
}

int rs_lockout_next(
		rs_lockout_t *lo, int *cursor, int64_t now, rs_lockout_entry_t *e)
{
	rs_lo_slot_t *s;
	int i, k;

	if(lo == NULL || cursor == NULL || e == NULL || *cursor < 0)
		return 0;
	for(i = *cursor; i < lo->nslots; i++) {
		s = &lo->slot[i];
		rs_lo_age(lo, s, now);
		if(s->keylen == 0)
			continue;
		memset(e, 0, sizeof(*e));
		memcpy(e->key, s->key, s->keylen);
		e->keylen = s->keylen;
		e->nfail = s->nfail;
		for(k = 0; k < s->nfail; k++)
			e->age[k] = (int)(now - s->fail[k]);
		e->locked_for = s->locked_until ? (int)(s->locked_until - now) : 0;
		*cursor = i + 1;
		return 1;
	}
	*cursor = lo->nslots;
	return 0;
}

rs_err_t rs_lockout_merge(
		rs_lockout_t *lo, const rs_lockout_entry_t *e, int64_t now)
{
	rs_lo_slot_t *s;
	rs_str_t key;
	int64_t until;
	int k, first;

	if(lo == NULL || e == NULL || e->nfail < 0
			|| e->nfail > RS_LOCKOUT_FAILS_MAX || e->locked_for < 0)
		return RS_E_INVAL;
	key.s = (char *)e->key;
	key.len = e->keylen;
	if(!rs_lo_key_ok(&key))
		return RS_E_INVAL;
	for(k = 1; k < e->nfail; k++)
		if(e->age[k] > e->age[k - 1] || e->age[k] < 0)
			return RS_E_INVAL; /* oldest first */
	if(e->nfail == 0 && e->locked_for == 0)
		return RS_OK; /* nothing to take */
	s = rs_lo_find(lo, &key, now);
	if(s == NULL) {
		s = rs_lo_take(lo, now);
		if(s == NULL)
			return RS_E_LIMIT;
		memset(s, 0, sizeof(*s));
		memcpy(s->key, key.s, key.len);
		s->keylen = key.len;
	}
	/* e's failures in the window here (the newest are last), at most
	 * max_failures of them */
	for(first = 0; first < e->nfail && e->age[first] >= lo->cfg.window;
			first++)
		;
	if(e->nfail - first > lo->cfg.max_failures)
		first = e->nfail - lo->cfg.max_failures;
	if(e->nfail - first > s->nfail) {
		s->nfail = 0;
		for(k = first; k < e->nfail; k++)
			s->fail[s->nfail++] = now - e->age[k];
		if(s->nfail >= lo->cfg.max_failures && s->locked_until == 0)
			s->locked_until = s->fail[s->nfail - 1] + lo->cfg.lock_seconds;
	}
	if(e->locked_for > 0) {
		until = now
				+ (e->locked_for < lo->cfg.lock_seconds ? e->locked_for
														: lo->cfg.lock_seconds);
		if(until > s->locked_until)
			s->locked_until = until;
	}
	/* a lock that ran out already, or failures all out of the window */
	rs_lo_age(lo, s, now);
	return RS_OK;
}
