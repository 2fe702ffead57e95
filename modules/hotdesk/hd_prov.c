/*
 * Ringset - hotdesk module: auto provisioning of desk phones over HTTP
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * GET /provision/snom/<mac>.xml and /provision/yealink/<mac>.cfg render
 * (modules/lib/rs_prov.c) the configuration the phone with that MAC must
 * use now:
 *   - a hot-desk terminal (device hotdesk-<mac>): its own account while
 *     nobody is logged in on it, else hotdesk-<ext> with ext's display
 *     name and BLF keys;
 *   - a static device with that MAC: its own account, its owner's name
 *     and keys.
 * The BLF key of a user is its Fork2Mobile state, forkm<ext> ("Mobile
 * <ext>", as tools/blf-keys.sh prints it). Passwords
 * come from subscriber. Who may fetch is decided in kamailio.cfg
 * (PROV_NET, permissions group 3).
 */

#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../core/dprint.h"
#include "../../core/mem/pkg.h"
#include "../../core/utils/srjson.h"
#include "../../core/parser/parse_hname2.h"
#include "../../core/parser/digest/digest.h"
#include "../auth/api.h"
#include "../xhttp/api.h"

#include "rs_prov.h"
#include "rs_userdir.h"
#include "hd_ops.h"
#include "hd_db.h"
#include "hd_prov.h"

#define HD_PROV_BUF 8192
#define HD_FIELD 256

str hd_sip_server = str_init("127.0.0.1:5060");

static xhttp_api_t hd_xhttp;
static str hd_srv_host = STR_NULL;
static int hd_srv_port = 5060;

int hd_prov_init(void)
{
	char *c;
	long port;

	c = memchr(hd_sip_server.s, ':', hd_sip_server.len);
	if(c == NULL || c == hd_sip_server.s) {
		LM_ERR("sip_server must be host:port, not %.*s\n", hd_sip_server.len,
				hd_sip_server.s);
		return -1;
	}
	hd_srv_host.s = hd_sip_server.s;
	hd_srv_host.len = c - hd_sip_server.s;
	port = strtol(c + 1, NULL, 10);
	if(port < 1 || port > 65535) {
		LM_ERR("bad port in sip_server %.*s\n", hd_sip_server.len,
				hd_sip_server.s);
		return -1;
	}
	hd_srv_port = (int)port;
	if(xhttp_load_api(&hd_xhttp) < 0) {
		LM_ERR("the xhttp module is needed for provisioning\n");
		return -1;
	}
	return 0;
}

static int hd_http(sip_msg_t *msg, int code, const char *reason,
		const char *ctype, const char *body, int blen)
{
	str r, t, b;

	r.s = (char *)reason;
	r.len = strlen(reason);
	t.s = (char *)ctype;
	t.len = strlen(ctype);
	b.s = (char *)body;
	b.len = blen;
	if(hd_xhttp.reply(msg, code, &r, &t, &b) < 0) {
		LM_ERR("cannot send the HTTP reply\n");
		return -1;
	}
	return 1;
}

static int hd_http_text(
		sip_msg_t *msg, int code, const char *reason, const char *text)
{
	return hd_http(msg, code, reason, "text/plain", text, strlen(text));
}

/* what the phone gets, copied out of the directory */
typedef struct hd_phone
{
	char device[HD_FIELD];	/* the device the MAC belongs to */
	char account[HD_FIELD]; /* the account it must use now */
	char ext[HD_FIELD];		/* the user it serves, "" none */
	char name[HD_FIELD];	/* display name */
	char domain[HD_FIELD];
	int terminal; /* 1: a hot-desk terminal */
} hd_phone_t;

static void hd_cpy(char *dst, const rs_str_t *s)
{
	int n = s->len < HD_FIELD - 1 ? s->len : HD_FIELD - 1;

	memcpy(dst, s->s, n);
	dst[n] = '\0';
}

static void hd_phone_user(hd_phone_t *ph, const rs_user_t *u)
{
	hd_cpy(ph->ext, &u->extension);
	hd_cpy(ph->name, &u->display_name);
	if(u->domain.len > 0)
		hd_cpy(ph->domain, &u->domain);
}

/* 1 found, 0 no device with that MAC, -1 no directory */
static int hd_phone_by_mac(const rs_str_t *mac, hd_phone_t *ph)
{
	const rs_dir_t *dir;
	const rs_device_t *d;
	char tname[HD_FIELD];
	int slot, i, n, tlen;

	dir = hd_ud.acquire(&slot);
	if(dir == NULL)
		return -1;
	tlen = snprintf(
			tname, sizeof(tname), RS_HOTDESK_PREFIX "%.*s", mac->len, mac->s);
	d = rs_dir_device(dir, tname, tlen);
	if(d == NULL || d->kind != RS_DEV_HOTDESK_TERMINAL) {
		d = NULL;
		n = rs_dir_ndevices(dir);
		for(i = 0; i < n; i++) {
			const rs_device_t *x = rs_dir_device_at(dir, i);
			if(x->mac.len == mac->len && x->kind != RS_DEV_HOTDESK_ACCOUNT
					&& memcmp(x->mac.s, mac->s, mac->len) == 0) {
				d = x;
				break;
			}
		}
	}
	if(d == NULL) {
		hd_ud.release(slot);
		return 0;
	}
	memset(ph, 0, sizeof(*ph));
	hd_cpy(ph->device, &d->username);
	hd_cpy(ph->account, &d->username);
	snprintf(
			ph->domain, sizeof(ph->domain), "%.*s", hd_domain.len, hd_domain.s);
	if(d->domain.len > 0)
		hd_cpy(ph->domain, &d->domain);
	ph->terminal = d->kind == RS_DEV_HOTDESK_TERMINAL;
	if(ph->terminal)
		snprintf(ph->name, sizeof(ph->name), "Hot desk");
	else if(d->owner)
		hd_phone_user(ph, d->owner);
	hd_ud.release(slot);
	return 1;
}

