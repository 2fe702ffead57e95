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

/* tests of rs_userdir.c */

#include <stdint.h>
#include <stdio.h>

#include "unit.h"
#include "rs_userdir.h"

#define DOM "pbx.example.com"

/* strings for length limits; "\000" is a NUL byte in the literals below */
#define X10 "xxxxxxxxxx"
#define X32 X10 X10 X10 "xx"
#define X33 X32 "x"
#define X64 X32 X32
#define X65 X64 "x"
#define X255 X64 X64 X64 X32 X10 X10 X10 "x"
#define X256 X255 "x"

/* ---- helpers ---- */

/* what the reject callback saw last */
typedef struct rejlog
{
	int n;
	char table[32];
	char key[300];
	char reason[256];
} rejlog_t;

static void rej_cb(
		void *ctx, const char *table, const rs_str_t *key, const char *reason)
{
	rejlog_t *l = ctx;

	CU_ASSERT_PTR_NOT_NULL(table);
	CU_ASSERT_PTR_NOT_NULL(reason);
	CU_ASSERT_PTR_NOT_NULL(key);
	CU_ASSERT_PTR_NOT_NULL(key->s);
	CU_ASSERT(key->len >= 0);
	l->n++;
	snprintf(l->table, sizeof(l->table), "%s", table);
	snprintf(l->key, sizeof(l->key), "%.*s", key->len, key->s);
	snprintf(l->reason, sizeof(l->reason), "%s", reason);
}

static rs_user_row_t mk_user(const char *ext)
{
	rs_user_row_t r;

	memset(&r, 0, sizeof(r));
	r.extension = ut_s(ext);
	r.domain = ut_s(DOM);
	r.display_name = ut_s("Alice Smith");
	r.external_cli = ut_s("+4930123");
	r.pin_hash = ut_s("$6$salt$hash");
	r.mobile = ut_s("+491701234567");
	r.voicemail = 1;
	r.forward_external = 0;
	r.hotdesk = 1;
	r.fork2mobile = 0;
	r.ring_seconds = 20;
	r.max_calls = 2;
	r.anchor_media = 1;
	r.blf_private = 1;
	return r;
}

static rs_device_row_t mk_dev(
		const char *user, const char *ext, const char *kind, const char *mac)
{
	rs_device_row_t r;

	r.username = ut_s(user);
	r.domain = ut_s(DOM);
	r.extension = ut_s(ext);
	r.kind = ut_s(kind);
	r.mac = ut_s(mac);
	return r;
}

static rs_followme_row_t mk_fm(const char *ext, int position,
		const char *target, const char *mode, int ring, int enabled)
{
	rs_followme_row_t r;

	memset(&r, 0, sizeof(r));
	r.extension = ut_s(ext);
	r.position = position;
	r.target = ut_s(target);
	r.mode = ut_s(mode);
	r.ring_seconds = ring;
	r.enabled = enabled;
	return r;
}

/* s is a NUL-terminated copy of c */
static int str_is(const rs_str_t *s, const char *c)
{
	size_t n = strlen(c);

	return s->s != NULL && s->len == (int)n && memcmp(s->s, c, n) == 0
		   && s->s[n] == '\0';
}

static rs_dir_t *freeze_ok(rs_dir_builder_t *b)
{
	rs_dir_t *d = NULL;

	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, &d), RS_OK);
	CU_ASSERT_PTR_NOT_NULL(d);
	return d;
}

static const rs_user_t *user(const rs_dir_t *d, const char *ext)
{
	return rs_dir_user(d, ext, (int)strlen(ext));
}

static const rs_device_t *device(const rs_dir_t *d, const char *username)
{
	return rs_dir_device(d, username, (int)strlen(username));
}

static int in_block(const rs_dir_t *d, const void *p, size_t n)
{
	uintptr_t lo = (uintptr_t)d, hi = lo + rs_dir_size(d), c = (uintptr_t)p;

	return c >= lo && c <= hi && n <= hi - c;
}

/* ---- building and lookup ---- */

static void test_build_lookup(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t u0 = mk_user("100"), u1 = mk_user("101");
	rs_device_row_t d0 = mk_dev("100-desk", "100", "static", "00A0B1C2D3E4");
	rs_device_row_t d1 = mk_dev("hotdesk-lobby", NULL, "hotdesk_terminal", "");
	rs_device_row_t d2 = mk_dev("101-soft", "101", "static", NULL);
	const rs_user_t *u;
	const rs_device_t *dv;
	rs_dir_t *d;
	rejlog_t rl = {0};

	u1.display_name = ut_s("Bob Jones");
	u1.external_cli = ut_s("");
	u1.pin_hash = ut_s(NULL);
	u1.mobile = ut_s("+491709999");
	u1.voicemail = 0;
	u1.forward_external = 1;
	u1.hotdesk = 0;
	u1.fork2mobile = 1;
	u1.ring_seconds = 600;
	u1.max_calls = 0;
	u1.anchor_media = 0;

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u0), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d0), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d1), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u1), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d2), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_nusers(b), 2);
	CU_ASSERT_EQUAL(rs_dir_builder_ndevices(b), 3);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rl.n, 0);

	CU_ASSERT_EQUAL(rs_dir_nusers(d), 2);
	CU_ASSERT_EQUAL(rs_dir_ndevices(d), 3);

	u = user(d, "100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_PTR_EQUAL(u, rs_dir_user_at(d, 0));
	CU_ASSERT(str_is(&u->extension, "100"));
	CU_ASSERT(str_is(&u->domain, DOM));
	CU_ASSERT(str_is(&u->display_name, "Alice Smith"));
	CU_ASSERT(str_is(&u->external_cli, "+4930123"));
	CU_ASSERT(str_is(&u->pin_hash, "$6$salt$hash"));
	CU_ASSERT(str_is(&u->mobile, "+491701234567"));
	CU_ASSERT_EQUAL(u->voicemail, 1);
	CU_ASSERT_EQUAL(u->forward_external, 0);
	CU_ASSERT_EQUAL(u->hotdesk, 1);
	CU_ASSERT_EQUAL(u->fork2mobile, 0);
	CU_ASSERT_EQUAL(u->ring_seconds, 20);
	CU_ASSERT_EQUAL(u->max_calls, 2);
	CU_ASSERT_EQUAL(u->anchor_media, 1);
	CU_ASSERT_EQUAL(u->blf_private, 1);
	CU_ASSERT_EQUAL_FATAL(u->ndevices, 1);
	CU_ASSERT(str_is(&u->devices[0]->username, "100-desk"));

	u = user(d, "101");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_PTR_EQUAL(u, rs_dir_user_at(d, 1));
	CU_ASSERT(str_is(&u->display_name, "Bob Jones"));
	CU_ASSERT(str_is(&u->external_cli, ""));
	CU_ASSERT(str_is(&u->pin_hash, ""));
	CU_ASSERT(str_is(&u->mobile, "+491709999"));
	CU_ASSERT_EQUAL(u->voicemail, 0);
	CU_ASSERT_EQUAL(u->forward_external, 1);
	CU_ASSERT_EQUAL(u->hotdesk, 0);
	CU_ASSERT_EQUAL(u->fork2mobile, 1);
	CU_ASSERT_EQUAL(u->ring_seconds, 600);
	CU_ASSERT_EQUAL(u->max_calls, 0);
	CU_ASSERT_EQUAL(u->anchor_media, 0);
	CU_ASSERT_EQUAL_FATAL(u->ndevices, 1);
	CU_ASSERT_PTR_EQUAL(u->devices[0], device(d, "101-soft"));

	dv = device(d, "100-desk");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dv);
	CU_ASSERT_PTR_EQUAL(dv, rs_dir_device_at(d, 0));
	CU_ASSERT(str_is(&dv->username, "100-desk"));
	CU_ASSERT(str_is(&dv->domain, DOM));
	CU_ASSERT(str_is(&dv->mac, "00a0b1c2d3e4"));
	CU_ASSERT_EQUAL(dv->kind, RS_DEV_STATIC);
	CU_ASSERT_PTR_EQUAL(dv->owner, user(d, "100"));

	dv = device(d, "hotdesk-lobby");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dv);
	CU_ASSERT_PTR_EQUAL(dv, rs_dir_device_at(d, 1));
	CU_ASSERT_EQUAL(dv->kind, RS_DEV_HOTDESK_TERMINAL);
	CU_ASSERT_PTR_NULL(dv->owner);
	CU_ASSERT(str_is(&dv->mac, ""));

	dv = device(d, "101-soft");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dv);
	CU_ASSERT_PTR_EQUAL(dv, rs_dir_device_at(d, 2));
	CU_ASSERT_PTR_EQUAL(dv->owner, user(d, "101"));
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_three_devices_in_order(void)
{
	static const char *const order[][2] = {{"200-b", "200"}, {"201-a", "201"},
			{"200-a", "200"}, {"200-c", "200"}};
	rs_dir_builder_t *b;
	rs_user_row_t ur;
	rs_device_row_t dr;
	const rs_user_t *u;
	rs_dir_t *d;
	size_t i;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	ur = mk_user("200");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	ur = mk_user("201");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	ur = mk_user("202");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	for(i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		dr = mk_dev(order[i][0], order[i][1], "static", "");
		CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
	}
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);

	u = user(d, "200");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->ndevices, 3);
	CU_ASSERT(str_is(&u->devices[0]->username, "200-b"));
	CU_ASSERT(str_is(&u->devices[1]->username, "200-a"));
	CU_ASSERT(str_is(&u->devices[2]->username, "200-c"));
	for(i = 0; i < 3; i++)
		CU_ASSERT_PTR_EQUAL(u->devices[i]->owner, u);
	u = user(d, "201");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->ndevices, 1);
	CU_ASSERT(str_is(&u->devices[0]->username, "201-a"));
	u = user(d, "202");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(u->ndevices, 0);
	/* the device list follows the input order as a whole */
	for(i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		CU_ASSERT(str_is(&rs_dir_device_at(d, (int)i)->username, order[i][0]));
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_devices_before_user(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("300");
	rs_device_row_t d0 = mk_dev("300-a", "300", "static", "");
	rs_device_row_t d1 = mk_dev("hotdesk-300", "300", "hotdesk_account", "");
	const rs_user_t *u;
	rs_dir_t *d;
	rejlog_t rl = {0};

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d0), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d1), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rl.n, 0);
	u = user(d, "300");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->ndevices, 2);
	CU_ASSERT_PTR_EQUAL(u->devices[0], device(d, "300-a"));
	CU_ASSERT_PTR_EQUAL(u->devices[1], device(d, "hotdesk-300"));
	CU_ASSERT_PTR_EQUAL(device(d, "300-a")->owner, u);
	CU_ASSERT_PTR_EQUAL(device(d, "hotdesk-300")->owner, u);
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_unknown_owner(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_device_row_t d0 = mk_dev("999-a", "999", "static", "");
	rs_device_row_t d1 = mk_dev("100-a", "100", "static", "");
	rs_dir_t *d;
	rejlog_t rl = {0};

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	/* accepted now: its owner may come later */
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d0), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d1), RS_OK);
	CU_ASSERT_EQUAL(rl.n, 0);
	CU_ASSERT_EQUAL(rs_dir_builder_ndevices(b), 2);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rl.n, 1);
	CU_ASSERT_STRING_EQUAL(rl.table, "rs_device");
	CU_ASSERT_STRING_EQUAL(rl.key, "999-a");
	CU_ASSERT_STRING_EQUAL(rl.reason, "owner extension 999 unknown");
	CU_ASSERT_EQUAL(rs_dir_ndevices(d), 1);
	CU_ASSERT_PTR_NULL(device(d, "999-a"));
	CU_ASSERT_PTR_EQUAL(rs_dir_device_at(d, 0), device(d, "100-a"));
	CU_ASSERT_PTR_NULL(rs_dir_device_at(d, 1));
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_duplicates(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t u0 = mk_user("100"), u1 = mk_user("100");
	rs_device_row_t d0 = mk_dev("100-a", "100", "static", "001122334455");
	rs_device_row_t d1 = mk_dev("100-a", NULL, "hotdesk_terminal", "");
	rs_device_row_t d2 = mk_dev("hotdesk-100", "100", "hotdesk_account", "");
	rs_dir_t *d;
	rejlog_t rl = {0};
	uint64_t h;

	u1.display_name = ut_s("Second");
	d1.username = ut_s("hotdesk-x");
	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u0), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d0), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d1), RS_OK);
	h = rs_dir_builder_digest(b);

	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u1), RS_E_DUP);
	CU_ASSERT_EQUAL(rl.n, 1);
	CU_ASSERT_STRING_EQUAL(rl.table, "rs_user");
	CU_ASSERT_STRING_EQUAL(rl.key, "100");
	CU_ASSERT_STRING_EQUAL(rl.reason, "duplicate extension (first row kept)");

	d2.username = ut_s("100-a"); /* same username, other kind */
	d2.kind = ut_s("static");
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d2), RS_E_DUP);
	CU_ASSERT_EQUAL(rl.n, 2);
	CU_ASSERT_STRING_EQUAL(rl.table, "rs_device");
	CU_ASSERT_STRING_EQUAL(rl.key, "100-a");
	CU_ASSERT_STRING_EQUAL(rl.reason, "duplicate username (first row kept)");
	d1.username = ut_s("hotdesk-x");
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &d1), RS_E_DUP);
	CU_ASSERT_EQUAL(rl.n, 3);

	/* rejected rows change nothing */
	CU_ASSERT_EQUAL(rs_dir_builder_digest(b), h);
	CU_ASSERT_EQUAL(rs_dir_builder_nusers(b), 1);
	CU_ASSERT_EQUAL(rs_dir_builder_ndevices(b), 2);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rs_dir_nusers(d), 1);
	CU_ASSERT(str_is(&user(d, "100")->display_name, "Alice Smith"));
	CU_ASSERT(str_is(&device(d, "100-a")->mac, "001122334455"));
	CU_ASSERT_EQUAL(user(d, "100")->ndevices, 1);
	rs_dir_free(d, &rs_alloc_libc);
}

