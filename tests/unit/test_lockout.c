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

/* tests of rs_lockout.c: 5 failures in 15 min lock for 15 min, per key */

#include <stdlib.h>

#include "unit.h"
#include "rs_lockout.h"

static const rs_lockout_cfg_t ut_lo_cfg = {5, 900, 900};

static rs_str_t ut_k(const char *s)
{
	rs_str_t r = {(char *)s, (int)strlen(s)};
	return r;
}

static rs_lockout_t *ut_lo_new(int nslots, void **mem)
{
	rs_lockout_t *lo = NULL;
	size_t sz = rs_lockout_size(nslots);

	*mem = malloc(sz);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*mem);
	CU_ASSERT_EQUAL_FATAL(
			rs_lockout_init(*mem, sz, nslots, &ut_lo_cfg, &lo), RS_OK);
	return lo;
}

static void test_lockout_init(void)
{
	rs_lockout_cfg_t bad;
	rs_lockout_t *lo;
	char mem[64];
	void *m;

	CU_ASSERT_EQUAL(rs_lockout_size(0), 0);
	CU_ASSERT(rs_lockout_size(2) > rs_lockout_size(1));
	CU_ASSERT_EQUAL(
			rs_lockout_init(mem, sizeof(mem), 4, &ut_lo_cfg, &lo), RS_E_INVAL);
	m = malloc(rs_lockout_size(4));
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	bad = ut_lo_cfg;
	bad.max_failures = 0;
	CU_ASSERT_EQUAL(
			rs_lockout_init(m, rs_lockout_size(4), 4, &bad, &lo), RS_E_INVAL);
	bad.max_failures = RS_LOCKOUT_FAILS_MAX + 1;
	CU_ASSERT_EQUAL(
			rs_lockout_init(m, rs_lockout_size(4), 4, &bad, &lo), RS_E_INVAL);
	bad = ut_lo_cfg;
	bad.window = 0;
	CU_ASSERT_EQUAL(
			rs_lockout_init(m, rs_lockout_size(4), 4, &bad, &lo), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockout_init(m, rs_lockout_size(4), 0, &ut_lo_cfg, &lo),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockout_init(NULL, 100, 1, &ut_lo_cfg, &lo), RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_lockout_init(m, rs_lockout_size(4), 4, &ut_lo_cfg, &lo), RS_OK);
	CU_ASSERT_EQUAL(rs_lockout_used(lo, 0), 0);
	free(m);
}

/* five failures within the window lock for lock_seconds, then all is
 * forgotten */
static void test_lockout_five(void)
{
	void *m;
	rs_lockout_t *lo = ut_lo_new(8, &m);
	rs_str_t k = ut_k("ext:200"), other = ut_k("ext:201");
	int64_t t = 1000000;
	int i;

	for(i = 1; i <= 4; i++) {
		CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + i * 100), i);
		CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, t + i * 100), 0);
	}
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &k, t + 400), 4);
	/* the fifth, 500 s after the first: locked for 900 s from now */
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + 500), 5);
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, t + 500), 900);
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, t + 1399), 1);
	/* other keys are not affected */
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &other, t + 500), 0);
	/* failures while locked neither count nor extend the lock */
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + 600), 5);
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, t + 600), 800);
	/* the lock ends exactly after lock_seconds and everything is forgotten */
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, t + 1400), 0);
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &k, t + 1400), 0);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + 1401), 1);
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, t + 1401), 0);
	free(m);
}

/* failures older than the window do not count */
static void test_lockout_window(void)
{
	void *m;
	rs_lockout_t *lo = ut_lo_new(8, &m);
	rs_str_t k = ut_k("term:hotdesk-0004f2000001");
	int64_t t = 50;

	/* one failure every 4 minutes: never 5 within 15 minutes */
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t), 1);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + 240), 2);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + 480), 3);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + 720), 4);
	/* the first is exactly 900 s old: out of the window */
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + 900), 4);
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, t + 900), 0);
	/* the fifth within 899 s locks */
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, t + 960), 5);
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, t + 960), 900);
	/* a slot whose failures all aged out is free again */
	CU_ASSERT_EQUAL(rs_lockout_used(lo, t + 960), 1);
	CU_ASSERT_EQUAL(rs_lockout_used(lo, t + 960 + 900), 0);
	free(m);
}

static void test_lockout_clear(void)
{
	void *m;
	rs_lockout_t *lo = ut_lo_new(4, &m);
	rs_str_t k = ut_k("ext:300");
	int i;

	for(i = 0; i < 5; i++)
		rs_lockout_fail(lo, &k, 10 + i);
	CU_ASSERT(rs_lockout_locked(lo, &k, 20) > 0);
	rs_lockout_clear(lo, &k);
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, &k, 20), 0);
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &k, 20), 0);
	/* clearing an unknown key is harmless */
	rs_lockout_clear(lo, &k);
	rs_lockout_clear(NULL, &k);
	free(m);
}

