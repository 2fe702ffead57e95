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
 * Calls: an INVITE is checked (service, headers, SDP) and becomes a call
 * with a state machine (rm_fsm.c) and one or two legs (rm_leg.c). SIP and
 * RTP happenings become events; the actions of the table's rows are
 * carried out here. Nothing in this file decides what a service does.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rm_b2b.h"
#include "rm_daemon.h"
#include "rm_proto.h"
#include "rm_tone.h"

#define RM_TOK 65
#define RM_PEER_NOANSWER_MS 60000
#define RM_VM_MAX_MSGS 64
#define RM_VM_MENU_WAIT_MS 10000
#define RM_VM_MIN_MS 1000
#define RM_SILENCE_RMS 150

struct rm_call
{
	struct le le; /* in rm.calls */
	rm_fsm_t fsm;
	struct rm_leg *a; /* the leg that called us */
	struct rm_leg *b; /* the leg we placed (confirm) */
	bool a_accepted, a_answered, a_closed, b_estab, b_closed;
	bool freeing;
	char id[96]; /* Call-ID, for the log */
	const rm_prompt_t *prompt;
	char ext[RM_TOK], terminal[RM_TOK], target[RM_TOK], cli[RM_TOK],
			mailbox[RM_TOK];
	int timeout_s;
	char key;
	uint16_t rcode; /* refuse: the final reply */
	char reason[128];
	rm_digits_t dig;
	struct tmr dtmr; /* digit collection */
	struct tmr stmr; /* the service's own timer */
	struct tmr etmr; /* a posted event */
	struct tmr ftmr; /* freeing, outside any handler */
	rm_ev_t posted;
	struct rm_rpc *rpc;
	unsigned rpc_id;
	/* voicemail */
	char caller[RM_TOK];
	rm_wav_writer_t wav;
	bool recording;
	char vm_path[1200];
	size_t silent;	 /* samples of silence in a row */
	rm_prompt_t own; /* the mailbox's greeting, or the message playing */
	struct rm_vmsg *msgs;
	int nmsgs, cur;
};

/* the INVITE being started (sipsess_accept needs it in START's actions) */
static const struct sip_msg *rm_cur_msg;

static void rm_call_event(struct rm_call *c, rm_ev_t ev);

static void rm_call_destructor(void *arg)
{
	struct rm_call *c = arg;

	tmr_cancel(&c->dtmr);
	tmr_cancel(&c->stmr);
	tmr_cancel(&c->etmr);
	tmr_cancel(&c->ftmr);
	list_unlink(&c->le);
	if(c->recording) {
		/* shutdown or an error mid-recording: the file is closed */
		(void)rm_wav_close(&c->wav);
		c->recording = false;
	}
	free(c->own.pcm);
	free(c->msgs);
	mem_deref(c->rpc);
	mem_deref(c->b);
	mem_deref(c->a);
	rm.ncalls--;
	RM_INFO("%s call freed, %d calls now\n", c->id, rm.ncalls);
}

static void rm_call_free(void *arg)
{
	mem_deref(arg);
}

static void rm_call_posted(void *arg)
{
	struct rm_call *c = arg;

	rm_call_event(c, c->posted);
}

/* an event that arises while actions run is handled after them */
static void rm_call_post(struct rm_call *c, rm_ev_t ev)
{
	c->posted = ev;
	tmr_start(&c->etmr, 0, rm_call_posted, c);
}

/* ----- SIP session handlers of both legs (arg: the leg) */

static int rm_sess_offer(
		struct mbuf **descp, const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;

	/* a re-INVITE: take its address and codec, answer with ours */
	if(rm_leg_sdp_remote(leg, msg->mb, true))
		return EPROTO;
	return rm_leg_sdp_local(leg, descp, false);
}

static int rm_sess_answer(const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;

	if(!mbuf_get_left(msg->mb))
		return 0;
	return rm_leg_sdp_remote(leg, msg->mb, false);
}

static void rm_sess_estab(const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;
	struct rm_call *c = leg->owner;

	(void)msg;
	if(leg == c->b && !c->b_estab) {
		c->b_estab = true;
		tmr_cancel(&c->stmr);
		rm_call_event(c, RM_EV_PEER_ANSWERED);
	}
}

