/*
 * Ringset - hotdesk module: login, logout and check-sync
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * A login or logout changes three things that must agree: the rs_hotdesk
 * row (written first), the password of the hot-desk account (a new random
 * one at every change, so a terminal that was logged out cannot register
 * its old account again) and the usrloc contacts of that account (removed).
 * One shared lock serialises these changes between all processes, so two
 * logins racing for one extension end with one session, in the order the
 * lock was taken, and no registration of the loser. The lock is taken for
 * logins and logouts only, never on the call path; it is held across the
 * rs_hotdesk/subscriber statements on purpose, so that the database and
 * usrloc never disagree. check-sync NOTIFYs are sent after it is released.
 */

#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include <sys/random.h>

#include "../../core/dprint.h"
#include "../../core/locking.h"
#include "../../core/mem/shm.h"
#include "../../core/mem/pkg.h"
#include "../../core/ip_addr.h"
#include "../../core/parser/parse_uri.h"
#include "../tm/tm_load.h"
#include "../usrloc/usrloc.h"
#include "../userdev/api.h"
#include "../htable/ht_api.h"
#include "../htable/api.h"

#include "rs_pin.h"
#include "rs_userdir.h"
#include "hd_ops.h"
#include "hd_db.h"
#include "hd_dmq.h"

#define HD_MAX_TARGETS 16
#define HD_URI_MAX 256

str hd_domain = str_init("pbx.local");
str hd_creds_table = STR_NULL;

static struct tm_binds hd_tmb;
static htable_api_t hd_ht;
static usrloc_api_t hd_ul;
userdev_api_t hd_ud;
static udomain_t *hd_udomain = NULL;

static gen_lock_t *hd_lo_lock = NULL;
static rs_lockout_t *hd_lo = NULL;
static int hd_lo_max = 5;	   /* failures that lock */
static int hd_lo_window = 900; /* seconds: retry_after when the table is full */

/* a contact to send check-sync to */
typedef struct hd_target
{
	char uri[HD_URI_MAX];
	int ulen;
	char dst[HD_URI_MAX]; /* received (NAT), else "" */
	int dlen;
	char key[HD_URI_MAX]; /* where it goes: host:port, for de-duplication */
	int klen;
	char aor[HD_TERM_MAX + 1];
	struct socket_info *sock;
	int for_new; /* 1: the terminal logging in, 0: one logged out */
} hd_target_t;

typedef struct hd_targets
{
	hd_target_t t[HD_MAX_TARGETS];
	int n;
} hd_targets_t;

const char *hd_status_name(hd_status_t s)
{
	switch(s) {
		case HD_LOGGED_IN:
			return "logged-in";
		case HD_WRONG_PIN:
			return "wrong-pin";
		case HD_LOCKED:
			return "locked";
	}
	return "error";
}

int hd_ops_bind(void)
{
	bind_usrloc_t bind;

	if(load_tm_api(&hd_tmb) < 0) {
		LM_ERR("the tm module is needed\n");
		return -1;
	}
	bind = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind == NULL || bind(&hd_ul) < 0) {
		LM_ERR("the usrloc module is needed\n");
		return -1;
	}
	if(userdev_load_api(&hd_ud) < 0) {
		LM_ERR("the userdev module is needed\n");
		return -1;
	}
	if(hd_creds_table.len > 0 && htable_load_api(&hd_ht) < 0) {
		LM_ERR("creds_htable is set: the htable module is needed\n");
		return -1;
	}
	return 0;
}

