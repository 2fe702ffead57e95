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
 * Message waiting (RFC 3842): after every change of a mailbox, a PUBLISH
 * of message-summary for sip:<ext>@<domain> to Ringset, whose presence
 * server (presence_mwi) NOTIFYs the phones that subscribed. A mailbox's
 * publication is refreshed with its SIP-ETag (SIP-If-Match), so presence
 * holds one publication per mailbox; a 412 starts a new one.
 */

#include <stdio.h>
#include <string.h>

#include "rm_daemon.h"
#include "rm_proto.h"

#define RM_MWI_MAX 256
/* publications live 3600 s (Expires); refreshed well before */
#define RM_MWI_EXPIRES 3600
#define RM_MWI_REFRESH_MS (3000 * 1000)

struct rm_pub
{
	char ext[65];
	char etag[128];
	int nnew, nsaved;
	bool retry;
	struct tmr refresh;
};

static struct rm_pub rm_pubs[RM_MWI_MAX];

static struct rm_pub *rm_pub_of(const char *ext)
{
	int i, free_i = -1;

	for(i = 0; i < RM_MWI_MAX; i++) {
		if(!strcmp(rm_pubs[i].ext, ext))
			return &rm_pubs[i];
		if(free_i < 0 && !rm_pubs[i].ext[0])
			free_i = i;
	}
	if(free_i < 0)
		free_i = (int)(rand_u32() % RM_MWI_MAX); /* reuse one: new ETag */
	tmr_cancel(&rm_pubs[free_i].refresh);
	memset(&rm_pubs[free_i], 0, sizeof(rm_pubs[free_i]));
	snprintf(rm_pubs[free_i].ext, sizeof(rm_pubs[free_i].ext), "%s", ext);
	return &rm_pubs[free_i];
}

static int rm_mwi_send(struct rm_pub *p);

static void rm_mwi_refresh(void *arg)
{
	struct rm_pub *p = arg;

	rm_mwi_publish(p->ext);
}

static void rm_mwi_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct rm_pub *p = arg;
	const struct sip_hdr *h;

	if(err || !msg) {
		RM_ERR("MWI PUBLISH for %s: %s\n", p->ext, strerror(err));
		return;
	}
	if(msg->scode >= 200 && msg->scode < 300) {
		h = sip_msg_xhdr(msg, "SIP-ETag");
		if(h)
			pl_strcpy(&h->val, p->etag, sizeof(p->etag));
		RM_INFO("MWI %s: %d new, %d saved, published (%u)\n", p->ext, p->nnew,
				p->nsaved, msg->scode);
		if(!rm.stopping)
			tmr_start(&p->refresh, RM_MWI_REFRESH_MS, rm_mwi_refresh, p);
		return;
	}
	if(msg->scode == 412 && p->etag[0] && !p->retry) {
		/* presence forgot our publication: a new one */
		p->etag[0] = '\0';
		p->retry = true;
		(void)rm_mwi_send(p);
		return;
	}
	RM_ERR("MWI PUBLISH for %s: %u %r\n", p->ext, msg->scode, &msg->reason);
}

static int rm_mwi_send(struct rm_pub *p)
{
	static char route_s[128];
	static struct uri route;
	char uri[256], body[512], ifm[160] = "";
	struct pl pl;
	int err;

	re_snprintf(route_s, sizeof(route_s), "sip:%J;lr", &rm.cfg.proxy);
	pl_set_str(&pl, route_s);
	if(uri_decode(&route, &pl))
		return EINVAL;
	snprintf(uri, sizeof(uri), "sip:%s@%s", p->ext, rm.cfg.domain);
	rm_mwi_body(body, sizeof(body), uri, p->nnew, p->nsaved);
	if(p->etag[0])
		snprintf(ifm, sizeof(ifm), "SIP-If-Match: %s\r\n", p->etag);
	err = sip_requestf(NULL, rm.sip, true, "PUBLISH", uri, &route, NULL, NULL,
			rm_mwi_resp, p,
			"To: <%s>\r\n"
			"From: <%s>;tag=%x\r\n"
			"Call-ID: %x%x@ringset-media\r\n"
			"CSeq: 1 PUBLISH\r\n"
			"Event: message-summary\r\n"
			"Expires: %d\r\n"
			"%s"
			"Content-Type: application/simple-message-summary\r\n"
			"Content-Length: %zu\r\n"
			"\r\n"
			"%s",
			uri, uri, rand_u32(), rand_u32(), rand_u32(), RM_MWI_EXPIRES, ifm,
			strlen(body), body);
	if(err)
		RM_ERR("MWI PUBLISH for %s: %s\n", p->ext, strerror(err));
	return err;
}

void rm_mwi_publish(const char *ext)
{
	struct rm_pub *p;
	int nnew, nsaved;

	if(!rm.cfg.db_url[0] || rm_db_vm_counts(ext, &nnew, &nsaved))
		return;
	p = rm_pub_of(ext);
	p->nnew = nnew;
	p->nsaved = nsaved;
	p->retry = false;
	(void)rm_mwi_send(p);
}

void rm_mwi_publish_all(void)
{
	char ext[RM_MWI_MAX][65];
	int i, n;

	if(!rm.cfg.db_url[0])
		return;
	n = rm_db_vm_mailboxes(ext, RM_MWI_MAX);
	for(i = 0; i < n; i++)
		rm_mwi_publish(ext[i]);
	if(n > 0)
		RM_INFO("MWI: %d mailboxes with messages published\n", n);
}

void rm_mwi_stop(void)
{
	int i;

	for(i = 0; i < RM_MWI_MAX; i++)
		tmr_cancel(&rm_pubs[i].refresh);
}