static void rm_sess_progress(const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;

	RM_DBG("%s: %u %r\n", leg->name, msg->scode, &msg->reason);
}

static void rm_sess_close(int err, const struct sip_msg *msg, void *arg)
{
	struct rm_leg *leg = arg;
	struct rm_call *c = leg->owner;

	RM_INFO("%s %s: ended (%s%s%u)\n", c->id, leg->name,
			err ? strerror(err) : "", err ? " " : "", msg ? msg->scode : 0);
	if(leg == c->a) {
		c->a_closed = true;
		rm_call_event(c, RM_EV_HANGUP);
	} else {
		c->b_closed = true;
		rm_call_event(c, c->b_estab ? RM_EV_PEER_HANGUP : RM_EV_PEER_FAILED);
	}
}

/* ----- media events */

static void rm_leg_done(struct rm_leg *leg)
{
	struct rm_call *c = leg->owner;

	if(leg == c->a)
		rm_call_event(c, RM_EV_PROMPT_DONE);
}

static void rm_dig_timeout(void *arg)
{
	struct rm_call *c = arg;
	rm_dres_t r = rm_digits_poll(&c->dig, tmr_jiffies());

	if(r == RM_D_DONE)
		rm_call_event(c, RM_EV_DIGITS);
	else if(r == RM_D_TIMEOUT)
		rm_call_event(c, RM_EV_NO_DIGITS);
	else if(r == RM_D_MORE) {
		uint64_t d = rm_digits_deadline(&c->dig), now = tmr_jiffies();
		tmr_start(&c->dtmr, d > now ? d - now : 0, rm_dig_timeout, c);
	}
}

static void rm_arm_digits(struct rm_call *c)
{
	uint64_t d = rm_digits_deadline(&c->dig), now = tmr_jiffies();

	if(d)
		tmr_start(&c->dtmr, d > now ? d - now : 0, rm_dig_timeout, c);
	else
		tmr_cancel(&c->dtmr);
}

static void rm_key(struct rm_leg *leg, char key, const char *how)
{
	struct rm_call *c = leg->owner;
	rm_dres_t r;

	(void)how;
	if(leg == c->b) {
		/* confirm: the mobile's answer to press-1 */
		if(c->fsm.state != RM_S_END && !c->a_answered)
			rm_call_event(c, key == c->key ? RM_EV_KEY : RM_EV_OTHER_KEY);
		return;
	}
	if(!strcmp(c->fsm.def->service, "voicemail")) {
		if(key == '#')
			rm_call_event(c, RM_EV_RECORD_END);
		return;
	}
	if(!strcmp(c->fsm.def->service, "voicemail-main")) {
		rm_call_event(c, key == '7'	  ? RM_EV_VM_DELETE
						 : key == '9' ? RM_EV_VM_SAVE
						 : key == '#' ? RM_EV_VM_NEXT
						 : key == '*' ? RM_EV_VM_AGAIN
									  : RM_EV__N);
		return;
	}
	r = rm_digits_feed(&c->dig, key, tmr_jiffies());
	rm_arm_digits(c);
	if(r == RM_D_DONE)
		rm_call_event(c, RM_EV_DIGITS);
	else if(r == RM_D_OVERFLOW)
		rm_call_event(c, RM_EV_DIGITS); /* refused as a wrong PIN below */
}

static void rm_wait_timeout(void *arg)
{
	struct rm_call *c = arg;

	rm_call_event(c, c->b && !c->b_estab ? RM_EV_PEER_FAILED : RM_EV_TIMEOUT);
}

static void rm_rpc_done(
		int err, int status, const char *body, size_t len, void *arg)
{
	struct rm_call *c = arg;
	rm_login_t r = RM_LOGIN_ERROR;

	/* body is the request's buffer: read it before the request goes */
	if(!err && status == 200)
		r = rm_rpc_login_result(body, len);
	c->rpc = mem_deref(c->rpc);
	RM_INFO("%s hotdesk.login %s for %s: %s (HTTP %d%s%s)\n", c->id,
			c->terminal, c->ext,
			r == RM_LOGIN_OK	   ? "logged-in"
			: r == RM_LOGIN_WRONG  ? "wrong-pin"
			: r == RM_LOGIN_LOCKED ? "locked"
								   : "error",
			status, err ? ", " : "", err ? strerror(err) : "");
	rm_call_event(c, r == RM_LOGIN_OK		? RM_EV_LOGGED_IN
					 : r == RM_LOGIN_WRONG	? RM_EV_WRONG_PIN
					 : r == RM_LOGIN_LOCKED ? RM_EV_LOCKED
											: RM_EV_RPC_ERROR);
}

