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

#ifndef _FM_TIMER_H_
#define _FM_TIMER_H_

#include "../tm/tm_load.h"

int fm_timer_init(int capacity);
void fm_timer_destroy(void);

/* cancel branch `branch` of transaction (hash_index, label) at deadline
 * (milliseconds of CLOCK_MONOTONIC); -1 when the table is full */
int fm_timer_arm(unsigned int hash_index, unsigned int label, int branch,
		unsigned long long deadline_ms);

/* moves the deadline of a branch that is armed to deadline_ms (never
 * earlier); -1 if the branch has no deadline (any more) */
int fm_timer_postpone(unsigned int hash_index, unsigned int label, int branch,
		unsigned long long deadline_ms);

unsigned long long fm_now_ms(void);

/* the body of the timer process: never returns */
void fm_timer_loop(struct tm_binds *tmb, int tick_ms);

/* entries waiting, for the RPC */
int fm_timer_pending(void);

#endif
