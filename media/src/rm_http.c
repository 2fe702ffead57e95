/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2026 The Ringset authors
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
 * JSON-RPC over HTTP: one POST per request, "Connection: close", from the
 * media server's own address (Ringset accepts /RPC only from there). The
 * answer is read to the end of the connection, with a 5 s deadline.
 */

#define _GNU_SOURCE
#include <string.h>

#include "rm_daemon.h"

#define RM_RPC_TIMEOUT_MS 5000
#define RM_RPC_MAX 65536

struct rm_rpc
{
	struct tcp_conn *tc;
	struct mbuf *req, *resp;
	struct tmr tmr;
	rm_rpc_h *h;
	void *arg;
	bool done;
	int err;
};

static void rm_rpc_destructor(void *arg)
{
	struct rm_rpc *r = arg;

	tmr_cancel(&r->tmr);
	mem_deref(r->tc);
	mem_deref(r->req);
	mem_deref(r->resp);
}

/* the answer goes to the handler from a timer of its own, not from inside
 * a TCP handler: the handler may free the request, connection and all */
static void rm_rpc_deliver(void *arg)
{
	struct rm_rpc *r = arg;
	struct pl ver, code;
	const char *p, *b;
	size_t len;
	int status = 0, err = r->err;

	r->tc = mem_deref(r->tc);
	if(!err && r->resp) {
		p = (const char *)r->resp->buf;
		len = r->resp->end;
		b = memmem(p, len, "\r\n\r\n", 4);
		RM_DBG("JSON-RPC answer: %zu bytes\n", len);
		if(re_regex(p, len, "HTTP/[^ ]+ [0-9]+", &ver, &code) || !b)
			err = EBADMSG;
		else {
			status = pl_u32(&code);
			b += 4;
			r->h(0, status, b, len - (size_t)(b - p), r->arg);
			return;
		}
	}
	r->h(err ? err : EBADMSG, status, NULL, 0, r->arg);
}

static void rm_rpc_finish(struct rm_rpc *r, int err)
{
	if(r->done)
		return;
	r->done = true;
	r->err = err;
	tmr_start(&r->tmr, 0, rm_rpc_deliver, r);
}

static void rm_rpc_estab(void *arg)
{
	struct rm_rpc *r = arg;
	int err;

	r->req->pos = 0;
	err = tcp_send(r->tc, r->req);
	if(err)
		rm_rpc_finish(r, err);
}

static void rm_rpc_recv(struct mbuf *mb, void *arg)
{
	struct rm_rpc *r = arg;

	if(!r->resp)
		r->resp = mbuf_alloc(1024);
	if(!r->resp || r->resp->end + mbuf_get_left(mb) > RM_RPC_MAX) {
		rm_rpc_finish(r, EOVERFLOW);
		return;
	}
	(void)mbuf_write_mem(r->resp, mbuf_buf(mb), mbuf_get_left(mb));
	/* complete once the body has its Content-Length: a server may keep
	 * the connection open despite "Connection: close" (Kamailio does) */
	{
		const char *p = (const char *)r->resp->buf, *b;
		size_t len = r->resp->end;
		struct pl cl;

		b = memmem(p, len, "\r\n\r\n", 4);
		if(b
				&& !re_regex(p, (size_t)(b - p), "Content-Length:[ \t]*[0-9]+",
						NULL, &cl)
				&& len - (size_t)(b + 4 - p) >= pl_u32(&cl))
			rm_rpc_finish(r, 0);
	}
}

static void rm_rpc_close(int err, void *arg)
{
	struct rm_rpc *r = arg;

	/* the server closes after the answer: that is the end of it */
	rm_rpc_finish(r, r->resp && r->resp->end ? 0 : (err ? err : EPIPE));
}

static void rm_rpc_timeout(void *arg)
{
	rm_rpc_finish(arg, ETIMEDOUT);
}

int rm_rpc_post(struct rm_rpc **rpcp, const char *body, rm_rpc_h *h, void *arg)
{
	struct pl host, port, path;
	struct rm_rpc *r;
	struct sa peer, local;
	int err;

	if(re_regex(rm.cfg.rpc_url, strlen(rm.cfg.rpc_url),
			   "http://[^:/]+:[0-9]+[^]*", &host, &port, &path))
		return EINVAL;
	err = sa_set(&peer, &host, (uint16_t)pl_u32(&port));
	if(err)
		return err;
	r = mem_zalloc(sizeof(*r), rm_rpc_destructor);
	if(!r)
		return ENOMEM;
	r->h = h;
	r->arg = arg;
	r->req = mbuf_alloc(512 + strlen(body));
	if(!r->req) {
		err = ENOMEM;
		goto out;
	}
	err = mbuf_printf(r->req,
			"POST %r HTTP/1.1\r\n"
			"Host: %r:%r\r\n"
			"Content-Type: application/json\r\n"
			"Content-Length: %zu\r\n"
			"Connection: close\r\n"
			"\r\n"
			"%s",
			pl_isset(&path) ? &path : &(struct pl)PL("/"), &host, &port,
			strlen(body), body);
	if(err)
		goto out;
	sa_cpy(&local, &rm.cfg.sip_addr);
	sa_set_port(&local, 0);
	err = tcp_connect_bind(
			&r->tc, &peer, rm_rpc_estab, rm_rpc_recv, rm_rpc_close, &local, r);
	if(err)
		goto out;
	tmr_start(&r->tmr, RM_RPC_TIMEOUT_MS, rm_rpc_timeout, r);
out:
	if(err)
		mem_deref(r);
	else
		*rpcp = r;
	return err;
}
