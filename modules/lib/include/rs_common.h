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
 * Common types of the Ringset library: strings, error codes, allocator
 * hooks and hashing. The library uses no Kamailio headers, does no
 * logging and keeps no mutable global state.
 */

#ifndef RS_COMMON_H
#define RS_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* same layout as Kamailio's str: not NUL-terminated unless documented */
typedef struct rs_str
{
	char *s;
	int len;
} rs_str_t;

typedef enum
{
	RS_OK = 0,
	RS_E_NOMEM = -1,	/* an allocator hook returned NULL */
	RS_E_INVAL = -2,	/* invalid argument (NULL pointer, bad value) */
	RS_E_DUP = -3,		/* duplicate key, the first one was kept */
	RS_E_NOTFOUND = -4, /* no such entry */
	RS_E_LIMIT = -5,	/* a size or count limit was exceeded */
	RS_E_BADROW = -6	/* an input row failed validation */
} rs_err_t;

/* short English text for an error code; never NULL */
const char *rs_strerror(rs_err_t e);

/*
 * Allocator hooks. Kamailio modules pass pkg/shm wrappers, tests pass
 * malloc/free or a counting allocator. free(NULL, ctx) must be harmless
 * (the library never does it, though).
 */
typedef struct rs_alloc
{
	void *(*alloc)(size_t size, void *ctx);
	void (*free)(void *p, void *ctx);
	void *ctx;
} rs_alloc_t;

/* malloc()/free() wrappers; const, so no mutable state */
extern const rs_alloc_t rs_alloc_libc;

/* 1 if both strings have the same length and bytes, else 0 */
int rs_str_eq(const rs_str_t *a, const rs_str_t *b);

/* 1 if s equals the n bytes at p, else 0 */
int rs_str_eq_buf(const rs_str_t *s, const char *p, int n);

/*
 * 1 if item is one of the names of list, exactly (same bytes, same case);
 * list separates names with commas, spaces or tabs ("a.b, c.d"). An empty
 * item is never in a list.
 */
int rs_list_has(const rs_str_t *list, const rs_str_t *item);

/*
 * 1 if f stands for an unset value in a stored record: "-", or "<null>"
 * (how Kamailio prints an unset AVP into a string), else 0
 */
int rs_str_unset(const rs_str_t *f);

/*
 * Splits the len bytes at s into fields separated by one space each; the
 * fields point into s. Returns their number (0 for an empty s), or
 * RS_E_INVAL (NULL argument) / RS_E_BADROW (more than max fields, an
 * empty field: two spaces in a row, a leading or trailing space).
 */
int rs_split_fields(const char *s, int len, rs_str_t *f, int max);

/* 1 if s holds a control character (below 0x20, or 0x7f: CR, LF, NUL, ...) */
int rs_str_has_ctl(const rs_str_t *s);

/*
 * A set of SIP header names, for dropping headers without regular
 * expressions: "Name" matches that name, "Prefix-*" every name that begins
 * with "Prefix-". Names compare ASCII case-insensitively, as SIP header
 * names do. The entries point into the spec given to rs_hfset_parse(),
 * which must outlive the set.
 */
#define RS_HFSET_MAX 16
typedef struct rs_hfset
{
	int n;
	struct
	{
		rs_str_t name; /* without the '*' of a prefix */
		int prefix;	   /* 1: matches names that begin with name */
	} e[RS_HFSET_MAX];
} rs_hfset_t;

/*
 * parse spec, a comma-separated list ("X-Ringset-*, Diversion"; spaces
 * and tabs around an entry are ignored): RS_E_INVAL for an empty entry, a
 * '*' anywhere but at the end of an entry, a bare "*", or a character
 * that is not allowed in a header name (RFC 3261 token); RS_E_LIMIT for
 * more than RS_HFSET_MAX entries. On error *bad (if not NULL) is the index
 * of the entry that failed.
 */
rs_err_t rs_hfset_parse(rs_hfset_t *set, const rs_str_t *spec, int *bad);

/* 1 if the header name of len bytes at name is in the set, else 0 */
int rs_hfset_match(const rs_hfset_t *set, const char *name, int len);

/* FNV-1a 64 bit: start with RS_HASH64_INIT and chain calls */
#define RS_HASH64_INIT 0xcbf29ce484222325ULL
uint64_t rs_hash64(uint64_t h, const void *p, size_t n);

/* bit mixer (murmur3 finaliser) for hash table slots */
uint64_t rs_hash_mix64(uint64_t h);

#endif /* RS_COMMON_H */
