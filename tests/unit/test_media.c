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

/* tests of the media server's plain-C core (media/lib) */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "rm_digits.h"
#include "rm_fsm.h"
#include "rm_g711.h"
#include "rm_prompt.h"
#include "rm_tev.h"
#include "rm_proto.h"
#include "rm_tone.h"
#include "rm_wav.h"

/* ----- G.711 */

static void test_g711_roundtrip(void)
{
	static const int16_t v[] = {0, 1, -1, 100, -100, 1000, -1000, 8000, -8000,
			32767, -32768, 20000, -20000};
	size_t i;
	int16_t u, a;

	for(i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		u = rm_ulaw_dec(rm_ulaw_enc(v[i]));
		a = rm_alaw_dec(rm_alaw_enc(v[i]));
		/* the quantisation error grows with the segment: under 1/16 */
		CU_ASSERT(abs(u - v[i])
				  <= abs(v[i]) / 16 + 8 + (abs(v[i]) > 32000) * 300);
		CU_ASSERT(abs(a - v[i])
				  <= abs(v[i]) / 16 + 16 + (abs(v[i]) > 32000) * 300);
		/* same sign, except around zero */
		if(abs(v[i]) > 64) {
			CU_ASSERT((u > 0) == (v[i] > 0));
			CU_ASSERT((a > 0) == (v[i] > 0));
		}
	}
}

static void test_g711_known(void)
{
	/* the reference values of the G.711 tables */
	CU_ASSERT_EQUAL(rm_ulaw_enc(0), 0xff);
	CU_ASSERT_EQUAL(rm_ulaw_enc(-1), 0x7f);
	CU_ASSERT_EQUAL(rm_ulaw_enc(32767), 0x80);
	CU_ASSERT_EQUAL(rm_ulaw_enc(-32768), 0x00);
	CU_ASSERT_EQUAL(rm_alaw_enc(0), 0xd5);
	CU_ASSERT_EQUAL(rm_alaw_enc(-1), 0x55);
	CU_ASSERT_EQUAL(rm_alaw_enc(32767), 0xaa);
	CU_ASSERT_EQUAL(rm_alaw_enc(-32768), 0x2a);
	CU_ASSERT_EQUAL(rm_ulaw_dec(0xff), 0);
	CU_ASSERT_EQUAL(rm_alaw_dec(0xd5), 8);
}

static void test_g711_all_codes(void)
{
	int c;

	/* decoding then encoding gives every code back (mu-law has two
	 * zeros, 0x7f and 0xff) */
	for(c = 0; c < 256; c++) {
		if(c != 0x7f)
			CU_ASSERT_EQUAL(rm_ulaw_enc(rm_ulaw_dec((uint8_t)c)), c);
		CU_ASSERT_EQUAL(rm_alaw_enc(rm_alaw_dec((uint8_t)c)), c);
	}
}

/* ----- tones */

static void test_tone_goertzel(void)
{
	int16_t x[160];
	rm_tone_t t;

	rm_tone_init(&t, 1000, 8000, 10000);
	rm_tone_gen(&t, x, 160);
	CU_ASSERT(rm_goertzel(x, 160, 1000, 8000) > 0.9);
	CU_ASSERT(rm_goertzel(x, 160, 1400, 8000) < 0.1);
	CU_ASSERT(rm_rms(x, 160) > 7000 && rm_rms(x, 160) < 7150);
	memset(x, 0, sizeof(x));
	CU_ASSERT_EQUAL(rm_goertzel(x, 160, 1000, 8000), 0);
	CU_ASSERT_EQUAL(rm_rms(x, 0), 0);
}

/* ----- WAV */

static void test_wav_roundtrip(void)
{
	char path[] = "/tmp/rm_wav_XXXXXX";
	int fd = mkstemp(path);
	rm_wav_writer_t w;
	int16_t in[500], *out = NULL;
	size_t n = 0, i;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	for(i = 0; i < 500; i++)
		in[i] = (int16_t)(i * 37 - 9000);
	CU_ASSERT_EQUAL(rm_wav_open(&w, path), RM_WAV_OK);
	CU_ASSERT_EQUAL(rm_wav_write(&w, in, 200), RM_WAV_OK);
	CU_ASSERT_EQUAL(rm_wav_write(&w, in + 200, 300), RM_WAV_OK);
	CU_ASSERT_EQUAL(rm_wav_close(&w), RM_WAV_OK);
	CU_ASSERT_EQUAL(rm_wav_load(path, &out, &n), RM_WAV_OK);
	CU_ASSERT_EQUAL(n, 500);
	if(out)
		CU_ASSERT(memcmp(in, out, sizeof(in)) == 0);
	free(out);
	unlink(path);
	CU_ASSERT_EQUAL(rm_wav_load("/nonexistent/x.wav", &out, &n), RM_WAV_E_IO);
}

