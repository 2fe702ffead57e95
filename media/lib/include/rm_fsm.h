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
 * The media server's services as state machines: each service is a table
 * of rows "in state S, on event E (and guard G): actions A, then state S'".
 * No network, no libre types: the daemon turns SIP/RTP into events and
 * carries out the actions. Unit tested row by row.
 */

#ifndef RM_FSM_H
#define RM_FSM_H

#define RM_FSM_ACTS 4
#define RM_S_ANY (-1)
#define RM_S_IDLE 0
#define RM_S_END 99

typedef enum
{
	RM_EV_START = 0,	  /* the INVITE was accepted for this service */
	RM_EV_PROMPT_DONE,	  /* the prompt (sequence) played to its end */
	RM_EV_DIGITS,		  /* an entry is complete (# or inter-digit time) */
	RM_EV_NO_DIGITS,	  /* nothing was entered in time */
	RM_EV_KEY,			  /* the expected key (confirm) */
	RM_EV_OTHER_KEY,	  /* any other key (confirm) */
	RM_EV_TIMEOUT,		  /* the service's own timer */
	RM_EV_HANGUP,		  /* our leg ended: BYE, CANCEL */
	RM_EV_PEER_ANSWERED,  /* the leg we placed answered */
	RM_EV_PEER_FAILED,	  /* the leg we placed failed (busy, no answer) */
	RM_EV_PEER_HANGUP,	  /* the leg we placed hung up */
	RM_EV_LOGGED_IN,	  /* hotdesk.login: status logged-in */
	RM_EV_WRONG_PIN,	  /* hotdesk.login: status wrong-pin */
	RM_EV_LOCKED,		  /* hotdesk.login: status locked */
	RM_EV_RPC_ERROR,	  /* hotdesk.login did not answer usably */
	RM_EV_RECORD_END,	  /* recording ended: '#', limit, silence */
	RM_EV_RECORD_REFUSED, /* recording could not start (disk full) */
	RM_EV_MSG,			  /* voicemail-main: there is a message to play */
	RM_EV_NO_MSG,		  /* voicemail-main: no (more) messages */
	RM_EV_VM_DELETE,	  /* voicemail-main: key 7 */
	RM_EV_VM_SAVE,		  /* voicemail-main: key 9 */
	RM_EV_VM_NEXT,		  /* voicemail-main: key # */
	RM_EV_VM_AGAIN,		  /* voicemail-main: key * */
	RM_EV__N
} rm_ev_t;

typedef enum
{
	RM_A_NONE = 0,
	RM_A_RING,			/* 180 on our leg */
	RM_A_ANSWER,		/* 200 on our leg */
	RM_A_PLAY,			/* play .prompt on our leg (NULL: the request's) */
	RM_A_STOP,			/* stop what our leg plays */
	RM_A_COLLECT_PIN,	/* collect digits: 10 s first, 5 s inter, '#' */
	RM_A_RPC_LOGIN,		/* hotdesk.login with the digits */
	RM_A_COUNT_TRY,		/* one more failed try (the engine counts it) */
	RM_A_HANGUP,		/* BYE on our leg */
	RM_A_REJECT,		/* 480 on our (unanswered) leg */
	RM_A_CALL_PEER,		/* place the second leg (confirm: the mobile) */
	RM_A_SEND_183,		/* 183 X-Ringset-Confirm: answered on our leg */
	RM_A_PEER_PROMPT,	/* play .prompt to the peer, repeated */
	RM_A_PEER_STOP,		/* stop what the peer hears */
	RM_A_WAIT_KEY,		/* wait the request's timeout for its key */
	RM_A_BRIDGE,		/* audio both ways between our leg and the peer */
	RM_A_HANGUP_PEER,	/* end the peer leg (BYE or CANCEL) */
	RM_A_PLAY_GREETING, /* the mailbox greeting (recording or vm-greeting) */
	RM_A_RECORD,		/* record our leg into the mailbox */
	RM_A_SAVE_MSG,		/* stop recording, index the message, MWI */
	RM_A_PLAY_COUNT,	/* vm-messages and the count, or vm-no-messages */
	RM_A_FIRST_MSG,		/* the first message (new first): posts MSG/NO_MSG */
	RM_A_NEXT_MSG,		/* the next message: posts MSG or NO_MSG */
	RM_A_PLAY_MSG,		/* the current message, then vm-menu */
	RM_A_DELETE_MSG,	/* delete the current message (row, file), MWI */
	RM_A_KEEP_MSG,		/* mark the current message saved, MWI */
	RM_A_MENU_WAIT,		/* wait for a menu key (10 s) */
	RM_A_EARLY,			/* 183 with our SDP on our leg: early media */
	RM_A_REFUSE,		/* the request's X-Ringset-Reason on our leg */
	RM_A__N
} rm_act_t;

typedef enum
{
	RM_G_NONE = 0,
	RM_G_MORE_TRIES, /* a failed try now would leave tries */
	RM_G_LAST_TRY	 /* a failed try now is the last one */
} rm_guard_t;

typedef struct rm_action
{
	rm_act_t a;
	const char *prompt;
} rm_action_t;

typedef struct rm_row
{
	int state;
	rm_ev_t ev;
	rm_guard_t guard;
	rm_action_t act[RM_FSM_ACTS];
	int next;
} rm_row_t;

typedef struct rm_fsm_def
{
	const char *service; /* R-URI user */
	const rm_row_t *rows;
	int nrows;
	int max_tries;
	const char *const *states; /* names, for logs; index = state */
	int nstates;
} rm_fsm_def_t;

typedef struct rm_fsm
{
	const rm_fsm_def_t *def;
	int state;
	int tries;
} rm_fsm_t;

/* the service named by an R-URI user, or NULL */
const rm_fsm_def_t *rm_fsm_find(const char *service, int len);

void rm_fsm_init(rm_fsm_t *f, const rm_fsm_def_t *def);

/*
 * Feeds one event: the row that applies, after which f->state is its next
 * state (COUNT_TRY is done here); NULL if the event means nothing in this
 * state (the state stays).
 */
const rm_row_t *rm_fsm_step(rm_fsm_t *f, rm_ev_t ev);

const char *rm_fsm_state_name(const rm_fsm_t *f);
const char *rm_ev_name(rm_ev_t ev);

#endif /* RM_FSM_H */
