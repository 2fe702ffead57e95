/*
 * Ringset - hotdesk module: hot desking (README "Hot desking")
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * Hot desking: PIN login of a user on a shared terminal (hotdesk.login, from
 * the media server over JSON-RPC or from kamcmd), takeover and logout with
 * check-sync NOTIFYs (hd_ops.c), wrong-PIN lockout (modules/lib
 * rs_lockout.c, in shared memory here), creation of the hotdesk-<ext>
 * accounts of users with hotdesk = 1, and auto provisioning over HTTP
 * (hd_prov.c). Users and devices come from the userdev module's snapshot.
 */

#include <string.h>
#include <stdio.h>
#include <time.h>

#include "../../core/sr_module.h"
#include "../../core/dprint.h"
#include "../../core/mod_fix.h"
#include "../../core/rpc.h"
#include "../../core/rpc_lookup.h"
#include "../../core/timer_proc.h"
#include "../../core/kemi.h"

#include "rs_lockout.h"
#include "hd_ops.h"
#include "hd_db.h"
#include "hd_prov.h"
#include "hd_dmq.h"

MODULE_VERSION

static int hd_account_interval = 1;
static int hd_max_failures = 5;
static int hd_window = 900;
static int hd_lock_seconds = 900;
static int hd_lockout_slots = 4096;

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);
static int w_hotdesk_logout_device(sip_msg_t *msg, char *dev, char *p2);
static int w_hotdesk_provision(sip_msg_t *msg, char *path, char *p2);
static int w_hotdesk_rpc_allowed(sip_msg_t *msg, char *methods, char *p2);
static int w_hotdesk_prov_auth(sip_msg_t *msg, char *mac, char *realm);
static void hd_rpc_login(rpc_t *rpc, void *ctx);
static void hd_rpc_logout(rpc_t *rpc, void *ctx);
static void hd_rpc_list(rpc_t *rpc, void *ctx);
static void hd_rpc_unlock(rpc_t *rpc, void *ctx);

/* clang-format off */
static cmd_export_t cmds[] = {
	{"hotdesk_logout_device", (cmd_function)w_hotdesk_logout_device, 1,
		fixup_spve_null, fixup_free_spve_null, REQUEST_ROUTE},
	{"hotdesk_provision", (cmd_function)w_hotdesk_provision, 1,
		fixup_spve_null, fixup_free_spve_null, ANY_ROUTE},
	{"hotdesk_rpc_allowed", (cmd_function)w_hotdesk_rpc_allowed, 1,
		fixup_spve_null, fixup_free_spve_null, ANY_ROUTE},
	{"hotdesk_prov_auth", (cmd_function)w_hotdesk_prov_auth, 2,
		fixup_spve_spve, fixup_free_spve_spve, ANY_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"db_url", PARAM_STR, &hd_db_url},
	{"domain", PARAM_STR, &hd_domain},
	{"sip_server", PARAM_STR, &hd_sip_server},
	{"creds_htable", PARAM_STR, &hd_creds_table},
	{"account_interval", PARAM_INT, &hd_account_interval},
	{"max_failures", PARAM_INT, &hd_max_failures},
	{"failure_window", PARAM_INT, &hd_window},
	{"lock_seconds", PARAM_INT, &hd_lock_seconds},
	{"lockout_slots", PARAM_INT, &hd_lockout_slots},
	{"lockout_dmq", PARAM_INT, &hd_lockout_dmq},
	{0, 0, 0}
};

static const char *hd_rpc_login_doc[2] = {
	"Log a user in on a hot-desk terminal: <terminal> <extension> <pin>. "
	"status is logged-in, wrong-pin or locked", 0};
static const char *hd_rpc_logout_doc[2] = {
	"Log a user out of its hot-desk terminal: <extension>", 0};
static const char *hd_rpc_list_doc[2] = {
	"Who is logged in on which hot-desk terminal, since when", 0};
