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
 * The b2bua service (README "In-call services"): the in-call state machine of a call
 * carried as two or three legs, plain C, table-driven.
 *
 * Three roles: USER (the user with in-call services), PARTY (the other
 * side of the original call) and ADDR (the addressee of a consultation).
 * Before the call is answered there are two SIP legs, IN (the one that
 * called us) and OUT (the one we placed); the glue maps them to USER and
 * PARTY by X-Ringset-Side. Who hears whom is always an explicit action:
 * BRIDGE_UP (user with party), BRIDGE_UA, BRIDGE_PA, MIX3 (all three),
 * MOH_P / MOH_A (that leg hears music on hold and nobody else).
 *
 * The user's keys go through rm_b2b_keys first: a key that may start a
 * code is held back until the code is complete (an event) or cannot be
 * (the held keys pass through to the other side unchanged).
 */

#ifndef RM_B2BUA_H
#define RM_B2BUA_H

#include <stddef.h>
#include <stdint.h>

#define RM_B2B_ACTS 5
#define RM_B2B_CODE_MAX 16

typedef enum
{
	RM_B2B_S_SETUP = 0,	  /* the first leg we placed rings */
	RM_B2B_S_TALK,		  /* user and party talk */
	RM_B2B_S_DIALING,	  /* #4: party on hold, user dials the addressee */
	RM_B2B_S_RINGING,	  /* the consultation call rings */
	RM_B2B_S_CONSULT,	  /* user and addressee talk, party on hold */
	RM_B2B_S_TOGGLED,	  /* *9: user and party talk, addressee on hold */
	RM_B2B_S_CONF,		  /* *3: all three */
	RM_B2B_S_BACK,		  /* a prompt to the user, then back to the call */
	RM_B2B_S_XFER_RING,	  /* user gone while it rings: party waits */
	RM_B2B_S_TRANSFERRED, /* party and addressee talk, the user is gone */
	RM_B2B_S_PARTY_BYE,	  /* not-available to the party, then BYE */
	RM_B2B_S_ALONE_RING,  /* the party left while the addressee rings */
	RM_B2B_S_USER_BYE,	  /* not-available to the user, then BYE */
	RM_B2B_S_RECALL,	  /* user gone, nobody answered: the user's devices
						   * are called back for the party */
	RM_B2B_S_END,
	RM_B2B_S__N
} rm_b2b_state_t;

typedef enum
{
	RM_B2B_E_OUT_ANSWERED = 0, /* the first placed leg answered */
	RM_B2B_E_OUT_FAILED,	   /* it failed: its final reply goes back */
	RM_B2B_E_IN_CANCEL,		   /* the calling leg gave up before answer */
	RM_B2B_E_CODE_ATTENDED,	   /* xfer_attended (#4) by the user */
	RM_B2B_E_CODE_CANCEL,	   /* xfer_cancel (*0) */
	RM_B2B_E_CODE_TOGGLE,	   /* xfer_toggle (*9) */
	RM_B2B_E_CODE_CONF,		   /* xfer_conference (*3) */
	RM_B2B_E_DIGITS,		   /* the addressee's number is complete */
	RM_B2B_E_NO_DIGITS,		   /* nothing dialled in time */
	RM_B2B_E_ADDR_ANSWERED,
	RM_B2B_E_ADDR_FAILED, /* busy, no answer, unknown number */
	RM_B2B_E_USER_HANGUP,
	RM_B2B_E_PARTY_HANGUP,
	RM_B2B_E_ADDR_HANGUP,
	RM_B2B_E_USER_PROMPT_DONE,
	RM_B2B_E_PARTY_PROMPT_DONE,
	RM_B2B_E_USER_ANSWERED, /* the user's devices, called back, answered */
	RM_B2B_E_USER_FAILED,	/* ... busy, no answer, not registered */
	RM_B2B_E__N
} rm_b2b_ev_t;

typedef enum
{
	RM_B2B_A_NONE = 0,
	RM_B2B_A_ANSWER_IN,	   /* 200 on the calling leg, with our SDP */
	RM_B2B_A_REJECT_IN,	   /* the OUT leg's final reply on the IN leg */
	RM_B2B_A_CANCEL_OUT,   /* CANCEL the placed leg */
	RM_B2B_A_BRIDGE_UP,	   /* user <-> party, the addressee hears nothing */
	RM_B2B_A_BRIDGE_UA,	   /* user <-> addressee */
	RM_B2B_A_BRIDGE_PA,	   /* party <-> addressee */
	RM_B2B_A_MIX3,		   /* each hears the other two */
	RM_B2B_A_MOH_P,		   /* the party hears moh (looped) */
	RM_B2B_A_MOH_A,		   /* the addressee hears moh */
	RM_B2B_A_PLAY_U,	   /* .prompt to the user, once */
	RM_B2B_A_PLAY_P,	   /* .prompt to the party, once */
	RM_B2B_A_RINGBACK_U,   /* the user hears a ringing tone */
	RM_B2B_A_COLLECT,	   /* collect the number: '#' or 2 s */
	RM_B2B_A_CALL_ADDR,	   /* place the consultation leg */
	RM_B2B_A_DROP_ADDR,	   /* CANCEL or BYE the addressee's leg */
	RM_B2B_A_HANGUP_USER,  /* BYE the user */
	RM_B2B_A_HANGUP_PARTY, /* BYE the party */
	RM_B2B_A_PROMOTE_ADDR, /* the party is gone: the addressee is the party */
	RM_B2B_A_XFER_DONE,	   /* record the completed transfer */
	RM_B2B_A_CALL_USER,	   /* call the user's devices back for the party */
	RM_B2B_A__N
} rm_b2b_act_t;

