/*
 * Ringset - userdev module: users and their many devices
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * Keeps rs_user and rs_device in shared memory (ud_store.c), follows SQL
 * changes by polling in a process of its own (ud_db.c), and gives the routing
 * script: who a device belongs to, what a user is, and the branches that ring
 * every registered contact of every device of a user.
 */

#include <string.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <stdint.h>

#include "../../core/sr_module.h"
#include "../../core/dprint.h"
#include "../../core/mod_fix.h"
#include "../../core/rpc.h"
#include "../../core/rpc_lookup.h"
#include "../../core/timer_proc.h"
#include "../../core/xavp.h"
#include "../../core/dset.h"
#include "../../core/ut.h"
#include "../../core/kemi.h"
#include "../../core/mem/mem.h"
#include "../../core/data_lump.h"
#include "../../core/data_lump_rpl.h"
#include "../../core/parser/msg_parser.h"
#include "../../core/parser/contact/parse_contact.h"
#include "../../core/parser/parse_expires.h"
#include "../../core/parser/parse_to.h"
#include "../../core/parser/parse_uri.h"
#include "../registrar/api.h"
#include "../usrloc/usrloc.h"

#include "rs_common.h"
#include "rs_contact.h"
#include "rs_userdir.h"
#include "ud_store.h"
#include "ud_db.h"
#include "ud_reply.h"
#include "ud_dlgdev.h"
#include "ud_contact.h"
#include "ud_creds.h"
#include "ud_local.h"
#include "api.h"
#include "../common/rs_xavp.h"

MODULE_VERSION

static int ud_poll_tick_ms = 100;
static str ud_location_table = str_init("location");
static str ud_default_domain = str_init("");
static str ud_intl_prefix = str_init("00");
static char ud_intl[16] = "00";

static registrar_api_t ud_reg;
static usrloc_api_t ud_ul;
static udomain_t *ud_udomain = NULL;

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);
static int bind_userdev(userdev_api_t *api);

static int w_userdev_user(sip_msg_t *msg, char *ext, char *xname);
static int w_userdev_device(sip_msg_t *msg, char *dev, char *xname);
static int w_userdev_user_f(
		sip_msg_t *msg, char *ext, char *xname, char *fields);
static int w_userdev_device_f(
		sip_msg_t *msg, char *dev, char *xname, char *fields);
static int ud_fields_fixup(void **param, int param_no);
static int ud_fields_fixup_free(void **param, int param_no);
static int w_userdev_fork(sip_msg_t *msg, char *ext, char *p2);
static int w_userdev_feature(sip_msg_t *msg, char *code, char *xname);
static int w_userdev_group(sip_msg_t *msg, char *ext, char *xname);
static int w_userdev_db_up(sip_msg_t *msg, char *p1, char *p2);
static int w_userdev_incall_codes(sip_msg_t *msg, char *xname, char *p2);
static int w_userdev_ruid_device(
		sip_msg_t *msg, char *ext, char *ruid, char *xname);
static int w_userdev_strip_hf(sip_msg_t *msg, char *set, char *also);
static int w_userdev_reg_refresh(sip_msg_t *msg, char *min, char *max);
static int ud_hfset_fixup(void **param, int param_no);
static int ud_hfset_fixup_free(void **param, int param_no);

static void ud_rpc_show(rpc_t *rpc, void *ctx);
static void ud_rpc_reload(rpc_t *rpc, void *ctx);
static void ud_rpc_status(rpc_t *rpc, void *ctx);
static int ud_reload_now(void);

/* clang-format off */
static cmd_export_t cmds[] = {
	{"userdev_user", (cmd_function)w_userdev_user, 2, fixup_spve_spve,
		fixup_free_spve_spve, ANY_ROUTE},
	{"userdev_device", (cmd_function)w_userdev_device, 2, fixup_spve_spve,
		fixup_free_spve_spve, ANY_ROUTE},
	{"userdev_user", (cmd_function)w_userdev_user_f, 3, ud_fields_fixup,
		ud_fields_fixup_free, ANY_ROUTE},
	{"userdev_device", (cmd_function)w_userdev_device_f, 3, ud_fields_fixup,
		ud_fields_fixup_free, ANY_ROUTE},
	{"userdev_feature", (cmd_function)w_userdev_feature, 2, fixup_spve_spve,
		fixup_free_spve_spve, ANY_ROUTE},
	{"userdev_group", (cmd_function)w_userdev_group, 2, fixup_spve_spve,
		fixup_free_spve_spve, ANY_ROUTE},
	{"userdev_db_up", (cmd_function)w_userdev_db_up, 0, 0, 0, ANY_ROUTE},
	{"userdev_incall_codes", (cmd_function)w_userdev_incall_codes, 1,
		fixup_spve_null, fixup_free_spve_null, ANY_ROUTE},
	{"userdev_fork", (cmd_function)w_userdev_fork, 1, fixup_spve_null,
		fixup_free_spve_null, REQUEST_ROUTE | FAILURE_ROUTE},
	{"userdev_ruid_device", (cmd_function)w_userdev_ruid_device, 3,
		fixup_spve_all, fixup_free_spve_all, ANY_ROUTE},
	{"userdev_strip_hf", (cmd_function)w_userdev_strip_hf, 1, ud_hfset_fixup,
		ud_hfset_fixup_free, ANY_ROUTE},
	{"userdev_strip_hf", (cmd_function)w_userdev_strip_hf, 2, ud_hfset_fixup,
		ud_hfset_fixup_free, ANY_ROUTE},
	{"userdev_contact_check", (cmd_function)w_userdev_contact_check, 3,
		ud_contact_fixup, ud_contact_fixup_free, REQUEST_ROUTE},
	{"userdev_reg_refresh", (cmd_function)w_userdev_reg_refresh, 2,
		fixup_igp_igp, fixup_free_igp_igp, REQUEST_ROUTE},
	{"userdev_dlgdev_save", (cmd_function)w_userdev_dlgdev_save, 6,
		fixup_spve_all, fixup_free_spve_all, ANY_ROUTE},
	{"userdev_dlgdev", (cmd_function)w_userdev_dlgdev, 2, fixup_spve_spve,
		fixup_free_spve_spve, ANY_ROUTE},
	{"ringset_reply", (cmd_function)w_ringset_reply, 1, ud_reply_fixup,
		ud_reply_fixup_free, REQUEST_ROUTE | FAILURE_ROUTE},
	{"ringset_reply_text", (cmd_function)w_ringset_reply_text, 2,
		ud_reply_fixup, ud_reply_fixup_free, ANY_ROUTE},
	{"bind_userdev", (cmd_function)bind_userdev, 0, 0, 0, 0},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"db_url", PARAM_STR, &ud_db_url},
	{"user_table", PARAM_STR, &ud_user_table},
	{"device_table", PARAM_STR, &ud_device_table},
	{"followme_table", PARAM_STR, &ud_followme_table},
	{"feature_table", PARAM_STR, &ud_feature_table},
	{"change_table", PARAM_STR, &ud_change_table},
	{"max_users", PARAM_INT, &ud_max_users},
	{"max_devices", PARAM_INT, &ud_max_devices},
	{"max_followme", PARAM_INT, &ud_max_followme},
	{"fetch_rows", PARAM_INT, &ud_fetch_rows},
	{"recheck_interval", PARAM_INT, &ud_recheck_interval},
	{"poll_interval", PARAM_INT, &ud_poll_interval},
	{"poll_tick_ms", PARAM_INT, &ud_poll_tick_ms},
	{"location_table", PARAM_STR, &ud_location_table},
	{"domain", PARAM_STR, &ud_default_domain},
	{"snapshot_file", PARAM_STR, &ud_snapshot_file},
	{"creds_htable", PARAM_STR, &ud_creds_htable},
	{"subscriber_table", PARAM_STR, &ud_subscriber_table},
	{"international_prefix", PARAM_STR, &ud_intl_prefix},
	{"dlgdev_htable", PARAM_STR, &ud_dlgdev_htable},
	{"local_names", PARAM_STRING, &ud_local_names},
	{"ha1_htable", PARAM_STR, &ud_ha1_htable},
	{0, 0, 0}
};