static const char *hd_rpc_unlock_doc[2] = {
	"Lift the wrong-PIN lockout of an extension or a terminal", 0};

static rpc_export_t hd_rpc_cmds[] = {
	{"hotdesk.login", hd_rpc_login, hd_rpc_login_doc, 0},
	{"hotdesk.logout", hd_rpc_logout, hd_rpc_logout_doc, 0},
	{"hotdesk.list", hd_rpc_list, hd_rpc_list_doc, RET_ARRAY},
	{"hotdesk.unlock", hd_rpc_unlock, hd_rpc_unlock_doc, 0},
	{0, 0, 0, 0}
};

struct module_exports exports = {
	"hotdesk",
	DEFAULT_DLFLAGS,
	cmds,
	params,
	0,				/* RPC: registered in mod_init */
	0,
	0,
	mod_init,
	child_init,
	mod_destroy
};
/* clang-format on */

static void hd_timer(unsigned int ticks, void *param)
{
	hd_accounts_check(0);
	hd_prov_secrets_check();
	hd_pins_check();
}

static int mod_init(void)
{
	rs_lockout_cfg_t lc;

	if(rpc_register_array(hd_rpc_cmds) != 0) {
		LM_ERR("cannot register RPC commands\n");
		return -1;
	}
	if(hd_account_interval < 1 || hd_lockout_slots < 16) {
		LM_ERR("account_interval must be >= 1, lockout_slots >= 16\n");
		return -1;
	}
	lc.max_failures = hd_max_failures;
	lc.window = hd_window;
	lc.lock_seconds = hd_lock_seconds;
	if(hd_ops_bind() < 0 || hd_prov_init() < 0 || hd_prov_auth_init() < 0)
		return -1;
	if(hd_lockout_dmq && hd_dmq_init() < 0)
		return -1;
	if(hd_ops_init(hd_lockout_slots, &lc) < 0)
		return -1;
	if(hd_db_bind() < 0)
		return -1;
	if(hd_db_open() < 0) {
		/* a start without the database (userdev serves its snapshot):
		 * logins fail until it answers, every process connects on use */
		LM_WARN("database unreachable at start: the version of %.*s is not "
				"checked\n",
				hd_table.len, hd_table.s);
	} else if(hd_db_check_version() < 0) {
		hd_db_close();
		return -1;
	}
	hd_db_close();
	register_sync_timers(1);
	return 0;
}

static int child_init(int rank)
{
	if(rank != PROC_MAIN)
		return 0; /* every process connects on first use */
	if(fork_sync_timer(PROC_TIMER, "hotdesk accounts", 1, hd_timer, NULL,
			   hd_account_interval)
			< 0) {
		LM_ERR("cannot start the hot-desk account process\n");
		return -1;
	}
	return 0;
}

static void mod_destroy(void)
{
	hd_db_close();
	hd_ops_destroy();
}

/* --- cfg functions ------------------------------------------------------- */

/* *400 from a hot-desk account: 1 logged out, -1 the device is not a
 * hot-desk account, -2 its user is not logged in, -3 error */
static int ki_hotdesk_logout_device(sip_msg_t *msg, str *dev)
{
	char ext[HD_EXT_MAX + 1];
	hd_result_t res;
	str e;
	int r;

	if(dev == NULL || dev->len <= 0 || !hd_account_owner(dev, ext, sizeof(ext)))
		return -1;
	e.s = ext;
	e.len = strlen(ext);
	r = hd_logout(&e, "feature code", &res);
	if(r == 1)
		return 1;
	if(r == 0)
		return -2;
	LM_ERR("hot-desk logout of %s failed: %s\n", ext, res.why);
	return -3;
}

static int w_hotdesk_logout_device(sip_msg_t *msg, char *dev, char *p2)
{
	str d;

	if(fixup_get_svalue(msg, (gparam_t *)dev, &d) < 0) {
		LM_ERR("cannot get the device\n");
		return -3;
	}
	return ki_hotdesk_logout_device(msg, &d);
}

