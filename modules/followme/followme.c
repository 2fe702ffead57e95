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
#include <time.h>

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
#include "../../core/locking.h"
#include "../../core/mem/shm.h"
#include "../../core/flags.h"
#include "../../core/data_lump.h"
#include "../../core/parser/msg_parser.h"
#include "../tm/tm_load.h"
#include "../userdev/api.h"
#include "../htable/ht_api.h"
#include "../htable/api.h"

#include "rs_plan.h"
#include "rs_fmcall.h"
#include "rs_kvtab.h"
#include "rs_tmrec.h"
#include "fm_timer.h"

MODULE_VERSION

/* what kind of branch followme_branch() found: the cfg adds its headers
 * (rs_fmbr_kind_t); a registered phone's branch that the cfg's NAT and
 * media routes have work for is this one */
#define FM_BRANCH_DEVICE_NAT 5

static int fm_voicemail_seconds = 30;
static int fm_max_step_contacts = 12;
static int fm_tick_ms = 5;
static int fm_timer_capacity = 65536;
static str fm_media_uri = str_init("sip:127.0.0.3:5100");
static str fm_gateway_uri = str_init("sip:127.0.0.4:5110");
static str fm_domain = str_init("pbx.local");
static int fm_hunt_groups = 4096;

/* hunt groups: the member who answered last, by group (shared) */
static rs_kvtab_t *fm_hunt = NULL;
static gen_lock_t *fm_hunt_lock = NULL;
/* or, when set, this htable (replicated to the other nodes over DMQ with
 * its dmqreplicate=1): group extension => member */
static str fm_hunt_htable = STR_NULL;
static htable_api_t fm_ht;

/* busy members of the call being planned: ",<ext>,<ext>," from the cfg's
 * $xavp(rs_busy=>list) (group calls) */
static str fm_busy_name = str_init("rs_busy");

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
static char fm_packed[RS_FMCALL_PACKED_MAX]; /* and stored */

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
static int w_followme_branch_dev(sip_msg_t *msg, char *pai, char *bflag,
		char *nat_flag, char *anchor_flag, char *nat_bflag);
static int fixup_fm_branch_dev(void **param, int param_no);
static int fixup_free_fm_branch_dev(void **param, int param_no);
static int w_followme_answered(sip_msg_t *msg, char *p1, char *p2);
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
	{"followme_branch", (cmd_function)w_followme_branch_dev, 5,
		fixup_fm_branch_dev, fixup_free_fm_branch_dev, BRANCH_ROUTE},
	{"followme_answered", (cmd_function)w_followme_answered, 0, 0, 0,
		ONREPLY_ROUTE},
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
	{"hunt_groups", PARAM_INT, &fm_hunt_groups},
	{"hunt_htable", PARAM_STR, &fm_hunt_htable},
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

static int fm_hunt_init(void)
{
	size_t sz =
			rs_kvtab_size((uint32_t)(fm_hunt_groups > 0 ? fm_hunt_groups : 0));
	void *mem;

	if(sz == 0) {
		LM_ERR("hunt_groups must be 1..16777216\n");
		return -1;
	}
	mem = shm_malloc(sz);
	fm_hunt_lock = lock_alloc();
	if(mem == NULL || fm_hunt_lock == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	fm_hunt = rs_kvtab_init(mem, sz, (uint32_t)fm_hunt_groups);
	lock_init(fm_hunt_lock);
	return 0;
}

/* the member of hunt group ext who answered last, into last ("" none) */
static void fm_hunt_get(const rs_str_t *ext, char *last)
{
	str h = {ext->s, ext->len};
	ht_cell_t *c;

	last[0] = '\0';
	if(fm_hunt_htable.len <= 0) {
		lock_get(fm_hunt_lock);
		rs_kvtab_get(fm_hunt, ext->s, ext->len, last);
		lock_release(fm_hunt_lock);
		return;
	}
	c = fm_ht.get_clone(&fm_hunt_htable, &h);
	if(c == NULL)
		return;
	if((c->flags & AVP_VAL_STR) && c->value.s.len > 0
			&& c->value.s.len <= RS_KV_VAL_MAX) {
		memcpy(last, c->value.s.s, c->value.s.len);
		last[c->value.s.len] = '\0';
	}
	pkg_free(c);
}

static rs_err_t fm_hunt_set(const char *ext, const char *member)
{
	str h = {(char *)ext, (int)strlen(ext)};
	int_str v;
	rs_err_t rc;

	if(fm_hunt_htable.len <= 0) {
		lock_get(fm_hunt_lock);
		rc = rs_kvtab_set(fm_hunt, ext, strlen(ext), member, strlen(member));
		lock_release(fm_hunt_lock);
		return rc;
	}
	if(strlen(member) > RS_KV_VAL_MAX)
		return RS_E_LIMIT;
	v.s.s = (char *)member;
	v.s.len = (int)strlen(member);
	return fm_ht.set(&fm_hunt_htable, &h, AVP_VAL_STR, &v, 1) < 0 ? RS_E_NOMEM
																  : RS_OK;
}

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
	if(fm_hunt_init() < 0)
		return -1;
	if(fm_hunt_htable.len > 0 && htable_load_api(&fm_ht) < 0) {
		LM_ERR("hunt_htable is set: the htable module is needed\n");
		return -1;
	}
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
	if(fm_hunt_lock) {
		lock_destroy(fm_hunt_lock);
		lock_dealloc(fm_hunt_lock);
		fm_hunt_lock = NULL;
	}
	if(fm_hunt) {
		shm_free(fm_hunt);
		fm_hunt = NULL;
	}
}