/* ---- validation ---- */

enum
{
	F_EXT,
	F_DOMAIN,
	F_DISPLAY,
	F_CLI,
	F_PIN,
	F_MOBILE,
	F_VOICEMAIL,
	F_FWD,
	F_HOTDESK,
	F_F2M,
	F_RING,
	F_MAXCALLS,
	F_ANCHOR,
	F_INCALL,
	F_PRIVATE
};

/* one field of a user row replaced by a string or an int */
typedef struct user_case
{
	const char *what;
	int field;
	rs_str_t sval;
	int ival;
	rs_err_t want;
	const char *reason; /* exact; NULL for accepted rows */
} user_case_t;

static void user_case_apply(rs_user_row_t *r, const user_case_t *c)
{
	switch(c->field) {
		case F_EXT:
			r->extension = c->sval;
			break;
		case F_DOMAIN:
			r->domain = c->sval;
			break;
		case F_DISPLAY:
			r->display_name = c->sval;
			break;
		case F_CLI:
			r->external_cli = c->sval;
			break;
		case F_PIN:
			r->pin_hash = c->sval;
			break;
		case F_MOBILE:
			r->mobile = c->sval;
			break;
		case F_VOICEMAIL:
			r->voicemail = c->ival;
			break;
		case F_FWD:
			r->forward_external = c->ival;
			break;
		case F_HOTDESK:
			r->hotdesk = c->ival;
			break;
		case F_F2M:
			r->fork2mobile = c->ival;
			break;
		case F_RING:
			r->ring_seconds = c->ival;
			break;
		case F_MAXCALLS:
			r->max_calls = c->ival;
			break;
		case F_ANCHOR:
			r->anchor_media = c->ival;
			break;
		case F_INCALL:
			r->incall_services = c->ival;
			break;
		case F_PRIVATE:
			r->blf_private = c->ival;
			break;
	}
}

#define EXT_LEN "extension must be 1..32 chars"
#define EXT_CHR                               \
	"extension contains an invalid character" \
	" (allowed: 0-9 A-Z a-z * # + . _ -)"

static const user_case_t user_cases[] = {
		/* extension */
		{"empty extension", F_EXT, UT_L(""), 0, RS_E_BADROW, EXT_LEN},
		{"NULL extension", F_EXT, {NULL, 0}, 0, RS_E_BADROW, EXT_LEN},
		{"33 char extension", F_EXT, UT_L(X33), 0, RS_E_BADROW, EXT_LEN},
		{"space in extension", F_EXT, UT_L("10 0"), 0, RS_E_BADROW, EXT_CHR},
		{"@ in extension", F_EXT, UT_L("100@x"), 0, RS_E_BADROW, EXT_CHR},
		{"; in extension", F_EXT, UT_L("100;"), 0, RS_E_BADROW, EXT_CHR},
		{"non-ascii extension", F_EXT, UT_L("10\xc3\xa9"), 0, RS_E_BADROW,
				EXT_CHR},
		{"NUL in extension", F_EXT, UT_L("10\0000"), 0, RS_E_BADROW,
				"extension contains a NUL byte"},
		{"256 char extension", F_EXT, UT_L(X256), 0, RS_E_BADROW,
				"extension longer than 255 chars"},
		/* generic string rules on every other field */
		{"NUL in domain", F_DOMAIN, UT_L("pbx\0.example.com"), 0, RS_E_BADROW,
				"domain contains a NUL byte"},
		{"256 char domain", F_DOMAIN, UT_L(X256), 0, RS_E_BADROW,
				"domain longer than 255 chars"},
		{"NUL in display_name", F_DISPLAY, UT_L("Al\0ce"), 0, RS_E_BADROW,
				"display_name contains a NUL byte"},
		{"256 char display_name", F_DISPLAY, UT_L(X256), 0, RS_E_BADROW,
				"display_name longer than 255 chars"},
		{"negative length", F_DISPLAY, {"abc", -1}, 0, RS_E_BADROW,
				"display_name has a negative length"},
		{"NULL with a length", F_DISPLAY, {NULL, 3}, 0, RS_E_BADROW,
				"display_name is NULL but has a length"},
		{"NUL in external_cli", F_CLI, UT_L("+49\0"), 0, RS_E_BADROW,
				"external_cli contains a NUL byte"},
		{"256 char external_cli", F_CLI, UT_L(X256), 0, RS_E_BADROW,
				"external_cli longer than 255 chars"},
		{"NUL in pin_hash", F_PIN, UT_L("\0"), 0, RS_E_BADROW,
				"pin_hash contains a NUL byte"},
		{"256 char pin_hash", F_PIN, UT_L(X256), 0, RS_E_BADROW,
				"pin_hash longer than 255 chars"},
		{"NUL in mobile", F_MOBILE, UT_L("+49\000170"), 0, RS_E_BADROW,
				"mobile contains a NUL byte"},
		{"256 char mobile", F_MOBILE, UT_L(X256), 0, RS_E_BADROW,
				"mobile longer than 255 chars"},
		/* header injection: control characters anywhere, quotes in the
		 * display name, URI syntax in the CLI */
		{"CRLF in display_name", F_DISPLAY, UT_L("Eve\r\nX-Evil: 1"), 0,
				RS_E_BADROW,
				"display_name contains a control character (CR, LF, TAB, ...)"},
		{"LF in external_cli", F_CLI, UT_L("4940\n"), 0, RS_E_BADROW,
				"external_cli contains a control character (CR, LF, TAB, ...)"},
		{"TAB in mobile", F_MOBILE, UT_L("0170\t1"), 0, RS_E_BADROW,
				"mobile contains a control character (CR, LF, TAB, ...)"},
		{"DEL in domain", F_DOMAIN, UT_L("pbx\x7f"), 0, RS_E_BADROW,
				"domain contains a control character (CR, LF, TAB, ...)"},
		{"quote in display_name", F_DISPLAY, UT_L("Eve\" <sip:x@y>"), 0,
				RS_E_BADROW, "display_name may not contain \" or \\"},
		{"backslash in display_name", F_DISPLAY, UT_L("Eve\\"), 0, RS_E_BADROW,
				"display_name may not contain \" or \\"},
		{"> in external_cli", F_CLI, UT_L("4940>;x=1"), 0, RS_E_BADROW,
				"external_cli contains an invalid character (allowed: 0-9 A-Z "
				"a-z * # + . _ -)"},
		{"UTF-8 display_name", F_DISPLAY, UT_L("J\xc3\xbcrgen M\xc3\xbcller"),
				0, RS_OK, NULL},
		{"+ in external_cli", F_CLI, UT_L("+494011"), 0, RS_OK, NULL},
		/* booleans */
		{"voicemail 2", F_VOICEMAIL, {NULL, 0}, 2, RS_E_BADROW,
				"voicemail must be 0, 1 or NULL"},
		{"voicemail -2", F_VOICEMAIL, {NULL, 0}, -2, RS_E_BADROW,
				"voicemail must be 0, 1 or NULL"},
		{"forward_external 2", F_FWD, {NULL, 0}, 2, RS_E_BADROW,
				"forward_external must be 0, 1 or NULL"},
		{"hotdesk 5", F_HOTDESK, {NULL, 0}, 5, RS_E_BADROW,
				"hotdesk must be 0 or 1"},
		{"fork2mobile -3", F_F2M, {NULL, 0}, -3, RS_E_BADROW,
				"fork2mobile must be 0 or 1"},
		/* numbers */
		{"ring_seconds 0", F_RING, {NULL, 0}, 0, RS_E_BADROW,
				"ring_seconds must be 1..600"},
		{"ring_seconds -5", F_RING, {NULL, 0}, -5, RS_E_BADROW,
				"ring_seconds must be 1..600"},
		{"ring_seconds 601", F_RING, {NULL, 0}, 601, RS_E_BADROW,
				"ring_seconds must be 1..600"},
		{"max_calls -1", F_MAXCALLS, {NULL, 0}, -1, RS_E_BADROW,
				"max_calls must be >= 0"},
		{"anchor_media 2", F_ANCHOR, {NULL, 0}, 2, RS_E_BADROW,
				"anchor_media must be 0 or 1"},
		{"anchor_media -1", F_ANCHOR, {NULL, 0}, -1, RS_E_BADROW,
				"anchor_media must be 0 or 1"},
		/* accepted edge values */
		{"32 char extension", F_EXT, UT_L(X32), 0, RS_OK, NULL},
		{"1 char extension", F_EXT, UT_L("7"), 0, RS_OK, NULL},
		{"extension punctuation", F_EXT, UT_L("*#+._-aZ9"), 0, RS_OK, NULL},
		{"255 char display_name", F_DISPLAY, UT_L(X255), 0, RS_OK, NULL},
		{"empty display_name", F_DISPLAY, UT_L(""), 0, RS_OK, NULL},
		{"NULL mobile", F_MOBILE, {NULL, 0}, 0, RS_OK, NULL},
		{"ring_seconds 1", F_RING, {NULL, 0}, 1, RS_OK, NULL},
		{"ring_seconds 600", F_RING, {NULL, 0}, 600, RS_OK, NULL},
		{"max_calls 0", F_MAXCALLS, {NULL, 0}, 0, RS_OK, NULL},
		{"anchor_media 1", F_ANCHOR, {NULL, 0}, 1, RS_OK, NULL},
		{"incall_services 2", F_INCALL, {NULL, 0}, 2, RS_E_BADROW,
				"incall_services must be 0 or 1"},
		{"incall_services 1", F_INCALL, {NULL, 0}, 1, RS_OK, NULL},
		{"blf_private 1", F_PRIVATE, {NULL, 0}, 1, RS_OK, NULL},
		{"blf_private 2", F_PRIVATE, {NULL, 0}, 2, RS_E_BADROW,
				"blf_private must be 0 or 1"},
		{"max_calls 1000", F_MAXCALLS, {NULL, 0}, 1000, RS_OK, NULL},
		{"voicemail 0", F_VOICEMAIL, {NULL, 0}, 0, RS_OK, NULL},
};

static void test_user_validation(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t r, seed = mk_user("1");
	rejlog_t rl;
	rs_err_t rc;
	uint64_t h;
	size_t i;
	int n;

	for(i = 0; i < sizeof(user_cases) / sizeof(user_cases[0]); i++) {
		const user_case_t *c = &user_cases[i];

		memset(&rl, 0, sizeof(rl));
		b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &seed), RS_OK);
		h = rs_dir_builder_digest(b);
		r = mk_user("100");
		user_case_apply(&r, c);
		rc = rs_dir_builder_add_user(b, &r);
		n = rs_dir_builder_nusers(b);
		if(rc != c->want)
			printf("\n  case \"%s\": got %d, want %d\n", c->what, rc, c->want);
		CU_ASSERT_EQUAL(rc, c->want);
		if(c->want == RS_OK) {
			CU_ASSERT_EQUAL(rl.n, 0);
			CU_ASSERT_EQUAL(n, 2);
			CU_ASSERT_NOT_EQUAL(rs_dir_builder_digest(b), h);
		} else {
			CU_ASSERT_EQUAL(rl.n, 1);
			CU_ASSERT_STRING_EQUAL(rl.table, "rs_user");
			if(strcmp(rl.reason, c->reason) != 0)
				printf("\n  case \"%s\": reason \"%s\", want \"%s\"\n", c->what,
						rl.reason, c->reason);
			CU_ASSERT_STRING_EQUAL(rl.reason, c->reason);
			CU_ASSERT_EQUAL(n, 1);
			CU_ASSERT_EQUAL(rs_dir_builder_digest(b), h);
		}
		rs_dir_builder_free(b);
	}
}

/* a device row, checked against a builder that holds user 100 and 100-a */
typedef struct dev_case
{
	const char *what;
	rs_device_row_t row; /* username, domain, extension, kind, mac */
	rs_err_t want;
	const char *reason; /* exact; NULL for accepted rows */
} dev_case_t;

