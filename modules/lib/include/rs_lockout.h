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

/*
 * Wrong-PIN lockout bookkeeping (README "Hot desking"): after
 * max_failures failures for one key within window seconds, the key is
 * locked for lock_seconds; every try is refused while it is locked, and
 * its failures are forgotten when the lock ends. Keys are short strings
 * chosen by the caller ("ext:200", "term:hotdesk-0004f2a1b2c3").
 *
 * The table lives in memory the caller provides (shared memory in the
 * module, which also does the locking), has a fixed number of slots and
 * is searched linearly: it holds keys with recent failures only, so it
 * stays small. Time is passed in (seconds, any epoch). No allocation,
 * no global state.
 */

#ifndef RS_LOCKOUT_H
#define RS_LOCKOUT_H

#include <stddef.h>
#include <stdint.h>

#include "rs_common.h"

#define RS_LOCKOUT_KEY_MAX 80	/* bytes of a key */
#define RS_LOCKOUT_FAILS_MAX 16 /* upper bound of max_failures */

typedef struct rs_lockout_cfg
{
	int max_failures; /* 1..RS_LOCKOUT_FAILS_MAX, e.g. 5 */
	int window;		  /* seconds, >= 1, e.g. 900 */
	int lock_seconds; /* seconds, >= 1, e.g. 900 */
} rs_lockout_cfg_t;

typedef struct rs_lockout rs_lockout_t;

/* bytes of memory a table of nslots slots needs */
size_t rs_lockout_size(int nslots);

/*
 * Lay out an empty table in mem (size bytes, suitably aligned: from
 * malloc or shm_malloc). RS_E_INVAL for a bad cfg, nslots < 1 or a size
 * below rs_lockout_size(nslots).
 */
rs_err_t rs_lockout_init(void *mem, size_t size, int nslots,
		const rs_lockout_cfg_t *cfg, rs_lockout_t **out);

/* seconds key stays locked at now (>= 1), or 0 when it is not locked */
int rs_lockout_locked(rs_lockout_t *lo, const rs_str_t *key, int64_t now);

/*
 * Record a failure of key at now. Returns the failures of key within the
 * window (counting this one; max_failures means the key is now locked),
 * RS_E_INVAL for a NULL or empty key or one longer than
 * RS_LOCKOUT_KEY_MAX, or RS_E_LIMIT when key has no slot and every slot
 * holds a key with failures in the window or a lock (nothing recorded:
 * the caller must then refuse the try, the table fails closed). While a
 * key is locked, failures are not counted and the lock is not extended;
 * the result is then max_failures. Slots of keys without a failure in the
 * window and without a lock are reused; others are never taken over.
 */
int rs_lockout_fail(rs_lockout_t *lo, const rs_str_t *key, int64_t now);

/* forget key's failures and lock (a successful login) */
void rs_lockout_clear(rs_lockout_t *lo, const rs_str_t *key);

/* failures of key within the window at now (0 if unknown) */
int rs_lockout_failures(rs_lockout_t *lo, const rs_str_t *key, int64_t now);

/* slots in use at now (keys with failures in the window or a lock) */
int rs_lockout_used(rs_lockout_t *lo, int64_t now);

/*
 * The state of one key as another node needs it (a node that starts takes
 * the table of a running one, README "Several nodes"): times as ages, so the two
 * clocks need not agree on an epoch.
 */
typedef struct rs_lockout_entry
{
	char key[RS_LOCKOUT_KEY_MAX];
	int keylen;
	int nfail;						/* failures in the window */
	int age[RS_LOCKOUT_FAILS_MAX]; /* seconds since each, oldest first */
	int locked_for;					/* seconds the lock still runs, 0: none */
} rs_lockout_entry_t;

/* the next key in use at now, from slot *cursor on (start with 0): 1 with
 * *e filled and *cursor moved past it, 0 when there is no more */
int rs_lockout_next(
		rs_lockout_t *lo, int *cursor, int64_t now, rs_lockout_entry_t *e);

/*
 * Take e (from another node) at now, failing closed: the failures of the
 * key become e's when e has more of them in the window, and a lock runs
 * until the later of the two ends (never beyond lock_seconds from now).
 * Ages are clamped to the window, the count to max_failures (reaching it
 * locks, as here). RS_OK; RS_E_INVAL for a bad key or entry; RS_E_LIMIT
 * when the key has no slot and none is free (nothing recorded).
 */
rs_err_t rs_lockout_merge(
		rs_lockout_t *lo, const rs_lockout_entry_t *e, int64_t now);

#endif /* RS_LOCKOUT_H */