static void test_wav_bad(void)
{
	uint8_t h[RM_WAV_HDR + 4];
	int16_t *s;
	size_t n;

	rm_wav_header(h, 2);
	memset(h + RM_WAV_HDR, 0, 4);
	CU_ASSERT_EQUAL(rm_wav_parse(h, sizeof(h), &s, &n), RM_WAV_OK);
	CU_ASSERT_EQUAL(n, 2);
	free(s);
	/* 16 kHz */
	h[24] = 0x80;
	h[25] = 0x3e;
	CU_ASSERT_EQUAL(rm_wav_parse(h, sizeof(h), &s, &n), RM_WAV_E_SPEC);
	rm_wav_header(h, 2);
	h[22] = 2; /* stereo */
	CU_ASSERT_EQUAL(rm_wav_parse(h, sizeof(h), &s, &n), RM_WAV_E_SPEC);
	rm_wav_header(h, 2);
	h[20] = 3; /* float */
	CU_ASSERT_EQUAL(rm_wav_parse(h, sizeof(h), &s, &n), RM_WAV_E_FORMAT);
	CU_ASSERT_EQUAL(rm_wav_parse(h, 10, &s, &n), RM_WAV_E_FORMAT);
	memcpy(h, "RIFX", 4);
	CU_ASSERT_EQUAL(rm_wav_parse(h, sizeof(h), &s, &n), RM_WAV_E_FORMAT);
	/* a data chunk that claims more than there is: what is there */
	rm_wav_header(h, 1000);
	CU_ASSERT_EQUAL(rm_wav_parse(h, sizeof(h), &s, &n), RM_WAV_OK);
	CU_ASSERT_EQUAL(n, 2);
	free(s);
}

static void test_wav_full_disk(void)
{
	rm_wav_writer_t w;
	int16_t s[160] = {0};

	/* /dev/full: every write fails with ENOSPC, as on a full disk */
	if(rm_wav_open(&w, "/dev/full") != RM_WAV_OK) {
		CU_PASS("the header write failed already");
		return;
	}
	CU_ASSERT_EQUAL(rm_wav_write(&w, s, 160), RM_WAV_OK); /* buffered */
	CU_ASSERT_EQUAL(rm_wav_close(&w), RM_WAV_E_IO);
}

/* ----- digits */

static void test_digits_hash(void)
{
	rm_digits_t d;

	rm_digits_start(&d, 1000, 10000, 5000, 16);
	CU_ASSERT_EQUAL(rm_digits_deadline(&d), 11000);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '#', 1100), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '1', 1200), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_deadline(&d), 6200);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '2', 1300), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '*', 1400), RM_D_MORE);
	CU_ASSERT_STRING_EQUAL(rm_digits_value(&d), "");
	CU_ASSERT_EQUAL(rm_digits_deadline(&d), 11400);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '3', 1500), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, 'x', 1500), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '4', 1600), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '#', 1700), RM_D_DONE);
	CU_ASSERT_STRING_EQUAL(rm_digits_value(&d), "34");
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '5', 1800), RM_D_IDLE);
	CU_ASSERT_EQUAL(rm_digits_deadline(&d), 0);
}

static void test_digits_timeouts(void)
{
	rm_digits_t d;

	rm_digits_start(&d, 0, 10000, 5000, 16);
	CU_ASSERT_EQUAL(rm_digits_poll(&d, 9999), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_poll(&d, 10000), RM_D_TIMEOUT);
	rm_digits_start(&d, 0, 10000, 5000, 16);
	rm_digits_feed(&d, '1', 9000);
	rm_digits_feed(&d, '2', 9500);
	CU_ASSERT_EQUAL(rm_digits_poll(&d, 10000), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_poll(&d, 14499), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_poll(&d, 14500), RM_D_DONE);
	CU_ASSERT_STRING_EQUAL(rm_digits_value(&d), "12");
	CU_ASSERT_EQUAL(rm_digits_poll(&d, 20000), RM_D_IDLE);
}

