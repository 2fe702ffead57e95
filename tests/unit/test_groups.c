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

/* tests of rs_tmrec.c and of the section 15 parts of rs_userdir.c and
 * rs_plan.c: permissions, groups, forwarding, DND, schedules, confirm */

#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "rs_plan.h"
#include "rs_kvtab.h"
#include "rs_tmrec.h"
#include "rs_userdir.h"

#define DOM "pbx.example.com"
#define MEDIA "media.example.com"

/* ---- tmrec ---- */

typedef struct tm_case
{
	const char *rec;
	int y, mo, d, h, mi;
	int want;
} tm_case_t;

static void test_tmrec_match(void)
{
	/* 2026-01-05 is a Monday */
	static const tm_case_t cases[] = {
			/* business hours, Monday to Friday 08:30-18:00 */
			{"20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR", 2026, 1, 5, 8,
					30, 1},
			{"20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR", 2026, 1, 5, 8,
					29, 0},
			{"20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR", 2026, 1, 9, 17,
					59, 1},
			{"20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR", 2026, 1, 9, 18,
					0, 0},
			{"20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR", 2026, 1, 10, 10,
					0, 0}, /* Saturday */
			{"20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR", 2027, 3, 3, 12,
					0, 1}, /* a Wednesday a year on */
			{"20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR", 2025, 12, 31,
					12, 0, 0}, /* before the start */
			/* weekly without byday: the start's weekday */
			{"20260105T220000|PT4H|weekly", 2026, 1, 12, 23, 0, 1},
			{"20260105T220000|PT4H|weekly", 2026, 1, 13, 1, 59, 1},
			{"20260105T220000|PT4H|weekly", 2026, 1, 13, 2, 0, 0},
			{"20260105T220000|PT4H|weekly", 2026, 1, 14, 23, 0, 0},
			/* every other day */
			{"20260105T000000|PT1H|daily||2", 2026, 1, 7, 0, 30, 1},
			{"20260105T000000|PT1H|daily||2", 2026, 1, 8, 0, 30, 0},
			/* until */
			{"20260105T000000|P1D|daily|20260106", 2026, 1, 6, 12, 0, 1},
			{"20260105T000000|P1D|daily|20260106", 2026, 1, 7, 12, 0, 0},
			/* one period */
			{"20260105T120000|PT30M", 2026, 1, 5, 12, 29, 1},
			{"20260105T120000|PT30M", 2026, 1, 5, 12, 30, 0},
			{"20260105T120000", 2030, 1, 1, 0, 0, 1},
			/* monthly on the 1st and the last day */
			{"20260101T000000|P1D|monthly||||1,-1", 2026, 2, 28, 8, 0, 1},
			{"20260101T000000|P1D|monthly||||1,-1", 2026, 2, 27, 8, 0, 0},
			{"20260101T000000|P1D|monthly||||1,-1", 2026, 3, 1, 8, 0, 1},
			/* yearly, Christmas */
			{"20251225T000000|P1D|yearly", 2027, 12, 25, 10, 0, 1},
			{"20251225T000000|P1D|yearly", 2027, 12, 24, 10, 0, 0},
			/* weekends in December */
			{"20260103T000000|P1D|weekly|||SA,SU||||12", 2026, 12, 5, 9, 0, 1},
			{"20260103T000000|P1D|weekly|||SA,SU||||12", 2026, 11, 28, 9, 0, 0},
			{NULL, 0, 0, 0, 0, 0, 0},
	};
	const tm_case_t *c;
	rs_tmrec_t r;
	char why[128];
	int got;

	for(c = cases; c->rec != NULL; c++) {
		CU_ASSERT_EQUAL_FATAL(rs_tmrec_parse(c->rec, (int)strlen(c->rec), &r,
									  why, sizeof(why)),
				RS_OK);
		got = rs_tmrec_match(
				&r, rs_wallclock(c->y, c->mo, c->d, c->h, c->mi, 0));
		if(got != c->want)
			printf("\n  %s at %04d-%02d-%02d %02d:%02d: %d, want %d\n", c->rec,
					c->y, c->mo, c->d, c->h, c->mi, got, c->want);
		CU_ASSERT_EQUAL(got, c->want);
	}
}

