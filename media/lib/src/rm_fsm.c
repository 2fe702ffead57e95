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

/* the service tables (README "The media server", "Voicemail and message waiting") and the engine that walks them */

#include <string.h>

#include "rm_fsm.h"

#define A(x)           \
	{                  \
		RM_A_##x, NULL \
	}
#define P(x, p)     \
	{               \
		RM_A_##x, p \
	}
#define END             \
	{                   \
		RM_A_NONE, NULL \
	}

/* ----- announce: answer, play X-Ringset-Prompt, hang up */
enum
{
	AN_PLAYING = 1
};
static const char *const rm_an_states[] = {"idle", "playing"};
static const rm_row_t rm_an_rows[] = {
		{RM_S_IDLE, RM_EV_START, RM_G_NONE, {A(ANSWER), P(PLAY, NULL)},
				AN_PLAYING},
		{AN_PLAYING, RM_EV_PROMPT_DONE, RM_G_NONE, {A(HANGUP)}, RM_S_END},
		{RM_S_ANY, RM_EV_HANGUP, RM_G_NONE, {END}, RM_S_END},
};

/* ----- refuse: X-Ringset-Prompt as early media, then X-Ringset-Reason
 * (a call Ringset refuses: the caller hears why before the error) */
enum
{
	RF_PLAYING = 1
};
static const char *const rm_rf_states[] = {"idle", "playing"};
static const rm_row_t rm_rf_rows[] = {
		{RM_S_IDLE, RM_EV_START, RM_G_NONE, {A(EARLY), P(PLAY, NULL)},
				RF_PLAYING},
		{RF_PLAYING, RM_EV_PROMPT_DONE, RM_G_NONE, {A(REFUSE)}, RM_S_END},
		{RM_S_ANY, RM_EV_HANGUP, RM_G_NONE, {END}, RM_S_END},
};

/* ----- hotdesk-login: enter-pin, digits, hotdesk.login, result */
enum
{
	HD_ENTER = 1, /* enter-pin plays, digits are collected */
	HD_CHECK,	  /* hotdesk.login is asked */
	HD_AGAIN,	  /* wrong-pin plays, then enter-pin again */
	HD_BYE		  /* the last prompt plays, then BYE */
};
static const char *const rm_hd_states[] = {
		"idle", "enter", "check", "again", "bye"};
static const rm_row_t rm_hd_rows[] = {
		{RM_S_IDLE, RM_EV_START, RM_G_NONE,
				{A(ANSWER), P(PLAY, "enter-pin"), A(COLLECT_PIN)}, HD_ENTER},
		{HD_ENTER, RM_EV_DIGITS, RM_G_NONE, {A(STOP), A(RPC_LOGIN)}, HD_CHECK},
		{HD_ENTER, RM_EV_NO_DIGITS, RM_G_MORE_TRIES,
				{A(COUNT_TRY), P(PLAY, "enter-pin"), A(COLLECT_PIN)}, HD_ENTER},
		{HD_ENTER, RM_EV_NO_DIGITS, RM_G_LAST_TRY, {A(HANGUP)}, RM_S_END},
		{HD_CHECK, RM_EV_LOGGED_IN, RM_G_NONE, {P(PLAY, "logged-in")}, HD_BYE},
		{HD_CHECK, RM_EV_WRONG_PIN, RM_G_MORE_TRIES,
				{A(COUNT_TRY), P(PLAY, "wrong-pin")}, HD_AGAIN},
		{HD_CHECK, RM_EV_WRONG_PIN, RM_G_LAST_TRY,
				{A(COUNT_TRY), P(PLAY, "wrong-pin")}, HD_BYE},
		{HD_CHECK, RM_EV_LOCKED, RM_G_NONE, {P(PLAY, "locked")}, HD_BYE},
		{HD_CHECK, RM_EV_RPC_ERROR, RM_G_NONE, {P(PLAY, "not-available")},
				HD_BYE},
		{HD_AGAIN, RM_EV_PROMPT_DONE, RM_G_NONE,
				{P(PLAY, "enter-pin"), A(COLLECT_PIN)}, HD_ENTER},
		{HD_BYE, RM_EV_PROMPT_DONE, RM_G_NONE, {A(HANGUP)}, RM_S_END},
		{RM_S_ANY, RM_EV_HANGUP, RM_G_NONE, {END}, RM_S_END},
};

/* ----- confirm (Fork2Mobile): press-1 on the mobile before we answer */
enum
{
	CF_DIALING = 1, /* our leg rings, the mobile is called */
	CF_WAIT_KEY,	/* the mobile answered and hears press-1 */
	CF_BRIDGED		/* the key came: caller and mobile talk */
};
static const char *const rm_cf_states[] = {
		"idle", "dialing", "wait-key", "bridged"};
