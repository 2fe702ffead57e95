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
 * A call leg owns its RTP socket, its codec (G.711 mu-law or A-law), its
 * RFC 4733 and in-band DTMF decoders and what it plays; a bridge joins
 * two legs. One ticker paces the RTP of every leg at 20 ms, scheduled on
 * absolute times, so the pacing does not drift with the load.
 */

#include <string.h>

#include "rm_daemon.h"
#include "rm_proto.h"

#define RM_TEV_PT 101

static void rm_leg_destructor(void *arg)
{
	struct rm_leg *leg = arg;

	list_unlink(&leg->le);
	if(leg->bridge && leg->bridge->bridge == leg)
		leg->bridge->bridge = NULL;
	mem_deref(leg->sess);
	mem_deref(leg->rtp);
	mem_deref(leg->sdp);
	mem_deref(leg->dtmf);
}

static void rm_leg_inband(char digit, void *arg)
{
	rm_leg_key(arg, digit, "in-band");
}

void rm_leg_key(struct rm_leg *leg, char key, const char *how)
{
	RM_DBG("%s: key %c (%s)\n", leg->name, key, how);
	if(leg->digith)
		leg->digith(leg, key, how);
}

void rm_leg_info(struct sip *sip, const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;
	char key;

	if(!msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay")) {
		(void)sip_reply(sip, msg, 415, "Unsupported Media Type");
		return;
	}
	key = rm_dtmf_relay_key(
			(const char *)mbuf_buf(msg->mb), mbuf_get_left(msg->mb));
	(void)sip_reply(sip, msg, 200, "OK");
	/* the reply is stateless: a retransmitted INFO comes here again, and
	 * its key must count once */
	if(leg->info_cseq && msg->cseq.num <= leg->info_cseq)
		return;
	leg->info_cseq = msg->cseq.num;
	if(key)
		rm_leg_key(leg, key, "info");
}

static void rm_leg_rtp_recv(const struct sa *src, const struct rtp_header *hdr,
		struct mbuf *mb, void *arg)
{
	struct rm_leg *leg = arg;
	int16_t pcm[2 * RM_FRAME];
	size_t n;

	if(!leg->have_raddr || !sa_cmp(src, &leg->raddr, SA_ALL)) {
		/* only from where the SDP said: anything else is dropped */
		rm.n_bad_rtp_src++;
		return;
	}
	leg->rx_pkts++;
	if(hdr->pt == leg->tev_pt) {
		char key = rm_tev_rx_packet(
				&leg->tev, hdr->ts, mbuf_buf(mb), mbuf_get_left(mb));
		if(key)
			rm_leg_key(leg, key, "rfc4733");
		return;
	}
	if(hdr->pt != leg->pt)
		return;
	n = mbuf_get_left(mb);
	if(n > 2 * RM_FRAME)
		n = 2 * RM_FRAME;
	rm_g711_decode(leg->codec, mbuf_buf(mb), pcm, n);
	if(leg->dtmf)
		dtmf_dec_probe(leg->dtmf, pcm, n);
	if(leg->audioh) {
		leg->fill_samples += n;
		leg->audioh(leg, pcm, n);
	}
	if(leg->bridge && leg->bridge->have_raddr && !leg->bridge->playing) {
		struct rm_leg *b = leg->bridge;
		struct mbuf *out = mbuf_alloc(RTP_HEADER_SIZE + n);

		if(!out)
			return;
		out->pos = RTP_HEADER_SIZE;
		out->end = RTP_HEADER_SIZE + n;
		rm_g711_encode(b->codec, pcm, out->buf + RTP_HEADER_SIZE, n);
		if(!rtp_send(b->rtp, &b->raddr, false, b->marker, (uint8_t)b->pt, b->ts,
				   out))
			b->tx_pkts++;
		b->marker = false;
		b->ts += (uint32_t)n;
		mem_deref(out);
	}
}

int rm_leg_alloc(struct rm_leg **legp, void *owner, const char *name)
{
	struct rm_leg *leg;
	struct sa ip;
	int err;

	leg = mem_zalloc(sizeof(*leg), rm_leg_destructor);
	if(!leg)
		return ENOMEM;
	leg->owner = owner;
	leg->name = name;
	leg->ts = rand_u32();
	leg->marker = true;
	sa_cpy(&ip, &rm.cfg.sip_addr);
	sa_set_port(&ip, 0);
	err = rtp_listen(&leg->rtp, IPPROTO_UDP, &ip, rm.cfg.rtp_min,
			rm.cfg.rtp_max, false, rm_leg_rtp_recv, NULL, leg);
	if(err)
		goto out;
	err = sdp_session_alloc(&leg->sdp, &ip);
	if(err)
		goto out;
	err = sdp_media_add(&leg->sdpm, leg->sdp, "audio",
			sa_port(rtp_local(leg->rtp)), "RTP/AVP");
	if(err)
		goto out;
	err = sdp_format_add(NULL, leg->sdpm, false, "0", "PCMU", 8000, 1, NULL,
			NULL, NULL, false, NULL);
	err |= sdp_format_add(NULL, leg->sdpm, false, "8", "PCMA", 8000, 1, NULL,
			NULL, NULL, false, NULL);
	err |= sdp_format_add(NULL, leg->sdpm, false, "101", "telephone-event",
			8000, 1, NULL, NULL, NULL, false, "0-15");
	if(err)
		goto out;
	rm_tev_rx_init(&leg->tev);
	rm_tev_tx_init(&leg->tevtx);
	err = dtmf_dec_alloc(&leg->dtmf, 8000, 1, rm_leg_inband, leg);
	if(err)
		goto out;
	list_append(&rm.legs, &leg->le, leg);
out:
	if(err)
		mem_deref(leg);
	else
		*legp = leg;
	return err;
}