static void test_tmrec_parse_errors(void)
{
	static const struct
	{
		const char *rec, *why;
	} cases[] = {
			{"", "schedule must be 1..255 chars"},
			{"2026-01-05|PT1H", "schedule startdate must be YYYYMMDDTHHMMSS, "
								"e.g. 20260105T083000"},
			{"20261305T000000|PT1H", "schedule startdate must be "
									 "YYYYMMDDTHHMMSS, e.g. 20260105T083000"},
			{"20260105T000000|8h", "schedule duration must be like PT9H30M or "
								   "P1D (RFC 2445)"},
			{"20260105T000000|PT1H|hourly", "schedule frequency must be "
											"daily, weekly, monthly or "
											"yearly"},
			{"20260105T000000|PT1H|weekly|||1MO",
					"schedule byday must be a list of MO TU WE TH FR SA SU "
					"(n-th weekday prefixes are not supported)"},
			{"20260105T000000|PT1H|yearly|||||100",
					"schedule byyearday and byweekno are not supported"},
			{"20260105T000000|PT1H|yearly|||||||13",
					"schedule bymonth must be a list of 1..12"},
			{"20260105T000000|PT1H|weekly||0",
					"schedule interval must be 1..1000"},
			{"20260105T000000|PT1H||||MO",
					"schedule: until, interval and by... need a frequency"},
			{"1|2|3|4|5|6|7|8|9|10|11", "schedule has more than 10 fields"},
			{NULL, NULL},
	};
	rs_tmrec_t r;
	char why[160];
	int i;

	for(i = 0; cases[i].rec != NULL; i++) {
		CU_ASSERT_EQUAL(rs_tmrec_parse(cases[i].rec, (int)strlen(cases[i].rec),
								&r, why, sizeof(why)),
				RS_E_INVAL);
		CU_ASSERT_STRING_EQUAL(why, cases[i].why);
	}
	CU_ASSERT_EQUAL(rs_tmrec_parse(NULL, 3, &r, why, sizeof(why)), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_tmrec_match(NULL, 0), 0);
}

/* ---- directory fixture ----
 *
 * permission sets: "staff" (call_international 0, forward_external 1),
 *   "lobby" (call_external 0)
 * 200: set staff, voicemail NULL; 200-desk
 * 201: set staff, own call_international 1, forward_external 0; 201-desk
 * 202: set lobby; dnd; pickup group "sales"; 202-desk
 * 203: set "nosuch"; Fork2Mobile on; 203-desk
 * 204: no set, no devices
 * 205: cfwd_target per case; 205-desk
 * 206: dnd with Fork2Mobile on; 206-desk
 * groups: 700 ringall (200 201 202 203), 701 serial (203 at 2, 201 at 1),
 *   702 hunt (200 201 203), last destination voicemail
 */

typedef struct gx
{
	const char *cfwd205;
	const char *last700;
} gx_t;

static int gx_rejects;
static char gx_last_reject[200];

static void gx_rej(
		void *ctx, const char *table, const rs_str_t *key, const char *reason)
{
	(void)ctx;
	gx_rejects++;
	snprintf(gx_last_reject, sizeof(gx_last_reject), "%s %.*s: %s", table,
			key->len, key->s, reason);
}

static rs_user_row_t gx_user(const char *ext, const char *set)
{
	rs_user_row_t r;

	memset(&r, 0, sizeof(r));
	r.extension = ut_s(ext);
	r.domain = ut_s(DOM);
	r.display_name = ut_s(ext);
	r.ring_seconds = 20;
	r.permission_set = ut_s(set);
	r.voicemail = RS_PERM_UNSET;
	r.forward_external = RS_PERM_UNSET;
	r.call_external = RS_PERM_UNSET;
	r.call_international = RS_PERM_UNSET;
	return r;
}

static void gx_dev(rs_dir_builder_t *b, const char *user, const char *ext)
{
	rs_device_row_t r;

	memset(&r, 0, sizeof(r));
	r.username = ut_s(user);
	r.domain = ut_s(DOM);
	r.extension = ut_s(ext);
	r.kind = ut_s("static");
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &r), RS_OK);
}

static void gx_member(rs_dir_builder_t *b, const char *g, const char *ext,
		int pos, rs_err_t want)
{
	rs_group_member_row_t m;

	m.group_extension = ut_s(g);
	m.extension = ut_s(ext);
	m.position = pos;
	CU_ASSERT_EQUAL(rs_dir_builder_add_group_member(b, &m), want);
}

static void gx_group(rs_dir_builder_t *b, const char *ext, const char *strat,
		int ring, const char *last)
{
	rs_group_row_t g;

	memset(&g, 0, sizeof(g));
	g.extension = ut_s(ext);
	g.domain = ut_s(DOM);
	g.display_name = ut_s("Sales");
	g.strategy = ut_s(strat);
	g.ring_seconds = ring;
	g.last_destination = ut_s(last);
	CU_ASSERT_EQUAL(rs_dir_builder_add_group(b, &g), RS_OK);
}

