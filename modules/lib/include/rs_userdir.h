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
 * User directory: an immutable in-memory snapshot of the provisioning
 * tables rs_user, rs_device, rs_followme and rs_feature_code.
 *
 * Rows are fed to a builder (rs_dir_builder_*), which validates them,
 * reports rejected rows through a callback and keeps a digest of what it
 * accepted. rs_dir_freeze() then links devices and follow-me entries to
 * their owners and packs everything (users, devices, follow-me entries,
 * strings and two open-addressing hash tables) into ONE block obtained
 * with one call of the output allocator. The block holds absolute
 * pointers into itself, so it must not be moved; it is released with one
 * call of the same allocator's free (rs_dir_free()). A frozen directory
 * is read-only and can be shared by any number of readers without
 * locking.
 */

#ifndef RS_USERDIR_H
#define RS_USERDIR_H

#include <stddef.h>
#include <stdint.h>

#include "rs_common.h"
#include "rs_cols.h"
#include "rs_tmrec.h"

/* limits enforced by the builder */
#define RS_DIR_EXT_MAX 32		/* extension length */
#define RS_DIR_USERNAME_MAX 64	/* device username length */
#define RS_DIR_FIELD_MAX 255	/* any other string field */
#define RS_DIR_RING_MAX 600		/* ring_seconds upper bound */
#define RS_DIR_ROWS_MAX 4000000 /* users, devices, follow-me rows */
#define RS_FM_TARGET_MAX 64		/* follow-me target length */
#define RS_FM_MAX_ENTRIES 32	/* follow-me entries per user */

/* prefix of hotdesk usernames: "hotdesk-<ext>" or "hotdesk-<terminal>" */
#define RS_HOTDESK_PREFIX "hotdesk-"

typedef enum
{
	RS_DEV_STATIC = 0,			 /* a phone that always rings for its owner */
	RS_DEV_HOTDESK_TERMINAL = 1, /* a shared desk phone, no owner */
	RS_DEV_HOTDESK_ACCOUNT = 2	 /* "hotdesk-<ext>", owned by <ext> */
} rs_dev_kind_t;

/* "static", "hotdesk_terminal", "hotdesk_account" (exact, lower case) */
rs_err_t rs_dev_kind_parse(const char *s, int len, rs_dev_kind_t *out);
/* name of a kind, "unknown" for values outside the enum */
const char *rs_dev_kind_name(rs_dev_kind_t k);

/*
 * Permissions (README "Permissions"). A user's own column, when not
 * RS_PERM_UNSET (NULL in SQL), overrides its permission set; a set's
 * column, when not RS_PERM_UNSET, overrides the default.
 */
typedef enum
{
	RS_PERM_CALL_EXTERNAL = 0,		/* may dial external numbers at all */
	RS_PERM_CALL_INTERNATIONAL = 1, /* numbers with the international prefix */
	RS_PERM_FORWARD_EXTERNAL = 2,	/* follow-me and forwarding to numbers */
	RS_PERM_VOICEMAIL = 3			/* a mailbox as the last step */
} rs_perm_t;

#define RS_PERM_COUNT 4
#define RS_PERM_UNSET (-1)
/* defaults: call_external 1, call_international 1, forward_external 0,
 * voicemail 0 (what a user had before permissions existed) */

typedef enum
{
	RS_PERM_SRC_DEFAULT = 0, /* neither the user nor its set says */
	RS_PERM_SRC_SET = 1,	 /* the user's permission set */
	RS_PERM_SRC_USER = 2	 /* the user's own column */
} rs_perm_src_t;

/* "call_external", ...; "unknown" outside the enum */
const char *rs_perm_name(rs_perm_t p);
/* "default", "set", "user"; "unknown" outside the enum */
const char *rs_perm_src_name(rs_perm_src_t s);

#define RS_PERMSET_MAX 64	   /* permission sets in a directory */
#define RS_PERMSET_NAME_MAX 32 /* name length */

/* input row of rs_permission_set; perm[] is 0, 1 or RS_PERM_UNSET */
typedef struct rs_permset_row
{
	rs_str_t name;
	int perm[RS_PERM_COUNT];
} rs_permset_row_t;

