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


/* media/lib rm_b2bua.c: the in-call state machine, its codes and keys */

#include <stdio.h>

#include "rm_b2bua.h"
#include "unit.h"

/* one step of a walk: event, the state after it, one action of its row
 * that must be there (NONE: the row must exist, any actions), the prompt
 * of that action if it has one; ignored: the event must find no row */
typedef struct ut_b2b_step
{
	rm_b2b_ev_t ev;
	const char *state;
	rm_b2b_act_t act;
	const char *prompt;
	int ignored;
} ut_b2b_step_t;

static int ut_b2b_has(const rm_b2b_row_t *r, rm_b2b_act_t a, const char *p)
{
	int k;

	if(a == RM_B2B_A_NONE)
		return 1;
	for(k = 0; k < RM_B2B_ACTS; k++) {
		if(r->act[k].a == a
				&& (!p || (r->act[k].prompt && !strcmp(p, r->act[k].prompt))))
			return 1;
	}
	return 0;
}

static void ut_b2b_walk(const char *name, const ut_b2b_step_t *st, int n,
		const char *file, int line)
{
	rm_b2b_t f;
	const rm_b2b_row_t *r;
	int i;

	rm_b2b_init(&f);
	for(i = 0; i < n; i++) {
		r = rm_b2b_step(&f, st[i].ev);
		if(st[i].ignored ? r != NULL
						 : r == NULL || !ut_b2b_has(r, st[i].act, st[i].prompt)
								   || strcmp(rm_b2b_state_name(f.state),
										   st[i].state)) {
			fprintf(stderr, "\n%s:%d: walk %s step %d (%s): in %s, row %s\n",
					file, line, name, i, rm_b2b_ev_name(st[i].ev),
					rm_b2b_state_name(f.state), r ? "found" : "missing");
			CU_FAIL("b2bua walk");
			return;
		}
		if(st[i].ignored && strcmp(rm_b2b_state_name(f.state), st[i].state)) {
			CU_FAIL("an ignored event changed the state");
			return;
		}
	}
	CU_PASS("walk");
}

#define UT_WALK(w) \
	ut_b2b_walk(#w, w, (int)(sizeof(w) / sizeof(w[0])), __FILE__, __LINE__)
#define EV(x) RM_B2B_E_##x
#define AC(x) RM_B2B_A_##x

static void test_b2b_setup(void)
{
	static const ut_b2b_step_t answered[] = {
			{EV(CODE_ATTENDED), "setup", AC(NONE), NULL, 1}, /* not yet */
			{EV(OUT_ANSWERED), "talk", AC(ANSWER_IN), NULL, 0},
			{EV(USER_HANGUP), "end", AC(HANGUP_PARTY), NULL, 0},
			{EV(PARTY_HANGUP), "end", AC(NONE), NULL, 1},
	};
	static const ut_b2b_step_t failed[] = {
			{EV(OUT_FAILED), "end", AC(REJECT_IN), NULL, 0},
	};
	static const ut_b2b_step_t cancelled[] = {
			{EV(IN_CANCEL), "end", AC(CANCEL_OUT), NULL, 0},
	};
	static const ut_b2b_step_t party_bye[] = {
			{EV(OUT_ANSWERED), "talk", AC(BRIDGE_UP), NULL, 0},
			{EV(CODE_CONF), "talk", AC(NONE), NULL, 1},	  /* passes */
			{EV(CODE_TOGGLE), "talk", AC(NONE), NULL, 1}, /* passes */
			{EV(CODE_CANCEL), "talk", AC(NONE), NULL, 1}, /* passes */
			{EV(PARTY_HANGUP), "end", AC(HANGUP_USER), NULL, 0},
	};

	UT_WALK(answered);
	UT_WALK(failed);
	UT_WALK(cancelled);
	UT_WALK(party_bye);
}

static void test_b2b_transfer(void)
{
	/* #4, dial, answered, *9, *9, user hangs up: party + addressee */
	static const ut_b2b_step_t attended[] = {
			{EV(OUT_ANSWERED), "talk", AC(BRIDGE_UP), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(PLAY_U), "transfer-dial", 0},
			{EV(DIGITS), "ringing", AC(CALL_ADDR), NULL, 0},
			{EV(CODE_CONF), "ringing", AC(NONE), NULL, 1}, /* nobody yet */
			{EV(ADDR_ANSWERED), "consult", AC(BRIDGE_UA), NULL, 0},
			{EV(CODE_TOGGLE), "toggled", AC(MOH_A), NULL, 0},
			{EV(CODE_TOGGLE), "consult", AC(MOH_P), NULL, 0},
			{EV(USER_HANGUP), "transferred", AC(BRIDGE_PA), NULL, 0},
			{EV(CODE_CANCEL), "transferred", AC(NONE), NULL, 1},
			{EV(ADDR_HANGUP), "end", AC(HANGUP_PARTY), NULL, 0},
	};
	/* the user hangs up while it rings: connected when it answers */
	static const ut_b2b_step_t ringing[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(MOH_P), NULL, 0},
			{EV(DIGITS), "ringing", AC(RINGBACK_U), NULL, 0},
			{EV(USER_HANGUP), "transfer-ringing", AC(NONE), NULL, 0},
			{EV(ADDR_ANSWERED), "transferred", AC(XFER_DONE), NULL, 0},
			{EV(PARTY_HANGUP), "end", AC(DROP_ADDR), NULL, 0},
	};
	/* ... and nobody answers: back to the user's devices, which answer */
	static const ut_b2b_step_t recall[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(COLLECT), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(USER_HANGUP), "transfer-ringing", AC(NONE), NULL, 0},
			{EV(ADDR_FAILED), "recall", AC(CALL_USER), NULL, 0},
			{EV(CODE_CANCEL), "recall", AC(NONE), NULL, 1},
			{EV(USER_ANSWERED), "talk", AC(BRIDGE_UP), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0}, /* again */
	};
	/* ... nobody there either: the party is told and hung up */
	static const ut_b2b_step_t nobody[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(COLLECT), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(USER_HANGUP), "transfer-ringing", AC(NONE), NULL, 0},
			{EV(ADDR_FAILED), "recall", AC(CALL_USER), NULL, 0},
			{EV(USER_FAILED), "party-bye", AC(PLAY_P), "not-available", 0},
			{EV(PARTY_PROMPT_DONE), "end", AC(HANGUP_PARTY), NULL, 0},
	};
	/* ... the party gives up while the user's devices ring */
	static const ut_b2b_step_t gives_up[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(USER_HANGUP), "transfer-ringing", AC(NONE), NULL, 0},
			{EV(ADDR_FAILED), "recall", AC(NONE), NULL, 0},
			{EV(PARTY_HANGUP), "end", AC(HANGUP_USER), NULL, 0},
	};

	UT_WALK(attended);
	UT_WALK(ringing);
	UT_WALK(recall);
	UT_WALK(nobody);
	UT_WALK(gives_up);
}

