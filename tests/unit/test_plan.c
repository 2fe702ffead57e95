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

/* tests of rs_plan.c */

#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "rs_plan.h"
#include "rs_userdir.h"

#define DOM "pbx.example.com"
#define MEDIA "media.example.com"

/* one contact in the sipX form */
#define D(user, secs, q) "<sip:" user "@" DOM "?expires=" #secs ">;q=" q
#define VM(secs, q) "<sip:voicemail@" MEDIA "?expires=" #secs ">;q=" q

/* step 1 of user 100 with both devices ringing and nothing else */
#define OWN_Q1 D("100-desk", 20, "1.0") ", " D("hotdesk-100", 20, "1.0")
#define STEP1 "step 1 q=1.0 timer=20s: " OWN_Q1 "\n"

/* ---- fixture ----
 *
 * user 100 (the called user, flags per case, ring 20): 100-desk,
 *     hotdesk-100; follow-me per case
 * user 101 (voicemail, Fork2Mobile on, ring 15): 101-desk, 101-soft;
 *     follow-me: 1 serial +4930999, 2 parallel 103
 * user 102 (voicemail): no devices
 * user 103 (ring 25): 103-desk
 * user 104: 104-a (empty domain), 104-b, 104-c, 104-d
 * hotdesk-lobby: a terminal
 */

typedef struct fm_spec
{
	int pos;
	const char *target; /* NULL ends a list */
	const char *mode;
	int ring, enabled;
} fm_spec_t;

typedef struct cnt_spec
{
	const char *user; /* NULL ends a list; unlisted devices have 1 */
	int n;
} cnt_spec_t;

/* user 100's flags */
typedef struct u100_spec
{
	int vm, fwd, f2m;
	const char *mobile;
} u100_spec_t;

typedef struct cnt_ctx
{
	const cnt_spec_t *cnt;
	int calls;
} cnt_ctx_t;

static int fx_rejects;

static void fx_rej(
		void *ctx, const char *table, const rs_str_t *key, const char *reason)
{
	(void)ctx;
	fx_rejects++;
	printf("\n  unexpected reject %s %.*s: %s\n", table, key->len, key->s,
			reason);
}

static rs_user_row_t fx_user(const char *ext, int ring)
{
	rs_user_row_t r;

	memset(&r, 0, sizeof(r));
	r.extension = ut_s(ext);
	r.domain = ut_s(DOM);
	r.display_name = ut_s(ext);
	r.ring_seconds = ring;
	return r;
}

static void fx_dev(rs_dir_builder_t *b, const char *user, const char *ext,
		const char *kind, const char *dom)
{
	rs_device_row_t r;

	memset(&r, 0, sizeof(r));
	r.username = ut_s(user);
	r.domain = ut_s(dom);
	r.extension = ut_s(ext);
	r.kind = ut_s(kind);
	CU_ASSERT_EQUAL(rs_dir_builder_add_device(b, &r), RS_OK);
}

static void fx_fm(rs_dir_builder_t *b, const char *ext, const fm_spec_t *f)
{
	rs_followme_row_t r;

	memset(&r, 0, sizeof(r));
	r.extension = ut_s(ext);
	r.position = f->pos;
	r.target = ut_s(f->target);
	r.mode = ut_s(f->mode);
	r.ring_seconds = f->ring;
	r.enabled = f->enabled;
	CU_ASSERT_EQUAL(rs_dir_builder_add_followme(b, &r), RS_OK);
}