/* a permission set in a frozen directory */
typedef struct rs_permset
{
	char name[RS_PERMSET_NAME_MAX + 1];
	int name_len;
	int perm[RS_PERM_COUNT];
} rs_permset_t;

/* input row of rs_user: strings are not NUL-terminated, len 0 = empty/NULL */
typedef struct rs_user_row
{
	rs_str_t extension, domain, display_name, external_cli, pin_hash, mobile;
	/* voicemail and forward_external: 0, 1 or RS_PERM_UNSET (from the
	 * permission set); hotdesk, fork2mobile: 0 or 1 */
	int voicemail, forward_external, hotdesk, fork2mobile;
	int ring_seconds; /* 1..600 */
	int max_calls;	  /* >= 0 */
	int anchor_media; /* 0 or 1: media through RTPengine even between local phones */
	int incall_services; /* 0 or 1: calls through the media server's b2bua */
	int blf_private; /* 0 or 1: only the user's own devices may watch it (BLF) */
	/* README, groups section: pickup_group (empty: none, else 1..32 chars
	 * like an extension), permission_set (a name of rs_permission_set,
	 * empty: none), cfwd_target (empty: no forwarding, else like a
	 * follow-me target), dnd 0 or 1, call_external and call_international
	 * 0, 1 or RS_PERM_UNSET */
	rs_str_t pickup_group, permission_set, cfwd_target;
	int dnd, call_external, call_international;
} rs_user_row_t;

/* input row of rs_device; extension is the owner (empty for terminals) */
typedef struct rs_device_row
{
	rs_str_t username, domain, extension, kind, mac;
} rs_device_row_t;

/* rs_followme.mode */
typedef enum
{
	RS_FM_SERIAL = 0,  /* "serial": a new step, if no response */
	RS_FM_PARALLEL = 1 /* "parallel": at the same time as the previous one */
} rs_fm_mode_t;

/* "serial", "parallel" (exact, lower case) */
rs_err_t rs_fm_mode_parse(const char *s, int len, rs_fm_mode_t *out);
/* name of a mode, "unknown" for values outside the enum */
const char *rs_fm_mode_name(rs_fm_mode_t m);

/*
 * Input row of rs_followme; strings are not NUL-terminated. extension is
 * the owner (1..32 chars like rs_user.extension), position >= 0 and
 * unique per extension, target 1..64 chars of 0-9 A-Z a-z * # + . _ -,
 * mode "serial" or "parallel", ring_seconds 1..600, enabled 0 or 1.
 */
typedef struct rs_followme_row
{
	rs_str_t extension;
	int position;
	rs_str_t target;
	rs_str_t mode;
	int ring_seconds;
	int enabled;
	/* empty or a tmrec recurrence (rs_tmrec.h): the entry rings only
	 * inside it; confirm 0 or 1: an external entry rings through the
	 * media server's confirm service */
	rs_str_t schedule;
	int confirm;
} rs_followme_row_t;

/*
 * A follow-me entry in a frozen directory; target is a NUL-terminated
 * copy inside the block. Whether the target is an extension, a device or
 * an external number is decided when a ring plan is compiled (rs_plan.h).
 */
typedef struct rs_followme
{
	int position;
	rs_str_t target;
	rs_fm_mode_t mode;
	int ring_seconds;
	int enabled;	   /* disabled entries are kept, with 0 here */
	rs_str_t schedule; /* "" = always */
	rs_tmrec_t rec;	   /* schedule, parsed (valid when schedule.len > 0) */
	int confirm;
} rs_followme_t;

/* rs_feature_code: the numbering plan's service codes (README "Provisioning") */
#define RS_FEATURE_CODE_MAX 16 /* code length */
#define RS_FEATURE_MAX 64	   /* codes in a directory */

