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
 * Publication table: for every key (an extension) the state that should be
 * published and the state that was, so that a single publisher sends each
 * change once, in order, and never two publications of one key closer than
 * a minimum gap (the first PUBLISH of a key must be answered before the
 * next one can carry its entity tag).
 *
 * The table lives in caller-provided memory (Kamailio shared memory), holds
 * no pointers and is not locked: the caller serialises access. Keys are
 * never removed; capacity is fixed at init.
 */

#ifndef RS_PUBTAB_H
#define RS_PUBTAB_H

#include <stddef.h>
#include <stdint.h>

#include "rs_common.h"

#define RS_PUBTAB_KEY_MAX 40 /* "forkm", "cfwd" or "dnd" and an extension */
#define RS_PUB_UNKNOWN (-1)	 /* nothing published / wanted yet */

typedef struct rs_pubtab rs_pubtab_t;

/* bytes needed for a table of at most n keys (n >= 1) */
size_t rs_pubtab_size(uint32_t n);

/* set up a table of at most n keys in mem (size bytes); NULL if too small */
rs_pubtab_t *rs_pubtab_init(void *mem, size_t size, uint32_t n);

/*
 * Want state (0/1) for key. RS_OK; RS_E_LIMIT when the table is full;
 * RS_E_INVAL for a bad key (empty, longer than RS_PUBTAB_KEY_MAX) or state.
 */
rs_err_t rs_pubtab_want(rs_pubtab_t *t, const char *key, int len, int state);

/* the state last handed out by rs_pubtab_next() for key, or RS_PUB_UNKNOWN */
int rs_pubtab_published(const rs_pubtab_t *t, const char *key, int len);

/*
 * The next publication due at now_ms: a key whose wanted state differs
 * from the published one and whose last publication is at least gap_ms
 * old. Copies the key (NUL-terminated) to key (RS_PUBTAB_KEY_MAX + 1
 * bytes), the state to *state and a version (1, 2, ... per key) to
 * *version, and marks it published at now_ms. Returns 1, or 0 when
 * nothing is due. *cursor (start with 0) makes successive calls go round
 * the table fairly.
 */
int rs_pubtab_next(rs_pubtab_t *t, uint64_t now_ms, uint64_t gap_ms,
		uint32_t *cursor, char *key, int *state, unsigned int *version);

/*
 * The same, for a publisher that keeps two publications per key (ids 0 and
 * 1) so that it can replace one by a new one (rs_pubtab_resync): *pubid is
 * the publication to send, *drop the one to remove after it (-1: none).
 */
int rs_pubtab_next_pub(rs_pubtab_t *t, uint64_t now_ms, uint64_t gap_ms,
		uint32_t *cursor, char *key, int *state, unsigned int *version,
		int *pubid, int *drop);

/*
 * Every key published so far is due once more, as a new publication under
 * its other id, and the one in use is to be dropped (a node that has just
 * started cannot take the states other nodes hold: Kamailio 5.6 presence
 * has no DMQ full sync, so it is sent new ones).
 */
void rs_pubtab_resync(rs_pubtab_t *t);

/*
 * Forget what was published: every key's wanted state is due again (a node
 * that has just become the publisher, after another node published them).
 * Versions go on counting.
 */
void rs_pubtab_forget(rs_pubtab_t *t);

/* keys in the table; keys whose wanted state is not published yet */
uint32_t rs_pubtab_count(const rs_pubtab_t *t);
uint32_t rs_pubtab_pending(const rs_pubtab_t *t);

#endif /* RS_PUBTAB_H */
