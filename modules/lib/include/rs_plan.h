/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2025 The Ringset authors
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
 * Ring plan compiler (README "Follow-me"): turns a user of a frozen
 * directory (rs_userdir.h) into the ordered steps a call to that user
 * rings, with sipX q-values and ring times, and renders the plan in the
 * sipX contact form. No allocation at all: the plan is a fixed-size
 * struct (about 15 KB) filled by the caller's rs_plan_compile() call.
 *
 * Plan of a call to user U:
 *   - step 1: every device of U (static and hotdesk_account, in directory
 *     order), each ringing U.ring_seconds; then, if U.fork2mobile is 1 and
 *     U.mobile is set, U's mobile (MOBILE, U.ring_seconds);
 *   - then every ENABLED follow-me entry of U in position order: "serial"
 *     opens a new step, "parallel" joins the current one (a first
 *     parallel entry joins step 1). The entry's target is
 *       - an extension X (X may be U): X's devices only, never X's
 *         follow-me, Fork2Mobile or voicemail; DEVICE targets;
 *       - else a device username: that device alone;
 *       - else a number matching ^\+?[0-9*#]{2,32}$: EXTERNAL, skipped
 *         when U.forward_external is 0;
 *       - else skipped ("unknown target").
 *     Each target rings for the entry's ring_seconds;
 *   - then, if U.voicemail is 1, a last step with U's mailbox
 *     (VOICEMAIL, in->voicemail_seconds).
 * The steps depend only on the enabled flags and modes, so a step whose
 * targets were all skipped (or are not registered) stays in the plan
 * with ringable == 0 and the q-values of later steps do not move.
 *
 * q-values (sipXpbx): n = enabled follow-me entries + 1 if U has
 * voicemail; step k (0-based) gets rs_plan_q(n, k), that is
 * 1000 - k * 200 / (n + 1) thousandths rounded half up. n = 3, all
 * serial: 1000, 950, 900, 850. Two consecutive steps with the same q
 * make rs_plan_compile() refuse the sequence (RS_E_LIMIT). With at most
 * RS_FM_MAX_ENTRIES entries per user this cannot happen for a directory
 * user: the first collision needs n = 200 and 102 steps.
 *
 * Targets that do not ring are listed in skips[] with a reason (exact
 * texts, rendered by rs_plan_render()):
 *   "disabled"                           a disabled entry (step -1)
 *   "unknown target"                     see above
 *   "no devices"                         an extension entry whose user
 *                                        has no device
 *   "external forwarding not allowed for <U>"
 *   "mobile is not a valid number"       U.mobile does not match the
 *                                        number pattern
 *   "busy (max_calls reached)"           in->own_busy and a device owned
 *                                        by U, in any step
 *   "already in step <N>"                the same device, or the same
 *                                        number, twice in one step
 *   "not registered"                     a device with 0 contacts; it
 *                                        ALSO stays in targets[] with
 *                                        registered == 0
 *   "more than <M> contacts in step <N>" the target would bring the step
 *                                        above max_step_contacts
 *   "more than 96 targets in plan"       targets[] is full
 * Steps <N> in reasons count from 1, like in the rendered text. Targets
 * are checked in plan order against these rules, top to bottom from
 * "busy"; a trimmed target does not stop a later, smaller one from
 * fitting into the same step.
 *
 * README "Ring groups", "Forwarding and do-not-disturb" adds, for a user:
 *   - U.dnd: U's own devices and its Fork2Mobile leg are skipped ("do
 *     not disturb"); the rest of the plan goes on;
 *   - U.cfwd_target set: the plan is ONE step (n = 0, q 1.0) with the
 *     forward target (an extension's devices, a device, or a number,
 *     EXTERNAL) ringing RS_PLAN_CFWD_SECONDS; U's devices do not ring.
 *     A number U may not forward to (forward_external, or
 *     call_international for an international number) or an unknown
 *     target is skipped with the reason (source "forwarding") and U's
 *     normal plan is used instead;
 *   - an entry with a schedule whose recurrence does not hold at in->now
 *     (when in->now_set) is skipped: "outside its schedule";
 *   - an EXTERNAL entry that is international (starts with
 *     in->intl_prefix) needs call_international: "international calls not allowed for
 *     <U>";
 *   - an EXTERNAL entry with confirm = 1 becomes a CONFIRM target: it
 *     rings through the media server's confirm service.
 * and group plans (rs_plan_compile_group()).
 */

#ifndef RS_PLAN_H
#define RS_PLAN_H

#include <stddef.h>

#include "rs_common.h"
#include "rs_userdir.h"

#define RS_PLAN_MAX_STEPS 40
#define RS_PLAN_MAX_TARGETS 96
#define RS_PLAN_MAX_SKIPS 64
#define RS_PLAN_REASON_MAX 96 /* bytes of a skip reason, NUL included */
#define RS_PLAN_WHY_MAX 128	  /* bytes of rs_plan_t.why, NUL included */

#define RS_PLAN_STEP_CONTACTS 12	 /* default of max_step_contacts */
#define RS_PLAN_VOICEMAIL_SECONDS 30 /* default of voicemail_seconds */
#define RS_PLAN_NUMBER_MAX 32		 /* digits of an external number */

typedef enum
{
	RS_TGT_NONE = -1,	  /* skips only: an entry that rings nothing itself */
	RS_TGT_DEVICE = 0,	  /* a device of the directory */
	RS_TGT_EXTERNAL = 1,  /* a follow-me number, dialled via the PSTN rules */
	RS_TGT_MOBILE = 2,	  /* U's Fork2Mobile number */
	RS_TGT_VOICEMAIL = 3, /* U's mailbox on the media server */
	RS_TGT_CONFIRM = 4	  /* a follow-me number through press-1 confirm */
} rs_target_kind_t;

#define RS_PLAN_CFWD_SECONDS 120 /* ring time of a forward target */

/* "none", "device", "external", "mobile", "voicemail"; else "unknown" */
const char *rs_target_kind_name(rs_target_kind_t k);

/*
 * One target of a step. name points into the directory (or to a static
 * "voicemail"), so it lives as long as the directory the plan was
 * compiled from. It is NUL-terminated.
 */
typedef struct rs_plan_target
{
	rs_target_kind_t kind;
	/* DEVICE: username; EXTERNAL: the entry's target; MOBILE: U.mobile;
	 * VOICEMAIL: "voicemail" (the mailbox is plan->user->extension) */
	rs_str_t name;
	const rs_device_t *device; /* DEVICE only, else NULL */
	int ring_seconds;		   /* the sipX expires value */
	int ncontacts;			   /* 0 if not registered, 1 if not a DEVICE */
	int entry_position;		   /* -1: own device, mobile or voicemail */
	int registered;			   /* 0: a device without contacts, not rung */
	/* group plans: the member this target belongs to, else NULL */
	const rs_user_t *member;
} rs_plan_target_t;

/* one step: targets[first .. first + count - 1] ring in parallel */
typedef struct rs_plan_step
{
	int q;		   /* thousandths, equal for every target of the step */
	int timer;	   /* longest ring_seconds of the ringable targets, or 0 */
	int first;	   /* index of the step's first target in targets[] */
	int count;	   /* targets of the step, registered or not */
	int ncontacts; /* contacts that ring at once */
	int ringable;  /* registered targets; 0 = empty step, nothing rings */
} rs_plan_step_t;

/* something that will not ring, and why */
typedef struct rs_plan_skip
{
	int step;			   /* 0-based step it belongs to, -1 disabled */
	int entry_position;	   /* follow-me position, -1 not from an entry */
	rs_target_kind_t kind; /* RS_TGT_NONE: the entry itself was skipped */
	rs_str_t target;	   /* device username, number, or entry target */
	char reason[RS_PLAN_REASON_MAX]; /* see the list at the top */
	const char *source; /* "forwarding", "member", ...; NULL: from kind */
} rs_plan_skip_t;

typedef struct rs_plan
{
	const rs_user_t *user;	 /* a user's plan, else NULL */
	const rs_group_t *group; /* a group's plan, else NULL */
	rs_str_t ext;			 /* the called extension (user or group) */
	int forwarded;			 /* 1: the user's cfwd_target plan */
	int n;					 /* enabled follow-me entries + 1 if voicemail */
	int delta_q; /* 200 / (n + 1) rounded half up; information only */
	rs_plan_step_t steps[RS_PLAN_MAX_STEPS];
	int nsteps; /* >= 1 after a successful compile */
	rs_plan_target_t targets[RS_PLAN_MAX_TARGETS];
	int ntargets;
	rs_plan_skip_t skips[RS_PLAN_MAX_SKIPS];
	int nskips;
	int nskips_lost;		   /* skips that did not fit into skips[] */
	char why[RS_PLAN_WHY_MAX]; /* why compile failed; "" on success */
} rs_plan_t;

typedef struct rs_plan_input
{
	const rs_dir_t *dir;   /* resolves the targets of follow-me entries */
	const rs_user_t *user; /* the called user, normally from dir */
	/*
	 * Registered contacts of a device (>= 0; a negative result counts as
	 * 0). Called once per DEVICE target that is not busy or a duplicate.
	 * NULL: every device counts as registered with 1 contact.
	 */
	int (*ncontacts)(void *ctx, const rs_device_t *d);
	void *ctx;
	int own_busy;		   /* 1: U has reached max_calls */
	int voicemail_seconds; /* 1..600, 0 = RS_PLAN_VOICEMAIL_SECONDS */
	int max_step_contacts; /* >= 1, 0 = RS_PLAN_STEP_CONTACTS */
	/* schedules are checked against now (wall-clock seconds, rs_tmrec.h)
	 * when now_set is 1; else every entry is inside its schedule */
	int64_t now;
	int now_set;
	/* international numbers start with this prefix (NULL or "": "00") */
	const char *intl_prefix;
	/* group plans: 1 if the member is busy (may be NULL: nobody is) */
	int (*user_busy)(void *ctx, const rs_user_t *u);
	const rs_group_t *group;
	/* hunt: the extension of the member who answered last (NUL-
	 * terminated; NULL or "": start with the first member) */
	const char *hunt_after;
} rs_plan_input_t;

/*
 * q of step k (k serial lowerings) in a sequence of n entries:
 * round_half_up(1000 - k * 200 / (n + 1)), in thousandths. -1 unless
 * n >= 0 and 0 <= k <= n.
 */
int rs_plan_q(int n, int k);

/*
 * Compile the plan of in->user into *out (overwritten completely).
 * RS_OK: out holds the plan, out->why is "". RS_E_INVAL: a NULL pointer
 * or a value out of range. RS_E_LIMIT: two consecutive steps would get
 * the same q ("sequence too long: steps 101 and 102 would both get
 * q=0.9"), or more than RS_PLAN_MAX_STEPS steps ("sequence too long: 41
 * steps, at most 40"). On error out->why says why and out holds no
 * steps, targets or skips.
 */
rs_err_t rs_plan_compile(const rs_plan_input_t *in, rs_plan_t *out);

/*
 * The plan of a call to group in->group (in->user is ignored):
 *   ringall: one step with every member's devices and, when the member
 *            has Fork2Mobile on, its mobile (MOBILE), for ring_seconds;
 *   serial:  one step per member, in position order, for ring_seconds;
 *   hunt:    like serial, starting after the member in->hunt_after
 *            (round robin), with the first member if none;
 *   then, if last_destination is set, a last step: "voicemail" (the
 *   group's mailbox, VOICEMAIL), an extension (its devices, for its own
 *   ring_seconds), a device, or a number (EXTERNAL), each ringing
 *   in->voicemail_seconds except the extension.
 * A member never brings its follow-me or voicemail; a member for which
 * in->user_busy() says 1 is skipped ("busy (max_calls reached)"), one
 * with dnd ("do not disturb"), one without devices ("no devices"): source
 * "member <position>". n = steps - 1, so q falls from step to step.
 * Errors as for rs_plan_compile() (RS_E_INVAL also for a group without
 * members: "group has no members").
 */
rs_err_t rs_plan_compile_group(const rs_plan_input_t *in, rs_plan_t *out);

/* 1 if s is a number a plan dials: ^\+?[0-9*#]{2,32}$, else 0 */
int rs_plan_is_number(const rs_str_t *s);

/* 1 if number is international: starts with prefix ("" or NULL: "00")
 * and has more digits after it, else 0 */
int rs_plan_is_international(const rs_str_t *number, const char *prefix);

/*
 * q (0..1000 thousandths) as text with at most 3 decimals and at least
 * one: 1000 -> "1.0", 950 -> "0.95", 900 -> "0.9", 833 -> "0.833",
 * 5 -> "0.005", 0 -> "0.0". snprintf semantics: the length of the full
 * text is returned and buf (if len > 0) always ends in NUL; -1 when q is
 * out of range or buf is NULL with len > 0.
 */
int rs_q_format(int q, char *buf, size_t len);

/*
 * Target number target (0-based, within the step) of step step, in the
 * sipX form
 *     <sip:NAME@HOST?expires=RING_SECONDS>;q=Q
 * e.g. "<sip:234234@example.com?expires=40>;q=0.9". NAME is the target's
 * name, except "voicemail" for VOICEMAIL; bytes other than 0-9 A-Z a-z
 * - _ . ! ~ * ' ( ) & = + $ , / are %XX-escaped ("*21#" ->
 * "*21%23"). HOST is the device's domain for a DEVICE with a non-empty
 * domain, media_host for VOICEMAIL, else domain; it is copied as is.
 * snprintf semantics; -1 for bad arguments (NULL p, domain or
 * media_host, index out of range, NULL buf with len > 0).
 */
int rs_plan_target_render(const rs_plan_t *p, int step, int target,
		const char *domain, const char *media_host, char *buf, size_t len);

/*
 * The whole plan as text, every line ending in "\n":
 *   one line per step, its ringable targets in rs_plan_target_render()
 *   form joined by ", ", or "(empty)":
 *     "step 1 q=1.0 timer=20s: <sip:..>;q=1.0, <sip:..>;q=1.0"
 *     "step 2 q=0.95 timer=0s: (empty)"
 *   then one line per skip:
 *     "skipped: <target> (<source>): <reason>"
 *   where <source> is "entry <position>" for a follow-me entry, else
 *   "own device", "fork2mobile" or "voicemail";
 *   then, if nskips_lost > 0: "skipped: <nskips_lost> more (not listed)".
 * snprintf semantics; -1 for bad arguments (as above).
 */
int rs_plan_render(const rs_plan_t *p, const char *domain,
		const char *media_host, char *buf, size_t len);

#endif /* RS_PLAN_H */