static void test_b2b_cancel(void)
{
	static const ut_b2b_step_t dialing[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(CODE_CANCEL), "talk", AC(BRIDGE_UP), NULL, 0},
	};
	static const ut_b2b_step_t ringing[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(CODE_CANCEL), "talk", AC(DROP_ADDR), NULL, 0},
	};
	static const ut_b2b_step_t consult[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(ADDR_ANSWERED), "consult", AC(NONE), NULL, 0},
			{EV(CODE_CANCEL), "talk", AC(DROP_ADDR), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0}, /* again */
	};
	/* nothing dialled, or nobody: a prompt, then back to the call */
	static const ut_b2b_step_t timeout[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(NO_DIGITS), "back", AC(PLAY_U), "not-available", 0},
			{EV(USER_PROMPT_DONE), "talk", AC(BRIDGE_UP), NULL, 0},
	};
	static const ut_b2b_step_t busy[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(ADDR_FAILED), "back", AC(PLAY_U), "not-available", 0},
			{EV(PARTY_PROMPT_DONE), "back", AC(NONE), NULL, 1},
			{EV(USER_PROMPT_DONE), "talk", AC(BRIDGE_UP), NULL, 0},
	};
	static const ut_b2b_step_t addr_bye[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(ADDR_ANSWERED), "consult", AC(NONE), NULL, 0},
			{EV(ADDR_HANGUP), "talk", AC(BRIDGE_UP), NULL, 0},
	};

	UT_WALK(dialing);
	UT_WALK(ringing);
	UT_WALK(consult);
	UT_WALK(timeout);
	UT_WALK(busy);
	UT_WALK(addr_bye);
}

