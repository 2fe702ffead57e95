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

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rs_userdir.h"

#define RS_TBL_USER "rs_user"
#define RS_TBL_DEVICE "rs_device"
#define RS_TBL_FOLLOWME "rs_followme"
#define RS_TBL_FEATURE "rs_feature_code"
#define RS_TBL_PERMSET "rs_permission_set"
#define RS_TBL_GROUP "rs_group"
#define RS_TBL_GROUP_MEMBER "rs_group_member"

/* room for "<extension>/<position>" in reject keys */
#define RS_FM_KEY_MAX (RS_DIR_FIELD_MAX + 16)

/* a string kept in the builder's pool */
typedef struct rs_pstr
{
	size_t off;
	int len;
} rs_pstr_t;

/* a value of an accepted row: a string of the pool or an int */
typedef union rs_bval
{
	rs_pstr_t s;
	int i;
} rs_bval_t;

/* an accepted user row is RS_USER_NCOLS values, one per column of
 * rs_user_cols[] in its order; row i of the builder starts here */
#define RS_BUSER(b, i) ((b)->users + (size_t)(i) * RS_USER_NCOLS)

/* accepted rs_group row */
typedef struct rs_bgroup
{
	rs_pstr_t extension, domain, display_name, last_destination;
	rs_grp_strategy_t strategy;
	int ring_seconds;
	int keep; /* set by rs_dir_freeze() */
} rs_bgroup_t;

/* accepted rs_group_member row */
typedef struct rs_bgm
{
	rs_pstr_t group, extension;
	int position;
	int grp, user; /* set by rs_dir_freeze(): indexes, -1 unknown */
	int keep;
} rs_bgm_t;

/* accepted device row */
typedef struct rs_bdev
{
	rs_pstr_t username, domain, extension, mac;
	rs_dev_kind_t kind;
	int owner; /* set by rs_dir_freeze(): user index, -1 none, -2 unknown */
} rs_bdev_t;

/* accepted follow-me row */
typedef struct rs_bfm
{
	rs_pstr_t key;		 /* "<extension>/<position>" */
	rs_pstr_t extension; /* prefix of key */
	rs_pstr_t target;
	rs_pstr_t schedule;
	rs_tmrec_t rec;
	int position, ring_seconds, enabled, confirm;
	rs_fm_mode_t mode;
	int owner; /* set by rs_dir_freeze(): user index, -2 unknown */
	int keep;  /* set by rs_dir_freeze(): 1 if it goes into the block */
} rs_bfm_t;

/* open-addressing index of record numbers (stored as number + 1) */
typedef struct rs_bindex
{
	uint32_t *slot;
	uint32_t cap; /* 0 or a power of two */
} rs_bindex_t;

struct rs_dir_builder
{
	rs_alloc_t a;
	rs_reject_f on_reject;
	void *reject_ctx;
	rs_bval_t *users; /* RS_USER_NCOLS per row */
	int nusers, capusers;
	rs_bdev_t *devs;
	int ndevs, capdevs;
	rs_bfm_t *fms;
	int nfms, capfms;
	int *fmorder; /* scratch of rs_dir_freeze(): row numbers, sorted */
	int capfmorder;
	char *pool;
	size_t poollen, poolcap;
	rs_bindex_t uidx, didx, fidx, gidx;
	rs_feature_t features[RS_FEATURE_MAX];
	int nfeatures;
	rs_permset_t permsets[RS_PERMSET_MAX];
	int npermsets;
	rs_bgroup_t *groups;
	int ngroups, capgroups;
	rs_bgm_t *gms;
	int ngms, capgms;
	int *gmorder; /* scratch of rs_dir_freeze() */
	int capgmorder;
	int maxusers, maxdevs, maxfms; /* rs_dir_builder_set_limits() */
	uint64_t digest;
};

/* the frozen block starts with this header */
struct rs_dir
{
	size_t size;
	uint64_t digest;
	int nusers, ndevices, nfollowme;
	rs_user_t *users;
	rs_device_t *devices;
	uint32_t *utab, *dtab; /* record number + 1, 0 = empty */
	uint32_t umask, dmask;
	int nfeatures;
	rs_feature_t features[RS_FEATURE_MAX];
	int npermsets;
	rs_permset_t permsets[RS_PERMSET_MAX];
	int ngroups;
	rs_group_t *groups;
	uint32_t *gtab, gmask;
};

/* key of record i, for the builder's indexes */
typedef const rs_pstr_t *(*rs_keyof_f)(const rs_dir_builder_t *b, uint32_t i);

/*
 * The columns of rs_user, one line each: the SELECT, the validation, the
 * builder's and the frozen directory's copy, the lookup's xavp and
 * userdev.show all loop over this table. extension stays first (the key).
 * voicemail, forward_external, call_external and call_international are
 * the user's own values in the row and the effective ones (rs_user_perms)
 * in the frozen record.
 */
#define RS_UC_S(f) offsetof(rs_user_row_t, f), offsetof(rs_user_t, f)
#define RS_UC_P(f, p) \
	offsetof(rs_user_row_t, f), offsetof(rs_user_t, perm) + (p) * sizeof(int)
/* clang-format off */
const rs_coldesc_t rs_user_cols[] = {
	/* name                type            min max              dflt nullable  where                xavp bit              rpc */
	{"extension",          RS_COL_NAME,    1,  RS_DIR_EXT_MAX,     0, 0, RS_UC_S(extension),        RS_FLD_EXTENSION,        1},
	{"domain",             RS_COL_TEXT,    0,  0,                  0, 0, RS_UC_S(domain),           RS_FLD_DOMAIN,           0},
	{"display_name",       RS_COL_DISPLAY, 0,  0,                  0, 0, RS_UC_S(display_name),     RS_FLD_DISPLAY_NAME,     1},
	{"external_cli",       RS_COL_NAME,    0,  RS_DIR_FIELD_MAX,   0, 0, RS_UC_S(external_cli),     RS_FLD_EXTERNAL_CLI,     1},
	{"pin_hash",           RS_COL_TEXT,    0,  0,                  0, 0, RS_UC_S(pin_hash),         0,                       0},
	{"mobile",             RS_COL_TEXT,    0,  0,                  0, 0, RS_UC_S(mobile),           RS_FLD_MOBILE,           1},
	{"voicemail",          RS_COL_INT,     0,  1,      RS_PERM_UNSET, 1, RS_UC_S(voicemail),        RS_FLD_VOICEMAIL,        1},
	{"forward_external",   RS_COL_INT,     0,  1,      RS_PERM_UNSET, 1, RS_UC_S(forward_external), RS_FLD_FORWARD_EXTERNAL, 1},
	{"hotdesk",            RS_COL_INT,     0,  1,                  0, 0, RS_UC_S(hotdesk),          RS_FLD_HOTDESK,          1},
	{"fork2mobile",        RS_COL_INT,     0,  1,                  0, 0, RS_UC_S(fork2mobile),      RS_FLD_FORK2MOBILE,      1},
	{"ring_seconds",       RS_COL_INT,     1,  RS_DIR_RING_MAX,   20, 0, RS_UC_S(ring_seconds),     RS_FLD_RING_SECONDS,     1},
	{"max_calls",          RS_COL_INT,     0,  INT_MAX,            0, 0, RS_UC_S(max_calls),        RS_FLD_MAX_CALLS,        1},
	{"anchor_media",       RS_COL_INT,     0,  1,                  0, 0, RS_UC_S(anchor_media),     RS_FLD_ANCHOR_MEDIA,     1},
	{"incall_services",    RS_COL_INT,     0,  1,                  0, 0, RS_UC_S(incall_services),  RS_FLD_INCALL_SERVICES,  1},
	{"blf_private",        RS_COL_INT,     0,  1,                  0, 0, RS_UC_S(blf_private),      RS_FLD_BLF_PRIVATE,      1},
	{"pickup_group",       RS_COL_NAME,    0,  RS_DIR_EXT_MAX,     0, 0, RS_UC_S(pickup_group),     RS_FLD_PICKUP_GROUP, 1},
	{"permission_set",     RS_COL_NAME,    0,  RS_PERMSET_NAME_MAX, 0, 0, RS_UC_S(permission_set),  0,                       1},
	{"cfwd_target",        RS_COL_NAME,    0,  RS_FM_TARGET_MAX,   0, 0, RS_UC_S(cfwd_target),      RS_FLD_CFWD_TARGET, 1},
	{"dnd",                RS_COL_INT,     0,  1,                  0, 0, RS_UC_S(dnd),              RS_FLD_DND, 1},
	{"call_external",      RS_COL_INT,     0,  1,      RS_PERM_UNSET, 1, RS_UC_P(call_external, RS_PERM_CALL_EXTERNAL), RS_FLD_CALL_EXTERNAL, 0},
	{"call_international", RS_COL_INT,     0,  1,      RS_PERM_UNSET, 1, RS_UC_P(call_international, RS_PERM_CALL_INTERNATIONAL), RS_FLD_CALL_INTERNATIONAL, 0},
};
/* clang-format on */
const int rs_user_ncols = sizeof(rs_user_cols) / sizeof(rs_user_cols[0]);
#define RS_USER_NCOLS rs_user_ncols

/*
 * The other tables' columns, in their SELECT's order: they drive the query
 * and the parsing of a result row into the input struct (NULL: dflt); the
 * builder checks those rows by the rules of rs_check_device() and its
 * neighbours, which know more than a range (kinds, MACs, modes, tmrec
 * schedules), so min and max are not used for them.
 */
#define RS_C_T(st, f) RS_COL_TEXT, 0, 0, 0, 0, offsetof(st, f), RS_COL_NONE, 0, 0
#define RS_C_I(st, f, d) \
	RS_COL_INT, INT_MIN, INT_MAX, d, 0, offsetof(st, f), RS_COL_NONE, 0, 0