typedef enum
{
	RS_SVC_F2M_ON = 0,		   /* "fork2mobile_on" */
	RS_SVC_F2M_OFF = 1,		   /* "fork2mobile_off" */
	RS_SVC_F2M_TOGGLE = 2,	   /* "fork2mobile_toggle" */
	RS_SVC_F2M_STATUS = 3,	   /* "fork2mobile_status" */
	RS_SVC_HOTDESK_LOGOUT = 4, /* "hotdesk_logout" */
	RS_SVC_VOICEMAIL_MAIN = 5, /* "voicemail_main" (the media server) */
	RS_SVC_XFER_ATTENDED =
			6, /* "xfer_attended": in a call (README "In-call services") */
	RS_SVC_XFER_CANCEL = 7,		/* "xfer_cancel" */
	RS_SVC_XFER_TOGGLE = 8,		/* "xfer_toggle" */
	RS_SVC_XFER_CONFERENCE = 9, /* "xfer_conference" */
	RS_SVC_CFWD_ON = 10,		/* "cfwd_on": a prefix, *72<number> */
	RS_SVC_CFWD_OFF = 11,		/* "cfwd_off" */
	RS_SVC_DND_ON = 12,			/* "dnd_on" */
	RS_SVC_DND_OFF = 13,		/* "dnd_off" */
	RS_SVC_PICKUP_GROUP = 14,	/* "pickup_group" */
	RS_SVC_PICKUP_DIRECTED = 15 /* "pickup_directed": a prefix, **<ext> */
} rs_service_t;

#define RS_SVC_COUNT 16

/* 1 for the services whose code is followed by an argument (cfwd_on,
 * pickup_directed), else 0 */
int rs_service_takes_arg(rs_service_t svc);

/* exact, lower-case service names as above */
rs_err_t rs_service_parse(const char *s, int len, rs_service_t *out);
/* name of a service, "unknown" for values outside the enum */
const char *rs_service_name(rs_service_t svc);

/*
 * The fields a directory lookup hands to the routing script (userdev's
 * xavps), as bits: a lookup that names the fields it needs fills only those.
 */
#define RS_FLD_EXTENSION (1u << 0)
#define RS_FLD_DOMAIN (1u << 1)
#define RS_FLD_DISPLAY_NAME (1u << 2)
#define RS_FLD_EXTERNAL_CLI (1u << 3)
#define RS_FLD_MOBILE (1u << 4)
#define RS_FLD_VOICEMAIL (1u << 5)
#define RS_FLD_FORWARD_EXTERNAL (1u << 6)
#define RS_FLD_HOTDESK (1u << 7)
#define RS_FLD_FORK2MOBILE (1u << 8)
#define RS_FLD_RING_SECONDS (1u << 9)
#define RS_FLD_MAX_CALLS (1u << 10)
#define RS_FLD_ANCHOR_MEDIA (1u << 11)
#define RS_FLD_DEVICES (1u << 12)
#define RS_FLD_DEVICE (1u << 13)
#define RS_FLD_KIND (1u << 14)
#define RS_FLD_MAC (1u << 15)
#define RS_FLD_BLF_PRIVATE (1u << 16)
#define RS_FLD_INCALL_SERVICES (1u << 17)
/* the effective permissions, pickup_group, cfwd_target and dnd: all five
 * below */
#define RS_FLD_PBX (1u << 18)
/* each of them alone (a lookup asks for the ones its cfg reads: every
 * field is one shm allocation) */
#define RS_FLD_CALL_EXTERNAL (1u << 19)
#define RS_FLD_CALL_INTERNATIONAL (1u << 20)
#define RS_FLD_PICKUP_GROUP (1u << 21)
#define RS_FLD_CFWD_TARGET (1u << 22)
#define RS_FLD_DND (1u << 23)
#define RS_FLD_LAST RS_FLD_DND
#define RS_FLD_ALL 0xffffffu

/*
 * The columns of rs_user (name, type, range, default, where the value
 * lives in rs_user_row_t and rs_user_t, the xavp bit above, shown by
 * userdev.show), extension first: the SELECT, the validation, the copies,
 * the xavp and the RPC loop over it (rs_cols.h). A new column is one line
 * there plus its field in both structs.
 */
extern const rs_coldesc_t rs_user_cols[];
extern const int rs_user_ncols;
/* the other tables' columns (query and parsing; their rows are checked by
 * the builder's own rules) */