typedef struct rm_b2b_action
{
	rm_b2b_act_t a;
	const char *prompt;
} rm_b2b_action_t;

typedef struct rm_b2b_row
{
	rm_b2b_state_t state;
	rm_b2b_ev_t ev;
	rm_b2b_action_t act[RM_B2B_ACTS];
	rm_b2b_state_t next;
} rm_b2b_row_t;

typedef struct rm_b2b
{
	rm_b2b_state_t state;
} rm_b2b_t;

void rm_b2b_init(rm_b2b_t *f);
/* the row for this event in the current state (f->state is then its next
 * state), or NULL: the event means nothing here and the state stays */
const rm_b2b_row_t *rm_b2b_step(rm_b2b_t *f, rm_b2b_ev_t ev);
const char *rm_b2b_state_name(rm_b2b_state_t s);
const char *rm_b2b_ev_name(rm_b2b_ev_t ev);
const char *rm_b2b_act_name(rm_b2b_act_t a);
/* the table, for tests and documentation */
const rm_b2b_row_t *rm_b2b_rows(int *n);

/* ----- the codes (X-Ringset-Codes: xfer_attended=#4;xfer_cancel=*0;...) */
typedef enum
{
	RM_B2B_C_ATTENDED = 0,
	RM_B2B_C_CANCEL,
	RM_B2B_C_TOGGLE,
	RM_B2B_C_CONF,
	RM_B2B_C__N
} rm_b2b_code_t;

typedef struct rm_b2b_codes
{
	char code[RM_B2B_C__N][RM_B2B_CODE_MAX + 1]; /* "" = disabled */
} rm_b2b_codes_t;

/* the seed's defaults: #4 *0 *9 *3 */
void rm_b2b_codes_default(rm_b2b_codes_t *c);
/*
 * Parses "service=code;service=code..." (services xfer_attended,
 * xfer_cancel, xfer_toggle, xfer_conference; a code is 2..16 of 0-9 * #
 * starting with * or #). A service not named is disabled; an empty value
 * (len 0) disables all. 0, or -1 for a malformed value (c is then all
 * disabled).
 */
int rm_b2b_codes_parse(rm_b2b_codes_t *c, const char *s, size_t len);
/* the event of a code */
rm_b2b_ev_t rm_b2b_code_event(rm_b2b_code_t k);

/* ----- the user's keys: codes held back, the rest passed through */
typedef enum
{
	RM_B2B_K_HELD = 0, /* may start a code: wait for more (or the timeout) */
	RM_B2B_K_PASS,	   /* pass out[] (the held keys and this one) */
	RM_B2B_K_CODE	   /* a code: *code says which; nothing passes */
} rm_b2b_kres_t;

typedef struct rm_b2b_keys
{
	char held[RM_B2B_CODE_MAX + 1];
	int nheld;
	uint64_t deadline; /* when the held keys pass anyway; 0 = none held */
	int hold_ms;
} rm_b2b_keys_t;

void rm_b2b_keys_init(rm_b2b_keys_t *k, int hold_ms);
/*
 * One key of the user at now (ms). On PASS, out (at least
 * RM_B2B_CODE_MAX + 2 bytes) holds the keys to pass, NUL-terminated.
 */
rm_b2b_kres_t rm_b2b_keys_feed(rm_b2b_keys_t *k, const rm_b2b_codes_t *c,
		char key, uint64_t now, rm_b2b_code_t *code, char *out);
/* the held keys when their time is up (PASS with out), else HELD */
rm_b2b_kres_t rm_b2b_keys_poll(rm_b2b_keys_t *k, uint64_t now, char *out);

/*
 * The addressee's number as dialled (digits, then '#' or the time): an
 * internal extension or an external number, 1..32 of 0-9 (a leading '+'
 * allowed). 0, or -1 when it is not a number.
 */
int rm_b2b_number_ok(const char *s);

#endif /* RM_B2BUA_H */
