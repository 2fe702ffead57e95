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

/*
 * Two slots in shm, as dialplan and dispatcher do, plus a reference count per
 * slot so that a snapshot is never freed under a reader: readers take the
 * lock only to pick the current slot and bump its count (a few instructions),
 * the loader builds the new snapshot with no lock held and takes the lock
 * again only to swap. No database I/O ever happens under the lock.
 */

#include <string.h>

#include "../../core/mem/shm_mem.h"
#include "../../core/mem/mem.h"
#include "../../core/locking.h"
#include "../../core/dprint.h"

#include "ud_store.h"

typedef struct ud_shared
{
	gen_lock_t lock;	  /* guards cur, refs, dir, status */
	gen_lock_t load_lock; /* one loader at a time */
	int cur;			  /* published slot, -1 before the first load */
	int refs[2];
	rs_dir_t *dir[2];
	ud_status_t status;
} ud_shared_t;

static ud_shared_t *ud_sh = NULL;

static void *ud_shm_malloc(size_t size, void *ctx)
{
	return shm_malloc(size);
}

static void ud_shm_free(void *p, void *ctx)
{
	shm_free(p);
}

static void *ud_pkg_malloc(size_t size, void *ctx)
{
	return pkg_malloc(size);
}

static void ud_pkg_free(void *p, void *ctx)
{
	pkg_free(p);
}

const rs_alloc_t ud_shm_alloc = {ud_shm_malloc, ud_shm_free, NULL};
const rs_alloc_t ud_pkg_alloc = {ud_pkg_malloc, ud_pkg_free, NULL};

int ud_store_init(void)
{
	ud_sh = shm_mallocxz(sizeof(ud_shared_t));
	if(ud_sh == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	if(lock_init(&ud_sh->lock) == NULL
			|| lock_init(&ud_sh->load_lock) == NULL) {
		LM_ERR("cannot init the directory locks\n");
		shm_free(ud_sh);
		ud_sh = NULL;
		return -1;
	}
	ud_sh->cur = -1;
	return 0;
}

void ud_store_destroy(void)
{
	int i;

	if(ud_sh == NULL)
		return;
	for(i = 0; i < 2; i++) {
		if(ud_sh->dir[i])
			rs_dir_free(ud_sh->dir[i], &ud_shm_alloc);
	}
	lock_destroy(&ud_sh->lock);
	lock_destroy(&ud_sh->load_lock);
	shm_free(ud_sh);
	ud_sh = NULL;
}

const rs_dir_t *ud_store_acquire(int *slot)
{
	const rs_dir_t *d = NULL;

	*slot = -1;
	if(ud_sh == NULL)
		return NULL;
	lock_get(&ud_sh->lock);
	if(ud_sh->cur >= 0) {
		*slot = ud_sh->cur;
		ud_sh->refs[*slot]++;
		d = ud_sh->dir[*slot];
	}
	lock_release(&ud_sh->lock);
	return d;
}

void ud_store_release(int slot)
{
	if(slot < 0 || ud_sh == NULL)
		return;
	lock_get(&ud_sh->lock);
	ud_sh->refs[slot]--;
	lock_release(&ud_sh->lock);
}

int ud_store_publish(rs_dir_t *dir, unsigned int rejected,
		unsigned int over_limit, unsigned int load_ms)
{
	rs_dir_t *old = NULL;
	int spare, ret = 0;

	lock_get(&ud_sh->lock);
	spare = (ud_sh->cur == 0) ? 1 : 0;
	if(ud_sh->refs[spare] > 0) {
		ret = -1;
	} else {
		old = ud_sh->dir[spare];
		ud_sh->dir[spare] = dir;
		ud_sh->cur = spare;
		ud_sh->status.reloads++;
		ud_sh->status.rejected = rejected;
		ud_sh->status.over_limit = over_limit;
		ud_sh->status.load_ms = load_ms;
		ud_sh->status.dir_bytes = rs_dir_size(dir);
		ud_sh->status.loaded_at = time(NULL);
		ud_sh->status.digest = rs_dir_digest(dir);
	}
	lock_release(&ud_sh->lock);

	if(ret < 0)
		old = dir; /* not published: the caller retries on the next poll */
	if(old)
		rs_dir_free(old, &ud_shm_alloc);
	return ret;
}

void ud_store_load_failed(void)
{
	lock_get(&ud_sh->lock);
	ud_sh->status.load_errors++;
	lock_release(&ud_sh->lock);
}

int ud_store_counter_same(long long value)
{
	int same;

	lock_get(&ud_sh->lock);
	same = ud_sh->status.have_counter && ud_sh->status.counter == value
		   && ud_sh->cur >= 0;
	if(same)
		ud_sh->status.skipped++;
	lock_release(&ud_sh->lock);
	return same;
}

void ud_store_counter_set(int have, long long value)
{
	lock_get(&ud_sh->lock);
	ud_sh->status.have_counter = have;
	ud_sh->status.counter = value;
	lock_release(&ud_sh->lock);
}

void ud_store_load_lock(void)
{
	lock_get(&ud_sh->load_lock);
}

void ud_store_load_unlock(void)
{
	lock_release(&ud_sh->load_lock);
}

void ud_store_mark_from_file(void)
{
	lock_get(&ud_sh->lock);
	ud_sh->status.db_ok = 0;
	ud_sh->status.from_file = 1;
	lock_release(&ud_sh->lock);
}

int ud_store_mark_poll(int ok)
{
	int changed;

	lock_get(&ud_sh->lock);
	changed = (ud_sh->status.db_ok != ok)
			  && (ud_sh->status.checked_at != 0 || ud_sh->status.from_file);
	ud_sh->status.db_ok = ok;
	if(ok) {
		ud_sh->status.checked_at = time(NULL);
		ud_sh->status.from_file = 0;
	}
	else
		ud_sh->status.failures++;
	lock_release(&ud_sh->lock);
	return changed;
}

unsigned long long ud_store_digest(void)
{
	unsigned long long d;

	lock_get(&ud_sh->lock);
	d = (ud_sh->cur >= 0) ? ud_sh->status.digest : 0;
	lock_release(&ud_sh->lock);
	return d;
}

void ud_store_status(ud_status_t *st)
{
	lock_get(&ud_sh->lock);
	*st = ud_sh->status;
	lock_release(&ud_sh->lock);
}
