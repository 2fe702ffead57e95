/*
 * Ringset - followme module: sipX-style ring plans executed in tm
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * A call to a user follows the plan that modules/lib/rs_plan.c compiles from
 * the directory snapshot of the userdev module: followme_route() appends the
 * branches of the first step that can ring, followme_next() (failure route)
 * those of the next step, followme_branch() (branch route) gives each
 * branch its ring time (Expires header, and a deadline at which fm_timer.c
 * cancels it). Between steps the plan is compiled again: it is cheap, and a
 * change in SQL or a new registration is taken into account mid-call.
 */

#include <string.h>
#include <stdio.h>

#include "../../core/sr_module.h"
#include "../../core/dprint.h"
#include "../../core/mod_fix.h"
#include "../../core/rpc.h"
#include "../../core/rpc_lookup.h"
#include "../../core/xavp.h"
#include "../../core/dset.h"
#include "../../core/pt.h"
#include "../../core/cfg/cfg_struct.h"
#include "../../core/kemi.h"
#include "../../core/parser/parse_uri.h"
#include "../tm/tm_load.h"
#include "../userdev/api.h"

#include "rs_plan.h"
#include "fm_timer.h"
#include "../common/rs_xavp.h"

MODULE_VERSION

/* what kind of branch followme_branch() found: the cfg adds its headers */
#define FM_BR_DEVICE 1
#define FM_BR_EXTERNAL 2
#define FM_BR_VOICEMAIL 3
#define FM_BR_MOBILE 4

static int fm_voicemail_seconds = 30;
static int fm_max_step_contacts = 12;
static int fm_tick_ms = 5;
static int fm_timer_capacity = 65536;
static str fm_media_uri = str_init("sip:127.0.0.3:5100");
static str fm_gateway_uri = str_init("sip:127.0.0.4:5110");
static str fm_domain = str_init("pbx.local");

static struct tm_binds fm_tmb;
static userdev_api_t fm_ud;
static sip_uri_t fm_media_puri;
static sip_uri_t fm_gw_puri;

static str fm_xname = str_init("rs_fm");	  /* per call: ext, next, busy */
static str fm_bname = str_init("rs_fmb");	  /* per branch: uri, ring, kind */
static str fm_curname = str_init("rs_fmcur"); /* the branch being sent */

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);
static int w_followme_route(sip_msg_t *msg, char *ext, char *busy);
static int w_followme_next(sip_msg_t *msg, char *p1, char *p2);
static int w_followme_branch(sip_msg_t *msg, char *p1, char *p2);
static void fm_rpc_plan(rpc_t *rpc, void *ctx);
static void fm_rpc_reload(rpc_t *rpc, void *ctx);

/* clang-format off */
static cmd_export_t cmds[] = {
	{"followme_route", (cmd_function)w_followme_route, 2, fixup_spve_igp,
		fixup_free_spve_igp, REQUEST_ROUTE},
	{"followme_next", (cmd_function)w_followme_next, 0, 0, 0, FAILURE_ROUTE},
	{"followme_branch", (cmd_function)w_followme_branch, 0, 0, 0,
		BRANCH_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"voicemail_seconds", PARAM_INT, &fm_voicemail_seconds},
	{"max_step_contacts", PARAM_INT, &fm_max_step_contacts},
	{"timer_tick_ms", PARAM_INT, &fm_tick_ms},
	{"timer_capacity", PARAM_INT, &fm_timer_capacity},
	{"media_uri", PARAM_STR, &fm_media_uri},
	{"gateway_uri", PARAM_STR, &fm_gateway_uri},
	{"domain", PARAM_STR, &fm_domain},
	{0, 0, 0}
};

static const char *fm_rpc_plan_doc[2] = {
	"The ring plan the next call to an extension would use, in sipX form", 0};
static const char *fm_rpc_reload_doc[2] = {
	"Reload users, devices and follow-me entries from the database now", 0};

