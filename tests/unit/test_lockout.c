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

int ut_register_lockout(void)
{
	static const ut_test_t tests[] = {
			{"lockout_init", test_lockout_init},
			{"lockout_five", test_lockout_five},
			{"lockout_window", test_lockout_window},
			{"lockout_clear", test_lockout_clear},
			{"lockout_full", test_lockout_full},
			{"lockout_bad_keys", test_lockout_bad_keys},
			{NULL, NULL},
	};

	return ut_add_suite("lockout", tests);
}
