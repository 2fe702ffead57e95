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

/* digit collector: '#' ends, '*' restarts, timeouts end or give up */

#include <string.h>

#include "rm_digits.h"

void rm_digits_start(
		rm_digits_t *d, uint64_t now, int first_ms, int inter_ms, int max)
{
	memset(d, 0, sizeof(*d));
	d->max = max > 0 && max <= RM_DIGITS_MAX ? max : RM_DIGITS_MAX;
	d->first_ms = first_ms;
	d->inter_ms = inter_ms;
	d->deadline = now + (uint64_t)first_ms;
	d->active = 1;
}

void rm_digits_stop(rm_digits_t *d)
{
	d->active = 0;
	d->deadline = 0;
}

rm_dres_t rm_digits_feed(rm_digits_t *d, char key, uint64_t now)
{
	if(!d->active)
		return RM_D_IDLE;
	if(key == '#') {
		if(d->len == 0)
			return RM_D_MORE; /* '#' alone ends nothing */
		d->active = 0;
		d->deadline = 0;
		return RM_D_DONE;
	}
	if(key == '*') {
		d->len = 0;
		d->buf[0] = '\0';
		d->deadline = now + (uint64_t)d->first_ms;
		return RM_D_MORE;
	}
	if(key < '0' || key > '9')
		return RM_D_MORE;
	if(d->len >= d->max) {
		d->active = 0;
		d->deadline = 0;
		return RM_D_OVERFLOW;
	}
	d->buf[d->len++] = key;
	d->buf[d->len] = '\0';
	d->deadline = now + (uint64_t)d->inter_ms;
	return RM_D_MORE;
}

rm_dres_t rm_digits_poll(rm_digits_t *d, uint64_t now)
{
	if(!d->active)
		return RM_D_IDLE;
	if(now < d->deadline)
		return RM_D_MORE;
	d->active = 0;
	d->deadline = 0;
	return d->len > 0 ? RM_D_DONE : RM_D_TIMEOUT;
}

uint64_t rm_digits_deadline(const rm_digits_t *d)
{
	return d->active ? d->deadline : 0;
}

const char *rm_digits_value(const rm_digits_t *d)
{
	return d->buf;
}