static rpc_export_t fm_rpc_cmds[] = {
	{"followme.plan", fm_rpc_plan, fm_rpc_plan_doc, 0},
	{"followme.reload", fm_rpc_reload, fm_rpc_reload_doc, 0},
	{0, 0, 0, 0}
};

struct module_exports exports = {
	"followme",
	DEFAULT_DLFLAGS,
	cmds,
	params,
	0,
	0,
	0,
	mod_init,
	child_init,
	mod_destroy
};
/* clang-format on */

static int mod_init(void)
{
	if(rpc_register_array(fm_rpc_cmds) != 0) {
		LM_ERR("cannot register RPC commands\n");
		return -1;
	}
	if(load_tm_api(&fm_tmb) < 0) {
		LM_ERR("the tm module is needed\n");
		return -1;
	}
	if(userdev_load_api(&fm_ud) < 0) {
		LM_ERR("the userdev module is needed\n");
		return -1;
	}
	if(parse_uri(fm_media_uri.s, fm_media_uri.len, &fm_media_puri) < 0) {
		LM_ERR("bad media_uri: %.*s\n", fm_media_uri.len, fm_media_uri.s);
		return -1;
	}
	if(parse_uri(fm_gateway_uri.s, fm_gateway_uri.len, &fm_gw_puri) < 0) {
		LM_ERR("bad gateway_uri: %.*s\n", fm_gateway_uri.len, fm_gateway_uri.s);
		return -1;
	}
	if(fm_voicemail_seconds < 1 || fm_max_step_contacts < 1 || fm_tick_ms < 1
			|| fm_timer_capacity < 16) {
		LM_ERR("voicemail_seconds, max_step_contacts, timer_tick_ms and "
			   "timer_capacity must be positive\n");
		return -1;
	}
	if(fm_timer_init(fm_timer_capacity) < 0)
		return -1;
	register_procs(1);
	cfg_register_child(1);
	return 0;
}

static int child_init(int rank)
{
	int pid;

	if(rank != PROC_MAIN)
		return 0;
	pid = fork_process(PROC_TIMER, "followme ring timer", 1);
	if(pid < 0) {
		LM_ERR("cannot start the ring timer process\n");
		return -1;
	}
	if(pid == 0) {
		if(cfg_child_init())
			return -1;
		fm_timer_loop(&fm_tmb, fm_tick_ms);
	}
	return 0;
}

static void mod_destroy(void)
{
	fm_timer_destroy();
}

/* --- plans -------------------------------------------------------------- */

static int fm_ncontacts(void *ctx, const rs_device_t *d)
{
	return fm_ud.device_contacts(d);
}

static int fm_compile(
		const rs_dir_t *dir, const rs_user_t *u, int busy, rs_plan_t *plan)
{
	rs_plan_input_t in;
	rs_err_t err;

	memset(&in, 0, sizeof(in));
	in.dir = dir;
	in.user = u;
	in.ncontacts = fm_ncontacts;
	in.ctx = NULL;
	in.own_busy = busy;
	in.voicemail_seconds = fm_voicemail_seconds;
	in.max_step_contacts = fm_max_step_contacts;
	err = rs_plan_compile(&in, plan);
	if(err != RS_OK) {
		LM_ERR("cannot compile the plan of %.*s: %s\n", u->extension.len,
				u->extension.s, rs_strerror(err));
		return -1;
	}
	return 0;
}