static rs_dir_t *fx_dir(const u100_spec_t *s, const fm_spec_t *fm)
{
	static const fm_spec_t fm101[] = {
			{1, "+4930999", "serial", 30, 1},
			{2, "103", "parallel", 10, 1},
	};
	rs_dir_builder_t *b;
	rs_user_row_t u;
	rs_dir_t *d = NULL;

	fx_rejects = 0;
	b = rs_dir_builder_new(&rs_alloc_libc, fx_rej, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	u = fx_user("100", 20);
	u.voicemail = s->vm;
	u.forward_external = s->fwd;
	u.fork2mobile = s->f2m;
	u.mobile = ut_s(s->mobile);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = fx_user("101", 15);
	u.voicemail = 1;
	u.fork2mobile = 1;
	u.mobile = ut_s("+491701010101");
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = fx_user("102", 20);
	u.voicemail = 1;
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = fx_user("103", 25);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	u = fx_user("104", 20);
	CU_ASSERT_EQUAL(rs_dir_builder_add_user(b, &u), RS_OK);
	fx_dev(b, "100-desk", "100", "static", DOM);
	fx_dev(b, "hotdesk-100", "100", "hotdesk_account", DOM);
	fx_dev(b, "101-desk", "101", "static", DOM);
	fx_dev(b, "101-soft", "101", "static", DOM);
	fx_dev(b, "103-desk", "103", "static", DOM);
	fx_dev(b, "104-a", "104", "static", NULL);
	fx_dev(b, "104-b", "104", "static", DOM);
	fx_dev(b, "104-c", "104", "static", DOM);
	fx_dev(b, "104-d", "104", "static", DOM);
	fx_dev(b, "hotdesk-lobby", NULL, "hotdesk_terminal", DOM);
	fx_fm(b, "101", &fm101[0]);
	fx_fm(b, "101", &fm101[1]);
	for(; fm != NULL && fm->target != NULL; fm++)
		fx_fm(b, "100", fm);
	CU_ASSERT_EQUAL(rs_dir_freeze(b, &rs_alloc_libc, &d), RS_OK);
	rs_dir_builder_free(b);
	CU_ASSERT_EQUAL(fx_rejects, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	return d;
}

static const rs_user_t *fx_u(const rs_dir_t *d, const char *ext)
{
	const rs_user_t *u = rs_dir_user(d, ext, (int)strlen(ext));

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	return u;
}

static int fx_contacts(void *ctx, const rs_device_t *d)
{
	cnt_ctx_t *c = ctx;
	const cnt_spec_t *s;

	c->calls++;
	for(s = c->cnt; s != NULL && s->user != NULL; s++)
		if(strcmp(s->user, d->username.s) == 0)
			return s->n;
	return 1;
}

static void fx_input(rs_plan_input_t *in, const rs_dir_t *d, const rs_user_t *u,
		cnt_ctx_t *cc)
{
	memset(in, 0, sizeof(*in));
	in->dir = d;
	in->user = u;
	in->ncontacts = cc != NULL ? fx_contacts : NULL; /* NULL: 1 each */
	in->ctx = cc;
}

/* rs_plan_render() into a buffer that must be large enough */
static const char *fx_render(const rs_plan_t *p, char *buf, size_t len)
{
	int n = rs_plan_render(p, DOM, MEDIA, buf, len);

	CU_ASSERT(n >= 0 && (size_t)n < len);
	return buf;
}

/* ---- the plan as text, case by case ---- */

typedef struct plan_case
{
	const char *what;
	u100_spec_t u;
	fm_spec_t fm[8];
	cnt_spec_t cnt[4];
	int own_busy, vm_seconds, max_contacts;
	const char *want; /* exact rs_plan_render() text */
} plan_case_t;

/* clang-format off */
static const plan_case_t plan_cases[] = {
	{"sipX example: n = 3, all serial",
		{0, 1, 0, NULL},
		{{1, "101", "serial", 20, 1}, {2, "103", "serial", 25, 1},
			{3, "+4930123", "serial", 40, 1}},
		{{NULL, 0}}, 0, 0, 0,
		STEP1
		"step 2 q=0.95 timer=20s: " D("101-desk", 20, "0.95") ", "
			D("101-soft", 20, "0.95") "\n"
		"step 3 q=0.9 timer=25s: " D("103-desk", 25, "0.9") "\n"
		"step 4 q=0.85 timer=40s: " D("+4930123", 40, "0.85") "\n"},
	{"mixed parallel and serial, voicemail last",
		{1, 1, 0, NULL},
		{{1, "103", "parallel", 30, 1}, {2, "101", "serial", 25, 1},
			{3, "+4930123", "parallel", 40, 1},
			{4, "101-soft", "serial", 10, 1}},
		{{NULL, 0}}, 0, 0, 0,
		"step 1 q=1.0 timer=30s: " OWN_Q1 ", " D("103-desk", 30, "1.0") "\n"
		"step 2 q=0.967 timer=40s: " D("101-desk", 25, "0.967") ", "
			D("101-soft", 25, "0.967") ", " D("+4930123", 40, "0.967") "\n"
		"step 3 q=0.933 timer=10s: " D("101-soft", 10, "0.933") "\n"
		"step 4 q=0.9 timer=30s: " VM(30, "0.9") "\n"},
	{"voicemail only, counted in n",
		{1, 0, 0, NULL}, {{0, NULL, NULL, 0, 0}}, {{NULL, 0}}, 0, 45, 0,
		STEP1
		"step 2 q=0.9 timer=45s: " VM(45, "0.9") "\n"},
	{"serial entry and voicemail: n = 2",
		{1, 0, 0, NULL}, {{5, "103", "serial", 25, 1}}, {{NULL, 0}}, 0, 0, 0,
		STEP1
		"step 2 q=0.933 timer=25s: " D("103-desk", 25, "0.933") "\n"
		"step 3 q=0.867 timer=30s: " VM(30, "0.867") "\n"},
	{"Fork2Mobile joins step 1 before parallel entries",
		{0, 0, 1, "+491700000100"}, {{1, "103", "parallel", 30, 1}},
		{{NULL, 0}}, 0, 0, 0,
		"step 1 q=1.0 timer=30s: " OWN_Q1 ", "
			D("+491700000100", 20, "1.0") ", " D("103-desk", 30, "1.0") "\n"},
	{"Fork2Mobile on without a mobile",
		{0, 0, 1, NULL}, {{0, NULL, NULL, 0, 0}}, {{NULL, 0}}, 0, 0, 0,
		STEP1},
	{"Fork2Mobile off with a mobile",
		{0, 0, 0, "+491700000100"}, {{0, NULL, NULL, 0, 0}}, {{NULL, 0}},
		0, 0, 0,
		STEP1},
	{"Fork2Mobile with a bad mobile",
		{0, 0, 1, "0170 1234"}, {{0, NULL, NULL, 0, 0}}, {{NULL, 0}},
		0, 0, 0,
		STEP1
		"skipped: 0170 1234 (fork2mobile): mobile is not a valid number\n"},
	{"extension entry: devices only, not its follow-me or voicemail",
		{0, 0, 0, NULL}, {{1, "101", "serial", 20, 1}}, {{NULL, 0}},
		0, 0, 0,
		STEP1
		"step 2 q=0.9 timer=20s: " D("101-desk", 20, "0.9") ", "
			D("101-soft", 20, "0.9") "\n"},
	{"device entries: a terminal and another user's device",
		{0, 0, 0, NULL},
		{{1, "hotdesk-lobby", "serial", 15, 1},
			{2, "101-soft", "parallel", 25, 1}},
		{{NULL, 0}}, 0, 0, 0,
		STEP1
		"step 2 q=0.933 timer=25s: " D("hotdesk-lobby", 15, "0.933") ", "
			D("101-soft", 25, "0.933") "\n"},
	{"external number without forward_external",
		{0, 0, 0, NULL}, {{1, "+4930123", "serial", 40, 1}}, {{NULL, 0}},
		0, 0, 0,
		STEP1
		"step 2 q=0.9 timer=0s: (empty)\n"
		"skipped: +4930123 (entry 1): "
			"external forwarding not allowed for 100\n"},
	{"external number with forward_external",
		{0, 1, 0, NULL}, {{1, "+4930123", "serial", 40, 1}}, {{NULL, 0}},
		0, 0, 0,
		STEP1
		"step 2 q=0.9 timer=40s: " D("+4930123", 40, "0.9") "\n"},
	{"feature-code number is escaped",
		{0, 1, 0, NULL}, {{1, "*21#", "serial", 10, 1}}, {{NULL, 0}},
		0, 0, 0,
		STEP1
		"step 2 q=0.9 timer=10s: " D("*21%23", 10, "0.9") "\n"},
	{"unknown targets keep their step",
		{0, 1, 0, NULL},
		{{1, "nobody", "serial", 20, 1}, {2, "9", "parallel", 20, 1},
			{3, "103", "serial", 20, 1}},
		{{NULL, 0}}, 0, 0, 0,
		STEP1
		"step 2 q=0.95 timer=0s: (empty)\n"
		"step 3 q=0.9 timer=20s: " D("103-desk", 20, "0.9") "\n"
		"skipped: nobody (entry 1): unknown target\n"
		"skipped: 9 (entry 2): unknown target\n"},
	{"disabled entry is listed and not counted",
		{0, 0, 0, NULL},
		{{1, "101", "serial", 20, 0}, {2, "103", "serial", 25, 1}},
		{{NULL, 0}}, 0, 0, 0,
		STEP1
		"step 2 q=0.9 timer=25s: " D("103-desk", 25, "0.9") "\n"
		"skipped: 101 (entry 1): disabled\n"},
	{"positions out of input order",
		{0, 0, 0, NULL},
		{{30, "103", "serial", 20, 1}, {10, "101-desk", "serial", 20, 1},
			{20, "nobody", "serial", 20, 0}},
		{{NULL, 0}}, 0, 0, 0,
		STEP1
		"step 2 q=0.933 timer=20s: " D("101-desk", 20, "0.933") "\n"
		"step 3 q=0.867 timer=20s: " D("103-desk", 20, "0.867") "\n"
		"skipped: nobody (entry 20): disabled\n"},
	{"extension without devices",
		{0, 0, 0, NULL}, {{1, "102", "serial", 20, 1}}, {{NULL, 0}},
		0, 0, 0,
		STEP1
		"step 2 q=0.9 timer=0s: (empty)\n"
		"skipped: 102 (entry 1): no devices\n"},
	{"device not registered",
		{0, 0, 0, NULL}, {{0, NULL, NULL, 0, 0}},
		{{"100-desk", 0}, {NULL, 0}}, 0, 0, 0,
		"step 1 q=1.0 timer=20s: " D("hotdesk-100", 20, "1.0") "\n"
		"skipped: 100-desk (own device): not registered\n"},
	{"nothing registered in step 1",
		{0, 0, 0, NULL}, {{1, "103", "serial", 25, 1}},
		{{"100-desk", 0}, {"hotdesk-100", -3}, {NULL, 0}}, 0, 0, 0,
		"step 1 q=1.0 timer=0s: (empty)\n"
		"step 2 q=0.9 timer=25s: " D("103-desk", 25, "0.9") "\n"
		"skipped: 100-desk (own device): not registered\n"
		"skipped: hotdesk-100 (own device): not registered\n"},
	{"busy: own devices skipped everywhere, mobile rings",
		{0, 0, 1, "+491700000100"},
		{{1, "100", "serial", 20, 1}, {2, "103", "serial", 20, 1}},
		{{NULL, 0}}, 1, 0, 0,
		"step 1 q=1.0 timer=20s: " D("+491700000100", 20, "1.0") "\n"
		"step 2 q=0.933 timer=0s: (empty)\n"
		"step 3 q=0.867 timer=20s: " D("103-desk", 20, "0.867") "\n"
		"skipped: 100-desk (own device): busy (max_calls reached)\n"
		"skipped: hotdesk-100 (own device): busy (max_calls reached)\n"
		"skipped: 100-desk (entry 1): busy (max_calls reached)\n"
		"skipped: hotdesk-100 (entry 1): busy (max_calls reached)\n"},
	{"12 contacts per step, later small targets still fit",
		{0, 1, 0, NULL},
		{{1, "101", "parallel", 20, 1}, {2, "+4930123", "parallel", 30, 1},
			{3, "+4930124", "parallel", 30, 1}},
		{{"100-desk", 5}, {"hotdesk-100", 5}, {"101-soft", 3}, {NULL, 0}},
		0, 0, 0,
		"step 1 q=1.0 timer=30s: " OWN_Q1 ", " D("101-desk", 20, "1.0")
			", " D("+4930123", 30, "1.0") "\n"
		"skipped: 101-soft (entry 1): more than 12 contacts in step 1\n"
		"skipped: +4930124 (entry 3): more than 12 contacts in step 1\n"},
	{"a device with 13 contacts alone",
		{0, 0, 0, NULL}, {{1, "103", "serial", 25, 1}},
		{{"103-desk", 13}, {NULL, 0}}, 0, 0, 0,
		STEP1
		"step 2 q=0.9 timer=0s: (empty)\n"
		"skipped: 103-desk (entry 1): more than 12 contacts in step 2\n"},
	{"max_step_contacts 2 trims the mobile",
		{0, 0, 1, "+491700000100"}, {{0, NULL, NULL, 0, 0}}, {{NULL, 0}},
		0, 0, 2,
		STEP1
		"skipped: +491700000100 (fork2mobile): "
			"more than 2 contacts in step 1\n"},
	{"same device or number twice in one step",
		{0, 1, 1, "+4917001"},
		{{1, "100", "parallel", 30, 1}, {2, "+4917001", "parallel", 30, 1},
			{3, "100", "serial", 30, 1}},
		{{NULL, 0}}, 0, 0, 0,
		"step 1 q=1.0 timer=20s: " OWN_Q1 ", " D("+4917001", 20, "1.0") "\n"
		"step 2 q=0.95 timer=30s: " D("100-desk", 30, "0.95") ", "
			D("hotdesk-100", 30, "0.95") "\n"
		"skipped: 100-desk (entry 1): already in step 1\n"
		"skipped: hotdesk-100 (entry 1): already in step 1\n"
		"skipped: +4917001 (entry 2): already in step 1\n"},
	{"empty follow-me list",
		{0, 0, 0, NULL}, {{0, NULL, NULL, 0, 0}}, {{NULL, 0}}, 0, 0, 0,
		STEP1},
};
/* clang-format on */

static void test_plan_cases(void)
{
	static char buf[8192];
	rs_plan_input_t in;
	rs_plan_t p;
	cnt_ctx_t cc;
	rs_dir_t *d;
	rs_err_t rc;
	size_t i;

	for(i = 0; i < sizeof(plan_cases) / sizeof(plan_cases[0]); i++) {
		const plan_case_t *c = &plan_cases[i];

		d = fx_dir(&c->u, c->fm);
		cc.cnt = c->cnt;
		cc.calls = 0;
		fx_input(&in, d, fx_u(d, "100"), &cc);
		in.own_busy = c->own_busy;
		in.voicemail_seconds = c->vm_seconds;
		in.max_step_contacts = c->max_contacts;
		rc = rs_plan_compile(&in, &p);
		CU_ASSERT_EQUAL(rc, RS_OK);
		if(rc == RS_OK) {
			fx_render(&p, buf, sizeof(buf));
			if(strcmp(buf, c->want) != 0)
				printf("\n  case \"%s\":\n--- got\n%s--- want\n%s---\n",
						c->what, buf, c->want);
			CU_ASSERT_STRING_EQUAL(buf, c->want);
			CU_ASSERT_STRING_EQUAL(p.why, "");
		}
		rs_dir_free(d, &rs_alloc_libc);
	}
}

/* ---- the plan as data ---- */

static void test_sipx_fields(void)
{
	static const fm_spec_t fm[] = {{1, "101", "serial", 20, 1},
			{2, "103", "serial", 25, 1}, {3, "+4930123", "serial", 40, 1},
			{0, NULL, NULL, 0, 0}};
	static const int q[] = {1000, 950, 900, 850};
	static const u100_spec_t us = {0, 1, 0, NULL};
	static char buf[1024];
	const rs_plan_target_t *t;
	const rs_user_t *u;
	rs_plan_input_t in;
	rs_plan_t p;
	cnt_ctx_t cc = {NULL, 0};
	rs_dir_t *d;
	int i, n;

	d = fx_dir(&us, fm);
	u = fx_u(d, "100");
	fx_input(&in, d, u, &cc);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_PTR_EQUAL(p.user, u);
	CU_ASSERT_EQUAL(p.n, 3);
	CU_ASSERT_EQUAL(p.delta_q, 50);
	CU_ASSERT_EQUAL_FATAL(p.nsteps, 4);
	CU_ASSERT_EQUAL(p.ntargets, 6);
	CU_ASSERT_EQUAL(p.nskips, 0);
	CU_ASSERT_EQUAL(p.nskips_lost, 0);
	CU_ASSERT_EQUAL(cc.calls, 5); /* every DEVICE target, once */
	for(i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(p.steps[i].q, q[i]);
	CU_ASSERT_EQUAL(p.steps[0].first, 0);
	CU_ASSERT_EQUAL(p.steps[0].count, 2);
	CU_ASSERT_EQUAL(p.steps[0].ringable, 2);
	CU_ASSERT_EQUAL(p.steps[0].ncontacts, 2);
	CU_ASSERT_EQUAL(p.steps[0].timer, 20);
	CU_ASSERT_EQUAL(p.steps[1].first, 2);
	CU_ASSERT_EQUAL(p.steps[1].count, 2);
	CU_ASSERT_EQUAL(p.steps[2].first, 4);
	CU_ASSERT_EQUAL(p.steps[2].count, 1);
	CU_ASSERT_EQUAL(p.steps[2].timer, 25);
	CU_ASSERT_EQUAL(p.steps[3].first, 5);
	CU_ASSERT_EQUAL(p.steps[3].count, 1);
	CU_ASSERT_EQUAL(p.steps[3].timer, 40);

	t = &p.targets[0];
	CU_ASSERT_EQUAL(t->kind, RS_TGT_DEVICE);
	CU_ASSERT_PTR_EQUAL(t->device, u->devices[0]);
	CU_ASSERT_EQUAL(t->entry_position, -1);
	CU_ASSERT_EQUAL(t->registered, 1);
	CU_ASSERT_EQUAL(t->ncontacts, 1);
	CU_ASSERT_EQUAL(t->ring_seconds, 20);
	t = &p.targets[3];
	CU_ASSERT_EQUAL(t->kind, RS_TGT_DEVICE);
	CU_ASSERT_PTR_EQUAL(t->device, rs_dir_device(d, "101-soft", 8));
	CU_ASSERT_STRING_EQUAL(t->name.s, "101-soft");
	CU_ASSERT_EQUAL(t->entry_position, 1);
	t = &p.targets[5];
	CU_ASSERT_EQUAL(t->kind, RS_TGT_EXTERNAL);
	CU_ASSERT_PTR_NULL(t->device);
	CU_ASSERT_STRING_EQUAL(t->name.s, "+4930123");
	CU_ASSERT_EQUAL(t->name.len, 8);
	CU_ASSERT_EQUAL(t->entry_position, 3);
	CU_ASSERT_EQUAL(t->ring_seconds, 40);
	CU_ASSERT_EQUAL(t->ncontacts, 1);
	CU_ASSERT_EQUAL(t->registered, 1);

	/* one contact at a time */
	n = rs_plan_target_render(&p, 3, 0, DOM, MEDIA, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "<sip:+4930123@" DOM "?expires=40>;q=0.85");
	CU_ASSERT_EQUAL(n, (int)strlen(buf));
	n = rs_plan_target_render(&p, 1, 1, DOM, MEDIA, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "<sip:101-soft@" DOM "?expires=20>;q=0.95");
	CU_ASSERT_EQUAL(n, (int)strlen(buf));
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_voicemail_and_mobile_fields(void)
{
	static const u100_spec_t us = {1, 0, 1, "+491700000100"};
	static char buf[256];
	const rs_plan_target_t *t;
	rs_plan_input_t in;
	rs_plan_t p;
	cnt_ctx_t cc = {NULL, 0};
	rs_dir_t *d;
	const rs_user_t *u;

	d = fx_dir(&us, NULL);
	u = fx_u(d, "100");
	fx_input(&in, d, u, &cc);
	in.voicemail_seconds = 600;
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL(p.n, 1);
	CU_ASSERT_EQUAL(p.delta_q, 100);
	CU_ASSERT_EQUAL_FATAL(p.nsteps, 2);
	CU_ASSERT_EQUAL_FATAL(p.ntargets, 4);
	CU_ASSERT_EQUAL(p.steps[0].count, 3);
	CU_ASSERT_EQUAL(p.steps[0].ncontacts, 3);
	t = &p.targets[2];
	CU_ASSERT_EQUAL(t->kind, RS_TGT_MOBILE);
	CU_ASSERT_PTR_EQUAL(t->name.s, u->mobile.s);
	CU_ASSERT_EQUAL(t->entry_position, -1);
	CU_ASSERT_EQUAL(t->ring_seconds, 20);
	t = &p.targets[3];
	CU_ASSERT_EQUAL(t->kind, RS_TGT_VOICEMAIL);
	CU_ASSERT_STRING_EQUAL(t->name.s, "voicemail");
	CU_ASSERT_PTR_NULL(t->device);
	CU_ASSERT_EQUAL(t->ring_seconds, 600);
	CU_ASSERT_EQUAL(t->ncontacts, 1);
	CU_ASSERT_EQUAL(p.steps[1].q, 900);
	CU_ASSERT_EQUAL(p.steps[1].timer, 600);
	CU_ASSERT_EQUAL(p.steps[1].ringable, 1);
	/* the host comes from media_host, never from the domain */
	rs_plan_target_render(&p, 1, 0, "x.example.org", "vm.local", buf, 256);
	CU_ASSERT_STRING_EQUAL(buf, "<sip:voicemail@vm.local?expires=600>;q=0.9");
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_not_registered_fields(void)
{
	static const fm_spec_t fm[] = {
			{7, "101", "serial", 20, 1}, {0, NULL, NULL, 0, 0}};
	static const cnt_spec_t cnt[] = {{"101-soft", 0}, {"101-desk", 4},
			{"100-desk", 0}, {"hotdesk-100", 0}, {NULL, 0}};
	static const u100_spec_t us = {0, 0, 0, NULL};
	rs_plan_input_t in;
	rs_plan_t p;
	cnt_ctx_t cc = {cnt, 0};
	rs_dir_t *d;

	d = fx_dir(&us, fm);
	fx_input(&in, d, fx_u(d, "100"), &cc);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nsteps, 2);
	/* not registered: kept in the plan, not ringable, explained */
	CU_ASSERT_EQUAL(p.ntargets, 4);
	CU_ASSERT_EQUAL(p.steps[0].count, 2);
	CU_ASSERT_EQUAL(p.steps[0].ringable, 0);
	CU_ASSERT_EQUAL(p.steps[0].ncontacts, 0);
	CU_ASSERT_EQUAL(p.steps[0].timer, 0);
	CU_ASSERT_EQUAL(p.steps[0].q, 1000);
	CU_ASSERT_EQUAL(p.steps[1].count, 2);
	CU_ASSERT_EQUAL(p.steps[1].ringable, 1);
	CU_ASSERT_EQUAL(p.steps[1].ncontacts, 4);
	CU_ASSERT_EQUAL(p.targets[2].registered, 1);
	CU_ASSERT_EQUAL(p.targets[2].ncontacts, 4);
	CU_ASSERT_EQUAL(p.targets[3].registered, 0);
	CU_ASSERT_EQUAL(p.targets[3].ncontacts, 0);
	CU_ASSERT_EQUAL(p.targets[3].entry_position, 7);
	CU_ASSERT_EQUAL_FATAL(p.nskips, 3);
	CU_ASSERT_EQUAL(p.skips[2].step, 1);
	CU_ASSERT_EQUAL(p.skips[2].entry_position, 7);
	CU_ASSERT_EQUAL(p.skips[2].kind, RS_TGT_DEVICE);
	CU_ASSERT_STRING_EQUAL(p.skips[2].target.s, "101-soft");
	CU_ASSERT_STRING_EQUAL(p.skips[2].reason, "not registered");
	CU_ASSERT_EQUAL(cc.calls, 4);

	/* without a callback every device has one contact */
	in.ncontacts = NULL;
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL(p.steps[0].ringable, 2);
	CU_ASSERT_EQUAL(p.steps[1].ncontacts, 2);
	CU_ASSERT_EQUAL(p.nskips, 0);
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_skip_fields(void)
{
	static const fm_spec_t fm[] = {{1, "101", "serial", 20, 0},
			{2, "+4930123", "serial", 20, 1}, {3, "zzz", "parallel", 20, 1},
			{0, NULL, NULL, 0, 0}};
	static const u100_spec_t us = {0, 0, 0, NULL};
	rs_plan_input_t in;
	rs_plan_t p;
	rs_dir_t *d;

	d = fx_dir(&us, fm);
	fx_input(&in, d, fx_u(d, "100"), NULL);
	in.ncontacts = NULL;
	in.own_busy = 1;
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL(p.n, 2);
	CU_ASSERT_EQUAL_FATAL(p.nskips, 5);
	CU_ASSERT_EQUAL(p.skips[0].step, 0);
	CU_ASSERT_EQUAL(p.skips[0].entry_position, -1);
	CU_ASSERT_EQUAL(p.skips[0].kind, RS_TGT_DEVICE);
	CU_ASSERT_STRING_EQUAL(p.skips[0].reason, "busy (max_calls reached)");
	CU_ASSERT_EQUAL(p.skips[2].step, -1);
	CU_ASSERT_EQUAL(p.skips[2].entry_position, 1);
	CU_ASSERT_EQUAL(p.skips[2].kind, RS_TGT_NONE);
	CU_ASSERT_STRING_EQUAL(p.skips[2].reason, "disabled");
	CU_ASSERT_EQUAL(p.skips[3].step, 1);
	CU_ASSERT_EQUAL(p.skips[3].kind, RS_TGT_EXTERNAL);
	CU_ASSERT_EQUAL(p.skips[3].target.len, 8);
	CU_ASSERT_EQUAL(p.skips[4].step, 1);
	CU_ASSERT_EQUAL(p.skips[4].entry_position, 3);
	CU_ASSERT_EQUAL(p.skips[4].kind, RS_TGT_NONE);
	CU_ASSERT_STRING_EQUAL(p.skips[4].reason, "unknown target");
	CU_ASSERT_EQUAL(p.steps[0].ringable, 0);
	CU_ASSERT_EQUAL(p.steps[1].ringable, 0);
	CU_ASSERT_EQUAL(p.ntargets, 0);
	rs_dir_free(d, &rs_alloc_libc);
}

/* a user without devices and with voicemail: step 1 stays, empty */
static void test_user_without_devices(void)
{
	static const u100_spec_t us = {0, 0, 0, NULL};
	static char buf[512];
	rs_plan_input_t in;
	rs_plan_t p;
	rs_dir_t *d;

	d = fx_dir(&us, NULL);
	fx_input(&in, d, fx_u(d, "102"), NULL);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_STRING_EQUAL(fx_render(&p, buf, sizeof(buf)),
			"step 1 q=1.0 timer=0s: (empty)\n"
			"step 2 q=0.9 timer=30s: " VM(30, "0.9") "\n");
	CU_ASSERT_EQUAL(p.steps[0].count, 0);
	rs_dir_free(d, &rs_alloc_libc);
}

/* the device's own domain wins, the domain argument fills in */
static void test_render_domains(void)
{
	static const fm_spec_t fm[] = {{1, "104", "serial", 20, 1},
			{2, "+4930123", "parallel", 20, 1}, {0, NULL, NULL, 0, 0}};
	static const u100_spec_t us = {0, 1, 0, NULL};
	/* clang-format off */
	static const char want[] =
		STEP1
		"step 2 q=0.933 timer=20s: "
		"<sip:104-a@example.net?expires=20>;q=0.933, "
		D("104-b", 20, "0.933") ", " D("104-c", 20, "0.933") ", "
		D("104-d", 20, "0.933") ", "
		"<sip:+4930123@example.net?expires=20>;q=0.933\n";
	/* clang-format on */
	static char buf[1024];
	rs_plan_input_t in;
	rs_plan_t p;
	rs_dir_t *d;
	int n;

	d = fx_dir(&us, fm);
	fx_input(&in, d, fx_u(d, "100"), NULL);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	n = rs_plan_render(&p, "example.net", MEDIA, buf, sizeof(buf));
	CU_ASSERT_EQUAL(n, (int)strlen(want));
	CU_ASSERT_STRING_EQUAL(buf, want);
	rs_dir_free(d, &rs_alloc_libc);
}

/* ---- q values ---- */

static void test_q_format(void)
{
	static const struct
	{
		int q;
		const char *s;
	} tab[] = {
			{1000, "1.0"},
			{950, "0.95"},
			{900, "0.9"},
			{850, "0.85"},
			{833, "0.833"},
			{967, "0.967"},
			{999, "0.999"},
			{806, "0.806"},
			{800, "0.8"},
			{100, "0.1"},
			{50, "0.05"},
			{10, "0.01"},
			{5, "0.005"},
			{1, "0.001"},
			{0, "0.0"},
	};
	char buf[16];
	size_t i;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		CU_ASSERT_EQUAL(
				rs_q_format(tab[i].q, buf, sizeof(buf)), (int)strlen(tab[i].s));
		CU_ASSERT_STRING_EQUAL(buf, tab[i].s);
	}
	CU_ASSERT_EQUAL(rs_q_format(-1, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(rs_q_format(1001, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(rs_q_format(500, NULL, 4), -1);
	/* snprintf semantics */
	CU_ASSERT_EQUAL(rs_q_format(950, NULL, 0), 4);
	memset(buf, 'x', sizeof(buf));
	CU_ASSERT_EQUAL(rs_q_format(950, buf, 3), 4);
	CU_ASSERT_STRING_EQUAL(buf, "0.");
	CU_ASSERT_EQUAL(rs_q_format(950, buf, 1), 4);
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(rs_q_format(950, buf, 4), 4);
	CU_ASSERT_STRING_EQUAL(buf, "0.9");
	CU_ASSERT_EQUAL(rs_q_format(950, buf, 5), 4);
	CU_ASSERT_STRING_EQUAL(buf, "0.95");
}

static void test_q_values(void)
{
	static const struct
	{
		int n, k, q;
	} tab[] = {
			{0, 0, 1000},
			{1, 1, 900},
			{2, 1, 933}, /* 933.33 */
			{2, 2, 867}, /* 866.67 */
			{3, 1, 950},
			{3, 3, 850},
			{5, 1, 967}, /* 966.67 */
			{7, 1, 975},
			{7, 3, 925},
			{15, 1, 988},  /* 987.5 rounds half up */
			{15, 3, 963},  /* 962.5 rounds half up */
			{33, 33, 806}, /* 805.88: the longest directory sequence */
			{-1, 0, -1},
			{3, -1, -1},
			{3, 4, -1},
	};
	size_t i;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if(rs_plan_q(tab[i].n, tab[i].k) != tab[i].q)
			printf("\n  q(%d, %d) = %d, want %d\n", tab[i].n, tab[i].k,
					rs_plan_q(tab[i].n, tab[i].k), tab[i].q);
		CU_ASSERT_EQUAL(rs_plan_q(tab[i].n, tab[i].k), tab[i].q);
	}
}

/* first n whose all-serial sequence has two equal neighbours, or -1 */
static int first_colliding_n(int max)
{
	int n, k;

	for(n = 0; n <= max; n++)
		for(k = 1; k <= n; k++)
			if(rs_plan_q(n, k) == rs_plan_q(n, k - 1))
				return n;
	return -1;
}

/* a hand-made user with n entries; not from a directory */
static void fake_user(rs_user_t *u, const rs_user_t *base, rs_followme_t *fm,
		int n, int enabled, rs_fm_mode_t mode, int voicemail)
{
	int i;

	*u = *base;
	for(i = 0; i < n; i++) {
		memset(&fm[i], 0, sizeof(fm[i]));
		fm[i].position = i;
		fm[i].target = ut_s("nobody");
		fm[i].mode = mode;
		fm[i].ring_seconds = 10;
		fm[i].enabled = enabled;
	}
	u->followme = n > 0 ? fm : NULL;
	u->nfollowme = n;
	u->voicemail = voicemail;
}

static void test_q_collision(void)
{
	static const u100_spec_t us = {0, 0, 0, NULL};
	static rs_followme_t fm[300];
	rs_plan_input_t in;
	rs_user_t u;
	rs_plan_t p;
	rs_dir_t *d;
	int n, i;

	/* 0.2 / (n + 1) gets below 0.001 first at n = 200 */
	n = first_colliding_n(1000);
	CU_ASSERT_EQUAL(n, 200);
	CU_ASSERT_EQUAL(rs_plan_q(200, 100), 900);
	CU_ASSERT_EQUAL(rs_plan_q(200, 101), 900);
	for(i = 1; i <= 199; i++)
		CU_ASSERT(rs_plan_q(199, i) < rs_plan_q(199, i - 1));

	d = fx_dir(&us, NULL);
	fx_input(&in, d, NULL, NULL);
	in.user = &u;

	/* n = 200 all serial: refused for the q collision */
	fake_user(&u, fx_u(d, "100"), fm, 200, 1, RS_FM_SERIAL, 0);
	memset(&p, 0x5a, sizeof(p));
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_LIMIT);
	CU_ASSERT_STRING_EQUAL(
			p.why, "sequence too long: steps 101 and 102 would both get q=0.9");
	CU_ASSERT_EQUAL(p.nsteps, 0);
	CU_ASSERT_EQUAL(p.ntargets, 0);
	CU_ASSERT_EQUAL(p.nskips, 0);
	/* 199 entries + voicemail is n = 200 as well */
	fake_user(&u, fx_u(d, "100"), fm, 199, 1, RS_FM_SERIAL, 1);
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_LIMIT);
	CU_ASSERT_STRING_EQUAL(
			p.why, "sequence too long: steps 101 and 102 would both get q=0.9");
	/* n = 199: the q values are fine, the step limit is not */
	fake_user(&u, fx_u(d, "100"), fm, 199, 1, RS_FM_SERIAL, 0);
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_LIMIT);
	CU_ASSERT_STRING_EQUAL(p.why, "sequence too long: 200 steps, at most 40");
	/* n = 200 in only 100 steps never reaches the colliding pair */
	fake_user(&u, fx_u(d, "100"), fm, 200, 1, RS_FM_PARALLEL, 0);
	for(i = 0; i < 100; i++)
		fm[2 * i].mode = RS_FM_SERIAL;
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_LIMIT);
	CU_ASSERT_STRING_EQUAL(p.why, "sequence too long: 101 steps, at most 40");
	/* the longest plan that fits: 39 serial entries */
	fake_user(&u, fx_u(d, "100"), fm, 39, 1, RS_FM_SERIAL, 0);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL(p.nsteps, RS_PLAN_MAX_STEPS);
	CU_ASSERT_EQUAL(p.nskips, 39);
	for(i = 1; i < p.nsteps; i++)
		CU_ASSERT(p.steps[i].q < p.steps[i - 1].q);
	CU_ASSERT_EQUAL(p.steps[39].q, 805);
	fake_user(&u, fx_u(d, "100"), fm, 39, 1, RS_FM_SERIAL, 1);
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_LIMIT);
	CU_ASSERT_STRING_EQUAL(p.why, "sequence too long: 41 steps, at most 40");
	/* disabled entries cost nothing */
	fake_user(&u, fx_u(d, "100"), fm, 300, 0, RS_FM_SERIAL, 1);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL(p.n, 1);
	CU_ASSERT_EQUAL(p.nsteps, 2);
	rs_dir_free(d, &rs_alloc_libc);
}

/* the longest sequence a directory allows: 32 entries and voicemail */
static void test_longest_directory_plan(void)
{
	static const u100_spec_t us = {1, 1, 0, NULL};
	static char targets[32][8];
	fm_spec_t fm[33];
	rs_plan_input_t in;
	rs_plan_t p;
	rs_dir_t *d;
	int i;

	for(i = 0; i < 32; i++) {
		snprintf(targets[i], sizeof(targets[i]), "+49%d", 100 + i);
		fm[i].pos = i;
		fm[i].target = targets[i];
		fm[i].mode = "serial";
		fm[i].ring = 5;
		fm[i].enabled = 1;
	}
	fm[32].target = NULL;
	d = fx_dir(&us, fm);
	fx_input(&in, d, fx_u(d, "100"), NULL);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL(p.n, 33);
	CU_ASSERT_EQUAL(p.nsteps, 34);
	CU_ASSERT_EQUAL(p.ntargets, 2 + 32 + 1);
	for(i = 1; i < p.nsteps; i++)
		CU_ASSERT(p.steps[i].q < p.steps[i - 1].q);
	CU_ASSERT_EQUAL(p.steps[33].q, 806);
	CU_ASSERT_EQUAL(p.targets[34].kind, RS_TGT_VOICEMAIL);
	rs_dir_free(d, &rs_alloc_libc);
}

/* ---- capacity ---- */

static void test_capacity(void)
{
	static const u100_spec_t us = {0, 0, 0, NULL};
	static rs_followme_t fm[100];
	static char buf[16384];
	rs_plan_input_t in;
	rs_user_t u;
	rs_plan_t p;
	rs_dir_t *d;
	int i, ntrim = 0;

	d = fx_dir(&us, NULL);
	fx_input(&in, d, &u, NULL);
	in.ncontacts = NULL;

	/* 39 steps of user 104's 4 devices: 158 targets, 96 fit */
	fake_user(&u, fx_u(d, "100"), fm, 39, 1, RS_FM_SERIAL, 0);
	for(i = 0; i < 39; i++)
		fm[i].target = ut_s("104");
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL(p.ntargets, RS_PLAN_MAX_TARGETS);
	CU_ASSERT_EQUAL(p.nskips, 2 + 39 * 4 - RS_PLAN_MAX_TARGETS);
	CU_ASSERT_EQUAL(p.nskips_lost, 0);
	for(i = 0; i < p.nskips; i++)
		ntrim += strcmp(p.skips[i].reason, "more than 96 targets in plan") == 0;
	CU_ASSERT_EQUAL(ntrim, p.nskips);
	CU_ASSERT_EQUAL(p.steps[24].ringable, 2);
	CU_ASSERT_EQUAL(p.steps[25].ringable, 0);
	CU_ASSERT_EQUAL(p.steps[38].count, 0);

	/* more skips than fit: counted, rendered as one line */
	fake_user(&u, fx_u(d, "100"), fm, 70, 0, RS_FM_SERIAL, 0);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	CU_ASSERT_EQUAL(p.nskips, RS_PLAN_MAX_SKIPS);
	CU_ASSERT_EQUAL(p.nskips_lost, 6);
	CU_ASSERT(rs_plan_render(&p, DOM, MEDIA, buf, sizeof(buf)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "skipped: nobody (entry 63): disabled\n"
									   "skipped: 6 more (not listed)\n"));
	CU_ASSERT_PTR_NULL(strstr(buf, "(entry 64)"));
	rs_dir_free(d, &rs_alloc_libc);
}

/* ---- rendering and arguments ---- */

static void test_render_truncation(void)
{
	static const fm_spec_t fm[] = {{1, "101", "parallel", 20, 1},
			{2, "nobody", "serial", 20, 1}, {0, NULL, NULL, 0, 0}};
	static const u100_spec_t us = {1, 0, 1, "+491700000100"};
	static char full[2048], buf[2048];
	rs_plan_input_t in;
	rs_plan_t p;
	rs_dir_t *d;
	int n, m;
	size_t len;

	d = fx_dir(&us, fm);
	fx_input(&in, d, fx_u(d, "100"), NULL);
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
	n = rs_plan_render(&p, DOM, MEDIA, full, sizeof(full));
	CU_ASSERT_FATAL(n > 100 && n < (int)sizeof(full));
	CU_ASSERT_EQUAL(rs_plan_render(&p, DOM, MEDIA, NULL, 0), n);
	for(len = 1; len <= (size_t)n + 2; len++) {
		memset(buf, 'x', sizeof(buf));
		m = rs_plan_render(&p, DOM, MEDIA, buf, len);
		CU_ASSERT_EQUAL(m, n);
		CU_ASSERT_EQUAL(strlen(buf), len - 1 < (size_t)n ? len - 1 : (size_t)n);
		CU_ASSERT(strncmp(buf, full, strlen(buf)) == 0);
		CU_ASSERT_EQUAL(buf[len], 'x'); /* nothing beyond len */
	}
	n = rs_plan_target_render(&p, 0, 2, DOM, MEDIA, full, sizeof(full));
	CU_ASSERT_STRING_EQUAL(full, D("+491700000100", 20, "1.0"));
	for(len = 0; len <= (size_t)n + 1; len++) {
		memset(buf, 'x', sizeof(buf));
		CU_ASSERT_EQUAL(
				rs_plan_target_render(&p, 0, 2, DOM, MEDIA, buf, len), n);
		if(len > 0)
			CU_ASSERT(
					strncmp(buf, full, len - 1) == 0
					&& strlen(buf)
							   == (len - 1 < (size_t)n ? len - 1 : (size_t)n));
		CU_ASSERT_EQUAL(buf[len], 'x');
	}
	rs_dir_free(d, &rs_alloc_libc);
}

static void test_bad_arguments(void)
{
	static const u100_spec_t us = {0, 0, 0, NULL};
	static char buf[256];
	rs_plan_input_t in;
	rs_plan_t p;
	rs_dir_t *d;

	d = fx_dir(&us, NULL);
	fx_input(&in, d, fx_u(d, "100"), NULL);
	CU_ASSERT_EQUAL(rs_plan_compile(&in, NULL), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_plan_compile(NULL, &p), RS_E_INVAL);
	CU_ASSERT_STRING_EQUAL(p.why, "no input, directory or user");
	in.dir = NULL;
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_INVAL);
	in.dir = d;
	in.user = NULL;
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_INVAL);
	in.user = fx_u(d, "100");
	in.voicemail_seconds = -1;
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_INVAL);
	CU_ASSERT_STRING_EQUAL(p.why, "voicemail_seconds must be 0..600");
	CU_ASSERT_EQUAL(p.nsteps, 0);
	in.voicemail_seconds = 601;
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_INVAL);
	in.voicemail_seconds = 0;
	in.max_step_contacts = -1;
	CU_ASSERT_EQUAL(rs_plan_compile(&in, &p), RS_E_INVAL);
	CU_ASSERT_STRING_EQUAL(p.why, "max_step_contacts must be >= 0");
	in.max_step_contacts = 0;
	CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);

	CU_ASSERT_EQUAL(rs_plan_render(NULL, DOM, MEDIA, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(rs_plan_render(&p, NULL, MEDIA, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(rs_plan_render(&p, DOM, NULL, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(rs_plan_render(&p, DOM, MEDIA, NULL, 5), -1);
	CU_ASSERT_EQUAL(
			rs_plan_target_render(&p, 0, 0, NULL, MEDIA, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(
			rs_plan_target_render(&p, 1, 0, DOM, MEDIA, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(
			rs_plan_target_render(&p, -1, 0, DOM, MEDIA, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(
			rs_plan_target_render(&p, 0, 2, DOM, MEDIA, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(
			rs_plan_target_render(&p, 0, -1, DOM, MEDIA, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(rs_plan_target_render(&p, 0, 1, DOM, MEDIA, NULL, 1), -1);
	CU_ASSERT(
			rs_plan_target_render(&p, 0, 1, DOM, MEDIA, buf, sizeof(buf)) > 0);
	CU_ASSERT_STRING_EQUAL(buf, D("hotdesk-100", 20, "1.0"));

	CU_ASSERT_STRING_EQUAL(rs_target_kind_name(RS_TGT_NONE), "none");
	CU_ASSERT_STRING_EQUAL(rs_target_kind_name(RS_TGT_DEVICE), "device");
	CU_ASSERT_STRING_EQUAL(rs_target_kind_name(RS_TGT_EXTERNAL), "external");
	CU_ASSERT_STRING_EQUAL(rs_target_kind_name(RS_TGT_MOBILE), "mobile");
	CU_ASSERT_STRING_EQUAL(rs_target_kind_name(RS_TGT_VOICEMAIL), "voicemail");
	CU_ASSERT_STRING_EQUAL(rs_target_kind_name((rs_target_kind_t)5), "unknown");
	rs_dir_free(d, &rs_alloc_libc);
}

/* number pattern ^\+?[0-9*#]{2,32}$, seen through external entries */
static void test_number_pattern(void)
{
	static const struct
	{
		const char *target;
		int external;
	} tab[] = {
			{"12", 1},
			{"+12", 1},
			{"*21#", 1},
			{"##", 1},
			{"+49301234567890123456789012345678", 1}, /* 32 digits */
			{"493012345678901234567890123456789", 0}, /* 33 digits */
			{"1", 0},
			{"+1", 0},
			{"+", 0},
			{"++12", 0},
			{"12+3", 0},
			{"0171-123", 0},
			{"12a", 0},
			{"sip.example", 0},
	};
	static const u100_spec_t us = {0, 1, 0, NULL};
	rs_plan_input_t in;
	rs_followme_t fm[1];
	rs_user_t u;
	rs_plan_t p;
	rs_dir_t *d;
	size_t i;

	d = fx_dir(&us, NULL);
	fx_input(&in, d, &u, NULL);
	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		fake_user(&u, fx_u(d, "100"), fm, 1, 1, RS_FM_SERIAL, 0);
		fm[0].target = ut_s(tab[i].target);
		CU_ASSERT_EQUAL_FATAL(rs_plan_compile(&in, &p), RS_OK);
		if(tab[i].external) {
			CU_ASSERT_EQUAL(p.ntargets, 3);
			CU_ASSERT_EQUAL(p.targets[2].kind, RS_TGT_EXTERNAL);
		} else {
			CU_ASSERT_EQUAL(p.ntargets, 2);
			CU_ASSERT_EQUAL(p.nskips, 1);
			CU_ASSERT_STRING_EQUAL(p.skips[0].reason, "unknown target");
		}
	}
	rs_dir_free(d, &rs_alloc_libc);
}

int ut_register_plan(void)
{
	static const ut_test_t tests[] = {
			{"plan_cases", test_plan_cases},
			{"sipx_fields", test_sipx_fields},
			{"voicemail_and_mobile_fields", test_voicemail_and_mobile_fields},
			{"not_registered_fields", test_not_registered_fields},
			{"skip_fields", test_skip_fields},
			{"user_without_devices", test_user_without_devices},
			{"render_domains", test_render_domains},
			{"q_format", test_q_format},
			{"q_values", test_q_values},
			{"q_collision", test_q_collision},
			{"longest_directory_plan", test_longest_directory_plan},
			{"capacity", test_capacity},
			{"render_truncation", test_render_truncation},
			{"bad_arguments", test_bad_arguments},
			{"number_pattern", test_number_pattern},
			{NULL, NULL},
	};

	return ut_add_suite("plan", tests);
}
