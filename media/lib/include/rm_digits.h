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
 * Digit collection (PIN entry): digits until '#', or until a timeout after
 * the last digit (another, usually longer, before the first); '*' starts
 * the entry again. Time is passed in (ms), nothing is global.
 */

#ifndef RM_DIGITS_H
#define RM_DIGITS_H

#include <stdint.h>

#define RM_DIGITS_MAX 16

typedef enum
{
	RM_D_MORE = 0,	   /* keep collecting */
	RM_D_DONE = 1,	   /* an entry is complete ('#' or inter-digit timeout) */
	RM_D_TIMEOUT = 2,  /* nothing was entered in time */
	RM_D_OVERFLOW = 3, /* more than max digits: the entry is refused */
	RM_D_IDLE = 4	   /* not collecting */
} rm_dres_t;

typedef struct rm_digits
{
	char buf[RM_DIGITS_MAX + 1];
	int len;
	int max;
	int first_ms, inter_ms;
	uint64_t deadline;
	int active;
} rm_digits_t;

/* starts an entry at now: first_ms for the first digit, inter_ms after */
void rm_digits_start(
		rm_digits_t *d, uint64_t now, int first_ms, int inter_ms, int max);
void rm_digits_stop(rm_digits_t *d);
/* one key: 0-9, '*', '#' (others are ignored) */
rm_dres_t rm_digits_feed(rm_digits_t *d, char key, uint64_t now);
/* the timeouts; call at or after rm_digits_deadline() */
rm_dres_t rm_digits_poll(rm_digits_t *d, uint64_t now);
/* when rm_digits_poll() has to be called next (0: not collecting) */
uint64_t rm_digits_deadline(const rm_digits_t *d);
/* the digits of a completed entry, NUL-terminated */
const char *rm_digits_value(const rm_digits_t *d);

#endif /* RM_DIGITS_H */
