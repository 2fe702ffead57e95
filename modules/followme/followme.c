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
#include "../../core/pvar.h"
#include "../tm/tm_load.h"
#include "../userdev/api.h"

#include "rs_plan.h"
#include "rs_fmcall.h"
#include "fm_timer.h"

MODULE_VERSION

/* what kind of branch followme_branch() found: the cfg adds its headers */

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

/*
 * Per call, one xavp of ONE value (one shm allocation; an xavp per field
 * was the cost of a call): rs_fm, the call's record of modules/lib
 * rs_fmcall.h as bytes: next step, busy, timer, the user, and a record per
 * branch of the current step keyed by its index in the destination set,
 * which the branch route finds again by the core's branch iterator (tm
 * sends the destination set in order). The branch being sent is described
 * by $fmb(ring|kind|ext|target), set by followme_branch() in the process
 * that runs the branch route.
 */
static str fm_xname = str_init("rs_fm");
static rs_fmcall_t fm_call; /* the record being built */

/* the branch being sent (per process, valid during its branch route) */
static struct
{
	int kind, ring;
	char ext[RS_DIR_EXT_MAX + 1];
	char target[RS_FM_TARGET_MAX + 1];
} fm_cur;

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);
static int w_followme_route(sip_msg_t *msg, char *ext, char *busy);
static int w_followme_next(sip_msg_t *msg, char *p1, char *p2);
static int w_followme_branch(sip_msg_t *msg, char *p1, char *p2);
static int w_followme_extend(sip_msg_t *msg, char *p1, char *p2);
static void fm_rpc_plan(rpc_t *rpc, void *ctx);
static void fm_rpc_reload(rpc_t *rpc, void *ctx);
static int fm_pv_parse_name(pv_spec_t *sp, str *in);
static int fm_pv_get(sip_msg_t *msg, pv_param_t *param, pv_value_t *res);