/* ----- actions */

static const rm_prompt_t *rm_p(const char *name)
{
	return rm_prompt_get(&rm.prompts, name, strlen(name));
}

static void rm_play(struct rm_leg *leg, const rm_prompt_t *p, bool loop)
{
	if(p)
		rm_leg_play(leg, &p, 1, loop);
}

static int rm_act_answer(struct rm_call *c)
{
	struct mbuf *mb = NULL;
	int err;

	if(c->a_answered || c->a_closed)
		return 0;
	err = rm_leg_sdp_local(c->a, &mb, false);
	if(err)
		return err;
	if(!c->a_accepted)
		err = sipsess_accept(&c->a->sess, rm.sock, rm_cur_msg, 200, "OK",
				"ringset-media", "application/sdp", mb, NULL, NULL, false,
				rm_sess_offer, rm_sess_answer, rm_sess_estab, rm_leg_info, NULL,
				rm_sess_close, c->a, "");
	else
		err = sipsess_answer(c->a->sess, 200, "OK", mb, "");
	mem_deref(mb);
	if(!err)
		c->a_accepted = c->a_answered = true;
	return err;
}

/* early media: 183 with our SDP, before the call is refused */
static int rm_act_early(struct rm_call *c)
{
	struct mbuf *mb = NULL;
	int err;

	if(c->a_accepted || c->a_closed)
		return 0;
	err = rm_leg_sdp_local(c->a, &mb, false);
	if(err)
		return err;
	err = sipsess_accept(&c->a->sess, rm.sock, rm_cur_msg, 183,
			"Session Progress", "ringset-media", "application/sdp", mb, NULL,
			NULL, false, rm_sess_offer, rm_sess_answer, rm_sess_estab,
			rm_leg_info, NULL, rm_sess_close, c->a, "");
	mem_deref(mb);
	if(!err)
		c->a_accepted = true;
	return err;
}

static int rm_act_call_peer(struct rm_call *c)
{
	char to[256], from[256];
	struct mbuf *mb = NULL;
	int err;

	err = rm_leg_alloc(&c->b, c, "mobile");
	if(err)
		return err;
	c->b->digith = rm_key;
	c->b->doneh = rm_leg_done;
	err = rm_leg_sdp_local(c->b, &mb, true);
	if(err)
		return err;
	re_snprintf(to, sizeof(to), "sip:%s@%J", c->target, &rm.cfg.proxy);
	re_snprintf(from, sizeof(from), "sip:%s@%s", c->cli[0] ? c->cli : c->ext,
			rm.cfg.domain);
	err = sipsess_connect(&c->b->sess, rm.sock, to, NULL, from, "ringset-media",
			NULL, 0, "application/sdp", mb, NULL, NULL, false, rm_sess_offer,
			rm_sess_answer, rm_sess_progress, rm_sess_estab, rm_leg_info, NULL,
			rm_sess_close, c->b, "X-Ringset-Origin: fork2mobile;ext=%s\r\n",
			c->ext);
	mem_deref(mb);
	if(!err)
		tmr_start(&c->stmr, RM_PEER_NOANSWER_MS, rm_wait_timeout, c);
	return err;
}