static void gx_fm(rs_dir_builder_t *b, const char *ext, int pos,
		const char *target, const char *sched, int confirm)
{
	rs_followme_row_t r;

	memset(&r, 0, sizeof(r));
	r.extension = ut_s(ext);
	r.position = pos;
	r.target = ut_s(target);
	r.mode = ut_s("serial");
	r.ring_seconds = 15;
	r.enabled = 1;
	r.schedule = ut_s(sched);
	r.confirm = confirm;
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &r), RS_OK);
}

static rs_dir_t *gx_dir(const gx_t *x)
{
	rs_dir_builder_t *b;
	rs_user_row_t u;
	rs_permset_row_t ps;
	rs_dir_t *d = NULL;

	gx_rejects = 0;
	b = rs_dir_builder_new(&rs_alloc_libc, gx_rej, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	u = gx_user("200", "staff");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = gx_user("201", "staff");
	u.call_international = 1;
	u.forward_external = 0;
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = gx_user("202", "lobby");
	u.dnd = 1;
	u.pickup_group = ut_s("sales");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = gx_user("203", "nosuch");
	u.fork2mobile = 1;
	u.mobile = ut_s("01701234567");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = gx_user("204", "");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = gx_user("206", "");
	u.dnd = 1;
	u.fork2mobile = 1;
	u.mobile = ut_s("01701234206");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = gx_user("205", "staff");
	u.cfwd_target = ut_s(x->cfwd205);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	/* sets after the users that name them */
	memset(&ps, 0, sizeof(ps));
	ps.name = ut_s("staff");
	ps.perm[RS_PERM_CALL_EXTERNAL] = RS_PERM_UNSET;
	ps.perm[RS_PERM_CALL_INTERNATIONAL] = 0;
	ps.perm[RS_PERM_FORWARD_EXTERNAL] = 1;
	ps.perm[RS_PERM_VOICEMAIL] = 1;
	CU_ASSERT_EQUAL(rs_dir_builder_add_permset(b, &ps), RS_OK);
	ps.name = ut_s("lobby");
	ps.perm[RS_PERM_CALL_EXTERNAL] = 0;
	ps.perm[RS_PERM_CALL_INTERNATIONAL] = RS_PERM_UNSET;
	ps.perm[RS_PERM_FORWARD_EXTERNAL] = RS_PERM_UNSET;
	ps.perm[RS_PERM_VOICEMAIL] = RS_PERM_UNSET;
	CU_ASSERT_EQUAL(rs_dir_builder_add_permset(b, &ps), RS_OK);
	gx_dev(b, "200-desk", "200");
	gx_dev(b, "201-desk", "201");
	gx_dev(b, "202-desk", "202");
	gx_dev(b, "203-desk", "203");
	gx_dev(b, "205-desk", "205");
	gx_dev(b, "206-desk", "206");
	gx_group(b, "700", "ringall", 15, x->last700);
	gx_group(b, "701", "serial", 10, "");
	gx_group(b, "702", "hunt", 8, "voicemail");
	gx_member(b, "700", "200", 1, RS_OK);
	gx_member(b, "700", "201", 2, RS_OK);
	gx_member(b, "700", "202", 3, RS_OK);
	gx_member(b, "700", "203", 4, RS_OK);
	gx_member(b, "701", "203", 2, RS_OK);
	gx_member(b, "701", "201", 1, RS_OK);
	gx_member(b, "702", "200", 1, RS_OK);
	gx_member(b, "702", "201", 2, RS_OK);
	gx_member(b, "702", "203", 3, RS_OK);
	/* 200: the business-hours entry and a confirmed external entry */
	gx_fm(b, "200", 1, "0301234567",
			"20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR", 1);
	gx_fm(b, "200", 2, "00441234567", "", 0);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, &d), RS_OK);
	rs_dir_builder_free(b);
	CU_ASSERT_EQUAL(gx_rejects, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

static const rs_user_t *gx_u(const rs_dir_t *d, const char *ext)
{
	const rs_user_t *u = rs_dir_user(d, ext, (int)strlen(ext));

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	return u;
}

static void test_permissions(void)
{
	static const gx_t x = {"", ""};
	rs_dir_t *d = gx_dir(&x);
	const rs_user_t *u;

	u = gx_u(d, "200"); /* everything from the set or the default */
	CU_ASSERT_EQUAL(u->perm[RS_PERM_CALL_EXTERNAL], 1);
	CU_ASSERT_EQUAL(u->perm_src[RS_PERM_CALL_EXTERNAL], RS_PERM_SRC_DEFAULT);
	CU_ASSERT_EQUAL(u->perm[RS_PERM_CALL_INTERNATIONAL], 0);
	CU_ASSERT_EQUAL(u->perm_src[RS_PERM_CALL_INTERNATIONAL], RS_PERM_SRC_SET);
	CU_ASSERT_EQUAL(u->forward_external, 1);
	CU_ASSERT_EQUAL(u->perm_src[RS_PERM_FORWARD_EXTERNAL], RS_PERM_SRC_SET);
	CU_ASSERT_EQUAL(u->voicemail, 1);
	u = gx_u(d, "201"); /* its own columns override the set */
	CU_ASSERT_EQUAL(u->perm[RS_PERM_CALL_INTERNATIONAL], 1);
	CU_ASSERT_EQUAL(u->perm_src[RS_PERM_CALL_INTERNATIONAL], RS_PERM_SRC_USER);
	CU_ASSERT_EQUAL(u->forward_external, 0);
	CU_ASSERT_EQUAL(u->perm_src[RS_PERM_FORWARD_EXTERNAL], RS_PERM_SRC_USER);
	u = gx_u(d, "202");
	CU_ASSERT_EQUAL(u->perm[RS_PERM_CALL_EXTERNAL], 0);
	CU_ASSERT_EQUAL(u->dnd, 1);
	CU_ASSERT_STRING_EQUAL(u->pickup_group.s, "sales");
	CU_ASSERT_STRING_EQUAL(u->permission_set.s, "lobby");
	u = gx_u(d, "203"); /* an unknown set: defaults */
	CU_ASSERT_EQUAL(u->permset_unknown, 1);
	CU_ASSERT_EQUAL(u->perm[RS_PERM_CALL_EXTERNAL], 1);
	CU_ASSERT_EQUAL(u->perm[RS_PERM_FORWARD_EXTERNAL], 0);
	CU_ASSERT_EQUAL(u->perm_src[RS_PERM_VOICEMAIL], RS_PERM_SRC_DEFAULT);
	CU_ASSERT_PTR_NOT_NULL(rs_dir_permset(d, "staff", 5));
	CU_ASSERT_PTR_NULL(rs_dir_permset(d, "nosuch", 6));
	CU_ASSERT_STRING_EQUAL(
			rs_perm_name(RS_PERM_FORWARD_EXTERNAL), "forward_external");
	CU_ASSERT_STRING_EQUAL(rs_perm_src_name(RS_PERM_SRC_SET), "set");
	CU_ASSERT_STRING_EQUAL(rs_perm_name((rs_perm_t)9), "unknown");
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_group_directory(void)
{
	static const gx_t x = {"", ""};
	rs_dir_t *d = gx_dir(&x);
	const rs_group_t *g;

	CU_ASSERT_EQUAL(rs_dir_ngroups(d), 3);
	g = rs_dir_group(d, "701", 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->strategy, RS_GRP_SERIAL);
	CU_ASSERT_EQUAL_FATAL(g->nmembers, 2);
	/* by position, not input order */
	CU_ASSERT_STRING_EQUAL(g->members[0]->extension.s, "201");
	CU_ASSERT_STRING_EQUAL(g->members[1]->extension.s, "203");
	CU_ASSERT_EQUAL(g->positions[0], 1);
	CU_ASSERT_PTR_NULL(rs_dir_group(d, "200", 3));
	CU_ASSERT_PTR_NULL(rs_dir_user(d, "700", 3));
	CU_ASSERT_PTR_EQUAL(rs_dir_group_at(d, 0), rs_dir_group(d, "700", 3));
	CU_ASSERT_PTR_NULL(rs_dir_group_at(d, 3));
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_group_rejects(void)
{
	rs_dir_builder_t *b;
	rs_user_row_t u;
	rs_group_row_t g;
	rs_permset_row_t ps;
	rs_dir_t *d = NULL;
	int i;

	b = rs_dir_builder_new(&rs_alloc_libc, gx_rej, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	gx_rejects = 0;
	u = gx_user("200", "");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = gx_user("201", "");
	u.dnd = 2;
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_E_BADROW);
	CU_ASSERT_STRING_EQUAL(gx_last_reject, "rs_user 201: dnd must be 0 or 1");
	u = gx_user("201", "bad set");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_E_BADROW);
	u = gx_user("201", "");
	u.cfwd_target = ut_s("00\n1");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_E_BADROW);
	CU_ASSERT_STRING_EQUAL(gx_last_reject,
			"rs_user 201: cfwd_target contains a control character (CR, LF, "
			"TAB, ...)");
	u.cfwd_target = ut_s("00;1");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_E_BADROW);
	CU_ASSERT_STRING_EQUAL(gx_last_reject,
			"rs_user 201: cfwd_target contains an invalid character "
			"(allowed: 0-9 A-Z a-z * # + . _ -)");
	memset(&g, 0, sizeof(g));
	g.extension = ut_s("800");
	g.strategy = ut_s("random");
	g.ring_seconds = 10;
	CU_ASSERT_EQUAL(rs_dir_builder_add_group(b, &g), RS_E_BADROW);
	CU_ASSERT_STRING_EQUAL(gx_last_reject,
			"rs_group 800: strategy must be ringall, serial or hunt");
	g.strategy = ut_s("hunt");
	g.ring_seconds = 0;
	CU_ASSERT_EQUAL(rs_dir_builder_add_group(b, &g), RS_E_BADROW);
	g.ring_seconds = 10;
	CU_ASSERT_EQUAL(rs_dir_builder_add_group(b, &g), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_group(b, &g), RS_E_DUP);
	g.extension = ut_s("200"); /* a user's extension */
	CU_ASSERT_EQUAL(rs_dir_builder_add_group(b, &g), RS_OK);
	gx_member(b, "800", "200", 1, RS_OK);
	gx_member(b, "800", "200", 2, RS_OK); /* twice */
	gx_member(b, "800", "999", 3, RS_OK); /* not a user */
	gx_member(b, "801", "200", 1, RS_OK); /* no such group */
	gx_member(b, "800", "200", -1, RS_E_BADROW);
	memset(&ps, 0, sizeof(ps));
	ps.name = ut_s("x");
	ps.perm[0] = 2;
	CU_ASSERT_EQUAL(rs_dir_builder_add_permset(b, &ps), RS_E_BADROW);
	ps.perm[0] = 1;
	CU_ASSERT_EQUAL(rs_dir_builder_add_permset(b, &ps), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_builder_add_permset(b, &ps), RS_E_DUP);
	gx_rejects = 0;
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, &d), RS_OK);
	/* 200 as a group, 999, 801, the second 200 */
	CU_ASSERT_EQUAL(gx_rejects, 4);
	CU_ASSERT_EQUAL(rs_dir_ngroups(d), 1);
	CU_ASSERT_EQUAL(rs_dir_group(d, "800", 3)->nmembers, 1);
	rs_dir_free(d, &rs_alloc_libc);
	/* a failing allocator never leaks and leaves the builder usable */
	for(i = 0; i < 3; i++) {
		ut_alloc_t st;
		rs_alloc_t a;

		ut_alloc_init(&st, &a, 0);
		d = NULL;
		CU_ASSERT_EQUAL(rs_dir_freeze(b, &a, &d), RS_E_NOMEM);
		CU_ASSERT_PTR_NULL(d);
		CU_ASSERT_EQUAL(ut_alloc_live(&st), 0);
	}
	rs_dir_builder_free(b);
}