/* clang-format off */
static cmd_export_t cmds[] = {
	{"followme_route", (cmd_function)w_followme_route, 2, fixup_spve_igp,
		fixup_free_spve_igp, REQUEST_ROUTE},
	{"followme_next", (cmd_function)w_followme_next, 0, 0, 0, FAILURE_ROUTE},
	{"followme_branch", (cmd_function)w_followme_branch, 0, 0, 0,
		BRANCH_ROUTE},
	{"followme_extend", (cmd_function)w_followme_extend, 1, fixup_igp_null,
		fixup_free_igp_null, ONREPLY_ROUTE},
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

static pv_export_t fm_pvs[] = {
	{{"fmb", sizeof("fmb") - 1}, PVT_OTHER, fm_pv_get, 0, fm_pv_parse_name,
		0, 0, 0},
	{{0, 0}, 0, 0, 0, 0, 0, 0, 0}
};

struct module_exports exports = {
	"followme",
	DEFAULT_DLFLAGS,
	cmds,
	params,
	0,
	fm_pvs,
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
	if(fm_max_step_contacts > RS_FMCALL_BRANCHES_MAX) {
		LM_ERR("max_step_contacts is at most %d (the branches of one step "
			   "that a call records)\n",
				RS_FMCALL_BRANCHES_MAX);
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

/* records ring time, kind and target of the dset branches [from, to) */
static void fm_note_branches(
		int from, int to, int ring, rs_fmbr_kind_t kind, const rs_str_t *target)
{
	rs_err_t rc;
	int i;

	for(i = from; i < to; i++) {
		rc = rs_fmcall_add(&fm_call, i, kind, ring, target);
		if(rc != RS_OK)
			LM_ERR("branch %d of the call cannot be recorded (%s): it rings "
				   "until tm's timer\n",
					i, rs_strerror(rc));
	}
}

/* $xavp(name) = one string value (replacing earlier ones) */
static int fm_set_str(str *name, const char *s, int len)
{
	sr_xval_t val;

	xavp_rm_by_name(name, 1, NULL);
	memset(&val, 0, sizeof(val));
	val.type = SR_XTYPE_STR;
	val.v.s.s = (char *)s;
	val.v.s.len = len;
	return xavp_add_value(name, &val, NULL) ? 0 : -1;
}

static str *fm_get_str(str *name)
{
	sr_xavp_t *x = xavp_get(name, NULL);

	if(x == NULL || x->val.type != SR_XTYPE_STR)
		return NULL;
	return &x->val.v.s;
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
						RS_FMBR_DEVICE, &tg->name);
				break;
			case RS_TGT_EXTERNAL:
				if(fm_append_peer(msg, &tg->name, &fm_gw_puri, &fm_gateway_uri)
						< 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						RS_FMBR_EXTERNAL, &tg->name);
				break;
			case RS_TGT_MOBILE:
				if(fm_append_peer(msg, &confirm, &fm_media_puri, &fm_media_uri)
						< 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						RS_FMBR_MOBILE, &tg->name);
				break;
			case RS_TGT_VOICEMAIL:
				if(fm_append_peer(msg, &vm, &fm_media_puri, &fm_media_uri) < 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						RS_FMBR_VOICEMAIL, &u->extension);
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
	rs_str_t e = {ext->s, ext->len};
	const void *rec;
	int slot, s, n = 0, timer = 0, len;

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
	if(rs_fmcall_init(&fm_call, &e, 0, busy, 0) != RS_OK) {
		fm_ud.release(slot);
		return -1;
	}
	for(s = from; s < plan.nsteps && n == 0; s++) {
		if(!plan.steps[s].ringable)
			continue;
		n = fm_append_step(msg, &plan, s);
		timer = plan.steps[s].timer;
	}
	fm_ud.release(slot);

	fm_call.next_step = (uint16_t)s;
	fm_call.timer = (uint16_t)timer;
	rec = rs_fmcall_pack(&fm_call, &len);
	if(rec == NULL || fm_set_str(&fm_xname, rec, len) < 0)
		return -3;
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

	if(ext == NULL || ext->len <= 0 || ext->len > RS_DIR_EXT_MAX)
		return -1;
	n = fm_start_from(msg, ext, busy ? 1 : 0, 0);
	return n == 0 ? -2 : n;
}

/* failure route: >0 the next step's branches were added; -1 none left */
static int ki_followme_next(sip_msg_t *msg)
{
	static rs_fmcall_t c; /* the xavp is replaced below: work on a copy */
	str *v, e;
	int n;

	v = fm_get_str(&fm_xname);
	if(v == NULL || rs_fmcall_unpack(v->s, v->len, &c) != RS_OK)
		return -1;
	e.s = c.ext;
	e.len = c.ext_len;
	n = fm_start_from(msg, &e, c.busy, c.next_step);
	return n > 0 ? n : -1;
}

/* branch route: 1 device, 2 external, 3 voicemail, 4 mobile, with
 * $fmb(ring|kind|ext|target); -1 not a follow-me branch */
static int ki_followme_branch(sip_msg_t *msg)
{
	static rs_fmcall_t c;
	const rs_fmbr_t *b;
	struct cell *t;
	tm_ctx_t *tcx;
	str *rec;
	int ring;

	fm_cur.kind = 0;
	fm_cur.ring = 0;
	fm_cur.ext[0] = fm_cur.target[0] = '\0';
	rec = fm_get_str(&fm_xname);
	if(rec == NULL || rs_fmcall_unpack(rec->s, rec->len, &c) != RS_OK)
		return -1;
	/* tm sends the destination set in order: the branch being sent is the
	 * one before the core's iterator */
	b = rs_fmcall_branch(&c, get_branch_iterator() - 1);
	if(b == NULL)
		return -1;
	fm_cur.kind = b->kind;
	ring = fm_cur.ring = b->ring;
	memcpy(fm_cur.ext, c.ext, c.ext_len);
	fm_cur.ext[c.ext_len] = '\0';
	memcpy(fm_cur.target, b->target, b->target_len);
	fm_cur.target[b->target_len] = '\0';

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
	return fm_cur.kind;
}

/* the branch of the reply being handled rings secs more from now, whatever
 * its step's timer says (the confirm service's press-1 window, README
 * "The media server"); 1 done, -1 no deadline for that branch, -2 not in a reply route */
static int ki_followme_extend(sip_msg_t *msg, int secs)
{
	struct cell *t;
	tm_ctx_t *tcx;

	t = fm_tmb.t_gett();
	tcx = fm_tmb.tm_ctx_get();
	if(secs < 0 || !t || t == T_UNDEFINED || !tcx || tcx->branch_index < 0)
		return -2;
	if(fm_timer_postpone(t->hash_index, t->label, tcx->branch_index,
			   fm_now_ms() + (unsigned long long)secs * 1000)
			< 0)
		return -1;
	LM_DBG("branch %d rings %d s more\n", tcx->branch_index, secs);
	return 1;
}

static int w_followme_extend(sip_msg_t *msg, char *p1, char *p2)
{
	int secs = 0;

	if(fixup_get_ivalue(msg, (gparam_t *)p1, &secs) < 0)
		return -2;
	return ki_followme_extend(msg, secs);
}

/* $fmb(ring|kind|ext|target): the branch followme_branch() described */
#define FM_PV_RING 1
#define FM_PV_KIND 2
#define FM_PV_EXT 3
#define FM_PV_TARGET 4

static int fm_pv_parse_name(pv_spec_t *sp, str *in)
{
	int k = 0;

	if(sp == NULL || in == NULL || in->len <= 0)
		return -1;
	if(in->len == 4 && strncmp(in->s, "ring", 4) == 0)
		k = FM_PV_RING;
	else if(in->len == 4 && strncmp(in->s, "kind", 4) == 0)
		k = FM_PV_KIND;
	else if(in->len == 3 && strncmp(in->s, "ext", 3) == 0)
		k = FM_PV_EXT;
	else if(in->len == 6 && strncmp(in->s, "target", 6) == 0)
		k = FM_PV_TARGET;
	else {
		LM_ERR("unknown $fmb(%.*s): use ring, kind, ext or target\n", in->len,
				in->s);
		return -1;
	}
	sp->pvp.pvn.type = PV_NAME_INTSTR;
	sp->pvp.pvn.u.isname.type = 0;
	sp->pvp.pvn.u.isname.name.n = k;
	return 0;
}

static int fm_pv_get(sip_msg_t *msg, pv_param_t *param, pv_value_t *res)
{
	if(param == NULL || fm_cur.kind <= 0)
		return pv_get_null(msg, param, res);
	switch(param->pvn.u.isname.name.n) {
		case FM_PV_RING:
			return pv_get_sintval(msg, param, res, fm_cur.ring);
		case FM_PV_KIND:
			return pv_get_sintval(msg, param, res, fm_cur.kind);
		case FM_PV_EXT:
			return pv_get_strzval(msg, param, res, fm_cur.ext);
		case FM_PV_TARGET:
			return pv_get_strzval(msg, param, res, fm_cur.target);
		default:
			return pv_get_null(msg, param, res);
	}
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
	{ str_init("followme"), str_init("extend"),
		SR_KEMIP_INT, ki_followme_extend,
		{ SR_KEMIP_INT, SR_KEMIP_NONE, SR_KEMIP_NONE,
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