static void rm_act_rpc_login(struct rm_call *c)
{
	char body[512];
	int n, err;

	n = rm_rpc_login_request(body, sizeof(body), c->terminal, c->ext,
			rm_digits_value(&c->dig), ++c->rpc_id);
	/* a PIN of the wrong length is wrong without asking */
	if(n < 0 || (size_t)n >= sizeof(body)) {
		RM_INFO("%s PIN of %d digits refused without a login\n", c->id,
				(int)strlen(rm_digits_value(&c->dig)));
		rm_call_post(c, RM_EV_WRONG_PIN);
		return;
	}
	err = rm_rpc_post(&c->rpc, body, rm_rpc_done, c);
	memset(body, 0, sizeof(body));
	memset(&c->dig, 0, sizeof(c->dig));
	if(err) {
		RM_ERR("%s hotdesk.login: cannot reach %s: %s\n", c->id, rm.cfg.rpc_url,
				strerror(err));
		rm_call_post(c, RM_EV_RPC_ERROR);
	}
}

/* ----- voicemail */

static void rm_rec_limit(void *arg)
{
	rm_call_event(arg, RM_EV_RECORD_END);
}

static void rm_rec_audio(struct rm_leg *leg, const int16_t *s, size_t n)
{
	struct rm_call *c = leg->owner;

	if(!c->recording)
		return;
	if(rm_wav_write(&c->wav, s, n) != RM_WAV_OK) {
		RM_ERR("%s recording %s: write failed (disk full?)\n", c->id,
				c->vm_path);
		c->recording = false;
		(void)rm_wav_close(&c->wav);
		unlink(c->vm_path);
		rm_call_post(c, RM_EV_RECORD_END);
		return;
	}
	if(rm_rms(s, n) < RM_SILENCE_RMS)
		c->silent += n;
	else
		c->silent = 0;
	if(c->silent >= (size_t)rm.cfg.rec_silence_s * 8000) {
		c->silent = 0;
		rm_call_post(c, RM_EV_RECORD_END);
	}
}

/* the mailbox's folder, made if need be */
static int rm_vm_dir(const char *mailbox, char *out, size_t sz)
{
	snprintf(out, sz, "%s/%s", rm.cfg.vm_dir, mailbox);
	if(mkdir(out, 0750) && errno != EEXIST)
		return -1;
	return 0;
}

static void rm_play_seq_digits(
		struct rm_call *c, const rm_prompt_t *first, const char *digits)
{
	const rm_prompt_t *seq[RM_SEQ_MAX];
	int n = 0;
	const char *d;

	if(first)
		seq[n++] = first;
	for(d = digits; *d && n < RM_SEQ_MAX; d++) {
		char nm[2] = {*d, 0};
		const rm_prompt_t *p = rm_prompt_get(&rm.prompts, nm, 1);
		if(p)
			seq[n++] = p;
	}
	rm_leg_play(c->a, seq, n, false);
}

static void rm_act_greeting(struct rm_call *c)
{
	char path[1300];

	snprintf(path, sizeof(path), "%s/%s/greeting.wav", rm.cfg.vm_dir,
			c->mailbox);
	if(rm_wav_load(path, &c->own.pcm, &c->own.n) == RM_WAV_OK && c->own.n) {
		const rm_prompt_t *p = &c->own;
		c->own.name = "greeting";
		rm_leg_play(c->a, &p, 1, false);
		return;
	}
	free(c->own.pcm);
	c->own.pcm = NULL;
	rm_play_seq_digits(
			c, rm_prompt_get(&rm.prompts, "vm-greeting", 11), c->mailbox);
}

static void rm_act_record(struct rm_call *c)
{
	char dir[1100];
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if(rm_vm_dir(c->mailbox, dir, sizeof(dir))) {
		RM_ERR("%s voicemail %s: cannot make %s: %s\n", c->id, c->mailbox, dir,
				strerror(errno));
		rm_call_post(c, RM_EV_RECORD_REFUSED);
		return;
	}
	snprintf(c->vm_path, sizeof(c->vm_path), "%s/%lld%03ld-%08x.wav", dir,
			(long long)ts.tv_sec, ts.tv_nsec / 1000000, rand_u32());
	if(rm_wav_open(&c->wav, c->vm_path) != RM_WAV_OK) {
		RM_ERR("%s voicemail %s: cannot write %s: %s\n", c->id, c->mailbox,
				c->vm_path, strerror(errno));
		unlink(c->vm_path);
		rm_call_post(c, RM_EV_RECORD_REFUSED);
		return;
	}
	c->recording = true;
	c->silent = 0;
	rm_leg_record(c->a, rm_rec_audio);
	tmr_start(&c->stmr, (uint64_t)rm.cfg.rec_max_s * 1000, rm_rec_limit, c);
}