/* ---- plans ---- */

typedef struct busy_ctx
{
	const char *busy; /* one extension, or NULL */
} busy_ctx_t;

static int gx_busy(void *ctx, const rs_user_t *u)
{
	const busy_ctx_t *b = ctx;

	return b->busy != NULL && strcmp(b->busy, u->extension.s) == 0;
}

static void gx_render(rs_plan_input_t *in, int group, const char *want)
{
	static rs_plan_t p;
	char buf[4096];

	if(group)
		CU_ASSERT_EQUAL_FATAL(rs_plan_compile_group(in, &p), RS_OK)
	else
		CU_ASSERT_EQUAL_FATAL(rs_plan_compile(in, &p), RS_OK)
	CU_ASSERT_TRUE(rs_plan_render(&p, DOM, MEDIA, buf, sizeof(buf)) > 0);
	if(strcmp(buf, want) != 0)
		printf("\n  got:\n%s  want:\n%s", buf, want);
	CU_ASSERT_STRING_EQUAL(buf, want);
}

static void test_group_plans(void)
{
	static const gx_t x = {"", ""};
	rs_dir_t *d = gx_dir(&x);
	busy_ctx_t bc = {NULL};
	rs_plan_input_t in;

	memset(&in, 0, sizeof(in));
	in.dir = d;
	in.user_busy = gx_busy;
	in.ctx = &bc;
	in.group = rs_dir_group(d, "700", 3);
	/* ringall: every member at once, 202 in DND, 203 with its mobile */
	gx_render(&in, 1,
			"step 1 q=1.0 timer=15s: <sip:200-desk@" DOM
			"?expires=15>;q=1.0, <sip:201-desk@" DOM
			"?expires=15>;q=1.0, <sip:203-desk@" DOM
			"?expires=15>;q=1.0, <sip:01701234567@" DOM "?expires=15>;q=1.0\n"
			"skipped: 202 (member 3): do not disturb\n");
	/* a busy member is skipped */
	bc.busy = "201";
	gx_render(&in, 1,
			"step 1 q=1.0 timer=15s: <sip:200-desk@" DOM
			"?expires=15>;q=1.0, <sip:203-desk@" DOM
			"?expires=15>;q=1.0, <sip:01701234567@" DOM "?expires=15>;q=1.0\n"
			"skipped: 201 (member 2): busy (max_calls reached)\n"
			"skipped: 202 (member 3): do not disturb\n");
	bc.busy = NULL;
	/* serial: by position, one step each; no last destination */
	in.group = rs_dir_group(d, "701", 3);
	gx_render(&in, 1,
			"step 1 q=1.0 timer=10s: <sip:201-desk@" DOM "?expires=10>;q=1.0\n"
			"step 2 q=0.9 timer=10s: <sip:203-desk@" DOM
			"?expires=10>;q=0.9, <sip:01701234567@" DOM "?expires=10>;q=0.9\n");
	/* hunt: after the last who answered, round robin; voicemail last */
	in.group = rs_dir_group(d, "702", 3);
	in.hunt_after = "201";
	in.voicemail_seconds = 30;
	gx_render(&in, 1,
			"step 1 q=1.0 timer=8s: <sip:203-desk@" DOM
			"?expires=8>;q=1.0, <sip:01701234567@" DOM "?expires=8>;q=1.0\n"
			"step 2 q=0.95 timer=8s: <sip:200-desk@" DOM "?expires=8>;q=0.95\n"
			"step 3 q=0.9 timer=8s: <sip:201-desk@" DOM "?expires=8>;q=0.9\n"
			"step 4 q=0.85 timer=30s: <sip:voicemail@" MEDIA
			"?expires=30>;q=0.85\n");
	in.hunt_after = "203";
	gx_render(&in, 1,
			"step 1 q=1.0 timer=8s: <sip:200-desk@" DOM "?expires=8>;q=1.0\n"
			"step 2 q=0.95 timer=8s: <sip:201-desk@" DOM "?expires=8>;q=0.95\n"
			"step 3 q=0.9 timer=8s: <sip:203-desk@" DOM
			"?expires=8>;q=0.9, <sip:01701234567@" DOM "?expires=8>;q=0.9\n"
			"step 4 q=0.85 timer=30s: <sip:voicemail@" MEDIA
			"?expires=30>;q=0.85\n");
	/* an unknown last answerer: from the first member */
	in.hunt_after = "999";
	{
		static rs_plan_t p;

		CU_ASSERT_EQUAL(rs_plan_compile_group(&in, &p), RS_OK);
		CU_ASSERT_PTR_EQUAL(p.targets[0].member, gx_u(d, "200"));
		CU_ASSERT_STRING_EQUAL(p.ext.s, "702");
		CU_ASSERT_PTR_NULL(p.user);
		in.group = NULL;
		CU_ASSERT_EQUAL(rs_plan_compile_group(&in, &p), RS_E_INVAL);
		CU_ASSERT_EQUAL(rs_plan_compile_group(NULL, &p), RS_E_INVAL);
	}
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_group_last_destinations(void)
{
	static const struct
	{
		const char *last, *want;
	} cases[] = {
			{"204", "step 2 q=0.9 timer=0s: (empty)\n"},
			{"205", "step 2 q=0.9 timer=20s: <sip:205-desk@" DOM
					"?expires=20>;q=0.9\n"},
			{"200-desk", "step 2 q=0.9 timer=60s: <sip:200-desk@" DOM
						 "?expires=60>;q=0.9\n"},
			{"0301234567", "step 2 q=0.9 timer=60s: <sip:0301234567@" DOM
						   "?expires=60>;q=0.9\n"},
			{NULL, NULL},
	};
	static rs_plan_t p;
	rs_plan_input_t in;
	char buf[2048];
	const char *l2;
	int i;

	for(i = 0; cases[i].last != NULL; i++) {
		gx_t x = {"", cases[i].last};
		rs_dir_t *d = gx_dir(&x);

		memset(&in, 0, sizeof(in));
		in.dir = d;
		in.voicemail_seconds = 60;
		in.group = rs_dir_group(d, "700", 3);
		CU_ASSERT_EQUAL(rs_plan_compile_group(&in, &p), RS_OK);
		CU_ASSERT_EQUAL(p.nsteps, 2);
		rs_plan_render(&p, DOM, MEDIA, buf, sizeof(buf));
		l2 = strstr(buf, "step 2");
		CU_ASSERT_PTR_NOT_NULL_FATAL(l2);
		CU_ASSERT_EQUAL(strncmp(l2, cases[i].want, strlen(cases[i].want)), 0);
		rs_dir_free(d, &rs_alloc_libc);
	}
}

static void test_forward_and_dnd(void)
{
	static const struct
	{
		const char *cfwd, *want;
	} cases[] = {
			/* an extension: its devices only, U's do not ring */
			{"201", "step 1 q=1.0 timer=120s: <sip:201-desk@" DOM
					"?expires=120>;q=1.0\n"},
			{"0301234567", "step 1 q=1.0 timer=120s: <sip:0301234567@" DOM
						   "?expires=120>;q=1.0\n"},
			/* staff may not call abroad: the own plan, and why */
			{"00441234567",
					"step 1 q=1.0 timer=20s: <sip:205-desk@" DOM
					"?expires=20>;q=1.0\n"
					"step 2 q=0.9 timer=30s: <sip:voicemail@" MEDIA
					"?expires=30>;q=0.9\n"
					"skipped: 00441234567 (forwarding): international calls "
					"not allowed for 205, ringing its own plan\n"},
			{"nobody", "step 1 q=1.0 timer=20s: <sip:205-desk@" DOM
					   "?expires=20>;q=1.0\n"
					   "step 2 q=0.9 timer=30s: <sip:voicemail@" MEDIA
					   "?expires=30>;q=0.9\n"
					   "skipped: nobody (forwarding): unknown forward "
					   "target, ringing 205's own plan\n"},
			{NULL, NULL},
	};
	rs_plan_input_t in;
	int i;

	for(i = 0; cases[i].cfwd != NULL; i++) {
		gx_t x = {cases[i].cfwd, ""};
		rs_dir_t *d = gx_dir(&x);

		memset(&in, 0, sizeof(in));
		in.dir = d;
		in.voicemail_seconds = 30;
		in.user = gx_u(d, "205");
		gx_render(&in, 0, cases[i].want);
		if(i == 0) {
			/* DND: own devices skipped, nothing else to ring */
			in.user = gx_u(d, "202");
			gx_render(&in, 0,
					"step 1 q=1.0 timer=0s: (empty)\n"
					"skipped: 202-desk (own device): do not disturb\n");
			/* DND with Fork2Mobile on: the mobile leg is skipped too */
			in.user = gx_u(d, "206");
			gx_render(&in, 0,
					"step 1 q=1.0 timer=0s: (empty)\n"
					"skipped: 206-desk (own device): do not disturb\n"
					"skipped: 01701234206 (fork2mobile): do not disturb\n");
		}
		rs_dir_free(d, &rs_alloc_libc);
	}
}

static void test_schedule_and_confirm(void)
{
	static const gx_t x = {"", ""};
	rs_dir_t *d = gx_dir(&x);
	rs_plan_input_t in;

	memset(&in, 0, sizeof(in));
	in.dir = d;
	in.voicemail_seconds = 30;
	in.user = gx_u(d, "200");
	in.now_set = 1;
	/* Monday 10:00: inside business hours, the confirmed entry rings */
	in.now = rs_wallclock(2026, 1, 12, 10, 0, 0);
	gx_render(&in, 0,
			"step 1 q=1.0 timer=20s: <sip:200-desk@" DOM "?expires=20>;q=1.0\n"
			"step 2 q=0.95 timer=15s: <sip:0301234567@" DOM
			"?expires=15&confirm=1>;q=0.95\n"
			"step 3 q=0.9 timer=0s: (empty)\n"
			"step 4 q=0.85 timer=30s: <sip:voicemail@" MEDIA
			"?expires=30>;q=0.85\n"
			"skipped: 00441234567 (entry 2): international calls not "
			"allowed for 200\n");
	/* Sunday: outside, the step stays and the q-values do not move */
	in.now = rs_wallclock(2026, 1, 11, 10, 0, 0);
	gx_render(&in, 0,
			"step 1 q=1.0 timer=20s: <sip:200-desk@" DOM "?expires=20>;q=1.0\n"
			"step 2 q=0.95 timer=0s: (empty)\n"
			"step 3 q=0.9 timer=0s: (empty)\n"
			"step 4 q=0.85 timer=30s: <sip:voicemail@" MEDIA
			"?expires=30>;q=0.85\n"
			"skipped: 0301234567 (entry 1): outside its schedule\n"
			"skipped: 00441234567 (entry 2): international calls not "
			"allowed for 200\n");
	CU_ASSERT_EQUAL(
			rs_plan_is_international(&(rs_str_t)UT_L("00441234567"), NULL), 1);
	CU_ASSERT_EQUAL(
			rs_plan_is_international(&(rs_str_t)UT_L("0301234567"), "00"), 0);
	CU_ASSERT_EQUAL(
			rs_plan_is_international(&(rs_str_t)UT_L("+44123"), "+"), 1);
	CU_ASSERT_EQUAL(rs_plan_is_international(&(rs_str_t)UT_L("00"), "00"), 0);
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_feature_prefix(void)
{
	rs_dir_builder_t *b;
	rs_feature_row_t f;
	rs_dir_t *d = NULL;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f.enabled = 1;
	f.code = ut_s("*72");
	f.service = ut_s("cfwd_on");
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &f), RS_OK);
	f.code = ut_s("**");
	f.service = ut_s("pickup_directed");
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &f), RS_OK);
	f.code = ut_s("*73");
	f.service = ut_s("cfwd_off");
	CU_ASSERT_EQUAL(rs_dir_builder_add_feature(b, &f), RS_OK);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, &d), RS_OK);
	rs_dir_builder_free(b);
	CU_ASSERT_EQUAL(rs_dir_feature_prefix(d, "*720301234", 10)->service,
			RS_SVC_CFWD_ON);
	CU_ASSERT_EQUAL(rs_dir_feature_prefix(d, "**201", 5)->service,
			RS_SVC_PICKUP_DIRECTED);
	CU_ASSERT_PTR_NULL(rs_dir_feature_prefix(d, "*72", 3));	  /* no argument */
	CU_ASSERT_PTR_NULL(rs_dir_feature_prefix(d, "*7301", 5)); /* no prefix */
	CU_ASSERT_EQUAL(rs_service_takes_arg(RS_SVC_DND_ON), 0);
	CU_ASSERT_STRING_EQUAL(rs_target_kind_name(RS_TGT_CONFIRM), "confirm");
	CU_ASSERT_STRING_EQUAL(
			rs_service_name(RS_SVC_PICKUP_GROUP), "pickup_group");
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_kvtab(void)
{
	static char mem[4096];
	rs_kvtab_t *t;
	char v[RS_KV_VAL_MAX + 1];

	CU_ASSERT_EQUAL(rs_kvtab_size(0), 0);
	CU_ASSERT_PTR_NULL(rs_kvtab_init(mem, 8, 2));
	t = rs_kvtab_init(mem, sizeof(mem), 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(rs_kvtab_get(t, "702", 3, v), -1);
	CU_ASSERT_EQUAL(rs_kvtab_set(t, "702", 3, "201", 3), RS_OK);
	CU_ASSERT_EQUAL(rs_kvtab_set(t, "702", 3, "2030", 4), RS_OK);
	CU_ASSERT_EQUAL(rs_kvtab_get(t, "702", 3, v), 4);
	CU_ASSERT_STRING_EQUAL(v, "2030");
	CU_ASSERT_EQUAL(rs_kvtab_set(t, "703", 3, "1", 1), RS_OK);
	CU_ASSERT_EQUAL(rs_kvtab_set(t, "704", 3, "1", 1), RS_E_LIMIT);
	CU_ASSERT_EQUAL(rs_kvtab_count(t), 2);
	CU_ASSERT_EQUAL(rs_kvtab_set(t, "", 0, "1", 1), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_kvtab_set(t, "703", 3, "", 0), RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_kvtab_set(t, "0123456789012345678901234567890123", 34, "1", 1),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_kvtab_get(NULL, "702", 3, v), -1);
}

int ut_register_groups(void)
{
	static const ut_test_t tests[] = {
			{"tmrec_match", test_tmrec_match},
			{"tmrec_parse_errors", test_tmrec_parse_errors},
			{"permissions", test_permissions},
			{"group_directory", test_group_directory},
			{"group_rejects", test_group_rejects},
			{"group_plans", test_group_plans},
			{"group_last_destinations", test_group_last_destinations},
			{"forward_and_dnd", test_forward_and_dnd},
			{"schedule_and_confirm", test_schedule_and_confirm},
			{"feature_prefix", test_feature_prefix},
			{"kvtab", test_kvtab},
			{NULL, NULL},
	};

	return ut_add_suite("groups", tests);
}