extern const rs_coldesc_t rs_device_cols[], rs_followme_cols[],
		rs_feature_cols[], rs_permset_cols[], rs_group_cols[],
		rs_group_member_cols[];
extern const int rs_device_ncols, rs_followme_ncols, rs_feature_ncols,
		rs_permset_ncols, rs_group_ncols, rs_group_member_ncols;

/* name of the field of one bit ("extension", ...), NULL for other values */
const char *rs_dir_field_name(unsigned int bit);

/*
 * "extension,display_name,kind": the bits of a comma-separated list of
 * field names (exact, lower case, no spaces). RS_OK; RS_E_INVAL for an
 * empty list, an empty or unknown name (its position in *bad, from 0).
 */
rs_err_t rs_dir_field_mask(
		const char *s, int len, unsigned int *mask, int *bad);

/*
 * Input row of rs_feature_code. code: 2..16 chars of 0-9 * #, starting
 * with * or # (so it never hides an extension or a number); service one
 * of the names above; enabled 0 or 1.
 */
typedef struct rs_feature_row
{
	rs_str_t code, service;
	int enabled;
} rs_feature_row_t;

/* a feature code in a frozen directory; code is NUL-terminated */
typedef struct rs_feature
{
	char code[RS_FEATURE_CODE_MAX + 1];
	int code_len;
	rs_service_t service;
	int enabled; /* disabled codes are kept, with 0 here */
} rs_feature_t;

typedef struct rs_device rs_device_t;

/*
 * A user in a frozen directory. Every string is a NUL-terminated copy
 * inside the block; an empty field has len 0 and s pointing to "".
 */
typedef struct rs_user
{
	rs_str_t extension, domain, display_name, external_cli, pin_hash, mobile;
	/* voicemail and forward_external are the effective permissions */
	int voicemail, forward_external, hotdesk, fork2mobile, ring_seconds,
			max_calls, anchor_media, incall_services, blf_private;
	rs_str_t pickup_group, permission_set, cfwd_target;
	int dnd;
	int perm[RS_PERM_COUNT];			   /* effective, 0 or 1 */
	rs_perm_src_t perm_src[RS_PERM_COUNT]; /* where each one comes from */
	int permset_unknown; /* permission_set names no set: defaults apply */
	int ndevices;		 /* devices owned by this user */
	const rs_device_t *const *devices; /* in input order */
	int nfollowme;					   /* 0..RS_FM_MAX_ENTRIES */
	const rs_followme_t *followme;	   /* by position; NULL if none */
} rs_user_t;

/* a device in a frozen directory; mac is empty or 12 lower-case hex digits */
struct rs_device
{
	rs_str_t username, domain, mac;
	rs_dev_kind_t kind;
	const rs_user_t *owner; /* NULL for hotdesk terminals */
};

/* rs_group.strategy */
typedef enum
{
	RS_GRP_RINGALL = 0, /* every member at once */
	RS_GRP_SERIAL = 1,	/* one member after the other, by position */
	RS_GRP_HUNT = 2		/* serial, starting after the last who answered */
} rs_grp_strategy_t;

/* "ringall", "serial", "hunt" (exact, lower case) */
rs_err_t rs_grp_strategy_parse(const char *s, int len, rs_grp_strategy_t *out);
const char *rs_grp_strategy_name(rs_grp_strategy_t g);

#define RS_GRP_MAX_MEMBERS 32 /* members per group */

/*
 * Input row of rs_group. extension like a user's (and not a user's),
 * strategy as above, ring_seconds 1..600, last_destination empty (480),
 * "voicemail" (the group's own mailbox) or an extension or number like a
 * follow-me target.
 */
typedef struct rs_group_row
{
	rs_str_t extension, domain, display_name, strategy, last_destination;
	int ring_seconds;
} rs_group_row_t;

/* input row of rs_group_member; position >= 0, unique per group */
typedef struct rs_group_member_row
{
	rs_str_t group_extension, extension;
	int position;
} rs_group_member_row_t;

