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

/* the b2bua service's table (README "In-call services"), its codes and key matcher */

#include <string.h>

#include "rm_b2bua.h"

#define A(x)               \
	{                      \
		RM_B2B_A_##x, NULL \
	}
#define P(x, p)         \
	{                   \
		RM_B2B_A_##x, p \
	}
#define S(x) RM_B2B_S_##x
#define E(x) RM_B2B_E_##x

static const rm_b2b_row_t rm_b2b_table[] = {
		/* the call is set up: replies pass, then user and party talk */
		{S(SETUP), E(OUT_ANSWERED), {A(ANSWER_IN), A(BRIDGE_UP)}, S(TALK)},
		{S(SETUP), E(OUT_FAILED), {A(REJECT_IN)}, S(END)},
		{S(SETUP), E(IN_CANCEL), {A(CANCEL_OUT)}, S(END)},

		{S(TALK), E(CODE_ATTENDED),
				{A(MOH_P), P(PLAY_U, "transfer-dial"), A(COLLECT)}, S(DIALING)},
		{S(TALK), E(USER_HANGUP), {A(HANGUP_PARTY)}, S(END)},
		{S(TALK), E(PARTY_HANGUP), {A(HANGUP_USER)}, S(END)},

		/* #4: the party hears moh, the user dials */
		{S(DIALING), E(DIGITS), {A(RINGBACK_U), A(CALL_ADDR)}, S(RINGING)},
		{S(DIALING), E(NO_DIGITS), {P(PLAY_U, "not-available")}, S(BACK)},
		{S(DIALING), E(CODE_CANCEL), {A(BRIDGE_UP)}, S(TALK)},
		{S(DIALING), E(USER_HANGUP), {A(HANGUP_PARTY)}, S(END)},
		{S(DIALING), E(PARTY_HANGUP), {A(HANGUP_USER)}, S(END)},

		/* the consultation call rings; the user hears it */
		{S(RINGING), E(ADDR_ANSWERED), {A(BRIDGE_UA)}, S(CONSULT)},
		{S(RINGING), E(ADDR_FAILED), {P(PLAY_U, "not-available")}, S(BACK)},
		{S(RINGING), E(CODE_CANCEL), {A(DROP_ADDR), A(BRIDGE_UP)}, S(TALK)},
		{S(RINGING), E(USER_HANGUP), {A(NONE)}, S(XFER_RING)},
		{S(RINGING), E(PARTY_HANGUP), {A(NONE)}, S(ALONE_RING)},

		/* user and addressee talk, the party hears moh */
		{S(CONSULT), E(CODE_TOGGLE), {A(MOH_A), A(BRIDGE_UP)}, S(TOGGLED)},
		{S(CONSULT), E(CODE_CONF), {A(MIX3)}, S(CONF)},
		{S(CONSULT), E(CODE_CANCEL), {A(DROP_ADDR), A(BRIDGE_UP)}, S(TALK)},
		{S(CONSULT), E(ADDR_HANGUP), {A(BRIDGE_UP)}, S(TALK)},
		{S(CONSULT), E(USER_HANGUP), {A(BRIDGE_PA), A(XFER_DONE)},
				S(TRANSFERRED)},
		{S(CONSULT), E(PARTY_HANGUP), {A(PROMOTE_ADDR), A(BRIDGE_UP)}, S(TALK)},

		/* *9: user and party talk, the addressee hears moh */
		{S(TOGGLED), E(CODE_TOGGLE), {A(MOH_P), A(BRIDGE_UA)}, S(CONSULT)},
		{S(TOGGLED), E(CODE_CONF), {A(MIX3)}, S(CONF)},
		{S(TOGGLED), E(CODE_CANCEL), {A(DROP_ADDR), A(BRIDGE_UP)}, S(TALK)},
		{S(TOGGLED), E(ADDR_HANGUP), {A(BRIDGE_UP)}, S(TALK)},
		{S(TOGGLED), E(USER_HANGUP), {A(BRIDGE_PA), A(XFER_DONE)},
				S(TRANSFERRED)},
		{S(TOGGLED), E(PARTY_HANGUP), {A(PROMOTE_ADDR), A(BRIDGE_UP)}, S(TALK)},

		/* *3: each hears the other two; whoever leaves, two remain */
		{S(CONF), E(USER_HANGUP), {A(BRIDGE_PA), A(XFER_DONE)}, S(TRANSFERRED)},
		{S(CONF), E(PARTY_HANGUP), {A(PROMOTE_ADDR), A(BRIDGE_UP)}, S(TALK)},
		{S(CONF), E(ADDR_HANGUP), {A(BRIDGE_UP)}, S(TALK)},
		{S(CONF), E(CODE_CANCEL), {A(DROP_ADDR), A(BRIDGE_UP)}, S(TALK)},

		/* a prompt to the user (nothing dialled, nobody there), then back */
		{S(BACK), E(USER_PROMPT_DONE), {A(BRIDGE_UP)}, S(TALK)},
		{S(BACK), E(CODE_CANCEL), {A(BRIDGE_UP)}, S(TALK)},
		{S(BACK), E(USER_HANGUP), {A(HANGUP_PARTY)}, S(END)},
		{S(BACK), E(PARTY_HANGUP), {A(HANGUP_USER)}, S(END)},

		/* the user hung up while it rang: connected when it answers */
		{S(XFER_RING), E(ADDR_ANSWERED), {A(BRIDGE_PA), A(XFER_DONE)},
				S(TRANSFERRED)},
		{S(XFER_RING), E(ADDR_FAILED), {A(CALL_USER)}, S(RECALL)},
		{S(XFER_RING), E(PARTY_HANGUP), {A(DROP_ADDR)}, S(END)},
		/* ... and nobody answered: back to the user's devices; if nobody
		 * answers there either, the party is told and hung up */
		{S(RECALL), E(USER_ANSWERED), {A(BRIDGE_UP)}, S(TALK)},
		{S(RECALL), E(USER_FAILED), {P(PLAY_P, "not-available")}, S(PARTY_BYE)},
		{S(RECALL), E(PARTY_HANGUP), {A(HANGUP_USER)}, S(END)},
		{S(PARTY_BYE), E(PARTY_PROMPT_DONE), {A(HANGUP_PARTY)}, S(END)},
		{S(PARTY_BYE), E(PARTY_HANGUP), {A(NONE)}, S(END)},

		{S(TRANSFERRED), E(PARTY_HANGUP), {A(DROP_ADDR)}, S(END)},
		{S(TRANSFERRED), E(ADDR_HANGUP), {A(HANGUP_PARTY)}, S(END)},

		/* the party left while the addressee rang: the user waits for it */
		{S(ALONE_RING), E(ADDR_ANSWERED), {A(PROMOTE_ADDR), A(BRIDGE_UP)},
				S(TALK)},
		{S(ALONE_RING), E(ADDR_FAILED), {P(PLAY_U, "not-available")},
				S(USER_BYE)},
		{S(ALONE_RING), E(CODE_CANCEL), {A(DROP_ADDR), A(HANGUP_USER)}, S(END)},
		{S(ALONE_RING), E(USER_HANGUP), {A(DROP_ADDR)}, S(END)},
		{S(USER_BYE), E(USER_PROMPT_DONE), {A(HANGUP_USER)}, S(END)},
		{S(USER_BYE), E(USER_HANGUP), {A(NONE)}, S(END)},
};

