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

/* RFC 4733 telephone events: codes, payloads, a receiver without repeats */

#include <string.h>

#include "rm_tev.h"

static const char rm_tev_keys[] = "0123456789*#ABCD";

int rm_tev_code(char key)
{
	const char *p;

	if(!key)
		return -1;
	p = strchr(rm_tev_keys, key);
	return p ? (int)(p - rm_tev_keys) : -1;
}

char rm_tev_key(int code)
{
	return code >= 0 && code < 16 ? rm_tev_keys[code] : 0;
}

void rm_tev_payload(uint8_t out[4], int code, bool end, unsigned duration)
{
	if(duration > 0xffff)
		duration = 0xffff;
	out[0] = (uint8_t)code;
	out[1] = (uint8_t)((end ? 0x80 : 0) | 10);
	out[2] = (uint8_t)(duration >> 8);
	out[3] = (uint8_t)(duration & 0xff);
}

void rm_tev_rx_init(rm_tev_rx_t *r)
{
	memset(r, 0, sizeof(*r));
}

char rm_tev_rx_packet(rm_tev_rx_t *r, uint32_t ts, const uint8_t *pl, size_t len)
{
	unsigned i;
	char key;

	if(!pl || len < 4)
		return 0;
	key = rm_tev_key(pl[0]);
	if(!key)
		return 0;
	for(i = 0; i < r->n; i++)
		if(r->seen[i].ts == ts && r->seen[i].code == pl[0])
			return 0;
	r->seen[r->next].ts = ts;
	r->seen[r->next].code = pl[0];
	r->next = (r->next + 1) % RM_TEV_SEEN;
	if(r->n < RM_TEV_SEEN)
		r->n++;
	return key;
}

void rm_tev_tx_init(rm_tev_tx_t *t)
{
	memset(t, 0, sizeof(*t));
	t->code = -1;
}

bool rm_tev_tx_key(rm_tev_tx_t *t, char key)
{
	if(rm_tev_code(key) < 0 || t->n >= RM_TEV_QUEUE)
		return false;
	t->q[(t->head + t->n) % RM_TEV_QUEUE] = key;
	t->n++;
	return true;
}

bool rm_tev_tx_busy(const rm_tev_tx_t *t)
{
	return t->code >= 0 || t->n > 0;
}

/* a after b in RTP's modulo-2^32 time */
static bool rm_ts_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

bool rm_tev_tx_tick(rm_tev_tx_t *t, uint32_t *clock, unsigned frame,
		uint8_t out[4], bool *marker, uint32_t *ts)
{
	if(t->code < 0) {
		if(t->pause) { /* a frame of pause between two keys */
			t->pause = false;
			return false;
		}
		if(t->n == 0)
			return false;
		t->code = rm_tev_code(t->q[t->head]);
		t->head = (t->head + 1) % RM_TEV_QUEUE;
		t->n--;
		t->pkt = 0;
		t->ts = *clock;
		if(t->have_end && !rm_ts_after(t->ts, t->end))
			t->ts = t->end + frame;
		if(rm_ts_after(t->ts, *clock))
			*clock = t->ts;
	}
	if(t->pkt < RM_TEV_UPDATES)
		rm_tev_payload(out, t->code, false, (t->pkt + 1) * frame);
	else
		rm_tev_payload(out, t->code, true, RM_TEV_UPDATES * frame);
	*marker = t->pkt == 0;
	*ts = t->ts;
	if(++t->pkt >= RM_TEV_UPDATES + RM_TEV_ENDS) {
		t->code = -1;
		t->end = t->ts + RM_TEV_UPDATES * frame;
		t->have_end = true;
		t->pause = true;
		if(rm_ts_after(t->end, *clock))
			*clock = t->end;
	}
	return true;
}