static const char *ud_rpc_show_doc[2] = {
	"Show a user (extension) or a device (username): the user, its devices "
	"and their registered contacts", 0};
static const char *ud_rpc_reload_doc[2] = {
	"Reload rs_user and rs_device from the database now", 0};
static const char *ud_rpc_status_doc[2] = {
	"State of the directory copy and of its database poller", 0};

static rpc_export_t ud_rpc_cmds[] = {
	{"userdev.show", ud_rpc_show, ud_rpc_show_doc, 0},
	{"userdev.reload", ud_rpc_reload, ud_rpc_reload_doc, 0},
	{"userdev.status", ud_rpc_status, ud_rpc_status_doc, 0},
	{0, 0, 0, 0}
};

static pv_export_t ud_pvs[] = {
	{{"udv", sizeof("udv") - 1}, PVT_OTHER, pv_get_udv, 0, pv_parse_udv_name,
		0, 0, 0},
	{{0, 0}, 0, 0, 0, 0, 0, 0, 0}
};

struct module_exports exports = {
	"userdev",
	DEFAULT_DLFLAGS,
	cmds,
	params,
	0,				/* RPC: registered in mod_init */
	ud_pvs,			/* pseudo-variables */
	0,				/* response handler */
	mod_init,
	child_init,
	mod_destroy
};
/* clang-format on */

static int ud_bind_usrloc(void)
{
	bind_usrloc_t bind;

	bind = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind == NULL || bind(&ud_ul) < 0) {
		LM_ERR("the usrloc module is needed\n");
		return -1;
	}
	return 0;
}

static uint64_t ud_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * While the database is down the poller retries every 1, 2, 4, then 4 s:
 * each failed try costs two ERROR lines of db_mysql; routing goes on from
 * the copy in shared memory, and the first try that works reloads.
 */
#define UD_DOWN_BACKOFF_MAX 4

/*
 * The poller. Every poll_tick_ms while the database is up it reads the
 * change counter (one row by key: rs_change 'userdir'), which moves on every
 * write to the directory's tables, by SQL provisioning (triggers) or by a
 * state change through the write path on any node, and loads a new
 * directory when it moved. A failed read marks the database down at once
 * (userdev_db_up(), which the cfg asks before it tries auth_db); then it
 * retries with the backoff above, counted in poll_interval seconds.
 */
static void ud_timer(unsigned int ticks, void *param)
{
	static unsigned int wait = 0, waited = 0;
	static uint64_t last_ms = 0;
	uint64_t now = ud_now_ms();
	ud_status_t st;

	ud_store_status(&st);
	if(!st.db_ok && (st.checked_at != 0 || st.from_file)) {
		if(now - last_ms < (uint64_t)ud_poll_interval * 1000u)
			return;
		last_ms = now;
		if(++waited < wait)
			return;
		waited = 0;
	}
	ud_store_load_lock();
	ud_db_load(0);
	ud_store_load_unlock();
	ud_store_status(&st);
	if(st.db_ok)
		wait = 0;
	else if(wait < UD_DOWN_BACKOFF_MAX)
		wait = wait ? 2 * wait : 1;
}

static int mod_init(void)
{
	if(rpc_register_array(ud_rpc_cmds) != 0) {
		LM_ERR("cannot register RPC commands\n");
		return -1;
	}
	if(ud_reply_init() < 0 || ud_local_init() < 0)
		return -1;
	if(registrar_load_api(&ud_reg) < 0) {
		LM_ERR("the registrar module is needed\n");
		return -1;
	}
	if(ud_bind_usrloc() < 0)
		return -1;
	if(ud_intl_prefix.len < 1 || ud_intl_prefix.len >= (int)sizeof(ud_intl)) {
		LM_ERR("international_prefix must be 1..%d chars\n",
				(int)sizeof(ud_intl) - 1);
		return -1;
	}
	memcpy(ud_intl, ud_intl_prefix.s, ud_intl_prefix.len);
	ud_intl[ud_intl_prefix.len] = '\0';
	if(ud_poll_interval < 1 || ud_poll_tick_ms < 10
			|| ud_poll_tick_ms > ud_poll_interval * 1000) {
		LM_ERR("poll_interval must be at least 1 second, poll_tick_ms "
			   "between 10 and poll_interval\n");
		return -1;
	}
	if(ud_max_users < 1 || ud_max_users > RS_DIR_ROWS_MAX || ud_max_devices < 1
			|| ud_max_devices > RS_DIR_ROWS_MAX || ud_max_followme < 1
			|| ud_max_followme > RS_DIR_ROWS_MAX) {
		LM_ERR("max_users, max_devices and max_followme must be 1..%d\n",
				RS_DIR_ROWS_MAX);
		return -1;
	}
	if(ud_store_init() < 0)
		return -1;
	if(ud_db_bind() < 0)
		return -1;
	if(ud_db_open() < 0) {
		/* a start without the database: the last good directory, kept on
		 * disk by every load (snapshot_file); the poller takes the
		 * database when it answers */
		if(ud_db_load_file() < 0)
			return -1;
		register_sync_timers(1);
		return 0;
	}
	if(ud_db_check_versions() < 0) {
		ud_db_close();
		return -1;
	}
	if(ud_db_load(1) < 0) {
		LM_ERR("cannot load the user directory\n");
		ud_db_close();
		return -1;
	}
	ud_db_close();
	register_sync_timers(1);
	return 0;
}

static int child_init(int rank)
{
	if(rank == PROC_MAIN) {
		if(fork_sync_utimer(PROC_TIMER, "userdev poller", 1, ud_timer, NULL,
				   ud_poll_tick_ms * 1000)
				< 0) {
			LM_ERR("cannot start the directory poller\n");
			return -1;
		}
		return 0;
	}
	if(rank == PROC_INIT || rank == PROC_TCP_MAIN)
		return 0;
	/* every other process connects on first use (reload RPC, poller) */
	return 0;
}