/* a group in a frozen directory; members by position */
typedef struct rs_group
{
	rs_str_t extension, domain, display_name, last_destination;
	rs_grp_strategy_t strategy;
	int ring_seconds;
	int nmembers;
	const rs_user_t *const *members;
	const int *positions; /* of members[i] */
} rs_group_t;

typedef struct rs_dir rs_dir_t;
typedef struct rs_dir_builder rs_dir_builder_t;

/*
 * Called once per rejected row. table is "rs_user", "rs_device" or
 * "rs_followme", key the row's extension or username as given, or
 * "<extension>/<position>" for rs_followme (may be empty, is not
 * NUL-terminated), reason a NUL-terminated text valid during the call
 * only. Reasons never contain pin_hash.
 */
typedef void (*rs_reject_f)(
		void *ctx, const char *table, const rs_str_t *key, const char *reason);

/*
 * New builder whose working memory comes from a (copied; a->ctx must stay
 * valid). on_reject may be NULL. Returns NULL when out of memory or when
 * a is NULL or incomplete.
 */
rs_dir_builder_t *rs_dir_builder_new(
		const rs_alloc_t *a, rs_reject_f on_reject, void *reject_ctx);

/*
 * At most users / devices / follow-me rows accepted (each 1..RS_DIR_ROWS_MAX,
 * the default); a valid, new row beyond a limit is RS_E_LIMIT (below), so
 * the caller can count and report what a configured limit refused.
 * RS_E_INVAL for a value out of range; the limits are then unchanged.
 */
rs_err_t rs_dir_builder_set_limits(
		rs_dir_builder_t *b, int users, int devices, int followme);

/*
 * Validate and add one row. RS_OK: accepted. RS_E_BADROW / RS_E_DUP: the
 * row was rejected and on_reject was called; the build goes on.
 * RS_E_NOMEM / RS_E_LIMIT / RS_E_INVAL: the row was not added and
 * on_reject was not called; the builder is unchanged and still usable.
 * Rows are copied, the caller's buffers may be reused right away. Devices
 * may be added before their owner.
 */
rs_err_t rs_dir_builder_add_user(rs_dir_builder_t *b, const rs_user_row_t *row);
rs_err_t rs_dir_builder_add_device(
		rs_dir_builder_t *b, const rs_device_row_t *row);
/*
 * Same contract. A second row with the same extension and position is
 * RS_E_DUP (the first one is kept). Rows may come before their owner;
 * the owner and the RS_FM_MAX_ENTRIES limit are checked at freeze time.
 */
rs_err_t rs_dir_builder_add_followme(
		rs_dir_builder_t *b, const rs_followme_row_t *row);
/*
 * Same contract; table "rs_feature_code", key the code. A second row with
 * the same code is RS_E_DUP; beyond RS_FEATURE_MAX codes RS_E_LIMIT.
 */
rs_err_t rs_dir_builder_add_feature(
		rs_dir_builder_t *b, const rs_feature_row_t *row);

/*
 * Same contract; table "rs_permission_set", key the name (1..32 chars
 * like an extension). A second row with the same name is RS_E_DUP; beyond
 * RS_PERMSET_MAX sets RS_E_LIMIT. Sets may come after the users naming
 * them.
 */
rs_err_t rs_dir_builder_add_permset(
		rs_dir_builder_t *b, const rs_permset_row_t *row);
/*
 * Same contract; tables "rs_group" (key the extension) and
 * "rs_group_member" (key "<group>/<position>"). At freeze time a group
 * whose extension is a user's is left out ("extension is a user"), and
 * so is a member that is not a user ("member <ext> is not a user"), of
 * an unknown group ("group <ext> unknown"), a second time in one group
 * ("member <ext> twice") or beyond RS_GRP_MAX_MEMBERS.
 */
rs_err_t rs_dir_builder_add_group(
		rs_dir_builder_t *b, const rs_group_row_t *row);
rs_err_t rs_dir_builder_add_group_member(
		rs_dir_builder_t *b, const rs_group_member_row_t *row);

/*
 * Order-sensitive hash of every field of every accepted row (a device or
 * follow-me row that is left out at freeze time is included). Equal
 * input gives an equal digest, so a reload can skip an unchanged table.
 */