#define USER_CTL "username contains a control character (CR, LF, TAB, ...)"
#define USER_CHR                                                \
	"username must not contain whitespace, control characters," \
	" '@', ':' or ';'"
#define KIND_BAD "kind must be static, hotdesk_terminal or hotdesk_account"
#define MAC_BAD "mac must be empty or 12 hex digits"
#define TERM_NAME "hotdesk_terminal username must be \"hotdesk-<name>\""
#define ACC_NAME "hotdesk_account username must be \"hotdesk-100\""
#define S UT_L
#define BAD RS_E_BADROW

static const dev_case_t dev_cases[] = {
		/* username */
		{"empty username", {S(""), S(DOM), S("100"), S("static"), S("")}, BAD,
				"username must be 1..64 chars"},
		{"65 char username", {S(X65), S(DOM), S("100"), S("static"), S("")},
				BAD, "username must be 1..64 chars"},
		{"256 char username", {S(X256), S(DOM), S("100"), S("static"), S("")},
				BAD, "username longer than 255 chars"},
		{"NUL in username", {S("100\0b"), S(DOM), S("100"), S("static"), S("")},
				BAD, "username contains a NUL byte"},
		{"space in username",
				{S("100 b"), S(DOM), S("100"), S("static"), S("")}, BAD,
				USER_CHR},
		{"tab in username", {S("100\tb"), S(DOM), S("100"), S("static"), S("")},
				BAD, USER_CTL},
		{"newline in username",
				{S("100b\n"), S(DOM), S("100"), S("static"), S("")}, BAD,
				USER_CTL},
		{"@ in username", {S("100@pbx"), S(DOM), S("100"), S("static"), S("")},
				BAD, USER_CHR},
		{": in username", {S("sip:100"), S(DOM), S("100"), S("static"), S("")},
				BAD, USER_CHR},
		{"; in username", {S("100;x=1"), S(DOM), S("100"), S("static"), S("")},
				BAD, USER_CHR},
		{"control char in username",
				{S("100\x01"), S(DOM), S("100"), S("static"), S("")}, BAD,
				USER_CTL},
		{"duplicate username",
				{S("100-a"), S(DOM), S("100"), S("static"), S("")}, RS_E_DUP,
				"duplicate username (first row kept)"},
		/* other strings */
		{"NUL in domain",
				{S("100-b"), S("pbx\0x"), S("100"), S("static"), S("")}, BAD,
				"domain contains a NUL byte"},
		{"256 char domain", {S("100-b"), S(X256), S("100"), S("static"), S("")},
				BAD, "domain longer than 255 chars"},
		{"NUL in extension",
				{S("100-b"), S(DOM), S("100\0"), S("static"), S("")}, BAD,
				"extension contains a NUL byte"},
		{"bad owner extension",
				{S("100-b"), S(DOM), S("1 0"), S("static"), S("")}, BAD,
				EXT_CHR},
		{"33 char owner extension",
				{S("100-b"), S(DOM), S(X33), S("static"), S("")}, BAD, EXT_LEN},
		/* kind */
		{"empty kind", {S("100-b"), S(DOM), S("100"), S(""), S("")}, BAD,
				KIND_BAD},
		{"upper case kind", {S("100-b"), S(DOM), S("100"), S("Static"), S("")},
				BAD, KIND_BAD},
		{"kind with blank", {S("100-b"), S(DOM), S("100"), S("static "), S("")},
				BAD, KIND_BAD},
		{"kind prefix", {S("100-b"), S(DOM), S("100"), S("hotdesk"), S("")},
				BAD, KIND_BAD},
		{"NUL in kind", {S("100-b"), S(DOM), S("100"), S("static\0"), S("")},
				BAD, "kind contains a NUL byte"},
		{"static without owner",
				{S("100-b"), S(DOM), S(""), S("static"), S("")}, BAD,
				"static device needs an owner extension"},
		{"account without owner",
				{S("hotdesk-100"), S(DOM), S(""), S("hotdesk_account"), S("")},
				BAD, "hotdesk_account device needs an owner extension"},
		{"terminal with owner",
				{S("hotdesk-t1"), S(DOM), S("100"), S("hotdesk_terminal"),
						S("")},
				BAD, "hotdesk_terminal device must have no extension"},
		{"terminal without prefix",
				{S("lobby"), S(DOM), S(""), S("hotdesk_terminal"), S("")}, BAD,
				TERM_NAME},
		{"terminal with bare prefix",
				{S("hotdesk-"), S(DOM), S(""), S("hotdesk_terminal"), S("")},
				BAD, TERM_NAME},
		{"terminal with upper case prefix",
				{S("HOTDESK-t1"), S(DOM), S(""), S("hotdesk_terminal"), S("")},
				BAD, TERM_NAME},
		{"account of another extension",
				{S("hotdesk-101"), S(DOM), S("100"), S("hotdesk_account"),
						S("")},
				BAD, ACC_NAME},
		{"account without prefix",
				{S("100"), S(DOM), S("100"), S("hotdesk_account"), S("")}, BAD,
				ACC_NAME},
		{"account with suffix",
				{S("hotdesk-1000"), S(DOM), S("100"), S("hotdesk_account"),
						S("")},
				BAD, ACC_NAME},
		{"account with short name",
				{S("hotdesk-10"), S(DOM), S("100"), S("hotdesk_account"),
						S("")},
				BAD, ACC_NAME},
		/* mac */
		{"11 digit mac",
				{S("100-b"), S(DOM), S("100"), S("static"), S("00a0b1c2d3e")},
				BAD, MAC_BAD},
		{"13 digit mac",
				{S("100-b"), S(DOM), S("100"), S("static"), S("00a0b1c2d3e4f")},
				BAD, MAC_BAD},
		{"non-hex mac",
				{S("100-b"), S(DOM), S("100"), S("static"), S("00a0b1c2d3eg")},
				BAD, MAC_BAD},
		{"mac with colons",
				{S("100-b"), S(DOM), S("100"), S("static"),
						S("00:a0:b1:c2:d3:e4")},
				BAD, MAC_BAD},
		{"NUL in mac",
				{S("100-b"), S(DOM), S("100"), S("static"),
						S("00a0b1c2d3\0004")},
				BAD, "mac contains a NUL byte"},
		/* accepted edge rows */
		{"64 char username", {S(X64), S(DOM), S("100"), S("static"), S("")},
				RS_OK, NULL},
		{"username punctuation",
				{S("100.b_c-d+e"), S(DOM), S("100"), S("static"), S("")}, RS_OK,
				NULL},
		{"empty domain", {S("100-b"), S(""), S("100"), S("static"), S("")},
				RS_OK, NULL},
		{"upper case mac",
				{S("100-b"), S(DOM), S("100"), S("static"), S("00A0B1C2D3E4")},
				RS_OK, NULL},
		{"terminal",
				{S("hotdesk-t1"), S(DOM), S(""), S("hotdesk_terminal"), S("")},
				RS_OK, NULL},
		{"account",
				{S("hotdesk-100"), S(DOM), S("100"), S("hotdesk_account"),
						S("aabbccddeeff")},
				RS_OK, NULL},
		{"unknown owner accepted for now",
				{S("555-a"), S(DOM), S("555"), S("static"), S("")}, RS_OK,
				NULL},
};

#undef S
#undef BAD

static void test_device_validation(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_device_row_t seed = mk_dev("100-a", "100", "static", "");
	char key[300];
	rejlog_t rl;
	rs_err_t rc;
	uint64_t h;
	size_t i;
	int n;

	for(i = 0; i < sizeof(dev_cases) / sizeof(dev_cases[0]); i++) {
		const dev_case_t *c = &dev_cases[i];

		memset(&rl, 0, sizeof(rl));
		b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
		CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &seed), RS_OK);
		h = rs_dir_builder_digest(b);
		rc = rs_dir_builder_add_device(b, &c->row);
		n = rs_dir_builder_ndevices(b);
		if(rc != c->want)
			printf("\n  case \"%s\": got %d, want %d\n", c->what, rc, c->want);
		CU_ASSERT_EQUAL(rc, c->want);
		if(c->want == RS_OK) {
			CU_ASSERT_EQUAL(rl.n, 0);
			CU_ASSERT_EQUAL(n, 2);
			CU_ASSERT_NOT_EQUAL(rs_dir_builder_digest(b), h);
		} else {
			CU_ASSERT_EQUAL(rl.n, 1);
			CU_ASSERT_STRING_EQUAL(rl.table, "rs_device");
			snprintf(key, sizeof(key), "%.*s", c->row.username.len,
					c->row.username.s);
			CU_ASSERT_STRING_EQUAL(rl.key, key);
			if(strcmp(rl.reason, c->reason) != 0)
				printf("\n  case \"%s\": reason \"%s\", want \"%s\"\n", c->what,
						rl.reason, c->reason);
			CU_ASSERT_STRING_EQUAL(rl.reason, c->reason);
			CU_ASSERT_EQUAL(n, 1);
			CU_ASSERT_EQUAL(rs_dir_builder_digest(b), h);
		}
		rs_dir_builder_free(b);
	}
}