static void mod_destroy(void)
{
	ud_db_close();
	ud_store_destroy();
}

/* --- helpers ---------------------------------------------------------- */

static udomain_t *ud_get_udomain(void)
{
	char name[64];

	if(ud_udomain)
		return ud_udomain;
	if(ud_location_table.len >= (int)sizeof(name))
		return NULL;
	memcpy(name, ud_location_table.s, ud_location_table.len);
	name[ud_location_table.len] = '\0';
	if(ud_ul.get_udomain(name, &ud_udomain) < 0) {
		LM_ERR("usrloc table %s is not in use\n", name);
		ud_udomain = NULL;
	}
	return ud_udomain;
}

static const str *ud_domain_of(const rs_str_t *d)
{
	static str tmp;

	if(d->len > 0) {
		tmp.s = d->s;
		tmp.len = d->len;
		return &tmp;
	}
	return &ud_default_domain;
}

static int ud_xavp_str(sr_xavp_t **list, const char *name, const rs_str_t *v)
{
	return rs_xavp_add_str(list, name, v ? v->s : NULL, v ? v->len : 0);
}

static int ud_xsink_str(void *ctx, const char *name, const rs_str_t *v)
{
	return ud_xavp_str((sr_xavp_t **)ctx, name, v);
}

static int ud_xsink_long(void *ctx, const char *name, long v)
{
	return rs_xavp_add_long((sr_xavp_t **)ctx, name, v);
}

/* where a lookup's fields go: the local slot of that name (ud_local.h),
 * else an xavp list built in *list and pushed as $xavp(xname) */
static const ud_sink_t *ud_sink_for(
		sip_msg_t *msg, str *xname, sr_xavp_t **list, ud_sink_t *xs)
{
	const ud_sink_t *k = ud_local_sink(msg, xname);

	if(k)
		return k;
	xs->put_str = ud_xsink_str;
	xs->put_long = ud_xsink_long;
	xs->ctx = list;
	return xs;
}

/* the fields of mask (RS_FLD_*): as xavps, each is one shm allocation
 * that lives as long as the transaction, so a lookup names the fields its
 * cfg reads. The columns come from rs_user's descriptor (rs_user_cols) */
#define UD_F(bit) (mask & (bit))
static int ud_user_fields(
		const ud_sink_t *k, const rs_user_t *u, unsigned int mask)
{
	const rs_coldesc_t *c;
	int i, rc;

	/* pbx: the five fields that can also be named one by one */
	if(mask & RS_FLD_PBX)
		mask |= RS_FLD_CALL_EXTERNAL | RS_FLD_CALL_INTERNATIONAL
				| RS_FLD_PICKUP_GROUP | RS_FLD_CFWD_TARGET | RS_FLD_DND;
	for(i = 0; i < rs_user_ncols; i++) {
		c = &rs_user_cols[i];
		if(!UD_F(c->xavp) || c->out_off == RS_COL_NONE)
			continue;
		if(c->type == RS_COL_INT)
			rc = k->put_long(k->ctx, c->name, *RS_COL_INTP(u, c->out_off));
		else
			rc = k->put_str(k->ctx, c->name, RS_COL_STR(u, c->out_off));
		if(rc < 0)
			return -1;
	}
	if(UD_F(RS_FLD_DEVICES) && k->put_long(k->ctx, "devices", u->ndevices) < 0)
		return -1;
	return 0;
}

/* --- cfg functions ---------------------------------------------------- */

/* 1: found (fields in $xavp(xname)), -1: not a user, -2: bad argument,
 * -3: directory not loaded or out of memory */
static int ud_user(sip_msg_t *msg, str *ext, str *xname, unsigned int mask)
{
	const rs_dir_t *dir;
	const rs_user_t *u;
	const ud_sink_t *k;
	ud_sink_t xs;
	sr_xavp_t *list = NULL;
	int slot, ret;

	if(ext == NULL || ext->len <= 0 || xname == NULL || xname->len <= 0)
		return -2;
	dir = ud_store_acquire(&slot);
	if(dir == NULL)
		return -3;
	u = rs_dir_user(dir, ext->s, ext->len);
	k = ud_sink_for(msg, xname, &list, &xs);
	if(u == NULL) {
		ud_local_drop(xname);
		ret = -1;
	} else if(ud_user_fields(k, u, mask) < 0
			  || (list && rs_xavp_push(xname, list, 1) < 0)) {
		if(list)
			xavp_destroy_list(&list);
		ud_local_drop(xname);
		ret = -3;
	} else {
		ret = 1;
	}
	ud_store_release(slot);
	return ret;
}

/* 1: device linked to a user (owner fields plus device, kind in
 * $xavp(xname), unless xname is empty), 2: device of no user, -1: unknown
 * device */
static int ud_device(sip_msg_t *msg, str *dev, str *xname, unsigned int mask)
{
	const rs_dir_t *dir;
	const rs_device_t *d;
	const ud_sink_t *k;
	ud_sink_t xs;
	sr_xavp_t *list = NULL;
	rs_str_t kind;
	int slot, ret = -3;

	if(dev == NULL || dev->len <= 0 || xname == NULL)
		return -2;
	dir = ud_store_acquire(&slot);
	if(dir == NULL)
		return -3;
	d = rs_dir_device(dir, dev->s, dev->len);
	if(d == NULL) {
		if(xname->len > 0)
			ud_local_drop(xname);
		ret = -1;
		goto done;
	}
	if(xname->len <= 0) {
		/* only the question: is it a device, and of a user? */
		ret = d->owner ? 1 : 2;
		goto done;
	}
	kind.s = (char *)rs_dev_kind_name(d->kind);
	kind.len = strlen(kind.s);
	k = ud_sink_for(msg, xname, &list, &xs);
	if((UD_F(RS_FLD_DEVICE) && k->put_str(k->ctx, "device", &d->username) < 0)
			|| (UD_F(RS_FLD_KIND) && k->put_str(k->ctx, "kind", &kind) < 0)
			|| (UD_F(RS_FLD_MAC) && k->put_str(k->ctx, "mac", &d->mac) < 0)
			|| (d->owner && ud_user_fields(k, d->owner, mask) < 0)
			|| (list && rs_xavp_push(xname, list, 1) < 0)) {
		if(list)
			xavp_destroy_list(&list);
		ud_local_drop(xname);
		goto done;
	}
	ret = d->owner ? 1 : 2;
done:
	ud_store_release(slot);
	return ret;
}

static int ki_userdev_user(sip_msg_t *msg, str *ext, str *xname)
{
	return ud_user(msg, ext, xname, RS_FLD_ALL);
}

static int ki_userdev_device(sip_msg_t *msg, str *dev, str *xname)
{
	return ud_device(msg, dev, xname, RS_FLD_ALL);
}

/* 1: code is a feature code (service, enabled in $xavp(xname)), -1: not a
 * code, -2: bad argument, -3: directory not loaded or out of memory */