uint64_t rs_dir_builder_digest(const rs_dir_builder_t *b);

/* number of rows accepted so far */
int rs_dir_builder_nusers(const rs_dir_builder_t *b);
int rs_dir_builder_ndevices(const rs_dir_builder_t *b);
int rs_dir_builder_nfollowme(const rs_dir_builder_t *b);

/*
 * Build the frozen directory with exactly one out->alloc call. Devices
 * and follow-me rows are linked to their owners here; a row whose owner
 * extension is not an accepted user is reported through on_reject
 * ("owner extension <ext> unknown") and left out. So are the follow-me
 * rows of a user beyond its RS_FM_MAX_ENTRIES lowest positions ("more
 * than 32 follow-me entries"). These reports happen on every call, even
 * one that then fails with RS_E_NOMEM, devices first, then follow-me
 * rows in input order, then the surplus rows by user and position. The
 * builder is not modified in a visible way and may be freed or fed more
 * rows afterwards. On error *dir is left untouched.
 */
rs_err_t rs_dir_freeze(
		rs_dir_builder_t *b, const rs_alloc_t *out, rs_dir_t **dir);

void rs_dir_builder_free(rs_dir_builder_t *b);

/* one out->free call; out must be the allocator given to rs_dir_freeze() */
void rs_dir_free(rs_dir_t *d, const rs_alloc_t *out);

/* size in bytes of the block */
size_t rs_dir_size(const rs_dir_t *d);

/* O(1) lookups; NULL when not found, for empty keys and for d == NULL */
const rs_user_t *rs_dir_user(const rs_dir_t *d, const char *ext, int len);
const rs_device_t *rs_dir_device(
		const rs_dir_t *d, const char *username, int len);

/* the feature code equal to code (enabled or not); NULL if none */
const rs_feature_t *rs_dir_feature(
		const rs_dir_t *d, const char *code, int len);
/*
 * The enabled or disabled code of a service that takes an argument
 * (rs_service_takes_arg()) that dialled starts with, followed by at least
 * one more char; the longest such code. NULL if none.
 */
const rs_feature_t *rs_dir_feature_prefix(
		const rs_dir_t *d, const char *dialled, int len);
int rs_dir_nfeatures(const rs_dir_t *d);
const rs_feature_t *rs_dir_feature_at(const rs_dir_t *d, int i);
/*
 * The enabled in-call codes (services xfer_*) as the media server's
 * X-Ringset-Codes value, "xfer_attended=#4;xfer_cancel=*0;...", into buf
 * (NUL-terminated). Its length (0: none enabled), or -1 if n is too small.
 */
int rs_dir_incall_codes(const rs_dir_t *d, char *buf, size_t n);

/* groups: lookup by extension, iteration in input order */
const rs_group_t *rs_dir_group(const rs_dir_t *d, const char *ext, int len);
int rs_dir_ngroups(const rs_dir_t *d);
const rs_group_t *rs_dir_group_at(const rs_dir_t *d, int i);
/* the permission set named name; NULL if none */
const rs_permset_t *rs_dir_permset(
		const rs_dir_t *d, const char *name, int len);

/* iteration in input order; *_at() returns NULL when i is out of range */
int rs_dir_nusers(const rs_dir_t *d);
int rs_dir_ndevices(const rs_dir_t *d);
/* follow-me entries in the block, all users together */
int rs_dir_nfollowme(const rs_dir_t *d);
const rs_user_t *rs_dir_user_at(const rs_dir_t *d, int i);
const rs_device_t *rs_dir_device_at(const rs_dir_t *d, int i);

/* the builder digest at freeze time */
uint64_t rs_dir_digest(const rs_dir_t *d);

/* the checks every text field of the directory passes (length up to
 * RS_DIR_FIELD_MAX, no NUL, no control character: the values end up in SIP
 * headers), and the characters of an extension (0-9 A-Z a-z * # + . _ -);
 * rs_cols.c applies the same to its columns */
int rs_dir_check_field(
		const rs_str_t *f, const char *name, char *why, size_t n);
int rs_dir_ext_char(unsigned char c);

#endif /* RS_USERDIR_H */