static void test_hotdesk(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_device_row_t term = mk_dev("hotdesk-lobby", "", "hotdesk_terminal", "");
	rs_device_row_t acc = mk_dev("hotdesk-100", "100", "hotdesk_account", "");
	rs_device_row_t desk = mk_dev("100-desk", "100", "static", "");
	const rs_device_t *dv;
	const rs_user_t *u;
	rs_dir_t *d;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &term), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &acc), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &desk), RS_OK);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);

	dv = device(d, "hotdesk-lobby");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dv);
	CU_ASSERT_EQUAL(dv->kind, RS_DEV_HOTDESK_TERMINAL);
	CU_ASSERT_PTR_NULL(dv->owner);
	dv = device(d, "hotdesk-100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(dv);
	CU_ASSERT_EQUAL(dv->kind, RS_DEV_HOTDESK_ACCOUNT);
	u = user(d, "100");
	CU_ASSERT_PTR_EQUAL(dv->owner, u);
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	/* the account is one of the owner's devices, terminals are nobody's */
	CU_ASSERT_EQUAL_FATAL(u->ndevices, 2);
	CU_ASSERT_PTR_EQUAL(u->devices[0], dv);
	CU_ASSERT_PTR_EQUAL(u->devices[1], device(d, "100-desk"));
	CU_ASSERT_EQUAL(device(d, "100-desk")->kind, RS_DEV_STATIC);
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_kind_names(void)
{
	static const struct
	{
		const char *s;
		rs_err_t rc;
		rs_dev_kind_t k;
	} tab[] = {
			{"static", RS_OK, RS_DEV_STATIC},
			{"hotdesk_terminal", RS_OK, RS_DEV_HOTDESK_TERMINAL},
			{"hotdesk_account", RS_OK, RS_DEV_HOTDESK_ACCOUNT},
			{"", RS_E_INVAL, RS_DEV_STATIC},
			{"STATIC", RS_E_INVAL, RS_DEV_STATIC},
			{"stat", RS_E_INVAL, RS_DEV_STATIC},
			{"statics", RS_E_INVAL, RS_DEV_STATIC},
			{"hotdesk_", RS_E_INVAL, RS_DEV_STATIC},
	};
	rs_dev_kind_t k;
	size_t i;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		k = (rs_dev_kind_t)77;
		CU_ASSERT_EQUAL(rs_dev_kind_parse(tab[i].s, (int)strlen(tab[i].s), &k),
				tab[i].rc);
		if(tab[i].rc == RS_OK) {
			CU_ASSERT_EQUAL(k, tab[i].k);
			CU_ASSERT_STRING_EQUAL(rs_dev_kind_name(k), tab[i].s);
		} else {
			CU_ASSERT_EQUAL(k, (rs_dev_kind_t)77);
		}
	}
	/* length bounds the comparison */
	CU_ASSERT_EQUAL(rs_dev_kind_parse("staticX", 6, &k), RS_OK);
	CU_ASSERT_EQUAL(k, RS_DEV_STATIC);
	CU_ASSERT_EQUAL(rs_dev_kind_parse(NULL, 6, &k), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dev_kind_parse("static", 6, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dev_kind_parse("static", -1, &k), RS_E_INVAL);
	CU_ASSERT_STRING_EQUAL(rs_dev_kind_name((rs_dev_kind_t)3), "unknown");
	CU_ASSERT_STRING_EQUAL(rs_dev_kind_name((rs_dev_kind_t)-1), "unknown");
}

static void test_empty_fields_and_mac(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur;
	rs_device_row_t dr = mk_dev("100-a", "100", "static", "A0B1C2D3E4F5");
	const rs_user_t *u;
	rs_dir_t *d;

	memset(&ur, 0, sizeof(ur));
	ur.extension = ut_s("100");
	ur.ring_seconds = 1;
	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
	dr = mk_dev("100-b", "100", "static", NULL);
	dr.domain = ut_s(NULL);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	u = user(d, "100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	/* empty fields are "" inside the block, never NULL */
	CU_ASSERT(str_is(&u->domain, ""));
	CU_ASSERT(str_is(&u->display_name, ""));
	CU_ASSERT(str_is(&u->external_cli, ""));
	CU_ASSERT(str_is(&u->pin_hash, ""));
	CU_ASSERT(str_is(&u->mobile, ""));
	CU_ASSERT(str_is(&device(d, "100-a")->mac, "a0b1c2d3e4f5"));
	CU_ASSERT(str_is(&device(d, "100-b")->mac, ""));
	CU_ASSERT(str_is(&device(d, "100-b")->domain, ""));
	rs_dir_free(d, &rs_alloc_libc);
}

/* ---- digest ---- */

typedef struct dset
{
	rs_user_row_t u[2];
	rs_device_row_t d[3];
	rs_followme_row_t f[2];
} dset_t;

static void dset_base(dset_t *s)
{
	s->u[0] = mk_user("100");
	s->u[1] = mk_user("101");
	s->u[1].display_name = ut_s("Bob");
	s->d[0] = mk_dev("100-desk", "100", "static", "00a0b1c2d3e4");
	s->d[1] = mk_dev("hotdesk-101", "101", "hotdesk_account", "");
	s->d[2] = mk_dev("hotdesk-lobby", NULL, "hotdesk_terminal", "");
	s->f[0] = mk_fm("100", 1, "101", "serial", 15, 1);
	s->f[1] = mk_fm("101", 2, "+4930999", "parallel", 30, 0);
}

/* change one thing (mutation m); 0 when there is no mutation m */
static int dset_mutate(dset_t *s, int m)
{
	rs_user_row_t ut;
	rs_device_row_t dt;
	rs_followme_row_t ft;

	switch(m) {
		case 0:
			s->u[0].extension = ut_s("102");
			break;
		case 1:
			s->u[0].domain = ut_s("other.example.com");
			break;
		case 2:
			s->u[0].display_name = ut_s("Alice Smyth");
			break;
		case 3:
			s->u[0].external_cli = ut_s("+4930124");
			break;
		case 4:
			s->u[0].pin_hash = ut_s("$6$salt$hasH");
			break;
		case 5:
			s->u[0].mobile = ut_s("");
			break;
		case 6:
			s->u[0].voicemail = 0;
			break;
		case 7:
			s->u[0].forward_external = 1;
			break;
		case 8:
			s->u[0].hotdesk = 0;
			break;
		case 9:
			s->u[0].fork2mobile = 1;
			break;
		case 10:
			s->u[0].ring_seconds = 21;
			break;
		case 11:
			s->u[0].max_calls = 3;
			break;
		case 12:
			s->d[0].username = ut_s("100-desk2");
			break;
		case 13:
			s->d[0].domain = ut_s("other.example.com");
			break;
		case 14:
			s->d[0].extension = ut_s("101");
			break;
		case 15:
			s->d[1].kind = ut_s("static");
			break;
		case 16:
			s->d[0].mac = ut_s("00a0b1c2d3e5");
			break;
		case 17:
			s->d[0].mac = ut_s("");
			break;
		case 18:
			s->u[1].display_name = ut_s("");
			break;
		case 19: /* same bytes, other field boundary */
			s->u[0].display_name = ut_s("Alice Smith+4930");
			s->u[0].external_cli = ut_s("123");
			break;
		case 20:
			ut = s->u[0];
			s->u[0] = s->u[1];
			s->u[1] = ut;
			break;
		case 21:
			dt = s->d[0];
			s->d[0] = s->d[2];
			s->d[2] = dt;
			break;
		case 22:
			s->u[1].domain = ut_s("");
			break;
		case 23:
			s->d[2].username = ut_s("hotdesk-lobby2");
			break;
		case 24:
			s->u[1].ring_seconds = 600;
			break;
		case 25:
			s->f[0].extension = ut_s("101");
			break;
		case 26:
			s->f[0].position = 3;
			break;
		case 27:
			s->f[0].target = ut_s("102");
			break;
		case 28:
			s->f[0].mode = ut_s("parallel");
			break;
		case 29:
			s->f[0].ring_seconds = 16;
			break;
		case 30:
			s->f[0].enabled = 0;
			break;
		case 31:
			ft = s->f[0];
			s->f[0] = s->f[1];
			s->f[1] = ft;
			break;
		case 32:
			s->f[1].target = ut_s("+4930998");
			break;
		case 33: /* a row with an unknown owner still counts */
			s->f[1].extension = ut_s("999");
			break;
		default:
			return 0;
	}
	return 1;
}

/* digest of a data set; also checks that the frozen copy agrees */
static uint64_t dset_digest(const dset_t *s, int users_first)
{
	rs_dir_builder_t *b;
	rs_dir_t *d;
	uint64_t h;
	int i;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	if(users_first)
		for(i = 0; i < 2; i++)
			CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &s->u[i]), RS_OK);
	for(i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &s->d[i]), RS_OK);
	if(!users_first)
		for(i = 0; i < 2; i++)
			CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &s->u[i]), RS_OK);
	for(i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &s->f[i]), RS_OK);
	h = rs_dir_builder_digest(b);
	d = freeze_ok(b);
	CU_ASSERT_EQUAL(rs_dir_digest(d), h);
	rs_dir_free(d, &rs_alloc_libc);
	rs_dir_builder_free(b);
	return h;
}

static void test_digest_equal(void)
{
	char buf[] = "Alice Smith";
	dset_t a, b;
	rs_dir_builder_t *e1, *e2;
	uint64_t h;

	dset_base(&a);
	dset_base(&b);
	h = dset_digest(&a, 1);
	CU_ASSERT_EQUAL(dset_digest(&b, 1), h);
	/* equal content from other buffers */
	b.u[0].display_name = ut_s(buf);
	CU_ASSERT_EQUAL(dset_digest(&b, 1), h);
	/* the mac is hashed after normalisation */
	b.d[0].mac = ut_s("00A0B1C2D3E4");
	CU_ASSERT_EQUAL(dset_digest(&b, 1), h);
	/* empty and NULL strings are the same thing */
	a.d[2].extension = ut_s("");
	CU_ASSERT_EQUAL(dset_digest(&a, 1), h);
	/* order of the whole input matters */
	CU_ASSERT_NOT_EQUAL(dset_digest(&a, 0), h);
	/* empty builders agree */
	e1 = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	e2 = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e2);
	CU_ASSERT_EQUAL(rs_dir_builder_digest(e1), rs_dir_builder_digest(e2));
	CU_ASSERT_NOT_EQUAL(rs_dir_builder_digest(e1), h);
	rs_dir_builder_free(e1);
	rs_dir_builder_free(e2);
}

static void test_digest_changes(void)
{
	uint64_t h[48];
	dset_t s;
	int m, i, n;

	dset_base(&s);
	h[0] = dset_digest(&s, 1);
	for(m = 0, n = 1; n < 48; m++) {
		dset_base(&s);
		if(!dset_mutate(&s, m))
			break;
		h[n] = dset_digest(&s, 1);
		for(i = 0; i < n; i++) {
			if(h[i] == h[n])
				printf("\n  mutation %d collides with %d\n", m, i - 1);
			CU_ASSERT_NOT_EQUAL(h[i], h[n]);
		}
		n++;
	}
	CU_ASSERT_EQUAL(m, 34);
}

/* ---- memory ---- */

static void test_one_allocation(void)
{
	ut_alloc_t bst, ost;
	rs_alloc_t ba, oa;
	rs_dir_builder_t *b;
	rs_user_row_t ur;
	rs_device_row_t dr;
	rs_followme_row_t fr;
	const rs_user_t *u;
	const rs_device_t *dv;
	rs_dir_t *d = NULL;
	char ext[16], name[32];
	int i, k, nfm = 0;

	ut_alloc_init(&bst, &ba, -1);
	ut_alloc_init(&ost, &oa, -1);
	b = rs_dir_builder_new(&ba, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for(i = 0; i < 100; i++) {
		snprintf(ext, sizeof(ext), "%d", 100 + i);
		ur = mk_user(ext);
		CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
		snprintf(name, sizeof(name), "%s-a", ext);
		dr = mk_dev(name, ext, "static", "001122aabbcc");
		CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
		snprintf(name, sizeof(name), "hotdesk-%s", ext);
		dr = mk_dev(name, ext, "hotdesk_account", NULL);
		CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
		for(k = 0; k < i % 4; k++) {
			snprintf(name, sizeof(name), "+4930%d", i * 10 + k);
			fr = mk_fm(ext, 9 - k, name, "serial", 10 + k, k % 2);
			CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &fr), RS_OK);
			nfm++;
		}
	}
	dr = mk_dev("hotdesk-t1", NULL, "hotdesk_terminal", NULL);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &oa, &d), RS_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(ost.nalloc, 1);
	CU_ASSERT_EQUAL(ost.nfree, 0);
	CU_ASSERT_EQUAL(ost.last_size, rs_dir_size(d));
	/* the directory does not depend on the builder */
	rs_dir_builder_free(b);
	CU_ASSERT_EQUAL(ut_alloc_live(&bst), 0);

	/* everything reachable lies inside the block */
	for(i = 0; i < rs_dir_nusers(d); i++) {
		u = rs_dir_user_at(d, i);
		CU_ASSERT(in_block(d, u, sizeof(*u)));
		CU_ASSERT(in_block(d, u->extension.s, u->extension.len + 1));
		CU_ASSERT(in_block(d, u->domain.s, u->domain.len + 1));
		CU_ASSERT(in_block(d, u->display_name.s, u->display_name.len + 1));
		CU_ASSERT(in_block(d, u->external_cli.s, u->external_cli.len + 1));
		CU_ASSERT(in_block(d, u->pin_hash.s, u->pin_hash.len + 1));
		CU_ASSERT(in_block(d, u->mobile.s, u->mobile.len + 1));
		CU_ASSERT_EQUAL(u->ndevices, 2);
		CU_ASSERT(in_block(d, u->devices, 2 * sizeof(u->devices[0])));
		for(k = 0; k < u->ndevices; k++)
			CU_ASSERT(in_block(d, u->devices[k], sizeof(rs_device_t)));
		CU_ASSERT_EQUAL(u->nfollowme, i % 4);
		if(u->nfollowme == 0)
			CU_ASSERT_PTR_NULL(u->followme);
		if(u->nfollowme > 0)
			CU_ASSERT(in_block(d, u->followme,
					(size_t)u->nfollowme * sizeof(u->followme[0])));
		for(k = 0; k < u->nfollowme; k++) {
			CU_ASSERT(in_block(
					d, u->followme[k].target.s, u->followme[k].target.len + 1));
			CU_ASSERT_EQUAL(u->followme[k].position, 9 - (i % 4) + 1 + k);
		}
	}
	CU_ASSERT_EQUAL(rs_dir_nfollowme(d), nfm);
	for(i = 0; i < rs_dir_ndevices(d); i++) {
		dv = rs_dir_device_at(d, i);
		CU_ASSERT(in_block(d, dv, sizeof(*dv)));
		CU_ASSERT(in_block(d, dv->username.s, dv->username.len + 1));
		CU_ASSERT(in_block(d, dv->domain.s, dv->domain.len + 1));
		CU_ASSERT(in_block(d, dv->mac.s, dv->mac.len + 1));
		CU_ASSERT(
				dv->owner == NULL || in_block(d, dv->owner, sizeof(rs_user_t)));
	}
	CU_ASSERT_EQUAL(ost.nalloc, 1);
	rs_dir_free(d, &oa);
	CU_ASSERT_EQUAL(ost.nalloc, 1);
	CU_ASSERT_EQUAL(ost.nfree, 1);
}

/*
 * Feed n users with two devices each, a terminal every 5 users, a few
 * rejected rows and a device with an unknown owner. Returns the first
 * result that is not an expected one.
 */
