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

/* helpers shared by the unit test suites */

#include <stdlib.h>

#include "unit.h"

int ut_add_suite(const char *name, const ut_test_t *tests)
{
	CU_pSuite s;

	s = CU_add_suite(name, NULL, NULL);
	if(s == NULL)
		return -1;
	for(; tests->name != NULL; tests++)
		if(CU_add_test(s, tests->name, tests->fn) == NULL)
			return -1;
	return 0;
}

static void *ut_alloc_fn(size_t size, void *ctx)
{
	ut_alloc_t *st = ctx;
	void *p;

	if(st->fail_after >= 0 && st->nalloc >= st->fail_after) {
		st->nfail++;
		return NULL;
	}
	p = malloc(size ? size : 1);
	if(p == NULL) {
		st->nfail++;
		return NULL;
	}
	st->nalloc++;
	st->last_size = size;
	return p;
}

static void ut_free_fn(void *p, void *ctx)
{
	ut_alloc_t *st = ctx;

	st->nfree++;
	free(p);
}

void ut_alloc_init(ut_alloc_t *st, rs_alloc_t *a, long fail_after)
{
	memset(st, 0, sizeof(*st));
	st->fail_after = fail_after;
	a->alloc = ut_alloc_fn;
	a->free = ut_free_fn;
	a->ctx = st;
}

long ut_alloc_live(const ut_alloc_t *st)
{
	return st->nalloc - st->nfree;
}