int hd_ops_init(int slots, const rs_lockout_cfg_t *cfg)
{
	size_t sz;
	void *mem;

	hd_lo_lock = lock_alloc();
	if(hd_lo_lock == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	lock_init(hd_lo_lock);
	hd_lo_max = cfg->max_failures;
	hd_lo_window = cfg->window;
	sz = rs_lockout_size(slots);
	mem = sz ? shm_malloc(sz) : NULL;
	if(mem == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	if(rs_lockout_init(mem, sz, slots, cfg, &hd_lo) != RS_OK) {
		LM_ERR("bad lockout settings\n");
		shm_free(mem);
		return -1;
	}
	return 0;
}

void hd_ops_destroy(void)
{
	if(hd_lo) {
		shm_free(hd_lo);
		hd_lo = NULL;
	}
	if(hd_lo_lock) {
		lock_destroy(hd_lo_lock);
		lock_dealloc(hd_lo_lock);
		hd_lo_lock = NULL;
	}
}

static void hd_fault(hd_result_t *res, int code, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

static void hd_fault(hd_result_t *res, int code, const char *fmt, ...)
{
	va_list ap;

	res->fault = code;
	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
}

int hd_new_password(char out[33])
{
	unsigned char rnd[16];

	if(getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		LM_ERR("no random bytes for a password\n");
		return -1;
	}
	rs_hex_encode(rnd, sizeof(rnd), out);
	memset(rnd, 0, sizeof(rnd));
	return 0;
}

/* --- lockout ------------------------------------------------------------ */

/* key "ext:<ext>" / "term:<terminal>" into buf */
static int hd_lo_key(
		const char *kind, const str *v, char *buf, int size, rs_str_t *key)
{
	int n = snprintf(buf, size, "%s:%.*s", kind, v->len, v->s);

	if(n <= 0 || n >= size || n > RS_LOCKOUT_KEY_MAX)
		return -1;
	key->s = buf;
	key->len = n;
	return 0;
}

int hd_lockout_dmq = 0;

void hd_lockout_clear(const str *key)
{
	rs_str_t k = {key->s, key->len};

	lock_get(hd_lo_lock);
	rs_lockout_clear(hd_lo, &k);
	lock_release(hd_lo_lock);
	if(hd_lockout_dmq)
		hd_dmq_clear(&k);
}

void hd_lockout_apply(const rs_str_t *key, int fail)
{
	int n = 0;

	lock_get(hd_lo_lock);
	if(fail)
		n = rs_lockout_fail(hd_lo, key, time(NULL));
	else
		rs_lockout_clear(hd_lo, key);
	lock_release(hd_lo_lock);
	if(n == hd_lo_max)
		LM_WARN("hot-desk logins of %.*s locked after %d wrong PINs (counted "
				"on another node)\n",
				key->len, key->s, n);
}

int hd_lockout_next(int *cursor, rs_lockout_entry_t *e)
{
	int r;

	lock_get(hd_lo_lock);
	r = rs_lockout_next(hd_lo, cursor, time(NULL), e);
	lock_release(hd_lo_lock);
	return r;
}

void hd_lockout_merge(const rs_lockout_entry_t *e)
{
	rs_err_t rc;
	int locked;
	rs_str_t k = {(char *)e->key, e->keylen};
	time_t now = time(NULL);

	lock_get(hd_lo_lock);
	rc = rs_lockout_merge(hd_lo, e, now);
	locked = rc == RS_OK ? rs_lockout_locked(hd_lo, &k, now) : 0;
	lock_release(hd_lo_lock);
	if(rc == RS_E_LIMIT)
		LM_WARN("hot-desk lockout of %.*s from another node not kept: the "
				"lockout table is full (lockout_slots)\n",
				e->keylen, e->key);
	else if(rc != RS_OK)
		LM_WARN("hot-desk lockout state from another node refused\n");
	else if(locked > 0)
		LM_WARN("hot-desk logins of %.*s locked for %d s more (taken from "
				"another node at start)\n",
				e->keylen, e->key, locked);
}

void hd_lockout_state(const str *key, int *locked, int *failures)
{
	rs_str_t k = {key->s, key->len};
	time_t now = time(NULL);

	lock_get(hd_lo_lock);
	*locked = rs_lockout_locked(hd_lo, &k, now);
	*failures = rs_lockout_failures(hd_lo, &k, now);
	lock_release(hd_lo_lock);
}

/* --- usrloc -------------------------------------------------------------- */

static udomain_t *hd_get_udomain(void)
{
	if(hd_udomain == NULL && hd_ul.get_udomain("location", &hd_udomain) < 0) {
		LM_ERR("usrloc table location is not in use\n");
		hd_udomain = NULL;
	}
	return hd_udomain;
}

/* where a contact goes, for de-duplication: received, else host:port */
static void hd_target_key(hd_target_t *t)
{
	sip_uri_t u;
	const char *src = t->dlen ? t->dst : t->uri;
	int len = t->dlen ? t->dlen : t->ulen;

	t->klen = 0;
	if(parse_uri((char *)src, len, &u) == 0) {
		t->klen = snprintf(t->key, sizeof(t->key), "%.*s:%.*s:%d", u.host.len,
				u.host.s, u.port.len, u.port.s, u.proto);
		if(t->klen < 0 || t->klen >= (int)sizeof(t->key))
			t->klen = 0;
	}
	if(t->klen == 0) {
		memcpy(t->key, src, len);
		t->klen = len;
	}
}

static int hd_targets_has(const hd_targets_t *ts, const hd_target_t *t)
{
	int i;

	for(i = 0; i < ts->n; i++) {
		if(ts->t[i].klen == t->klen
				&& memcmp(ts->t[i].key, t->key, t->klen) == 0)
			return 1;
	}
	return 0;
}

/*
 * The live contacts of aor become targets (one per destination); with
 * remove, the record is deleted from usrloc (and, write-back, from the
 * location table). Returns the number of live contacts aor had.
 */
static int hd_collect(
		hd_targets_t *ts, const char *aor_s, int for_new, int remove)
{
	udomain_t *ud;
	urecord_t *r = NULL;
	ucontact_t *c;
	hd_target_t *t;
	str aor;
	time_t now = time(NULL);
	int n = 0;

	ud = hd_get_udomain();
	if(ud == NULL || aor_s == NULL || aor_s[0] == '\0')
		return 0;
	aor.s = (char *)aor_s;
	aor.len = strlen(aor_s);
	hd_ul.lock_udomain(ud, &aor);
	if(hd_ul.get_urecord(ud, &aor, &r) != 0) {
		hd_ul.unlock_udomain(ud, &aor);
		return 0;
	}
	for(c = r->contacts; c; c = c->next) {
		if(c->expires != 0 && c->expires <= now)
			continue;
		n++;
		if(ts->n >= HD_MAX_TARGETS || c->c.len >= HD_URI_MAX
				|| c->received.len >= HD_URI_MAX) {
			LM_WARN("contact of %s not notified: too many or too long\n",
					aor_s);
			continue;
		}
		t = &ts->t[ts->n];
		memset(t, 0, sizeof(*t));
		memcpy(t->uri, c->c.s, c->c.len);
		t->ulen = c->c.len;
		if(c->received.len > 0) {
			memcpy(t->dst, c->received.s, c->received.len);
			t->dlen = c->received.len;
		}
		snprintf(t->aor, sizeof(t->aor), "%s", aor_s);
		t->sock = c->sock;
		t->for_new = for_new;
		hd_target_key(t);
		if(!hd_targets_has(ts, t))
			ts->n++;
	}
	if(remove) {
		/* delete_urecord releases the record */
		if(hd_ul.delete_urecord(ud, &aor, r) < 0)
			LM_ERR("cannot remove the registrations of %s\n", aor_s);
		else if(n > 0)
			LM_INFO("registrations of %s removed (%d contacts)\n", aor_s, n);
	} else {
		hd_ul.release_urecord(r);
	}
	hd_ul.unlock_udomain(ud, &aor);
	return n;
}

int hd_contacts(const str *aor)
{
	udomain_t *ud;
	urecord_t *r = NULL;
	ucontact_t *c;
	time_t now = time(NULL);
	str a = *aor;
	int n = 0;

	ud = hd_get_udomain();
	if(ud == NULL || a.len <= 0)
		return 0;
	hd_ul.lock_udomain(ud, &a);
	if(hd_ul.get_urecord(ud, &a, &r) == 0) {
		for(c = r->contacts; c; c = c->next) {
			if(c->expires == 0 || c->expires > now)
				n++;
		}
		hd_ul.release_urecord(r);
	}
	hd_ul.unlock_udomain(ud, &a);
	return n;
}

/* NOTIFY Event: check-sync to every target; the counts per side */
static void hd_checksync(hd_targets_t *ts, int *nnew, int *nold)
{
	static str method = str_init("NOTIFY");
	static str hdrs = str_init("Event: check-sync;reboot=false\r\n"
							   "Subscription-State: terminated\r\n");
	uac_req_t uac_r;
	char from_b[HD_URI_MAX], to_b[HD_URI_MAX];
	str ruri, from, to, dst, ssock;
	hd_target_t *t;
	int i;

	for(i = 0; i < ts->n; i++) {
		t = &ts->t[i];
		ruri.s = t->uri;
		ruri.len = t->ulen;
		from.s = from_b;
		from.len = snprintf(from_b, sizeof(from_b), "sip:hotdesk@%.*s",
				hd_domain.len, hd_domain.s);
		to.s = to_b;
		to.len = snprintf(to_b, sizeof(to_b), "sip:%s@%.*s", t->aor,
				hd_domain.len, hd_domain.s);
		dst.s = t->dst;
		dst.len = t->dlen;
		set_uac_req(&uac_r, &method, &hdrs, NULL, NULL, 0, NULL, NULL);
		if(t->sock) {
			ssock = t->sock->sock_str;
			uac_r.ssock = &ssock;
		}
		if(hd_tmb.t_request(&uac_r, &ruri, &to, &from, t->dlen ? &dst : NULL)
				< 0) {
			LM_ERR("cannot send check-sync to %.*s\n", ruri.len, ruri.s);
			continue;
		}
		LM_INFO("check-sync sent to %s at %.*s\n", t->aor, ruri.len, ruri.s);
		if(t->for_new)
			(*nnew)++;
		else
			(*nold)++;
	}
}

/* --- directory ------------------------------------------------------------ */

/* what login needs from the directory, copied out of the snapshot */
typedef struct hd_who
{
	char pin_hash[RS_PIN_HASH_MAX + 1];
	int pin_hash_len;
	int has_account;
} hd_who_t;

#define HD_ACCOUNT_FMT RS_HOTDESK_PREFIX "%.*s"

static int hd_account_name(const str *ext, char *buf, int size)
{
	int n = snprintf(buf, size, HD_ACCOUNT_FMT, ext->len, ext->s);
	return (n <= 0 || n >= size) ? -1 : n;
}

/* checks the terminal and the user; 0 ok, -1 fault set */
static int hd_lookup(
		const str *term, const str *ext, hd_who_t *who, hd_result_t *res)
{
	const rs_dir_t *dir;
	const rs_device_t *d;
	const rs_user_t *u;
	char acc[HD_TERM_MAX + 1];
	int slot, alen, ret = -1;

	dir = hd_ud.acquire(&slot);
	if(dir == NULL) {
		hd_fault(res, 503, "user directory not loaded");
		return -1;
	}
	d = rs_dir_device(dir, term->s, term->len);
	u = rs_dir_user(dir, ext->s, ext->len);
	if(d == NULL || d->kind != RS_DEV_HOTDESK_TERMINAL) {
		hd_fault(res, 404, "unknown hot-desk terminal: %.*s", term->len,
				term->s);
	} else if(u == NULL) {
		hd_fault(res, 404, "unknown extension: %.*s", ext->len, ext->s);
	} else if(!u->hotdesk) {
		hd_fault(res, 403, "extension %.*s does not use hot desking", ext->len,
				ext->s);
	} else {
		/* a longer one cannot be valid: left empty, it matches no PIN */
		if(u->pin_hash.len <= RS_PIN_HASH_MAX) {
			memcpy(who->pin_hash, u->pin_hash.s, u->pin_hash.len);
			who->pin_hash_len = u->pin_hash.len;
		}
		alen = hd_account_name(ext, acc, sizeof(acc));
		d = alen > 0 ? rs_dir_device(dir, acc, alen) : NULL;
		who->has_account = d != NULL && d->kind == RS_DEV_HOTDESK_ACCOUNT;
		ret = 0;
	}
	hd_ud.release(slot);
	return ret;
}

int hd_account_owner(const str *dev, char *ext, int size)
{
	const rs_dir_t *dir;
	const rs_device_t *d;
	int slot, ret = 0;

	dir = hd_ud.acquire(&slot);
	if(dir == NULL)
		return 0;
	d = rs_dir_device(dir, dev->s, dev->len);
	if(d && d->kind == RS_DEV_HOTDESK_ACCOUNT && d->owner
			&& d->owner->extension.len < size) {
		memcpy(ext, d->owner->extension.s, d->owner->extension.len);
		ext[d->owner->extension.len] = '\0';
		ret = 1;
	}
	hd_ud.release(slot);
	return ret;
}

/* creates hotdesk-<ext> (subscriber with a generated password, rs_device) */
typedef struct hd_new_account
{
	str user, dom, pw;
	const str *ext;
} hd_new_account_t;

static int hd_txn_account(db_func_t *dbf, db1_con_t *h, void *param)
{
	hd_new_account_t *a = (hd_new_account_t *)param;
	int r;

	hd_db_txn(dbf, h);
	r = hd_db_create_account(&a->user, &a->dom, a->ext, &a->pw);
	hd_db_txn(NULL, NULL);
	return r;
}

/* the account's subscriber and rs_device rows, one transaction of
 * userdev's write path (every node's directory follows) */
static int hd_account_create(const str *ext, const char *domain)
{
	char acc[HD_TERM_MAX + 1], pw[33];
	hd_new_account_t a;
	int r;

	a.user.s = acc;
	a.user.len = hd_account_name(ext, acc, sizeof(acc));
	if(a.user.len < 0 || hd_new_password(pw) < 0)
		return -1;
	a.dom.s = (char *)domain;
	a.dom.len = strlen(domain);
	a.pw.s = pw;
	a.pw.len = 32;
	a.ext = ext;
	r = hd_ud.write(hd_txn_account, &a);
	memset(pw, 0, sizeof(pw));
	if(r < 0) {
		LM_ERR("cannot create the hot-desk account %s\n", acc);
		return -1;
	}
	LM_INFO("hot-desk account %s created for extension %.*s\n", acc, ext->len,
			ext->s);
	return 0;
}

#define HD_CREATE_BATCH 64
#define HD_STALE_BATCH 64

/* sessions whose user is gone or no longer hot-desks, or whose terminal
 * is gone: collected while the directory is held, logged out after */
typedef struct hd_stale
{
	const rs_dir_t *dir;
	char ext[HD_STALE_BATCH][HD_EXT_MAX + 1];
	int n;
} hd_stale_t;

static int hd_stale_one(void *p, const str *ext, const str *term, time_t since)
{
	hd_stale_t *st = p;
	const rs_user_t *u;
	const rs_device_t *d;

	u = rs_dir_user(st->dir, ext->s, ext->len);
	d = rs_dir_device(st->dir, term->s, term->len);
	if(u && u->hotdesk && d && d->kind == RS_DEV_HOTDESK_TERMINAL)
		return 0;
	if(ext->len > HD_EXT_MAX || st->n >= HD_STALE_BATCH)
		return 0;
	memcpy(st->ext[st->n], ext->s, ext->len);
	st->ext[st->n][ext->len] = '\0';
	st->n++;
	return 0;
}

/* 0 done, -1 the sessions could not be read (tried again later) */
static int hd_sessions_check(void)
{
	hd_stale_t *st;
	hd_result_t res;
	str e;
	int slot, i, r;

	st = pkg_malloc(sizeof(*st));
	if(st == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	st->n = 0;
	st->dir = hd_ud.acquire(&slot);
	if(st->dir == NULL) {
		pkg_free(st);
		return -1;
	}
	r = hd_db_sessions(hd_stale_one, st);
	hd_ud.release(slot);
	for(i = 0; r == 0 && i < st->n; i++) {
		e.s = st->ext[i];
		e.len = strlen(st->ext[i]);
		hd_logout(&e, "user or terminal no longer hot-desking", &res);
	}
	pkg_free(st);
	return r;
}

/* the (extension, pin_hash) pairs this process already checked for a
 * short PIN, by their hash: each costs 1110 SHA-256 */
#define HD_PINS_SEEN 8192
static uint64_t hd_pins_seen[HD_PINS_SEEN];

static int hd_pin_seen(uint64_t h)
{
	unsigned int i, n;

	if(h == 0)
		h = 1;
	for(n = 0, i = (unsigned int)(rs_hash_mix64(h) % HD_PINS_SEEN);
			n < HD_PINS_SEEN; n++, i = (i + 1) % HD_PINS_SEEN) {
		if(hd_pins_seen[i] == h)
			return 1;
		if(hd_pins_seen[i] == 0) {
			hd_pins_seen[i] = h;
			return 0;
		}
	}
	memset(hd_pins_seen, 0, sizeof(hd_pins_seen)); /* full: start again */
	return 0;
}

void hd_pins_check(void)
{
	static unsigned long long last_digest = 0;
	const rs_dir_t *dir;
	const rs_user_t *u;
	rs_str_t h;
	uint64_t k;
	int slot, i, nu, n;

	dir = hd_ud.acquire(&slot);
	if(dir == NULL)
		return;
	if(rs_dir_digest(dir) == last_digest) {
		hd_ud.release(slot);
		return;
	}
	last_digest = rs_dir_digest(dir);
	nu = rs_dir_nusers(dir);
	for(i = 0; i < nu; i++) {
		u = rs_dir_user_at(dir, i);
		if(u->pin_hash.len == 0)
			continue;
		k = rs_hash64(RS_HASH64_INIT, u->extension.s, u->extension.len);
		k = rs_hash64(k, "/", 1);
		k = rs_hash64(k, u->pin_hash.s, u->pin_hash.len);
		if(hd_pin_seen(k))
			continue;
		h.s = u->pin_hash.s;
		h.len = u->pin_hash.len;
		n = rs_pin_short(&h);
		if(n > 0)
			LM_WARN("rs_user row '%.*s': its PIN has fewer than %d digits "
					"and is refused: no hot-desk login until it is changed\n",
					u->extension.len, u->extension.s, RS_PIN_MIN);
		else if(n < 0)
			LM_WARN("rs_user row '%.*s': pin_hash is not "
					"sha256$<salt>$<hex>\n",
					u->extension.len, u->extension.s);
	}
	hd_ud.release(slot);
}

void hd_prov_secrets_check(void)
{
	static unsigned long long last_digest = 0;
	const rs_dir_t *dir;
	unsigned long long digest;
	int slot;

	dir = hd_ud.acquire(&slot);
	if(dir == NULL)
		return;
	digest = rs_dir_digest(dir);
	hd_ud.release(slot);
	if(digest == last_digest)
		return;
	if(hd_db_open() < 0 || hd_db_prov_secrets(hd_new_password) < 0)
		return; /* tried again on the next tick */
	last_digest = digest;
}

void hd_accounts_check(int force)
{
	static unsigned long long last_digest = 0;
	static time_t retry_at = 0; /* a failed creation is retried then */
	const rs_dir_t *dir;
	const rs_user_t *u;
	const rs_device_t *d;
	char exts[HD_CREATE_BATCH][HD_EXT_MAX + 1];
	char doms[HD_CREATE_BATCH][128];
	char acc[HD_TERM_MAX + 1];
	unsigned long long digest;
	int slot, i, n = 0, nu, alen, created = 0, failed = 0;
	str e;

	dir = hd_ud.acquire(&slot);
	if(dir == NULL)
		return;
	digest = rs_dir_digest(dir);
	if(!force && digest == last_digest
			&& (retry_at == 0 || time(NULL) < retry_at)) {
		hd_ud.release(slot);
		return;
	}
	nu = rs_dir_nusers(dir);
	for(i = 0; i < nu && n < HD_CREATE_BATCH; i++) {
		u = rs_dir_user_at(dir, i);
		if(!u->hotdesk || u->extension.len > HD_EXT_MAX)
			continue;
		e.s = u->extension.s;
		e.len = u->extension.len;
		alen = hd_account_name(&e, acc, sizeof(acc));
		d = alen > 0 ? rs_dir_device(dir, acc, alen) : NULL;
		if(d != NULL)
			continue;
		memcpy(exts[n], u->extension.s, u->extension.len);
		exts[n][u->extension.len] = '\0';
		snprintf(doms[n], sizeof(doms[n]), "%.*s",
				u->domain.len ? u->domain.len : hd_domain.len,
				u->domain.len ? u->domain.s : hd_domain.s);
		n++;
	}
	hd_ud.release(slot);
	for(i = 0; i < n; i++) {
		e.s = exts[i];
		e.len = strlen(exts[i]);
		if(hd_account_create(&e, doms[i]) < 0)
			failed++;
		else
			created++;
	}
	/* a full batch goes on at the next round; a failed creation is tried
	 * again when the directory changes, or in a minute (without flooding
	 * the log every second) */
	/* sessions of users or terminals taken out of hot desking end */
	if(!force && hd_sessions_check() < 0)
		failed++;
	if(n < HD_CREATE_BATCH)
		last_digest = digest;
	retry_at = failed ? time(NULL) + 60 : 0;
	/* the write path has every node's poller publish the new accounts */
	(void)created;
}

/* --- login and logout ---------------------------------------------------- */

/* a new random password for hotdesk-<ext>: its old credentials, wherever
 * they were provisioned, stop working */
static int hd_rotate(const str *ext)
{
	char acc[HD_TERM_MAX + 1], pw[33];
	str user, pws;
	int r;

	user.s = acc;
	user.len = hd_account_name(ext, acc, sizeof(acc));
	if(user.len < 0 || hd_new_password(pw) < 0)
		return -1;
	pws.s = pw;
	pws.len = 32;
	r = hd_db_set_password(&user, &pws);
	memset(pw, 0, sizeof(pw));
	/* the cfg's copy of passwords that passed (for authentication while
	 * the database is down) must not keep the old one */
	if(r == 0 && hd_creds_table.len > 0)
		hd_ht.rm(&hd_creds_table, &user);
	return r;
}

/* what a login's transaction found and did */
typedef struct hd_login_txn
{
	const str *term;
	const str *ext;
	char old_term[HD_TERM_MAX + 1]; /* where ext was before */
	char old_ext[HD_EXT_MAX + 1];	/* who was on term before */
} hd_login_txn_t;

/* one login as one transaction (userdev's write path: logins racing on
 * any node happen one after the other): the sessions of ext and of the
 * terminal go, the new one is written, the passwords of the accounts
 * involved change */
static int hd_txn_login(db_func_t *dbf, db1_con_t *h, void *param)
{
	hd_login_txn_t *l = (hd_login_txn_t *)param;
	const str *ext = l->ext;
	str oe;
	int r;

	hd_db_txn(dbf, h);
	r = hd_db_session_of_ext(ext, l->old_term, sizeof(l->old_term));
	if(r >= 0)
		r = hd_db_session_of_terminal(l->term, l->old_ext, sizeof(l->old_ext));
	if(r < 0)
		goto error;
	if(strlen(l->old_ext) == (size_t)ext->len
			&& memcmp(l->old_ext, ext->s, ext->len) == 0)
		l->old_ext[0] = '\0'; /* X on this terminal already: a fresh login */
	oe.s = l->old_ext;
	oe.len = strlen(l->old_ext);
	if(hd_db_session_delete(ext) < 0
			|| (oe.len && hd_db_session_delete(&oe) < 0)
			|| hd_db_session_insert(ext, l->term, time(NULL)) < 0)
		goto error;
	/* the old credentials stop working before the contacts go */
	if(hd_rotate(ext) < 0 || (oe.len && hd_rotate(&oe) < 0))
		goto error;
	hd_db_txn(NULL, NULL);
	return 0;
error:
	hd_db_txn(NULL, NULL);
	return -1;
}

static int hd_takeover(const str *term, const str *ext, const hd_who_t *who,
		hd_result_t *res, hd_targets_t *ts)
{
	char acc[HD_TERM_MAX + 1], tname[HD_TERM_MAX + 1];
	hd_login_txn_t l;
	str oe;
	int r;

	memset(&l, 0, sizeof(l));
	l.term = term;
	l.ext = ext;
	if(hd_ud.write(hd_txn_login, &l) < 0) {
		hd_fault(res, 500, "database error: the login was not recorded");
		return -1;
	}
	oe.s = l.old_ext;
	oe.len = strlen(l.old_ext);

	/* committed: now the registrations and check-sync targets (usrloc,
	 * replicated to the other nodes by DMQ) */
	if(hd_account_name(ext, acc, sizeof(acc)) < 0) {
		hd_fault(res, 500, "bad account name");
		return -1;
	}
	snprintf(tname, sizeof(tname), "%.*s", term->len, term->s);
	/* the new terminal first: its address wins the de-duplication */
	r = hd_collect(ts, tname, 1, 0);
	if(oe.len) {
		char oacc[HD_TERM_MAX + 1];
		hd_account_name(&oe, oacc, sizeof(oacc));
		r += hd_collect(ts, oacc, 1, 1);
	}
	if(r == 0)
		LM_NOTICE("hot-desk terminal %s is not registered: check-sync "
				  "skipped, it gets its configuration when it starts\n",
				tname);
	/* X's account, wherever it is registered, and X's old terminal */
	hd_collect(ts, acc, strcmp(l.old_term, tname) == 0, 1);
	if(l.old_term[0] && strcmp(l.old_term, tname) != 0)
		hd_collect(ts, l.old_term, 0, 0);

	if(strcmp(l.old_term, tname) != 0)
		snprintf(res->previous, sizeof(res->previous), "%s", l.old_term);
	snprintf(res->replaced, sizeof(res->replaced), "%s", l.old_ext);
	return 0;
}

/* an empty list of check-sync targets (pkg), or NULL with a 500 in res */
static hd_targets_t *hd_targets_new(hd_result_t *res)
{
	hd_targets_t *ts = pkg_malloc(sizeof(*ts));

	if(ts == NULL) {
		PKG_MEM_ERROR;
		hd_fault(res, 500, "out of memory");
		return NULL;
	}
	ts->n = 0;
	return ts;
}

int hd_login(const str *term, const str *ext, const str *pin, hd_result_t *res)
{
	char kb1[RS_LOCKOUT_KEY_MAX + 8], kb2[RS_LOCKOUT_KEY_MAX + 8];
	rs_str_t kext, kterm, h, p;
	hd_targets_t *ts;
	hd_who_t who;
	time_t now;
	int ok, n1, n2, full = 0;

	memset(res, 0, sizeof(*res));
	if(term->len <= 0 || term->len > HD_TERM_MAX || ext->len <= 0
			|| ext->len > HD_EXT_MAX) {
		hd_fault(res, 400, "bad argument: terminal or extension");
		return -1;
	}
	p.s = pin->s;
	p.len = pin->len;
	if(!rs_pin_valid(&p)) {
		hd_fault(res, 400, "bad argument: the PIN must be %d to %d digits",
				RS_PIN_MIN, RS_PIN_MAX);
		return -1;
	}
	memset(&who, 0, sizeof(who));
	if(hd_lookup(term, ext, &who, res) < 0)
		return -1;
	if(hd_lo_key("ext", ext, kb1, sizeof(kb1), &kext) < 0
			|| hd_lo_key("term", term, kb2, sizeof(kb2), &kterm) < 0) {
		hd_fault(res, 400, "bad argument: terminal or extension too long");
		return -1;
	}
	/* the lockout verdict, the PIN check and the bookkeeping happen under
	 * one lock (a SHA-256 of a few dozen bytes), so concurrent tries cannot
	 * get past max_failures */
	h.s = who.pin_hash;
	h.len = who.pin_hash_len;
	now = time(NULL);
	n1 = n2 = 0;
	lock_get(hd_lo_lock);
	res->retry_after = rs_lockout_locked(hd_lo, &kext, now);
	n2 = rs_lockout_locked(hd_lo, &kterm, now);
	if(n2 > res->retry_after)
		res->retry_after = n2;
	if(res->retry_after > 0) {
		ok = 0;
	} else {
		/* the try is counted before the PIN is checked, and a right PIN
		 * clears the count again: a try that cannot be counted (the table
		 * is full) is refused, never let through */
		n1 = rs_lockout_fail(hd_lo, &kext, now);
		n2 = rs_lockout_fail(hd_lo, &kterm, now);
		if(n1 < 0 || n2 < 0) {
			ok = 0;
			full = 1;
			res->retry_after = hd_lo_window;
		} else {
			ok = rs_pin_check(&h, &p);
			if(ok == 1) {
				rs_lockout_clear(hd_lo, &kext);
				rs_lockout_clear(hd_lo, &kterm);
			}
		}
	}
	lock_release(hd_lo_lock);
	if(full)
		LM_WARN("hot-desk login of %.*s on %.*s refused: the lockout table "
				"is full (lockout_slots), tries cannot be counted\n",
				ext->len, ext->s, term->len, term->s);
	memset(&who.pin_hash, 0, sizeof(who.pin_hash));
	/* the other nodes count it too (after the lock: DMQ sends) */
	if(hd_lockout_dmq && res->retry_after <= 0) {
		if(ok == 1) {
			hd_dmq_clear(&kext);
			hd_dmq_clear(&kterm);
		} else {
			hd_dmq_fail(&kext);
			hd_dmq_fail(&kterm);
		}
	}
	if(res->retry_after > 0) {
		LM_NOTICE("hot-desk login of %.*s on %.*s refused: locked for %d s "
				  "after too many wrong PINs\n",
				ext->len, ext->s, term->len, term->s, res->retry_after);
		res->status = HD_LOCKED;
		return 0;
	}
	if(ok < 0)
		LM_WARN("extension %.*s has no valid pin_hash: hot-desk login "
				"impossible\n",
				ext->len, ext->s);
	if(ok != 1) {
		res->status = HD_WRONG_PIN;
		res->failures = n1 > 0 ? n1 : 0;
		LM_NOTICE("hot-desk login of %.*s on %.*s: wrong PIN (%d for the "
				  "extension, %d for the terminal)\n",
				ext->len, ext->s, term->len, term->s, n1, n2);
		if(n1 >= hd_lo_max)
			LM_WARN("hot-desk logins of extension %.*s locked after %d "
					"wrong PINs\n",
					ext->len, ext->s, n1);
		if(n2 >= hd_lo_max)
			LM_WARN("hot-desk logins on terminal %.*s locked after %d "
					"wrong PINs\n",
					term->len, term->s, n2);
		return 0;
	}

	if(!who.has_account) {
		/* hotdesk was set a moment ago: create the account now */
		hd_accounts_check(1);
	}
	ts = hd_targets_new(res);
	if(ts == NULL)
		return -1;
	if(hd_takeover(term, ext, &who, res, ts) < 0) {
		pkg_free(ts);
		return -1;
	}
	res->status = HD_LOGGED_IN;
	LM_INFO("hot-desk login: %.*s on %.*s%s%s\n", ext->len, ext->s, term->len,
			term->s, res->previous[0] ? ", logged out of " : "", res->previous);
	hd_checksync(ts, &res->notify_new, &res->notify_old);
	pkg_free(ts);
	return 0;
}

typedef struct hd_logout_txn
{
	const str *ext;
	char *term;
	int size;
} hd_logout_txn_t;

#define HD_NOT_LOGGED_IN (-2)

/* 1 logged out (its terminal in term); HD_NOT_LOGGED_IN (rolled back,
 * nothing written); -1 error */
static int hd_txn_logout(db_func_t *dbf, db1_con_t *h, void *param)
{
	hd_logout_txn_t *l = (hd_logout_txn_t *)param;
	int r;

	hd_db_txn(dbf, h);
	r = hd_db_session_of_ext(l->ext, l->term, l->size);
	if(r == 1 && (hd_db_session_delete(l->ext) < 0 || hd_rotate(l->ext) < 0))
		r = -1;
	hd_db_txn(NULL, NULL);
	return r == 0 ? HD_NOT_LOGGED_IN : r;
}

int hd_logout(const str *ext, const char *how, hd_result_t *res)
{
	char term[HD_TERM_MAX + 1] = "", acc[HD_TERM_MAX + 1];
	hd_logout_txn_t lt;
	hd_targets_t *ts;
	int r;

	memset(res, 0, sizeof(*res));
	if(ext->len <= 0 || ext->len > HD_EXT_MAX
			|| hd_account_name(ext, acc, sizeof(acc)) < 0) {
		hd_fault(res, 400, "bad argument: extension");
		return -1;
	}
	ts = hd_targets_new(res);
	if(ts == NULL)
		return -1;
	lt.ext = ext;
	lt.term = term;
	lt.size = sizeof(term);
	r = hd_ud.write(hd_txn_logout, &lt);
	if(r == HD_NOT_LOGGED_IN) {
		pkg_free(ts);
		hd_fault(res, 404, "extension %.*s is not logged in", ext->len, ext->s);
		return 0;
	}
	if(r < 0) {
		pkg_free(ts);
		hd_fault(res, 500, "database error: nothing changed");
		return -1;
	}
	hd_collect(ts, acc, 0, 1);
	hd_collect(ts, term, 0, 0);
	snprintf(res->terminal, sizeof(res->terminal), "%s", term);
	LM_INFO("hot-desk logout (%s): %.*s left %s\n", how, ext->len, ext->s,
			term);
	if(ts->n == 0)
		LM_NOTICE("hot-desk terminal %s is not registered: check-sync "
				  "skipped\n",
				term);
	hd_checksync(ts, &res->notify_new, &res->notify_old);
	pkg_free(ts);
	return 1;
}