#define RM_N(a) ((int)(sizeof(a) / sizeof((a)[0])))

void rm_b2b_init(rm_b2b_t *f)
{
	f->state = RM_B2B_S_SETUP;
}

const rm_b2b_row_t *rm_b2b_step(rm_b2b_t *f, rm_b2b_ev_t ev)
{
	int i;

	if(f->state == RM_B2B_S_END)
		return NULL;
	for(i = 0; i < RM_N(rm_b2b_table); i++) {
		if(rm_b2b_table[i].state == f->state && rm_b2b_table[i].ev == ev) {
			f->state = rm_b2b_table[i].next;
			return &rm_b2b_table[i];
		}
	}
	return NULL;
}

const rm_b2b_row_t *rm_b2b_rows(int *n)
{
	*n = RM_N(rm_b2b_table);
	return rm_b2b_table;
}

const char *rm_b2b_state_name(rm_b2b_state_t s)
{
	static const char *const names[RM_B2B_S__N] = {"setup", "talk", "dialing",
			"ringing", "consult", "toggled", "conference", "back",
			"transfer-ringing", "transferred", "party-bye", "alone-ringing",
			"user-bye", "recall", "end"};

	return (int)s >= 0 && s < RM_B2B_S__N ? names[s] : "?";
}

const char *rm_b2b_ev_name(rm_b2b_ev_t ev)
{
	static const char *const names[RM_B2B_E__N] = {"out-answered", "out-failed",
			"in-cancel", "code-attended", "code-cancel", "code-toggle",
			"code-conference", "digits", "no-digits", "addr-answered",
			"addr-failed", "user-hangup", "party-hangup", "addr-hangup",
			"user-prompt-done", "party-prompt-done", "user-answered",
			"user-failed"};

	return (int)ev >= 0 && ev < RM_B2B_E__N ? names[ev] : "?";
}

