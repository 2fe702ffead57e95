/*
 * Ringset - followme module: per-branch ring timers
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * Each ringing branch of a follow-me step has a deadline: its entry's ring
 * time. tm's own fr timers tick at 1/16 s and restart on provisional
 * replies, so a process of our own cancels branches at their deadline (it
 * sleeps until the earliest one, at least a tick of a few milliseconds,
 * at most half a second). When every branch of a step is cancelled,
 * tm runs the failure route, which starts the next step.
 *
 * Entries live in a shm array used as a binary min-heap on the deadline,
 * under one lock held only to push or pop.
 */

#include <time.h>
#include <unistd.h>

#include "../../core/mem/shm_mem.h"
#include "../../core/locking.h"
#include "../../core/dprint.h"
#include "../../core/cfg/cfg_struct.h"
#include "../tm/t_reply.h"

#include "fm_timer.h"

typedef struct fm_entry
{
	unsigned long long deadline;
	unsigned int hash_index;
	unsigned int label;
	int branch;
} fm_entry_t;

typedef struct fm_heap
{
	gen_lock_t lock;
	int n;
	int cap;
	fm_entry_t e[];
} fm_heap_t;

static fm_heap_t *fm_heap = NULL;

unsigned long long fm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

int fm_timer_init(int capacity)
{
	fm_heap = shm_malloc(sizeof(fm_heap_t) + capacity * sizeof(fm_entry_t));
	if(fm_heap == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	if(lock_init(&fm_heap->lock) == NULL) {
		shm_free(fm_heap);
		fm_heap = NULL;
		return -1;
	}
	fm_heap->n = 0;
	fm_heap->cap = capacity;
	return 0;
}

void fm_timer_destroy(void)
{
	if(fm_heap) {
		lock_destroy(&fm_heap->lock);
		shm_free(fm_heap);
		fm_heap = NULL;
	}
}

static void fm_swap(fm_entry_t *a, fm_entry_t *b)
{
	fm_entry_t t = *a;
	*a = *b;
	*b = t;
}

/* restores the heap order around entry i after its deadline changed */
static void fm_sift(int i)
{
	int p, l, r, m;

	while(i > 0) {
		p = (i - 1) / 2;
		if(fm_heap->e[p].deadline <= fm_heap->e[i].deadline)
			break;
		fm_swap(&fm_heap->e[p], &fm_heap->e[i]);
		i = p;
	}
	for(;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if(l < fm_heap->n && fm_heap->e[l].deadline < fm_heap->e[m].deadline)
			m = l;
		if(r < fm_heap->n && fm_heap->e[r].deadline < fm_heap->e[m].deadline)
			m = r;
		if(m == i)
			break;
		fm_swap(&fm_heap->e[m], &fm_heap->e[i]);
		i = m;
	}
}

int fm_timer_arm(unsigned int hash_index, unsigned int label, int branch,
		unsigned long long deadline_ms)
{
	int i;

	lock_get(&fm_heap->lock);
	if(fm_heap->n >= fm_heap->cap) {
		lock_release(&fm_heap->lock);
		return -1;
	}
	i = fm_heap->n++;
	fm_heap->e[i].deadline = deadline_ms;
	fm_heap->e[i].hash_index = hash_index;
	fm_heap->e[i].label = label;
	fm_heap->e[i].branch = branch;
	fm_sift(i);
	lock_release(&fm_heap->lock);
	return 0;
}

int fm_timer_postpone(unsigned int hash_index, unsigned int label, int branch,
		unsigned long long deadline_ms)
{
	int i, rc = -1;

	lock_get(&fm_heap->lock);
	for(i = 0; i < fm_heap->n; i++) {
		if(fm_heap->e[i].hash_index == hash_index
				&& fm_heap->e[i].label == label
				&& fm_heap->e[i].branch == branch) {
			if(fm_heap->e[i].deadline < deadline_ms) {
				fm_heap->e[i].deadline = deadline_ms;
				fm_sift(i);
			}
			rc = 0;
			break;
		}
	}
	lock_release(&fm_heap->lock);
	return rc;
}

/* pops the earliest entry if it is due */
static int fm_pop_due(unsigned long long now, fm_entry_t *out)
{
	lock_get(&fm_heap->lock);
	if(fm_heap->n == 0 || fm_heap->e[0].deadline > now) {
		lock_release(&fm_heap->lock);
		return 0;
	}
	*out = fm_heap->e[0];
	fm_heap->e[0] = fm_heap->e[--fm_heap->n];
	fm_sift(0);
	lock_release(&fm_heap->lock);
	return 1;
}

int fm_timer_pending(void)
{
	int n;

	lock_get(&fm_heap->lock);
	n = fm_heap->n;
	lock_release(&fm_heap->lock);
	return n;
}

static void fm_cancel(struct tm_binds *tmb, fm_entry_t *e)
{
	struct cell *t = NULL;
	struct cancel_info ci;

	if(tmb->t_lookup_ident(&t, e->hash_index, e->label) < 0 || t == NULL)
		return; /* the transaction is gone: answered or ended */
	init_cancel_info(&ci);
	/* only this branch, and only while it is still ringing */
	tmb->prepare_to_cancel(
			t, &ci.cancel_bitmap, ~((branch_bm_t)1 << e->branch));
	if(ci.cancel_bitmap) {
		LM_DBG("ring time of branch %d is up, cancelling it\n", e->branch);
		tmb->cancel_uacs(t, &ci, 0);
	}
	tmb->unref_cell(t);
	tmb->t_sett(T_UNDEFINED, T_BR_UNDEFINED);
}

/* the longest the loop sleeps; ring times are whole seconds, so a branch
 * armed while it sleeps is due at least 1 s later and is never overslept */
#define FM_MAX_SLEEP_MS 500

/* how long to sleep: until the earliest deadline (at least one tick, at
 * most FM_MAX_SLEEP_MS), so an idle process wakes twice a second instead
 * of every tick */
static int fm_sleep_ms(unsigned long long now, int tick_ms)
{
	unsigned long long d = FM_MAX_SLEEP_MS;

	lock_get(&fm_heap->lock);
	if(fm_heap->n > 0)
		d = fm_heap->e[0].deadline > now ? fm_heap->e[0].deadline - now : 0;
	lock_release(&fm_heap->lock);
	if(d < (unsigned long long)tick_ms)
		return tick_ms;
	return d > FM_MAX_SLEEP_MS ? FM_MAX_SLEEP_MS : (int)d;
}

void fm_timer_loop(struct tm_binds *tmb, int tick_ms)
{
	fm_entry_t e;
	unsigned long long now;

	for(;;) {
		usleep(fm_sleep_ms(fm_now_ms(), tick_ms) * 1000);
		cfg_update();
		now = fm_now_ms();
		while(fm_pop_due(now, &e))
			fm_cancel(tmb, &e);
	}
}