static rs_err_t feed_mixed(rs_dir_builder_t *b, int n)
{
	char ext[16], name[32];
	rs_user_row_t ur;
	rs_device_row_t dr;
	rs_followme_row_t fr;
	rs_err_t rc;
	int i;

	for(i = 0; i < n; i++) {
		snprintf(ext, sizeof(ext), "%d", 500 + i);
		snprintf(name, sizeof(name), "+4930%d", i);
		fr = mk_fm(ext, 5, name, "parallel", 30, 1);
		if((rc = rs_dir_builder_add_followme(b, &fr)) != RS_OK)
			return rc;
		snprintf(name, sizeof(name), "%s-a", ext);
		dr = mk_dev(name, ext, "static", "0011223344AA");
		if((rc = rs_dir_builder_add_device(b, &dr)) != RS_OK)
			return rc;
		fr = mk_fm(ext, 1, name, "serial", 10, 0);
		if((rc = rs_dir_builder_add_followme(b, &fr)) != RS_OK)
			return rc;
		ur = mk_user(ext);
		if((rc = rs_dir_builder_add_user(b, &ur)) != RS_OK)
			return rc;
		snprintf(name, sizeof(name), "hotdesk-%s", ext);
		dr = mk_dev(name, ext, "hotdesk_account", NULL);
		if((rc = rs_dir_builder_add_device(b, &dr)) != RS_OK)
			return rc;
		if(i % 5 == 0) {
			snprintf(name, sizeof(name), "hotdesk-t%d", i);
			dr = mk_dev(name, NULL, "hotdesk_terminal", NULL);
			if((rc = rs_dir_builder_add_device(b, &dr)) != RS_OK)
				return rc;
		}
	}
	ur = mk_user("500");
	if((rc = rs_dir_builder_add_user(b, &ur)) != RS_E_DUP)
		return rc;
	ur = mk_user("9000");
	ur.ring_seconds = 0;
	if((rc = rs_dir_builder_add_user(b, &ur)) != RS_E_BADROW)
		return rc;
	dr = mk_dev("500-a", "500", "static", NULL);
	if((rc = rs_dir_builder_add_device(b, &dr)) != RS_E_DUP)
		return rc;
	fr = mk_fm("500", 5, "501", "serial", 10, 1);
	if((rc = rs_dir_builder_add_followme(b, &fr)) != RS_E_DUP)
		return rc;
	fr = mk_fm("500", 6, "501", "series", 10, 1);
	if((rc = rs_dir_builder_add_followme(b, &fr)) != RS_E_BADROW)
		return rc;
	fr = mk_fm("999", 1, "501", "serial", 10, 1);
	if((rc = rs_dir_builder_add_followme(b, &fr)) != RS_OK)
		return rc;
	dr = mk_dev("999-a", "999", "static", NULL);
	return rs_dir_builder_add_device(b, &dr);
}

static void check_mixed(const rs_dir_t *d, int n)
{
	char ext[16], name[32];
	const rs_user_t *u;
	int i;

	CU_ASSERT_EQUAL(rs_dir_nusers(d), n);
	CU_ASSERT_EQUAL(rs_dir_ndevices(d), 2 * n + (n + 4) / 5);
	for(i = 0; i < n; i++) {
		snprintf(ext, sizeof(ext), "%d", 500 + i);
		u = user(d, ext);
		CU_ASSERT_PTR_NOT_NULL_FATAL(u);
		CU_ASSERT_EQUAL_FATAL(u->ndevices, 2);
		snprintf(name, sizeof(name), "%s-a", ext);
		CU_ASSERT(str_is(&u->devices[0]->username, name));
		CU_ASSERT(str_is(&u->devices[0]->mac, "0011223344aa"));
		snprintf(name, sizeof(name), "hotdesk-%s", ext);
		CU_ASSERT(str_is(&u->devices[1]->username, name));
		CU_ASSERT_EQUAL_FATAL(u->nfollowme, 2);
		snprintf(name, sizeof(name), "%s-a", ext);
		CU_ASSERT_EQUAL(u->followme[0].position, 1);
		CU_ASSERT(str_is(&u->followme[0].target, name));
		CU_ASSERT_EQUAL(u->followme[0].mode, RS_FM_SERIAL);
		CU_ASSERT_EQUAL(u->followme[0].enabled, 0);
		snprintf(name, sizeof(name), "+4930%d", i);
		CU_ASSERT_EQUAL(u->followme[1].position, 5);
		CU_ASSERT(str_is(&u->followme[1].target, name));
		CU_ASSERT_EQUAL(u->followme[1].mode, RS_FM_PARALLEL);
		CU_ASSERT_EQUAL(u->followme[1].ring_seconds, 30);
	}
	CU_ASSERT_EQUAL(rs_dir_nfollowme(d), 2 * n);
	CU_ASSERT_PTR_NULL(device(d, "999-a"));
	CU_ASSERT_PTR_NULL(user(d, "9000"));
}

static void test_nomem_each_step(void)
{
	const int nusers = 40;
	ut_alloc_t st;
	rs_alloc_t a;
	rs_dir_builder_t *b;
	rs_dir_t *d;
	rs_err_t rc;
	long n;
	int nomem = 0;

	for(n = 0;; n++) {
		CU_ASSERT_FATAL(n < 1000);
		ut_alloc_init(&st, &a, n);
		d = NULL;
		b = rs_dir_builder_new(&a, NULL, NULL);
		if(b == NULL) {
			rc = RS_E_NOMEM;
		} else {
			rc = feed_mixed(b, nusers);
			if(rc == RS_OK)
				rc = rs_dir_freeze(b, &a, &d);
			rs_dir_builder_free(b);
		}
		if(rc == RS_OK) {
			CU_ASSERT_EQUAL(st.nfail, 0);
			CU_ASSERT_PTR_NOT_NULL_FATAL(d);
			check_mixed(d, nusers);
			rs_dir_free(d, &a);
			CU_ASSERT_EQUAL(ut_alloc_live(&st), 0);
			break;
		}
		CU_ASSERT_EQUAL(rc, RS_E_NOMEM);
		CU_ASSERT_EQUAL(st.nfail, 1);
		CU_ASSERT_PTR_NULL(d);
		CU_ASSERT_EQUAL(ut_alloc_live(&st), 0);
		nomem++;
	}
	/* every allocation was refused once: builder, arrays, pool, indexes */
	CU_ASSERT(nomem >= 10);
	CU_ASSERT_EQUAL(nomem, n);
}

static void test_nomem_keeps_builder(void)
{
	ut_alloc_t st;
	rs_alloc_t a;
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("116");
	rs_device_row_t dr = mk_dev("116-a", "116", "static", NULL);
	rs_dir_t *d = NULL;
	int k, failed, nfailed = 0;
	uint64_t h;

	for(k = 0; k < 100; k++) {
		ut_alloc_init(&st, &a, -1);
		b = rs_dir_builder_new(&a, NULL, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		/* 16 of each: the next add must grow the arrays and indexes */
		CU_ASSERT_EQUAL_FATAL(feed_mixed(b, 16), RS_OK);
		failed = 0;

		h = rs_dir_builder_digest(b);
		st.fail_after = st.nalloc + k;
		if(rs_dir_builder_add_user(b, &ur) == RS_E_NOMEM) {
			failed = 1;
			CU_ASSERT_EQUAL(rs_dir_builder_nusers(b), 16);
			CU_ASSERT_EQUAL(rs_dir_builder_digest(b), h);
			st.fail_after = -1;
			CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
		}
		CU_ASSERT_EQUAL(rs_dir_builder_nusers(b), 17);

		h = rs_dir_builder_digest(b);
		st.fail_after = st.nalloc + k;
		if(rs_dir_builder_add_device(b, &dr) == RS_E_NOMEM) {
			failed = 1;
			CU_ASSERT_EQUAL(rs_dir_builder_digest(b), h);
			st.fail_after = -1;
			CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
		}
		st.fail_after = -1;

		d = freeze_ok(b);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_EQUAL(rs_dir_nusers(d), 17);
		CU_ASSERT_PTR_NOT_NULL(user(d, "515"));
		CU_ASSERT_PTR_NOT_NULL_FATAL(user(d, "116"));
		CU_ASSERT_EQUAL_FATAL(user(d, "116")->ndevices, 1);
		CU_ASSERT_PTR_EQUAL(user(d, "116")->devices[0], device(d, "116-a"));
		rs_dir_free(d, &rs_alloc_libc);
		rs_dir_builder_free(b);
		CU_ASSERT_EQUAL(ut_alloc_live(&st), 0);
		if(!failed)
			break;
		nfailed++;
	}
	CU_ASSERT(nfailed >= 2);
	CU_ASSERT(k < 100);
}

/* ---- scale and lookups ---- */

static void test_scale(void)
{
	const int nusers = 5000, nterm = 300;
	static const char *const sfx[3] = {"%d-a", "%d-b", "hotdesk-%d"};
	rs_dir_builder_t *b;
	rs_user_row_t ur;
	rs_device_row_t dr;
	const rs_user_t *u;
	const rs_device_t *dv;
	char ext[16], name[32];
	rs_dir_t *d;
	rejlog_t rl = {0};
	int i, k;

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for(i = 0; i < nusers; i++) {
		snprintf(ext, sizeof(ext), "%d", 10000 + i);
		ur = mk_user(ext);
		ur.ring_seconds = 1 + i % 600;
		if(i % 2 == 0)
			CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
		for(k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), sfx[k], 10000 + i);
			dr = mk_dev(name, ext, k < 2 ? "static" : "hotdesk_account", NULL);
			CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
		}
		if(i % 2 == 1)
			CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	}
	for(i = 0; i < nterm; i++) {
		snprintf(name, sizeof(name), "hotdesk-t%d", i);
		dr = mk_dev(name, NULL, "hotdesk_terminal", NULL);
		CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
	}
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rl.n, 0);
	CU_ASSERT_EQUAL(rs_dir_nusers(d), nusers);
	CU_ASSERT_EQUAL(rs_dir_ndevices(d), 3 * nusers + nterm);

	for(i = 0; i < nusers; i++) {
		snprintf(ext, sizeof(ext), "%d", 10000 + i);
		u = user(d, ext);
		CU_ASSERT_PTR_NOT_NULL_FATAL(u);
		CU_ASSERT(str_is(&u->extension, ext));
		CU_ASSERT_EQUAL(u->ring_seconds, 1 + i % 600);
		CU_ASSERT_EQUAL_FATAL(u->ndevices, 3);
		for(k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), sfx[k], 10000 + i);
			dv = device(d, name);
			CU_ASSERT_PTR_NOT_NULL_FATAL(dv);
			CU_ASSERT(str_is(&dv->username, name));
			CU_ASSERT_PTR_EQUAL(u->devices[k], dv);
			CU_ASSERT_PTR_EQUAL(dv->owner, u);
			CU_ASSERT_PTR_EQUAL(rs_dir_device_at(d, 3 * i + k), dv);
			CU_ASSERT_EQUAL(
					dv->kind, k < 2 ? RS_DEV_STATIC : RS_DEV_HOTDESK_ACCOUNT);
		}
		snprintf(name, sizeof(name), "%d-c", 10000 + i);
		CU_ASSERT_PTR_NULL(device(d, name));
		snprintf(ext, sizeof(ext), "%d", 20000 + i);
		CU_ASSERT_PTR_NULL(user(d, ext));
	}
	for(i = 0; i < nterm; i++) {
		snprintf(name, sizeof(name), "hotdesk-t%d", i);
		dv = device(d, name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(dv);
		CU_ASSERT_PTR_NULL(dv->owner);
		CU_ASSERT_PTR_EQUAL(rs_dir_device_at(d, 3 * nusers + i), dv);
	}
	rs_dir_free(d, &rs_alloc_libc);
}

/* configured limits: valid new rows beyond them are RS_E_LIMIT, with no
 * reject report (the caller counts them), and the builder goes on */
static void test_limits(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur;
	rs_device_row_t dr;
	rs_followme_row_t fr;
	char ext[16], name[32];
	rs_dir_t *d;
	rejlog_t rl = {0};
	int i;

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_set_limits(NULL, 3, 2, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_set_limits(b, 0, 2, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_set_limits(b, 3, -1, 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_set_limits(b, 3, 2, RS_DIR_ROWS_MAX + 1),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_set_limits(b, 3, 2, 1), RS_OK);
	for(i = 0; i < 5; i++) {
		snprintf(ext, sizeof(ext), "%d", 100 + i);
		ur = mk_user(ext);
		CU_ASSERT_EQUAL(
				rs_dir_builder_add_user(b, &ur), i < 3 ? RS_OK : RS_E_LIMIT);
		snprintf(name, sizeof(name), "d%d", 100 + i);
		dr = mk_dev(name, "100", "static", NULL);
		CU_ASSERT_EQUAL(
				rs_dir_builder_add_device(b, &dr), i < 2 ? RS_OK : RS_E_LIMIT);
		fr = mk_fm("100", i, "101", "serial", 10, 1);
		CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &fr),
				i < 1 ? RS_OK : RS_E_LIMIT);
	}
	CU_ASSERT_EQUAL(rl.n, 0);
	/* a bad or duplicate row is still reported as such at the limit */
	ur = mk_user("100");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_E_DUP);
	ur = mk_user("bad ext");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_E_BADROW);
	CU_ASSERT_EQUAL(rl.n, 2);
	CU_ASSERT_EQUAL(rs_dir_builder_nusers(b), 3);
	CU_ASSERT_EQUAL(rs_dir_builder_ndevices(b), 2);
	CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(b), 1);
	d = freeze_ok(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rs_dir_nusers(d), 3);
	CU_ASSERT_EQUAL(rs_dir_ndevices(d), 2);
	CU_ASSERT_PTR_NULL(user(d, "103"));
	CU_ASSERT_PTR_NOT_NULL(device(d, "d101"));
	CU_ASSERT_PTR_NULL(device(d, "d102"));
	rs_dir_free(d, &rs_alloc_libc);
	rs_dir_builder_free(b);
}