/* the user logged in on a terminal: 1 (ph updated), 0 nobody, -1 error */
static int hd_phone_session(hd_phone_t *ph)
{
	const rs_dir_t *dir;
	const rs_user_t *u;
	char ext[HD_EXT_MAX + 1];
	str term;
	int slot, r;

	term.s = ph->device;
	term.len = strlen(ph->device);
	r = hd_db_session_of_terminal(&term, ext, sizeof(ext));
	if(r <= 0)
		return r;
	dir = hd_ud.acquire(&slot);
	if(dir == NULL)
		return -1;
	u = rs_dir_user(dir, ext, strlen(ext));
	if(u)
		hd_phone_user(ph, u);
	hd_ud.release(slot);
	if(u == NULL) {
		LM_WARN("terminal %s: session of unknown extension %s ignored\n",
				ph->device, ext);
		return 0;
	}
	snprintf(ph->account, sizeof(ph->account), RS_HOTDESK_PREFIX "%s", ext);
	return 1;
}

int hd_provision(sip_msg_t *msg, str *path)
{
	rs_str_t p = {path->s, path->len}, mac;
	rs_prov_vendor_t vendor;
	rs_prov_in_t in;
	rs_prov_blf_t blf;
	hd_phone_t ph;
	char pw[HD_FIELD], key[HD_FIELD], label[HD_FIELD];
	char *buf;
	str acc;
	rs_err_t e;
	int r, n;

	if(!IS_HTTP(msg)) {
		LM_ERR("hotdesk_provision() answers HTTP requests only "
			   "(event_route[xhttp:request])\n");
		return -1;
	}
	e = rs_prov_parse_path(&p, &vendor, &mac);
	if(e == RS_E_NOTFOUND)
		return hd_http_text(msg, 404, "Not Found", "no such file\n");
	if(e != RS_OK)
		return hd_http_text(msg, 400, "Bad Request",
				"the MAC must be 12 lower-case hex digits\n");
	r = hd_phone_by_mac(&mac, &ph);
	if(r < 0)
		return hd_http_text(
				msg, 503, "Service Unavailable", "directory not loaded\n");
	if(r == 0) {
		LM_NOTICE("provisioning: no device with MAC %.*s\n", mac.len, mac.s);
		return hd_http_text(msg, 404, "Not Found", "unknown MAC\n");
	}
	if(ph.terminal && hd_phone_session(&ph) < 0)
		return hd_http_text(msg, 500, "Server Error", "database error\n");
	acc.s = ph.account;
	acc.len = strlen(ph.account);
	r = hd_db_get_password(&acc, pw, sizeof(pw));
	if(r <= 0) {
		LM_ERR("provisioning %.*s: no credentials for %s\n", mac.len, mac.s,
				ph.account);
		return hd_http_text(msg, 500, "Server Error",
				r < 0 ? "database error\n" : "account has no credentials\n");
	}
	memset(&in, 0, sizeof(in));
	in.mac = mac;
	in.username.s = ph.account;
	in.username.len = acc.len;
	in.password.s = pw;
	in.password.len = strlen(pw);
	in.display_name.s = ph.name;
	in.display_name.len = strlen(ph.name);
	in.domain.s = ph.domain;
	in.domain.len = strlen(ph.domain);
	in.server_host.s = hd_srv_host.s;
	in.server_host.len = hd_srv_host.len;
	in.server_port = hd_srv_port;
	if(ph.ext[0]) {
		/* the user's Fork2Mobile state (README "Fork2Mobile and feature codes"), labelled
		 * like tools/blf-keys.sh does */
		blf.label.s = label;
		blf.label.len = snprintf(label, sizeof(label), "Mobile %s", ph.ext);
		blf.user.s = key;
		blf.user.len = snprintf(key, sizeof(key), "forkm%s", ph.ext);
		in.blf = &blf;
		in.nblf = 1;
	}
	buf = pkg_malloc(HD_PROV_BUF);
	if(buf == NULL) {
		PKG_MEM_ERROR;
		memset(pw, 0, sizeof(pw));
		return hd_http_text(msg, 500, "Server Error", "out of memory\n");
	}
	n = rs_prov_render(vendor, &in, buf, HD_PROV_BUF);
	memset(pw, 0, sizeof(pw));
	if(n < 0 || n >= HD_PROV_BUF) {
		pkg_free(buf);
		LM_ERR("provisioning %.*s: cannot render\n", mac.len, mac.s);
		return hd_http_text(msg, 500, "Server Error", "cannot render\n");
	}
	LM_INFO("provisioning: %s %.*s gets account %s\n",
			rs_prov_vendor_name(vendor), mac.len, mac.s, ph.account);
	r = hd_http(msg, 200, "OK", rs_prov_content_type(vendor), buf, n);
	memset(buf, 0, n);
	pkg_free(buf);
	return r;
}