static const rm_row_t rm_cf_rows[] = {
		{RM_S_IDLE, RM_EV_START, RM_G_NONE, {A(RING), A(CALL_PEER)},
				CF_DIALING},
		{CF_DIALING, RM_EV_PEER_ANSWERED, RM_G_NONE,
				{A(SEND_183), P(PEER_PROMPT, "press-1"), A(WAIT_KEY)},
				CF_WAIT_KEY},
		{CF_DIALING, RM_EV_PEER_FAILED, RM_G_NONE, {A(REJECT)}, RM_S_END},
		{CF_DIALING, RM_EV_PEER_HANGUP, RM_G_NONE, {A(REJECT)}, RM_S_END},
		{CF_DIALING, RM_EV_HANGUP, RM_G_NONE, {A(HANGUP_PEER)}, RM_S_END},
		{CF_WAIT_KEY, RM_EV_KEY, RM_G_NONE,
				{A(PEER_STOP), A(ANSWER), A(BRIDGE)}, CF_BRIDGED},
		{CF_WAIT_KEY, RM_EV_OTHER_KEY, RM_G_NONE, {A(HANGUP_PEER), A(REJECT)},
				RM_S_END},
		{CF_WAIT_KEY, RM_EV_TIMEOUT, RM_G_NONE, {A(HANGUP_PEER), A(REJECT)},
				RM_S_END},
		{CF_WAIT_KEY, RM_EV_PEER_HANGUP, RM_G_NONE, {A(REJECT)}, RM_S_END},
		{CF_WAIT_KEY, RM_EV_HANGUP, RM_G_NONE, {A(HANGUP_PEER)}, RM_S_END},
		{CF_BRIDGED, RM_EV_HANGUP, RM_G_NONE, {A(HANGUP_PEER)}, RM_S_END},
		{CF_BRIDGED, RM_EV_PEER_HANGUP, RM_G_NONE, {A(HANGUP)}, RM_S_END},
};

/* ----- voicemail: greeting, beep, recording, indexed with MWI */
enum
{
	VM_GREETING = 1,
	VM_BEEP,
	VM_RECORDING,
	VM_REFUSED
};
static const char *const rm_vm_states[] = {
		"idle", "greeting", "beep", "recording", "refused"};
static const rm_row_t rm_vm_rows[] = {
		{RM_S_IDLE, RM_EV_START, RM_G_NONE, {A(ANSWER), A(PLAY_GREETING)},
				VM_GREETING},
		{VM_GREETING, RM_EV_PROMPT_DONE, RM_G_NONE, {P(PLAY, "vm-beep")},
				VM_BEEP},
		{VM_BEEP, RM_EV_PROMPT_DONE, RM_G_NONE, {A(RECORD)}, VM_RECORDING},
		{VM_RECORDING, RM_EV_RECORD_END, RM_G_NONE, {A(SAVE_MSG), A(HANGUP)},
				RM_S_END},
		{VM_RECORDING, RM_EV_HANGUP, RM_G_NONE, {A(SAVE_MSG)}, RM_S_END},
		{VM_RECORDING, RM_EV_RECORD_REFUSED, RM_G_NONE,
				{P(PLAY, "not-allowed")}, VM_REFUSED},
		{VM_REFUSED, RM_EV_PROMPT_DONE, RM_G_NONE, {A(HANGUP)}, RM_S_END},
		{RM_S_ANY, RM_EV_HANGUP, RM_G_NONE, {END}, RM_S_END},
};

/* ----- voicemail-main: the owner listens, 7 delete, 9 save, # next */
enum
{
	VMM_COUNT = 1, /* vm-messages <n> or vm-no-messages */
	VMM_NEXT,	   /* which message is next */
	VMM_MENU,	   /* a message and vm-menu play, then a key is awaited */
	VMM_ACK		   /* vm-deleted or vm-saved */
};
static const char *const rm_vmm_states[] = {
		"idle", "count", "next", "menu", "ack"};