static int ki_hotdesk_provision(sip_msg_t *msg, str *path)
{
	if(path == NULL || path->s == NULL)
		return -1;
	return hd_provision(msg, path);
}

static int w_hotdesk_provision(sip_msg_t *msg, char *path, char *p2)
{
	str p;

	if(fixup_get_svalue(msg, (gparam_t *)path, &p) < 0) {
		LM_ERR("cannot get the path\n");
		return -1;
	}
	return ki_hotdesk_provision(msg, &p);
}

/* the JSON-RPC request in the HTTP body names one of methods: 1 yes, -1 no,
 * -2 not a JSON-RPC request */
static int ki_hotdesk_rpc_allowed(sip_msg_t *msg, str *methods)
{
	if(methods == NULL || methods->s == NULL)
		return -1;
	return hd_rpc_allowed(msg, methods);
}

static int w_hotdesk_rpc_allowed(sip_msg_t *msg, char *methods, char *p2)
{
	str m;

	if(fixup_get_svalue(msg, (gparam_t *)methods, &m) < 0) {
		LM_ERR("cannot get the method list\n");
		return -1;
	}
	return ki_hotdesk_rpc_allowed(msg, &m);
}

/* HTTP digest of a phone with its provisioning secret: 1 yes; -1 wrong
 * credentials, -2 none (both: the challenge is in the auth module's
 * challenge AVP), -3 error, -4 not a MAC */
static int ki_hotdesk_prov_auth(sip_msg_t *msg, str *mac, str *realm)
{
	if(mac == NULL || mac->s == NULL || realm == NULL || realm->s == NULL)
		return -3;
	return hd_prov_auth(msg, mac, realm);
}

static int w_hotdesk_prov_auth(sip_msg_t *msg, char *mac, char *realm)
{
	str m, r;

	if(fixup_get_svalue(msg, (gparam_t *)mac, &m) < 0
			|| fixup_get_svalue(msg, (gparam_t *)realm, &r) < 0) {
		LM_ERR("cannot get the MAC or the realm\n");
		return -3;
	}
	return ki_hotdesk_prov_auth(msg, &m, &r);
}

/* --- RPC ----------------------------------------------------------------- */

static void hd_rpc_login(rpc_t *rpc, void *ctx)
{
	str term = STR_NULL, ext = STR_NULL, pin = STR_NULL;
	hd_result_t res;
	void *th;
	str prev, repl;

	if(rpc->scan(ctx, ".S.S.S", &term, &ext, &pin) < 3) {
		rpc->fault(ctx, 400,
				"usage: hotdesk.login <terminal> <extension> "
				"<pin>");
		return;
	}
	if(hd_login(&term, &ext, &pin, &res) < 0) {
		rpc->fault(ctx, res.fault, "%s", res.why);
		return;
	}
	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "internal error creating the reply");
		return;
	}
	rpc->struct_add(th, "sSS", "status", hd_status_name(res.status),
			"extension", &ext, "terminal", &term);
	switch(res.status) {
		case HD_LOGGED_IN:
			prev.s = res.previous;
			prev.len = strlen(res.previous);
			repl.s = res.replaced;
			repl.len = strlen(res.replaced);
			rpc->struct_add(th, "SSdd", "logged_out_of", &prev, "replaced_user",
					&repl, "check_sync_new", res.notify_new, "check_sync_old",
					res.notify_old);
			break;
		case HD_WRONG_PIN:
			rpc->struct_add(th, "d", "failures", res.failures);
			break;
		case HD_LOCKED:
			rpc->struct_add(th, "d", "retry_after", res.retry_after);
			break;
	}
}