/* clang-format off */
const rs_coldesc_t rs_device_cols[] = {
	{"username", RS_C_T(rs_device_row_t, username)},
	{"domain", RS_C_T(rs_device_row_t, domain)},
	{"extension", RS_C_T(rs_device_row_t, extension)},
	{"kind", RS_C_T(rs_device_row_t, kind)},
	{"mac", RS_C_T(rs_device_row_t, mac)},
};
const rs_coldesc_t rs_followme_cols[] = {
	{"extension", RS_C_T(rs_followme_row_t, extension)},
	{"position", RS_C_I(rs_followme_row_t, position, -1)},
	{"target", RS_C_T(rs_followme_row_t, target)},
	{"mode", RS_C_T(rs_followme_row_t, mode)},
	{"ring_seconds", RS_C_I(rs_followme_row_t, ring_seconds, 0)},
	{"enabled", RS_C_I(rs_followme_row_t, enabled, 0)},
	{"schedule", RS_C_T(rs_followme_row_t, schedule)},
	{"confirm", RS_C_I(rs_followme_row_t, confirm, 0)},
};
const rs_coldesc_t rs_feature_cols[] = {
	{"code", RS_C_T(rs_feature_row_t, code)},
	{"service", RS_C_T(rs_feature_row_t, service)},
	{"enabled", RS_C_I(rs_feature_row_t, enabled, 0)},
};
/* the permissions in rs_perm_t's order; NULL: from the set's default */
const rs_coldesc_t rs_permset_cols[] = {
	{"name", RS_C_T(rs_permset_row_t, name)},
	{"call_external", RS_C_I(rs_permset_row_t, perm[RS_PERM_CALL_EXTERNAL], RS_PERM_UNSET)},
	{"call_international", RS_C_I(rs_permset_row_t, perm[RS_PERM_CALL_INTERNATIONAL], RS_PERM_UNSET)},
	{"forward_external", RS_C_I(rs_permset_row_t, perm[RS_PERM_FORWARD_EXTERNAL], RS_PERM_UNSET)},
	{"voicemail", RS_C_I(rs_permset_row_t, perm[RS_PERM_VOICEMAIL], RS_PERM_UNSET)},
};
const rs_coldesc_t rs_group_cols[] = {
	{"extension", RS_C_T(rs_group_row_t, extension)},
	{"domain", RS_C_T(rs_group_row_t, domain)},
	{"display_name", RS_C_T(rs_group_row_t, display_name)},
	{"strategy", RS_C_T(rs_group_row_t, strategy)},
	{"ring_seconds", RS_C_I(rs_group_row_t, ring_seconds, 20)},
	{"last_destination", RS_C_T(rs_group_row_t, last_destination)},
};
const rs_coldesc_t rs_group_member_cols[] = {
	{"group_extension", RS_C_T(rs_group_member_row_t, group_extension)},
	{"extension", RS_C_T(rs_group_member_row_t, extension)},
	{"position", RS_C_I(rs_group_member_row_t, position, -1)},
};
/* clang-format on */
#define RS_NCOLS(a) ((int)(sizeof(a) / sizeof(a[0])))
const int rs_device_ncols = RS_NCOLS(rs_device_cols);
const int rs_followme_ncols = RS_NCOLS(rs_followme_cols);
const int rs_feature_ncols = RS_NCOLS(rs_feature_cols);
const int rs_permset_ncols = RS_NCOLS(rs_permset_cols);
const int rs_group_ncols = RS_NCOLS(rs_group_cols);
const int rs_group_member_ncols = RS_NCOLS(rs_group_member_cols);

static const char *const rs_kind_names[] = {
		"static", "hotdesk_terminal", "hotdesk_account"};

/* indexed by rs_service_t */
static const char *const rs_service_names[RS_SVC_COUNT] = {"fork2mobile_on",
		"fork2mobile_off", "fork2mobile_toggle", "fork2mobile_status",
		"hotdesk_logout", "voicemail_main", "xfer_attended", "xfer_cancel",
		"xfer_toggle", "xfer_conference", "cfwd_on", "cfwd_off", "dnd_on",
		"dnd_off", "pickup_group", "pickup_directed"};

int rs_service_takes_arg(rs_service_t svc)
{
	return svc == RS_SVC_CFWD_ON || svc == RS_SVC_PICKUP_DIRECTED;
}

static const char *const rs_perm_names[RS_PERM_COUNT] = {
		"call_external", "call_international", "forward_external", "voicemail"};
static const int rs_perm_default[RS_PERM_COUNT] = {1, 1, 0, 0};
static const char *const rs_perm_src_names[] = {"default", "set", "user"};

const char *rs_perm_name(rs_perm_t p)
{
	if((int)p < 0 || (int)p >= RS_PERM_COUNT)
		return "unknown";
	return rs_perm_names[p];
}

const char *rs_perm_src_name(rs_perm_src_t s)
{
	if((int)s < 0 || (int)s > 2)
		return "unknown";
	return rs_perm_src_names[s];
}

static const char *const rs_grp_names[] = {"ringall", "serial", "hunt"};

rs_err_t rs_grp_strategy_parse(const char *s, int len, rs_grp_strategy_t *out)
{
	int i;

	if(s == NULL || len <= 0 || out == NULL)
		return RS_E_INVAL;
	for(i = 0; i < 3; i++) {
		if(strlen(rs_grp_names[i]) == (size_t)len
				&& memcmp(rs_grp_names[i], s, (size_t)len) == 0) {
			*out = (rs_grp_strategy_t)i;
			return RS_OK;
		}
	}
	return RS_E_INVAL;
}

const char *rs_grp_strategy_name(rs_grp_strategy_t g)
{
	if((int)g < 0 || (int)g > 2)
		return "unknown";
	return rs_grp_names[g];
}

rs_err_t rs_service_parse(const char *s, int len, rs_service_t *out)
{
	int i;

	if(s == NULL || len <= 0 || out == NULL)
		return RS_E_INVAL;
	for(i = 0; i < RS_SVC_COUNT; i++) {
		if(strlen(rs_service_names[i]) == (size_t)len
				&& memcmp(rs_service_names[i], s, (size_t)len) == 0) {
			*out = (rs_service_t)i;
			return RS_OK;
		}
	}
	return RS_E_INVAL;
}

const char *rs_service_name(rs_service_t svc)
{
	if((int)svc < 0 || (int)svc >= RS_SVC_COUNT)
		return "unknown";
	return rs_service_names[svc];
}

/* indexed by rs_fm_mode_t */
static const char *const rs_fm_mode_names[] = {"serial", "parallel"};

rs_err_t rs_fm_mode_parse(const char *s, int len, rs_fm_mode_t *out)
{
	int m;

	if(s == NULL || len <= 0 || out == NULL)
		return RS_E_INVAL;
	for(m = 0; m < 2; m++) {
		if(strlen(rs_fm_mode_names[m]) == (size_t)len
				&& memcmp(rs_fm_mode_names[m], s, (size_t)len) == 0) {
			*out = (rs_fm_mode_t)m;
			return RS_OK;
		}
	}
	return RS_E_INVAL;
}

const char *rs_fm_mode_name(rs_fm_mode_t m)
{
	if((int)m < 0 || (int)m >= 2)
		return "unknown";
	return rs_fm_mode_names[m];
}

rs_err_t rs_dev_kind_parse(const char *s, int len, rs_dev_kind_t *out)
{
	int k;

	if(s == NULL || len <= 0 || out == NULL)
		return RS_E_INVAL;
	for(k = 0; k < (int)(sizeof(rs_kind_names) / sizeof(rs_kind_names[0]));
			k++) {
		if(strlen(rs_kind_names[k]) == (size_t)len
				&& memcmp(rs_kind_names[k], s, (size_t)len) == 0) {
			*out = (rs_dev_kind_t)k;
			return RS_OK;
		}
	}
	return RS_E_INVAL;
}

const char *rs_dev_kind_name(rs_dev_kind_t k)
{
	if((int)k < 0
			|| (int)k >= (int)(sizeof(rs_kind_names)
							   / sizeof(rs_kind_names[0])))
		return "unknown";
	return rs_kind_names[k];
}

/* ---- hashing and small helpers ---- */

static uint64_t rs_key_hash(const char *s, int len)
{
	return rs_hash_mix64(rs_hash64(RS_HASH64_INIT, s, (size_t)len));
}

static uint32_t rs_table_cap(int n)
{
	uint32_t cap = 16;

	while(cap < (uint32_t)n * 2u)
		cap <<= 1;
	return cap;
}

static uint64_t rs_digest_int(uint64_t h, int v)
{
	return rs_hash64(h, &v, sizeof(v));
}

static uint64_t rs_digest_str(uint64_t h, const char *s, int len)
{
	h = rs_digest_int(h, len);
	return rs_hash64(h, s, (size_t)len);
}

static const char *rs_pool_str(const rs_dir_builder_t *b, const rs_pstr_t *p)
{
	return b->pool + p->off;
}

static void rs_reject(rs_dir_builder_t *b, const char *table,
		const rs_str_t *key, const char *reason)
{
	rs_str_t k = {"", 0};

	if(b->on_reject == NULL)
		return;
	if(key != NULL && key->len > 0 && key->s != NULL)
		k = *key;
	b->on_reject(b->reject_ctx, table, &k, reason);
}

