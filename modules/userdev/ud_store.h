/*
 * Ringset - userdev module: the shared-memory copy of the user directory
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef _UD_STORE_H_
#define _UD_STORE_H_

#include <time.h>
#include "rs_userdir.h"

/* shm allocator hooks handed to the library */
extern const rs_alloc_t ud_shm_alloc;
extern const rs_alloc_t ud_pkg_alloc;

/* what the status RPC shows about the loader */
typedef struct ud_status
{
	time_t loaded_at;		  /* last time a new snapshot was published */
	time_t checked_at;		  /* last successful poll of the database */
	unsigned int reloads;	  /* snapshots published */
	unsigned int failures;	  /* polls that failed (database down ...) */
	unsigned int rejected;	  /* rows refused in the last build (all reasons) */
	unsigned int over_limit;  /* of which: beyond max_users/devices/followme */
	unsigned int load_errors; /* loads abandoned (memory): old copy kept */
	unsigned int load_ms;	  /* duration of the last published load */
	unsigned long long dir_bytes; /* size of the published snapshot */
	int db_ok;					  /* last poll succeeded */
	int have_counter;			  /* the change counter (rs_change) is in use */
	long long counter;			  /* its value at the last full read */
	unsigned int skipped;		  /* polls that read only the counter */
	unsigned long long digest;
	int from_file; /* the directory in use was read from snapshot_file at a
					* start without the database; cleared by a load from it */
} ud_status_t;

int ud_store_init(void);
void ud_store_destroy(void);

/* readers: take the current snapshot (NULL if none loaded yet) and give it
 * back when done; the holder may use it without any lock in between */
const rs_dir_t *ud_store_acquire(int *slot);
void ud_store_release(int slot);

/* the loader: publish a new snapshot; returns 0, or -1 when the spare slot
 * is still held by a reader of an older generation (dir is then freed) */
int ud_store_publish(rs_dir_t *dir, unsigned int rejected,
		unsigned int over_limit, unsigned int load_ms);

/* a load was abandoned (out of memory): counted, the old copy stays */
void ud_store_load_failed(void);

/* 1 when a snapshot is published and the change counter still has the
 * value it had at the last full read (that poll is then counted as
 * skipped); 0 otherwise */
int ud_store_counter_same(long long value);
/* after a full read: the counter value read before it (have = 0: there is
 * no rs_change table, every poll reads the tables) */
void ud_store_counter_set(int have, long long value);

/* serialises loaders (timer process, RPC); never taken by readers */
void ud_store_load_lock(void);
void ud_store_load_unlock(void);

/* a start without the database: the directory came from the snapshot
 * file, the database is down until a poll reaches it */
void ud_store_mark_from_file(void);

/* records the result of a poll; returns 1 when the database state changed */
int ud_store_mark_poll(int ok);
unsigned long long ud_store_digest(void);

void ud_store_status(ud_status_t *st);

#endif
