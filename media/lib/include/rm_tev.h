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
 * RFC 4733 telephone events (DTMF keys in RTP): the key of an event code
 * and back, the 4-byte payload, and a receiver that reports each key once.
 *
 * All packets of one event carry the timestamp of its start (RFC 4733
 * 2.5.1.2: a new event has a new timestamp); the receiver reports a key at
 * the first packet of an event it has not seen, whichever that is (start,
 * update or end: the start may be lost), and ignores every other packet of
 * that event, also when a relay reordered them (an end before an update,
 * a retransmitted end after the next key began).
 */

#ifndef RM_TEV_H
#define RM_TEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the event code of a key 0-9 * # A-D, -1 for anything else */
int rm_tev_code(char key);
/* the key of an event code 0-15, 0 for anything else */
char rm_tev_key(int code);

/* the payload of one packet: code, end bit, volume -10 dBm0, duration in
 * timestamp units (capped at 65535) */
void rm_tev_payload(uint8_t out[4], int code, bool end, unsigned duration);

#define RM_TEV_SEEN 8

typedef struct rm_tev_rx
{
	struct
	{
		uint32_t ts;
		uint8_t code;
	} seen[RM_TEV_SEEN]; /* the latest events, a ring */
	unsigned n, next;
} rm_tev_rx_t;

void rm_tev_rx_init(rm_tev_rx_t *r);
/* a packet of payload pl (len bytes) with RTP timestamp ts: the key it
 * begins, 0 when it belongs to an event already reported or is malformed */
char rm_tev_rx_packet(rm_tev_rx_t *r, uint32_t ts, const uint8_t *pl, size_t len);

/*
 * The sender: keys queued, each sent as an event paced one packet a frame
 * (the leg's 20 ms tick): RM_TEV_UPDATES packets of growing duration, the
 * first with the marker bit, then RM_TEV_ENDS copies of its end, then one
 * frame of pause before the next key. An event's timestamp is the leg's
 * clock at its start, never before the end of the previous event, so two
 * equal keys are two events even on a leg that sends no audio.
 */
#define RM_TEV_UPDATES 3
#define RM_TEV_ENDS 3
#define RM_TEV_QUEUE 32

typedef struct rm_tev_tx
{
	char q[RM_TEV_QUEUE]; /* keys waiting, a ring */
	unsigned head, n;
	int code;	  /* the event being sent, -1 none */
	unsigned pkt; /* packets of it sent */
	uint32_t ts;  /* its timestamp */
	uint32_t end; /* where the last event ended */
	bool have_end, pause;
} rm_tev_tx_t;

void rm_tev_tx_init(rm_tev_tx_t *t);
/* queues a key: false if it is no key or the queue is full */
bool rm_tev_tx_key(rm_tev_tx_t *t, char key);
/* true while keys are queued or one is being sent */
bool rm_tev_tx_busy(const rm_tev_tx_t *t);
/*
 * One tick of frame timestamp units. *clock is the leg's RTP clock (moved
 * on past an event that outlasted the leg's audio). Returns true with the
 * packet to send (payload, marker, timestamp) or false for none this tick.
 */
bool rm_tev_tx_tick(rm_tev_tx_t *t, uint32_t *clock, unsigned frame,
		uint8_t out[4], bool *marker, uint32_t *ts);

#endif /* RM_TEV_H */