static void test_unknown_keys(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_device_row_t dr = mk_dev("100-a", "100", "static", NULL);
	rs_dir_t *d;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);

	CU_ASSERT_PTR_NOT_NULL(rs_dir_user(d, "100", 3));
	CU_ASSERT_PTR_NOT_NULL(rs_dir_user(d, "1000", 3)); /* len bounds key */
	CU_ASSERT_PTR_NULL(rs_dir_user(d, "", 0));
	CU_ASSERT_PTR_NULL(rs_dir_user(d, NULL, 0));
	CU_ASSERT_PTR_NULL(rs_dir_user(d, NULL, 3));
	CU_ASSERT_PTR_NULL(rs_dir_user(d, "100", -1));
	CU_ASSERT_PTR_NULL(rs_dir_user(d, "10", 2));
	CU_ASSERT_PTR_NULL(rs_dir_user(d, "1000", 4));
	CU_ASSERT_PTR_NULL(rs_dir_user(d, "999", 3));
	CU_ASSERT_PTR_NULL(rs_dir_user(d, "100-a", 5));
	CU_ASSERT_PTR_NULL(rs_dir_user(NULL, "100", 3));
	CU_ASSERT_PTR_NOT_NULL(rs_dir_device(d, "100-a", 5));
	CU_ASSERT_PTR_NULL(rs_dir_device(d, "", 0));
	CU_ASSERT_PTR_NULL(rs_dir_device(d, NULL, 5));
	CU_ASSERT_PTR_NULL(rs_dir_device(d, "100-a", -5));
	CU_ASSERT_PTR_NULL(rs_dir_device(d, "100-", 4));
	CU_ASSERT_PTR_NULL(rs_dir_device(d, "100-ab", 6));
	CU_ASSERT_PTR_NULL(rs_dir_device(d, "100", 3));
	CU_ASSERT_PTR_NULL(rs_dir_device(NULL, "100-a", 5));
	CU_ASSERT_PTR_NULL(rs_dir_user_at(d, -1));
	CU_ASSERT_PTR_NULL(rs_dir_user_at(d, 1));
	CU_ASSERT_PTR_NULL(rs_dir_device_at(d, -1));
	CU_ASSERT_PTR_NULL(rs_dir_device_at(d, 1));
	CU_ASSERT_PTR_NULL(rs_dir_user_at(NULL, 0));
	CU_ASSERT_PTR_NULL(rs_dir_device_at(NULL, 0));
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_empty_dir(void)
{
	rs_dir_builder_t *b;
	rs_dir_t *d;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	d = freeze_ok(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rs_dir_nusers(d), 0);
	CU_ASSERT_EQUAL(rs_dir_ndevices(d), 0);
	CU_ASSERT_EQUAL(rs_dir_digest(d), rs_dir_builder_digest(b));
	CU_ASSERT(rs_dir_size(d) > 0);
	CU_ASSERT_PTR_NULL(rs_dir_user(d, "100", 3));
	CU_ASSERT_PTR_NULL(rs_dir_device(d, "100-a", 5));
	CU_ASSERT_PTR_NULL(rs_dir_user_at(d, 0));
	rs_dir_free(d, &rs_alloc_libc);
	rs_dir_builder_free(b);
}

static void test_freeze_again(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_device_row_t dr = mk_dev("100-a", "100", "static", NULL);
	rs_dir_t *d1, *d2;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	d1 = freeze_ok(b);
	/* the builder stays usable after a freeze */
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
	d2 = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d2);
	CU_ASSERT_EQUAL(rs_dir_ndevices(d1), 0);
	CU_ASSERT_EQUAL(user(d1, "100")->ndevices, 0);
	CU_ASSERT_EQUAL(rs_dir_ndevices(d2), 1);
	CU_ASSERT_EQUAL(user(d2, "100")->ndevices, 1);
	CU_ASSERT_NOT_EQUAL(rs_dir_digest(d1), rs_dir_digest(d2));
	rs_dir_free(d1, &rs_alloc_libc);
	rs_dir_free(d2, &rs_alloc_libc);
}

static void test_bad_arguments(void)
{
	rs_alloc_t half = {rs_alloc_libc.alloc, NULL, NULL};
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_device_row_t dr = mk_dev("100-a", "100", "static", NULL);
	rs_followme_row_t fr = mk_fm("100", 1, "101", "serial", 20, 1);
	rs_dir_t *d = NULL;

	CU_ASSERT_PTR_NULL(rs_dir_builder_new(NULL, NULL, NULL));
	CU_ASSERT_PTR_NULL(rs_dir_builder_new(&half, NULL, NULL));
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(NULL, &ur), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(NULL, &dr), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(NULL, &fr), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_freeze(NULL, &rs_alloc_libc, &d), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(NULL), 0);
	CU_ASSERT_EQUAL(rs_dir_nfollowme(NULL), 0);
	CU_ASSERT_EQUAL(rs_dir_builder_digest(NULL), 0);
	CU_ASSERT_EQUAL(rs_dir_builder_nusers(NULL), 0);
	CU_ASSERT_EQUAL(rs_dir_builder_ndevices(NULL), 0);
	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, NULL, &d), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, NULL), RS_E_INVAL);
	CU_ASSERT_PTR_NULL(d);
	/* a bad row without a callback is still rejected */
	ur.ring_seconds = 0;
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_E_BADROW);
	rs_dir_builder_free(b);
	rs_dir_builder_free(NULL);
	rs_dir_free(NULL, &rs_alloc_libc);
	CU_ASSERT_EQUAL(rs_dir_size(NULL), 0);
	CU_ASSERT_EQUAL(rs_dir_nusers(NULL), 0);
	CU_ASSERT_EQUAL(rs_dir_ndevices(NULL), 0);
	CU_ASSERT_EQUAL(rs_dir_digest(NULL), 0);
}

/* ---- follow-me rows ---- */

/* every reject, in order */
typedef struct rejall
{
	int n;
	char table[8][32];
	char key[8][300];
	char reason[8][160];
} rejall_t;

static void rejall_cb(
		void *ctx, const char *table, const rs_str_t *key, const char *reason)
{
	rejall_t *l = ctx;

	if(l->n < 8) {
		snprintf(l->table[l->n], sizeof(l->table[0]), "%s", table);
		snprintf(l->key[l->n], sizeof(l->key[0]), "%.*s", key->len, key->s);
		snprintf(l->reason[l->n], sizeof(l->reason[0]), "%s", reason);
	}
	l->n++;
}

static void test_followme_build(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t u0 = mk_user("100"), u1 = mk_user("101");
	rs_followme_row_t f[] = {
			mk_fm("100", 30, "+4930123", "serial", 40, 1),
			mk_fm("100", 10, "101", "parallel", 20, 0),
			mk_fm("101", 10, "hotdesk-lobby", "serial", 600, 1),
			mk_fm("100", 0, "*21#", "serial", 1, 1),
			mk_fm("100", 20, "100", "serial", 15, 1),
	};
	const rs_user_t *u;
	rs_dir_t *d;
	rejlog_t rl = {0};
	size_t i;

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	/* rows may come before their owner */
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &f[0]), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u0), RS_OK);
	for(i = 1; i < sizeof(f) / sizeof(f[0]); i++)
		CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &f[i]), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u1), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(b), 5);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rl.n, 0);
	CU_ASSERT_EQUAL(rs_dir_nfollowme(d), 5);

	/* sorted by position, disabled rows kept and flagged */
	u = user(d, "100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->nfollowme, 4);
	CU_ASSERT_EQUAL(u->followme[0].position, 0);
	CU_ASSERT(str_is(&u->followme[0].target, "*21#"));
	CU_ASSERT_EQUAL(u->followme[0].mode, RS_FM_SERIAL);
	CU_ASSERT_EQUAL(u->followme[0].ring_seconds, 1);
	CU_ASSERT_EQUAL(u->followme[0].enabled, 1);
	CU_ASSERT_EQUAL(u->followme[1].position, 10);
	CU_ASSERT(str_is(&u->followme[1].target, "101"));
	CU_ASSERT_EQUAL(u->followme[1].mode, RS_FM_PARALLEL);
	CU_ASSERT_EQUAL(u->followme[1].ring_seconds, 20);
	CU_ASSERT_EQUAL(u->followme[1].enabled, 0);
	CU_ASSERT_EQUAL(u->followme[2].position, 20);
	CU_ASSERT(str_is(&u->followme[2].target, "100"));
	CU_ASSERT_EQUAL(u->followme[3].position, 30);
	CU_ASSERT(str_is(&u->followme[3].target, "+4930123"));
	CU_ASSERT_EQUAL(u->followme[3].ring_seconds, 40);
	u = user(d, "101");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->nfollowme, 1);
	CU_ASSERT(str_is(&u->followme[0].target, "hotdesk-lobby"));
	CU_ASSERT_EQUAL(u->followme[0].ring_seconds, 600);
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_followme_empty(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_device_row_t dr = mk_dev("100-a", "100", "static", NULL);
	const rs_user_t *u;
	rs_dir_t *d;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &dr), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(b), 0);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	u = user(d, "100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(u->nfollowme, 0);
	CU_ASSERT_PTR_NULL(u->followme);
	CU_ASSERT_EQUAL(u->ndevices, 1);
	CU_ASSERT_EQUAL(rs_dir_nfollowme(d), 0);
	rs_dir_free(d, &rs_alloc_libc);
}

enum
{
	FM_EXT,
	FM_POS,
	FM_TARGET,
	FM_MODE,
	FM_RING,
	FM_ENABLED
};

/* one field of the row "100"/2 -> "101" serial 20 enabled replaced */
typedef struct fm_case
{
	const char *what;
	int field;
	rs_str_t sval;
	int ival;
	rs_err_t want;
	const char *key;	/* as the callback prints it */
	const char *reason; /* exact; NULL for accepted rows */
} fm_case_t;

#define TGT_CHR                            \
	"target contains an invalid character" \
	" (allowed: 0-9 A-Z a-z * # + . _ -)"
#define TGT_LEN "target must be 1..64 chars"
#define MODE_BAD "mode must be serial or parallel"
#define RING_BAD "ring_seconds must be 1..600"

static const fm_case_t fm_cases[] = {
		/* owner extension */
		{"empty extension", FM_EXT, UT_L(""), 0, RS_E_BADROW, "/2", EXT_LEN},
		{"NULL extension", FM_EXT, {NULL, 0}, 0, RS_E_BADROW, "/2", EXT_LEN},
		{"33 char extension", FM_EXT, UT_L(X33), 0, RS_E_BADROW, X33 "/2",
				EXT_LEN},
		{"space in extension", FM_EXT, UT_L("1 0"), 0, RS_E_BADROW, "1 0/2",
				EXT_CHR},
		{"NUL in extension", FM_EXT, UT_L("10\0000"), 0, RS_E_BADROW, "10",
				"extension contains a NUL byte"},
		{"NULL extension with a length", FM_EXT, {NULL, 3}, 0, RS_E_BADROW,
				"/2", "extension is NULL but has a length"},
		/* position */
		{"position -1", FM_POS, {NULL, 0}, -1, RS_E_BADROW, "100/-1",
				"position must be >= 0"},
		{"duplicate position", FM_POS, {NULL, 0}, 1, RS_E_DUP, "100/1",
				"duplicate position (first row kept)"},
		/* target */
		{"empty target", FM_TARGET, UT_L(""), 0, RS_E_BADROW, "100/2", TGT_LEN},
		{"NULL target", FM_TARGET, {NULL, 0}, 0, RS_E_BADROW, "100/2", TGT_LEN},
		{"65 char target", FM_TARGET, UT_L(X65), 0, RS_E_BADROW, "100/2",
				TGT_LEN},
		{"256 char target", FM_TARGET, UT_L(X256), 0, RS_E_BADROW, "100/2",
				"target longer than 255 chars"},
		{"NUL in target", FM_TARGET, UT_L("10\0001"), 0, RS_E_BADROW, "100/2",
				"target contains a NUL byte"},
		{"@ in target", FM_TARGET, UT_L("101@pbx"), 0, RS_E_BADROW, "100/2",
				TGT_CHR},
		{"sip URI target", FM_TARGET, UT_L("sip:101"), 0, RS_E_BADROW, "100/2",
				TGT_CHR},
		{"space in target", FM_TARGET, UT_L("+49 30 123"), 0, RS_E_BADROW,
				"100/2", TGT_CHR},
		{"; in target", FM_TARGET, UT_L("101;x"), 0, RS_E_BADROW, "100/2",
				TGT_CHR},
		/* mode */
		{"empty mode", FM_MODE, UT_L(""), 0, RS_E_BADROW, "100/2", MODE_BAD},
		{"NULL mode", FM_MODE, {NULL, 0}, 0, RS_E_BADROW, "100/2", MODE_BAD},
		{"upper case mode", FM_MODE, UT_L("Serial"), 0, RS_E_BADROW, "100/2",
				MODE_BAD},
		{"mode with blank", FM_MODE, UT_L("parallel "), 0, RS_E_BADROW, "100/2",
				MODE_BAD},
		{"mode prefix", FM_MODE, UT_L("par"), 0, RS_E_BADROW, "100/2",
				MODE_BAD},
		{"sequential mode", FM_MODE, UT_L("sequential"), 0, RS_E_BADROW,
				"100/2", MODE_BAD},
		{"NUL in mode", FM_MODE, UT_L("serial\0"), 0, RS_E_BADROW, "100/2",
				"mode contains a NUL byte"},
		/* numbers */
		{"ring_seconds 0", FM_RING, {NULL, 0}, 0, RS_E_BADROW, "100/2",
				RING_BAD},
		{"ring_seconds -10", FM_RING, {NULL, 0}, -10, RS_E_BADROW, "100/2",
				RING_BAD},
		{"ring_seconds 601", FM_RING, {NULL, 0}, 601, RS_E_BADROW, "100/2",
				RING_BAD},
		{"enabled 2", FM_ENABLED, {NULL, 0}, 2, RS_E_BADROW, "100/2",
				"enabled must be 0 or 1"},
		{"enabled -1", FM_ENABLED, {NULL, 0}, -1, RS_E_BADROW, "100/2",
				"enabled must be 0 or 1"},
		/* accepted edge values */
		{"position 0", FM_POS, {NULL, 0}, 0, RS_OK, NULL, NULL},
		{"position INT_MAX", FM_POS, {NULL, 0}, 2147483647, RS_OK, NULL, NULL},
		{"64 char target", FM_TARGET, UT_L(X64), 0, RS_OK, NULL, NULL},
		{"1 char target", FM_TARGET, UT_L("7"), 0, RS_OK, NULL, NULL},
		{"target punctuation", FM_TARGET, UT_L("*#+._-aZ9"), 0, RS_OK, NULL,
				NULL},
		{"parallel", FM_MODE, UT_L("parallel"), 0, RS_OK, NULL, NULL},
		{"ring_seconds 1", FM_RING, {NULL, 0}, 1, RS_OK, NULL, NULL},
		{"ring_seconds 600", FM_RING, {NULL, 0}, 600, RS_OK, NULL, NULL},
		{"disabled", FM_ENABLED, {NULL, 0}, 0, RS_OK, NULL, NULL},
		{"same position, other owner", FM_EXT, UT_L("101"), 1, RS_OK, NULL,
				NULL},
		{"unknown owner accepted for now", FM_EXT, UT_L("555"), 0, RS_OK, NULL,
				NULL},
};