const char *rm_b2b_act_name(rm_b2b_act_t a)
{
	static const char *const names[RM_B2B_A__N] = {"none", "answer-in",
			"reject-in", "cancel-out", "bridge-user-party", "bridge-user-addr",
			"bridge-party-addr", "mix3", "moh-party", "moh-addr", "play-user",
			"play-party", "ringback-user", "collect", "call-addr", "drop-addr",
			"hangup-user", "hangup-party", "promote-addr", "xfer-done",
			"call-user"};

	return (int)a >= 0 && a < RM_B2B_A__N ? names[a] : "?";
}

/* ----- codes */

static const char *const rm_b2b_services[RM_B2B_C__N] = {
		"xfer_attended", "xfer_cancel", "xfer_toggle", "xfer_conference"};

void rm_b2b_codes_default(rm_b2b_codes_t *c)
{
	static const char *const def[RM_B2B_C__N] = {"#4", "*0", "*9", "*3"};
	int i;

	memset(c, 0, sizeof(*c));
	for(i = 0; i < RM_B2B_C__N; i++)
		strcpy(c->code[i], def[i]);
}

static int rm_b2b_code_ok(const char *s, size_t len)
{
	size_t i;

	if(len < 2 || len > RM_B2B_CODE_MAX || (s[0] != '*' && s[0] != '#'))
		return 0;
	for(i = 0; i < len; i++) {
		if(!((s[i] >= '0' && s[i] <= '9') || s[i] == '*' || s[i] == '#'))
			return 0;
	}
	return 1;
}

int rm_b2b_codes_parse(rm_b2b_codes_t *c, const char *s, size_t len)
{
	size_t i = 0, j, eq;
	int k, found;

	memset(c, 0, sizeof(*c));
	while(s && i < len) {
		for(j = i; j < len && s[j] != ';'; j++)
			;
		for(eq = i; eq < j && s[eq] != '='; eq++)
			;
		if(eq == j || !rm_b2b_code_ok(s + eq + 1, j - eq - 1))
			goto bad;
		found = 0;
		for(k = 0; k < RM_B2B_C__N; k++) {
			if(strlen(rm_b2b_services[k]) == eq - i
					&& !memcmp(rm_b2b_services[k], s + i, eq - i)) {
				memcpy(c->code[k], s + eq + 1, j - eq - 1);
				c->code[k][j - eq - 1] = '\0';
				found = 1;
			}
		}
		if(!found)
			goto bad;
		i = j + 1;
	}
	/* two services with one code could never both be reached */
	for(k = 0; k < RM_B2B_C__N; k++) {
		int m;
		for(m = k + 1; m < RM_B2B_C__N; m++) {
			if(c->code[k][0] && !strcmp(c->code[k], c->code[m]))
				goto bad;
		}
	}
	return 0;
bad:
	memset(c, 0, sizeof(*c));
	return -1;
}