/* --- plans -------------------------------------------------------------- */

static int fm_ncontacts(void *ctx, const rs_device_t *d)
{
	return fm_ud.device_contacts(d);
}

/* $xavp(rs_busy=>list): ",<ext>,...," of busy members, or NULL */
static str *fm_busy_list(void)
{
	sr_xavp_t *x = xavp_get(&fm_busy_name, NULL);
	str n = str_init("list");

	if(x == NULL || x->val.type != SR_XTYPE_XAVP)
		return NULL;
	x = xavp_get(&n, x->val.v.xavp);
	if(x == NULL || x->val.type != SR_XTYPE_STR)
		return NULL;
	return &x->val.v.s;
}

static int fm_user_busy(void *ctx, const rs_user_t *u)
{
	const str *list = ctx;
	const char *p, *end;

	if(list == NULL || list->len < u->extension.len + 2)
		return 0;
	end = list->s + list->len - u->extension.len - 1;
	for(p = list->s; p < end; p++) {
		if(p[0] == ',' && memcmp(p + 1, u->extension.s, u->extension.len) == 0
				&& p[1 + u->extension.len] == ',')
			return 1;
	}
	return 0;
}

/* the wall-clock time of schedules (rs_tmrec.h): local time */
static int64_t fm_wallclock(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return rs_wallclock(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * The plan of user u or, if u is NULL, of group g. now: wall-clock time
 * for schedules. For a group, busy members come from $xavp(rs_busy) and
 * a hunt group starts after the member who answered last.
 */
static int fm_compile_at(const rs_dir_t *dir, const rs_user_t *u,
		const rs_group_t *g, int busy, int64_t now, rs_plan_t *plan)
{
	char last[RS_KV_VAL_MAX + 1];
	rs_plan_input_t in;
	rs_err_t err;
	const rs_str_t *ext = u ? &u->extension : &g->extension;

	memset(&in, 0, sizeof(in));
	in.dir = dir;
	in.user = u;
	in.group = g;
	in.ncontacts = fm_ncontacts;
	in.own_busy = busy;
	in.voicemail_seconds = fm_voicemail_seconds;
	in.max_step_contacts = fm_max_step_contacts;
	in.now = now;
	in.now_set = 1;
	in.intl_prefix = fm_ud.intl_prefix;
	if(g != NULL) {
		in.user_busy = fm_user_busy;
		in.ctx = fm_busy_list();
		last[0] = '\0';
		if(g->strategy == RS_GRP_HUNT)
			fm_hunt_get(&g->extension, last);
		in.hunt_after = last;
		err = rs_plan_compile_group(&in, plan);
	} else {
		err = rs_plan_compile(&in, plan);
	}
	if(err != RS_OK) {
		LM_ERR("cannot compile the plan of %.*s: %s (%s)\n", ext->len, ext->s,
				rs_strerror(err), plan->why);
		return -1;
	}
	return 0;
}

static int fm_compile(const rs_dir_t *dir, const rs_user_t *u,
		const rs_group_t *g, int busy, rs_plan_t *plan)
{
	return fm_compile_at(dir, u, g, busy, fm_wallclock(time(NULL)), plan);
}

/* records ring time, kind, target and whose branch it is (the user, or a
 * group's member) of the dset branches [from, to) */
static void fm_note_branches(int from, int to, int ring, rs_fmbr_kind_t kind,
		const rs_str_t *target, const rs_str_t *ext)
{
	rs_err_t rc;
	int i;

	for(i = from; i < to; i++) {
		rc = rs_fmcall_add(&fm_call, i, kind, ring, ext, target);
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
	const rs_str_t *ext;
	rs_str_t vm = {"voicemail", 9};
	rs_str_t confirm = {"confirm", 7};
	int i, before, n = 0;

	for(i = st->first; i < st->first + st->count; i++) {
		tg = &plan->targets[i];
		/* a group member's branches carry the member: its Fork2Mobile
		 * leg is its own, and hunt groups learn who answered */
		ext = tg->member ? &tg->member->extension : &plan->ext;
		before = nr_branches;
		switch(tg->kind) {
			case RS_TGT_DEVICE:
				if(!tg->registered)
					continue;
				fm_ud.add_device_branches(msg, tg->device);
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						RS_FMBR_DEVICE, &tg->name, ext);
				break;
			case RS_TGT_EXTERNAL:
				if(fm_append_peer(msg, &tg->name, &fm_gw_puri, &fm_gateway_uri)
						< 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						RS_FMBR_EXTERNAL, &tg->name, ext);
				break;
			case RS_TGT_MOBILE:
			case RS_TGT_CONFIRM:
				if(fm_append_peer(msg, &confirm, &fm_media_puri, &fm_media_uri)
						< 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						RS_FMBR_MOBILE, &tg->name, ext);
				break;
			case RS_TGT_VOICEMAIL:
				if(fm_append_peer(msg, &vm, &fm_media_puri, &fm_media_uri) < 0)
					continue;
				fm_note_branches(before, nr_branches, tg->ring_seconds,
						RS_FMBR_VOICEMAIL, ext, ext);
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
	const rs_group_t *g;
	rs_str_t e = {ext->s, ext->len};
	int slot, s, n = 0, timer = 0, len;

	dir = fm_ud.acquire(&slot);
	if(dir == NULL)
		return -3;
	u = rs_dir_user(dir, ext->s, ext->len);
	g = u ? NULL : rs_dir_group(dir, ext->s, ext->len);
	if(u == NULL && g == NULL) {
		fm_ud.release(slot);
		return -1;
	}
	if(fm_compile(dir, u, g, busy, &plan) < 0) {
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
	len = rs_fmcall_pack(&fm_call, fm_packed, sizeof(fm_packed));
	if(len < 0 || fm_set_str(&fm_xname, fm_packed, len) < 0)
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
	memcpy(fm_cur.ext, b->ext, b->ext_len);
	fm_cur.ext[b->ext_len] = '\0';
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

/*
 * onreply route, on a 2xx: the member of a hunt group whose branch
 * answered becomes the group's last answerer (the next call starts after
 * it). 1 recorded, -1 not a hunt group call or not a member's branch.
 */
static int ki_followme_answered(sip_msg_t *msg)
{
	static rs_fmcall_t c;
	char ext[RS_DIR_EXT_MAX + 1], member[RS_DIR_EXT_MAX + 1];
	const rs_fmbr_t *b;
	const rs_group_t *g;
	const rs_dir_t *dir;
	struct cell *t;
	tm_ctx_t *tcx;
	str *rec;
	int slot, hunt = 0, br, first;
	rs_err_t rc = RS_OK;

	if(msg->first_line.type != SIP_REPLY || msg->REPLY_STATUS < 200
			|| msg->REPLY_STATUS >= 300)
		return -1;
	rec = fm_get_str(&fm_xname);
	t = fm_tmb.t_gett();
	tcx = fm_tmb.tm_ctx_get();
	if(rec == NULL || rs_fmcall_unpack(rec->s, rec->len, &c) != RS_OK
			|| t == NULL || t == T_UNDEFINED || tcx == NULL
			|| (br = tcx->branch_index) < 0
			|| br >= (int)t->nr_of_outgoings)
		return -1;
	memcpy(ext, c.ext, c.ext_len);
	ext[c.ext_len] = '\0';
	dir = fm_ud.acquire(&slot);
	if(dir == NULL)
		return -1;
	g = rs_dir_group(dir, ext, c.ext_len);
	hunt = g != NULL && g->strategy == RS_GRP_HUNT;
	fm_ud.release(slot);
	if(!hunt)
		return -1;
	/* the current step's branches are tm's last ones, in the order of its
	 * destination set (the order of the record) */
	first = (int)t->nr_of_outgoings - c.nbranches;
	b = rs_fmcall_nth(&c, br - first);
	if(b == NULL || (b->ext_len == c.ext_len
							&& memcmp(b->ext, c.ext, c.ext_len) == 0))
		return -1;
	memcpy(member, b->ext, b->ext_len);
	member[b->ext_len] = '\0';
	rc = fm_hunt_set(ext, member);
	if(rc != RS_OK) {
		LM_WARN("hunt group %s: cannot keep its last answerer %s (%s)\n", ext,
				member, rs_strerror(rc));
		return -1;
	}
	LM_INFO("hunt group %s answered by %s: the next call starts after it\n",
			ext, member);
	return 1;
}

static int w_followme_answered(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_followme_answered(msg);
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

static int fixup_fm_branch_dev(void **param, int param_no)
{
	if(param_no == 1)
		return fixup_pvar_null(param, 1);
	return fixup_igp_null(param, 1);
}

static int fixup_free_fm_branch_dev(void **param, int param_no)
{
	if(param_no == 1)
		return fixup_free_pvar_null(param, 1);
	return fixup_free_igp_null(param, 1);
}

/*
 * followme_branch(pai, bflag, nat_flag, anchor_flag, nat_bflag):
 * followme_branch(), and for a registered phone's branch (1) what the
 * branch route did for it in ten statements: its Expires header replaced
 * by the ring time, the P-Asserted-Identity pai (a variable; none when it
 * is unset or empty, or the request is not an INVITE) appended, branch
 * flag bflag set. The headers are built by rs_fmcall_device_hdrs(); a pai
 * it refuses (a CR or LF in it) is left out with an error, the branch
 * still rings. Such a branch returns 0 when nothing else applies to it:
 * Kamailio ends the branch route there (as "exit": the branch is sent),
 * so the common branch costs the script one statement; it returns
 * FM_BRANCH_DEVICE_NAT (5) when the caller is behind NAT
 * (message flag nat_flag), the call is anchored (anchor_flag) or the phone
 * is behind NAT (its branch flag nat_bflag): the cfg's NAT and media
 * routes then have work.
 */
static int fm_flag_param(sip_msg_t *msg, char *param, int *flag)
{
	if(fixup_get_ivalue(msg, (gparam_t *)param, flag) < 0 || *flag < 0
			|| *flag > (int)MAX_FLAG) {
		LM_ERR("bad flag number\n");
		return -1;
	}
	return 0;
}

static int w_followme_branch_dev(sip_msg_t *msg, char *pai, char *bflag,
		char *nat_flag, char *anchor_flag, char *nat_bflag)
{
	int fnat, fanchor, bnat;
	char buf[RS_FM_DEV_HDRS_MAX];
	rs_str_t p = {NULL, 0};
	pv_value_t v;
	hdr_field_t *hf;
	struct lump *anchor;
	char *s;
	int kind, flag = 0, n;

	kind = ki_followme_branch(msg);
	if(kind != RS_FMBR_DEVICE)
		return kind;
	if(fm_flag_param(msg, bflag, &flag) < 0
			|| fm_flag_param(msg, nat_flag, &fnat) < 0
			|| fm_flag_param(msg, anchor_flag, &fanchor) < 0
			|| fm_flag_param(msg, nat_bflag, &bnat) < 0)
		return -2;
	if(msg->first_line.type == SIP_REQUEST
			&& msg->first_line.u.request.method_value == METHOD_INVITE
			&& pv_get_spec_value(msg, (pv_spec_t *)pai, &v) == 0) {
		if((v.flags & PV_VAL_STR) && !(v.flags & PV_VAL_NULL)) {
			p.s = v.rs.s;
			p.len = v.rs.len;
		}
	}
	n = rs_fmcall_device_hdrs(buf, sizeof(buf), fm_cur.ring, &p);
	if(n < 0 && p.len > 0) {
		LM_ERR("P-Asserted-Identity of %d bytes refused (%s): the branch "
			   "goes without it\n",
				p.len, rs_strerror((rs_err_t)n));
		p.len = 0;
		n = rs_fmcall_device_hdrs(buf, sizeof(buf), fm_cur.ring, &p);
	}
	if(n < 0 || parse_headers(msg, HDR_EOH_F, 0) < 0 || msg->unparsed == NULL) {
		LM_ERR("cannot write the branch's headers\n");
		return -2;
	}
	for(hf = msg->headers; hf; hf = hf->next) {
		if(hf->type == HDR_EXPIRES_T
				&& del_lump(msg, hf->name.s - msg->buf, hf->len, 0) == NULL) {
			LM_ERR("cannot remove Expires\n");
			return -2;
		}
	}
	anchor = anchor_lump(msg, msg->unparsed - msg->buf, 0, 0);
	s = anchor ? pkg_malloc(n) : NULL;
	if(s == NULL) {
		LM_ERR("no memory for the branch's headers\n");
		return -2;
	}
	memcpy(s, buf, n);
	if(insert_new_lump_before(anchor, s, n, 0) == NULL) {
		pkg_free(s);
		LM_ERR("cannot append the branch's headers\n");
		return -2;
	}
	setbflag(0, (flag_t)flag);
	if(isflagset(msg, (flag_t)fnat) == 1 || isflagset(msg, (flag_t)fanchor) == 1
			|| isbflagset(0, (flag_t)bnat) == 1)
		return FM_BRANCH_DEVICE_NAT;
	return 0; /* the branch route ends: nothing else to do for it */
}

/* --- RPC -------------------------------------------------------------- */

static void fm_rpc_plan(rpc_t *rpc, void *ctx)
{
	static rs_plan_t plan;
	static char text[16384];
	char media[128], dom[128], why[128], last[RS_KV_VAL_MAX + 1];
	const rs_dir_t *dir;
	const rs_user_t *u;
	const rs_group_t *g = NULL;
	str ext = STR_NULL, at = STR_NULL;
	int64_t now;
	rs_tmrec_t when;
	int slot, len, off = 0;

	if(rpc->scan(ctx, ".S", &ext) < 1) {
		rpc->fault(ctx, 400, "usage: followme.plan <extension> [<time>]");
		return;
	}
	if(ext.len <= 0 || ext.len > 32) {
		rpc->fault(ctx, 400, "bad argument: extension");
		return;
	}
	/* the plan at another time (schedules): YYYYMMDDTHHMMSS, local */
	now = fm_wallclock(time(NULL));
	if(rpc->scan(ctx, "*S", &at) == 1 && at.len > 0) {
		if(at.len != 15
				|| rs_tmrec_parse(at.s, at.len, &when, why, sizeof(why))
						   != RS_OK) {
			rpc->fault(ctx, 400, "bad argument: time must be YYYYMMDDTHHMMSS");
			return;
		}
		now = when.start;
	}
	dir = fm_ud.acquire(&slot);
	if(dir == NULL) {
		rpc->fault(ctx, 503, "user directory not loaded");
		return;
	}
	u = rs_dir_user(dir, ext.s, ext.len);
	g = u ? NULL : rs_dir_group(dir, ext.s, ext.len);
	if(u == NULL && g == NULL) {
		fm_ud.release(slot);
		rpc->fault(ctx, 404, "unknown extension: %.*s", ext.len, ext.s);
		return;
	}
	if(fm_compile_at(dir, u, g, 0, now, &plan) < 0) {
		fm_ud.release(slot);
		rpc->fault(ctx, 500, "cannot compile the plan of %.*s", ext.len, ext.s);
		return;
	}
	snprintf(media, sizeof(media), "%.*s%s%.*s", fm_media_puri.host.len,
			fm_media_puri.host.s, fm_media_puri.port.len ? ":" : "",
			fm_media_puri.port.len, fm_media_puri.port.s);
	snprintf(dom, sizeof(dom), "%.*s", fm_domain.len, fm_domain.s);
	if(g != NULL) {
		last[0] = '\0';
		if(g->strategy == RS_GRP_HUNT)
			fm_hunt_get(&g->extension, last);
		off = snprintf(text, sizeof(text), "group %.*s %s, %d members%s%s\n",
				g->extension.len, g->extension.s,
				rs_grp_strategy_name(g->strategy), g->nmembers,
				last[0] ? ", last answered by " : "", last);
	} else if(plan.forwarded) {
		off = snprintf(text, sizeof(text), "forwarded to %.*s\n",
				u->cfwd_target.len, u->cfwd_target.s);
	}
	len = rs_plan_render(&plan, dom, media, text + off, sizeof(text) - off);
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
	{ str_init("followme"), str_init("answered"),
		SR_KEMIP_INT, ki_followme_answered,
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