/* records ring time and kind of the dset branches [from, to) */
static void fm_note_branches(int from, int to, int ring, int kind,
		const rs_str_t *target, const rs_str_t *ext)
{
	sr_xavp_t *list;
	str uri, t, e;
	qvalue_t q;
	int i, len;
	char *u;

	for(i = from; i < to; i++) {
		u = get_branch(i, &len, &q, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		if(u == NULL)
			continue;
		uri.s = u;
		uri.len = len;
		t.s = target->s;
		t.len = target->len;
		e.s = ext->s;
		e.len = ext->len;
		list = NULL;
		if(rs_xavp_add_str(&list, "uri", uri.s, uri.len) < 0
				|| rs_xavp_add_long(&list, "ring", ring) < 0
				|| rs_xavp_add_long(&list, "kind", kind) < 0
				|| rs_xavp_add_str(&list, "target", t.s, t.len) < 0
				|| rs_xavp_add_str(&list, "ext", e.s, e.len) < 0
				|| rs_xavp_push(&fm_bname, list, 0) < 0) {
			if(list)
				xavp_destroy_list(&list);
			LM_ERR("cannot record branch %d\n", i);
		}
	}
}

/* a branch to a service or number at host of puri: sip:user@host:port */
static int fm_append_peer(
		sip_msg_t *msg, const rs_str_t *user, sip_uri_t *puri, str *dst)
{
	char buf[MAX_URI_SIZE];
	str uri;
	int len;

	len = snprintf(buf, sizeof(buf), "sip:%.*s@%.*s%s%.*s", user->len, user->s,
			puri->host.len, puri->host.s, puri->port.len ? ":" : "",
			puri->port.len, puri->port.s);
	if(len <= 0 || len >= (int)sizeof(buf))
		return -1;
	uri.s = buf;
	uri.len = len;
	return append_branch(msg, &uri, dst, 0, Q_UNSPECIFIED, 0, 0, 0, 0, 0, 0)
						   == 1
				   ? 0
				   : -1;
}

/* appends the branches of step s; returns how many */
static int fm_append_step(sip_msg_t *msg, const rs_plan_t *plan, int s)
{
	const rs_plan_step_t *st = &plan->steps[s];
	const rs_plan_target_t *tg;
	const rs_user_t *u = plan->user;
	rs_str_t vm = {"voicemail", 9};
	rs_str_t confirm = {"confirm", 7};
	int i, before, n = 0;

	for(i = st->first; i < st->first + st->count; i++) {
		tg = &plan->targets[i];
		before = nr_branches;
		switch(tg->kind) {
			case RS_TGT_DEVICE:
				if(!tg->registered)
					continue;
				fm_ud.add_device_branches(msg, tg->device);
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						FM_BR_DEVICE, &tg->name, &u->extension);
				break;
			case RS_TGT_EXTERNAL:
				if(fm_append_peer(msg, &tg->name, &fm_gw_puri, &fm_gateway_uri)
						< 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						FM_BR_EXTERNAL, &tg->name, &u->extension);
				break;
			case RS_TGT_MOBILE:
				if(fm_append_peer(msg, &confirm, &fm_media_puri, &fm_media_uri)
						< 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						FM_BR_MOBILE, &tg->name, &u->extension);
				break;
			case RS_TGT_VOICEMAIL:
				if(fm_append_peer(msg, &vm, &fm_media_puri, &fm_media_uri) < 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						FM_BR_VOICEMAIL, &u->extension, &u->extension);
				break;
			default:
				continue;
		}
		n += nr_branches - before;
	}
	return n;
}

/* from step `from` on, appends the first step that rings; sets the per-call
 * xavp; returns branches added (>0), 0 when no step is left, <0 on error */