static void test_b2b_conference(void)
{
	static const ut_b2b_step_t user_leaves[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(ADDR_ANSWERED), "consult", AC(NONE), NULL, 0},
			{EV(CODE_CONF), "conference", AC(MIX3), NULL, 0},
			{EV(CODE_TOGGLE), "conference", AC(NONE), NULL, 1},
			{EV(USER_HANGUP), "transferred", AC(BRIDGE_PA), NULL, 0},
			{EV(PARTY_HANGUP), "end", AC(DROP_ADDR), NULL, 0},
	};
	static const ut_b2b_step_t party_leaves[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(ADDR_ANSWERED), "consult", AC(NONE), NULL, 0},
			{EV(CODE_TOGGLE), "toggled", AC(NONE), NULL, 0},
			{EV(CODE_CONF), "conference", AC(MIX3), NULL, 0},
			{EV(PARTY_HANGUP), "talk", AC(PROMOTE_ADDR), NULL, 0},
			{EV(USER_HANGUP), "end", AC(HANGUP_PARTY), NULL, 0},
	};
	static const ut_b2b_step_t addr_leaves[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(ADDR_ANSWERED), "consult", AC(NONE), NULL, 0},
			{EV(CODE_CONF), "conference", AC(NONE), NULL, 0},
			{EV(ADDR_HANGUP), "talk", AC(BRIDGE_UP), NULL, 0},
	};
	static const ut_b2b_step_t party_first[] = {
			{EV(OUT_ANSWERED), "talk", AC(NONE), NULL, 0},
			{EV(CODE_ATTENDED), "dialing", AC(NONE), NULL, 0},
			{EV(DIGITS), "ringing", AC(NONE), NULL, 0},
			{EV(PARTY_HANGUP), "alone-ringing", AC(NONE), NULL, 0},
			{EV(ADDR_ANSWERED), "talk", AC(PROMOTE_ADDR), NULL, 0},
	};

	UT_WALK(user_leaves);
	UT_WALK(party_leaves);
	UT_WALK(addr_leaves);
	UT_WALK(party_first);
}

/* every row: a known state, event and actions, no two rows for one
 * (state, event), and every state but end can be left by a hang-up */
static void test_b2b_table(void)
{
	int n, i, j, s;
	const rm_b2b_row_t *r = rm_b2b_rows(&n);

	CU_ASSERT(n > 30);
	for(i = 0; i < n; i++) {
		CU_ASSERT_STRING_NOT_EQUAL(rm_b2b_state_name(r[i].state), "?");
		CU_ASSERT_STRING_NOT_EQUAL(rm_b2b_state_name(r[i].next), "?");
		CU_ASSERT_STRING_NOT_EQUAL(rm_b2b_ev_name(r[i].ev), "?");
		CU_ASSERT_NOT_EQUAL(r[i].state, RM_B2B_S_END);
		for(j = 0; j < RM_B2B_ACTS; j++)
			CU_ASSERT_STRING_NOT_EQUAL(rm_b2b_act_name(r[i].act[j].a), "?");
		for(j = i + 1; j < n; j++)
			CU_ASSERT(r[i].state != r[j].state || r[i].ev != r[j].ev);
	}
	for(s = 0; s < RM_B2B_S_END; s++) {
		int out = 0;
		for(i = 0; i < n; i++) {
			if((int)r[i].state == s
					&& (r[i].ev == RM_B2B_E_USER_HANGUP
							|| r[i].ev == RM_B2B_E_PARTY_HANGUP
							|| r[i].ev == RM_B2B_E_IN_CANCEL))
				out = 1;
		}
		if(!out)
			fprintf(stderr, "\nstate %s has no hang-up row\n",
					rm_b2b_state_name((rm_b2b_state_t)s));
		CU_ASSERT(out);
	}
	CU_ASSERT_STRING_EQUAL(rm_b2b_state_name((rm_b2b_state_t)99), "?");
	CU_ASSERT_STRING_EQUAL(rm_b2b_ev_name((rm_b2b_ev_t)-1), "?");
}

static void test_b2b_codes(void)
{
	static const char hdr[] = "xfer_attended=#4;xfer_cancel=*0;"
							  "xfer_toggle=*9;xfer_conference=*3";
	static const char *const bad[] = {"xfer_attended",
			"xfer_attended=", "xfer_attended=4", "xfer_attended=#",
			"xfer_attended=#4x", "xfer_bogus=#4",
			"xfer_attended=#4;xfer_cancel=#4",
			"xfer_attended=#12345678901234567",
			"xfer_attended=#4;;xfer_cancel=*0", "=#4"};
	rm_b2b_codes_t c, d;
	size_t i;

	rm_b2b_codes_default(&d);
	CU_ASSERT_EQUAL(rm_b2b_codes_parse(&c, hdr, strlen(hdr)), 0);
	CU_ASSERT_EQUAL(memcmp(&c, &d, sizeof(c)), 0);
	/* a service not named is disabled */
	CU_ASSERT_EQUAL(rm_b2b_codes_parse(&c, "xfer_attended=##7", 17), 0);
	CU_ASSERT_STRING_EQUAL(c.code[RM_B2B_C_ATTENDED], "##7");
	CU_ASSERT_STRING_EQUAL(c.code[RM_B2B_C_CANCEL], "");
	CU_ASSERT_EQUAL(rm_b2b_codes_parse(&c, "", 0), 0);
	CU_ASSERT_STRING_EQUAL(c.code[RM_B2B_C_ATTENDED], "");
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(rm_b2b_codes_parse(&c, bad[i], strlen(bad[i])), -1);
		CU_ASSERT_STRING_EQUAL(c.code[RM_B2B_C_ATTENDED], "");
	}
	CU_ASSERT_EQUAL(rm_b2b_code_event(RM_B2B_C_CONF), RM_B2B_E_CODE_CONF);
}