static void rm_act_save_msg(struct rm_call *c)
{
	long long id = 0, ms;
	size_t n = c->wav.n;

	rm_leg_record(c->a, NULL);
	tmr_cancel(&c->stmr);
	if(!c->recording)
		return; /* refused, or the disk filled up: nothing to keep */
	c->recording = false;
	ms = (long long)n / 8;
	if(rm_wav_close(&c->wav) != RM_WAV_OK || ms < RM_VM_MIN_MS) {
		RM_INFO("%s voicemail %s: %lld ms, dropped\n", c->id, c->mailbox, ms);
		unlink(c->vm_path);
		return;
	}
	if(rm_db_vm_insert(c->mailbox, c->caller, ms, c->vm_path, &id)) {
		RM_ERR("%s voicemail %s: the message %s is not indexed\n", c->id,
				c->mailbox, c->vm_path);
		return;
	}
	RM_INFO("%s voicemail %s: message %lld from %s, %lld ms, %s\n", c->id,
			c->mailbox, id, c->caller, ms, c->vm_path);
	rm_mwi_publish(c->mailbox);
}

static void rm_act_count(struct rm_call *c)
{
	char num[16];

	c->msgs = calloc(RM_VM_MAX_MSGS, sizeof(*c->msgs));
	c->nmsgs =
			c->msgs ? rm_db_vm_list(c->mailbox, c->msgs, RM_VM_MAX_MSGS) : -1;
	c->cur = -1;
	if(c->nmsgs <= 0) {
		c->nmsgs = 0;
		rm_play_seq_digits(
				c, rm_prompt_get(&rm.prompts, "vm-no-messages", 14), "");
		return;
	}
	snprintf(num, sizeof(num), "%d", c->nmsgs);
	rm_play_seq_digits(c, rm_prompt_get(&rm.prompts, "vm-messages", 11), num);
}

static void rm_act_play_msg(struct rm_call *c)
{
	const rm_prompt_t *seq[2];

	free(c->own.pcm);
	c->own.pcm = NULL;
	if(c->cur < 0 || c->cur >= c->nmsgs
			|| rm_wav_load(c->msgs[c->cur].path, &c->own.pcm, &c->own.n)
					   != RM_WAV_OK
			|| !c->own.n) {
		RM_ERR("%s voicemail-main %s: cannot play message %lld\n", c->id,
				c->mailbox, c->cur >= 0 ? c->msgs[c->cur].id : -1);
		rm_call_post(c, RM_EV_VM_NEXT);
		return;
	}
	c->own.name = "message";
	seq[0] = &c->own;
	seq[1] = rm_prompt_get(&rm.prompts, "vm-menu", 7);
	rm_leg_play(c->a, seq, 2, false);
}

static void rm_menu_timeout(void *arg)
{
	rm_call_event(arg, RM_EV_TIMEOUT);
}

static void rm_act_msg_done(struct rm_call *c, bool delete_it)
{
	struct rm_vmsg *m;

	tmr_cancel(&c->stmr);
	if(c->cur < 0 || c->cur >= c->nmsgs)
		return;
	m = &c->msgs[c->cur];
	if(rm_db_vm_update(m->id, delete_it))
		return;
	/* only our own files, under the voicemail folder */
	if(delete_it && !strncmp(m->path, rm.cfg.vm_dir, strlen(rm.cfg.vm_dir)))
		unlink(m->path);
	RM_INFO("%s voicemail-main %s: message %lld %s\n", c->id, c->mailbox, m->id,
			delete_it ? "deleted" : "saved");
	rm_mwi_publish(c->mailbox);
}