static void test_digits_overflow(void)
{
	rm_digits_t d;
	int i;

	rm_digits_start(&d, 0, 10000, 5000, 4);
	for(i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(rm_digits_feed(&d, '9', 10), RM_D_MORE);
	CU_ASSERT_EQUAL(rm_digits_feed(&d, '9', 10), RM_D_OVERFLOW);
	rm_digits_start(&d, 0, 1, 1, 99); /* max is capped */
	CU_ASSERT_EQUAL(d.max, RM_DIGITS_MAX);
}

/* ----- state machines: "in state S, event E -> actions, state S'" */

typedef struct
{
	rm_ev_t ev;
	const char *state; /* after the event */
	rm_act_t first;	   /* its first action (RM_A_NONE: none, or ignored) */
	const char *prompt;
} ut_fsm_step_t;

static void ut_walk(const char *svc, const ut_fsm_step_t *steps, int n)
{
	const rm_fsm_def_t *def = rm_fsm_find(svc, (int)strlen(svc));
	const rm_row_t *r;
	rm_fsm_t f;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(def);
	rm_fsm_init(&f, def);
	for(i = 0; i < n; i++) {
		r = rm_fsm_step(&f, steps[i].ev);
		if(strcmp(rm_fsm_state_name(&f), steps[i].state)) {
			fprintf(stderr, "\n%s step %d (%s): state %s, expected %s\n", svc,
					i, rm_ev_name(steps[i].ev), rm_fsm_state_name(&f),
					steps[i].state);
			CU_FAIL("state");
		}
		if(steps[i].first == RM_A_NONE) {
			CU_ASSERT(r == NULL || r->act[0].a == RM_A_NONE);
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_EQUAL(r->act[0].a, steps[i].first);
		if(steps[i].prompt) {
			int k, found = 0;
			for(k = 0; k < RM_FSM_ACTS; k++)
				found |= r->act[k].prompt
						 && !strcmp(r->act[k].prompt, steps[i].prompt);
			CU_ASSERT(found);
		}
	}
}

#define UT_WALK(svc, tab) ut_walk(svc, tab, (int)(sizeof(tab) / sizeof(tab[0])))

static void test_fsm_announce(void)
{
	static const ut_fsm_step_t t[] = {
			{RM_EV_PROMPT_DONE, "idle", RM_A_NONE, NULL},
			{RM_EV_START, "playing", RM_A_ANSWER, NULL},
			{RM_EV_DIGITS, "playing", RM_A_NONE, NULL},
			{RM_EV_PROMPT_DONE, "end", RM_A_HANGUP, NULL},
			{RM_EV_HANGUP, "end", RM_A_NONE, NULL},
	};
	static const ut_fsm_step_t bye[] = {
			{RM_EV_START, "playing", RM_A_ANSWER, NULL},
			{RM_EV_HANGUP, "end", RM_A_NONE, NULL},
	};

	UT_WALK("announce", t);
	UT_WALK("announce", bye);
}

static void test_fsm_refuse(void)
{
	/* early media, the prompt, then the final reply */
	static const ut_fsm_step_t t[] = {
			{RM_EV_START, "playing", RM_A_EARLY, NULL},
			{RM_EV_DIGITS, "playing", RM_A_NONE, NULL},
			{RM_EV_PROMPT_DONE, "end", RM_A_REFUSE, NULL},
			{RM_EV_HANGUP, "end", RM_A_NONE, NULL},
	};
	/* the caller gives up (CANCEL) while it plays: nothing more is sent */
	static const ut_fsm_step_t cancel[] = {
			{RM_EV_START, "playing", RM_A_EARLY, NULL},
			{RM_EV_HANGUP, "end", RM_A_NONE, NULL},
			{RM_EV_PROMPT_DONE, "end", RM_A_NONE, NULL},
	};
	const rm_fsm_def_t *d = rm_fsm_find("refuse", 6);

	UT_WALK("refuse", t);
	UT_WALK("refuse", cancel);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	/* START plays the request's own prompt after the 183 */
	CU_ASSERT_EQUAL(d->rows[0].act[1].a, RM_A_PLAY);
	CU_ASSERT_PTR_NULL(d->rows[0].act[1].prompt);
}

static void test_fsm_hotdesk(void)
{
	/* wrong, wrong, right */
	static const ut_fsm_step_t ok3[] = {
			{RM_EV_START, "enter", RM_A_ANSWER, "enter-pin"},
			{RM_EV_DIGITS, "check", RM_A_STOP, NULL},
			{RM_EV_WRONG_PIN, "again", RM_A_COUNT_TRY, "wrong-pin"},
			{RM_EV_PROMPT_DONE, "enter", RM_A_PLAY, "enter-pin"},
			{RM_EV_DIGITS, "check", RM_A_STOP, NULL},
			{RM_EV_WRONG_PIN, "again", RM_A_COUNT_TRY, "wrong-pin"},
			{RM_EV_PROMPT_DONE, "enter", RM_A_PLAY, "enter-pin"},
			{RM_EV_DIGITS, "check", RM_A_STOP, NULL},
			{RM_EV_LOGGED_IN, "bye", RM_A_PLAY, "logged-in"},
			{RM_EV_PROMPT_DONE, "end", RM_A_HANGUP, NULL},
	};
	/* three wrong: the third wrong-pin is followed by BYE */
	static const ut_fsm_step_t wrong3[] = {
			{RM_EV_START, "enter", RM_A_ANSWER, NULL},
			{RM_EV_DIGITS, "check", RM_A_STOP, NULL},
			{RM_EV_WRONG_PIN, "again", RM_A_COUNT_TRY, NULL},
			{RM_EV_PROMPT_DONE, "enter", RM_A_PLAY, NULL},
			{RM_EV_DIGITS, "check", RM_A_STOP, NULL},
			{RM_EV_WRONG_PIN, "again", RM_A_COUNT_TRY, NULL},
			{RM_EV_PROMPT_DONE, "enter", RM_A_PLAY, NULL},
			{RM_EV_DIGITS, "check", RM_A_STOP, NULL},
			{RM_EV_WRONG_PIN, "bye", RM_A_COUNT_TRY, "wrong-pin"},
			{RM_EV_PROMPT_DONE, "end", RM_A_HANGUP, NULL},
	};
	static const ut_fsm_step_t locked[] = {
			{RM_EV_START, "enter", RM_A_ANSWER, NULL},
			{RM_EV_DIGITS, "check", RM_A_STOP, NULL},
			{RM_EV_LOCKED, "bye", RM_A_PLAY, "locked"},
			{RM_EV_HANGUP, "end", RM_A_NONE, NULL},
	};
	static const ut_fsm_step_t silent[] = {
			{RM_EV_START, "enter", RM_A_ANSWER, NULL},
			{RM_EV_NO_DIGITS, "enter", RM_A_COUNT_TRY, "enter-pin"},
			{RM_EV_NO_DIGITS, "enter", RM_A_COUNT_TRY, "enter-pin"},
			{RM_EV_NO_DIGITS, "end", RM_A_HANGUP, NULL},
	};
	static const ut_fsm_step_t rpcerr[] = {
			{RM_EV_START, "enter", RM_A_ANSWER, NULL},
			{RM_EV_DIGITS, "check", RM_A_STOP, NULL},
			{RM_EV_RPC_ERROR, "bye", RM_A_PLAY, "not-available"},
	};

	UT_WALK("hotdesk-login", ok3);
	UT_WALK("hotdesk-login", wrong3);
	UT_WALK("hotdesk-login", locked);
	UT_WALK("hotdesk-login", silent);
	UT_WALK("hotdesk-login", rpcerr);
}

static void test_fsm_confirm(void)
{
	static const ut_fsm_step_t key[] = {
			{RM_EV_START, "dialing", RM_A_RING, NULL},
			{RM_EV_KEY, "dialing", RM_A_NONE, NULL}, /* not before answer */
			{RM_EV_PEER_ANSWERED, "wait-key", RM_A_SEND_183, "press-1"},
			{RM_EV_KEY, "bridged", RM_A_PEER_STOP, NULL},
			{RM_EV_PEER_HANGUP, "end", RM_A_HANGUP, NULL},
	};
	static const ut_fsm_step_t other[] = {
			{RM_EV_START, "dialing", RM_A_RING, NULL},
			{RM_EV_PEER_ANSWERED, "wait-key", RM_A_SEND_183, NULL},
			{RM_EV_OTHER_KEY, "end", RM_A_HANGUP_PEER, NULL},
	};
	static const ut_fsm_step_t timeout[] = {
			{RM_EV_START, "dialing", RM_A_RING, NULL},
			{RM_EV_PEER_ANSWERED, "wait-key", RM_A_SEND_183, NULL},
			{RM_EV_TIMEOUT, "end", RM_A_HANGUP_PEER, NULL},
	};
	static const ut_fsm_step_t cancel[] = {
			{RM_EV_START, "dialing", RM_A_RING, NULL},
			{RM_EV_HANGUP, "end", RM_A_HANGUP_PEER, NULL},
	};
	static const ut_fsm_step_t busy[] = {
			{RM_EV_START, "dialing", RM_A_RING, NULL},
			{RM_EV_PEER_FAILED, "end", RM_A_REJECT, NULL},
	};
	static const ut_fsm_step_t bye[] = {
			{RM_EV_START, "dialing", RM_A_RING, NULL},
			{RM_EV_PEER_ANSWERED, "wait-key", RM_A_SEND_183, NULL},
			{RM_EV_KEY, "bridged", RM_A_PEER_STOP, NULL},
			{RM_EV_HANGUP, "end", RM_A_HANGUP_PEER, NULL},
	};

	UT_WALK("confirm", key);
	UT_WALK("confirm", other);
	UT_WALK("confirm", timeout);
	UT_WALK("confirm", cancel);
	UT_WALK("confirm", busy);
	UT_WALK("confirm", bye);
}

static void test_fsm_voicemail(void)
{
	static const ut_fsm_step_t rec[] = {
			{RM_EV_START, "greeting", RM_A_ANSWER, NULL},
			{RM_EV_RECORD_END, "greeting", RM_A_NONE, NULL},
			{RM_EV_PROMPT_DONE, "beep", RM_A_PLAY, "vm-beep"},
			{RM_EV_PROMPT_DONE, "recording", RM_A_RECORD, NULL},
			{RM_EV_RECORD_END, "end", RM_A_SAVE_MSG, NULL},
	};
	static const ut_fsm_step_t bye[] = {
			{RM_EV_START, "greeting", RM_A_ANSWER, NULL},
			{RM_EV_PROMPT_DONE, "beep", RM_A_PLAY, NULL},
			{RM_EV_PROMPT_DONE, "recording", RM_A_RECORD, NULL},
			{RM_EV_HANGUP, "end", RM_A_SAVE_MSG, NULL},
	};
	static const ut_fsm_step_t full[] = {
			{RM_EV_START, "greeting", RM_A_ANSWER, NULL},
			{RM_EV_PROMPT_DONE, "beep", RM_A_PLAY, NULL},
			{RM_EV_PROMPT_DONE, "recording", RM_A_RECORD, NULL},
			{RM_EV_RECORD_REFUSED, "refused", RM_A_PLAY, "not-allowed"},
			{RM_EV_PROMPT_DONE, "end", RM_A_HANGUP, NULL},
	};
	static const ut_fsm_step_t early[] = {
			{RM_EV_START, "greeting", RM_A_ANSWER, NULL},
			{RM_EV_HANGUP, "end", RM_A_NONE, NULL},
	};

	UT_WALK("voicemail", rec);
	UT_WALK("voicemail", bye);
	UT_WALK("voicemail", full);
	UT_WALK("voicemail", early);
}

static void test_fsm_voicemail_main(void)
{
	static const ut_fsm_step_t two[] = {
			{RM_EV_START, "count", RM_A_ANSWER, NULL},
			{RM_EV_PROMPT_DONE, "next", RM_A_FIRST_MSG, NULL},
			{RM_EV_MSG, "menu", RM_A_PLAY_MSG, NULL},
			{RM_EV_PROMPT_DONE, "menu", RM_A_MENU_WAIT, NULL},
			{RM_EV_VM_AGAIN, "menu", RM_A_STOP, NULL},
			{RM_EV_VM_DELETE, "ack", RM_A_STOP, "vm-deleted"},
			{RM_EV_PROMPT_DONE, "next", RM_A_NEXT_MSG, NULL},
			{RM_EV_MSG, "menu", RM_A_PLAY_MSG, NULL},
			{RM_EV_VM_SAVE, "ack", RM_A_STOP, "vm-saved"},
			{RM_EV_PROMPT_DONE, "next", RM_A_NEXT_MSG, NULL},
			{RM_EV_NO_MSG, "end", RM_A_HANGUP, NULL},
	};
	static const ut_fsm_step_t skip[] = {
			{RM_EV_START, "count", RM_A_ANSWER, NULL},
			{RM_EV_VM_DELETE, "count", RM_A_NONE, NULL}, /* no message yet */
			{RM_EV_PROMPT_DONE, "next", RM_A_FIRST_MSG, NULL},
			{RM_EV_MSG, "menu", RM_A_PLAY_MSG, NULL},
			{RM_EV_VM_NEXT, "next", RM_A_STOP, NULL},
			{RM_EV_MSG, "menu", RM_A_PLAY_MSG, NULL},
			{RM_EV_TIMEOUT, "end", RM_A_HANGUP, NULL},
	};
	static const ut_fsm_step_t none[] = {
			{RM_EV_START, "count", RM_A_ANSWER, NULL},
			{RM_EV_PROMPT_DONE, "next", RM_A_FIRST_MSG, NULL},
			{RM_EV_NO_MSG, "end", RM_A_HANGUP, NULL},
	};

	UT_WALK("voicemail-main", two);
	UT_WALK("voicemail-main", skip);
	UT_WALK("voicemail-main", none);
}

static void test_proto_dburl(void)
{
	char u[64], p[64], h[64], d[64], c[65];
	unsigned port;

	CU_ASSERT_EQUAL(rm_dburl_parse("mysql://ringset:ringset@localhost/ringset",
							u, p, h, &port, d),
			0);
	CU_ASSERT_STRING_EQUAL(u, "ringset");
	CU_ASSERT_STRING_EQUAL(p, "ringset");
	CU_ASSERT_STRING_EQUAL(h, "localhost");
	CU_ASSERT_STRING_EQUAL(d, "ringset");
	CU_ASSERT_EQUAL(port, 0);
	CU_ASSERT_EQUAL(
			rm_dburl_parse("mysql://a:b@db.example:3307/x", u, p, h, &port, d),
			0);
	CU_ASSERT_EQUAL(port, 3307);
	CU_ASSERT_STRING_EQUAL(h, "db.example");
	CU_ASSERT_EQUAL(
			rm_dburl_parse("postgres://a:b@h/x", u, p, h, &port, d), -1);
	CU_ASSERT_EQUAL(rm_dburl_parse("mysql://ab@h/x", u, p, h, &port, d), -1);
	CU_ASSERT_EQUAL(rm_dburl_parse("mysql://a:b@h", u, p, h, &port, d), -1);
	CU_ASSERT_EQUAL(rm_dburl_parse("mysql://a:b@h/x/y", u, p, h, &port, d), -1);
	CU_ASSERT_EQUAL(rm_dburl_parse(NULL, u, p, h, &port, d), -1);
	rm_caller_name("200", 3, c);
	CU_ASSERT_STRING_EQUAL(c, "200");
	rm_caller_name("a'b", 3, c);
	CU_ASSERT_STRING_EQUAL(c, "unknown");
	rm_caller_name(NULL, 0, c);
	CU_ASSERT_STRING_EQUAL(c, "unknown");
}

static void test_fsm_find(void)
{
	CU_ASSERT_PTR_NULL(rm_fsm_find("b2bua-x", 7));
	CU_ASSERT_PTR_NULL(rm_fsm_find("announcex", 9));
	CU_ASSERT_PTR_NULL(rm_fsm_find("announce", 0));
	CU_ASSERT_PTR_NULL(rm_fsm_find(NULL, 3));
	CU_ASSERT_PTR_NOT_NULL(rm_fsm_find("announce-more", 8));
	CU_ASSERT_STRING_EQUAL(rm_ev_name(RM_EV_HANGUP), "hangup");
	CU_ASSERT_STRING_EQUAL(rm_ev_name((rm_ev_t)999), "?");
}

/* ----- prompts */

static void test_prompt_names(void)
{
	char dir[] = "/tmp/rm_prompts_XXXXXX", path[256], err[512];
	rm_prompts_t t = {NULL, 0};
	rm_wav_writer_t w;
	int16_t s[10] = {1, 2, 3};
	int i;

	CU_ASSERT(rm_prompt_name_ok("press-1", 7));
	CU_ASSERT(!rm_prompt_name_ok("../etc", 6));
	CU_ASSERT(!rm_prompt_name_ok("Saved", 5));
	CU_ASSERT(!rm_prompt_name_ok("", 0));
	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	/* a folder without the prompts: a clear error naming the file */
	CU_ASSERT_EQUAL(rm_prompts_load(&t, dir, err, sizeof(err)), -1);
	CU_ASSERT(strstr(err, "saved.wav") != NULL);
	for(i = 0; rm_prompt_names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s.wav", dir, rm_prompt_names[i]);
		CU_ASSERT_EQUAL(rm_wav_open(&w, path), RM_WAV_OK);
		rm_wav_write(&w, s, i == 3 ? 0 : 10);
		rm_wav_close(&w);
	}
	/* "disabled" (index 3) is empty */
	CU_ASSERT_EQUAL(rm_prompts_load(&t, dir, err, sizeof(err)), -1);
	CU_ASSERT(strstr(err, "disabled.wav: no audio") != NULL);
	snprintf(path, sizeof(path), "%s/disabled.wav", dir);
	rm_wav_open(&w, path);
	rm_wav_write(&w, s, 10);
	rm_wav_close(&w);
	CU_ASSERT_EQUAL(rm_prompts_load(&t, dir, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(rm_prompt_get(&t, "moh", 3));
	CU_ASSERT_PTR_NOT_NULL(rm_prompt_get(&t, "9", 1));
	CU_ASSERT_PTR_NULL(rm_prompt_get(&t, "nope", 4));
	CU_ASSERT_PTR_NULL(rm_prompt_get(&t, "../saved", 8));
	rm_prompts_free(&t);
	for(i = 0; rm_prompt_names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s.wav", dir, rm_prompt_names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* ----- protocol text */

static void test_proto_rpc(void)
{
	char b[256];
	int n;

	n = rm_rpc_login_request(
			b, sizeof(b), "hotdesk-0004f2a1b2c3", "600", "1234", 7);
	CU_ASSERT(n > 0 && n < (int)sizeof(b));
	CU_ASSERT_STRING_EQUAL(b,
			"{\"jsonrpc\":\"2.0\",\"method\":\"hotdesk.login\",\"params\":["
			"\"hotdesk-0004f2a1b2c3\",\"600\",\"1234\"],\"id\":7}");
	CU_ASSERT_EQUAL(
			rm_rpc_login_request(b, sizeof(b), "t\"x", "600", "1234", 1), -1);
	CU_ASSERT_EQUAL(
			rm_rpc_login_request(b, sizeof(b), "t", "600", "123", 1), -1);
	CU_ASSERT_EQUAL(rm_rpc_login_request(
							b, sizeof(b), "t", "600", "12345678901234567", 1),
			-1);
	CU_ASSERT_EQUAL(
			rm_rpc_login_request(b, sizeof(b), "t", "6 0", "1234", 1), -1);
}

static void test_proto_result(void)
{
#define R(s) rm_rpc_login_result(s, strlen(s))
	CU_ASSERT_EQUAL(R("{\"jsonrpc\":\"2.0\",\"result\":{\"status\":"
					  "\"logged-in\",\"extension\":\"600\"},\"id\":1}"),
			RM_LOGIN_OK);
	CU_ASSERT_EQUAL(
			R("{\"result\":{\"status\" : \"wrong-pin\",\"failures\":2}}"),
			RM_LOGIN_WRONG);
	CU_ASSERT_EQUAL(
			R("{\"result\":{\"status\":\"locked\",\"retry_after\":900}}"),
			RM_LOGIN_LOCKED);
	CU_ASSERT_EQUAL(R("{\"error\":{\"code\":404,\"message\":\"x\"},"
					  "\"status\":\"logged-in\"}"),
			RM_LOGIN_ERROR);
	CU_ASSERT_EQUAL(
			R("{\"result\":{\"status\":\"logged-in-not\"}}"), RM_LOGIN_ERROR);
	CU_ASSERT_EQUAL(R("{\"result\":{\"status\":17}}"), RM_LOGIN_ERROR);
	CU_ASSERT_EQUAL(R("{\"result\":{\"status\":\"logged"), RM_LOGIN_ERROR);
	CU_ASSERT_EQUAL(R(""), RM_LOGIN_ERROR);
	CU_ASSERT_EQUAL(rm_rpc_login_result(NULL, 5), RM_LOGIN_ERROR);
#undef R
}

static void test_proto_misc(void)
{
#define K(s) rm_dtmf_relay_key(s, strlen(s))
	char b[256];

	CU_ASSERT_EQUAL(K("Signal=1\r\nDuration=160\r\n"), '1');
	CU_ASSERT_EQUAL(K("Duration=160\r\nsignal = #\r\n"), '#');
	CU_ASSERT_EQUAL(K("Signal=10\r\n"), '*');
	CU_ASSERT_EQUAL(K("Signal=11\r\n"), '#');
	CU_ASSERT_EQUAL(K("Signal=x\r\n"), 0);
	CU_ASSERT_EQUAL(K("Signal="), 0);
	CU_ASSERT_EQUAL(K(""), 0);
	CU_ASSERT_EQUAL(rm_parse_secs("15", 2), 15);
	CU_ASSERT_EQUAL(rm_parse_secs("0", 1), -1);
	CU_ASSERT_EQUAL(rm_parse_secs("301", 3), -1);
	CU_ASSERT_EQUAL(rm_parse_secs("1x", 2), -1);
	CU_ASSERT_EQUAL(rm_parse_secs("", 0), -1);
	{
		static const struct
		{
			const char *in;
			int code;
			const char *phrase;
		} r[] = {
				{"403 Forbidden: external calls not allowed", 403,
						"Forbidden: external calls not allowed"},
				{"699 x", 699, "x"},
				{"400 Bad", 400, "Bad"},
				{"399 Redirect", -1, NULL},
				{"200 OK", -1, NULL},
				{"700 Nope", -1, NULL},
				{"403", -1, NULL},
				{"403 ", -1, NULL},
				{"403Forbidden", -1, NULL},
				{"4x3 Forbidden", -1, NULL},
				{"403 Forbidden\r\nX-Evil: 1", -1, NULL},
				{"403 Tab\there", -1, NULL},
				{"403 \x80high", -1, NULL},
		};
		char ph[128], big[200];
		size_t i;

		for(i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
			CU_ASSERT_EQUAL(
					rm_parse_reason(r[i].in, strlen(r[i].in), ph, sizeof(ph)),
					r[i].code);
			if(r[i].code > 0)
				CU_ASSERT_STRING_EQUAL(ph, r[i].phrase);
		}
		/* a phrase of 127 bytes fits, 128 does not; a short buffer is refused */
		memcpy(big, "403 ", 4);
		memset(big + 4, 'a', 128);
		CU_ASSERT_EQUAL(rm_parse_reason(big, 4 + 127, ph, sizeof(ph)), 403);
		CU_ASSERT_EQUAL(strlen(ph), 127);
		CU_ASSERT_EQUAL(rm_parse_reason(big, 4 + 128, ph, sizeof(ph)), -1);
		CU_ASSERT_EQUAL(rm_parse_reason("403 x", 5, ph, 64), -1);
		CU_ASSERT_EQUAL(rm_parse_reason(NULL, 5, ph, sizeof(ph)), -1);
	}
	CU_ASSERT(rm_token_ok("hotdesk-0004f2a1b2c3", 20));
	CU_ASSERT(rm_token_ok("+4930123", 8));
	CU_ASSERT(!rm_token_ok("a b", 3));
	CU_ASSERT(!rm_token_ok("a\r\n", 3));
	CU_ASSERT(!rm_token_ok("", 0));
	rm_mwi_body(b, sizeof(b), "sip:600@pbx.local", 2, 1);
	CU_ASSERT_STRING_EQUAL(b, "Messages-Waiting: yes\r\n"
							  "Message-Account: sip:600@pbx.local\r\n"
							  "Voice-Message: 2/1\r\n");
	rm_mwi_body(b, sizeof(b), "sip:600@pbx.local", 0, 3);
	CU_ASSERT(strncmp(b, "Messages-Waiting: no\r\n", 22) == 0);
#undef K
}

/* RFC 4733: every key once, whatever order and loss a relay produced */
static void test_tev_rx(void)
{
	rm_tev_rx_t r;
	uint8_t s[4], e[4], x[4];
	char got[16];
	int n = 0, i;

	CU_ASSERT_EQUAL(rm_tev_code('#'), 11);
	CU_ASSERT_EQUAL(rm_tev_code('D'), 15);
	CU_ASSERT_EQUAL(rm_tev_code('x'), -1);
	CU_ASSERT_EQUAL(rm_tev_code(0), -1);
	CU_ASSERT_EQUAL(rm_tev_key(10), '*');
	CU_ASSERT_EQUAL(rm_tev_key(16), 0);
	rm_tev_payload(e, 4, true, 70000);
	CU_ASSERT(e[0] == 4 && e[1] == 0x8a && e[2] == 0xff && e[3] == 0xff);

	rm_tev_rx_init(&r);
	rm_tev_payload(s, 11, false, 160);
	rm_tev_payload(e, 11, true, 480);
	/* '#' at ts 1000: start, end before an update, update, two more ends */
	got[n] = rm_tev_rx_packet(&r, 1000, s, 4);
	n += got[n] != 0;
	got[n] = rm_tev_rx_packet(&r, 1000, e, 4);
	n += got[n] != 0;
	got[n] = rm_tev_rx_packet(&r, 1000, s, 4);
	n += got[n] != 0;
	for(i = 0; i < 2; i++) {
		got[n] = rm_tev_rx_packet(&r, 1000, e, 4);
		n += got[n] != 0;
	}
	/* '4' at 1480 with its start lost: the end counts, once */
	rm_tev_payload(e, 4, true, 480);
	got[n] = rm_tev_rx_packet(&r, 1480, e, 4);
	n += got[n] != 0;
	/* a late end of '#' after '4' began: nothing */
	rm_tev_payload(x, 11, true, 480);
	got[n] = rm_tev_rx_packet(&r, 1000, x, 4);
	n += got[n] != 0;
	got[n] = rm_tev_rx_packet(&r, 1480, e, 4);
	n += got[n] != 0;
	/* the same key again is a new event at a new timestamp */
	rm_tev_payload(s, 4, false, 160);
	got[n] = rm_tev_rx_packet(&r, 2000, s, 4);
	n += got[n] != 0;
	got[n] = rm_tev_rx_packet(&r, 2000, s, 4);
	n += got[n] != 0;
	got[n] = 0;
	CU_ASSERT_STRING_EQUAL(got, "#44");
	/* short or unknown payloads are no key */
	CU_ASSERT_EQUAL(rm_tev_rx_packet(&r, 3000, s, 3), 0);
	x[0] = 200;
	CU_ASSERT_EQUAL(rm_tev_rx_packet(&r, 3000, x, 4), 0);
	CU_ASSERT_EQUAL(rm_tev_rx_packet(&r, 3000, NULL, 4), 0);
	/* more events than the ring holds: the oldest are forgotten, the
	 * recent ones still deduplicated */
	for(i = 0; i < 3 * RM_TEV_SEEN; i++) {
		rm_tev_payload(s, i % 10, false, 160);
		CU_ASSERT_EQUAL(rm_tev_rx_packet(&r, 5000 + 480 * (uint32_t)i, s, 4),
				rm_tev_key(i % 10));
	}
	CU_ASSERT_EQUAL(
			rm_tev_rx_packet(&r, 5000 + 480 * (3 * RM_TEV_SEEN - 1), s, 4), 0);
}

/* RFC 4733 sender: paced one packet a tick, each key its own event, and
 * what it sends is what the receiver takes once */
static void test_tev_tx(void)
{
	rm_tev_tx_t t;
	rm_tev_rx_t r;
	uint8_t pl[4];
	bool m;
	uint32_t clock = 1000, ts, first = 0;
	char got[8];
	int n = 0, pkts = 0, tick, quiet = 0;

	rm_tev_tx_init(&t);
	rm_tev_rx_init(&r);
	CU_ASSERT(!rm_tev_tx_busy(&t));
	CU_ASSERT(!rm_tev_tx_key(&t, 'x'));
	CU_ASSERT(rm_tev_tx_key(&t, '4'));
	CU_ASSERT(rm_tev_tx_key(&t, '4'));
	CU_ASSERT(rm_tev_tx_busy(&t));
	/* a leg without audio: its clock moves only by the events */
	for(tick = 0; tick < 40; tick++) {
		if(!rm_tev_tx_tick(&t, &clock, 160, pl, &m, &ts)) {
			quiet++;
			continue;
		}
		pkts++;
		if(pkts == 1) {
			CU_ASSERT(m);
			CU_ASSERT_EQUAL(ts, 1000);
			CU_ASSERT(pl[0] == 4 && !(pl[1] & 0x80) && pl[3] == 160);
			first = ts;
		}
		if(pkts == 2)
			CU_ASSERT(!m && pl[2] == 1 && pl[3] == 64); /* 320 */
		if(pkts == 4)
			CU_ASSERT((pl[1] & 0x80) && pl[2] == 1 && pl[3] == 224); /* 480 */
		if(pkts == 7) { /* the second '4': a later timestamp, marker */
			CU_ASSERT(m);
			CU_ASSERT(ts > first + 480);
		}
		got[n] = rm_tev_rx_packet(&r, ts, pl, 4);
		n += got[n] != 0;
		if(n >= 7)
			break;
	}
	got[n] = 0;
	CU_ASSERT_EQUAL(pkts, 12);
	CU_ASSERT_STRING_EQUAL(got, "44");
	/* the pause between the two, and nothing once done */
	CU_ASSERT(quiet >= 1);
	CU_ASSERT(!rm_tev_tx_busy(&t));
	CU_ASSERT(!rm_tev_tx_tick(&t, &clock, 160, pl, &m, &ts));
	CU_ASSERT(!rm_tev_tx_tick(&t, &clock, 160, pl, &m, &ts));
	CU_ASSERT(clock >= first + 480 + 160 + 480);
	/* a full queue refuses */
	for(tick = 0; tick < RM_TEV_QUEUE; tick++)
		CU_ASSERT(rm_tev_tx_key(&t, '1'));
	CU_ASSERT(!rm_tev_tx_key(&t, '1'));
}

static const ut_test_t ut_media_tests[] = {
		{"g711 roundtrip", test_g711_roundtrip},
		{"g711 known values", test_g711_known},
		{"g711 every code", test_g711_all_codes},
		{"tone, rms, goertzel", test_tone_goertzel},
		{"rfc 4733 keys once", test_tev_rx},
		{"rfc 4733 sender, paced", test_tev_tx},
		{"wav write and read", test_wav_roundtrip},
		{"wav bad files", test_wav_bad}, {"wav full disk", test_wav_full_disk},
		{"digits: # and *", test_digits_hash},
		{"digits: timeouts", test_digits_timeouts},
		{"digits: overflow", test_digits_overflow},
		{"fsm announce", test_fsm_announce}, {"fsm refuse", test_fsm_refuse},
		{"fsm hotdesk-login", test_fsm_hotdesk},
		{"fsm confirm", test_fsm_confirm},
		{"fsm voicemail", test_fsm_voicemail},
		{"fsm voicemail-main", test_fsm_voicemail_main},
		{"fsm find", test_fsm_find}, {"db url, caller name", test_proto_dburl},
		{"prompt names and loading", test_prompt_names},
		{"json-rpc request", test_proto_rpc},
		{"json-rpc result", test_proto_result},
		{"dtmf-relay, tokens, mwi", test_proto_misc}, {NULL, NULL}};

int ut_register_media(void)
{
	return ut_add_suite("media", ut_media_tests);
}