/* keys in, what the other side gets and which codes fire */
typedef struct ut_keys_case
{
	const char *keys;	/* one key every 100 ms; '.' waits 2 s */
	const char *passed; /* everything passed, in order */
	const char *codes;	/* codes fired: A C T F */
} ut_keys_case_t;

static void test_b2b_keys(void)
{
	static const ut_keys_case_t cases[] = {
			{"#4", "", "A"},
			{"*0*9*3", "", "CTF"},
			{"123", "123", ""},
			{"#5", "#5", ""},
			{"*1", "*1", ""},
			{"##4", "#", "A"},
			{"*#4", "*", "A"},
			{"#.", "#", ""},
			{"#.4", "#4", ""},
			{"1#42", "12", "A"},
			{"A#4", "A", "A"},
	};
	static const char codes[] = "ACTF";
	rm_b2b_codes_t c;
	rm_b2b_keys_t k;
	rm_b2b_code_t code;
	char out[RM_B2B_CODE_MAX + 2], passed[64], fired[16];
	uint64_t now;
	size_t i, j;

	rm_b2b_codes_default(&c);
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rm_b2b_keys_init(&k, 1500);
		passed[0] = fired[0] = '\0';
		now = 1000;
		for(j = 0; cases[i].keys[j]; j++) {
			char key = cases[i].keys[j];
			if(key == '.') {
				now += 2000;
				if(rm_b2b_keys_poll(&k, now, out) == RM_B2B_K_PASS)
					strcat(passed, out);
				continue;
			}
			now += 100;
			CU_ASSERT_EQUAL(rm_b2b_keys_poll(&k, now, out), RM_B2B_K_HELD);
			switch(rm_b2b_keys_feed(&k, &c, key, now, &code, out)) {
				case RM_B2B_K_PASS:
					strcat(passed, out);
					break;
				case RM_B2B_K_CODE:
					strncat(fired, &codes[code], 1);
					break;
				case RM_B2B_K_HELD:
					break;
			}
		}
		if(strcmp(passed, cases[i].passed) || strcmp(fired, cases[i].codes))
			fprintf(stderr,
					"\nkeys '%s': passed '%s' (want '%s'), codes '%s' "
					"(want '%s')\n",
					cases[i].keys, passed, cases[i].passed, fired,
					cases[i].codes);
		CU_ASSERT_STRING_EQUAL(passed, cases[i].passed);
		CU_ASSERT_STRING_EQUAL(fired, cases[i].codes);
	}
	/* a disabled code is just keys */
	CU_ASSERT_EQUAL(rm_b2b_codes_parse(&c, "xfer_cancel=*0", 14), 0);
	rm_b2b_keys_init(&k, 1500);
	CU_ASSERT_EQUAL(
			rm_b2b_keys_feed(&k, &c, '#', 1, &code, out), RM_B2B_K_PASS);
	CU_ASSERT_STRING_EQUAL(out, "#");
	/* a key that is no DTMF key passes as nothing */
	CU_ASSERT_EQUAL(
			rm_b2b_keys_feed(&k, &c, 'x', 1, &code, out), RM_B2B_K_PASS);
	CU_ASSERT_STRING_EQUAL(out, "");
}

static void test_b2b_number(void)
{
	CU_ASSERT_EQUAL(rm_b2b_number_ok("300"), 0);
	CU_ASSERT_EQUAL(rm_b2b_number_ok("+4930123456"), 0);
	CU_ASSERT_EQUAL(rm_b2b_number_ok(""), -1);
	CU_ASSERT_EQUAL(rm_b2b_number_ok("+"), -1);
	CU_ASSERT_EQUAL(rm_b2b_number_ok("30*"), -1);
	CU_ASSERT_EQUAL(rm_b2b_number_ok("123456789012345678901234567890123"), -1);
	CU_ASSERT_EQUAL(rm_b2b_number_ok(NULL), -1);
}

static const ut_test_t ut_b2bua_tests[] = {
		{"setup and plain relay", test_b2b_setup},
		{"attended transfer, while ringing, nobody: recall", test_b2b_transfer},
		{"*0, nothing dialled, busy, addressee hangs up", test_b2b_cancel},
		{"three-way call: whoever leaves, two remain", test_b2b_conference},
		{"table: known names, one row per state and event, hang-ups",
				test_b2b_table},
		{"codes from X-Ringset-Codes", test_b2b_codes},
		{"keys: codes held back, the rest passed", test_b2b_keys},
		{"the addressee's number", test_b2b_number}, {NULL, NULL}};

int ut_register_b2bua(void)
{
	return ut_add_suite("b2bua", ut_b2bua_tests);
}