static int ki_userdev_feature(sip_msg_t *msg, str *code, str *xname)
{
	const rs_feature_t *f;
	const rs_dir_t *dir;
	sr_xavp_t *list = NULL;
	rs_str_t svc, arg;
	int slot, ret;

	if(code == NULL || code->len <= 0 || xname == NULL || xname->len <= 0)
		return -2;
	dir = ud_store_acquire(&slot);
	if(dir == NULL)
		return -3;
	f = rs_dir_feature(dir, code->s, code->len);
	if(f == NULL)
		f = rs_dir_feature_prefix(dir, code->s, code->len);
	if(f == NULL) {
		ret = -1;
		goto done;
	}
	/* a code with an argument (*72<number>, **<ext>): the rest */
	arg.s = code->s + f->code_len;
	arg.len = code->len - f->code_len;
	svc.s = (char *)rs_service_name(f->service);
	svc.len = strlen(svc.s);
	if(ud_xavp_str(&list, "service", &svc) < 0
			|| ud_xavp_str(&list, "arg", &arg) < 0
			|| rs_xavp_add_long(&list, "enabled", f->enabled) < 0
			|| rs_xavp_push(xname, list, 1) < 0) {
		if(list)
			xavp_destroy_list(&list);
		ret = -3;
		goto done;
	}
	ret = 1;
done:
	ud_store_release(slot);
	return ret;
}

/* 1: ext is a group: $xavp(xname) has extension, display_name, strategy,
 * ring_seconds, last_destination and, per member in position order,
 * member (extension), member_max (its max_calls) and member_pg (its
 * pickup group, "" if none); -1: not a group,
 * -2: bad argument, -3: directory not loaded or out of memory */
static int ki_userdev_group(sip_msg_t *msg, str *ext, str *xname)
{
	const rs_dir_t *dir;
	const rs_group_t *g;
	sr_xavp_t *list = NULL;
	rs_str_t strat;
	int slot, ret = -3, i;

	if(ext == NULL || ext->len <= 0 || xname == NULL || xname->len <= 0)
		return -2;
	dir = ud_store_acquire(&slot);
	if(dir == NULL)
		return -3;
	g = rs_dir_group(dir, ext->s, ext->len);
	if(g == NULL) {
		ret = -1;
		goto done;
	}
	strat.s = (char *)rs_grp_strategy_name(g->strategy);
	strat.len = strlen(strat.s);
	if(ud_xavp_str(&list, "extension", &g->extension) < 0
			|| ud_xavp_str(&list, "display_name", &g->display_name) < 0
			|| ud_xavp_str(&list, "strategy", &strat) < 0
			|| rs_xavp_add_long(&list, "ring_seconds", g->ring_seconds) < 0
			|| ud_xavp_str(&list, "last_destination", &g->last_destination) < 0)
		goto fail;
	/* xavp_add_value prepends: add the members last to first */
	for(i = g->nmembers - 1; i >= 0; i--) {
		if(ud_xavp_str(&list, "member", &g->members[i]->extension) < 0
				|| rs_xavp_add_long(
						   &list, "member_max", g->members[i]->max_calls)
						   < 0
				|| ud_xavp_str(&list, "member_pg", &g->members[i]->pickup_group)
						   < 0)
			goto fail;
	}
	if(rs_xavp_push(xname, list, 1) < 0)
		goto fail;
	ret = 1;
	goto done;
fail:
	if(list)
		xavp_destroy_list(&list);
done:
	ud_store_release(slot);
	return ret;
}

static int w_userdev_group(sip_msg_t *msg, char *ext, char *xname)
{
	str e, x;

	if(fixup_get_svalue(msg, (gparam_t *)ext, &e) < 0
			|| fixup_get_svalue(msg, (gparam_t *)xname, &x) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ki_userdev_group(msg, &e, &x);
}

/* 1 if the last poll of the database succeeded, else -1: the cfg skips
 * database lookups that would only time out */
static int ki_userdev_db_up(sip_msg_t *msg)
{
	ud_status_t st;

	ud_store_status(&st);
	return st.db_ok ? 1 : -1;
}

static int w_userdev_db_up(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_userdev_db_up(msg);
}

/*
 * userdev_strip_hf(spec[, also]): remove every header of the message whose
 * name is in spec ("X-Ringset-*, Diversion": rs_hfset_parse), and in also,
 * one pass over the parsed headers with plain compares instead of a
 * regular expression per header (remove_hf_re() cost a call ~100,000
 * instructions in the reply routes). 1: some of spec were removed, -1:
 * none of spec were there (those of also go silently), -2: error.
 */
static int ud_strip_hf(
		sip_msg_t *msg, const rs_hfset_t *set, const rs_hfset_t *also)
{
	hdr_field_t *hf;
	int n = 0, hit;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers\n");
		return -2;
	}
	for(hf = msg->headers; hf; hf = hf->next) {
		hit = rs_hfset_match(set, hf->name.s, hf->name.len);
		if(!hit
				&& (also == NULL
						|| !rs_hfset_match(also, hf->name.s, hf->name.len)))
			continue;
		if(del_lump(msg, hf->name.s - msg->buf, hf->len, 0) == NULL) {
			LM_ERR("cannot remove header %.*s\n", hf->name.len, hf->name.s);
			return -2;
		}
		n += hit ? 1 : 0;
	}
	return n > 0 ? 1 : -1;
}

/* the set and a copy of its spec, which the set points into (pkg) */
typedef struct ud_hfset
{
	rs_hfset_t set;
	char spec[];
} ud_hfset_t;

static ud_hfset_t *ud_hfset_new(const str *spec)
{
	ud_hfset_t *h;
	rs_str_t sp;
	int bad = 0;
	rs_err_t rc;

	h = pkg_malloc(sizeof(*h) + spec->len + 1);
	if(h == NULL) {
		PKG_MEM_ERROR;
		return NULL;
	}
	memcpy(h->spec, spec->s, spec->len);
	h->spec[spec->len] = '\0';
	sp.s = h->spec;
	sp.len = spec->len;
	rc = rs_hfset_parse(&h->set, &sp, &bad);
	if(rc != RS_OK) {
		LM_ERR("bad header list '%.*s' (entry %d): %s; use names and "
			   "prefixes ending in '*', at most %d, comma-separated\n",
				spec->len, spec->s, bad + 1, rs_strerror(rc), RS_HFSET_MAX);
		pkg_free(h);
		return NULL;
	}
	return h;
}

static int ud_hfset_fixup(void **param, int param_no)
{
	str spec;
	ud_hfset_t *h;

	spec.s = (char *)*param;
	spec.len = spec.s ? strlen(spec.s) : 0;
	h = ud_hfset_new(&spec);
	if(h == NULL)
		return E_CFG;
	*param = h;
	return 0;
}

static int ud_hfset_fixup_free(void **param, int param_no)
{
	if(*param)
		pkg_free(*param);
	*param = NULL;
	return 0;
}

