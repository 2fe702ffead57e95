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
 * Shared declarations of the CUnit tests of the Ringset library.
 *
 * To add a suite: write test_<name>.c with a function
 * "int ut_register_<name>(void)" that calls ut_add_suite(), declare it
 * below and list it in ut_suites[] in unit_main.c. The Makefile picks up
 * every *.c file of this directory.
 */

#ifndef RS_UNIT_H
#define RS_UNIT_H

#include <stddef.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "rs_common.h"

/* suite registration functions: return 0 on success */
int ut_register_common(void);
int ut_register_userdir(void);
int ut_register_plan(void);
int ut_register_pin(void);
int ut_register_lockout(void);
int ut_register_prov(void);
int ut_register_dlginfo(void);
int ut_register_pubtab(void);
int ut_register_lockmsg(void);
int ut_register_rec(void);
int ut_register_groups(void);
int ut_register_media(void);
int ut_register_b2bua(void);
int ut_register_lease(void);
int ut_register_fmcall(void);
int ut_register_snap(void);
int ut_register_cols(void);
int ut_register_reply(void);
int ut_register_dlgdev(void);
int ut_register_contact(void);
int ut_register_sql(void);

/* one entry of a suite's test table; the table ends with {NULL, NULL} */
typedef struct ut_test
{
	const char *name;
	CU_TestFunc fn;
} ut_test_t;

/* register a suite named name with the tests of the table; 0 on success */
int ut_add_suite(const char *name, const ut_test_t *tests);

/*
 * Counting allocator for rs_alloc_t hooks. Allocation number fail_after
 * (counting from 0) and every later one return NULL; -1 never fails.
 */
typedef struct ut_alloc
{
	long nalloc;	  /* successful allocations */
	long nfree;		  /* calls of free */
	long nfail;		  /* refused allocations */
	long fail_after;  /* see above */
	size_t last_size; /* size of the last successful allocation */
} ut_alloc_t;

/* reset st and point a's hooks at it */
void ut_alloc_init(ut_alloc_t *st, rs_alloc_t *a, long fail_after);

/* allocations not freed yet */
long ut_alloc_live(const ut_alloc_t *st);

/* rs_str_t over a string literal; keeps embedded NUL bytes */
#define UT_L(lit)                           \
	{                                       \
		(char *)(lit), (int)sizeof(lit) - 1 \
	}

/* rs_str_t over a C string (NULL gives {NULL, 0}) */
static inline rs_str_t ut_s(const char *c)
{
	rs_str_t s;

	s.s = (char *)c;
	s.len = c ? (int)strlen(c) : 0;
	return s;
}

#endif /* RS_UNIT_H */
