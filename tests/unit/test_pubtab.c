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

/* tests of rs_pubtab.c */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "rs_pubtab.h"

static rs_pubtab_t *mk(uint32_t n, void **mem)
{
	size_t sz = rs_pubtab_size(n);

	*mem = malloc(sz);
	CU_ASSERT_FATAL(*mem != NULL);
	return rs_pubtab_init(*mem, sz, n);
}

static void test_pubtab_basic(void)
{
	char key[RS_PUBTAB_KEY_MAX + 1];
	unsigned int ver;
	uint32_t cur = 0;
	int st;
	void *mem;
	rs_pubtab_t *t = mk(4, &mem);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 0, 300, &cur, key, &st, &ver), 0);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 1), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "201", 3, 0), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 2);
	CU_ASSERT_EQUAL(rs_pubtab_published(t, "200", 3), RS_PUB_UNKNOWN);
	/* both are due at once: first publications */
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 1000, 300, &cur, key, &st, &ver), 1);
	CU_ASSERT_EQUAL(ver, 1);
	CU_ASSERT_EQUAL(st, strcmp(key, "200") == 0 ? 1 : 0);
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 1000, 300, &cur, key, &st, &ver), 1);
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 1000, 300, &cur, key, &st, &ver), 0);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 0);
	CU_ASSERT_EQUAL(rs_pubtab_published(t, "200", 3), 1);
	CU_ASSERT_EQUAL(rs_pubtab_published(t, "201", 3), 0);
	/* wanting the published state is no change */
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 1), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 0);
	/* a change within the gap waits, then goes out once */
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 0), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 1);
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 1100, 300, &cur, key, &st, &ver), 0);
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 1300, 300, &cur, key, &st, &ver), 1);
	CU_ASSERT_STRING_EQUAL(key, "200");
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_EQUAL(ver, 2);
	/* on, off again within the gap: nothing left to send */
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 1), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 0), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 0);
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 5000, 300, &cur, key, &st, &ver), 0);
	CU_ASSERT_EQUAL(rs_pubtab_count(t), 2);
	free(mem);
}

static void test_pubtab_limits(void)
{
	char key[RS_PUBTAB_KEY_MAX + 1], k[8];
	char long_key[RS_PUBTAB_KEY_MAX + 2];
	unsigned int ver;
	uint32_t cur = 0, i;
	int st, n = 0;
	void *mem;
	rs_pubtab_t *t = mk(100, &mem);

	CU_ASSERT_FATAL(t != NULL);
	for(i = 0; i < 100; i++) {
		snprintf(k, sizeof(k), "%u", 1000 + i);
		CU_ASSERT_EQUAL(rs_pubtab_want(t, k, 4, (int)(i & 1)), RS_OK);
	}
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "9999", 4, 1), RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "1000", 4, 1), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "", 0, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, NULL, 3, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "1000", 4, 2), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "a\0b", 3, 1), RS_E_INVAL);
	memset(long_key, '7', sizeof(long_key));
	/* a key of the longest length is valid, but the table is full */
	CU_ASSERT_EQUAL(
			rs_pubtab_want(t, long_key, RS_PUBTAB_KEY_MAX, 1), RS_E_LIMIT);
	CU_ASSERT_EQUAL(
			rs_pubtab_want(t, long_key, RS_PUBTAB_KEY_MAX + 1, 1), RS_E_INVAL);
	/* every key comes out exactly once */
	while(rs_pubtab_next(t, 10, 300, &cur, key, &st, &ver) == 1)
		n++;
	CU_ASSERT_EQUAL(n, 100);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 0);
	CU_ASSERT_EQUAL(rs_pubtab_size(0), 0);
	CU_ASSERT_PTR_NULL(rs_pubtab_init(mem, 10, 100));
	CU_ASSERT_PTR_NULL(rs_pubtab_init(NULL, 1 << 20, 100));
	CU_ASSERT_EQUAL(rs_pubtab_next(NULL, 0, 0, &cur, key, &st, &ver), 0);
	free(mem);
}