static void rm_act(struct rm_call *c, const rm_action_t *a)
{
	int err = 0;

	switch(a->a) {
		case RM_A_NONE:
		case RM_A_COUNT_TRY:
			break;
		case RM_A_RING:
			err = sipsess_accept(&c->a->sess, rm.sock, rm_cur_msg, 180,
					"Ringing", "ringset-media", "application/sdp", NULL, NULL,
					NULL, false, rm_sess_offer, rm_sess_answer, rm_sess_estab,
					rm_leg_info, NULL, rm_sess_close, c->a, "");
			if(!err)
				c->a_accepted = true;
			break;
		case RM_A_ANSWER:
			err = rm_act_answer(c);
			break;
		case RM_A_PLAY:
			rm_play(c->a, a->prompt ? rm_p(a->prompt) : c->prompt, false);
			break;
		case RM_A_STOP:
			rm_leg_stop(c->a);
			break;
		case RM_A_COLLECT_PIN:
			rm_digits_start(&c->dig, tmr_jiffies(), 10000, 5000, 16);
			rm_arm_digits(c);
			break;
		case RM_A_RPC_LOGIN:
			rm_act_rpc_login(c);
			break;
		case RM_A_HANGUP:
			if(c->a->sess && !c->a_closed)
				c->a->sess = mem_deref(c->a->sess); /* BYE */
			break;
		case RM_A_REJECT:
			if(c->a->sess && !c->a_closed && !c->a_answered) {
				(void)sipsess_reject(
						c->a->sess, 480, "Temporarily Unavailable", "");
				c->a->sess = mem_deref(c->a->sess);
			}
			break;
		case RM_A_CALL_PEER:
			err = rm_act_call_peer(c);
			if(err)
				rm_call_post(c, RM_EV_PEER_FAILED);
			err = 0;
			break;
		case RM_A_SEND_183:
			err = sipsess_progress(c->a->sess, 183, "Session Progress", NULL,
					"X-Ringset-Confirm: answered\r\n");
			break;
		case RM_A_PEER_PROMPT:
			if(c->b)
				rm_play(c->b, rm_p(a->prompt), true);
			break;
		case RM_A_PEER_STOP:
			if(c->b)
				rm_leg_stop(c->b);
			break;
		case RM_A_WAIT_KEY:
			tmr_start(&c->stmr, (uint64_t)c->timeout_s * 1000, rm_wait_timeout,
					c);
			break;
		case RM_A_BRIDGE:
			tmr_cancel(&c->stmr);
			if(c->b)
				rm_leg_bridge(c->a, c->b);
			break;
		case RM_A_HANGUP_PEER:
			tmr_cancel(&c->stmr);
			if(c->b && c->b->sess && !c->b_closed)
				c->b->sess = mem_deref(c->b->sess); /* CANCEL or BYE */
			break;
		case RM_A_PLAY_GREETING:
			rm_act_greeting(c);
			break;
		case RM_A_RECORD:
			rm_act_record(c);
			break;
		case RM_A_SAVE_MSG:
			rm_act_save_msg(c);
			break;
		case RM_A_PLAY_COUNT:
			rm_act_count(c);
			break;
		case RM_A_FIRST_MSG:
			c->cur = -1;
			/* fall through */
		case RM_A_NEXT_MSG:
			tmr_cancel(&c->stmr);
			c->cur++;
			rm_call_post(c, c->cur < c->nmsgs ? RM_EV_MSG : RM_EV_NO_MSG);
			break;
		case RM_A_PLAY_MSG:
			tmr_cancel(&c->stmr);
			rm_act_play_msg(c);
			break;
		case RM_A_DELETE_MSG:
			rm_act_msg_done(c, true);
			break;
		case RM_A_KEEP_MSG:
			rm_act_msg_done(c, false);
			break;
		case RM_A_MENU_WAIT:
			tmr_start(&c->stmr, RM_VM_MENU_WAIT_MS, rm_menu_timeout, c);
			break;
		case RM_A_EARLY:
			err = rm_act_early(c);
			break;
		case RM_A_REFUSE:
			if(c->a->sess && !c->a_closed && !c->a_answered) {
				RM_INFO("%s refused: %u %s\n", c->id, c->rcode, c->reason);
				(void)sipsess_reject(c->a->sess, c->rcode, c->reason, "");
				c->a->sess = mem_deref(c->a->sess);
			}
			break;
		case RM_A__N:
			RM_ERR("%s action %d is not available\n", c->id, a->a);
			break;
	}
	if(err)
		RM_ERR("%s action %d failed: %s\n", c->id, a->a, strerror(err));
}