static void fm_case_apply(rs_followme_row_t *r, const fm_case_t *c)
{
	switch(c->field) {
		case FM_EXT:
			r->extension = c->sval;
			if(c->ival != 0)
				r->position = c->ival;
			break;
		case FM_POS:
			r->position = c->ival;
			break;
		case FM_TARGET:
			r->target = c->sval;
			break;
		case FM_MODE:
			r->mode = c->sval;
			break;
		case FM_RING:
			r->ring_seconds = c->ival;
			break;
		case FM_ENABLED:
			r->enabled = c->ival;
			break;
	}
}

static void test_followme_validation(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_followme_row_t r, seed = mk_fm("100", 1, "101", "serial", 20, 1);
	rejlog_t rl;
	rs_err_t rc;
	uint64_t h;
	size_t i;
	int n;

	for(i = 0; i < sizeof(fm_cases) / sizeof(fm_cases[0]); i++) {
		const fm_case_t *c = &fm_cases[i];

		memset(&rl, 0, sizeof(rl));
		b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
		CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &seed), RS_OK);
		h = rs_dir_builder_digest(b);
		r = mk_fm("100", 2, "101", "serial", 20, 1);
		fm_case_apply(&r, c);
		rc = rs_dir_builder_add_followme(b, &r);
		n = rs_dir_builder_nfollowme(b);
		if(rc != c->want)
			printf("\n  case \"%s\": got %d, want %d\n", c->what, rc, c->want);
		CU_ASSERT_EQUAL(rc, c->want);
		if(c->want == RS_OK) {
			CU_ASSERT_EQUAL(rl.n, 0);
			CU_ASSERT_EQUAL(n, 2);
			CU_ASSERT_NOT_EQUAL(rs_dir_builder_digest(b), h);
		} else {
			CU_ASSERT_EQUAL(rl.n, 1);
			CU_ASSERT_STRING_EQUAL(rl.table, "rs_followme");
			if(strcmp(rl.reason, c->reason) != 0 || strcmp(rl.key, c->key) != 0)
				printf("\n  case \"%s\": %s \"%s\", want %s \"%s\"\n", c->what,
						rl.key, rl.reason, c->key, c->reason);
			CU_ASSERT_STRING_EQUAL(rl.key, c->key);
			CU_ASSERT_STRING_EQUAL(rl.reason, c->reason);
			CU_ASSERT_EQUAL(n, 1);
			CU_ASSERT_EQUAL(rs_dir_builder_digest(b), h);
		}
		rs_dir_builder_free(b);
	}
}

static void test_followme_duplicate_kept(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_followme_row_t f0 = mk_fm("100", 4, "101", "serial", 20, 1);
	rs_followme_row_t f1 = mk_fm("100", 4, "102", "parallel", 30, 0);
	const rs_user_t *u;
	rs_dir_t *d;
	rejlog_t rl = {0};

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &f0), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &f1), RS_E_DUP);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &f1), RS_E_DUP);
	CU_ASSERT_EQUAL(rl.n, 2);
	CU_ASSERT_STRING_EQUAL(rl.key, "100/4");
	CU_ASSERT_STRING_EQUAL(rl.reason, "duplicate position (first row kept)");
	CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(b), 1);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(rl.n, 2);
	u = user(d, "100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->nfollowme, 1);
	CU_ASSERT(str_is(&u->followme[0].target, "101"));
	CU_ASSERT_EQUAL(u->followme[0].mode, RS_FM_SERIAL);
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_followme_unknown_owner(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_followme_row_t f0 = mk_fm("999", 3, "100", "serial", 20, 1);
	rs_followme_row_t f1 = mk_fm("100", 1, "999", "serial", 20, 1);
	rs_dir_t *d1, *d2;
	rejall_t rl = {0};
	uint64_t h;

	b = rs_dir_builder_new(&rs_alloc_libc, rejall_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &f0), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &f1), RS_OK);
	h = rs_dir_builder_digest(b);
	CU_ASSERT_EQUAL(rl.n, 0);
	d1 = freeze_ok(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d1);
	CU_ASSERT_EQUAL_FATAL(rl.n, 1);
	CU_ASSERT_STRING_EQUAL(rl.table[0], "rs_followme");
	CU_ASSERT_STRING_EQUAL(rl.key[0], "999/3");
	CU_ASSERT_STRING_EQUAL(rl.reason[0], "owner extension 999 unknown");
	CU_ASSERT_EQUAL(rs_dir_nfollowme(d1), 1);
	CU_ASSERT_EQUAL(user(d1, "100")->nfollowme, 1);
	/* the row counts in the digest all the same */
	CU_ASSERT_EQUAL(rs_dir_digest(d1), h);

	/* reported again by the next freeze; linked once the owner exists */
	d2 = freeze_ok(b);
	CU_ASSERT_EQUAL(rl.n, 2);
	rs_dir_free(d2, &rs_alloc_libc);
	ur = mk_user("999");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	d2 = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d2);
	CU_ASSERT_EQUAL(rl.n, 2);
	CU_ASSERT_EQUAL(rs_dir_nfollowme(d2), 2);
	CU_ASSERT_EQUAL_FATAL(user(d2, "999")->nfollowme, 1);
	CU_ASSERT_EQUAL(user(d2, "999")->followme[0].position, 3);
	CU_ASSERT_EQUAL(user(d1, "100")->nfollowme, 1);
	rs_dir_free(d1, &rs_alloc_libc);
	rs_dir_free(d2, &rs_alloc_libc);
}

static void test_followme_too_many(void)
{
	const int n = RS_FM_MAX_ENTRIES + 3;
	rs_dir_builder_t *b;
	rs_user_row_t ur;
	rs_followme_row_t fr;
	const rs_user_t *u;
	rs_dir_t *d;
	rejall_t rl = {0};
	char tgt[16];
	int i, pos;

	b = rs_dir_builder_new(&rs_alloc_libc, rejall_cb, &rl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	ur = mk_user("100");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	ur = mk_user("101");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	/* 35 rows for 100 in scrambled order (8 and 35 are coprime), 32 for
	 * 101 in descending order */
	for(i = 0; i < n; i++) {
		pos = (i * 8) % n * 10;
		snprintf(tgt, sizeof(tgt), "+4930%d", pos);
		fr = mk_fm(
				"100", pos, tgt, i % 2 ? "serial" : "parallel", 20, i % 3 != 0);
		CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &fr), RS_OK);
		if(i < RS_FM_MAX_ENTRIES) {
			fr.extension = ut_s("101");
			fr.position = RS_FM_MAX_ENTRIES - i;
			CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &fr), RS_OK);
		}
	}
	CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(b), n + RS_FM_MAX_ENTRIES);
	d = freeze_ok(b);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);

	/* the three highest positions of 100 go, in position order */
	CU_ASSERT_EQUAL_FATAL(rl.n, 3);
	for(i = 0; i < 3; i++) {
		snprintf(tgt, sizeof(tgt), "100/%d", (RS_FM_MAX_ENTRIES + i) * 10);
		CU_ASSERT_STRING_EQUAL(rl.table[i], "rs_followme");
		CU_ASSERT_STRING_EQUAL(rl.key[i], tgt);
		CU_ASSERT_STRING_EQUAL(rl.reason[i], "more than 32 follow-me entries");
	}
	u = user(d, "100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->nfollowme, RS_FM_MAX_ENTRIES);
	for(i = 0; i < RS_FM_MAX_ENTRIES; i++) {
		snprintf(tgt, sizeof(tgt), "+4930%d", i * 10);
		CU_ASSERT_EQUAL(u->followme[i].position, i * 10);
		CU_ASSERT(str_is(&u->followme[i].target, tgt));
	}
	u = user(d, "101");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->nfollowme, RS_FM_MAX_ENTRIES);
	for(i = 0; i < RS_FM_MAX_ENTRIES; i++)
		CU_ASSERT_EQUAL(u->followme[i].position, i + 1);
	CU_ASSERT_EQUAL(rs_dir_nfollowme(d), 2 * RS_FM_MAX_ENTRIES);
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_followme_nomem(void)
{
	ut_alloc_t st;
	rs_alloc_t a;
	rs_dir_builder_t *b;
	rs_user_row_t ur = mk_user("100");
	rs_followme_row_t fr;
	const rs_user_t *u;
	rs_dir_t *d;
	char tgt[16];
	uint64_t h;
	int i, nomem = 0;

	ut_alloc_init(&st, &a, -1);
	b = rs_dir_builder_new(&a, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &ur), RS_OK);
	for(i = 0; i < 300; i++) {
		snprintf(tgt, sizeof(tgt), "+4930%d", i);
		fr = mk_fm("100", 1000 - i, tgt, "serial", 20, 1);
		h = rs_dir_builder_digest(b);
		st.fail_after = st.nalloc; /* refuse the next allocation */
		if(rs_dir_builder_add_followme(b, &fr) == RS_E_NOMEM) {
			nomem++;
			CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(b), i);
			CU_ASSERT_EQUAL(rs_dir_builder_digest(b), h);
			/* and the next allocation after that */
			st.fail_after = st.nalloc + 1;
			while(rs_dir_builder_add_followme(b, &fr) == RS_E_NOMEM) {
				CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(b), i);
				st.fail_after = st.nalloc + 1;
			}
		}
		st.fail_after = -1;
		CU_ASSERT_EQUAL(rs_dir_builder_nfollowme(b), i + 1);
	}
	/* rows, order scratch, pool and index all grew a few times */
	CU_ASSERT(nomem >= 8);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &a, &d), RS_OK);
	rs_dir_builder_free(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	u = user(d, "100");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL_FATAL(u->nfollowme, RS_FM_MAX_ENTRIES);
	CU_ASSERT_EQUAL(u->followme[0].position, 701);
	CU_ASSERT(str_is(&u->followme[0].target, "+4930299"));
	rs_dir_free(d, &a);
	CU_ASSERT_EQUAL(ut_alloc_live(&st), 0);
}

