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

/* userdev_contact_check(): where a registration's Contact may point
 * (ud_contact.h); the policy is lib rs_contact_check() */

#include <string.h>

#include "../../core/dprint.h"
#include "../../core/ip_addr.h"
#include "../../core/mem/mem.h"
#include "../../core/parser/contact/parse_contact.h"
#include "../../core/parser/parse_uri.h"

#include "rs_contact.h"
#include "ud_contact.h"

/* a peer or Ringset itself: the host and port of a constant URI */
typedef struct ud_peer
{
	rs_str_t host;
	int port;
	char buf[];
} ud_peer_t;

int ud_contact_fixup(void **param, int param_no)
{
	struct sip_uri u;
	ud_peer_t *p;
	char *s = (char *)*param;
	int len = s ? (int)strlen(s) : 0;

	if(len == 0 || parse_uri(s, len, &u) < 0 || u.host.len <= 0) {
		LM_ERR("userdev_contact_check: parameter %d '%s' is not a SIP URI\n",
				param_no, s ? s : "");
		return E_CFG;
	}
	p = pkg_malloc(sizeof(*p) + u.host.len);
	if(p == NULL) {
		PKG_MEM_ERROR;
		return E_CFG;
	}
	memcpy(p->buf, u.host.s, u.host.len);
	p->host.s = p->buf;
	p->host.len = u.host.len;
	p->port = u.port_no;
	*param = p;
	return 0;
}

int ud_contact_fixup_free(void **param, int param_no)
{
	if(*param)
		pkg_free(*param);
	*param = NULL;
	return 0;
}

int w_userdev_contact_check(sip_msg_t *msg, char *gw, char *media, char *self)
{
	rs_str_t peers[2], src, host;
	const ud_peer_t *me = (const ud_peer_t *)self;
	contact_body_t *cb;
	struct sip_uri u;
	hdr_field_t *hf, *first = NULL;
	char *ip;
	int n = 0;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0)
		return 1; /* save() refuses what does not parse */
	for(hf = msg->contact; hf; hf = next_sibling_hdr(hf)) {
		if(first == NULL)
			first = hf;
		n++;
	}
	if(n == 0)
		return 1;
	if(n > 1)
		return -1;
	if(parse_contact(first) < 0 || first->parsed == NULL)
		return 1;
	cb = (contact_body_t *)first->parsed;
	if(cb->star || cb->contacts == NULL)
		return 1;
	if(cb->contacts->next != NULL)
		return -1;
	if(parse_uri(cb->contacts->uri.s, cb->contacts->uri.len, &u) < 0)
		return 1;
	peers[0] = ((const ud_peer_t *)gw)->host;
	peers[1] = ((const ud_peer_t *)media)->host;
	ip = ip_addr2a(&msg->rcv.src_ip);
	src.s = ip;
	src.len = ip ? (int)strlen(ip) : 0;
	host.s = u.host.s;
	host.len = u.host.len;
	switch(rs_contact_check(&src, &host, u.port_no, peers, 2, &me->host,
			me->port)) {
		case RS_CONTACT_OK:
			return 1;
		case RS_CONTACT_TRUSTED_PEER:
			return -2;
		default:
			return -3;
	}
}