static void rm_call_event(struct rm_call *c, rm_ev_t ev)
{
	const rm_row_t *row;
	const char *prev = rm_fsm_state_name(&c->fsm);
	int k;

	if(c->freeing)
		return;
	row = rm_fsm_step(&c->fsm, ev);
	if(!row) {
		RM_DBG("%s %s: %s ignored in %s\n", c->id, c->fsm.def->service,
				rm_ev_name(ev), rm_fsm_state_name(&c->fsm));
		return;
	}
	RM_INFO("%s %s: %s, %s -> %s\n", c->id, c->fsm.def->service, rm_ev_name(ev),
			prev, rm_fsm_state_name(&c->fsm));
	for(k = 0; k < RM_FSM_ACTS && row->act[k].a != RM_A_NONE; k++)
		rm_act(c, &row->act[k]);
	if(c->fsm.state == RM_S_END) {
		c->freeing = true;
		tmr_cancel(&c->etmr);
		tmr_start(&c->ftmr, 0, rm_call_free, c);
	}
}

/* ----- a new INVITE */

/* copies header name's value into out if it is a token; false if not */
bool rm_hdr_token(
		const struct sip_msg *msg, const char *name, char *out, size_t sz)
{
	const struct sip_hdr *h = sip_msg_xhdr(msg, name);

	if(!h || !rm_token_ok(h->val.p, h->val.l) || h->val.l >= sz)
		return false;
	pl_strcpy(&h->val, out, sz);
	return true;
}

void rm_refuse(const struct sip_msg *msg, uint16_t code, const char *reason)
{
	rm.n_rejected++;
	RM_INFO("INVITE %r for %r: %u %s\n", &msg->callid, &msg->uri.user, code,
			reason);
	(void)sip_treply(NULL, rm.sip, msg, code, reason);
}

/* the headers of each service; a reason phrase naming what is wrong */
static const char *rm_svc_headers(
		struct rm_call *c, const struct sip_msg *msg, uint16_t *code)
{
	const char *svc = c->fsm.def->service;
	const struct sip_hdr *h;
	int code_v;

	*code = 400;
	if(!strcmp(svc, "refuse")) {
		h = sip_msg_xhdr(msg, "X-Ringset-Reason");
		if(!h)
			return "Missing X-Ringset-Reason";
		code_v = rm_parse_reason(
				h->val.p, h->val.l, c->reason, sizeof(c->reason));
		if(code_v < 0)
			return "Bad X-Ringset-Reason";
		c->rcode = (uint16_t)code_v;
	}
	if(!strcmp(svc, "announce") || !strcmp(svc, "refuse")) {
		h = sip_msg_xhdr(msg, "X-Ringset-Prompt");
		if(!h)
			return "Missing X-Ringset-Prompt";
		c->prompt = rm_prompt_get(&rm.prompts, h->val.p, h->val.l);
		if(!c->prompt) {
			*code = 404;
			return "Unknown prompt";
		}
	} else if(!strcmp(svc, "hotdesk-login")) {
		if(!rm_hdr_token(msg, "X-Ringset-Ext", c->ext, sizeof(c->ext)))
			return "Missing or bad X-Ringset-Ext";
		if(!rm_hdr_token(
				   msg, "X-Ringset-Terminal", c->terminal, sizeof(c->terminal)))
			return "Missing or bad X-Ringset-Terminal";
	} else if(!strcmp(svc, "confirm")) {
		if(!rm_hdr_token(msg, "X-Ringset-Ext", c->ext, sizeof(c->ext)))
			return "Missing or bad X-Ringset-Ext";
		if(!rm_hdr_token(msg, "X-Ringset-Target", c->target, sizeof(c->target)))
			return "Missing or bad X-Ringset-Target";
		h = sip_msg_xhdr(msg, "X-Ringset-CLI");
		if(h && h->val.l
				&& !rm_hdr_token(msg, "X-Ringset-CLI", c->cli, sizeof(c->cli)))
			return "Bad X-Ringset-CLI";
		h = sip_msg_xhdr(msg, "X-Ringset-Timeout");
		if(!h || (c->timeout_s = rm_parse_secs(h->val.p, h->val.l)) < 0)
			return "Missing or bad X-Ringset-Timeout";
		h = sip_msg_xhdr(msg, "X-Ringset-Key");
		if(!h || h->val.l != 1 || !strchr("0123456789*#", h->val.p[0]))
			return "Missing or bad X-Ringset-Key";
		c->key = h->val.p[0];
	} else if(!strcmp(svc, "voicemail") || !strcmp(svc, "voicemail-main")) {
		if(!rm_hdr_token(
				   msg, "X-Ringset-Mailbox", c->mailbox, sizeof(c->mailbox)))
			return "Missing or bad X-Ringset-Mailbox";
	}
	return NULL;
}