static int fm_start_from(sip_msg_t *msg, str *ext, int busy, int from)
{
	static rs_plan_t plan; /* large: kept off the stack */
	const rs_dir_t *dir;
	const rs_user_t *u;
	sr_xavp_t *list = NULL;
	int slot, s, n = 0, timer = 0;

	dir = fm_ud.acquire(&slot);
	if(dir == NULL)
		return -3;
	u = rs_dir_user(dir, ext->s, ext->len);
	if(u == NULL) {
		fm_ud.release(slot);
		return -1;
	}
	if(fm_compile(dir, u, busy, &plan) < 0) {
		fm_ud.release(slot);
		return -3;
	}
	for(s = from; s < plan.nsteps && n == 0; s++) {
		if(!plan.steps[s].ringable)
			continue;
		n = fm_append_step(msg, &plan, s);
		timer = plan.steps[s].timer;
	}
	fm_ud.release(slot);

	xavp_rm_by_name(&fm_xname, 1, NULL);
	if(rs_xavp_add_str(&list, "ext", ext->s, ext->len) < 0
			|| rs_xavp_add_long(&list, "next", s) < 0
			|| rs_xavp_add_long(&list, "busy", busy) < 0
			|| rs_xavp_add_long(&list, "timer", timer) < 0
			|| rs_xavp_push(&fm_xname, list, 0) < 0) {
		if(list)
			xavp_destroy_list(&list);
		return -3;
	}
	if(n <= 0)
		return 0;
	/* tm's own timers are the backstop; the ring timer cancels on time */
	fm_tmb.set_fr(msg, (timer + 2) * 1000, (timer + 2) * 1000);
	ruri_mark_consumed();
	return n;
}

/* --- cfg functions ---------------------------------------------------- */

/* >0: branches added for the first step that rings; -1 not a user;
 * -2 nothing to ring at all; -3 internal error */
static int ki_followme_route(sip_msg_t *msg, str *ext, int busy)
{
	int n;

	if(ext == NULL || ext->len <= 0)
		return -1;
	xavp_rm_by_name(&fm_bname, 1, NULL);
	n = fm_start_from(msg, ext, busy ? 1 : 0, 0);
	return n == 0 ? -2 : n;
}

/* failure route: >0 the next step's branches were added; -1 none left */
static int ki_followme_next(sip_msg_t *msg)
{
	sr_xavp_t *x;
	str *ext;
	char buf[64];
	str e;
	int next, busy, n;

	x = xavp_get(&fm_xname, NULL);
	if(x == NULL || x->val.type != SR_XTYPE_XAVP)
		return -1;
	ext = rs_xavp_get_str(x->val.v.xavp, "ext");
	next = rs_xavp_get_long(x->val.v.xavp, "next", -1);
	busy = rs_xavp_get_long(x->val.v.xavp, "busy", 0);
	if(ext == NULL || next < 0 || ext->len >= (int)sizeof(buf))
		return -1;
	/* the xavp is replaced below: copy the extension first */
	memcpy(buf, ext->s, ext->len);
	e.s = buf;
	e.len = ext->len;
	n = fm_start_from(msg, &e, busy, next);
	return n > 0 ? n : -1;
}

/* branch route: 1 device, 2 external, 3 voicemail, 4 mobile, with
 * $xavp(rs_fmcur=>ring/target/ext); -1 not a follow-me branch */
static int ki_followme_branch(sip_msg_t *msg)
{
	sr_xavp_t *x, *cur = NULL;
	str *uri, *ruri, *target, *ext;
	struct cell *t;
	tm_ctx_t *tcx;
	int ring, kind;

	ruri = GET_RURI(msg);
	for(x = xavp_get(&fm_bname, NULL); x; x = xavp_get_next(x)) {
		if(x->val.type != SR_XTYPE_XAVP)
			continue;
		uri = rs_xavp_get_str(x->val.v.xavp, "uri");
		if(uri && uri->len == ruri->len
				&& memcmp(uri->s, ruri->s, uri->len) == 0)
			break;
	}
	if(x == NULL)
		return -1;
	ring = rs_xavp_get_long(x->val.v.xavp, "ring", 0);
	kind = rs_xavp_get_long(x->val.v.xavp, "kind", FM_BR_DEVICE);

	target = rs_xavp_get_str(x->val.v.xavp, "target");
	ext = rs_xavp_get_str(x->val.v.xavp, "ext");
	if(rs_xavp_add_long(&cur, "ring", ring) < 0
			|| rs_xavp_add_str(&cur, "target", target ? target->s : NULL,
					   target ? target->len : 0)
					   < 0
			|| rs_xavp_add_str(
					   &cur, "ext", ext ? ext->s : NULL, ext ? ext->len : 0)
					   < 0) {
		xavp_destroy_list(&cur);
		return -1;
	}
	if(rs_xavp_push(&fm_curname, cur, 1) < 0) {
		xavp_destroy_list(&cur);
		return -1;
	}

	t = fm_tmb.t_gett();
	tcx = fm_tmb.tm_ctx_get();
	if(ring > 0 && t && t != T_UNDEFINED && tcx && tcx->branch_index >= 0) {
		if(fm_timer_arm(t->hash_index, t->label, tcx->branch_index,
				   fm_now_ms() + (unsigned long long)ring * 1000)
				< 0)
			LM_WARN("ring timer table full: branch %d rings until tm's "
					"timer\n",
					tcx->branch_index);
	}
	return kind;
}