/* a node that becomes the publisher publishes every key again */
static void test_pubtab_forget(void)
{
	char key[RS_PUBTAB_KEY_MAX + 1];
	unsigned int ver;
	uint32_t cur = 0;
	int st, n;
	void *mem;
	rs_pubtab_t *t = mk(4, &mem);

	CU_ASSERT_FATAL(t != NULL);
	rs_pubtab_forget(t); /* empty: nothing due */
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 0);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 1), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "201", 3, 0), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 1000, 300, &cur, key, &st, &ver), 1);
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 1000, 300, &cur, key, &st, &ver), 1);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 0);
	rs_pubtab_forget(t);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 2);
	CU_ASSERT_EQUAL(rs_pubtab_published(t, "200", 3), RS_PUB_UNKNOWN);
	/* the gap still holds; then both go out once more, versions go on */
	CU_ASSERT_EQUAL(rs_pubtab_next(t, 1100, 300, &cur, key, &st, &ver), 0);
	for(n = 0; rs_pubtab_next(t, 1300, 300, &cur, key, &st, &ver); n++) {
		CU_ASSERT_EQUAL(ver, 2);
		CU_ASSERT_EQUAL(st, strcmp(key, "200") == 0 ? 1 : 0);
	}
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 0);
	rs_pubtab_forget(NULL);
	free(mem);
}

/* a resync: each published key once more under its other id, the old
 * one dropped; keys never published are not swapped */
static void test_pubtab_resync(void)
{
	char key[RS_PUBTAB_KEY_MAX + 1];
	unsigned int ver;
	uint32_t cur = 0;
	int st, pubid, drop, n;
	void *mem;
	rs_pubtab_t *t = mk(4, &mem);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 1), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_next_pub(
							t, 1000, 300, &cur, key, &st, &ver, &pubid, &drop),
			1);
	CU_ASSERT_EQUAL(pubid, 0);
	CU_ASSERT_EQUAL(drop, -1);
	/* 201 is wanted but not yet published when the resync comes */
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "201", 3, 0), RS_OK);
	rs_pubtab_resync(t);
	rs_pubtab_resync(t); /* twice is once */
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 2);
	for(n = 0; rs_pubtab_next_pub(
				t, 2000, 300, &cur, key, &st, &ver, &pubid, &drop);
			n++) {
		if(strcmp(key, "200") == 0) {
			CU_ASSERT_EQUAL(pubid, 1);
			CU_ASSERT_EQUAL(drop, 0);
			CU_ASSERT_EQUAL(st, 1);
			CU_ASSERT_EQUAL(ver, 2);
		} else {
			CU_ASSERT_EQUAL(pubid, 0);
			CU_ASSERT_EQUAL(drop, -1);
			CU_ASSERT_EQUAL(st, 0);
		}
	}
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 0);
	/* a change after the swap goes out under the new id, nothing dropped */
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 0), RS_OK);
	CU_ASSERT_EQUAL(rs_pubtab_next_pub(
							t, 3000, 300, &cur, key, &st, &ver, &pubid, &drop),
			1);
	CU_ASSERT_STRING_EQUAL(key, "200");
	CU_ASSERT_EQUAL(pubid, 1);
	CU_ASSERT_EQUAL(drop, -1);
	/* a resync with a change pending counts once; a takeover (forget)
	 * cancels the swap */
	CU_ASSERT_EQUAL(rs_pubtab_want(t, "200", 3, 1), RS_OK);
	rs_pubtab_resync(t);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 2);
	rs_pubtab_forget(t);
	CU_ASSERT_EQUAL(rs_pubtab_pending(t), 2);
	CU_ASSERT_EQUAL(rs_pubtab_next_pub(
							t, 4000, 300, &cur, key, &st, &ver, &pubid, &drop),
			1);
	CU_ASSERT_EQUAL(drop, -1);
	rs_pubtab_resync(NULL);
	CU_ASSERT_EQUAL(
			rs_pubtab_next_pub(t, 4000, 300, &cur, key, &st, &ver, NULL, &drop),
			0);
	free(mem);
}

int ut_register_pubtab(void)
{
	static const ut_test_t tests[] = {
			{"basic", test_pubtab_basic},
			{"limits", test_pubtab_limits},
			{"forget", test_pubtab_forget},
			{"resync", test_pubtab_resync},
			{NULL, NULL},
	};

	return ut_add_suite("pubtab", tests);
}