static const rm_row_t rm_vmm_rows[] = {
		{RM_S_IDLE, RM_EV_START, RM_G_NONE, {A(ANSWER), A(PLAY_COUNT)},
				VMM_COUNT},
		{VMM_COUNT, RM_EV_PROMPT_DONE, RM_G_NONE, {A(FIRST_MSG)}, VMM_NEXT},
		{VMM_NEXT, RM_EV_MSG, RM_G_NONE, {A(PLAY_MSG)}, VMM_MENU},
		{VMM_NEXT, RM_EV_NO_MSG, RM_G_NONE, {A(HANGUP)}, RM_S_END},
		{VMM_MENU, RM_EV_PROMPT_DONE, RM_G_NONE, {A(MENU_WAIT)}, VMM_MENU},
		{VMM_MENU, RM_EV_VM_DELETE, RM_G_NONE,
				{A(STOP), A(DELETE_MSG), P(PLAY, "vm-deleted")}, VMM_ACK},
		{VMM_MENU, RM_EV_VM_SAVE, RM_G_NONE,
				{A(STOP), A(KEEP_MSG), P(PLAY, "vm-saved")}, VMM_ACK},
		{VMM_MENU, RM_EV_VM_NEXT, RM_G_NONE, {A(STOP), A(NEXT_MSG)}, VMM_NEXT},
		{VMM_MENU, RM_EV_VM_AGAIN, RM_G_NONE, {A(STOP), A(PLAY_MSG)}, VMM_MENU},
		{VMM_MENU, RM_EV_TIMEOUT, RM_G_NONE, {A(HANGUP)}, RM_S_END},
		{VMM_ACK, RM_EV_PROMPT_DONE, RM_G_NONE, {A(NEXT_MSG)}, VMM_NEXT},
		{RM_S_ANY, RM_EV_HANGUP, RM_G_NONE, {END}, RM_S_END},
};

#define RM_N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const rm_fsm_def_t rm_defs[] = {
		{"announce", rm_an_rows, RM_N(rm_an_rows), 1, rm_an_states,
				RM_N(rm_an_states)},
		{"refuse", rm_rf_rows, RM_N(rm_rf_rows), 1, rm_rf_states,
				RM_N(rm_rf_states)},
		{"hotdesk-login", rm_hd_rows, RM_N(rm_hd_rows), 3, rm_hd_states,
				RM_N(rm_hd_states)},
		{"confirm", rm_cf_rows, RM_N(rm_cf_rows), 1, rm_cf_states,
				RM_N(rm_cf_states)},
		{"voicemail", rm_vm_rows, RM_N(rm_vm_rows), 1, rm_vm_states,
				RM_N(rm_vm_states)},
		{"voicemail-main", rm_vmm_rows, RM_N(rm_vmm_rows), 1, rm_vmm_states,
				RM_N(rm_vmm_states)},
};

const rm_fsm_def_t *rm_fsm_find(const char *service, int len)
{
	int i;

	if(!service || len <= 0)
		return NULL;
	for(i = 0; i < RM_N(rm_defs); i++) {
		if((int)strlen(rm_defs[i].service) == len
				&& !memcmp(rm_defs[i].service, service, len))
			return &rm_defs[i];
	}
	return NULL;
}

void rm_fsm_init(rm_fsm_t *f, const rm_fsm_def_t *def)
{
	f->def = def;
	f->state = RM_S_IDLE;
	f->tries = 0;
}

static int rm_guard_ok(const rm_fsm_t *f, rm_guard_t g)
{
	switch(g) {
		case RM_G_NONE:
			return 1;
		case RM_G_MORE_TRIES:
			return f->tries + 1 < f->def->max_tries;
		case RM_G_LAST_TRY:
			return f->tries + 1 >= f->def->max_tries;
	}
	return 0;
}

const rm_row_t *rm_fsm_step(rm_fsm_t *f, rm_ev_t ev)
{
	const rm_row_t *r;
	int i, k;

	if(!f->def || f->state == RM_S_END)
		return NULL;
	for(i = 0; i < f->def->nrows; i++) {
		r = &f->def->rows[i];
		if((r->state != f->state && r->state != RM_S_ANY) || r->ev != ev
				|| !rm_guard_ok(f, r->guard))
			continue;
		for(k = 0; k < RM_FSM_ACTS; k++) {
			if(r->act[k].a == RM_A_COUNT_TRY)
				f->tries++;
		}
		f->state = r->next;
		return r;
	}
	return NULL;
}

const char *rm_fsm_state_name(const rm_fsm_t *f)
{
	if(f->state == RM_S_END)
		return "end";
	if(!f->def || f->state < 0 || f->state >= f->def->nstates)
		return "?";
	return f->def->states[f->state];
}

const char *rm_ev_name(rm_ev_t ev)
{
	static const char *const names[RM_EV__N] = {"start", "prompt-done",
			"digits", "no-digits", "key", "other-key", "timeout", "hangup",
			"peer-answered", "peer-failed", "peer-hangup", "logged-in",
			"wrong-pin", "locked", "rpc-error", "record-end", "record-refused",
			"msg", "no-msg", "vm-delete", "vm-save", "vm-next", "vm-again"};

	return ev >= 0 && ev < RM_EV__N ? names[ev] : "?";
}