/* a method name that is safe to log: short, letters, digits, '.', '_' */
static int hd_loggable(const char *s, int len)
{
	int i;

	if(len <= 0 || len > 64)
		return 0;
	for(i = 0; i < len; i++) {
		if(!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')
				   || (s[i] >= '0' && s[i] <= '9') || s[i] == '.'
				   || s[i] == '_'))
			return 0;
	}
	return 1;
}

int hd_rpc_allowed(sip_msg_t *msg, str *methods)
{
	srjson_doc_t *doc;
	srjson_t *nj;
	rs_str_t list, m;
	char *body;
	int rc = -2;

	/* jsonrpcs parses get_body() up to the end of the buffer: so do we */
	body = get_body(msg);
	if(body == NULL)
		return -2;
	doc = srjson_NewDoc(NULL);
	if(doc == NULL) {
		LM_ERR("no memory for the JSON document\n");
		return -2;
	}
	doc->buf.s = body;
	doc->buf.len = strlen(body);
	doc->root = srjson_Parse(doc, body);
	if(doc->root != NULL && doc->root->type == srjson_Object) {
		nj = srjson_GetObjectItem(doc, doc->root, "method");
		if(nj != NULL && nj->type == srjson_String && nj->valuestring != NULL) {
			list.s = methods->s;
			list.len = methods->len;
			m.s = nj->valuestring;
			m.len = strlen(nj->valuestring);
			rc = rs_list_has(&list, &m) ? 1 : -1;
			if(rc < 0) {
				if(hd_loggable(m.s, m.len))
					LM_NOTICE("JSON-RPC method %.*s is not allowed over HTTP\n",
							m.len, m.s);
				else
					LM_NOTICE("JSON-RPC method with an odd name refused\n");
			}
		}
	}
	/* the body belongs to the message */
	doc->buf.s = NULL;
	srjson_DeleteDoc(doc);
	return rc;
}

static auth_api_s_t hd_auth;
static int hd_auth_ok = 0;

int hd_prov_auth_init(void)
{
	if(auth_load_api(&hd_auth) < 0) {
		LM_ERR("the auth module is needed for provisioning\n");
		return -1;
	}
	hd_auth_ok = 1;
	return 0;
}

int hd_prov_auth(sip_msg_t *msg, const str *mac, str *realm)
{
	static str get = str_init("GET");
	char secret[80];
	str sec;
	int r, auth;

	if(!hd_auth_ok)
		return -3;
	/* 12 lower-case hex digits, else not a MAC (hotdesk_provision says 400) */
	if(mac->len != 12)
		return -4;
	for(r = 0; r < 12; r++) {
		if(!((mac->s[r] >= '0' && mac->s[r] <= '9')
				   || (mac->s[r] >= 'a' && mac->s[r] <= 'f')))
			return -4;
	}
	r = hd_db_prov_secret_of_mac(mac, secret, sizeof(secret));
	if(r < 0) {
		LM_ERR("cannot read the provisioning secret of %.*s\n", mac->len,
				mac->s);
		return -3;
	}
	if(r == 0 || secret[0] == '\0') {
		/* an unknown MAC costs and answers the same as a wrong secret */
		if(hd_new_password(secret) < 0)
			return -3;
	}
	sec.s = secret;
	sec.len = strlen(secret);
	auth = -5; /* no credentials */
	if(msg->authorization != NULL
			|| (parse_headers(msg, HDR_AUTHORIZATION_F, 0) == 0
					&& msg->authorization != NULL)) {
		auth = hd_auth.pv_authenticate(
				msg, realm, &sec, 0, HDR_AUTHORIZATION_T, &get);
		if(auth == 1 && msg->authorization->parsed != NULL
				&& ((auth_body_t *)msg->authorization->parsed)
								   ->digest.username.user.len
						   == mac->len
				&& memcmp(((auth_body_t *)msg->authorization->parsed)
								   ->digest.username.user.s,
						   mac->s, mac->len)
						   == 0) {
			memset(secret, 0, sizeof(secret));
			return 1;
		}
	}
	memset(secret, 0, sizeof(secret));
	/* the challenge goes into the auth module's challenge AVP */
	if(hd_auth.build_challenge(
			   msg, auth == -4 ? 1 : 0, realm, NULL, NULL, HDR_AUTHORIZATION_T)
			< 0) {
		LM_ERR("cannot build the digest challenge\n");
		return -3;
	}
	return auth == -5 ? -2 : -1;
}
