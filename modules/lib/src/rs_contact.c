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

/* where a registration's Contact may point (rs_contact.h) */

#include <arpa/inet.h>
#include <string.h>

#include "rs_contact.h"

/* the address of an IP literal, brackets of IPv6 allowed: AF_INET (an
 * IPv4-mapped IPv6 one too), AF_INET6, or 0 for a name or anything else */
static int ip_parse(const rs_str_t *host, unsigned char a[16])
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *s;
	int len;

	if(host == NULL || host->s == NULL || host->len <= 0)
		return 0;
	s = host->s;
	len = host->len;
	if(len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if(len <= 0 || len >= (int)sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if(inet_pton(AF_INET, buf, a) == 1)
		return AF_INET;
	if(inet_pton(AF_INET6, buf, a) != 1)
		return 0;
	/* an IPv4-mapped address (::ffff:a.b.c.d) is that IPv4 address */
	if(memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(a, a + 12, 4);
		return AF_INET;
	}
	return AF_INET6;
}

static int v4_private(const unsigned char *a, rs_addr_use_t use)
{
	if(a[0] == 10 || (a[0] == 192 && a[1] == 168)
			|| (a[0] == 172 && (a[1] & 0xf0) == 16))
		return 1;
	if(use != RS_ADDR_SOURCE)
		return 0;
	/* loopback; carrier-grade NAT (RFC 6598) */
	return a[0] == 127 || (a[0] == 100 && (a[1] & 0xc0) == 64);
}

int rs_addr_private(const rs_str_t *host, rs_addr_use_t use)
{
	static const unsigned char loop6[16] = {[15] = 1};
	unsigned char a[16];

	switch(ip_parse(host, a)) {
		case AF_INET:
			return v4_private(a, use);
		case AF_INET6:
			/* unique local fc00::/7, link local fe80::/10 */
			if((a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
				return 1;
			return use == RS_ADDR_SOURCE && memcmp(a, loop6, 16) == 0;
		default:
			return 0;
	}
}

int rs_host_eq(const rs_str_t *a, const rs_str_t *b)
{
	unsigned char x[16], y[16];
	int fx, fy, i;

	if(a == NULL || b == NULL || a->s == NULL || b->s == NULL || a->len <= 0
			|| b->len <= 0)
		return 0;
	fx = ip_parse(a, x);
	fy = ip_parse(b, y);
	if(fx != 0 || fy != 0)
		return fx == fy && memcmp(x, y, fx == AF_INET ? 4 : 16) == 0;
	if(a->len != b->len)
		return 0;
	for(i = 0; i < a->len; i++) {
		char c = a->s[i], d = b->s[i];
		if(c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if(d >= 'A' && d <= 'Z')
			d = (char)(d - 'A' + 'a');
		if(c != d)
			return 0;
	}
	return 1;
}

rs_contact_verdict_t rs_contact_check(const rs_str_t *src,
		const rs_str_t *host, int port, const rs_str_t *peers, int npeers,
		const rs_str_t *self_host, int self_port)
{
	int i;

	if(port <= 0)
		port = 5060;
	for(i = 0; i < npeers; i++)
		if(rs_host_eq(host, &peers[i]))
			return RS_CONTACT_TRUSTED_PEER;
	if(port == (self_port > 0 ? self_port : 5060)
			&& rs_host_eq(host, self_host))
		return RS_CONTACT_TRUSTED_PEER;
	if(!rs_addr_private(src, RS_ADDR_SOURCE)
			&& !rs_addr_private(host, RS_ADDR_CONTACT)
			&& !rs_host_eq(host, src))
		return RS_CONTACT_OTHER_HOST;
	return RS_CONTACT_OK;
}

long rs_reg_want(long asked, long min, long max)
{
	long want = asked > max ? max : asked;

	return want < min || want <= 0 ? -1 : want;
}

int rs_reg_fresh(long left, long want)
{
	return want > 0 && left > want / 2 && left <= want;
}
