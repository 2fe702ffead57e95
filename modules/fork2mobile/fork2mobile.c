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
 * fork2mobile: the Fork2Mobile state of a user (README "Fork2Mobile and feature codes").
 *
 * The state lives in rs_user.fork2mobile; every change (feature codes
 * through fork2mobile_code(), the RPC fork2mobile.set) is one transaction
 * of userdev's write path (api.h: the row is locked, read, written, the
 * change counter bumped), so changes on several nodes at once are settled by
 * the database; every node's directory poller then publishes the new
 * state. A publisher process publishes the state of every user with a
 * mobile number as dialog-info+xml for sip:forkm<ext>@<domain> through the
 * stock pua module: at start-up, on every change made here, and on every
 * change it finds in a new directory snapshot (changes made in SQL, or on
 * another node: userdev's poller sees those within its poll tick). With
 * several nodes one node publishes: the holder of the database lease
 * rs_lease 'forkm' (publisher_lease_ms, rs_lease.c); the others keep their
 * table of wanted states and take over, publishing every state again, when
 * the holder stops renewing it. Presence (DMQ) shows every watcher that one
 * publication, so a NOTIFY carries one dialog per forkm<ext>. Kamailio 5.6
 * presence has no DMQ full sync, so a node that starts asks over DMQ
 * ("resync", peer "fork2mobile") and the publisher sends every state once
 * more as a new publication (each key has two pua ids; the new one goes out,
 * then the old one is removed: rs_pubtab_resync).
 *
 * The same publisher shows the other lamps of a user (README "Forwarding
 * and do-not-disturb"): cfwd<ext> (unconditional forward on: rs_user.cfwd_target) and
 * dnd<ext> (rs_user.dnd), changed by the codes cfwd_on (with a number),
 * cfwd_off, dnd_on and dnd_off (feature_code()), the RPCs cfwd.set and
 * dnd.set, or SQL. Those
 * are published for a user once they are on, and from then on.
 */

#include <string.h>
#include <stdio.h>
#include <sys/time.h>

#include "../../core/sr_module.h"
#include "../../core/dprint.h"
#include "../../core/mod_fix.h"
#include "../../core/rpc.h"
#include "../../core/rpc_lookup.h"
#include "../../core/xavp.h"
#include "../../core/locking.h"
#include "../../core/timer_proc.h"
#include "../../core/mem/shm.h"
#include "../../core/kemi.h"
#include "../pua/pua_bind.h"
#include "../pua/pua.h"
#include "../pua/hash.h"
#include "../../core/parser/parse_content.h"
#include "../dmq/bind_dmq.h"
#include "../userdev/api.h"

#include "rs_userdir.h"
#include "rs_plan.h"
#include "rs_dlginfo.h"
#include "rs_pubtab.h"
#include "rs_lease.h"
#include "f2m_db.h"
#include "../common/rs_xavp.h"

MODULE_VERSION

#define F2M_MOBILE_MAX 64

/* what a change request does */
typedef enum
{
	F2M_OP_ON = 0,
	F2M_OP_OFF,
	F2M_OP_TOGGLE,
	F2M_OP_STATUS
} f2m_op_t;

/* outcome of f2m_apply() */
#define F2M_OK 0
#define F2M_E_NOUSER (-1)	/* no such extension */
#define F2M_E_NOMOBILE (-2) /* the user has no mobile number */
#define F2M_E_DB (-3)		/* the database failed: nothing changed */
#define F2M_E_NOFWD (-4)	/* cfwd<ext> pressed while no forward is on */

static str f2m_domain = str_init("");
static int f2m_publish_expires = 3600;
static int f2m_tick_ms = 50;
static int f2m_gap_ms = 300;
static int f2m_max_users = 100000;
/* several nodes: the single publisher holds the lease (0: no lease, this
 * node publishes, as a node alone does) */
static int f2m_lease_ms = 0;
static str f2m_node_id = STR_NULL;

static userdev_api_t f2m_ud;
static pua_api_t f2m_pua;

/* shared: the publication table (short critical sections) */
static gen_lock_t *f2m_tab_lock = NULL;
static rs_pubtab_t *f2m_tab = NULL;

/* shared, under f2m_tab_lock: who publishes, for fork2mobile.status */
typedef struct f2m_role
{
	int held;	 /* this node publishes */
	int known;	 /* the database answered at least once */
	int resync;	 /* a node that started asked for every state */
	char holder[RS_LEASE_HOLDER_MAX + 1];
} f2m_role_t;
static f2m_role_t *f2m_role = NULL;

static str f2m_xname = str_init("rs_f2m");

/* the lamps: the prefix of the presentity user part, sip:<prefix><ext> */
#define F2M_LAMP_FORKM "forkm"
#define F2M_LAMP_CFWD "cfwd"
#define F2M_LAMP_DND "dnd"

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);
static int w_fork2mobile_code(sip_msg_t *msg, char *dev, char *svc, char *ext);
static int w_feature_code(sip_msg_t *msg, char *dev, char *svc, char *arg);
static void f2m_rpc_dnd(rpc_t *rpc, void *ctx);
static void f2m_rpc_cfwd(rpc_t *rpc, void *ctx);
static void f2m_rpc_get(rpc_t *rpc, void *ctx);
static void f2m_rpc_set(rpc_t *rpc, void *ctx);
static void f2m_rpc_status(rpc_t *rpc, void *ctx);

/* clang-format off */
static cmd_export_t cmds[] = {
	{"fork2mobile_code", (cmd_function)w_fork2mobile_code, 3,
		fixup_spve_all, fixup_free_spve_all, REQUEST_ROUTE},
	{"feature_code", (cmd_function)w_feature_code, 3,
		fixup_spve_all, fixup_free_spve_all, REQUEST_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"db_url", PARAM_STR, &f2m_db_url},
	{"user_table", PARAM_STR, &f2m_user_table},
	{"domain", PARAM_STR, &f2m_domain},
	{"publish_expires", PARAM_INT, &f2m_publish_expires},
	{"tick_ms", PARAM_INT, &f2m_tick_ms},
	{"min_publish_gap_ms", PARAM_INT, &f2m_gap_ms},
	{"max_users", PARAM_INT, &f2m_max_users},
	{"publisher_lease_ms", PARAM_INT, &f2m_lease_ms},
	{"node_id", PARAM_STR, &f2m_node_id},
	{"lease_table", PARAM_STR, &f2m_lease_table},
	{0, 0, 0}
};

static const char *f2m_rpc_get_doc[2] = {
	"Fork2Mobile state of an extension: fork2mobile.get <ext>", 0};
static const char *f2m_rpc_set_doc[2] = {
	"Change the Fork2Mobile state: fork2mobile.set <ext> on|off|toggle", 0};
static const char *f2m_rpc_status_doc[2] = {
	"The publisher: users published, publications pending", 0};

static const char *f2m_rpc_dnd_doc[2] = {
	"Do-not-disturb of an extension: dnd.set <ext> on|off|toggle", 0};
static const char *f2m_rpc_cfwd_doc[2] = {
	"Unconditional forward of an extension: cfwd.set <ext> <target>|off", 0};

static rpc_export_t f2m_rpc_cmds[] = {
	{"dnd.set", f2m_rpc_dnd, f2m_rpc_dnd_doc, 0},
	{"cfwd.set", f2m_rpc_cfwd, f2m_rpc_cfwd_doc, 0},
	{"fork2mobile.get", f2m_rpc_get, f2m_rpc_get_doc, 0},
	{"fork2mobile.set", f2m_rpc_set, f2m_rpc_set_doc, 0},
	{"fork2mobile.status", f2m_rpc_status, f2m_rpc_status_doc, 0},
	{0, 0, 0, 0}
};

struct module_exports exports = {
	"fork2mobile",
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

static void f2m_publisher(unsigned int ticks, void *param);

/* --- DMQ: a node that starts asks the publisher for every state ---------- */

static dmq_api_t f2m_dmqb;
static dmq_peer_t *f2m_dmq_peer = NULL;
static str f2m_dmq_ctype = str_init("text/plain");
static str f2m_dmq_resync = str_init("resync");

static int f2m_dmq_resp(
		struct sip_msg *msg, int code, dmq_node_t *node, void *param)
{
	return 0;
}
static dmq_resp_cback_t f2m_dmq_resp_cb = {&f2m_dmq_resp, 0};

static int f2m_dmq_handle(
		struct sip_msg *msg, peer_reponse_t *resp, dmq_node_t *node)
{
	char *body = get_body(msg);
	int len = body ? get_content_length(msg) : 0;

	while(len > 0 && (body[len - 1] == '\n' || body[len - 1] == '\r'))
		len--;
	if(len != f2m_dmq_resync.len
			|| memcmp(body, f2m_dmq_resync.s, f2m_dmq_resync.len) != 0) {
		LM_WARN("fork2mobile DMQ message not understood (%d bytes)\n", len);
		resp->resp_code = 400;
		resp->reason.s = "Bad Request";
		resp->reason.len = 11;
		return 0;
	}
	/* the publisher process acts on it, if this node publishes */
	lock_get(f2m_tab_lock);
	f2m_role->resync = 1;
	lock_release(f2m_tab_lock);
	resp->resp_code = 200;
	resp->reason.s = "OK";
	resp->reason.len = 2;
	return 0;
}

/* dmq calls this once this node knows the others (at start) */
static int f2m_dmq_init_cb(void)
{
	if(f2m_dmqb.bcast_message(f2m_dmq_peer, &f2m_dmq_resync, NULL,
			   &f2m_dmq_resp_cb, 1, &f2m_dmq_ctype)
			< 0)
		LM_WARN("cannot ask the publisher for the forkm<ext> states: the "
				"watchers of this node see each one from its next change\n");
	return 0;
}

static int f2m_dmq_init(void)
{
	dmq_peer_t p;

	if(dmq_load_api(&f2m_dmqb) != 0) {
		LM_ERR("publisher_lease_ms is set: the dmq module is needed\n");
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.callback = f2m_dmq_handle;
	p.init_callback = f2m_dmq_init_cb;
	p.description.s = "fork2mobile";
	p.description.len = 11;
	p.peer_id.s = "fork2mobile";
	p.peer_id.len = 11;
	f2m_dmq_peer = f2m_dmqb.register_dmq_peer(&p);
	if(f2m_dmq_peer == NULL) {
		LM_ERR("cannot register the fork2mobile DMQ peer\n");
		return -1;
	}
	return 0;
}

static int mod_init(void)
{
	bind_pua_t bind;
	size_t sz;

	if(rpc_register_array(f2m_rpc_cmds) != 0) {
		LM_ERR("cannot register RPC commands\n");
		return -1;
	}
	if(f2m_domain.len <= 0) {
		LM_ERR("the domain parameter is needed\n");
		return -1;
	}
	if(f2m_publish_expires < 60 || f2m_tick_ms < 1 || f2m_gap_ms < 0
			|| f2m_max_users < 1) {
		LM_ERR("publish_expires >= 60, tick_ms >= 1, min_publish_gap_ms >= 0 "
			   "and max_users >= 1 are needed\n");
		return -1;
	}
	if(f2m_lease_ms != 0
			&& (f2m_lease_ms < RS_LEASE_TTL_MIN
					|| !rs_lease_holder_ok(f2m_node_id.s, f2m_node_id.len))) {
		LM_ERR("publisher_lease_ms must be 0 or >= %d, with a node_id of 1 "
			   "to %d of A-Z a-z 0-9 . : _ @ -\n",
				RS_LEASE_TTL_MIN, RS_LEASE_HOLDER_MAX);
		return -1;
	}
	if(userdev_load_api(&f2m_ud) < 0) {
		LM_ERR("the userdev module is needed\n");
		return -1;
	}
	bind = (bind_pua_t)find_export("bind_pua", 1, 0);
	if(bind == NULL || bind(&f2m_pua) < 0) {
		LM_ERR("the pua module is needed\n");
		return -1;
	}
	if(f2m_db_bind() < 0)
		return -1;
	sz = rs_pubtab_size((uint32_t)f2m_max_users);
	f2m_tab = sz ? (rs_pubtab_t *)shm_malloc(sz) : NULL;
	if(f2m_tab == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	f2m_tab = rs_pubtab_init(f2m_tab, sz, (uint32_t)f2m_max_users);
	f2m_tab_lock = lock_alloc();
	if(f2m_tab_lock == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	lock_init(f2m_tab_lock);
	f2m_role = (f2m_role_t *)shm_malloc(sizeof(*f2m_role));
	if(f2m_role == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(f2m_role, 0, sizeof(*f2m_role));
	if(f2m_lease_ms > 0 && f2m_dmq_init() < 0)
		return -1;
	register_sync_timers(1);
	return 0;
}

static int child_init(int rank)
{
	if(rank == PROC_INIT || rank == PROC_TCP_MAIN)
		return 0;
	if(rank == PROC_MAIN) {
		if(fork_sync_utimer(PROC_TIMER, "fork2mobile publisher", 1,
				   f2m_publisher, NULL, f2m_tick_ms * 1000)
				< 0) {
			LM_ERR("cannot start the publisher process\n");
			return -1;
		}
		return 0;
	}
	/* a database that is down now is retried on first use */
	f2m_db_open();
	return 0;
}

static void mod_destroy(void)
{
	f2m_db_close();
	if(f2m_tab_lock) {
		lock_destroy(f2m_tab_lock);
		lock_dealloc(f2m_tab_lock);
		f2m_tab_lock = NULL;
	}
	if(f2m_tab) {
		shm_free(f2m_tab);
		f2m_tab = NULL;
	}
	if(f2m_role) {
		shm_free(f2m_role);
		f2m_role = NULL;
	}
}

/* --- publication -------------------------------------------------------- */

static uint64_t f2m_now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000u + (uint64_t)tv.tv_usec / 1000u;
}

/* the lamp key "<prefix><ext>" in buf (RS_PUBTAB_KEY_MAX + 1 bytes) */
static int f2m_key(const char *lamp, const str *ext, char *buf)
{
	int n = snprintf(
			buf, RS_PUBTAB_KEY_MAX + 1, "%s%.*s", lamp, ext->len, ext->s);

	return n > 0 && n <= RS_PUBTAB_KEY_MAX ? n : -1;
}

static void f2m_want_lamp(const char *lamp, const str *ext, int state)
{
	char key[RS_PUBTAB_KEY_MAX + 1];
	rs_err_t rc;
	int n = f2m_key(lamp, ext, key);

	if(n < 0)
		return;
	lock_get(f2m_tab_lock);
	rc = rs_pubtab_want(f2m_tab, key, n, state);
	lock_release(f2m_tab_lock);
	if(rc == RS_E_LIMIT)
		LM_WARN("more than %d users with a mobile number: the state of %.*s "
				"is not published (raise max_users)\n",
				f2m_max_users, ext->len, ext->s);
	else if(rc != RS_OK)
		LM_WARN("extension %.*s cannot be published\n", ext->len, ext->s);
}

static void f2m_want(const str *ext, int state)
{
	f2m_want_lamp(F2M_LAMP_FORKM, ext, state);
}

/* cfwd and dnd lamps: published once on, and from then on */
static void f2m_want_if(const char *lamp, const str *ext, int state)
{
	char key[RS_PUBTAB_KEY_MAX + 1];
	int n, pub;

	if(!state) {
		if((n = f2m_key(lamp, ext, key)) < 0)
			return;
		lock_get(f2m_tab_lock);
		pub = rs_pubtab_published(f2m_tab, key, n);
		lock_release(f2m_tab_lock);
		if(pub == RS_PUB_UNKNOWN)
			return;
	}
	f2m_want_lamp(lamp, ext, state);
}

/* PUBLISH the state of lamp key ("forkm600", "dnd600") through pua, as its
 * publication pubid (0 or 1, two pua records: rs_pubtab_resync); expires 0
 * with unpublish removes it */
static int f2m_publish(const char *key, int state, unsigned int version,
		int pubid, int unpublish)
{
	char uri[RS_DLGINFO_URI_MAX + 1], id[RS_DLGINFO_ID_MAX + 1];
	char body[RS_DLGINFO_MAX];
	char publ_id[RS_DLGINFO_ID_MAX + 3];
	int publ_id_len = 0;
	rs_str_t ent, did;
	str pres_uri, b;
	publ_info_t publ;
	size_t blen = 0;
	int n, m;

	n = snprintf(
			uri, sizeof(uri), "sip:%s@%.*s", key, f2m_domain.len, f2m_domain.s);
	m = snprintf(id, sizeof(id), "%s", key);
	if(m > 0 && m < (int)sizeof(id) && pubid) {
		/* the dialog's id stays the key; pua's record is another one */
		publ_id_len = m + 2;
		if(publ_id_len >= (int)sizeof(publ_id))
			return -1;
		memcpy(publ_id, id, m);
		memcpy(publ_id + m, ".1", 3);
	} else if(m > 0 && m < (int)sizeof(id)) {
		memcpy(publ_id, id, m + 1);
		publ_id_len = m;
	}
	if(n <= 0 || n >= (int)sizeof(uri) || m <= 0 || m >= (int)sizeof(id))
		return -1;
	ent.s = uri;
	ent.len = n;
	did.s = id;
	did.len = m;
	if(rs_dlginfo_render(&ent, &did, state, version, body, sizeof(body), &blen)
			!= RS_OK) {
		LM_ERR("cannot render the dialog-info of %s\n", uri);
		return -1;
	}
	pres_uri.s = uri;
	pres_uri.len = n;
	b.s = body;
	b.len = (int)blen;
	memset(&publ, 0, sizeof(publ));
	publ.id.s = publ_id;
	publ.id.len = publ_id_len;
	publ.pres_uri = &pres_uri;
	publ.body = unpublish ? NULL : &b;
	publ.expires = unpublish ? 0 : f2m_publish_expires;
	publ.flag = UPDATE_TYPE;
	publ.source_flag = DIALOG_PUBLISH;
	publ.event = DIALOG_EVENT;
	publ.content_type.s = "application/dialog-info+xml";
	publ.content_type.len = sizeof("application/dialog-info+xml") - 1;
	if(f2m_pua.send_publish(&publ) < 0) {
		LM_ERR("cannot publish %s\n", uri);
		return -1;
	}
	LM_DBG("published %s (%d): %s\n", uri, pubid,
			unpublish ? "removed" : (state ? "on" : "off"));
	return 0;
}

/* after a new snapshot: what every user's key should show now */
static void f2m_scan(void)
{
	const rs_dir_t *dir;
	const rs_user_t *u;
	str ext;
	int slot, i, n, pub;

	dir = f2m_ud.acquire(&slot);
	if(dir == NULL)
		return;
	n = rs_dir_nusers(dir);
	for(i = 0; i < n; i++) {
		u = rs_dir_user_at(dir, i);
		ext.s = u->extension.s;
		ext.len = u->extension.len;
		f2m_want_if(F2M_LAMP_CFWD, &ext, u->cfwd_target.len > 0);
		f2m_want_if(F2M_LAMP_DND, &ext, u->dnd);
		if(u->mobile.len > 0) {
			f2m_want(&ext, u->fork2mobile);
			continue;
		}
		/* a user whose mobile number was removed: off */
		{
			char key[RS_PUBTAB_KEY_MAX + 1];
			int kl = f2m_key(F2M_LAMP_FORKM, &ext, key);

			if(kl < 0)
				continue;
			lock_get(f2m_tab_lock);
			pub = rs_pubtab_published(f2m_tab, key, kl);
			lock_release(f2m_tab_lock);
		}
		if(pub == 1)
			f2m_want(&ext, 0);
	}
	f2m_ud.release(slot);
}

/*
 * Whether this node publishes now (the publisher process): without a lease,
 * always; with one, a try to take or renew it every publisher_lease_ms / 3
 * (one UPDATE and one SELECT on this process's connection). *taken is 1
 * when this node has just become the publisher.
 */
static int f2m_lease_step(uint64_t now, int *taken)
{
	static rs_lease_t lease;
	static int init = 0;
	char who[RS_LEASE_HOLDER_MAX + 1];
	rs_lease_change_t ch = RS_LEASE_SAME, ran_out;
	int out = -1, held;

	*taken = 0;
	if(f2m_lease_ms <= 0)
		return 1;
	if(!init) {
		rs_lease_init(&lease, f2m_lease_ms);
		init = 1;
	}
	who[0] = '\0';
	if(rs_lease_due(&lease, (int64_t)now)) {
		out = f2m_db_lease(&f2m_node_id, f2m_lease_ms, who, sizeof(who));
		ch = rs_lease_result(&lease, out, (int64_t)now);
	}
	held = rs_lease_held(&lease, (int64_t)now, &ran_out);
	if(ran_out == RS_LEASE_LOST)
		ch = RS_LEASE_LOST;
	if(ch == RS_LEASE_TAKEN) {
		LM_INFO("this node (%.*s) publishes the forkm<ext> states now\n",
				f2m_node_id.len, f2m_node_id.s);
		*taken = 1;
	} else if(ch == RS_LEASE_LOST) {
		LM_INFO("this node (%.*s) no longer publishes the forkm<ext> "
				"states (%s)\n",
				f2m_node_id.len, f2m_node_id.s,
				who[0] ? who : "its lease ran out");
	}
	lock_get(f2m_tab_lock);
	if(*taken)
		rs_pubtab_forget(f2m_tab);
	f2m_role->held = held;
	if(out >= 0) {
		f2m_role->known = 1;
		memcpy(f2m_role->holder, who, sizeof(who));
	}
	lock_release(f2m_tab_lock);
	return held;
}

/* the publisher process, every tick_ms */
static void f2m_publisher(unsigned int ticks, void *param)
{
	static unsigned int seen_gen = 0;
	static int scanned = 0;
	static uint32_t cursor = 0;
	char key[RS_PUBTAB_KEY_MAX + 1];
	unsigned int gen, version;
	int state, sent, due, taken, pubid, drop, resync;

	if(!f2m_lease_step(f2m_now_ms(), &taken))
		return;
	if(taken)
		scanned = 0; /* every state, published again */
	lock_get(f2m_tab_lock);
	resync = f2m_role->resync;
	f2m_role->resync = 0;
	if(resync)
		rs_pubtab_resync(f2m_tab);
	lock_release(f2m_tab_lock);
	if(resync)
		LM_INFO("a node started: every forkm<ext> state is published anew\n");
	gen = f2m_ud.generation();
	if(!scanned || gen != seen_gen) {
		/* read the generation before the snapshot: a newer one is
		 * scanned on the next tick */
		seen_gen = gen;
		scanned = 1;
		f2m_scan();
	}
	for(sent = 0; sent < 500; sent++) {
		lock_get(f2m_tab_lock);
		due = rs_pubtab_next_pub(f2m_tab, f2m_now_ms(), (uint64_t)f2m_gap_ms,
				&cursor, key, &state, &version, &pubid, &drop);
		lock_release(f2m_tab_lock);
		if(!due)
			break;
		f2m_publish(key, state, version, pubid, 0);
		if(drop >= 0)
			f2m_publish(key, state, version, drop, 1);
	}
}

/* --- state changes ------------------------------------------------------ */

/* one change, inside userdev's write transaction */
typedef struct f2m_change
{
	const str *ext;
	f2m_op_t op;
	int cur;
	int next;
} f2m_change_t;

static int f2m_txn_apply(db_func_t *dbf, db1_con_t *h, void *param)
{
	f2m_change_t *c = (f2m_change_t *)param;
	char mobile[F2M_MOBILE_MAX];
	int rc;

	if(f2m_db_lock_h(dbf, h, c->ext) != F2M_DB_OK)
		return F2M_E_DB;
	rc = f2m_db_get_h(dbf, h, c->ext, mobile, sizeof(mobile), &c->cur);
	if(rc != F2M_DB_OK)
		return rc == F2M_DB_NOUSER ? F2M_E_NOUSER : F2M_E_DB;
	if(mobile[0] == '\0')
		return F2M_E_NOMOBILE;
	switch(c->op) {
		case F2M_OP_ON:
			c->next = 1;
			break;
		case F2M_OP_OFF:
			c->next = 0;
			break;
		case F2M_OP_TOGGLE:
			c->next = !c->cur;
			break;
		default:
			c->next = c->cur;
			break;
	}
	if(c->next != c->cur && f2m_db_set_h(dbf, h, c->ext, c->next) != F2M_DB_OK)
		return F2M_E_DB;
	return F2M_OK;
}

/*
 * Apply op to ext through userdev's write path (one transaction, settled
 * by the database when another node changes the same user at the same
 * time). *state is the state afterwards, *changed 1 if it changed. The
 * directory follows within userdev's poll tick; the publication at once.
 */
static int f2m_apply(const str *ext, f2m_op_t op, int *state, int *changed)
{
	f2m_change_t c;
	int rc;

	*changed = 0;
	if(ext->len <= 0 || ext->len > RS_DIR_EXT_MAX)
		return F2M_E_NOUSER;
	memset(&c, 0, sizeof(c));
	c.ext = ext;
	c.op = op;
	rc = f2m_ud.write(f2m_txn_apply, &c);
	if(rc == USERDEV_W_DB)
		return F2M_E_DB;
	if(rc != F2M_OK)
		return rc;
	*state = c.next;
	if(c.next != c.cur) {
		*changed = 1;
		LM_INFO("Fork2Mobile of %.*s is now %s\n", ext->len, ext->s,
				c.next ? "on" : "off");
	}
	f2m_want(ext, c.next);
	return F2M_OK;
}

static int f2m_op_parse(const str *s, f2m_op_t *op)
{
	if(s->len == 2 && strncasecmp(s->s, "on", 2) == 0)
		*op = F2M_OP_ON;
	else if(s->len == 3 && strncasecmp(s->s, "off", 3) == 0)
		*op = F2M_OP_OFF;
	else if(s->len == 6 && strncasecmp(s->s, "toggle", 6) == 0)
		*op = F2M_OP_TOGGLE;
	else
		return -1;
	return 0;
}

/* --- cfg function ------------------------------------------------------- */

static int f2m_result(const char *prompt, const str *ext, int state)
{
	sr_xavp_t *list = NULL;

	if(rs_xavp_add_str(&list, "prompt", prompt, strlen(prompt)) < 0
			|| rs_xavp_add_str(
					   &list, "ext", ext ? ext->s : NULL, ext ? ext->len : 0)
					   < 0
			|| rs_xavp_add_long(&list, "state", state) < 0
			|| rs_xavp_push(&f2m_xname, list, 1) < 0) {
		if(list)
			xavp_destroy_list(&list);
		return -1;
	}
	return 0;
}

/*
 * A feature code dialled by device dev: service is one of
 * fork2mobile_on|off|toggle|status; ext is empty for a code and the
 * extension of a dialled forkm<ext>. Sets $xavp(rs_f2m=>prompt/ext/state).
 * 1: done (prompt saved, thank-you, enabled, disabled); -1: not allowed
 * (prompt not-allowed, nothing changed); -2: error (database down, bad
 * argument; no prompt).
 */
static int ki_fork2mobile_code(sip_msg_t *msg, str *dev, str *svc, str *ext)
{
	const rs_dir_t *dir;
	const rs_device_t *d;
	rs_service_t service;
	char owner[RS_DIR_EXT_MAX + 1];
	str oext;
	f2m_op_t op;
	int slot, state = 0, changed = 0, rc;
	const char *prompt;

	if(rs_service_parse(svc->s, svc->len, &service) != RS_OK
			|| (service != RS_SVC_F2M_ON && service != RS_SVC_F2M_OFF
					&& service != RS_SVC_F2M_TOGGLE
					&& service != RS_SVC_F2M_STATUS)) {
		LM_ERR("fork2mobile_code: unknown service '%.*s'\n", svc->len, svc->s);
		return -2;
	}
	op = service == RS_SVC_F2M_ON		? F2M_OP_ON
		 : service == RS_SVC_F2M_OFF	? F2M_OP_OFF
		 : service == RS_SVC_F2M_TOGGLE ? F2M_OP_TOGGLE
										: F2M_OP_STATUS;

	/* the user the calling device is linked to */
	owner[0] = '\0';
	dir = f2m_ud.acquire(&slot);
	if(dir == NULL) {
		LM_ERR("fork2mobile_code: no user directory loaded\n");
		return -2;
	}
	d = (dev && dev->len > 0) ? rs_dir_device(dir, dev->s, dev->len) : NULL;
	if(d && d->owner)
		memcpy(owner, d->owner->extension.s, d->owner->extension.len + 1);
	f2m_ud.release(slot);
	oext.s = owner;
	oext.len = strlen(owner);

	if(oext.len == 0) {
		LM_NOTICE("Fork2Mobile code from device '%.*s', which is linked to "
				  "no user: not allowed\n",
				dev ? dev->len : 0, dev ? dev->s : "");
		return f2m_result("not-allowed", ext, 0) < 0 ? -2 : -1;
	}
	if(ext && ext->len > 0
			&& (ext->len != oext.len
					|| memcmp(ext->s, oext.s, oext.len) != 0)) {
		LM_NOTICE("forkm%.*s dialled by device %.*s of user %s: not "
				  "allowed\n",
				ext->len, ext->s, dev->len, dev->s, owner);
		return f2m_result("not-allowed", ext, 0) < 0 ? -2 : -1;
	}
	rc = f2m_apply(&oext, op, &state, &changed);
	switch(rc) {
		case F2M_OK:
			break;
		case F2M_E_NOMOBILE:
			LM_NOTICE("Fork2Mobile code from %.*s: user %s has no mobile "
					  "number (rs_user.mobile): not allowed\n",
					dev->len, dev->s, owner);
			return f2m_result("not-allowed", &oext, 0) < 0 ? -2 : -1;
		case F2M_E_NOUSER:
			LM_NOTICE("Fork2Mobile code from %.*s: user %s is gone: not "
					  "allowed\n",
					dev->len, dev->s, owner);
			return f2m_result("not-allowed", &oext, 0) < 0 ? -2 : -1;
		default:
			LM_ERR("Fork2Mobile code from %.*s for user %s: the database "
				   "failed, nothing changed\n",
					dev->len, dev->s, owner);
			return -2;
	}
	if(op == F2M_OP_STATUS)
		prompt = state ? "enabled" : "disabled";
	else
		prompt = state ? "saved" : "thank-you";
	return f2m_result(prompt, &oext, state) < 0 ? -2 : 1;
}

static int w_fork2mobile_code(sip_msg_t *msg, char *dev, char *svc, char *ext)
{
	str d, s, e;

	if(fixup_get_svalue(msg, (gparam_t *)dev, &d) < 0
			|| fixup_get_svalue(msg, (gparam_t *)svc, &s) < 0
			|| fixup_get_svalue(msg, (gparam_t *)ext, &e) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ki_fork2mobile_code(msg, &d, &s, &e);
}

/* --- RPC ---------------------------------------------------------------- */

static void f2m_rpc_reply(rpc_t *rpc, void *ctx, const str *ext,
		const char *mobile, int state, int changed)
{
	void *th;

	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "internal error creating the reply");
		return;
	}
	rpc->struct_add(th, "Sssd", "extension", ext, "mobile", mobile, "state",
			state ? "on" : "off", "changed", changed);
}

static void f2m_rpc_get(rpc_t *rpc, void *ctx)
{
	char mobile[F2M_MOBILE_MAX];
	str ext = STR_NULL;
	int state = 0, rc;

	if(rpc->scan(ctx, ".S", &ext) < 1 || ext.len <= 0) {
		rpc->fault(ctx, 400, "usage: fork2mobile.get <extension>");
		return;
	}
	if(ext.len > RS_DIR_EXT_MAX) {
		rpc->fault(ctx, 404, "unknown extension");
		return;
	}
	rc = f2m_db_get(&ext, mobile, sizeof(mobile), &state);
	if(rc == F2M_DB_NOUSER) {
		rpc->fault(ctx, 404, "unknown extension %.*s", ext.len, ext.s);
		return;
	}
	if(rc != F2M_DB_OK) {
		rpc->fault(ctx, 500, "database unreachable");
		return;
	}
	if(mobile[0] == '\0') {
		rpc->fault(ctx, 409,
				"extension %.*s has no mobile number: Fork2Mobile is not "
				"available",
				ext.len, ext.s);
		return;
	}
	f2m_rpc_reply(rpc, ctx, &ext, mobile, state, 0);
}

static void f2m_rpc_set(rpc_t *rpc, void *ctx)
{
	char mobile[F2M_MOBILE_MAX];
	str ext = STR_NULL, what = STR_NULL;
	f2m_op_t op;
	int state = 0, changed = 0, dummy, rc;

	if(rpc->scan(ctx, ".SS", &ext, &what) < 2 || ext.len <= 0) {
		rpc->fault(
				ctx, 400, "usage: fork2mobile.set <extension> on|off|toggle");
		return;
	}
	if(f2m_op_parse(&what, &op) < 0) {
		rpc->fault(ctx, 400, "bad argument '%.*s': use on, off or toggle",
				what.len, what.s);
		return;
	}
	rc = f2m_apply(&ext, op, &state, &changed);
	if(rc == F2M_E_NOUSER) {
		rpc->fault(ctx, 404, "unknown extension %.*s", ext.len, ext.s);
		return;
	}
	if(rc == F2M_E_NOMOBILE) {
		rpc->fault(ctx, 409,
				"extension %.*s has no mobile number: Fork2Mobile is not "
				"available",
				ext.len, ext.s);
		return;
	}
	if(rc != F2M_OK) {
		rpc->fault(ctx, 500, "database unreachable: nothing changed");
		return;
	}
	mobile[0] = '\0';
	f2m_db_get(&ext, mobile, sizeof(mobile), &dummy);
	f2m_rpc_reply(rpc, ctx, &ext, mobile, state, changed);
}

static void f2m_rpc_status(rpc_t *rpc, void *ctx)
{
	f2m_role_t role;
	unsigned int n, pend;
	void *th;

	lock_get(f2m_tab_lock);
	n = rs_pubtab_count(f2m_tab);
	pend = rs_pubtab_pending(f2m_tab);
	lock_release(f2m_tab_lock);
	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "internal error creating the reply");
		return;
	}
	rpc->struct_add(th, "dd", "users", (int)n, "pending", (int)pend);
	if(f2m_lease_ms <= 0) {
		rpc->struct_add(th, "s", "publisher", "this node (no lease)");
		return;
	}
	lock_get(f2m_tab_lock);
	role = *f2m_role;
	lock_release(f2m_tab_lock);
	if(role.held)
		rpc->struct_add(th, "s", "publisher", "this node");
	else if(role.known && role.holder[0])
		rpc->struct_add(th, "ss", "publisher", "another node", "holder",
				role.holder);
	else
		rpc->struct_add(th, "s", "publisher", "unknown (database)");
}

/* --- forwarding and do-not-disturb (README) --------------------------- */

/* outcome of f2m_cfwd_allowed() */
#define F2M_CFWD_OK 0
#define F2M_CFWD_UNKNOWN (-1)	/* neither a user, a device nor a number */
#define F2M_CFWD_FORBIDDEN (-2) /* a number the user may not forward to */
#define F2M_CFWD_SELF (-3)		/* the user itself */
#define F2M_CFWD_BAD (-4) /* not a value rs_user.cfwd_target may hold */

/* may user ext forward to target? why gets the reason (for the log) */
static int f2m_cfwd_allowed(
		const str *ext, const str *target, char *why, int wlen)
{
	const rs_dir_t *dir;
	const rs_user_t *u, *x;
	const rs_device_t *d;
	rs_str_t t = {target->s, target->len};
	int slot, rc = F2M_CFWD_OK, col;

	/* what the directory would refuse at its next read (the whole user
	 * row) is not written */
	col = rs_cols_find(rs_user_cols, rs_user_ncols, "cfwd_target", 11);
	if(col < 0
			|| rs_col_check_str(&rs_user_cols[col], &t, why, (size_t)wlen)
					   < 0)
		return F2M_CFWD_BAD;
	dir = f2m_ud.acquire(&slot);
	if(dir == NULL) {
		snprintf(why, wlen, "no user directory");
		return F2M_CFWD_UNKNOWN;
	}
	u = rs_dir_user(dir, ext->s, ext->len);
	x = rs_dir_user(dir, target->s, target->len);
	d = x ? NULL : rs_dir_device(dir, target->s, target->len);
	if(u == NULL) {
		snprintf(why, wlen, "user %.*s unknown", ext->len, ext->s);
		rc = F2M_CFWD_UNKNOWN;
	} else if(x == u || (d && d->owner == u)) {
		snprintf(why, wlen, "a forward of %.*s to itself", ext->len, ext->s);
		rc = F2M_CFWD_SELF;
	} else if(x == NULL && d == NULL) {
		if(!rs_plan_is_number(&t)) {
			snprintf(why, wlen, "'%.*s' is no user, device or number",
					target->len, target->s);
			rc = F2M_CFWD_UNKNOWN;
		} else if(!u->forward_external) {
			snprintf(why, wlen, "%.*s may not forward to external numbers",
					ext->len, ext->s);
			rc = F2M_CFWD_FORBIDDEN;
		} else if(!u->perm[RS_PERM_CALL_INTERNATIONAL]
				  && rs_plan_is_international(&t, f2m_ud.intl_prefix)) {
			snprintf(why, wlen, "%.*s may not call international numbers",
					ext->len, ext->s);
			rc = F2M_CFWD_FORBIDDEN;
		}
	}
	f2m_ud.release(slot);
	return rc;
}

/* after a change: calls see it at once, the lamp follows */
static void f2m_changed(const char *lamp, const str *ext, int state)
{
	if(f2m_ud.reload() < 0)
		LM_WARN("directory reload failed; the change is in the database "
				"and is picked up by the next poll\n");
	f2m_want_lamp(lamp, ext, state);
}

/* a lamp change in one transaction of userdev's write path: two toggles
 * at once, on this node or another, are serialised by the database */
typedef struct f2m_lamp_change
{
	const str *ext;
	int want;		   /* dnd: 1 on, 0 off, -1 toggle */
	const str *target; /* cfwd: the target, empty for off */
	int need_fwd;	   /* cfwd off by the BLF key: only while one is on */
	int cur, next;	   /* dnd before and after */
	int changed;
} f2m_lamp_change_t;

static int f2m_txn_row(
		db_func_t *dbf, db1_con_t *h, const str *ext, f2m_row_t *row)
{
	int rc;

	if(f2m_db_lock_h(dbf, h, ext) != F2M_DB_OK)
		return F2M_E_DB;
	rc = f2m_db_get_row_h(dbf, h, ext, row);
	if(rc != F2M_DB_OK)
		return rc == F2M_DB_NOUSER ? F2M_E_NOUSER : F2M_E_DB;
	return F2M_OK;
}

static int f2m_txn_dnd(db_func_t *dbf, db1_con_t *h, void *param)
{
	f2m_lamp_change_t *c = (f2m_lamp_change_t *)param;
	f2m_row_t row;
	int rc;

	rc = f2m_txn_row(dbf, h, c->ext, &row);
	if(rc != F2M_OK)
		return rc;
	c->cur = row.dnd;
	c->next = c->want < 0 ? !row.dnd : c->want;
	c->changed = c->next != c->cur;
	if(c->changed && f2m_db_set_dnd_h(dbf, h, c->ext, c->next) != F2M_DB_OK)
		return F2M_E_DB;
	return F2M_OK;
}

static int f2m_txn_cfwd(db_func_t *dbf, db1_con_t *h, void *param)
{
	f2m_lamp_change_t *c = (f2m_lamp_change_t *)param;
	f2m_row_t row;
	int rc;

	rc = f2m_txn_row(dbf, h, c->ext, &row);
	if(rc != F2M_OK)
		return rc;
	if(c->need_fwd && row.cfwd_target[0] == '\0')
		return F2M_E_NOFWD;
	c->changed = (int)strlen(row.cfwd_target) != c->target->len
				 || memcmp(row.cfwd_target, c->target->s, c->target->len) != 0;
	if(c->changed && f2m_db_set_cfwd_h(dbf, h, c->ext, c->target) != F2M_DB_OK)
		return F2M_E_DB;
	return F2M_OK;
}

/* one lamp change through the write path; F2M_E_DB when it failed */
static int f2m_lamp_write(userdev_write_fn fn, f2m_lamp_change_t *c)
{
	int rc;

	if(c->ext->len <= 0 || c->ext->len > RS_DIR_EXT_MAX)
		return F2M_E_NOUSER;
	rc = f2m_ud.write(fn, c);
	return rc == USERDEV_W_DB ? F2M_E_DB : rc;
}

/* DND of ext on (1), off (0) or toggled (-1); *state afterwards */
static int f2m_apply_dnd(const str *ext, int want, int *state, int *changed)
{
	f2m_lamp_change_t c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.ext = ext;
	c.want = want;
	*changed = 0;
	rc = f2m_lamp_write(f2m_txn_dnd, &c);
	if(rc != F2M_OK)
		return rc;
	*state = c.next;
	*changed = c.changed;
	if(c.changed)
		LM_INFO("do-not-disturb of %.*s is now %s\n", ext->len, ext->s,
				c.next ? "on" : "off");
	f2m_changed(F2M_LAMP_DND, ext, c.next);
	return F2M_OK;
}

/* forward of ext to target (empty: off; need_fwd: only if one is on); the
 * target was checked */
static int f2m_apply_cfwd(
		const str *ext, const str *target, int need_fwd, int *changed)
{
	f2m_lamp_change_t c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.ext = ext;
	c.target = target;
	c.need_fwd = need_fwd;
	*changed = 0;
	rc = f2m_lamp_write(f2m_txn_cfwd, &c);
	if(rc != F2M_OK)
		return rc;
	*changed = c.changed;
	if(c.changed) {
		if(target->len > 0)
			LM_INFO("%.*s forwards all calls to %.*s\n", ext->len, ext->s,
					target->len, target->s);
		else
			LM_INFO("%.*s forwards no calls any more\n", ext->len, ext->s);
	}
	f2m_changed(F2M_LAMP_CFWD, ext, target->len > 0);
	return F2M_OK;
}

/*
 * A feature code dialled by device dev: every service of rs_feature_code
 * that changes a lamp, plus "dnd_toggle" and "cfwd_toggle" for the BLF
 * numbers dnd<ext> and cfwd<ext> (arg: that ext; cfwd<ext> only turns a
 * forward off). For cfwd_on, arg is the target dialled after the code.
 * Fork2Mobile services go to fork2mobile_code(). Sets
 * $xavp(rs_f2m=>prompt/ext/state) like it: 1 done, -1 not allowed (prompt
 * not-allowed), -2 error.
 */
static int ki_feature_code(sip_msg_t *msg, str *dev, str *svc, str *arg)
{
	const rs_dir_t *dir;
	const rs_device_t *d;
	rs_service_t service;
	char owner[RS_DIR_EXT_MAX + 1], why[160];
	str oext, none = STR_NULL;
	int slot, state = 0, changed = 0, rc, toggle = 0, blf = 0;

	if(svc->len == 10 && memcmp(svc->s, "dnd_toggle", 10) == 0) {
		service = RS_SVC_DND_ON;
		toggle = blf = 1;
	} else if(svc->len == 11 && memcmp(svc->s, "cfwd_toggle", 11) == 0) {
		service = RS_SVC_CFWD_OFF;
		blf = 1;
	} else if(rs_service_parse(svc->s, svc->len, &service) != RS_OK) {
		LM_ERR("feature_code: unknown service '%.*s'\n", svc->len, svc->s);
		return -2;
	}
	switch(service) {
		case RS_SVC_F2M_ON:
		case RS_SVC_F2M_OFF:
		case RS_SVC_F2M_TOGGLE:
		case RS_SVC_F2M_STATUS:
			return ki_fork2mobile_code(msg, dev, svc, arg);
		case RS_SVC_DND_ON:
		case RS_SVC_DND_OFF:
		case RS_SVC_CFWD_ON:
		case RS_SVC_CFWD_OFF:
			break;
		default:
			LM_ERR("feature_code: service '%.*s' changes no lamp\n", svc->len,
					svc->s);
			return -2;
	}
	owner[0] = '\0';
	dir = f2m_ud.acquire(&slot);
	if(dir == NULL)
		return -2;
	d = (dev && dev->len > 0) ? rs_dir_device(dir, dev->s, dev->len) : NULL;
	if(d && d->owner)
		memcpy(owner, d->owner->extension.s, d->owner->extension.len + 1);
	f2m_ud.release(slot);
	oext.s = owner;
	oext.len = strlen(owner);
	if(oext.len == 0) {
		LM_NOTICE("%.*s from device '%.*s', which is linked to no user: not "
				  "allowed\n",
				svc->len, svc->s, dev ? dev->len : 0, dev ? dev->s : "");
		return f2m_result("not-allowed", &none, 0) < 0 ? -2 : -1;
	}
	if(blf && (arg->len != oext.len || memcmp(arg->s, oext.s, oext.len) != 0)) {
		LM_NOTICE("BLF %.*s of %.*s dialled by device %.*s of user %s: not "
				  "allowed\n",
				svc->len, svc->s, arg->len, arg->s, dev->len, dev->s, owner);
		return f2m_result("not-allowed", arg, 0) < 0 ? -2 : -1;
	}
	if(service == RS_SVC_DND_ON || service == RS_SVC_DND_OFF) {
		rc = f2m_apply_dnd(&oext,
				toggle					   ? -1
				: service == RS_SVC_DND_ON ? 1
										   : 0,
				&state, &changed);
	} else if(service == RS_SVC_CFWD_ON) {
		rc = f2m_cfwd_allowed(&oext, arg, why, sizeof(why));
		if(rc != F2M_CFWD_OK) {
			LM_NOTICE("forward of %s requested by %.*s refused: %s\n", owner,
					dev->len, dev->s, why);
			return f2m_result("not-allowed", &oext, 0) < 0 ? -2 : -1;
		}
		rc = f2m_apply_cfwd(&oext, arg, 0, &changed);
		state = 1;
	} else {
		/* the cfwd<ext> key turns a forward off; turning one on needs a
		 * number: *72<number> */
		rc = f2m_apply_cfwd(&oext, &none, blf, &changed);
		if(rc == F2M_E_NOFWD) {
			LM_NOTICE("cfwd%s dialled while no forward is on: not-allowed\n",
					owner);
			return f2m_result("not-allowed", &oext, 0) < 0 ? -2 : -1;
		}
		state = 0;
	}
	if(rc == F2M_E_NOUSER)
		return f2m_result("not-allowed", &oext, 0) < 0 ? -2 : -1;
	if(rc != F2M_OK) {
		LM_ERR("%.*s from %.*s for user %s: the database failed, nothing "
			   "changed\n",
				svc->len, svc->s, dev->len, dev->s, owner);
		return -2;
	}
	return f2m_result(state ? "saved" : "thank-you", &oext, state) < 0 ? -2 : 1;
}

static int w_feature_code(sip_msg_t *msg, char *dev, char *svc, char *arg)
{
	str d, s, a;

	if(fixup_get_svalue(msg, (gparam_t *)dev, &d) < 0
			|| fixup_get_svalue(msg, (gparam_t *)svc, &s) < 0
			|| fixup_get_svalue(msg, (gparam_t *)arg, &a) < 0) {
		LM_ERR("cannot get the parameters\n");
		return -2;
	}
	return ki_feature_code(msg, &d, &s, &a);
}

static void f2m_rpc_dnd(rpc_t *rpc, void *ctx)
{
	str ext = STR_NULL, what = STR_NULL;
	int want, state = 0, changed = 0, rc;
	void *th;

	if(rpc->scan(ctx, ".SS", &ext, &what) < 2 || ext.len <= 0) {
		rpc->fault(ctx, 400, "usage: dnd.set <extension> on|off|toggle");
		return;
	}
	if(what.len == 2 && strncasecmp(what.s, "on", 2) == 0)
		want = 1;
	else if(what.len == 3 && strncasecmp(what.s, "off", 3) == 0)
		want = 0;
	else if(what.len == 6 && strncasecmp(what.s, "toggle", 6) == 0)
		want = -1;
	else {
		rpc->fault(ctx, 400, "bad argument '%.*s': use on, off or toggle",
				what.len, what.s);
		return;
	}
	rc = f2m_apply_dnd(&ext, want, &state, &changed);
	if(rc == F2M_E_NOUSER) {
		rpc->fault(ctx, 404, "unknown extension %.*s", ext.len, ext.s);
		return;
	}
	if(rc != F2M_OK) {
		rpc->fault(ctx, 500, "database unreachable: nothing changed");
		return;
	}
	if(rpc->add(ctx, "{", &th) < 0)
		return;
	rpc->struct_add(th, "Ssd", "extension", &ext, "dnd", state ? "on" : "off",
			"changed", changed);
}

static void f2m_rpc_cfwd(rpc_t *rpc, void *ctx)
{
	str ext = STR_NULL, target = STR_NULL, none = STR_NULL;
	char why[160];
	int changed = 0, rc, off;
	void *th;

	/* ".S.S": both may come as numbers (kamcmd sends 201 as an int) */
	if(rpc->scan(ctx, ".S.S", &ext, &target) < 2 || ext.len <= 0
			|| target.len <= 0) {
		rpc->fault(ctx, 400, "usage: cfwd.set <extension> <target>|off");
		return;
	}
	off = target.len == 3 && strncasecmp(target.s, "off", 3) == 0;
	if(!off) {
		rc = f2m_cfwd_allowed(&ext, &target, why, sizeof(why));
		if(rc == F2M_CFWD_BAD) {
			rpc->fault(ctx, 400, "bad argument: %s", why);
			return;
		}
		if(rc == F2M_CFWD_UNKNOWN) {
			rpc->fault(ctx, 404, "%s", why);
			return;
		}
		if(rc != F2M_CFWD_OK) {
			rpc->fault(ctx, 403, "not allowed: %s", why);
			return;
		}
	}
	rc = f2m_apply_cfwd(&ext, off ? &none : &target, 0, &changed);
	if(rc == F2M_E_NOUSER) {
		rpc->fault(ctx, 404, "unknown extension %.*s", ext.len, ext.s);
		return;
	}
	if(rc != F2M_OK) {
		rpc->fault(ctx, 500, "database unreachable: nothing changed");
		return;
	}
	if(rpc->add(ctx, "{", &th) < 0)
		return;
	rpc->struct_add(th, "SSd", "extension", &ext, "cfwd_target",
			off ? &none : &target, "changed", changed);
}

/* --- KEMI --------------------------------------------------------------- */

/* clang-format off */
static sr_kemi_t sr_kemi_fork2mobile_exports[] = {
	{ str_init("fork2mobile"), str_init("feature_code"),
		SR_KEMIP_INT, ki_feature_code,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_STR,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("fork2mobile"), str_init("code"),
		SR_KEMIP_INT, ki_fork2mobile_code,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_STR,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_fork2mobile_exports);
	return 0;
}