/* a full table reuses the slot with the oldest last failure, never a
 * locked one; with only locked keys, nothing is recorded */
static void test_lockout_full(void)
{
	void *m;
	rs_lockout_t *lo = ut_lo_new(2, &m);
	rs_str_t a = ut_k("a"), b = ut_k("b"), c = ut_k("c");
	int i;

	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &a, 100), 1);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &b, 101), 1);
	/* full: c is refused, and a keeps its count (fails closed: filling the
	 * table must not wipe the count of the key under attack) */
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &c, 102), RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &a, 102), 1);
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &b, 102), 1);
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &c, 102), 0);
	/* the keys that have a slot go on counting */
	for(i = 0; i < 4; i++)
		rs_lockout_fail(lo, &b, 103 + i);
	for(i = 0; i < 4; i++)
		rs_lockout_fail(lo, &a, 103 + i);
	CU_ASSERT(rs_lockout_locked(lo, &b, 110) > 0);
	CU_ASSERT(rs_lockout_locked(lo, &a, 110) > 0);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &c, 110), RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_lockout_used(lo, 110), 2);
	/* once the locks are over there is room again */
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &c, 2000), 1);
	/* a slot whose failures left the window is free again */
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &a, 2001), 1);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &b, 2002), RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &b, 2000 + 901), 1);
	free(m);
}

static void test_lockout_bad_keys(void)
{
	void *m;
	rs_lockout_t *lo = ut_lo_new(2, &m);
	char longkey[RS_LOCKOUT_KEY_MAX + 2];
	rs_str_t k = {longkey, RS_LOCKOUT_KEY_MAX + 1}, e = {"", 0};

	memset(longkey, 'x', sizeof(longkey));
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &e, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, NULL, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockout_fail(NULL, &k, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockout_locked(lo, NULL, 1), 0);
	/* the longest key that fits */
	k.len = RS_LOCKOUT_KEY_MAX;
	CU_ASSERT_EQUAL(rs_lockout_fail(lo, &k, 1), 1);
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &k, 1), 1);
	/* a prefix is another key */
	k.len = RS_LOCKOUT_KEY_MAX - 1;
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &k, 1), 0);
	free(m);
}

/* a node that starts takes another node's table: export at one time,
 * merge at another (other clock), the same verdicts */
static void test_lockout_sync(void)
{
	void *m1, *m2;
	rs_lockout_t *a = ut_lo_new(8, &m1), *b = ut_lo_new(8, &m2);
	rs_str_t k1 = ut_k("ext:620"), k2 = ut_k("term:hotdesk-0004f2000101"),
			 k3 = ut_k("ext:621");
	rs_lockout_entry_t e;
	int64_t ta = 5000, tb = 777000; /* the two clocks */
	int i, cur = 0, n = 0;

	for(i = 0; i < 5; i++)
		CU_ASSERT(rs_lockout_fail(a, &k1, ta + i * 10) > 0);
	CU_ASSERT(rs_lockout_fail(a, &k2, ta + 20) > 0);
	CU_ASSERT(rs_lockout_fail(a, &k2, ta + 30) > 0);
	/* 60 s after the fifth: k1 locked for 840 s more, k2 two failures */
	while(rs_lockout_next(a, &cur, ta + 100, &e)) {
		n++;
		CU_ASSERT_EQUAL(rs_lockout_merge(b, &e, tb), RS_OK);
		if(e.keylen == k1.len && memcmp(e.key, k1.s, k1.len) == 0) {
			CU_ASSERT_EQUAL(e.nfail, 5);
			CU_ASSERT_EQUAL(e.locked_for, 840);
			CU_ASSERT_EQUAL(e.age[0], 100);
			CU_ASSERT_EQUAL(e.age[4], 60);
		} else {
			CU_ASSERT_EQUAL(e.nfail, 2);
			CU_ASSERT_EQUAL(e.locked_for, 0);
			CU_ASSERT_EQUAL(e.age[0], 80);
			CU_ASSERT_EQUAL(e.age[1], 70);
		}
	}
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(rs_lockout_next(a, &cur, ta + 100, &e), 0);
	CU_ASSERT_EQUAL(rs_lockout_locked(b, &k1, tb), 840);
	CU_ASSERT_EQUAL(rs_lockout_failures(b, &k2, tb), 2);
	CU_ASSERT_EQUAL(rs_lockout_locked(b, &k3, tb), 0);
	/* three more on b lock k2, as on the node that counted the first two */
	CU_ASSERT_EQUAL(rs_lockout_fail(b, &k2, tb + 1), 3);
	CU_ASSERT_EQUAL(rs_lockout_fail(b, &k2, tb + 2), 4);
	CU_ASSERT_EQUAL(rs_lockout_fail(b, &k2, tb + 3), 5);
	/* k2's first failures leave the window 900 s after they happened */
	CU_ASSERT_EQUAL(rs_lockout_locked(b, &k2, tb + 3), 900);
	/* merging fewer failures changes nothing; a later lock wins */
	memset(&e, 0, sizeof(e));
	memcpy(e.key, k1.s, k1.len);
	e.keylen = k1.len;
	e.nfail = 1;
	e.age[0] = 5;
	CU_ASSERT_EQUAL(rs_lockout_merge(b, &e, tb), RS_OK);
	CU_ASSERT_EQUAL(rs_lockout_locked(b, &k1, tb), 840);
	e.nfail = 0;
	e.locked_for = 899;
	CU_ASSERT_EQUAL(rs_lockout_merge(b, &e, tb), RS_OK);
	CU_ASSERT_EQUAL(rs_lockout_locked(b, &k1, tb), 899);
	/* never beyond lock_seconds */
	e.locked_for = 100000;
	CU_ASSERT_EQUAL(rs_lockout_merge(b, &e, tb), RS_OK);
	CU_ASSERT_EQUAL(rs_lockout_locked(b, &k1, tb), 900);
	/* failures out of the window here are not taken */
	memcpy(e.key, k3.s, k3.len);
	e.keylen = k3.len;
	e.locked_for = 0;
	e.nfail = 2;
	e.age[0] = 950;
	e.age[1] = 10;
	CU_ASSERT_EQUAL(rs_lockout_merge(b, &e, tb), RS_OK);
	CU_ASSERT_EQUAL(rs_lockout_failures(b, &k3, tb), 1);
	/* five in the window without a lock (another node's table full):
	 * locked from the newest, as here */
	e.nfail = 5;
	for(i = 0; i < 5; i++)
		e.age[i] = 50 - i;
	CU_ASSERT_EQUAL(rs_lockout_merge(b, &e, tb), RS_OK);
	CU_ASSERT_EQUAL(rs_lockout_locked(b, &k3, tb), 900 - 46);
	free(m1);
	free(m2);
}

