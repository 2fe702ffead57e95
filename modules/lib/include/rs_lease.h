/*
 * Ringset - a lease held in the database: one node does a job at a time
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * The node side of a lease (README "Several nodes": the single publisher of the
 * forkm<ext> states). The database settles who holds it: one statement
 * takes the row when it is free or expired, or renews it for its holder.
 * This file only keeps what the node concluded: when to try next (every
 * ttl/3), whether it holds the lease now, and what changed. A node that
 * cannot reach the database keeps the lease until the time it was renewed
 * for, then lets go: by then another node may have taken it. Time is
 * passed in (ms, any monotonic epoch). No allocation, no global state.
 */

#ifndef RS_LEASE_H
#define RS_LEASE_H

#include <stdint.h>

#include "rs_common.h"

#define RS_LEASE_HOLDER_MAX 64 /* bytes of a holder name */
#define RS_LEASE_TTL_MIN 300   /* ms */

typedef struct rs_lease
{
	int ttl_ms;
	int held;		  /* 1 while this node holds the lease */
	int64_t until_ms; /* held: the end of the last renewal */
	int64_t next_ms;  /* the next try to take or renew it */
} rs_lease_t;

/* what one try, or the passing of time, changed */
typedef enum
{
	RS_LEASE_SAME = 0,	/* held before and after, or not held either time */
	RS_LEASE_TAKEN = 1, /* this node holds it now and did not before */
	RS_LEASE_LOST = 2	/* this node held it and does not any more */
} rs_lease_change_t;

/* an idle lease (not held, first try due at once); RS_E_INVAL for a NULL
 * lease or ttl_ms below RS_LEASE_TTL_MIN */
rs_err_t rs_lease_init(rs_lease_t *l, int ttl_ms);

/* 1 when a try (take or renew) is due at now */
int rs_lease_due(const rs_lease_t *l, int64_t now);

/*
 * The outcome of a try made at now: 1 the database says this node holds the
 * lease (taken or renewed, for ttl_ms from now), 0 another node holds it,
 * -1 the database could not be asked (a holder keeps it until until_ms).
 * Schedules the next try.
 */
rs_lease_change_t rs_lease_result(rs_lease_t *l, int outcome, int64_t now);

/* whether this node holds the lease at now; *change (may be NULL) says
 * RS_LEASE_LOST when a lease not renewed in time ran out just now */
int rs_lease_held(rs_lease_t *l, int64_t now, rs_lease_change_t *change);

/* 1 if name (len bytes) may name a holder: 1..RS_LEASE_HOLDER_MAX of
 * A-Z a-z 0-9 . : _ @ - (so it can stand in an SQL literal unquoted) */
int rs_lease_holder_ok(const char *name, int len);

#endif /* RS_LEASE_H */