int rm_leg_incoming(struct rm_leg **legp, void *owner, const char *name,
		const struct sip_msg *msg, bool late_ok, rm_leg_digit_h *digith,
		rm_leg_done_h *doneh, rm_leg_audio_h *audioh)
{
	struct rm_leg *leg = NULL;
	bool late = late_ok && !mbuf_get_left(msg->mb);
	int err;

	*legp = NULL;
	if(!late
			&& (!mbuf_get_left(msg->mb)
					|| !msg_ctype_cmp(&msg->ctyp, "application", "sdp"))) {
		rm_refuse(msg, 488, "Not Acceptable Here (no SDP offer)");
		return -1;
	}
	err = rm_leg_alloc(&leg, owner, name);
	if(err) {
		RM_ERR("%r: no RTP port: %s\n", &msg->callid, strerror(err));
		rm_refuse(msg, 503, "No media port");
		return -1;
	}
	leg->digith = digith;
	leg->doneh = doneh;
	leg->audioh = audioh;
	if(!late && rm_leg_sdp_remote(leg, msg->mb, true)) {
		rm_refuse(msg, 488, "Not Acceptable Here (no common codec)");
		mem_deref(leg);
		return -1;
	}
	*legp = leg;
	return late ? 1 : 0;
}

int rm_leg_sdp_remote(struct rm_leg *leg, struct mbuf *mb, bool offer)
{
	const struct sdp_format *f, *tev;
	struct le *le;
	int err;

	err = sdp_decode(leg->sdp, mb, offer);
	if(err)
		return err;
	/* the caller's first choice among the codecs we have */
	f = NULL;
	for(le = sdp_media_format_lst(leg->sdpm, false)->head; le && !f;
			le = le->next) {
		const struct sdp_format *c = le->data;
		if(c->sup
				&& (!strcasecmp(c->name, "PCMU")
						|| !strcasecmp(c->name, "PCMA")))
			f = c;
	}
	if(!f || sdp_media_dir(leg->sdpm) == SDP_INACTIVE)
		return ENOENT;
	leg->pt = f->pt;
	leg->codec = strcasecmp(f->name, "PCMA") ? RM_PCMU : RM_PCMA;
	tev = sdp_media_rformat(leg->sdpm, "telephone-event");
	leg->tev_pt = tev ? tev->pt : -1;
	sa_cpy(&leg->raddr, sdp_media_raddr(leg->sdpm));
	leg->have_raddr = sa_isset(&leg->raddr, SA_ALL);
	return 0;
}

int rm_leg_sdp_local(struct rm_leg *leg, struct mbuf **mbp, bool offer)
{
	return sdp_encode(mbp, leg->sdp, offer);
}

void rm_leg_play(
		struct rm_leg *leg, const rm_prompt_t *const *seq, int n, bool loop)
{
	int i;

	if(n > RM_SEQ_MAX)
		n = RM_SEQ_MAX;
	for(i = 0; i < n; i++)
		leg->seq[i] = seq[i];
	leg->nseq = n;
	leg->iseq = 0;
	leg->pos = 0;
	leg->loop = loop;
	leg->playing = n > 0;
	leg->done_pending = false;
	leg->marker = true;
}

void rm_leg_stop(struct rm_leg *leg)
{
	leg->playing = false;
	leg->done_pending = false;
	leg->nseq = 0;
}

void rm_leg_record(struct rm_leg *leg, rm_leg_audio_h *h)
{
	leg->audioh = h;
	leg->fill_t0 = h ? tmr_jiffies() : 0;
	leg->fill_samples = 0;
}

/* a recording leg more than 40 ms behind the clock gets a silent frame */
static void rm_leg_fill(struct rm_leg *leg, uint64_t now)
{
	static const int16_t silence[RM_FRAME];
	uint64_t due = (now - leg->fill_t0) * 8;

	if(leg->fill_samples + 2 * RM_FRAME < due) {
		leg->fill_samples += RM_FRAME;
		leg->audioh(leg, silence, RM_FRAME);
	}
}

