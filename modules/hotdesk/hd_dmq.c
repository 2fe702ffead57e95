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
 * With several nodes (README "Several nodes") a wrong PIN counts on every node: each
 * failure and each clear (the right PIN, hotdesk.unlock) of a lockout key
 * is broadcast over the stock dmq module as one text line, "fail <key>" or
 * "clear <key>" (rs_lockmsg.c), and applied to the receiving node's table as if it had
 * happened there (at the time it arrives, a few ms later). A node that
 * starts sends "sync" (dmq's init callback, once it knows the others); each
 * node answers with the state of every key it counts, "state <key> ...",
 * several lines per message, which the new node merges (failing closed: the
 * larger count, the later lock).
 */

#include <string.h>

#include "../../core/dprint.h"
#include "../../core/parser/msg_parser.h"
#include "../../core/parser/parse_content.h"
#include "../dmq/bind_dmq.h"

#include "rs_lockout.h"
#include "rs_lockmsg.h"
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

/* the state lines of every key this node counts, to node, in messages of
 * at most HD_DMQ_BATCH bytes */
#define HD_DMQ_BATCH 1200
static void hd_dmq_flush(dmq_node_t *node, char *buf, int *len)
{
	str body;

	if(*len <= 0)
		return;
	body.s = buf;
	body.len = *len;
	if(hd_dmqb.send_message(
			   hd_dmq_peer, &body, node, &hd_dmq_resp_cb, 1, &hd_dmq_ctype)
			< 0)
		LM_WARN("cannot send the lockouts to a starting node\n");
	*len = 0;
}

static void hd_dmq_send_states(dmq_node_t *node)
{
	char buf[HD_DMQ_BATCH + RS_LOCKMSG_STATE_MAX + 2];
	rs_lockout_entry_t e;
	int cursor = 0, len = 0, n, sent = 0;

	while(hd_lockout_next(&cursor, &e)) {
		/* len < HD_DMQ_BATCH here: a whole line and its LF fit */
		n = rs_lockmsg_format_state(buf + len, sizeof(buf) - len - 1, &e);
		if(n <= 0)
			continue;
		len += n;
		buf[len++] = '\n';
		sent++;
		if(len >= HD_DMQ_BATCH)
			hd_dmq_flush(node, buf, &len);
	}
	hd_dmq_flush(node, buf, &len);
	LM_INFO("a node started: the state of %d hot-desk lockout keys sent to "
			"it\n",
			sent);
}

/* one line of a message: a failure, a clear, a state or the sync request */
static int hd_dmq_line(const char *line, int len, dmq_node_t *node)
{
	rs_lockmsg_op_t op;
	rs_lockout_entry_t e;
	rs_str_t key;

	if(rs_lockmsg_is_sync(line, len)) {
		if(node)
			hd_dmq_send_states(node);
		return 0;
	}
	if(rs_lockmsg_parse_state(line, len, &e) == RS_OK) {
		hd_lockout_merge(&e);
		return 0;
	}
	if(rs_lockmsg_parse(line, len, &op, &key) != RS_OK)
		return -1;
	hd_lockout_apply(&key, op == RS_LOCKMSG_FAIL);
	return 0;
}

static int hd_dmq_handle(
		struct sip_msg *msg, peer_reponse_t *resp, dmq_node_t *node)
{
	char *body, *p, *nl, *end;
	int len, bad = 0;

	resp->resp_code = 400;
	resp->reason = hd_dmq_400;
	body = get_body(msg);
	len = body ? get_content_length(msg) : 0;
	if(len <= 0) {
		LM_WARN("hotdesk DMQ message without a body\n");
		return 0;
	}
	for(p = body, end = body + len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if(nl == NULL)
			nl = end;
		if(nl > p && hd_dmq_line(p, (int)(nl - p), node) < 0)
			bad++;
	}
	if(bad) {
		LM_WARN("hotdesk DMQ message: %d lines not understood (%d bytes)\n",
				bad, len);
		return 0;
	}
	resp->resp_code = 200;
	resp->reason = hd_dmq_200;
	return 0;
}

/* dmq calls this once this node knows the others (at start) */
static int hd_dmq_init_cb(void)
{
	str body = str_init(RS_LOCKMSG_SYNC);

	if(hd_dmqb.bcast_message(
			   hd_dmq_peer, &body, NULL, &hd_dmq_resp_cb, 1, &hd_dmq_ctype)
			< 0)
		LM_WARN("cannot ask the other nodes for their hot-desk lockouts\n");
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
	p.init_callback = hd_dmq_init_cb;
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

static void hd_dmq_send(rs_lockmsg_op_t op, const rs_str_t *key)
{
	char buf[RS_LOCKMSG_MAX + 1];
	str body;
	int n;

	if(hd_dmq_peer == NULL)
		return;
	n = rs_lockmsg_format(buf, sizeof(buf), op, key);
	if(n <= 0)
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
	hd_dmq_send(RS_LOCKMSG_FAIL, key);
}

void hd_dmq_clear(const rs_str_t *key)
{
	hd_dmq_send(RS_LOCKMSG_CLEAR, key);
}
