/*
 * Ringset - hotdesk module: wrong-PIN lockouts shared with the other nodes
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * With several nodes (PRODUCT.md §14) a wrong PIN counts on every node: each
 * failure and each clear (the right PIN, hotdesk.unlock) of a lockout key
 * is broadcast over the stock dmq module as one text line, "fail <key>" or
 * "clear <key>", and applied to the receiving node's table as if it had
 * happened there (at the time it arrives, a few ms later).
 */

#include <string.h>
#include <stdio.h>

#include "../../core/dprint.h"
#include "../../core/parser/msg_parser.h"
#include "../../core/parser/parse_content.h"
#include "../dmq/bind_dmq.h"

#include "rs_lockout.h"
#include "hd_ops.h"
#include "hd_dmq.h"

static dmq_api_t hd_dmqb;
static dmq_peer_t *hd_dmq_peer = NULL;
static str hd_dmq_ctype = str_init("text/plain");
static str hd_dmq_200 = str_init("OK");
static str hd_dmq_400 = str_init("Bad Request");

static int hd_dmq_resp(
		struct sip_msg *msg, int code, dmq_node_t *node, void *param)
{
	return 0;
}
static dmq_resp_cback_t hd_dmq_resp_cb = {&hd_dmq_resp, 0};

/* a key as the lockout table takes it: printable, no blanks */
static int hd_dmq_key_ok(const char *s, int len)
{
	int i;

	if(len <= 0 || len > RS_LOCKOUT_KEY_MAX)
		return 0;
	for(i = 0; i < len; i++)
		if((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

static int hd_dmq_handle(
		struct sip_msg *msg, peer_reponse_t *resp, dmq_node_t *node)
{
	str body;
	rs_str_t key;
	int fail;

	resp->resp_code = 400;
	resp->reason = hd_dmq_400;
	body.s = get_body(msg);
	body.len = body.s ? get_content_length(msg) : 0;
	while(body.len > 0
			&& (body.s[body.len - 1] == '\n' || body.s[body.len - 1] == '\r'))
		body.len--;
	if(body.len > 5 && memcmp(body.s, "fail ", 5) == 0) {
		fail = 1;
		key.s = body.s + 5;
		key.len = body.len - 5;
	} else if(body.len > 6 && memcmp(body.s, "clear ", 6) == 0) {
		fail = 0;
		key.s = body.s + 6;
		key.len = body.len - 6;
	} else {
		LM_WARN("hotdesk DMQ message not understood (%d bytes)\n", body.len);
		return 0;
	}
	if(!hd_dmq_key_ok(key.s, key.len)) {
		LM_WARN("hotdesk DMQ message with a bad key\n");
		return 0;
	}
	hd_lockout_apply(&key, fail);
	resp->resp_code = 200;
	resp->reason = hd_dmq_200;
	return 0;
}

int hd_dmq_init(void)
{
	dmq_peer_t p;

	if(dmq_load_api(&hd_dmqb) != 0) {
		LM_ERR("lockout_dmq is set: the dmq module is needed\n");
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.callback = hd_dmq_handle;
	p.init_callback = NULL;
	p.description.s = "hotdesk";
	p.description.len = 7;
	p.peer_id.s = "hotdesk";
	p.peer_id.len = 7;
	hd_dmq_peer = hd_dmqb.register_dmq_peer(&p);
	if(hd_dmq_peer == NULL) {
		LM_ERR("cannot register the hotdesk DMQ peer\n");
		return -1;
	}
	return 0;
}

static void hd_dmq_send(const char *what, const rs_str_t *key)
{
	char buf[RS_LOCKOUT_KEY_MAX + 16];
	str body;
	int n;

	if(hd_dmq_peer == NULL || !hd_dmq_key_ok(key->s, key->len))
		return;
	n = snprintf(buf, sizeof(buf), "%s %.*s", what, key->len, key->s);
	if(n <= 0 || n >= (int)sizeof(buf))
		return;
	body.s = buf;
	body.len = n;
	if(hd_dmqb.bcast_message(
			   hd_dmq_peer, &body, NULL, &hd_dmq_resp_cb, 1, &hd_dmq_ctype)
			< 0)
		LM_WARN("cannot tell the other nodes about a hot-desk lockout\n");
}

void hd_dmq_fail(const rs_str_t *key)
{
	hd_dmq_send("fail", key);
}

void hd_dmq_clear(const rs_str_t *key)
{
	hd_dmq_send("clear", key);
}