void rm_svc_conn(const struct sip_msg *msg, void *arg)
{
	const rm_fsm_def_t *def;
	struct rm_call *c;
	const char *why;
	uint16_t code;

	(void)arg;
	rm.n_invites++;
	if(rm.stopping) {
		rm_refuse(msg, 503, "Shutting down");
		return;
	}
	if(!pl_strcmp(&msg->uri.user, "b2bua")) {
		rm_b2b_conn(msg); /* in-call services: rm_b2b.c */
		return;
	}
	def = rm_fsm_find(msg->uri.user.p, (int)msg->uri.user.l);
	if(!def) {
		rm_refuse(msg, 404, "Unknown service");
		return;
	}
	if(rm.ncalls >= rm.cfg.max_calls) {
		rm_refuse(msg, 503, "Too many calls");
		return;
	}
	c = mem_zalloc(sizeof(*c), rm_call_destructor);
	if(!c) {
		rm_refuse(msg, 500, "Out of memory");
		return;
	}
	rm.ncalls++;
	list_append(&rm.calls, &c->le, c);
	rm_fsm_init(&c->fsm, def);
	pl_strcpy(&msg->callid, c->id, sizeof(c->id));
	rm_caller_name(msg->from.uri.user.p, msg->from.uri.user.l, c->caller);
	why = rm_svc_headers(c, msg, &code);
	if(why) {
		rm_refuse(msg, code, why);
		mem_deref(c);
		return;
	}
	if(rm_leg_incoming(
			   &c->a, c, "caller", msg, false, rm_key, rm_leg_done, NULL)) {
		mem_deref(c);
		return;
	}
	rm_cur_msg = msg;
	rm_call_event(c, RM_EV_START);
	rm_cur_msg = NULL;
	if(!c->a_accepted && !c->freeing) {
		/* the first actions could not even answer */
		rm_refuse(msg, 500, "Server Error");
		c->freeing = true;
		mem_deref(c);
	}
}

bool rm_svc_handle_other(const struct sip_msg *msg, void *arg)
{
	(void)arg;
	if(!pl_strcmp(&msg->met, "OPTIONS")) {
		(void)sip_treply(NULL, rm.sip, msg, 200, "OK");
		return true;
	}
	if(!pl_strcmp(&msg->met, "REGISTER") || !pl_strcmp(&msg->met, "PUBLISH")
			|| !pl_strcmp(&msg->met, "SUBSCRIBE")
			|| !pl_strcmp(&msg->met, "MESSAGE")) {
		(void)sip_treply(NULL, rm.sip, msg, 405, "Method Not Allowed");
		return true;
	}
	return false;
}

void rm_svc_close_all(void)
{
	struct le *le;
	struct rm_call *c;

	rm_b2b_close_all();
	for(le = rm.calls.head; le; le = le->next) {
		c = le->data;
		if(c->freeing)
			continue;
		RM_INFO("%s ended by shutdown in %s\n", c->id,
				rm_fsm_state_name(&c->fsm));
		if(c->recording)
			rm_act_save_msg(c); /* what was said is kept */
		c->freeing = true;
		if(c->b && c->b->sess)
			c->b->sess = mem_deref(c->b->sess);
		if(c->a->sess && c->a_accepted && !c->a_answered && !c->a_closed)
			(void)sipsess_reject(c->a->sess, 503, "Shutting down", "");
		if(c->a->sess)
			c->a->sess = mem_deref(c->a->sess);
		tmr_start(&c->ftmr, 0, rm_call_free, c);
	}
}