static void hd_rpc_logout(rpc_t *rpc, void *ctx)
{
	str ext = STR_NULL, term;
	hd_result_t res;
	void *th;
	int r;

	if(rpc->scan(ctx, ".S", &ext) < 1) {
		rpc->fault(ctx, 400, "usage: hotdesk.logout <extension>");
		return;
	}
	r = hd_logout(&ext, "rpc", &res);
	if(r != 1) {
		rpc->fault(ctx, res.fault, "%s", res.why);
		return;
	}
	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "internal error creating the reply");
		return;
	}
	term.s = res.terminal;
	term.len = strlen(res.terminal);
	rpc->struct_add(th, "sSSd", "status", "logged-out", "extension", &ext,
			"terminal", &term, "check_sync", res.notify_old);
}

typedef struct hd_list_ctx
{
	rpc_t *rpc;
	void *ctx;
	int n;
} hd_list_ctx_t;

static int hd_list_one(void *p, const str *ext, const str *term, time_t since)
{
	hd_list_ctx_t *lc = p;
	char ts[32], abuf[HD_TERM_MAX + 16];
	str acc;
	struct tm tm;
	void *th;

	if(lc->rpc->add(lc->ctx, "{", &th) < 0)
		return -1;
	ts[0] = '\0';
	if(since > 0 && localtime_r(&since, &tm))
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	acc.s = abuf;
	acc.len = snprintf(abuf, sizeof(abuf), "hotdesk-%.*s", ext->len, ext->s);
	if(acc.len < 0 || acc.len >= (int)sizeof(abuf))
		acc.len = 0;
	lc->rpc->struct_add(th, "SSsdd", "extension", ext, "terminal", term,
			"since", ts, "account_contacts", hd_contacts(&acc),
			"terminal_contacts", hd_contacts(term));
	lc->n++;
	return 0;
}

static void hd_rpc_list(rpc_t *rpc, void *ctx)
{
	hd_list_ctx_t lc = {rpc, ctx, 0};

	if(hd_db_sessions(hd_list_one, &lc) < 0)
		rpc->fault(ctx, 500, "database error");
}

static void hd_rpc_unlock(rpc_t *rpc, void *ctx)
{
	str who = STR_NULL, k;
	char kb[2][128];
	int i, locked, failures, any = 0;
	void *th;

	if(rpc->scan(ctx, ".S", &who) < 1 || who.len <= 0 || who.len > 64) {
		rpc->fault(ctx, 400, "usage: hotdesk.unlock <extension|terminal>");
		return;
	}
	snprintf(kb[0], sizeof(kb[0]), "ext:%.*s", who.len, who.s);
	snprintf(kb[1], sizeof(kb[1]), "term:%.*s", who.len, who.s);
	for(i = 0; i < 2; i++) {
		k.s = kb[i];
		k.len = strlen(kb[i]);
		hd_lockout_state(&k, &locked, &failures);
		if(locked || failures)
			any = 1;
		hd_lockout_clear(&k);
	}
	if(rpc->add(ctx, "{", &th) < 0)
		return;
	rpc->struct_add(
			th, "Ss", "unlocked", &who, "was_locked", any ? "yes" : "no");
	LM_INFO("hot-desk lockout of %.*s lifted by RPC\n", who.len, who.s);
}

/* --- KEMI ---------------------------------------------------------------- */

/* clang-format off */
static sr_kemi_t sr_kemi_hotdesk_exports[] = {
	{ str_init("hotdesk"), str_init("logout_device"),
		SR_KEMIP_INT, ki_hotdesk_logout_device,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("hotdesk"), str_init("provision"),
		SR_KEMIP_INT, ki_hotdesk_provision,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("hotdesk"), str_init("prov_auth"),
		SR_KEMIP_INT, ki_hotdesk_prov_auth,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("hotdesk"), str_init("rpc_allowed"),
		SR_KEMIP_INT, ki_hotdesk_rpc_allowed,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_hotdesk_exports);
	return 0;
}