void rm_leg_bridge(struct rm_leg *a, struct rm_leg *b)
{
	a->bridge = b;
	b->bridge = a;
	a->marker = b->marker = true;
}

/* the next 20 ms of what the leg plays; false when the sequence is over */
static bool rm_leg_frame(struct rm_leg *leg, int16_t *pcm)
{
	size_t k = 0, m;
	const rm_prompt_t *p;

	while(k < RM_FRAME) {
		if(leg->iseq >= leg->nseq) {
			if(!leg->loop || leg->nseq == 0)
				break;
			leg->iseq = 0;
		}
		p = leg->seq[leg->iseq];
		m = p->n - leg->pos;
		if(m > RM_FRAME - k)
			m = RM_FRAME - k;
		memcpy(pcm + k, p->pcm + leg->pos, m * sizeof(*pcm));
		k += m;
		leg->pos += m;
		if(leg->pos >= p->n) {
			leg->pos = 0;
			leg->iseq++;
		}
	}
	if(k == 0)
		return false;
	if(k < RM_FRAME) /* the last frame of a prompt: padded with silence */
		memset(pcm + k, 0, (RM_FRAME - k) * sizeof(*pcm));
	return true;
}

static void rm_leg_send_frame(struct rm_leg *leg)
{
	int16_t pcm[RM_FRAME];
	struct mbuf *mb;

	if(!rm_leg_frame(leg, pcm)) {
		leg->playing = false;
		leg->done_pending = true;
		return;
	}
	if(!leg->have_raddr) {
		leg->ts += RM_FRAME;
		return;
	}
	mb = mbuf_alloc(RTP_HEADER_SIZE + RM_FRAME);
	if(!mb)
		return;
	mb->pos = RTP_HEADER_SIZE;
	mb->end = RTP_HEADER_SIZE + RM_FRAME;
	rm_g711_encode(leg->codec, pcm, mb->buf + RTP_HEADER_SIZE, RM_FRAME);
	if(!rtp_send(leg->rtp, &leg->raddr, false, leg->marker, (uint8_t)leg->pt,
			   leg->ts, mb))
		leg->tx_pkts++;
	leg->marker = false;
	leg->ts += RM_FRAME;
	mem_deref(mb);
}

bool rm_leg_send_tev(struct rm_leg *leg, char key)
{
	if(!leg->have_raddr || leg->tev_pt < 0)
		return false;
	return rm_tev_tx_key(&leg->tevtx, key);
}

/* this tick's packet of the event being sent, if any */
static void rm_leg_tev_tick(struct rm_leg *leg)
{
	uint8_t pl[4];
	bool marker;
	uint32_t ts;
	struct mbuf *mb;

	if(!rm_tev_tx_tick(&leg->tevtx, &leg->ts, RM_FRAME, pl, &marker, &ts)
			|| !leg->have_raddr)
		return;
	mb = mbuf_alloc(RTP_HEADER_SIZE + sizeof(pl));
	if(!mb)
		return;
	mb->pos = RTP_HEADER_SIZE;
	(void)mbuf_write_mem(mb, pl, sizeof(pl));
	mb->pos = RTP_HEADER_SIZE;
	if(!rtp_send(leg->rtp, &leg->raddr, false, marker, (uint8_t)leg->tev_pt,
			   ts, mb))
		leg->tx_pkts++;
	mem_deref(mb);
}

static void rm_tick(void *arg)
{
	struct le *le;
	struct rm_leg *leg;
	uint64_t now;
	bool again;

	(void)arg;
	now = tmr_jiffies();
	for(le = rm.legs.head; le; le = le->next) {
		leg = le->data;
		if(leg->playing)
			rm_leg_send_frame(leg);
		if(rm_tev_tx_busy(&leg->tevtx))
			rm_leg_tev_tick(leg);
		if(leg->fill_t0 && leg->audioh)
			rm_leg_fill(leg, now);
	}
	/* playouts that ended: their owners may end calls (and legs), so the
	 * list is walked again from its head after each one */
	do {
		again = false;
		for(le = rm.legs.head; le; le = le->next) {
			leg = le->data;
			if(!leg->done_pending)
				continue;
			leg->done_pending = false;
			if(leg->doneh)
				leg->doneh(leg);
			again = true;
			break;
		}
	} while(again);

	/* the next tick on the 20 ms grid; if we fell behind by more than a
	 * frame (a stall), the grid starts again from now */
	rm.next_tick += RM_PTIME;
	now = tmr_jiffies();
	if(now > rm.next_tick + RM_PTIME) {
		rm.n_late_ticks++;
		rm.next_tick = now + RM_PTIME;
	}
	tmr_start(&rm.tick, rm.next_tick > now ? rm.next_tick - now : 0, rm_tick,
			NULL);
}

void rm_tick_start(void)
{
	rm.next_tick = tmr_jiffies() + RM_PTIME;
	tmr_start(&rm.tick, RM_PTIME, rm_tick, NULL);
}