static int w_followme_route(sip_msg_t *msg, char *ext, char *busy)
{
	str e;
	int b = 0;

	if(fixup_get_svalue(msg, (gparam_t *)ext, &e) < 0
			|| fixup_get_ivalue(msg, (gparam_t *)busy, &b) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -3;
	}
	return ki_followme_route(msg, &e, b);
}

static int w_followme_next(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_followme_next(msg);
}

static int w_followme_branch(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_followme_branch(msg);
}

/* --- RPC -------------------------------------------------------------- */

static void fm_rpc_plan(rpc_t *rpc, void *ctx)
{
	static rs_plan_t plan;
	static char text[16384];
	char media[128], dom[128];
	const rs_dir_t *dir;
	const rs_user_t *u;
	str ext = STR_NULL;
	int slot, len;

	if(rpc->scan(ctx, ".S", &ext) < 1) {
		rpc->fault(ctx, 400, "usage: followme.plan <extension>");
		return;
	}
	if(ext.len <= 0 || ext.len > 32) {
		rpc->fault(ctx, 400, "bad argument: extension");
		return;
	}
	dir = fm_ud.acquire(&slot);
	if(dir == NULL) {
		rpc->fault(ctx, 503, "user directory not loaded");
		return;
	}
	u = rs_dir_user(dir, ext.s, ext.len);
	if(u == NULL) {
		fm_ud.release(slot);
		rpc->fault(ctx, 404, "unknown extension: %.*s", ext.len, ext.s);
		return;
	}
	if(fm_compile(dir, u, 0, &plan) < 0) {
		fm_ud.release(slot);
		rpc->fault(ctx, 500, "cannot compile the plan of %.*s", ext.len, ext.s);
		return;
	}
	snprintf(media, sizeof(media), "%.*s%s%.*s", fm_media_puri.host.len,
			fm_media_puri.host.s, fm_media_puri.port.len ? ":" : "",
			fm_media_puri.port.len, fm_media_puri.port.s);
	snprintf(dom, sizeof(dom), "%.*s", fm_domain.len, fm_domain.s);
	len = rs_plan_render(&plan, dom, media, text, sizeof(text));
	fm_ud.release(slot);
	if(len < 0 || len >= (int)sizeof(text)) {
		rpc->fault(ctx, 500, "plan too long to print");
		return;
	}
	rpc->rpl_printf(ctx, "%s", text);
}

static void fm_rpc_reload(rpc_t *rpc, void *ctx)
{
	if(fm_ud.reload() < 0) {
		rpc->fault(ctx, 500,
				"reload failed: database unreachable, the "
				"previous copy stays in use");
		return;
	}
	rpc->rpl_printf(ctx, "ok");
}

/* clang-format off */
static sr_kemi_t sr_kemi_followme_exports[] = {
	{ str_init("followme"), str_init("route"),
		SR_KEMIP_INT, ki_followme_route,
		{ SR_KEMIP_STR, SR_KEMIP_INT, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("followme"), str_init("next"),
		SR_KEMIP_INT, ki_followme_next,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("followme"), str_init("branch"),
		SR_KEMIP_INT, ki_followme_branch,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_followme_exports);
	return 0;
}