rm_b2b_ev_t rm_b2b_code_event(rm_b2b_code_t k)
{
	static const rm_b2b_ev_t ev[RM_B2B_C__N] = {RM_B2B_E_CODE_ATTENDED,
			RM_B2B_E_CODE_CANCEL, RM_B2B_E_CODE_TOGGLE, RM_B2B_E_CODE_CONF};

	return ev[k];
}

/* ----- keys */

void rm_b2b_keys_init(rm_b2b_keys_t *k, int hold_ms)
{
	memset(k, 0, sizeof(*k));
	k->hold_ms = hold_ms;
}

static void rm_b2b_keys_flush(rm_b2b_keys_t *k, char *out)
{
	memcpy(out, k->held, (size_t)k->nheld);
	out[k->nheld] = '\0';
	k->nheld = 0;
	k->held[0] = '\0';
	k->deadline = 0;
}

rm_b2b_kres_t rm_b2b_keys_feed(rm_b2b_keys_t *k, const rm_b2b_codes_t *c,
		char key, uint64_t now, rm_b2b_code_t *code, char *out)
{
	int i, prefix = 0;
	size_t n;

	if(!((key >= '0' && key <= '9') || key == '*' || key == '#'
			   || (key >= 'A' && key <= 'D'))) {
		out[0] = '\0';
		return RM_B2B_K_PASS;
	}
	k->held[k->nheld++] = key;
	k->held[k->nheld] = '\0';
	n = (size_t)k->nheld;
	for(i = 0; i < RM_B2B_C__N; i++) {
		size_t cl = strlen(c->code[i]);
		if(!cl || cl < n || memcmp(c->code[i], k->held, n))
			continue;
		if(cl == n) {
			*code = (rm_b2b_code_t)i;
			k->nheld = 0;
			k->held[0] = '\0';
			k->deadline = 0;
			return RM_B2B_K_CODE;
		}
		prefix = 1;
	}
	if(prefix && k->nheld < RM_B2B_CODE_MAX) {
		k->deadline = now + (uint64_t)k->hold_ms;
		return RM_B2B_K_HELD;
	}
	/* no code starts so: everything held passes, but the last key may
	 * start a code of its own ("#" after "*", "##4") */
	if(k->nheld > 1) {
		int start = 0;
		for(i = 0; i < RM_B2B_C__N; i++) {
			if(c->code[i][0] == key)
				start = 1;
		}
		if(start) {
			k->nheld--;
			rm_b2b_keys_flush(k, out);
			k->held[0] = key;
			k->held[1] = '\0';
			k->nheld = 1;
			k->deadline = now + (uint64_t)k->hold_ms;
			return RM_B2B_K_PASS;
		}
	}
	rm_b2b_keys_flush(k, out);
	return RM_B2B_K_PASS;
}

rm_b2b_kres_t rm_b2b_keys_poll(rm_b2b_keys_t *k, uint64_t now, char *out)
{
	if(!k->nheld || now < k->deadline)
		return RM_B2B_K_HELD;
	rm_b2b_keys_flush(k, out);
	return RM_B2B_K_PASS;
}

int rm_b2b_number_ok(const char *s)
{
	size_t i = 0, n;

	if(!s)
		return -1;
	n = strlen(s);
	if(n && s[0] == '+')
		i = 1;
	if(n - i < 1 || n > 32)
		return -1;
	for(; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
	}
	return 0;
}