static void test_fm_mode_names(void)
{
	rs_fm_mode_t m = (rs_fm_mode_t)7;

	CU_ASSERT_EQUAL(rs_fm_mode_parse("serial", 6, &m), RS_OK);
	CU_ASSERT_EQUAL(m, RS_FM_SERIAL);
	CU_ASSERT_EQUAL(rs_fm_mode_parse("parallel", 8, &m), RS_OK);
	CU_ASSERT_EQUAL(m, RS_FM_PARALLEL);
	CU_ASSERT_EQUAL(rs_fm_mode_parse("serialX", 6, &m), RS_OK);
	CU_ASSERT_EQUAL(m, RS_FM_SERIAL);
	m = (rs_fm_mode_t)7;
	CU_ASSERT_EQUAL(rs_fm_mode_parse("Serial", 6, &m), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fm_mode_parse("seria", 5, &m), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fm_mode_parse("", 0, &m), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fm_mode_parse(NULL, 6, &m), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_fm_mode_parse("serial", 6, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(m, (rs_fm_mode_t)7);
	CU_ASSERT_STRING_EQUAL(rs_fm_mode_name(RS_FM_SERIAL), "serial");
	CU_ASSERT_STRING_EQUAL(rs_fm_mode_name(RS_FM_PARALLEL), "parallel");
	CU_ASSERT_STRING_EQUAL(rs_fm_mode_name((rs_fm_mode_t)2), "unknown");
	CU_ASSERT_STRING_EQUAL(rs_fm_mode_name((rs_fm_mode_t)-1), "unknown");
}

/* ---- feature codes ---- */

static rs_feature_row_t mk_feature(const char *code, const char *svc, int en)
{
	rs_feature_row_t r;

	r.code = ut_s(code);
	r.service = ut_s(svc);
	r.enabled = en;
	return r;
}

static void test_feature_build(void)
{
	rs_dir_builder_t *b;
	rs_feature_row_t r;
	const rs_feature_t *f;
	rs_dir_t *d = NULL;
	rejlog_t rl = {0};
	uint64_t before;

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_FATAL(b != NULL);
	r = mk_feature("*501", "fork2mobile_on", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	r = mk_feature("*50*", "fork2mobile_toggle", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	r = mk_feature("#400", "hotdesk_logout", 0);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	before = rs_dir_builder_digest(b);
	r = mk_feature("*501", "fork2mobile_off", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_E_DUP);
	CU_ASSERT_STRING_EQUAL(rl.table, "rs_feature_code");
	CU_ASSERT_STRING_EQUAL(rl.key, "*501");
	CU_ASSERT_EQUAL(rs_dir_builder_digest(b), before);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, &d), RS_OK);
	CU_ASSERT_FATAL(d != NULL);
	CU_ASSERT_EQUAL(rs_dir_nfeatures(d), 3);
	f = rs_dir_feature(d, "*50*", 4);
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(f->service, RS_SVC_F2M_TOGGLE);
	CU_ASSERT_STRING_EQUAL(f->code, "*50*");
	CU_ASSERT_EQUAL(f->enabled, 1);
	f = rs_dir_feature(d, "#400", 4);
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(f->enabled, 0);
	CU_ASSERT_EQUAL(f->service, RS_SVC_HOTDESK_LOGOUT);
	CU_ASSERT_PTR_NULL(rs_dir_feature(d, "*50", 3));
	CU_ASSERT_PTR_NULL(rs_dir_feature(d, "*5011", 5));
	CU_ASSERT_PTR_NULL(rs_dir_feature(d, NULL, 4));
	CU_ASSERT_PTR_NULL(rs_dir_feature(NULL, "*501", 4));
	CU_ASSERT_PTR_NULL(rs_dir_feature_at(d, 3));
	CU_ASSERT_EQUAL(rs_dir_feature_at(d, 0)->service, RS_SVC_F2M_ON);
	rs_dir_free(d, &rs_alloc_libc);
	rs_dir_builder_free(b);
}

/* the in-call codes as the media server gets them: enabled xfer_* only */
static void test_feature_incall_codes(void)
{
	rs_dir_builder_t *b;
	rs_feature_row_t r;
	rs_dir_t *d = NULL;
	rejlog_t rl = {0};
	char buf[128];

	b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
	CU_ASSERT_FATAL(b != NULL);
	r = mk_feature("*501", "fork2mobile_on", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	r = mk_feature("#4", "xfer_attended", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	r = mk_feature("*0", "xfer_cancel", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	r = mk_feature("*9", "xfer_toggle", 0);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	r = mk_feature("##3", "xfer_conference", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, &d), RS_OK);
	CU_ASSERT_FATAL(d != NULL);
	CU_ASSERT_EQUAL(rs_dir_incall_codes(d, buf, sizeof(buf)), 51);
	CU_ASSERT_STRING_EQUAL(
			buf, "xfer_attended=#4;xfer_cancel=*0;xfer_conference=##3");
	CU_ASSERT_EQUAL(rs_dir_incall_codes(d, buf, 20), -1);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(rs_dir_incall_codes(NULL, buf, sizeof(buf)), 0);
	CU_ASSERT_EQUAL(rs_dir_incall_codes(d, NULL, 10), -1);
	rs_dir_free(d, &rs_alloc_libc);
	rs_dir_builder_free(b);
}

static void test_feature_validation(void)
{
	static const struct
	{
		const char *code, *svc;
		int enabled;
		const char *why; /* part of the reason, NULL = accepted */
	} t[] = {
			{"*509", "fork2mobile_status", 1, NULL},
			{"#9", "fork2mobile_off", 0, NULL},
			{"*", "fork2mobile_on", 1, "2..16 chars"},
			{"501", "fork2mobile_on", 1, "starting with * or #"},
			{"*5a1", "fork2mobile_on", 1, "0-9 * #"},
			{"*12345678901234567", "fork2mobile_on", 1, "2..16 chars"},
			{"*502", "fork2mobile", 1, "service must be"},
			{"*503", "", 1, "service must be"},
			{"*504", "hotdesk_logout", 2, "enabled must be 0 or 1"},
	};
	rs_feature_row_t r;
	rs_dir_builder_t *b;
	rejlog_t rl;
	size_t i;

	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&rl, 0, sizeof(rl));
		b = rs_dir_builder_new(&rs_alloc_libc, rej_cb, &rl);
		CU_ASSERT_FATAL(b != NULL);
		r = mk_feature(t[i].code, t[i].svc, t[i].enabled);
		if(t[i].why == NULL) {
			CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
			CU_ASSERT_EQUAL(rl.n, 0);
		} else {
			CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_E_BADROW);
			CU_ASSERT_EQUAL(rl.n, 1);
			if(strstr(rl.reason, t[i].why) == NULL)
				fprintf(stderr, "%s:%d: row %zu: reason '%s' lacks '%s'\n",
						__FILE__, __LINE__, i, rl.reason, t[i].why);
			CU_ASSERT_PTR_NOT_NULL(strstr(rl.reason, t[i].why));
		}
		rs_dir_builder_free(b);
	}
}

static void test_feature_limit_and_digest(void)
{
	rs_dir_builder_t *b, *b2;
	rs_feature_row_t r;
	char code[8];
	int i;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	b2 = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_FATAL(b != NULL && b2 != NULL);
	for(i = 0; i < RS_FEATURE_MAX; i++) {
		snprintf(code, sizeof(code), "*%d", 100 + i);
		r = mk_feature(code, "fork2mobile_on", 1);
		CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_OK);
	}
	r = mk_feature("*999", "fork2mobile_on", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &r), RS_E_LIMIT);
	/* enabling a code changes the digest */
	r = mk_feature("*100", "fork2mobile_on", 0);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b2, &r), RS_OK);
	CU_ASSERT_NOT_EQUAL(rs_dir_builder_digest(b2), 0);
	rs_dir_builder_free(b2);
	b2 = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	r = mk_feature("*100", "fork2mobile_on", 1);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b2, &r), RS_OK);
	{
		rs_dir_builder_t *b3 = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
		r = mk_feature("*100", "fork2mobile_on", 0);
		rs_dir_builder_add_feature(b3, &r);
		CU_ASSERT_NOT_EQUAL(
				rs_dir_builder_digest(b2), rs_dir_builder_digest(b3));
		rs_dir_builder_free(b3);
	}
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(NULL, &r), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b2, NULL), RS_E_INVAL);
	rs_dir_builder_free(b);
	rs_dir_builder_free(b2);
}

static void test_service_names(void)
{
	rs_service_t s;
	int i;

	for(i = 0; i < RS_SVC_COUNT; i++) {
		const char *n = rs_service_name((rs_service_t)i);
		CU_ASSERT_EQUAL(rs_service_parse(n, (int)strlen(n), &s), RS_OK);
		CU_ASSERT_EQUAL((int)s, i);
	}
	CU_ASSERT_STRING_EQUAL(
			rs_service_name((rs_service_t)RS_SVC_COUNT), "unknown");
	CU_ASSERT_EQUAL(rs_service_parse("Fork2mobile_on", 14, &s), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_service_parse(NULL, 3, &s), RS_E_INVAL);
}

static void test_field_mask(void)
{
	unsigned int m = 0, bit;
	int bad = -1;
	const char *all = "extension,domain,display_name,external_cli,mobile,"
					  "voicemail,forward_external,hotdesk,fork2mobile,"
					  "ring_seconds,max_calls,anchor_media,devices,device,"
					  "kind,mac,blf_private,incall_services,pbx,"
					  "call_external,call_international,pickup_group,"
					  "cfwd_target,dnd";

	CU_ASSERT_EQUAL(rs_dir_field_mask("extension", 9, &m, &bad), RS_OK);
	CU_ASSERT_EQUAL(m, RS_FLD_EXTENSION);
	CU_ASSERT_EQUAL(
			rs_dir_field_mask("kind,extension,anchor_media", 27, &m, &bad),
			RS_OK);
	CU_ASSERT_EQUAL(m, RS_FLD_KIND | RS_FLD_EXTENSION | RS_FLD_ANCHOR_MEDIA);
	CU_ASSERT_EQUAL(rs_dir_field_mask(all, (int)strlen(all), &m, &bad), RS_OK);
	CU_ASSERT_EQUAL(m, RS_FLD_ALL);
	/* a repeated name is harmless */
	CU_ASSERT_EQUAL(rs_dir_field_mask("mac,mac", 7, &m, &bad), RS_OK);
	CU_ASSERT_EQUAL(m, RS_FLD_MAC);
	/* unknown, empty, prefixes, case, spaces, trailing comma */
	CU_ASSERT_EQUAL(
			rs_dir_field_mask("extension,pin_hash", 18, &m, &bad), RS_E_INVAL);
	CU_ASSERT_EQUAL(bad, 1);
	CU_ASSERT_EQUAL(rs_dir_field_mask("ext", 3, &m, &bad), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_field_mask("Kind", 4, &m, &bad), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_field_mask("kind, mac", 9, &m, &bad), RS_E_INVAL);
	CU_ASSERT_EQUAL(bad, 1);
	CU_ASSERT_EQUAL(rs_dir_field_mask("kind,", 5, &m, &bad), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_field_mask(",kind", 5, &m, &bad), RS_E_INVAL);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(rs_dir_field_mask("", 0, &m, &bad), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_field_mask(NULL, 4, &m, &bad), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dir_field_mask("kind", 4, NULL, &bad), RS_E_INVAL);
	/* every bit has a name, and the name parses back to the bit */
	for(bit = 1; bit & RS_FLD_ALL; bit <<= 1) {
		const char *n = rs_dir_field_name(bit);
		CU_ASSERT_PTR_NOT_NULL_FATAL(n);
		CU_ASSERT_EQUAL(rs_dir_field_mask(n, (int)strlen(n), &m, NULL), RS_OK);
		CU_ASSERT_EQUAL(m, bit);
	}
	CU_ASSERT_EQUAL(rs_dir_field_mask("pickup_group,dnd", 16, &m, &bad), RS_OK);
	CU_ASSERT_EQUAL(m, RS_FLD_PICKUP_GROUP | RS_FLD_DND);
	CU_ASSERT_PTR_NULL(rs_dir_field_name(RS_FLD_LAST << 1));
	CU_ASSERT_PTR_NULL(rs_dir_field_name(3));
}

int ut_register_userdir(void)
{
	static const ut_test_t tests[] = {
			{"build_lookup", test_build_lookup},
			{"three_devices_in_order", test_three_devices_in_order},
			{"devices_before_user", test_devices_before_user},
			{"unknown_owner", test_unknown_owner},
			{"duplicates", test_duplicates},
			{"user_validation", test_user_validation},
			{"device_validation", test_device_validation},
			{"hotdesk", test_hotdesk},
			{"kind_names", test_kind_names},
			{"empty_fields_and_mac", test_empty_fields_and_mac},
			{"digest_equal", test_digest_equal},
			{"digest_changes", test_digest_changes},
			{"one_allocation", test_one_allocation},
			{"nomem_each_step", test_nomem_each_step},
			{"nomem_keeps_builder", test_nomem_keeps_builder},
			{"scale", test_scale},
			{"limits", test_limits},
			{"unknown_keys", test_unknown_keys},
			{"empty_dir", test_empty_dir},
			{"freeze_again", test_freeze_again},
			{"bad_arguments", test_bad_arguments},
			{"followme_build", test_followme_build},
			{"followme_empty", test_followme_empty},
			{"followme_validation", test_followme_validation},
			{"followme_duplicate_kept", test_followme_duplicate_kept},
			{"followme_unknown_owner", test_followme_unknown_owner},
			{"followme_too_many", test_followme_too_many},
			{"followme_nomem", test_followme_nomem},
			{"fm_mode_names", test_fm_mode_names},
			{"feature_build", test_feature_build},
			{"feature_incall_codes", test_feature_incall_codes},
			{"feature_validation", test_feature_validation},
			{"feature_limit_and_digest", test_feature_limit_and_digest},
			{"service_names", test_service_names},
			{"field_mask", test_field_mask},
			{NULL, NULL},
	};

	return ut_add_suite("userdir", tests);
}
