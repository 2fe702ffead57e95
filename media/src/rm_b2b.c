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
 * The b2bua service (README "In-call services"): a call of a user with in-call
 * services carried as two legs, and a third for a consultation. This file
 * only turns SIP/RTP into the events of rm_b2bua.c's table and carries
 * out its actions; what happens when is in the table.
 *
 *   IN   the leg Ringset sent us (INVITE sip:b2bua@...)
 *   OUT  the leg we place back through Ringset to X-Ringset-Target, with
 *        X-Ringset-Origin: b2bua;ext=<user>;side=<side>[;dev=<device>]
 *   ADDR the consultation leg (#4), placed the same way as a call of the
 *        user
 * The user is IN for X-Ringset-Side: caller, OUT for callee. RTP is
 * relayed by the legs' bridge (rm_leg.c); the three-way call mixes here,
 * on its own 20 ms timer.
 */

#include <stdio.h>
#include <string.h>

#include "rm_b2b.h"
#include "rm_b2bua.h"
#include "rm_proto.h"
#include "rm_tone.h"

#define RM_TOK 65
#define RM_B2B_HOLD_MS 2000		 /* a code's first key waits this long */
#define RM_B2B_FIRST_MS 10000	 /* #4: the first digit of the number */
#define RM_B2B_INTER_MS 2000	 /* then: the number ends after 2 s */
#define RM_B2B_NOANSWER_MS 90000 /* a placed leg rings at most this long */

/* one SIP leg in a role */
struct rm_b2b_side
{
	struct rm_leg *leg;
	bool is_in;			/* the leg that called us */
	bool estab;			/* answered (IN: we answered it) */
	bool closed;		/* its session ended (BYE, CANCEL, final failure) */
};

struct rm_b2b_call
{
	struct le le; /* in rm_b2b_calls */
	rm_b2b_t fsm;
	struct rm_b2b_side u, p, x; /* user, party, addressee */
	bool callee_side;
	bool freeing;
	bool conf;
	bool late_in; /* the IN leg came without an offer */
	char id[96];
	char ext[RM_TOK], target[RM_TOK], dev[RM_TOK];
	char from_uri[256], from_name[128];
	char number[RM_DIGITS_MAX + 1]; /* the addressee, as dialled */
	uint16_t fail_code;
	char fail_reason[64];
	rm_b2b_codes_t codes;
	rm_b2b_keys_t keys;
	char keys_how[16]; /* how the held keys came */
	rm_digits_t dig;
	struct tmr ktmr; /* held keys */
	struct tmr dtmr; /* the number being dialled */
	struct tmr mtmr; /* the three-way mixer */
	struct tmr etmr; /* a posted event */
	struct tmr ftmr; /* freeing, outside any handler */
	struct tmr gtmr; /* released legs, freed outside any handler */
	struct tmr ntmr; /* a placed leg that rings too long */
	rm_b2b_ev_t posted;
	struct rm_leg *dead[6];
	int ndead;
	int16_t mix[3][RM_FRAME];
	bool mixed[3];
};

static struct list rm_b2b_calls;
static bool rm_b2b_inited;
static int16_t rm_b2b_rb_pcm[8000 * 4]; /* ringing: 1 s of 425 Hz, 3 s off */
static rm_prompt_t rm_b2b_ringback = {
		"ringback", rm_b2b_rb_pcm, sizeof(rm_b2b_rb_pcm) / 2};
static uint64_t rm_b2b_ncalls, rm_b2b_ntransfers;

static void rm_b2b_event(struct rm_b2b_call *c, rm_b2b_ev_t ev);
static void rm_b2b_run(struct rm_b2b_call *c, const rm_b2b_row_t *row,
		rm_b2b_state_t prev, rm_b2b_ev_t ev);

static void rm_b2b_init_once(void)
{
	rm_tone_t t;

	if(rm_b2b_inited)
		return;
	rm_b2b_inited = true;
	list_init(&rm_b2b_calls);
	rm_tone_init(&t, 425, 8000, 6000);
	rm_tone_gen(&t, rm_b2b_rb_pcm, 8000);
}

static void rm_b2b_destructor(void *arg)
{
	struct rm_b2b_call *c = arg;
	int i;

	tmr_cancel(&c->ktmr);
	tmr_cancel(&c->dtmr);
	tmr_cancel(&c->mtmr);
	tmr_cancel(&c->etmr);
	tmr_cancel(&c->ftmr);
	tmr_cancel(&c->gtmr);
	tmr_cancel(&c->ntmr);
	list_unlink(&c->le);
	for(i = 0; i < c->ndead; i++)
		mem_deref(c->dead[i]);
	mem_deref(c->x.leg);
	mem_deref(c->p.leg);
	mem_deref(c->u.leg);
	rm.ncalls--;
	RM_INFO("%s b2bua: call freed, %d calls now\n", c->id, rm.ncalls);
}

static void rm_b2b_free(void *arg)
{
	mem_deref(arg);
}

static void rm_b2b_gc(void *arg)
{
	struct rm_b2b_call *c = arg;
	int i;

	for(i = 0; i < c->ndead; i++)
		c->dead[i] = mem_deref(c->dead[i]);
	c->ndead = 0;
}

static void rm_b2b_posted(void *arg)
{
	struct rm_b2b_call *c = arg;

	rm_b2b_event(c, c->posted);
}

static void rm_b2b_post(struct rm_b2b_call *c, rm_b2b_ev_t ev)
{
	c->posted = ev;
	tmr_start(&c->etmr, 0, rm_b2b_posted, c);
}

/* ----- which role a leg has */

static struct rm_b2b_side *rm_b2b_side(
		struct rm_b2b_call *c, const struct rm_leg *leg)
{
	if(leg && c->u.leg == leg)
		return &c->u;
	if(leg && c->p.leg == leg)
		return &c->p;
	if(leg && c->x.leg == leg)
		return &c->x;
	return NULL;
}

static struct rm_b2b_side *rm_b2b_in(struct rm_b2b_call *c)
{
	return c->u.is_in ? &c->u : &c->p;
}

static struct rm_b2b_side *rm_b2b_out(struct rm_b2b_call *c)
{
	return c->u.is_in ? &c->p : &c->u;
}

static void rm_b2b_unbridge(struct rm_leg *l)
{
	if(!l)
		return;
	if(l->bridge && l->bridge->bridge == l)
		l->bridge->bridge = NULL;
	l->bridge = NULL;
}

/* a leg leaves the call: its handlers go, its session (BYE, CANCEL) and
 * RTP socket are freed outside the handler we may be in */
static void rm_b2b_release(struct rm_b2b_call *c, struct rm_b2b_side *s)
{
	struct rm_leg *l = s->leg;

	if(!l)
		return;
	rm_b2b_unbridge(l);
	rm_leg_stop(l);
	l->digith = NULL;
	l->doneh = NULL;
	l->audioh = NULL;
	if(c->ndead < (int)(sizeof(c->dead) / sizeof(c->dead[0])))
		c->dead[c->ndead++] = l;
	else
		mem_deref(l); /* cannot happen: a call has at most 6 legs */
	memset(s, 0, sizeof(*s));
	tmr_start(&c->gtmr, 0, rm_b2b_gc, c);
}

/* ----- passing keys on unchanged: RFC 4733 as RFC 4733, INFO as INFO */

static void rm_b2b_send_key(struct rm_leg *to, char key, const char *how)
{
	char body[64];
	struct mbuf *mb;

	if(!to || !to->sess)
		return;
	if(!strcmp(how, "info") || to->tev_pt < 0) {
		re_snprintf(body, sizeof(body), "Signal=%c\r\nDuration=160\r\n", key);
		mb = mbuf_alloc(sizeof(body));
		if(!mb)
			return;
		(void)mbuf_write_str(mb, body);
		mb->pos = 0;
		(void)sipsess_info(to->sess, "application/dtmf-relay", mb, NULL, NULL);
		mem_deref(mb);
	} else if(!strcmp(how, "rfc4733")) {
		if(!rm_leg_send_tev(to, key))
			RM_INFO("%s: a key not passed on (no remote address, or "
					"too many keys queued)\n", to->name);
	}
	/* in-band keys are audio: they went with the audio already */
}

/* keys of a leg go to whoever hears that leg now */
static void rm_b2b_pass(struct rm_b2b_call *c, struct rm_leg *from,
		const char *keys, const char *how)
{
	struct rm_b2b_side *all[3] = {&c->u, &c->p, &c->x};
	int i;
	const char *k;

	for(k = keys; *k; k++) {
		if(c->conf) {
			for(i = 0; i < 3; i++) {
				if(all[i]->leg && all[i]->leg != from && all[i]->estab)
					rm_b2b_send_key(all[i]->leg, *k, how);
			}
		} else if(from->bridge) {
			rm_b2b_send_key(from->bridge, *k, how);
		}
	}
}

/* ----- the user's keys: codes, the number of #4, the rest passes */

static void rm_b2b_keys_due(void *arg)
{
	struct rm_b2b_call *c = arg;
	char out[RM_B2B_CODE_MAX + 2];

	if(c->u.leg
			&& rm_b2b_keys_poll(&c->keys, tmr_jiffies(), out) == RM_B2B_K_PASS)
		rm_b2b_pass(c, c->u.leg, out, c->keys_how);
}

static void rm_b2b_dig_due(void *arg)
{
	struct rm_b2b_call *c = arg;
	rm_dres_t r = rm_digits_poll(&c->dig, tmr_jiffies());
	uint64_t d, now;

	if(r == RM_D_DONE || r == RM_D_TIMEOUT) {
		if(r == RM_D_DONE)
			snprintf(c->number, sizeof(c->number), "%s",
					rm_digits_value(&c->dig));
		rm_b2b_event(c, r == RM_D_DONE && !rm_b2b_number_ok(c->number)
								? RM_B2B_E_DIGITS
								: RM_B2B_E_NO_DIGITS);
	} else if(r == RM_D_MORE) {
		d = rm_digits_deadline(&c->dig);
		now = tmr_jiffies();
		tmr_start(&c->dtmr, d > now ? d - now : 0, rm_b2b_dig_due, c);
	}
}

static void rm_b2b_dial_key(struct rm_b2b_call *c, char key)
{
	const char *cancel = c->codes.code[RM_B2B_C_CANCEL];
	rm_dres_t r;
	uint64_t d, now = tmr_jiffies();

	r = rm_digits_feed(&c->dig, key, now);
	/* *0 while dialling cancels at once */
	if(cancel[0] && c->dig.len == (int)strlen(cancel)
			&& !memcmp(c->dig.buf, cancel, strlen(cancel))) {
		rm_digits_stop(&c->dig);
		tmr_cancel(&c->dtmr);
		rm_b2b_event(c, RM_B2B_E_CODE_CANCEL);
		return;
	}
	if(r == RM_D_DONE || r == RM_D_OVERFLOW) {
		tmr_cancel(&c->dtmr);
		snprintf(c->number, sizeof(c->number), "%s",
				r == RM_D_DONE ? rm_digits_value(&c->dig) : "");
		rm_digits_stop(&c->dig);
		rm_b2b_event(c, !rm_b2b_number_ok(c->number) ? RM_B2B_E_DIGITS
													 : RM_B2B_E_NO_DIGITS);
		return;
	}
	d = rm_digits_deadline(&c->dig);
	if(d)
		tmr_start(&c->dtmr, d > now ? d - now : 0, rm_b2b_dig_due, c);
}

static void rm_b2b_key(struct rm_leg *leg, char key, const char *how)
{
	struct rm_b2b_call *c = leg->owner;
	char out[RM_B2B_CODE_MAX + 2], one[2] = {key, 0};
	rm_b2b_code_t code;
	rm_b2b_kres_t r;

	if(c->freeing)
		return;
	if(leg != c->u.leg || c->fsm.state == RM_B2B_S_SETUP) {
		/* the other party's keys are never codes */
		rm_b2b_pass(c, leg, one, how);
		return;
	}
	if(c->fsm.state == RM_B2B_S_DIALING) {
		rm_b2b_dial_key(c, key);
		return;
	}
	snprintf(c->keys_how, sizeof(c->keys_how), "%s", how);
	r = rm_b2b_keys_feed(&c->keys, &c->codes, key, tmr_jiffies(), &code, out);
	if(r == RM_B2B_K_HELD) {
		tmr_start(&c->ktmr, RM_B2B_HOLD_MS, rm_b2b_keys_due, c);
		return;
	}
	tmr_cancel(&c->ktmr);
	if(r == RM_B2B_K_PASS) {
		rm_b2b_pass(c, leg, out, how);
		if(c->keys.nheld)
			tmr_start(&c->ktmr, RM_B2B_HOLD_MS, rm_b2b_keys_due, c);
		return;
	}
	RM_INFO("%s b2bua: %s pressed %s (%s)\n", c->id, c->ext,
			c->codes.code[code], how);
	{
		rm_b2b_ev_t ev = rm_b2b_code_event(code);
		rm_b2b_state_t prev = c->fsm.state;
		const rm_b2b_row_t *row;

		if(c->freeing)
			return;
		row = rm_b2b_step(&c->fsm, ev);
		if(!row) {
			/* a code that means nothing now is just keys */
			RM_INFO("%s b2bua: %s means nothing in %s: passed on\n", c->id,
					c->codes.code[code], rm_b2b_state_name(c->fsm.state));
			rm_b2b_pass(c, leg, c->codes.code[code], how);
			return;
		}
		rm_b2b_run(c, row, prev, ev);
	}
}

/* ----- media */

static void rm_b2b_audio(struct rm_leg *leg, const int16_t *s, size_t n)
{
	struct rm_b2b_call *c = leg->owner;
	int i = leg == c->u.leg ? 0 : leg == c->p.leg ? 1 : 2;

	if(!c->conf || n != RM_FRAME)
		return;
	memcpy(c->mix[i], s, sizeof(c->mix[i]));
	c->mixed[i] = true;
}

static void rm_b2b_send_pcm(struct rm_leg *l, const int16_t *pcm)
{
	struct mbuf *mb;

	if(!l || !l->have_raddr)
		return;
	mb = mbuf_alloc(RTP_HEADER_SIZE + RM_FRAME);
	if(!mb)
		return;
	mb->pos = RTP_HEADER_SIZE;
	mb->end = RTP_HEADER_SIZE + RM_FRAME;
	rm_g711_encode(l->codec, pcm, mb->buf + RTP_HEADER_SIZE, RM_FRAME);
	if(!rtp_send(
			   l->rtp, &l->raddr, false, l->marker, (uint8_t)l->pt, l->ts, mb))
		l->tx_pkts++;
	l->marker = false;
	l->ts += RM_FRAME;
	mem_deref(mb);
}

/* the three-way call: every 20 ms each leg gets the sum of the other two */
static void rm_b2b_mix_tick(void *arg)
{
	struct rm_b2b_call *c = arg;
	struct rm_leg *legs[3] = {c->u.leg, c->p.leg, c->x.leg};
	int16_t out[RM_FRAME];
	int i, j, k;

	if(!c->conf)
		return;
	for(i = 0; i < 3; i++) {
		for(k = 0; k < RM_FRAME; k++) {
			int v = 0;
			for(j = 0; j < 3; j++) {
				if(j != i && c->mixed[j])
					v += c->mix[j][k];
			}
			out[k] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
		}
		rm_b2b_send_pcm(legs[i], out);
	}
	for(i = 0; i < 3; i++)
		c->mixed[i] = false;
	tmr_start(&c->mtmr, RM_PTIME, rm_b2b_mix_tick, c);
}

static void rm_b2b_leg_done(struct rm_leg *leg)
{
	struct rm_b2b_call *c = leg->owner;

	if(leg == c->u.leg)
		rm_b2b_event(c, RM_B2B_E_USER_PROMPT_DONE);
	else if(leg == c->p.leg)
		rm_b2b_event(c, RM_B2B_E_PARTY_PROMPT_DONE);
}

/* ----- SIP session handlers (arg: the leg) */

static int rm_b2b_offer(
		struct mbuf **descp, const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;
	struct rm_b2b_call *c = leg->owner;
	struct rm_leg *to = leg->bridge;
	enum sdp_dir dir;
	struct mbuf *mb = NULL;
	int err;

	/* a re-INVITE (hold, resume): its address and codec; inactive keeps
	 * the codec it had */
	err = rm_leg_sdp_remote(leg, msg->mb, true);
	dir = sdp_media_rdir(leg->sdpm);
	if(err && dir != SDP_INACTIVE)
		return EPROTO;
	/* passed on: the leg that hears this one is offered what this one
	 * offered (libre keeps rdir from our side: a=sendonly is RECVONLY) */
	dir = dir == SDP_RECVONLY	? SDP_SENDONLY
		  : dir == SDP_SENDONLY ? SDP_RECVONLY
								: dir;
	if(to && to->sess && !c->conf) {
		struct rm_b2b_side *s = rm_b2b_side(c, to);
		if(s && s->estab && !s->closed) {
			sdp_media_set_ldir(to->sdpm, dir);
			if(!rm_leg_sdp_local(to, &mb, true)) {
				if(sipsess_modify(to->sess, mb))
					RM_INFO("%s b2bua: re-INVITE not passed to %s\n", c->id,
							to->name);
			}
			mem_deref(mb);
		}
	}
	return rm_leg_sdp_local(leg, descp, false);
}

static int rm_b2b_answer(const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;
	int err;

	if(!mbuf_get_left(msg->mb))
		return 0;
	err = rm_leg_sdp_remote(leg, msg->mb, false);
	if(err && sdp_media_rdir(leg->sdpm) == SDP_INACTIVE)
		err = 0;
	return err;
}

static void rm_b2b_progress(const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;
	struct rm_b2b_call *c = leg->owner;
	struct rm_b2b_side *s = rm_b2b_side(c, leg), *in;

	if(c->freeing || !s)
		return;
	RM_DBG("%s %s: %u %r\n", c->id, leg->name, msg->scode, &msg->reason);
	/* the first leg's progress goes back to the caller as it came */
	if(c->fsm.state == RM_B2B_S_SETUP && s == rm_b2b_out(c)
			&& msg->scode > 100) {
		in = rm_b2b_in(c);
		if(in->leg && in->leg->sess && !in->closed)
			(void)sipsess_progress(in->leg->sess, msg->scode,
					msg->scode == 180 ? "Ringing" : "Session Progress", NULL,
					"");
	}
}

static void rm_b2b_estab(const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;
	struct rm_b2b_call *c = leg->owner;
	struct rm_b2b_side *s = rm_b2b_side(c, leg);

	(void)msg;
	if(c->freeing || !s || s->estab || s->is_in)
		return;
	s->estab = true;
	tmr_cancel(&c->ntmr);
	if(s == &c->x)
		rm_b2b_event(c, RM_B2B_E_ADDR_ANSWERED);
	else if(c->fsm.state == RM_B2B_S_SETUP)
		rm_b2b_event(c, RM_B2B_E_OUT_ANSWERED);
	else if(s == &c->u)
		rm_b2b_event(c, RM_B2B_E_USER_ANSWERED); /* called back */
}

static void rm_b2b_close(int err, const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;
	struct rm_b2b_call *c = leg->owner;
	struct rm_b2b_side *s = rm_b2b_side(c, leg);
	rm_b2b_ev_t ev;

	RM_INFO("%s b2bua %s: ended (%s%s%u)\n", c->id, leg->name,
			err ? strerror(err) : "", err ? " " : "", msg ? msg->scode : 0);
	if(c->freeing || !s)
		return;
	s->closed = true;
	if(c->fsm.state == RM_B2B_S_SETUP) {
		if(s->is_in) {
			ev = RM_B2B_E_IN_CANCEL;
		} else {
			c->fail_code = msg && msg->scode >= 300 ? msg->scode : 480;
			if(msg && msg->scode >= 300)
				pl_strcpy(&msg->reason, c->fail_reason, sizeof(c->fail_reason));
			else
				snprintf(c->fail_reason, sizeof(c->fail_reason),
						"Temporarily Unavailable");
			ev = RM_B2B_E_OUT_FAILED;
		}
	} else if(s == &c->x) {
		ev = s->estab ? RM_B2B_E_ADDR_HANGUP : RM_B2B_E_ADDR_FAILED;
	} else if(s == &c->u) {
		/* a leg to the user that never answered: the recall failed */
		ev = s->estab || s->is_in ? RM_B2B_E_USER_HANGUP : RM_B2B_E_USER_FAILED;
	} else {
		ev = RM_B2B_E_PARTY_HANGUP;
	}
	rm_b2b_event(c, ev);
}

static void rm_b2b_noanswer(void *arg)
{
	struct rm_b2b_call *c = arg;

	if(c->x.leg && !c->x.estab) {
		c->x.closed = true;
		rm_b2b_event(c, RM_B2B_E_ADDR_FAILED);
	} else if(c->fsm.state == RM_B2B_S_RECALL && c->u.leg && !c->u.estab) {
		c->u.closed = true;
		rm_b2b_event(c, RM_B2B_E_USER_FAILED);
	} else if(c->fsm.state == RM_B2B_S_SETUP) {
		c->fail_code = 480;
		snprintf(c->fail_reason, sizeof(c->fail_reason),
				"Temporarily Unavailable");
		rm_b2b_out(c)->closed = true;
		rm_b2b_event(c, RM_B2B_E_OUT_FAILED);
	}
}

/* ----- placing a leg through Ringset */

/* side: "caller" (the user's own call or consultation), "callee" (towards
 * the user) or "recall" (towards the user's devices, for the party) */
static int rm_b2b_place(struct rm_b2b_call *c, struct rm_b2b_side *s,
		const char *name, const char *to_user, const char *from_name,
		const char *from_uri, const char *side)
{
	char to[256], dev[RM_TOK + 8] = "";
	struct mbuf *mb = NULL;
	int err;

	memset(s, 0, sizeof(*s));
	err = rm_leg_alloc(&s->leg, c, name);
	if(err)
		return err;
	s->leg->digith = rm_b2b_key;
	s->leg->doneh = rm_b2b_leg_done;
	s->leg->audioh = rm_b2b_audio;
	err = rm_leg_sdp_local(s->leg, &mb, true);
	if(err)
		return err;
	/* the calling device, for the CDR; a recall has none */
	if(c->dev[0] && strcmp(side, "recall"))
		re_snprintf(dev, sizeof(dev), ";dev=%s", c->dev);
	re_snprintf(to, sizeof(to), "sip:%s@%J", to_user, &rm.cfg.proxy);
	err = sipsess_connect(&s->leg->sess, rm.sock, to,
			from_name[0] ? from_name : NULL, from_uri, "ringset-media", NULL, 0,
			"application/sdp", mb, NULL, NULL, false, rm_b2b_offer,
			rm_b2b_answer, rm_b2b_progress, rm_b2b_estab, rm_leg_info, NULL,
			rm_b2b_close, s->leg,
			"X-Ringset-Origin: b2bua;ext=%s;side=%s%s\r\n", c->ext, side, dev);
	mem_deref(mb);
	if(!err)
		tmr_start(&c->ntmr, RM_B2B_NOANSWER_MS, rm_b2b_noanswer, c);
	return err;
}

/* a leg placed mid-call: if it could not even be sent, it leaves the call
 * and the machine hears ev (the failure of that leg) */
static void rm_b2b_placed(
		struct rm_b2b_call *c, struct rm_b2b_side *s, int err, rm_b2b_ev_t ev)
{
	if(!err)
		return;
	rm_b2b_release(c, s);
	rm_b2b_post(c, ev);
}

/* ----- actions */

static const rm_prompt_t *rm_b2b_prompt(const char *name)
{
	return rm_prompt_get(&rm.prompts, name, strlen(name));
}

static void rm_b2b_play(struct rm_leg *l, const rm_prompt_t *p, bool loop)
{
	if(l && p) {
		rm_b2b_unbridge(l);
		rm_leg_play(l, &p, 1, loop);
	}
}

static void rm_b2b_join(
		struct rm_b2b_call *c, struct rm_b2b_side *a, struct rm_b2b_side *b)
{
	rm_b2b_unbridge(c->u.leg);
	rm_b2b_unbridge(c->p.leg);
	rm_b2b_unbridge(c->x.leg);
	c->conf = false;
	tmr_cancel(&c->mtmr);
	if(a->leg)
		rm_leg_stop(a->leg);
	if(b->leg)
		rm_leg_stop(b->leg);
	if(a->leg && b->leg) {
		int16_t silence[RM_FRAME] = {0};

		rm_leg_bridge(a->leg, b->leg);
		/* 20 ms of silence each way: a peer with symmetric RTP that waits
		 * for a packet before it sends learns where to send */
		rm_b2b_send_pcm(a->leg, silence);
		rm_b2b_send_pcm(b->leg, silence);
	}
}

static void rm_b2b_act(struct rm_b2b_call *c, const rm_b2b_action_t *a)
{
	struct rm_b2b_side *in = rm_b2b_in(c), *out = rm_b2b_out(c);
	struct mbuf *mb = NULL;
	char from[256];
	int err = 0;

	switch(a->a) {
		case RM_B2B_A_NONE:
		case RM_B2B_A__N:
			break;
		case RM_B2B_A_ANSWER_IN:
			err = rm_leg_sdp_local(in->leg, &mb, c->late_in);
			if(!err)
				err = sipsess_answer(in->leg->sess, 200, "OK", mb, "");
			mem_deref(mb);
			if(!err)
				in->estab = true;
			break;
		case RM_B2B_A_REJECT_IN:
			if(in->leg && in->leg->sess && !in->closed)
				(void)sipsess_reject(
						in->leg->sess, c->fail_code, c->fail_reason, "");
			in->closed = true;
			break;
		case RM_B2B_A_CANCEL_OUT:
			rm_b2b_release(c, out);
			break;
		case RM_B2B_A_BRIDGE_UP:
			rm_b2b_join(c, &c->u, &c->p);
			break;
		case RM_B2B_A_BRIDGE_UA:
			rm_b2b_join(c, &c->u, &c->x);
			break;
		case RM_B2B_A_BRIDGE_PA:
			rm_b2b_join(c, &c->p, &c->x);
			break;
		case RM_B2B_A_MIX3:
			rm_b2b_join(c, &c->u, &c->u); /* nobody bridged */
			if(c->p.leg)
				rm_leg_stop(c->p.leg);
			if(c->x.leg)
				rm_leg_stop(c->x.leg);
			memset(c->mixed, 0, sizeof(c->mixed));
			c->conf = true;
			tmr_start(&c->mtmr, RM_PTIME, rm_b2b_mix_tick, c);
			break;
		case RM_B2B_A_MOH_P:
			rm_b2b_play(c->p.leg, rm_b2b_prompt("moh"), true);
			break;
		case RM_B2B_A_MOH_A:
			rm_b2b_play(c->x.leg, rm_b2b_prompt("moh"), true);
			break;
		case RM_B2B_A_PLAY_U:
			rm_b2b_play(c->u.leg, rm_b2b_prompt(a->prompt), false);
			break;
		case RM_B2B_A_PLAY_P:
			rm_b2b_play(c->p.leg, rm_b2b_prompt(a->prompt), false);
			break;
		case RM_B2B_A_RINGBACK_U:
			rm_b2b_play(c->u.leg, &rm_b2b_ringback, true);
			break;
		case RM_B2B_A_COLLECT:
			rm_b2b_keys_init(&c->keys, RM_B2B_HOLD_MS);
			tmr_cancel(&c->ktmr);
			rm_digits_start(&c->dig, tmr_jiffies(), RM_B2B_FIRST_MS,
					RM_B2B_INTER_MS, RM_DIGITS_MAX);
			tmr_start(&c->dtmr, RM_B2B_FIRST_MS, rm_b2b_dig_due, c);
			break;
		case RM_B2B_A_CALL_ADDR:
			RM_INFO("%s b2bua: %s consults %s\n", c->id, c->ext, c->number);
			re_snprintf(from, sizeof(from), "sip:%s@%s", c->ext, rm.cfg.domain);
			rm_b2b_placed(c, &c->x,
					rm_b2b_place(c, &c->x, "addressee", c->number, "", from,
							"caller"),
					RM_B2B_E_ADDR_FAILED);
			break;
		case RM_B2B_A_CALL_USER:
			/* the party calls the user back: its identity as it came (the
			 * number first dialled, or the caller) */
			RM_INFO("%s b2bua: nobody answered %s: %s's devices called "
					"back\n",
					c->id, c->number, c->ext);
			rm_b2b_release(c, &c->u); /* the leg that hung up */
			if(c->callee_side)
				err = rm_b2b_place(c, &c->u, "user", c->ext, c->from_name,
						c->from_uri, "recall");
			else {
				re_snprintf(from, sizeof(from), "sip:%s@%s", c->target,
						rm.cfg.domain);
				err = rm_b2b_place(
						c, &c->u, "user", c->ext, "", from, "recall");
			}
			rm_b2b_placed(c, &c->u, err, RM_B2B_E_USER_FAILED);
			err = 0;
			break;
		case RM_B2B_A_DROP_ADDR:
			tmr_cancel(&c->ntmr);
			rm_b2b_release(c, &c->x);
			break;
		case RM_B2B_A_HANGUP_USER:
			rm_b2b_release(c, &c->u);
			break;
		case RM_B2B_A_HANGUP_PARTY:
			rm_b2b_release(c, &c->p);
			break;
		case RM_B2B_A_PROMOTE_ADDR:
			rm_b2b_release(c, &c->p);
			c->p = c->x;
			memset(&c->x, 0, sizeof(c->x));
			break;
		case RM_B2B_A_XFER_DONE:
			rm_b2b_ntransfers++;
			RM_INFO("%s b2bua: transfer by %s completed: party connected "
					"to %s\n",
					c->id, c->ext, c->number);
			/* the BYEs that end the transferred call say who did it
			 * (Ringset records it with the CDR) */
			if(c->p.leg && c->p.leg->sess)
				(void)sipsess_set_close_headers(c->p.leg->sess,
						"X-Ringset-Transferred-By: %s\r\n", c->ext);
			if(c->x.leg && c->x.leg->sess)
				(void)sipsess_set_close_headers(c->x.leg->sess,
						"X-Ringset-Transferred-By: %s\r\n", c->ext);
			break;
	}
	if(err)
		RM_ERR("%s b2bua action %s failed: %s\n", c->id, rm_b2b_act_name(a->a),
				strerror(err));
}

static void rm_b2b_run(struct rm_b2b_call *c, const rm_b2b_row_t *row,
		rm_b2b_state_t prev, rm_b2b_ev_t ev)
{
	int k;

	RM_INFO("%s b2bua: %s, %s -> %s\n", c->id, rm_b2b_ev_name(ev),
			rm_b2b_state_name(prev), rm_b2b_state_name(c->fsm.state));
	for(k = 0; k < RM_B2B_ACTS && row->act[k].a != RM_B2B_A_NONE; k++)
		rm_b2b_act(c, &row->act[k]);
	if(c->fsm.state == RM_B2B_S_END && !c->freeing) {
		c->freeing = true;
		tmr_cancel(&c->etmr);
		tmr_start(&c->ftmr, 0, rm_b2b_free, c);
	}
}

static void rm_b2b_event(struct rm_b2b_call *c, rm_b2b_ev_t ev)
{
	rm_b2b_state_t prev = c->fsm.state;
	const rm_b2b_row_t *row;

	if(c->freeing)
		return;
	row = rm_b2b_step(&c->fsm, ev);
	if(!row) {
		RM_DBG("%s b2bua: %s ignored in %s\n", c->id, rm_b2b_ev_name(ev),
				rm_b2b_state_name(c->fsm.state));
		return;
	}
	rm_b2b_run(c, row, prev, ev);
}

/* ----- a new INVITE */

static const char *rm_b2b_headers(
		struct rm_b2b_call *c, const struct sip_msg *msg)
{
	const struct sip_hdr *h;
	char side[16];

	if(!rm_hdr_token(msg, "X-Ringset-Ext", c->ext, sizeof(c->ext)))
		return "Missing or bad X-Ringset-Ext";
	if(!rm_hdr_token(msg, "X-Ringset-Target", c->target, sizeof(c->target)))
		return "Missing or bad X-Ringset-Target";
	if(!rm_hdr_token(msg, "X-Ringset-Side", side, sizeof(side))
			|| (strcmp(side, "caller") && strcmp(side, "callee")))
		return "Missing or bad X-Ringset-Side";
	c->callee_side = !strcmp(side, "callee");
	h = sip_msg_xhdr(msg, "X-Ringset-Device");
	if(h && !rm_hdr_token(msg, "X-Ringset-Device", c->dev, sizeof(c->dev)))
		return "Bad X-Ringset-Device";
	h = sip_msg_xhdr(msg, "X-Ringset-Codes");
	if(!h)
		rm_b2b_codes_default(&c->codes);
	else if(rm_b2b_codes_parse(&c->codes, h->val.p, h->val.l))
		return "Bad X-Ringset-Codes";
	return NULL;
}

void rm_b2b_conn(const struct sip_msg *msg)
{
	struct rm_b2b_call *c;
	struct rm_b2b_side *in, *out;
	const char *why;
	int err;

	rm_b2b_init_once();
	if(rm.ncalls >= rm.cfg.max_calls) {
		rm_refuse(msg, 503, "Too many calls");
		return;
	}
	c = mem_zalloc(sizeof(*c), rm_b2b_destructor);
	if(!c) {
		rm_refuse(msg, 500, "Out of memory");
		return;
	}
	rm.ncalls++;
	rm_b2b_ncalls++;
	list_append(&rm_b2b_calls, &c->le, c);
	rm_b2b_init(&c->fsm);
	pl_strcpy(&msg->callid, c->id, sizeof(c->id));
	why = rm_b2b_headers(c, msg);
	if(why) {
		rm_refuse(msg, 400, why);
		mem_deref(c);
		return;
	}
	in = c->callee_side ? &c->p : &c->u;
	out = c->callee_side ? &c->u : &c->p;
	in->is_in = true;
	/* a late offer (no SDP): ours goes in the 200, its answer in the ACK */
	err = rm_leg_incoming(&in->leg, c, c->callee_side ? "party" : "user", msg,
			true, rm_b2b_key, rm_b2b_leg_done, rm_b2b_audio);
	if(err < 0) {
		mem_deref(c);
		return;
	}
	c->late_in = err == 1;
	if(c->late_in)
		RM_INFO("%s b2bua: no offer: ours goes in the 200\n", c->id);
	/* the caller as it came: Ringset set its identity already */
	pl_strcpy(&msg->from.auri, c->from_uri, sizeof(c->from_uri));
	pl_strcpy(&msg->from.dname, c->from_name, sizeof(c->from_name));
	/* our leg is taken at once (183, no SDP yet), so that retransmissions
	 * and CANCEL find it; the first placed leg's replies follow */
	err = sipsess_accept(&in->leg->sess, rm.sock, msg, 183, "Session Progress",
			"ringset-media", "application/sdp", NULL, NULL, NULL, false,
			rm_b2b_offer, rm_b2b_answer, rm_b2b_estab, rm_leg_info, NULL,
			rm_b2b_close, in->leg, "");
	if(err) {
		rm_refuse(msg, 500, "Server Error");
		mem_deref(c);
		return;
	}
	RM_INFO("%s b2bua: %s (%s side) to %s\n", c->id, c->ext,
			c->callee_side ? "callee" : "caller", c->target);
	err = rm_b2b_place(c, out, c->callee_side ? "user" : "party", c->target,
			c->from_name, c->from_uri, c->callee_side ? "callee" : "caller");
	if(err) {
		RM_ERR("%s b2bua: cannot call %s: %s\n", c->id, c->target,
				strerror(err));
		c->fail_code = 500;
		snprintf(c->fail_reason, sizeof(c->fail_reason), "Server Error");
		out->closed = true;
		rm_b2b_post(c, RM_B2B_E_OUT_FAILED);
	}
}

void rm_b2b_close_all(void)
{
	struct le *le;
	struct rm_b2b_call *c;

	if(!rm_b2b_inited)
		return;
	for(le = rm_b2b_calls.head; le; le = le->next) {
		c = le->data;
		if(c->freeing)
			continue;
		RM_INFO("%s b2bua ended by shutdown in %s\n", c->id,
				rm_b2b_state_name(c->fsm.state));
		c->freeing = true;
		if(c->fsm.state == RM_B2B_S_SETUP) {
			struct rm_b2b_side *in = rm_b2b_in(c);
			if(in->leg && in->leg->sess && !in->closed)
				(void)sipsess_reject(in->leg->sess, 503, "Shutting down", "");
		}
		tmr_start(&c->ftmr, 0, rm_b2b_free, c);
	}
	RM_INFO("b2bua: %llu calls, %llu transfers\n",
			(unsigned long long)rm_b2b_ncalls,
			(unsigned long long)rm_b2b_ntransfers);
}