static int w_userdev_strip_hf(sip_msg_t *msg, char *set, char *also)
{
	return ud_strip_hf(msg, &((ud_hfset_t *)set)->set,
			also ? &((ud_hfset_t *)also)->set : NULL);
}

/* KEMI: the list is parsed on every call */
static int ki_userdev_strip_hf(sip_msg_t *msg, str *spec)
{
	ud_hfset_t *h;
	int rc;

	if(spec == NULL || (h = ud_hfset_new(spec)) == NULL)
		return -2;
	rc = ud_strip_hf(msg, &h->set, NULL);
	pkg_free(h);
	return rc;
}

/* snapshots published so far: a reader that sees it change rescans */
static unsigned int ud_generation(void)
{
	ud_status_t st;

	ud_store_status(&st);
	return st.reloads;
}

/* sip:<username>@<domain> of a device */
static int ud_device_aor(const rs_device_t *d, char *buf, int size, str *uri)
{
	const str *dom = ud_domain_of(&d->domain);
	int len;

	len = snprintf(buf, size, "sip:%.*s@%.*s", d->username.len, d->username.s,
			dom->len, dom->s);
	if(len <= 0 || len >= size)
		return -1;
	uri->s = buf;
	uri->len = len;
	return 0;
}

/* a branch for every registered contact of one device: 1 if any, else 0 */
static int ud_add_device_branches(sip_msg_t *msg, const rs_device_t *d)
{
	char buf[MAX_URI_SIZE];
	str uri;

	if(ud_device_aor(d, buf, sizeof(buf), &uri) < 0)
		return 0;
	return ud_reg.lookup_to_dset(msg, &ud_location_table, &uri) > 0 ? 1 : 0;
}

/* how many live contacts a device has registered */
static int ud_device_contacts(const rs_device_t *d)
{
	udomain_t *ud;
	urecord_t *r = NULL;
	ucontact_t *c;
	str aor;
	time_t now = time(NULL);
	int n = 0;

	ud = ud_get_udomain();
	if(ud == NULL)
		return 0;
	aor.s = d->username.s;
	aor.len = d->username.len;
	ud_ul.lock_udomain(ud, &aor);
	if(ud_ul.get_urecord(ud, &aor, &r) == 0) {
		for(c = r->contacts; c; c = c->next) {
			if(c->expires == 0 || c->expires > now)
				n++;
		}
		ud_ul.release_urecord(r);
	}
	ud_ul.unlock_udomain(ud, &aor);
	return n;
}

/* --- registration refreshes answered from memory ------------------------ */

/* the one Contact of a REGISTER (one header, one contact, not "*") and
 * the Expires it asks for (its own parameter, else the Expires header);
 * 0, or -1 for anything else */
static int ud_reg_contact(sip_msg_t *msg, contact_t **ct, long *asked)
{
	hdr_field_t *h;
	contact_body_t *cb;
	unsigned int e;
	int n = 0;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || msg->contact == NULL)
		return -1;
	for(h = msg->contact; h; h = h->next)
		if(h->type == HDR_CONTACT_T)
			n++;
	if(n != 1 || parse_contact(msg->contact) < 0)
		return -1;
	cb = (contact_body_t *)msg->contact->parsed;
	if(cb == NULL || cb->star || cb->contacts == NULL
			|| cb->contacts->next != NULL)
		return -1;
	*ct = cb->contacts;
	if((*ct)->expires && (*ct)->expires->body.len > 0) {
		if(str2int(&(*ct)->expires->body, &e) < 0)
			return -1;
	} else if(msg->expires) {
		if(msg->expires->parsed == NULL && parse_expires(msg->expires) < 0)
			return -1;
		e = ((exp_body_t *)msg->expires->parsed)->val;
	} else {
		return -1;
	}
	*asked = (long)e;
	return 0;
}

/*
 * userdev_reg_refresh(min, max): a REGISTER that only refreshes a binding
 * of this node (the same Contact URI, through the same socket, not
 * registered behind NAT) while more than half of the time it asks for
 * (bounded by max) is left is answered here, 200 with every binding of
 * the AOR and the time each has left, as save() lists them; 1 then (also
 * when the 200 could not be sent: the phone retransmits). -1
 * for anything that must go to save(): a new or changed Contact, several
 * Contacts or "*", no Expires, one below min (0 too), a binding from
 * another node (no socket here) or behind NAT, half the time gone.
 */
static int w_userdev_reg_refresh(sip_msg_t *msg, char *pmin, char *pmax)
{
	char abuf[MAX_URI_SIZE];
	udomain_t *ud;
	urecord_t *r = NULL;
	ucontact_t *c;
	contact_t *ct;
	struct to_body *to;
	struct sip_uri tu;
	str aor, hdrs = STR_NULL;
	time_t now = time(NULL);
	long asked, want, left;
	int min, max, fresh = 0, len = 0, k;
	char *p;

	if(fixup_get_ivalue(msg, (gparam_t *)pmin, &min) < 0
			|| fixup_get_ivalue(msg, (gparam_t *)pmax, &max) < 0)
		return -1;
	if(ud_reg_contact(msg, &ct, &asked) < 0)
		return -1;
	want = rs_reg_want(asked, min, max);
	if(want < 0)
		return -1;
	if(parse_to_header(msg) < 0 || (to = get_to(msg)) == NULL
			|| parse_uri(to->uri.s, to->uri.len, &tu) < 0
			|| tu.user.len <= 0 || tu.user.len >= (int)sizeof(abuf))
		return -1;
	/* the AOR as registrar's save() makes it (use_domain 0) */
	aor.s = abuf;
	aor.len = tu.user.len;
	if(un_escape(&tu.user, &aor) < 0)
		return -1;
	ud = ud_get_udomain();
	if(ud == NULL)
		return -1;
	ud_ul.lock_udomain(ud, &aor);
	if(ud_ul.get_urecord(ud, &aor, &r) == 0) {
		for(c = r->contacts; c; c = c->next) {
			left = (long)(c->expires - now);
			if(c->expires > now)
				len += c->c.len + 32;
			if(!fresh && c->sock == msg->rcv.bind_address
					&& c->received.len == 0 && c->c.len == ct->uri.len
					&& memcmp(c->c.s, ct->uri.s, ct->uri.len) == 0
					&& rs_reg_fresh(left, want))
				fresh = 1;
		}
		if(fresh)
			hdrs.s = pkg_malloc(len + 1);
		if(hdrs.s) {
			p = hdrs.s;
			for(c = r->contacts; c; c = c->next) {
				if(c->expires <= now)
					continue;
				k = snprintf(p, hdrs.s + len + 1 - p,
						"Contact: <%.*s>;expires=%ld\r\n", c->c.len, c->c.s,
						(long)(c->expires - now));
				if(k < 0 || k >= hdrs.s + len + 1 - p)
					break;
				p += k;
			}
			hdrs.len = (int)(p - hdrs.s);
		}
		ud_ul.release_urecord(r);
	}
	ud_ul.unlock_udomain(ud, &aor);
	if(!fresh)
		return -1;
	if(hdrs.s == NULL) {
		PKG_MEM_ERROR;
		return -1; /* save() answers it */
	}
	k = add_lump_rpl(msg, hdrs.s, hdrs.len, LUMP_RPL_HDR) != 0 ? 1 : -1;
	pkg_free(hdrs.s);
	if(k < 0) {
		LM_ERR("cannot add the Contacts to the reply\n");
		return -1;
	}
	/* handled either way: a 200 that could not be sent is retransmitted
	 * by the phone, which then gets this answer again */
	if(ud_sl_reply(msg, 200, "OK") < 0)
		LM_ERR("REGISTER refresh of %.*s: the 200 could not be sent\n",
				aor.len, aor.s);
	return 1;
}