/* what comes from the network is checked before it is taken */
static void test_lockout_merge_bad(void)
{
	void *m;
	rs_lockout_t *lo = ut_lo_new(2, &m);
	rs_lockout_entry_t e;
	rs_str_t k;
	int i;

	memset(&e, 0, sizeof(e));
	CU_ASSERT_EQUAL(rs_lockout_merge(lo, &e, 10), RS_E_INVAL); /* no key */
	memcpy(e.key, "ext:1", 5);
	e.keylen = 5;
	e.nfail = RS_LOCKOUT_FAILS_MAX + 1;
	CU_ASSERT_EQUAL(rs_lockout_merge(lo, &e, 10), RS_E_INVAL);
	e.nfail = 2;
	e.age[0] = 5;
	e.age[1] = 9; /* newer first: refused */
	CU_ASSERT_EQUAL(rs_lockout_merge(lo, &e, 10), RS_E_INVAL);
	e.age[1] = -1;
	CU_ASSERT_EQUAL(rs_lockout_merge(lo, &e, 10), RS_E_INVAL);
	e.nfail = 0;
	e.locked_for = -1;
	CU_ASSERT_EQUAL(rs_lockout_merge(lo, &e, 10), RS_E_INVAL);
	e.keylen = RS_LOCKOUT_KEY_MAX + 1;
	e.locked_for = 1;
	CU_ASSERT_EQUAL(rs_lockout_merge(lo, &e, 10), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockout_merge(NULL, &e, 10), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_lockout_merge(lo, NULL, 10), RS_E_INVAL);
	/* a full table fails closed: the slots counting failures stay */
	for(i = 0; i < 2; i++) {
		k = ut_k(i ? "ext:b" : "ext:a");
		CU_ASSERT(rs_lockout_fail(lo, &k, 10) > 0);
	}
	memcpy(e.key, "ext:c", 5);
	e.keylen = 5;
	CU_ASSERT_EQUAL(rs_lockout_merge(lo, &e, 10), RS_E_LIMIT);
	k = ut_k("ext:a");
	CU_ASSERT_EQUAL(rs_lockout_failures(lo, &k, 10), 1);
	CU_ASSERT_EQUAL(rs_lockout_next(NULL, &i, 10, &e), 0);
	free(m);
}

int ut_register_lockout(void)
{
	static const ut_test_t tests[] = {
			{"lockout_init", test_lockout_init},
			{"lockout_five", test_lockout_five},
			{"lockout_window", test_lockout_window},
			{"lockout_clear", test_lockout_clear},
			{"lockout_full", test_lockout_full},
			{"lockout_bad_keys", test_lockout_bad_keys},
			{"lockout_sync", test_lockout_sync},
			{"lockout_merge_bad", test_lockout_merge_bad},
			{NULL, NULL},
	};

	return ut_add_suite("lockout", tests);
}