static void rs_why(char *buf, size_t n, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

static void rs_why(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

/* ---- validation; each check returns 0 if fine, else -1 and a reason ---- */

int rs_dir_check_field(
		const rs_str_t *f, const char *name, char *why, size_t n)
{
	if(f->len < 0) {
		rs_why(why, n, "%s has a negative length", name);
		return -1;
	}
	if(f->len > 0 && f->s == NULL) {
		rs_why(why, n, "%s is NULL but has a length", name);
		return -1;
	}
	if(f->len > RS_DIR_FIELD_MAX) {
		rs_why(why, n, "%s longer than %d chars", name, RS_DIR_FIELD_MAX);
		return -1;
	}
	if(f->len > 0 && memchr(f->s, '\0', (size_t)f->len) != NULL) {
		rs_why(why, n, "%s contains a NUL byte", name);
		return -1;
	}
	/* these values end up in SIP headers and provisioning files: CR or LF
	 * would add a header of the admin's (or an attacker's) choice */
	if(rs_str_has_ctl(f)) {
		rs_why(why, n, "%s contains a control character (CR, LF, TAB, ...)",
				name);
		return -1;
	}
	return 0;
}

int rs_dir_ext_char(unsigned char c)
{
	if((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
			|| (c >= 'a' && c <= 'z'))
		return 1;
	return c != '\0' && strchr("*#+._-", c) != NULL;
}

static int rs_check_ext(const rs_str_t *e, char *why, size_t n)
{
	int i;

	if(e->len < 1 || e->len > RS_DIR_EXT_MAX) {
		rs_why(why, n, "extension must be 1..%d chars", RS_DIR_EXT_MAX);
		return -1;
	}
	for(i = 0; i < e->len; i++) {
		if(!rs_dir_ext_char((unsigned char)e->s[i])) {
			rs_why(why, n,
					"extension contains an invalid character"
					" (allowed: 0-9 A-Z a-z * # + . _ -)");
			return -1;
		}
	}
	return 0;
}

static int rs_username_char(unsigned char c)
{
	if(c <= ' ' || c == 0x7f)
		return 0; /* whitespace and control characters */
	return c != '@' && c != ':' && c != ';';
}

static int rs_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
		   || (c >= 'A' && c <= 'F');
}

/* a name like an extension: 1..max chars of 0-9 A-Z a-z * # + . _ - */
static int rs_check_name(
		const rs_str_t *e, int max, const char *what, char *why, size_t n)
{
	int i;

	if(e->len < 1 || e->len > max) {
		rs_why(why, n, "%s must be 1..%d chars", what, max);
		return -1;
	}
	for(i = 0; i < e->len; i++) {
		if(!rs_dir_ext_char((unsigned char)e->s[i])) {
			rs_why(why, n,
					"%s contains an invalid character"
					" (allowed: 0-9 A-Z a-z * # + . _ -)",
					what);
			return -1;
		}
	}
	return 0;
}

static int rs_check_user(const rs_user_row_t *r, char *why, size_t n)
{
	return rs_cols_check(rs_user_cols, RS_USER_NCOLS, r, why, n);
}

static int rs_check_device(
		const rs_device_row_t *r, rs_dev_kind_t *kind, char *why, size_t n)
{
	const size_t plen = sizeof(RS_HOTDESK_PREFIX) - 1;
	int i;

	if(rs_dir_check_field(&r->username, "username", why, n) < 0
			|| rs_dir_check_field(&r->domain, "domain", why, n) < 0
			|| rs_dir_check_field(&r->extension, "extension", why, n) < 0
			|| rs_dir_check_field(&r->kind, "kind", why, n) < 0
			|| rs_dir_check_field(&r->mac, "mac", why, n) < 0)
		return -1;
	if(r->username.len < 1 || r->username.len > RS_DIR_USERNAME_MAX) {
		rs_why(why, n, "username must be 1..%d chars", RS_DIR_USERNAME_MAX);
		return -1;
	}
	for(i = 0; i < r->username.len; i++) {
		if(!rs_username_char((unsigned char)r->username.s[i])) {
			rs_why(why, n,
					"username must not contain whitespace, control"
					" characters, '@', ':' or ';'");
			return -1;
		}
	}
	if(rs_dev_kind_parse(r->kind.s, r->kind.len, kind) != RS_OK) {
		rs_why(why, n,
				"kind must be static, hotdesk_terminal or hotdesk_account");
		return -1;
	}
	if(*kind == RS_DEV_HOTDESK_TERMINAL) {
		if(r->extension.len != 0) {
			rs_why(why, n, "hotdesk_terminal device must have no extension");
			return -1;
		}
		if((size_t)r->username.len <= plen
				|| memcmp(r->username.s, RS_HOTDESK_PREFIX, plen) != 0) {
			rs_why(why, n,
					"hotdesk_terminal username must be "
					"\"" RS_HOTDESK_PREFIX "<name>\"");
			return -1;
		}
	} else {
		if(r->extension.len == 0) {
			rs_why(why, n, "%s device needs an owner extension",
					rs_dev_kind_name(*kind));
			return -1;
		}
		if(rs_check_ext(&r->extension, why, n) < 0)
			return -1;
		if(*kind == RS_DEV_HOTDESK_ACCOUNT
				&& ((size_t)r->username.len != plen + (size_t)r->extension.len
						|| memcmp(r->username.s, RS_HOTDESK_PREFIX, plen) != 0
						|| memcmp(r->username.s + plen, r->extension.s,
								   (size_t)r->extension.len)
								   != 0)) {
			rs_why(why, n,
					"hotdesk_account username must be "
					"\"" RS_HOTDESK_PREFIX "%.*s\"",
					r->extension.len, r->extension.s);
			return -1;
		}
	}
	if(r->mac.len != 0) {
		if(r->mac.len != 12) {
			rs_why(why, n, "mac must be empty or 12 hex digits");
			return -1;
		}
		for(i = 0; i < 12; i++) {
			if(!rs_hex((unsigned char)r->mac.s[i])) {
				rs_why(why, n, "mac must be empty or 12 hex digits");
				return -1;
			}
		}
	}
	return 0;
}

static int rs_check_followme(const rs_followme_row_t *r, rs_fm_mode_t *mode,
		rs_tmrec_t *rec, char *why, size_t n)
{
	int i;

	if(rs_dir_check_field(&r->extension, "extension", why, n) < 0
			|| rs_dir_check_field(&r->target, "target", why, n) < 0
			|| rs_dir_check_field(&r->mode, "mode", why, n) < 0)
		return -1;
	if(rs_check_ext(&r->extension, why, n) < 0)
		return -1;
	if(r->position < 0) {
		rs_why(why, n, "position must be >= 0");
		return -1;
	}
	if(r->target.len < 1 || r->target.len > RS_FM_TARGET_MAX) {
		rs_why(why, n, "target must be 1..%d chars", RS_FM_TARGET_MAX);
		return -1;
	}
	for(i = 0; i < r->target.len; i++) {
		if(!rs_dir_ext_char((unsigned char)r->target.s[i])) {
			rs_why(why, n,
					"target contains an invalid character"
					" (allowed: 0-9 A-Z a-z * # + . _ -)");
			return -1;
		}
	}
	if(rs_fm_mode_parse(r->mode.s, r->mode.len, mode) != RS_OK) {
		rs_why(why, n, "mode must be serial or parallel");
		return -1;
	}
	if(r->ring_seconds < 1 || r->ring_seconds > RS_DIR_RING_MAX) {
		rs_why(why, n, "ring_seconds must be 1..%d", RS_DIR_RING_MAX);
		return -1;
	}
	if(r->enabled != 0 && r->enabled != 1) {
		rs_why(why, n, "enabled must be 0 or 1");
		return -1;
	}
	if(r->confirm != 0 && r->confirm != 1) {
		rs_why(why, n, "confirm must be 0 or 1");
		return -1;
	}
	if(rs_dir_check_field(&r->schedule, "schedule", why, n) < 0)
		return -1;
	if(r->schedule.len > 0
			&& rs_tmrec_parse(r->schedule.s, r->schedule.len, rec, why, n)
					   != RS_OK)
		return -1;
	return 0;
}

/*
 * "<extension>/<position>" of a row that may be invalid: the extension
 * bytes as given (at most RS_DIR_FIELD_MAX of them), NUL bytes included
 */
static rs_str_t rs_fm_key(
		const rs_str_t *ext, int position, char buf[RS_FM_KEY_MAX])
{
	rs_str_t k;
	int len = 0;

	if(ext->s != NULL && ext->len > 0) {
		len = ext->len < RS_DIR_FIELD_MAX ? ext->len : RS_DIR_FIELD_MAX;
		memcpy(buf, ext->s, (size_t)len);
	}
	len += snprintf(buf + len, RS_FM_KEY_MAX - (size_t)len, "/%d", position);
	k.s = buf;
	k.len = len;
	return k;
}

/* ---- builder storage ---- */

/* make room for need elements of elsize bytes in *arr (capacity *cap) */
static rs_err_t rs_grow(
		rs_dir_builder_t *b, void **arr, int *cap, size_t elsize, int need)
{
	int ncap;
	void *p;

	if(need <= *cap)
		return RS_OK;
	ncap = *cap ? *cap : 16;
	while(ncap < need)
		ncap *= 2;
	p = b->a.alloc((size_t)ncap * elsize, b->a.ctx);
	if(p == NULL)
		return RS_E_NOMEM;
	if(*arr != NULL) {
		memcpy(p, *arr, (size_t)*cap * elsize);
		b->a.free(*arr, b->a.ctx);
	}
	*arr = p;
	*cap = ncap;
	return RS_OK;
}

static rs_err_t rs_pool_reserve(rs_dir_builder_t *b, size_t need)
{
	size_t ncap;
	char *p;

	if(b->poolcap - b->poollen >= need)
		return RS_OK;
	ncap = b->poolcap ? b->poolcap : 1024;
	while(ncap - b->poollen < need) {
		if(ncap > ((size_t)-1) / 2)
			return RS_E_LIMIT;
		ncap *= 2;
	}
	p = b->a.alloc(ncap, b->a.ctx);
	if(p == NULL)
		return RS_E_NOMEM;
	if(b->pool != NULL) {
		memcpy(p, b->pool, b->poollen);
		b->a.free(b->pool, b->a.ctx);
	}
	b->pool = p;
	b->poolcap = ncap;
	return RS_OK;
}

/* append s to the pool; room must have been reserved */
static rs_pstr_t rs_pool_add(rs_dir_builder_t *b, const char *s, int len)
{
	rs_pstr_t p;

	p.off = b->poollen;
	p.len = len;
	if(len > 0) {
		memcpy(b->pool + b->poollen, s, (size_t)len);
		b->poollen += (size_t)len;
	}
	return p;
}

static const rs_pstr_t *rs_user_key(const rs_dir_builder_t *b, uint32_t i)
{
	return &RS_BUSER(b, i)[0].s; /* extension */
}

static const rs_pstr_t *rs_dev_key(const rs_dir_builder_t *b, uint32_t i)
{
	return &b->devs[i].username;
}

static const rs_pstr_t *rs_fm_idx_key(const rs_dir_builder_t *b, uint32_t i)
{
	return &b->fms[i].key;
}

static const rs_pstr_t *rs_grp_key(const rs_dir_builder_t *b, uint32_t i)
{
	return &b->groups[i].extension;
}

static int rs_bindex_find(const rs_dir_builder_t *b, const rs_bindex_t *x,
		rs_keyof_f keyof, const char *s, int len)
{
	const rs_pstr_t *k;
	uint32_t i, r;

	if(x->cap == 0)
		return -1;
	i = (uint32_t)rs_key_hash(s, len) & (x->cap - 1);
	while((r = x->slot[i]) != 0) {
		k = keyof(b, r - 1);
		if(k->len == len && memcmp(rs_pool_str(b, k), s, (size_t)len) == 0)
			return (int)(r - 1);
		i = (i + 1) & (x->cap - 1);
	}
	return -1;
}

static void rs_bindex_put(const rs_dir_builder_t *b, uint32_t *slot,
		uint32_t cap, rs_keyof_f keyof, uint32_t rec)
{
	const rs_pstr_t *k = keyof(b, rec);
	uint32_t i;

	i = (uint32_t)rs_key_hash(rs_pool_str(b, k), k->len) & (cap - 1);
	while(slot[i] != 0)
		i = (i + 1) & (cap - 1);
	slot[i] = rec + 1;
}

/* make room for record number n (records 0..n-1 are indexed already) */
static rs_err_t rs_bindex_reserve(
		rs_dir_builder_t *b, rs_bindex_t *x, rs_keyof_f keyof, int n)
{
	uint32_t ncap, *slot, i;

	if((uint32_t)(n + 1) * 2u <= x->cap)
		return RS_OK;
	ncap = rs_table_cap(n + 1);
	slot = b->a.alloc((size_t)ncap * sizeof(*slot), b->a.ctx);
	if(slot == NULL)
		return RS_E_NOMEM;
	memset(slot, 0, (size_t)ncap * sizeof(*slot));
	for(i = 0; i < (uint32_t)n; i++)
		rs_bindex_put(b, slot, ncap, keyof, i);
	if(x->slot != NULL)
		b->a.free(x->slot, b->a.ctx);
	x->slot = slot;
	x->cap = ncap;
	return RS_OK;
}

/* ---- builder API ---- */

rs_dir_builder_t *rs_dir_builder_new(
		const rs_alloc_t *a, rs_reject_f on_reject, void *reject_ctx)
{
	rs_dir_builder_t *b;

	if(a == NULL || a->alloc == NULL || a->free == NULL)
		return NULL;
	b = a->alloc(sizeof(*b), a->ctx);
	if(b == NULL)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->a = *a;
	b->on_reject = on_reject;
	b->reject_ctx = reject_ctx;
	b->digest = RS_HASH64_INIT;
	b->maxusers = b->maxdevs = b->maxfms = RS_DIR_ROWS_MAX;
	return b;
}

rs_err_t rs_dir_builder_set_limits(
		rs_dir_builder_t *b, int users, int devices, int followme)
{
	if(b == NULL || users < 1 || users > RS_DIR_ROWS_MAX || devices < 1
			|| devices > RS_DIR_ROWS_MAX || followme < 1
			|| followme > RS_DIR_ROWS_MAX)
		return RS_E_INVAL;
	b->maxusers = users;
	b->maxdevs = devices;
	b->maxfms = followme;
	return RS_OK;
}

void rs_dir_builder_free(rs_dir_builder_t *b)
{
	if(b == NULL)
		return;
	if(b->users != NULL)
		b->a.free(b->users, b->a.ctx);
	if(b->devs != NULL)
		b->a.free(b->devs, b->a.ctx);
	if(b->fms != NULL)
		b->a.free(b->fms, b->a.ctx);
	if(b->fmorder != NULL)
		b->a.free(b->fmorder, b->a.ctx);
	if(b->pool != NULL)
		b->a.free(b->pool, b->a.ctx);
	if(b->uidx.slot != NULL)
		b->a.free(b->uidx.slot, b->a.ctx);
	if(b->didx.slot != NULL)
		b->a.free(b->didx.slot, b->a.ctx);
	if(b->fidx.slot != NULL)
		b->a.free(b->fidx.slot, b->a.ctx);
	if(b->gidx.slot != NULL)
		b->a.free(b->gidx.slot, b->a.ctx);
	if(b->groups != NULL)
		b->a.free(b->groups, b->a.ctx);
	if(b->gms != NULL)
		b->a.free(b->gms, b->a.ctx);
	if(b->gmorder != NULL)
		b->a.free(b->gmorder, b->a.ctx);
	b->a.free(b, b->a.ctx);
}

rs_err_t rs_dir_builder_add_user(rs_dir_builder_t *b, const rs_user_row_t *row)
{
	const rs_coldesc_t *c;
	char why[160];
	rs_bval_t *u;
	void *arr;
	size_t need = 0;
	rs_err_t rc;
	uint64_t h;
	int i;

	if(b == NULL || row == NULL)
		return RS_E_INVAL;
	if(rs_check_user(row, why, sizeof(why)) < 0) {
		rs_reject(b, RS_TBL_USER, &row->extension, why);
		return RS_E_BADROW;
	}
	if(rs_bindex_find(
			   b, &b->uidx, rs_user_key, row->extension.s, row->extension.len)
			>= 0) {
		rs_reject(b, RS_TBL_USER, &row->extension,
				"duplicate extension (first row kept)");
		return RS_E_DUP;
	}
	if(b->nusers >= b->maxusers)
		return RS_E_LIMIT;

	for(i = 0; i < RS_USER_NCOLS; i++)
		if(rs_user_cols[i].type != RS_COL_INT)
			need += (size_t)RS_COL_STR(row, rs_user_cols[i].row_off)->len;
	arr = b->users;
	rc = rs_grow(b, &arr, &b->capusers, sizeof(rs_bval_t) * RS_USER_NCOLS,
			b->nusers + 1);
	b->users = arr;
	if(rc == RS_OK)
		rc = rs_pool_reserve(b, need);
	if(rc == RS_OK)
		rc = rs_bindex_reserve(b, &b->uidx, rs_user_key, b->nusers);
	if(rc != RS_OK)
		return rc;

	/* nothing can fail from here on */
	u = RS_BUSER(b, b->nusers);
	h = rs_hash64(b->digest, "U", 1);
	for(i = 0; i < RS_USER_NCOLS; i++) {
		c = &rs_user_cols[i];
		if(c->type != RS_COL_INT) {
			const rs_str_t *f = RS_COL_STR(row, c->row_off);

			u[i].s = rs_pool_add(b, f->s, f->len);
			h = rs_digest_str(h, f->s, f->len);
		} else {
			u[i].i = *RS_COL_INTP(row, c->row_off);
			h = rs_digest_int(h, u[i].i);
		}
	}
	rs_bindex_put(
			b, b->uidx.slot, b->uidx.cap, rs_user_key, (uint32_t)b->nusers);
	b->nusers++;
	b->digest = h;
	return RS_OK;
}

rs_err_t rs_dir_builder_add_device(
		rs_dir_builder_t *b, const rs_device_row_t *row)
{
	rs_dev_kind_t kind;
	char why[160], mac[12];
	rs_bdev_t *d;
	void *arr;
	rs_err_t rc;
	uint64_t h;
	int i;

	if(b == NULL || row == NULL)
		return RS_E_INVAL;
	if(rs_check_device(row, &kind, why, sizeof(why)) < 0) {
		rs_reject(b, RS_TBL_DEVICE, &row->username, why);
		return RS_E_BADROW;
	}
	if(rs_bindex_find(
			   b, &b->didx, rs_dev_key, row->username.s, row->username.len)
			>= 0) {
		rs_reject(b, RS_TBL_DEVICE, &row->username,
				"duplicate username (first row kept)");
		return RS_E_DUP;
	}
	if(b->ndevs >= b->maxdevs)
		return RS_E_LIMIT;

	for(i = 0; i < row->mac.len; i++) {
		mac[i] = row->mac.s[i];
		if(mac[i] >= 'A' && mac[i] <= 'F')
			mac[i] = (char)(mac[i] - 'A' + 'a');
	}
	arr = b->devs;
	rc = rs_grow(b, &arr, &b->capdevs, sizeof(*b->devs), b->ndevs + 1);
	b->devs = arr;
	if(rc == RS_OK)
		rc = rs_pool_reserve(
				b, (size_t)row->username.len + (size_t)row->domain.len
						   + (size_t)row->extension.len + (size_t)row->mac.len);
	if(rc == RS_OK)
		rc = rs_bindex_reserve(b, &b->didx, rs_dev_key, b->ndevs);
	if(rc != RS_OK)
		return rc;

	/* nothing can fail from here on */
	d = &b->devs[b->ndevs];
	d->username = rs_pool_add(b, row->username.s, row->username.len);
	d->domain = rs_pool_add(b, row->domain.s, row->domain.len);
	d->extension = rs_pool_add(b, row->extension.s, row->extension.len);
	d->mac = rs_pool_add(b, mac, row->mac.len);
	d->kind = kind;
	d->owner = -1;
	h = rs_hash64(b->digest, "D", 1);
	h = rs_digest_str(h, row->username.s, row->username.len);
	h = rs_digest_str(h, row->domain.s, row->domain.len);
	h = rs_digest_str(h, row->extension.s, row->extension.len);
	h = rs_digest_int(h, (int)kind);
	h = rs_digest_str(h, mac, row->mac.len);
	rs_bindex_put(b, b->didx.slot, b->didx.cap, rs_dev_key, (uint32_t)b->ndevs);
	b->ndevs++;
	b->digest = h;
	return RS_OK;
}

rs_err_t rs_dir_builder_add_followme(
		rs_dir_builder_t *b, const rs_followme_row_t *row)
{
	char why[160], kbuf[RS_FM_KEY_MAX], pos[16];
	rs_fm_mode_t mode;
	rs_tmrec_t rec;
	rs_str_t key;
	rs_bfm_t *f;
	void *arr;
	rs_err_t rc;
	uint64_t h;
	int plen;

	if(b == NULL || row == NULL)
		return RS_E_INVAL;
	key = rs_fm_key(&row->extension, row->position, kbuf);
	memset(&rec, 0, sizeof(rec));
	if(rs_check_followme(row, &mode, &rec, why, sizeof(why)) < 0) {
		rs_reject(b, RS_TBL_FOLLOWME, &key, why);
		return RS_E_BADROW;
	}
	/* the extension is valid now, so key is exactly "<ext>/<position>" */
	if(rs_bindex_find(b, &b->fidx, rs_fm_idx_key, key.s, key.len) >= 0) {
		rs_reject(b, RS_TBL_FOLLOWME, &key,
				"duplicate position (first row kept)");
		return RS_E_DUP;
	}
	if(b->nfms >= b->maxfms)
		return RS_E_LIMIT;

	plen = snprintf(pos, sizeof(pos), "/%d", row->position);
	arr = b->fms;
	rc = rs_grow(b, &arr, &b->capfms, sizeof(*b->fms), b->nfms + 1);
	b->fms = arr;
	if(rc == RS_OK) {
		arr = b->fmorder;
		rc = rs_grow(b, &arr, &b->capfmorder, sizeof(*b->fmorder), b->nfms + 1);
		b->fmorder = arr;
	}
	if(rc == RS_OK)
		rc = rs_pool_reserve(b, (size_t)row->extension.len + (size_t)plen
										+ (size_t)row->target.len
										+ (size_t)row->schedule.len);
	if(rc == RS_OK)
		rc = rs_bindex_reserve(b, &b->fidx, rs_fm_idx_key, b->nfms);
	if(rc != RS_OK)
		return rc;

	/* nothing can fail from here on */
	f = &b->fms[b->nfms];
	f->extension = rs_pool_add(b, row->extension.s, row->extension.len);
	rs_pool_add(b, pos, plen);
	f->key.off = f->extension.off;
	f->key.len = f->extension.len + plen;
	f->target = rs_pool_add(b, row->target.s, row->target.len);
	f->schedule = rs_pool_add(b, row->schedule.s, row->schedule.len);
	f->rec = rec;
	f->confirm = row->confirm;
	f->position = row->position;
	f->mode = mode;
	f->ring_seconds = row->ring_seconds;
	f->enabled = row->enabled;
	f->owner = -1;
	f->keep = 0;
	h = rs_hash64(b->digest, "F", 1);
	h = rs_digest_str(h, row->extension.s, row->extension.len);
	h = rs_digest_int(h, row->position);
	h = rs_digest_str(h, row->target.s, row->target.len);
	h = rs_digest_int(h, (int)mode);
	h = rs_digest_int(h, row->ring_seconds);
	h = rs_digest_int(h, row->enabled);
	h = rs_digest_str(h, row->schedule.s, row->schedule.len);
	h = rs_digest_int(h, row->confirm);
	rs_bindex_put(
			b, b->fidx.slot, b->fidx.cap, rs_fm_idx_key, (uint32_t)b->nfms);
	b->nfms++;
	b->digest = h;
	return RS_OK;
}

static int rs_check_feature(
		const rs_feature_row_t *r, rs_service_t *svc, char *why, size_t n)
{
	int i;

	if(rs_dir_check_field(&r->code, "code", why, n) < 0
			|| rs_dir_check_field(&r->service, "service", why, n) < 0)
		return -1;
	if(r->code.len < 2 || r->code.len > RS_FEATURE_CODE_MAX
			|| (r->code.s[0] != '*' && r->code.s[0] != '#')) {
		rs_why(why, n, "code must be 2..%d chars starting with * or #",
				RS_FEATURE_CODE_MAX);
		return -1;
	}
	for(i = 0; i < r->code.len; i++) {
		if(strchr("0123456789*#", r->code.s[i]) == NULL) {
			rs_why(why, n, "code may only contain 0-9 * #");
			return -1;
		}
	}
	if(rs_service_parse(r->service.s, r->service.len, svc) != RS_OK) {
		rs_why(why, n,
				"service must be fork2mobile_on, fork2mobile_off, "
				"fork2mobile_toggle, fork2mobile_status, hotdesk_logout, "
				"voicemail_main, xfer_attended, xfer_cancel, xfer_toggle, "
				"xfer_conference, cfwd_on, cfwd_off, dnd_on, dnd_off, "
				"pickup_group or pickup_directed");
		return -1;
	}
	if(r->enabled != 0 && r->enabled != 1) {
		rs_why(why, n, "enabled must be 0 or 1");
		return -1;
	}
	return 0;
}

static const rs_feature_t *rs_feature_find(
		const rs_feature_t *f, int nf, const char *code, int len)
{
	int i;

	for(i = 0; i < nf; i++)
		if(f[i].code_len == len && memcmp(f[i].code, code, (size_t)len) == 0)
			return &f[i];
	return NULL;
}

rs_err_t rs_dir_builder_add_feature(
		rs_dir_builder_t *b, const rs_feature_row_t *row)
{
	char why[160];
	rs_service_t svc;
	rs_feature_t *f;
	uint64_t h;

	if(b == NULL || row == NULL)
		return RS_E_INVAL;
	if(rs_check_feature(row, &svc, why, sizeof(why)) < 0) {
		rs_reject(b, RS_TBL_FEATURE, &row->code, why);
		return RS_E_BADROW;
	}
	if(rs_feature_find(b->features, b->nfeatures, row->code.s, row->code.len)
			!= NULL) {
		rs_reject(b, RS_TBL_FEATURE, &row->code,
				"duplicate code (first row kept)");
		return RS_E_DUP;
	}
	if(b->nfeatures >= RS_FEATURE_MAX)
		return RS_E_LIMIT;
	f = &b->features[b->nfeatures++];
	memcpy(f->code, row->code.s, (size_t)row->code.len);
	f->code[row->code.len] = '\0';
	f->code_len = row->code.len;
	f->service = svc;
	f->enabled = row->enabled;
	h = rs_hash64(b->digest, "C", 1);
	h = rs_digest_str(h, row->code.s, row->code.len);
	h = rs_digest_int(h, (int)svc);
	b->digest = rs_digest_int(h, row->enabled);
	return RS_OK;
}

uint64_t rs_dir_builder_digest(const rs_dir_builder_t *b)
{
	return b ? b->digest : 0;
}

int rs_dir_builder_nusers(const rs_dir_builder_t *b)
{
	return b ? b->nusers : 0;
}

int rs_dir_builder_ndevices(const rs_dir_builder_t *b)
{
	return b ? b->ndevs : 0;
}

int rs_dir_builder_nfollowme(const rs_dir_builder_t *b)
{
	return b ? b->nfms : 0;
}

/* ---- permission sets and groups (README "Ring groups") ---- */

static const rs_permset_t *rs_permset_find(
		const rs_permset_t *p, int np, const char *name, int len)
{
	int i;

	for(i = 0; i < np; i++)
		if(p[i].name_len == len && memcmp(p[i].name, name, (size_t)len) == 0)
			return &p[i];
	return NULL;
}

rs_err_t rs_dir_builder_add_permset(
		rs_dir_builder_t *b, const rs_permset_row_t *row)
{
	char why[160];
	rs_permset_t *ps;
	uint64_t h;
	int i;

	if(b == NULL || row == NULL)
		return RS_E_INVAL;
	if(rs_dir_check_field(&row->name, "name", why, sizeof(why)) < 0
			|| rs_check_name(&row->name, RS_PERMSET_NAME_MAX, "name", why,
					   sizeof(why))
					   < 0) {
		rs_reject(b, RS_TBL_PERMSET, &row->name, why);
		return RS_E_BADROW;
	}
	for(i = 0; i < RS_PERM_COUNT; i++) {
		if(row->perm[i] != 0 && row->perm[i] != 1
				&& row->perm[i] != RS_PERM_UNSET) {
			rs_why(why, sizeof(why), "%s must be 0, 1 or NULL",
					rs_perm_names[i]);
			rs_reject(b, RS_TBL_PERMSET, &row->name, why);
			return RS_E_BADROW;
		}
	}
	if(rs_permset_find(b->permsets, b->npermsets, row->name.s, row->name.len)
			!= NULL) {
		rs_reject(b, RS_TBL_PERMSET, &row->name,
				"duplicate name (first row kept)");
		return RS_E_DUP;
	}
	if(b->npermsets >= RS_PERMSET_MAX)
		return RS_E_LIMIT;
	ps = &b->permsets[b->npermsets++];
	memcpy(ps->name, row->name.s, (size_t)row->name.len);
	ps->name[row->name.len] = '\0';
	ps->name_len = row->name.len;
	h = rs_hash64(b->digest, "P", 1);
	h = rs_digest_str(h, row->name.s, row->name.len);
	for(i = 0; i < RS_PERM_COUNT; i++) {
		ps->perm[i] = row->perm[i];
		h = rs_digest_int(h, row->perm[i]);
	}
	b->digest = h;
	return RS_OK;
}

rs_err_t rs_dir_builder_add_group(
		rs_dir_builder_t *b, const rs_group_row_t *row)
{
	rs_grp_strategy_t strat;
	char why[160];
	rs_bgroup_t *g;
	void *arr;
	rs_err_t rc;
	uint64_t h;

	if(b == NULL || row == NULL)
		return RS_E_INVAL;
	if(rs_dir_check_field(&row->extension, "extension", why, sizeof(why)) < 0
			|| rs_dir_check_field(&row->domain, "domain", why, sizeof(why)) < 0
			|| rs_dir_check_field(
					   &row->display_name, "display_name", why, sizeof(why))
					   < 0
			|| rs_dir_check_field(&row->strategy, "strategy", why, sizeof(why)) < 0
			|| rs_dir_check_field(&row->last_destination, "last_destination", why,
					   sizeof(why))
					   < 0
			|| rs_check_ext(&row->extension, why, sizeof(why)) < 0) {
		rs_reject(b, RS_TBL_GROUP, &row->extension, why);
		return RS_E_BADROW;
	}
	if(rs_grp_strategy_parse(row->strategy.s, row->strategy.len, &strat)
			!= RS_OK) {
		rs_reject(b, RS_TBL_GROUP, &row->extension,
				"strategy must be ringall, serial or hunt");
		return RS_E_BADROW;
	}
	if(row->ring_seconds < 1 || row->ring_seconds > RS_DIR_RING_MAX) {
		rs_why(why, sizeof(why), "ring_seconds must be 1..%d", RS_DIR_RING_MAX);
		rs_reject(b, RS_TBL_GROUP, &row->extension, why);
		return RS_E_BADROW;
	}
	if(row->last_destination.len > 0
			&& rs_check_name(&row->last_destination, RS_FM_TARGET_MAX,
					   "last_destination", why, sizeof(why))
					   < 0) {
		rs_reject(b, RS_TBL_GROUP, &row->extension, why);
		return RS_E_BADROW;
	}
	if(rs_bindex_find(
			   b, &b->gidx, rs_grp_key, row->extension.s, row->extension.len)
			>= 0) {
		rs_reject(b, RS_TBL_GROUP, &row->extension,
				"duplicate extension (first row kept)");
		return RS_E_DUP;
	}
	if(b->ngroups >= RS_DIR_ROWS_MAX)
		return RS_E_LIMIT;
	arr = b->groups;
	rc = rs_grow(b, &arr, &b->capgroups, sizeof(*b->groups), b->ngroups + 1);
	b->groups = arr;
	if(rc == RS_OK)
		rc = rs_pool_reserve(b, (size_t)row->extension.len
										+ (size_t)row->domain.len
										+ (size_t)row->display_name.len
										+ (size_t)row->last_destination.len);
	if(rc == RS_OK)
		rc = rs_bindex_reserve(b, &b->gidx, rs_grp_key, b->ngroups);
	if(rc != RS_OK)
		return rc;
	g = &b->groups[b->ngroups];
	g->extension = rs_pool_add(b, row->extension.s, row->extension.len);
	g->domain = rs_pool_add(b, row->domain.s, row->domain.len);
	g->display_name =
			rs_pool_add(b, row->display_name.s, row->display_name.len);
	g->last_destination =
			rs_pool_add(b, row->last_destination.s, row->last_destination.len);
	g->strategy = strat;
	g->ring_seconds = row->ring_seconds;
	g->keep = 0;
	h = rs_hash64(b->digest, "G", 1);
	h = rs_digest_str(h, row->extension.s, row->extension.len);
	h = rs_digest_str(h, row->domain.s, row->domain.len);
	h = rs_digest_str(h, row->display_name.s, row->display_name.len);
	h = rs_digest_int(h, (int)strat);
	h = rs_digest_int(h, row->ring_seconds);
	h = rs_digest_str(h, row->last_destination.s, row->last_destination.len);
	rs_bindex_put(
			b, b->gidx.slot, b->gidx.cap, rs_grp_key, (uint32_t)b->ngroups);
	b->ngroups++;
	b->digest = h;
	return RS_OK;
}

rs_err_t rs_dir_builder_add_group_member(
		rs_dir_builder_t *b, const rs_group_member_row_t *row)
{
	char why[160], kbuf[RS_FM_KEY_MAX];
	rs_str_t key;
	rs_bgm_t *m;
	void *arr;
	rs_err_t rc;
	uint64_t h;

	if(b == NULL || row == NULL)
		return RS_E_INVAL;
	key = rs_fm_key(&row->group_extension, row->position, kbuf);
	if(rs_dir_check_field(
			   &row->group_extension, "group_extension", why, sizeof(why))
					< 0
			|| rs_dir_check_field(&row->extension, "extension", why, sizeof(why))
					   < 0
			|| rs_check_ext(&row->group_extension, why, sizeof(why)) < 0
			|| rs_check_ext(&row->extension, why, sizeof(why)) < 0) {
		rs_reject(b, RS_TBL_GROUP_MEMBER, &key, why);
		return RS_E_BADROW;
	}
	if(row->position < 0) {
		rs_reject(b, RS_TBL_GROUP_MEMBER, &key, "position must be >= 0");
		return RS_E_BADROW;
	}
	if(b->ngms >= RS_DIR_ROWS_MAX)
		return RS_E_LIMIT;
	arr = b->gms;
	rc = rs_grow(b, &arr, &b->capgms, sizeof(*b->gms), b->ngms + 1);
	b->gms = arr;
	if(rc == RS_OK) {
		arr = b->gmorder;
		rc = rs_grow(b, &arr, &b->capgmorder, sizeof(*b->gmorder), b->ngms + 1);
		b->gmorder = arr;
	}
	if(rc == RS_OK)
		rc = rs_pool_reserve(b,
				(size_t)row->group_extension.len + (size_t)row->extension.len);
	if(rc != RS_OK)
		return rc;
	m = &b->gms[b->ngms];
	m->group = rs_pool_add(b, row->group_extension.s, row->group_extension.len);
	m->extension = rs_pool_add(b, row->extension.s, row->extension.len);
	m->position = row->position;
	m->grp = m->user = -1;
	m->keep = 0;
	h = rs_hash64(b->digest, "M", 1);
	h = rs_digest_str(h, row->group_extension.s, row->group_extension.len);
	h = rs_digest_str(h, row->extension.s, row->extension.len);
	b->digest = rs_digest_int(h, row->position);
	b->ngms++;
	return RS_OK;
}

/* member row x sorts before y: by group, then position, then input order */
static int rs_gm_before(const rs_dir_builder_t *b, int x, int y)
{
	const rs_bgm_t *mx = &b->gms[x], *my = &b->gms[y];

	if(mx->grp != my->grp)
		return mx->grp < my->grp;
	if(mx->position != my->position)
		return mx->position < my->position;
	return x < y;
}

static void rs_gm_sort(const rs_dir_builder_t *b, int *v, int n)
{
	int i, j, t;

	/* insertion sort: groups are small and rows mostly come in order */
	for(i = 1; i < n; i++) {
		t = v[i];
		for(j = i; j > 0 && rs_gm_before(b, t, v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/*
 * Which groups and members go into the block; reports the others. Sets
 * *ngk and *nmk, adds string bytes to *strbytes, and leaves the kept
 * members sorted at the start of b->gmorder (*nsorted valid entries).
 */
static void rs_grp_prepare(
		rs_dir_builder_t *b, size_t *strbytes, int *ngk, int *nmk, int *nsorted)
{
	char why[160], kbuf[RS_FM_KEY_MAX];
	rs_bgroup_t *g;
	rs_bgm_t *m;
	rs_str_t key, gk;
	int i, j, m_n = 0, run = 0, prev = -1, dup;

	*ngk = *nmk = 0;
	for(i = 0; i < b->ngroups; i++) {
		g = &b->groups[i];
		g->keep = 0;
		gk.s = (char *)rs_pool_str(b, &g->extension);
		gk.len = g->extension.len;
		if(rs_bindex_find(b, &b->uidx, rs_user_key, gk.s, gk.len) >= 0) {
			rs_reject(b, RS_TBL_GROUP, &gk, "extension is a user");
			continue;
		}
		g->keep = 1;
		(*ngk)++;
		*strbytes += (size_t)g->extension.len + 1 + (size_t)g->domain.len + 1
					 + (size_t)g->display_name.len + 1
					 + (size_t)g->last_destination.len + 1;
	}
	for(i = 0; i < b->ngms; i++) {
		m = &b->gms[i];
		m->keep = 0;
		gk.s = (char *)rs_pool_str(b, &m->group);
		gk.len = m->group.len;
		key = rs_fm_key(&gk, m->position, kbuf);
		m->grp = rs_bindex_find(b, &b->gidx, rs_grp_key, gk.s, gk.len);
		if(m->grp < 0 || !b->groups[m->grp].keep) {
			rs_why(why, sizeof(why), "group %.*s unknown", gk.len, gk.s);
			rs_reject(b, RS_TBL_GROUP_MEMBER, &key, why);
			continue;
		}
		m->user = rs_bindex_find(b, &b->uidx, rs_user_key,
				rs_pool_str(b, &m->extension), m->extension.len);
		if(m->user < 0) {
			rs_why(why, sizeof(why), "member %.*s is not a user",
					m->extension.len, rs_pool_str(b, &m->extension));
			rs_reject(b, RS_TBL_GROUP_MEMBER, &key, why);
			continue;
		}
		b->gmorder[m_n++] = i;
	}
	rs_gm_sort(b, b->gmorder, m_n);
	*nsorted = m_n;
	for(i = 0; i < m_n; i++) {
		m = &b->gms[b->gmorder[i]];
		run = m->grp == prev ? run + 1 : 1;
		if(m->grp != prev)
			prev = m->grp;
		gk.s = (char *)rs_pool_str(b, &m->group);
		gk.len = m->group.len;
		key = rs_fm_key(&gk, m->position, kbuf);
		dup = 0;
		for(j = i - run + 1; j < i; j++) {
			const rs_bgm_t *o = &b->gms[b->gmorder[j]];

			if(o->keep && (o->user == m->user || o->position == m->position))
				dup = o->user == m->user ? 1 : 2;
		}
		if(dup) {
			rs_why(why, sizeof(why),
					dup == 1 ? "member %.*s twice"
							 : "duplicate position "
							   "(first row kept)",
					m->extension.len, rs_pool_str(b, &m->extension));
			rs_reject(b, RS_TBL_GROUP_MEMBER, &key, why);
			continue;
		}
		if(run > RS_GRP_MAX_MEMBERS) {
			rs_why(why, sizeof(why), "more than %d members",
					RS_GRP_MAX_MEMBERS);
			rs_reject(b, RS_TBL_GROUP_MEMBER, &key, why);
			continue;
		}
		m->keep = 1;
		(*nmk)++;
	}
}

/* effective permissions of a user: its own column, its set, the default */
static void rs_user_perms(
		const rs_dir_builder_t *b, const rs_str_t *setname, rs_user_t *u)
{
	const rs_permset_t *ps = NULL;
	int own[RS_PERM_COUNT], i;

	/* the user's own columns, as rs_user_cols copied them */
	own[RS_PERM_CALL_EXTERNAL] = u->perm[RS_PERM_CALL_EXTERNAL];
	own[RS_PERM_CALL_INTERNATIONAL] = u->perm[RS_PERM_CALL_INTERNATIONAL];
	own[RS_PERM_FORWARD_EXTERNAL] = u->forward_external;
	own[RS_PERM_VOICEMAIL] = u->voicemail;
	if(setname->len > 0) {
		ps = rs_permset_find(
				b->permsets, b->npermsets, setname->s, setname->len);
		u->permset_unknown = ps == NULL;
	}
	for(i = 0; i < RS_PERM_COUNT; i++) {
		if(own[i] != RS_PERM_UNSET) {
			u->perm[i] = own[i];
			u->perm_src[i] = RS_PERM_SRC_USER;
		} else if(ps != NULL && ps->perm[i] != RS_PERM_UNSET) {
			u->perm[i] = ps->perm[i];
			u->perm_src[i] = RS_PERM_SRC_SET;
		} else {
			u->perm[i] = rs_perm_default[i];
			u->perm_src[i] = RS_PERM_SRC_DEFAULT;
		}
	}
	u->forward_external = u->perm[RS_PERM_FORWARD_EXTERNAL];
	u->voicemail = u->perm[RS_PERM_VOICEMAIL];
}

/* ---- freeze ---- */

#define RS_ALIGN 16

/* *acc = align(*acc) + n * el, with overflow checks; returns the offset */
static int rs_layout(size_t *acc, size_t n, size_t el, size_t *off)
{
	size_t a = (*acc + (RS_ALIGN - 1)) & ~(size_t)(RS_ALIGN - 1);

	if(a < *acc || (el != 0 && n > ((size_t)-1) / el) || a + n * el < a)
		return -1;
	*off = a;
	*acc = a + n * el;
	return 0;
}

/* copy a pool string into the block at *sp; empty strings share "" */
static rs_str_t rs_put_str(
		const rs_dir_builder_t *b, const rs_pstr_t *p, char **sp, char *empty)
{
	rs_str_t s;

	if(p->len == 0) {
		s.s = empty;
		s.len = 0;
		return s;
	}
	s.s = *sp;
	s.len = p->len;
	memcpy(*sp, rs_pool_str(b, p), (size_t)p->len);
	(*sp)[p->len] = '\0';
	*sp += p->len + 1;
	return s;
}

/* follow-me row x sorts before row y: by owner, then by position */
static int rs_fm_before(const rs_dir_builder_t *b, int x, int y)
{
	const rs_bfm_t *fx = &b->fms[x], *fy = &b->fms[y];

	if(fx->owner != fy->owner)
		return fx->owner < fy->owner;
	return fx->position < fy->position;
}

static void rs_fm_sift(const rs_dir_builder_t *b, int *v, int i, int n)
{
	int c, t;

	while((c = 2 * i + 1) < n) {
		if(c + 1 < n && rs_fm_before(b, v[c], v[c + 1]))
			c++;
		if(!rs_fm_before(b, v[i], v[c]))
			return;
		t = v[i];
		v[i] = v[c];
		v[c] = t;
		i = c;
	}
}

/* heap sort of n row numbers; no allocation, keys are unique */
static void rs_fm_sort(const rs_dir_builder_t *b, int *v, int n)
{
	int i, t;

	for(i = n / 2 - 1; i >= 0; i--)
		rs_fm_sift(b, v, i, n);
	for(i = n - 1; i > 0; i--) {
		t = v[0];
		v[0] = v[i];
		v[i] = t;
		rs_fm_sift(b, v, 0, i);
	}
}

/*
 * Resolve the owners of the follow-me rows, sort the known ones into
 * b->fmorder by (owner, position) and mark the first RS_FM_MAX_ENTRIES
 * of every owner to be kept; report the others. Returns how many rows
 * are kept, adds their string bytes to *strbytes and sets *nsorted to
 * the number of valid entries at the start of b->fmorder.
 */
static int rs_fm_prepare(rs_dir_builder_t *b, size_t *strbytes, int *nsorted)
{
	char why[160];
	rs_bfm_t *f;
	rs_str_t key;
	int i, m = 0, run = 0, nkeep = 0, prev = -1;

	for(i = 0; i < b->nfms; i++) {
		f = &b->fms[i];
		f->keep = 0;
		f->owner = rs_bindex_find(b, &b->uidx, rs_user_key,
				rs_pool_str(b, &f->extension), f->extension.len);
		if(f->owner < 0) {
			f->owner = -2;
			key.s = (char *)rs_pool_str(b, &f->key);
			key.len = f->key.len;
			rs_why(why, sizeof(why), "owner extension %.*s unknown",
					f->extension.len, rs_pool_str(b, &f->extension));
			rs_reject(b, RS_TBL_FOLLOWME, &key, why);
			continue;
		}
		b->fmorder[m++] = i;
	}
	rs_fm_sort(b, b->fmorder, m);
	*nsorted = m;
	for(i = 0; i < m; i++) {
		f = &b->fms[b->fmorder[i]];
		run = f->owner == prev ? run + 1 : 1;
		prev = f->owner;
		if(run > RS_FM_MAX_ENTRIES) {
			key.s = (char *)rs_pool_str(b, &f->key);
			key.len = f->key.len;
			rs_why(why, sizeof(why), "more than %d follow-me entries",
					RS_FM_MAX_ENTRIES);
			rs_reject(b, RS_TBL_FOLLOWME, &key, why);
			continue;
		}
		f->keep = 1;
		nkeep++;
		*strbytes += (size_t)f->target.len + 1;
		if(f->schedule.len > 0)
			*strbytes += (size_t)f->schedule.len + 1;
	}
	return nkeep;
}

static void rs_tab_put(
		uint32_t *tab, uint32_t mask, const rs_str_t *key, uint32_t rec)
{
	uint32_t i = (uint32_t)rs_key_hash(key->s, key->len) & mask;

	while(tab[i] != 0)
		i = (i + 1) & mask;
	tab[i] = rec + 1;
}

rs_err_t rs_dir_freeze(
		rs_dir_builder_t *b, const rs_alloc_t *out, rs_dir_t **dir)
{
	size_t size, strbytes = 1, o_users, o_devs, o_owned, o_fm, o_utab, o_dtab,
				 o_str, o_grp, o_gmem, o_gpos, o_gtab;
	uint32_t ucap, dcap, gcap;
	const rs_user_t **gmem;
	int *gpos, ngk, nmk, ngsorted;
	const rs_device_t **owned;
	rs_followme_t *fm;
	const rs_bfm_t *bf;
	rs_bdev_t *bd;
	rs_user_t *u;
	rs_device_t *dv;
	rs_dir_t *d;
	char why[160], *sp, *empty;
	int i, j, nkeep = 0, nowned = 0, nfm, nsorted, pos;

	if(b == NULL || out == NULL || out->alloc == NULL || dir == NULL)
		return RS_E_INVAL;

	/* pass 1: resolve owners, count what goes into the block */
	for(i = 0; i < b->nusers; i++) {
		for(j = 0; j < RS_USER_NCOLS; j++)
			if(rs_user_cols[j].type != RS_COL_INT
					&& RS_BUSER(b, i)[j].s.len > 0)
				strbytes += (size_t)RS_BUSER(b, i)[j].s.len + 1;
	}
	for(i = 0; i < b->ndevs; i++) {
		bd = &b->devs[i];
		bd->owner = -1;
		if(bd->extension.len > 0) {
			bd->owner = rs_bindex_find(b, &b->uidx, rs_user_key,
					rs_pool_str(b, &bd->extension), bd->extension.len);
			if(bd->owner < 0) {
				rs_str_t key = {(char *)rs_pool_str(b, &bd->username),
						bd->username.len};
				bd->owner = -2;
				rs_why(why, sizeof(why), "owner extension %.*s unknown",
						bd->extension.len, rs_pool_str(b, &bd->extension));
				rs_reject(b, RS_TBL_DEVICE, &key, why);
				continue;
			}
			nowned++;
		}
		nkeep++;
		strbytes += (size_t)bd->username.len + 1;
		if(bd->domain.len > 0)
			strbytes += (size_t)bd->domain.len + 1;
		if(bd->mac.len > 0)
			strbytes += (size_t)bd->mac.len + 1;
	}
	nfm = rs_fm_prepare(b, &strbytes, &nsorted);
	rs_grp_prepare(b, &strbytes, &ngk, &nmk, &ngsorted);

	/* layout of the block */
	ucap = rs_table_cap(b->nusers);
	dcap = rs_table_cap(nkeep);
	gcap = rs_table_cap(ngk);
	size = sizeof(rs_dir_t);
	if(rs_layout(&size, (size_t)b->nusers, sizeof(rs_user_t), &o_users) < 0
			|| rs_layout(&size, (size_t)nkeep, sizeof(rs_device_t), &o_devs) < 0
			|| rs_layout(&size, (size_t)nowned, sizeof(*owned), &o_owned) < 0
			|| rs_layout(&size, (size_t)nfm, sizeof(*fm), &o_fm) < 0
			|| rs_layout(&size, ucap, sizeof(uint32_t), &o_utab) < 0
			|| rs_layout(&size, dcap, sizeof(uint32_t), &o_dtab) < 0
			|| rs_layout(&size, (size_t)ngk, sizeof(rs_group_t), &o_grp) < 0
			|| rs_layout(&size, (size_t)nmk, sizeof(*gmem), &o_gmem) < 0
			|| rs_layout(&size, (size_t)nmk, sizeof(int), &o_gpos) < 0
			|| rs_layout(&size, gcap, sizeof(uint32_t), &o_gtab) < 0
			|| rs_layout(&size, strbytes, 1, &o_str) < 0)
		return RS_E_LIMIT;

	d = out->alloc(size, out->ctx);
	if(d == NULL)
		return RS_E_NOMEM;
	memset(d, 0, size);
	d->size = size;
	d->digest = b->digest;
	d->nusers = b->nusers;
	d->ndevices = nkeep;
	d->nfollowme = nfm;
	d->nfeatures = b->nfeatures;
	memcpy(d->features, b->features, sizeof(d->features));
	d->npermsets = b->npermsets;
	memcpy(d->permsets, b->permsets, sizeof(d->permsets));
	d->ngroups = ngk;
	d->groups = (rs_group_t *)(void *)((char *)d + o_grp);
	gmem = (const rs_user_t **)(void *)((char *)d + o_gmem);
	gpos = (int *)(void *)((char *)d + o_gpos);
	d->gtab = (uint32_t *)(void *)((char *)d + o_gtab);
	d->gmask = gcap - 1;
	d->users = (rs_user_t *)((char *)d + o_users);
	d->devices = (rs_device_t *)((char *)d + o_devs);
	owned = (const rs_device_t **)(void *)((char *)d + o_owned);
	fm = (rs_followme_t *)(void *)((char *)d + o_fm);
	d->utab = (uint32_t *)(void *)((char *)d + o_utab);
	d->dtab = (uint32_t *)(void *)((char *)d + o_dtab);
	d->umask = ucap - 1;
	d->dmask = dcap - 1;
	empty = (char *)d + o_str;
	sp = empty + 1;

	/* users; ndevices counts owned devices first */
	for(i = 0; i < b->nusers; i++) {
		const rs_bval_t *bu = RS_BUSER(b, i);

		u = &d->users[i];
		for(j = 0; j < RS_USER_NCOLS; j++) {
			const rs_coldesc_t *c = &rs_user_cols[j];

			if(c->out_off == RS_COL_NONE)
				continue;
			if(c->type != RS_COL_INT)
				*RS_COL_STR(u, c->out_off) =
						rs_put_str(b, &bu[j].s, &sp, empty);
			else
				*RS_COL_INTP(u, c->out_off) = bu[j].i;
		}
		rs_user_perms(b, &u->permission_set, u);
		rs_tab_put(d->utab, d->umask, &u->extension, (uint32_t)i);
	}
	for(i = 0; i < b->ndevs; i++)
		if(b->devs[i].owner >= 0)
			d->users[b->devs[i].owner].ndevices++;

	/* give every owner its slice of the owned[] array */
	pos = 0;
	for(i = 0; i < b->nusers; i++) {
		u = &d->users[i];
		if(u->ndevices > 0)
			u->devices = owned + pos;
		pos += u->ndevices;
		u->ndevices = 0; /* refilled below */
	}

	/* devices in input order */
	j = 0;
	for(i = 0; i < b->ndevs; i++) {
		bd = &b->devs[i];
		if(bd->owner == -2)
			continue;
		dv = &d->devices[j];
		dv->username = rs_put_str(b, &bd->username, &sp, empty);
		dv->domain = rs_put_str(b, &bd->domain, &sp, empty);
		dv->mac = rs_put_str(b, &bd->mac, &sp, empty);
		dv->kind = bd->kind;
		if(bd->owner >= 0) {
			u = &d->users[bd->owner];
			dv->owner = u;
			owned[(u->devices - (const rs_device_t *const *)owned)
					+ u->ndevices] = dv;
			u->ndevices++;
		}
		rs_tab_put(d->dtab, d->dmask, &dv->username, (uint32_t)j);
		j++;
	}

	/* follow-me entries, already sorted by owner and position */
	j = 0;
	for(i = 0; i < nsorted; i++) {
		bf = &b->fms[b->fmorder[i]];
		if(!bf->keep)
			continue;
		u = &d->users[bf->owner];
		if(u->nfollowme == 0)
			u->followme = fm + j;
		u->nfollowme++;
		fm[j].position = bf->position;
		fm[j].target = rs_put_str(b, &bf->target, &sp, empty);
		fm[j].mode = bf->mode;
		fm[j].ring_seconds = bf->ring_seconds;
		fm[j].enabled = bf->enabled;
		fm[j].schedule = rs_put_str(b, &bf->schedule, &sp, empty);
		fm[j].rec = bf->rec;
		fm[j].confirm = bf->confirm;
		j++;
	}

	/* groups in input order, members sorted by group and position */
	j = 0;
	for(i = 0; i < b->ngroups; i++) {
		const rs_bgroup_t *bg = &b->groups[i];
		rs_group_t *g;

		if(!bg->keep)
			continue;
		g = &d->groups[j];
		g->extension = rs_put_str(b, &bg->extension, &sp, empty);
		g->domain = rs_put_str(b, &bg->domain, &sp, empty);
		g->display_name = rs_put_str(b, &bg->display_name, &sp, empty);
		g->last_destination = rs_put_str(b, &bg->last_destination, &sp, empty);
		g->strategy = bg->strategy;
		g->ring_seconds = bg->ring_seconds;
		rs_tab_put(d->gtab, d->gmask, &g->extension, (uint32_t)j);
		/* the builder's index of this group, for the members below */
		b->groups[i].keep = j + 1;
		j++;
	}
	pos = 0;
	for(i = 0; i < ngsorted; i++) {
		const rs_bgm_t *m = &b->gms[b->gmorder[i]];
		rs_group_t *g;

		if(!m->keep)
			continue;
		g = &d->groups[b->groups[m->grp].keep - 1];
		if(g->nmembers == 0) {
			g->members = gmem + pos;
			g->positions = gpos + pos;
		}
		gmem[pos] = &d->users[m->user];
		gpos[pos] = m->position;
		g->nmembers++;
		pos++;
	}

	*dir = d;
	return RS_OK;
}

/* ---- frozen directory ---- */

void rs_dir_free(rs_dir_t *d, const rs_alloc_t *out)
{
	if(d == NULL || out == NULL || out->free == NULL)
		return;
	out->free(d, out->ctx);
}

size_t rs_dir_size(const rs_dir_t *d)
{
	return d ? d->size : 0;
}

const rs_user_t *rs_dir_user(const rs_dir_t *d, const char *ext, int len)
{
	const rs_user_t *u;
	uint32_t i, r;

	if(d == NULL || ext == NULL || len <= 0)
		return NULL;
	i = (uint32_t)rs_key_hash(ext, len) & d->umask;
	while((r = d->utab[i]) != 0) {
		u = &d->users[r - 1];
		if(u->extension.len == len
				&& memcmp(u->extension.s, ext, (size_t)len) == 0)
			return u;
		i = (i + 1) & d->umask;
	}
	return NULL;
}

const rs_device_t *rs_dir_device(
		const rs_dir_t *d, const char *username, int len)
{
	const rs_device_t *dv;
	uint32_t i, r;

	if(d == NULL || username == NULL || len <= 0)
		return NULL;
	i = (uint32_t)rs_key_hash(username, len) & d->dmask;
	while((r = d->dtab[i]) != 0) {
		dv = &d->devices[r - 1];
		if(dv->username.len == len
				&& memcmp(dv->username.s, username, (size_t)len) == 0)
			return dv;
		i = (i + 1) & d->dmask;
	}
	return NULL;
}

int rs_dir_nusers(const rs_dir_t *d)
{
	return d ? d->nusers : 0;
}

int rs_dir_ndevices(const rs_dir_t *d)
{
	return d ? d->ndevices : 0;
}

int rs_dir_nfollowme(const rs_dir_t *d)
{
	return d ? d->nfollowme : 0;
}

const rs_user_t *rs_dir_user_at(const rs_dir_t *d, int i)
{
	if(d == NULL || i < 0 || i >= d->nusers)
		return NULL;
	return &d->users[i];
}

const rs_device_t *rs_dir_device_at(const rs_dir_t *d, int i)
{
	if(d == NULL || i < 0 || i >= d->ndevices)
		return NULL;
	return &d->devices[i];
}

uint64_t rs_dir_digest(const rs_dir_t *d)
{
	return d ? d->digest : 0;
}

const rs_group_t *rs_dir_group(const rs_dir_t *d, const char *ext, int len)
{
	const rs_group_t *g;
	uint32_t i, r;

	if(d == NULL || ext == NULL || len <= 0 || d->ngroups == 0)
		return NULL;
	i = (uint32_t)rs_key_hash(ext, len) & d->gmask;
	while((r = d->gtab[i]) != 0) {
		g = &d->groups[r - 1];
		if(g->extension.len == len
				&& memcmp(g->extension.s, ext, (size_t)len) == 0)
			return g;
		i = (i + 1) & d->gmask;
	}
	return NULL;
}

int rs_dir_ngroups(const rs_dir_t *d)
{
	return d ? d->ngroups : 0;
}

const rs_group_t *rs_dir_group_at(const rs_dir_t *d, int i)
{
	if(d == NULL || i < 0 || i >= d->ngroups)
		return NULL;
	return &d->groups[i];
}

const rs_permset_t *rs_dir_permset(const rs_dir_t *d, const char *name, int len)
{
	if(d == NULL || name == NULL || len <= 0)
		return NULL;
	return rs_permset_find(d->permsets, d->npermsets, name, len);
}

const rs_feature_t *rs_dir_feature_prefix(
		const rs_dir_t *d, const char *dialled, int len)
{
	const rs_feature_t *f, *best = NULL;
	int i;

	if(d == NULL || dialled == NULL || len <= 0)
		return NULL;
	for(i = 0; i < d->nfeatures; i++) {
		f = &d->features[i];
		if(!rs_service_takes_arg(f->service) || f->code_len >= len
				|| memcmp(f->code, dialled, (size_t)f->code_len) != 0)
			continue;
		if(best == NULL || f->code_len > best->code_len)
			best = f;
	}
	return best;
}

const rs_feature_t *rs_dir_feature(const rs_dir_t *d, const char *code, int len)
{
	if(d == NULL || code == NULL || len <= 0)
		return NULL;
	return rs_feature_find(d->features, d->nfeatures, code, len);
}

int rs_dir_nfeatures(const rs_dir_t *d)
{
	return d ? d->nfeatures : 0;
}

int rs_dir_incall_codes(const rs_dir_t *d, char *buf, size_t n)
{
	size_t len = 0;
	int i, w;

	if(buf == NULL || n == 0)
		return -1;
	buf[0] = '\0';
	for(i = 0; d && i < d->nfeatures; i++) {
		const rs_feature_t *f = &d->features[i];
		if(!f->enabled || f->service < RS_SVC_XFER_ATTENDED
				|| f->service > RS_SVC_XFER_CONFERENCE)
			continue;
		w = snprintf(buf + len, n - len, "%s%s=%s", len ? ";" : "",
				rs_service_names[f->service], f->code);
		if(w < 0 || (size_t)w >= n - len) {
			buf[0] = '\0';
			return -1;
		}
		len += (size_t)w;
	}
	return (int)len;
}

const rs_feature_t *rs_dir_feature_at(const rs_dir_t *d, int i)
{
	if(d == NULL || i < 0 || i >= d->nfeatures)
		return NULL;
	return &d->features[i];
}

/* --- fields of a lookup ------------------------------------------------ */

static const char *const rs_dir_field_names[] = {"extension", "domain",
		"display_name", "external_cli", "mobile", "voicemail",
		"forward_external", "hotdesk", "fork2mobile", "ring_seconds",
		"max_calls", "anchor_media", "devices", "device", "kind", "mac",
		"blf_private", "incall_services", "pbx", "call_external",
		"call_international", "pickup_group", "cfwd_target", "dnd"};

#define RS_DIR_NFIELDS \
	((int)(sizeof(rs_dir_field_names) / sizeof(rs_dir_field_names[0])))

const char *rs_dir_field_name(unsigned int bit)
{
	int i;

	for(i = 0; i < RS_DIR_NFIELDS; i++)
		if(bit == (1u << i))
			return rs_dir_field_names[i];
	return NULL;
}

rs_err_t rs_dir_field_mask(const char *s, int len, unsigned int *mask, int *bad)
{
	const char *p, *end, *c;
	unsigned int m = 0;
	int i, n, pos = 0;

	if(bad)
		*bad = 0;
	if(s == NULL || mask == NULL || len <= 0)
		return RS_E_INVAL;
	for(p = s, end = s + len; p <= end; p = c + 1, pos++) {
		c = memchr(p, ',', (size_t)(end - p));
		if(c == NULL)
			c = end;
		n = (int)(c - p);
		for(i = 0; i < RS_DIR_NFIELDS; i++)
			if(strlen(rs_dir_field_names[i]) == (size_t)n
					&& memcmp(rs_dir_field_names[i], p, (size_t)n) == 0)
				break;
		if(n == 0 || i == RS_DIR_NFIELDS) {
			if(bad)
				*bad = pos;
			return RS_E_INVAL;
		}
		m |= 1u << i;
		if(c == end)
			break;
	}
	*mask = m;
	return RS_OK;
}