static int ud_add_user_branches(sip_msg_t *msg, const rs_user_t *u)
{
	int i, n = 0;

	for(i = 0; i < u->ndevices; i++)
		n += ud_add_device_branches(msg, u->devices[i]);
	return n;
}

/* >0: number of devices ringing, -1: not a user, -2: nothing registered,
 * -3: internal error */
static int ki_userdev_fork(sip_msg_t *msg, str *ext)
{
	const rs_dir_t *dir;
	const rs_user_t *u;
	int slot, n;

	if(ext == NULL || ext->len <= 0)
		return -1;
	dir = ud_store_acquire(&slot);
	if(dir == NULL)
		return -3;
	u = rs_dir_user(dir, ext->s, ext->len);
	if(u == NULL) {
		ud_store_release(slot);
		return -1;
	}
	n = ud_add_user_branches(msg, u);
	ud_store_release(slot);
	if(n <= 0)
		return -2;
	/* the R-URI names the user, not a contact: fork to the branches only */
	ruri_mark_consumed();
	return n;
}

/* which device of user ext registered the contact with this ruid:
 * 1 with xname=>device set ($udv for a name of local_names, else $xavp),
 * -1 none */
static int ki_userdev_ruid_device(
		sip_msg_t *msg, str *ext, str *ruid, str *xname)
{
	const rs_dir_t *dir;
	const rs_user_t *u;
	const rs_device_t *d;
	const ud_sink_t *k;
	ud_sink_t xs;
	udomain_t *ud;
	urecord_t *r;
	ucontact_t *c;
	sr_xavp_t *list = NULL;
	str aor;
	int slot, i, ret = -1;

	if(ext == NULL || ext->len <= 0 || ruid == NULL || ruid->len <= 0)
		return -2;
	ud = ud_get_udomain();
	if(ud == NULL)
		return -3;
	dir = ud_store_acquire(&slot);
	if(dir == NULL)
		return -3;
	u = rs_dir_user(dir, ext->s, ext->len);
	k = ud_sink_for(msg, xname, &list, &xs);
	for(i = 0; u && i < u->ndevices && ret < 0; i++) {
		d = u->devices[i];
		aor.s = d->username.s;
		aor.len = d->username.len;
		if(ud_ul.get_urecord_by_ruid(ud, ud_ul.get_aorhash(&aor), ruid, &r, &c)
				< 0)
			continue;
		/* the slot is locked on success */
		ud_ul.unlock_udomain(ud, &aor);
		if(k->put_str(k->ctx, "device", &d->username) < 0
				|| (list && rs_xavp_push(xname, list, 1) < 0)) {
			if(list)
				xavp_destroy_list(&list);
			ret = -3;
			break;
		}
		ret = 1;
	}
	ud_store_release(slot);
	if(ret < 0)
		ud_local_drop(xname);
	return ret;
}

static int w_userdev_user(sip_msg_t *msg, char *ext, char *xname)
{
	str e, x;

	if(fixup_get_svalue(msg, (gparam_t *)ext, &e) < 0
			|| fixup_get_svalue(msg, (gparam_t *)xname, &x) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ki_userdev_user(msg, &e, &x);
}

static int w_userdev_device(sip_msg_t *msg, char *dev, char *xname)
{
	str d, x;

	if(fixup_get_svalue(msg, (gparam_t *)dev, &d) < 0
			|| fixup_get_svalue(msg, (gparam_t *)xname, &x) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ki_userdev_device(msg, &d, &x);
}

/* the third parameter: a constant list of field names, parsed once */
static int ud_fields_fixup(void **param, int param_no)
{
	unsigned int *mask;
	char *s = (char *)*param;
	int bad = 0;

	if(param_no < 3)
		return fixup_spve_null(param, 1);
	mask = pkg_malloc(sizeof(*mask));
	if(mask == NULL) {
		PKG_MEM_ERROR;
		return E_OUT_OF_MEM;
	}
	if(rs_dir_field_mask(s, strlen(s), mask, &bad) != RS_OK) {
		LM_ERR("bad field list '%s' (name %d): use extension, domain, "
			   "display_name, external_cli, mobile, voicemail, "
			   "forward_external, hotdesk, fork2mobile, ring_seconds, "
			   "max_calls, anchor_media, devices, device, kind, mac, "
			   "blf_private\n",
				s, bad + 1);
		pkg_free(mask);
		return E_CFG;
	}
	*param = mask;
	return 0;
}

static int ud_fields_fixup_free(void **param, int param_no)
{
	if(param_no < 3)
		return fixup_free_spve_null(param, 1);
	if(*param)
		pkg_free(*param);
	*param = NULL;
	return 0;
}

static int w_userdev_user_f(
		sip_msg_t *msg, char *ext, char *xname, char *fields)
{
	str e, x;

	if(fixup_get_svalue(msg, (gparam_t *)ext, &e) < 0
			|| fixup_get_svalue(msg, (gparam_t *)xname, &x) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ud_user(msg, &e, &x, *(unsigned int *)fields);
}

static int w_userdev_device_f(
		sip_msg_t *msg, char *dev, char *xname, char *fields)
{
	str d, x;

	if(fixup_get_svalue(msg, (gparam_t *)dev, &d) < 0
			|| fixup_get_svalue(msg, (gparam_t *)xname, &x) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ud_device(msg, &d, &x, *(unsigned int *)fields);
}

static int w_userdev_fork(sip_msg_t *msg, char *ext, char *p2)
{
	str e;

	if(fixup_get_svalue(msg, (gparam_t *)ext, &e) < 0) {
		LM_ERR("cannot get the extension\n");
		return -3;
	}
	return ki_userdev_fork(msg, &e);
}

/* 1: the enabled in-call codes (rs_feature_code, services xfer_*) as the
 * media server's X-Ringset-Codes value in $xavp(xname=>codes) (empty when
 * none is enabled), -2: bad argument, -3: directory not loaded */
static int ki_userdev_incall_codes(sip_msg_t *msg, str *xname)
{
	char buf[256];
	const rs_dir_t *dir;
	sr_xavp_t *list = NULL;
	rs_str_t v;
	int slot, n;

	if(xname == NULL || xname->len <= 0)
		return -2;
	dir = ud_store_acquire(&slot);
	if(dir == NULL)
		return -3;
	n = rs_dir_incall_codes(dir, buf, sizeof(buf));
	ud_store_release(slot);
	if(n < 0)
		return -3;
	v.s = buf;
	v.len = n;
	if(ud_xavp_str(&list, "codes", &v) < 0
			|| rs_xavp_push(xname, list, 1) < 0) {
		if(list)
			xavp_destroy_list(&list);
		return -3;
	}
	return 1;
}

static int w_userdev_incall_codes(sip_msg_t *msg, char *xname, char *p2)
{
	str x;

	if(fixup_get_svalue(msg, (gparam_t *)xname, &x) < 0) {
		LM_ERR("cannot get the xavp name\n");
		return -2;
	}
	return ki_userdev_incall_codes(msg, &x);
}

static int w_userdev_feature(sip_msg_t *msg, char *code, char *xname)
{
	str c, x;

	if(fixup_get_svalue(msg, (gparam_t *)code, &c) < 0
			|| fixup_get_svalue(msg, (gparam_t *)xname, &x) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ki_userdev_feature(msg, &c, &x);
}

static int w_userdev_ruid_device(
		sip_msg_t *msg, char *ext, char *ruid, char *xname)
{
	str e, r, x;

	if(fixup_get_svalue(msg, (gparam_t *)ext, &e) < 0
			|| fixup_get_svalue(msg, (gparam_t *)ruid, &r) < 0
			|| fixup_get_svalue(msg, (gparam_t *)xname, &x) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ki_userdev_ruid_device(msg, &e, &r, &x);
}

static int bind_userdev(userdev_api_t *api)
{
	if(api == NULL)
		return -1;
	api->acquire = ud_store_acquire;
	api->release = ud_store_release;
	api->add_user_branches = ud_add_user_branches;
	api->add_device_branches = ud_add_device_branches;
	api->device_contacts = ud_device_contacts;
	api->reload = ud_reload_now;
	api->generation = ud_generation;
	api->write = ud_db_write;
	api->intl_prefix = ud_intl;
	return 0;
}

/* --- RPC -------------------------------------------------------------- */

static void ud_rpc_contacts(rpc_t *rpc, void *ctx, void *dh, const str *aor)
{
	udomain_t *ud;
	urecord_t *r = NULL;
	ucontact_t *c;
	void *ch;
	str a = *aor;
	time_t now = time(NULL);

	ud = ud_get_udomain();
	if(ud == NULL)
		return;
	ud_ul.lock_udomain(ud, &a);
	if(ud_ul.get_urecord(ud, &a, &r) == 0) {
		for(c = r->contacts; c; c = c->next) {
			if(c->expires != 0 && c->expires <= now)
				continue;
			if(rpc->struct_add(dh, "{", "contact", &ch) < 0)
				break;
			rpc->struct_add(ch, "SSdS", "uri", &c->c, "received", &c->received,
					"expires", (int)(c->expires ? c->expires - now : 0),
					"user_agent", &c->user_agent);
		}
		ud_ul.release_urecord(r);
	}
	ud_ul.unlock_udomain(ud, &a);
}

static void ud_rpc_device(rpc_t *rpc, void *ctx, void *th, const rs_device_t *d)
{
	void *dh;
	str s, kind, aor;

	if(rpc->struct_add(th, "{", "device", &dh) < 0)
		return;
	s.s = d->username.s;
	s.len = d->username.len;
	kind.s = (char *)rs_dev_kind_name(d->kind);
	kind.len = strlen(kind.s);
	rpc->struct_add(dh, "SS", "username", &s, "kind", &kind);
	if(d->mac.len > 0) {
		char sec[80];
		int r;

		s.s = d->mac.s;
		s.len = d->mac.len;
		rpc->struct_add(dh, "S", "mac", &s);
		/* the phone's provisioning password (HTTP digest, user = the MAC),
		 * made by the hotdesk module; for the admin on the ctl socket */
		s.s = d->username.s;
		s.len = d->username.len;
		r = ud_db_prov_secret(&s, sec, sizeof(sec));
		rpc->struct_add(dh, "s", "prov_secret",
				r == 1 ? sec
					   : (r == 0 ? "(not made yet)" : "(database error)"));
		memset(sec, 0, sizeof(sec));
	}
	aor.s = d->username.s;
	aor.len = d->username.len;
	ud_rpc_contacts(rpc, ctx, dh, &aor);
}

/* README "Permissions": each effective permission and where it comes
 * from, pickup group, forward, DND */
/* the effective permissions and where each comes from */
static void ud_rpc_user_perms(rpc_t *rpc, void *th, const rs_user_t *u)
{
	char val[RS_PERMSET_NAME_MAX + 48];
	void *ph;
	int i;

	/* "yes (set staff)", "no (user)", "yes (default)" */
	if(rpc->struct_add(th, "{", "permissions", &ph) < 0)
		return;
	for(i = 0; i < RS_PERM_COUNT; i++) {
		if(u->perm_src[i] == RS_PERM_SRC_SET)
			snprintf(val, sizeof(val), "%s (set %.*s)",
					u->perm[i] ? "yes" : "no", u->permission_set.len,
					u->permission_set.s);
		else if(u->perm_src[i] == RS_PERM_SRC_DEFAULT && u->permset_unknown)
			snprintf(val, sizeof(val), "%s (default: no set %.*s)",
					u->perm[i] ? "yes" : "no", u->permission_set.len,
					u->permission_set.s);
		else
			snprintf(val, sizeof(val), "%s (%s)", u->perm[i] ? "yes" : "no",
					rs_perm_src_name(u->perm_src[i]));
		rpc->struct_add(ph, "s", rs_perm_name((rs_perm_t)i), val);
	}
}

static void ud_rpc_group(rpc_t *rpc, void *th, const rs_group_t *g)
{
	str ext = {g->extension.s, g->extension.len};
	str dn = {g->display_name.s, g->display_name.len};
	str last = {g->last_destination.s, g->last_destination.len};
	void *mh;
	int i;

	rpc->struct_add(th, "SSsdSd", "extension", &ext, "display_name", &dn,
			"strategy", rs_grp_strategy_name(g->strategy), "ring_seconds",
			g->ring_seconds, "last_destination", &last, "members", g->nmembers);
	for(i = 0; i < g->nmembers; i++) {
		str m = {g->members[i]->extension.s, g->members[i]->extension.len};

		if(rpc->struct_add(th, "{", "member", &mh) < 0)
			return;
		rpc->struct_add(mh, "Sd", "extension", &m, "position", g->positions[i]);
	}
}

/* the columns marked rpc in rs_user's descriptor, then the devices */
static void ud_rpc_user(rpc_t *rpc, void *ctx, void *th, const rs_user_t *u)
{
	const rs_coldesc_t *c;
	str v;
	int i;

	for(i = 0; i < rs_user_ncols; i++) {
		c = &rs_user_cols[i];
		if(!c->rpc || c->out_off == RS_COL_NONE)
			continue;
		if(c->type == RS_COL_INT) {
			rpc->struct_add(th, "d", c->name, *RS_COL_INTP(u, c->out_off));
		} else {
			v.s = RS_COL_STR(u, c->out_off)->s;
			v.len = RS_COL_STR(u, c->out_off)->len;
			rpc->struct_add(th, "S", c->name, &v);
		}
	}
	rpc->struct_add(th, "d", "devices", u->ndevices);
	ud_rpc_user_perms(rpc, th, u);
	for(i = 0; i < u->ndevices; i++)
		ud_rpc_device(rpc, ctx, th, u->devices[i]);
}

static void ud_rpc_show(rpc_t *rpc, void *ctx)
{
	const rs_dir_t *dir;
	const rs_user_t *u;
	const rs_device_t *d;
	const rs_group_t *g;
	str name = STR_NULL;
	void *th, *oh;
	int slot;

	if(rpc->scan(ctx, ".S", &name) < 1) {
		rpc->fault(ctx, 400, "usage: userdev.show <extension|device>");
		return;
	}
	if(name.len <= 0 || name.len > 64) {
		rpc->fault(ctx, 400, "bad argument: empty or too long name");
		return;
	}
	dir = ud_store_acquire(&slot);
	if(dir == NULL) {
		rpc->fault(ctx, 503, "user directory not loaded");
		return;
	}
	u = rs_dir_user(dir, name.s, name.len);
	d = u ? NULL : rs_dir_device(dir, name.s, name.len);
	g = u || d ? NULL : rs_dir_group(dir, name.s, name.len);
	if(g != NULL) {
		if(rpc->add(ctx, "{", &th) >= 0) {
			rpc->struct_add(th, "s", "type", "group");
			ud_rpc_group(rpc, th, g);
		}
		ud_store_release(slot);
		return;
	}
	if(u == NULL && d == NULL) {
		ud_store_release(slot);
		rpc->fault(ctx, 404, "unknown extension or device: %.*s", name.len,
				name.s);
		return;
	}
	if(rpc->add(ctx, "{", &th) < 0) {
		ud_store_release(slot);
		rpc->fault(ctx, 500, "internal error creating the reply");
		return;
	}
	if(u) {
		rpc->struct_add(th, "s", "type", "user");
		ud_rpc_user(rpc, ctx, th, u);
	} else {
		rpc->struct_add(th, "s", "type", "device");
		ud_rpc_device(rpc, ctx, th, d);
		if(d->owner && rpc->struct_add(th, "{", "owner", &oh) >= 0) {
			str ext = {d->owner->extension.s, d->owner->extension.len};
			rpc->struct_add(oh, "S", "extension", &ext);
		}
	}
	ud_store_release(slot);
}

/* reloads now: 1 published, 0 deferred (an old copy still in use), -1 the
 * database failed */
static int ud_reload_now(void)
{
	int ret, tries;

	ud_store_load_lock();
	/* a reader of the generation before last may still hold the spare slot
	 * for a few microseconds: retry briefly */
	for(tries = 0; tries < 50; tries++) {
		ret = ud_db_load(1);
		if(ret != 0)
			break;
		usleep(2000);
	}
	ud_store_load_unlock();
	return ret;
}

static void ud_rpc_reload(rpc_t *rpc, void *ctx)
{
	const rs_dir_t *dir;
	void *th;
	int slot, ret;

	ret = ud_reload_now();
	if(ret == -2) {
		rpc->fault(ctx, 500,
				"reload failed: out of memory (see the log), the "
				"previous copy stays in use");
		return;
	}
	if(ret < 0) {
		rpc->fault(ctx, 500,
				"reload failed: database unreachable, the "
				"previous copy stays in use");
		return;
	}
	if(ret == 0) {
		rpc->fault(ctx, 503, "reload deferred: an old copy is still in use");
		return;
	}
	dir = ud_store_acquire(&slot);
	if(rpc->add(ctx, "{", &th) >= 0 && dir) {
		rpc->struct_add(th, "dd", "users", rs_dir_nusers(dir), "devices",
				rs_dir_ndevices(dir));
	}
	ud_store_release(slot);
}

static void ud_rpc_status(rpc_t *rpc, void *ctx)
{
	ud_status_t st;
	const rs_dir_t *dir;
	void *th;
	char digest[32];
	int slot, nu = 0, nd = 0;

	ud_store_status(&st);
	dir = ud_store_acquire(&slot);
	if(dir) {
		nu = rs_dir_nusers(dir);
		nd = rs_dir_ndevices(dir);
	}
	ud_store_release(slot);
	snprintf(digest, sizeof(digest), "%016llx", st.digest);
	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "internal error creating the reply");
		return;
	}
	rpc->struct_add(th, "ddsddddd", "users", nu, "devices", nd, "database",
			st.db_ok ? "up" : "down", "loaded_at", (int)st.loaded_at,
			"checked_at", (int)st.checked_at, "reloads", (int)st.reloads,
			"poll_failures", (int)st.failures, "rows_refused",
			(int)st.rejected);
	rpc->struct_add(th, "s", "digest", digest);
	rpc->struct_add(th, "dddddd", "rows_over_limit", (int)st.over_limit,
			"max_users", ud_max_users, "max_devices", ud_max_devices,
			"max_followme", ud_max_followme, "load_errors", (int)st.load_errors,
			"load_ms", (int)st.load_ms);
	rpc->struct_add(th, "s", "source",
			st.from_file ? "snapshot file (started without the database)"
						 : "database");
	rpc->struct_add(th, "sddd", "change_counter",
			st.have_counter ? "in use" : "absent (every poll reads the tables)",
			"counter", (int)st.counter, "polls_skipped", (int)st.skipped,
			"snapshot_kib", (int)(st.dir_bytes / 1024));
}

/* --- KEMI ------------------------------------------------------------- */

/* clang-format off */
static sr_kemi_t sr_kemi_userdev_exports[] = {
	{ str_init("userdev"), str_init("user"),
		SR_KEMIP_INT, ki_userdev_user,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("userdev"), str_init("device"),
		SR_KEMIP_INT, ki_userdev_device,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("userdev"), str_init("feature"),
		SR_KEMIP_INT, ki_userdev_feature,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("userdev"), str_init("group"),
		SR_KEMIP_INT, ki_userdev_group,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("userdev"), str_init("incall_codes"),
		SR_KEMIP_INT, ki_userdev_incall_codes,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("userdev"), str_init("db_up"),
		SR_KEMIP_INT, ki_userdev_db_up,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("userdev"), str_init("fork"),
		SR_KEMIP_INT, ki_userdev_fork,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("userdev"), str_init("ruid_device"),
		SR_KEMIP_INT, ki_userdev_ruid_device,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_STR,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("userdev"), str_init("strip_hf"),
		SR_KEMIP_INT, ki_userdev_strip_hf,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_userdev_exports);
	return 0;
}
