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
 * Where a registration's Contact may point (README "Security"): not at a
 * trusted peer (the gateway, the media server: Ringset would send the
 * device's calls there as if it trusted them) nor at Ringset itself, and,
 * from a public source address, only at that address or at a private one
 * (a phone behind NAT registers its private address; the source is used
 * instead). One call per REGISTER instead of three regular expressions and
 * a dozen cfg statements.
 */

#ifndef RS_CONTACT_H
#define RS_CONTACT_H

#include "rs_common.h"

typedef enum
{
	RS_CONTACT_OK = 0,
	RS_CONTACT_TRUSTED_PEER = 1, /* at a peer, or at Ringset's own socket */
	RS_CONTACT_OTHER_HOST = 2	 /* a public source, another public host */
} rs_contact_verdict_t;

/* what an address is private for: a source, or a Contact's host */
typedef enum
{
	RS_ADDR_SOURCE = 0,	 /* RFC 1918, loopback, CGNAT 100.64/10, ::1, fc00::/7, fe80::/10 */
	RS_ADDR_CONTACT = 1 /* RFC 1918, fc00::/7, fe80::/10: not loopback, not CGNAT */
} rs_addr_use_t;

/*
 * 1 if host is an IPv4 or IPv6 literal (an IPv6 one with or without its
 * brackets) in a private range for use, 0 for a public address or a name.
 */
int rs_addr_private(const rs_str_t *host, rs_addr_use_t use);

/*
 * 1 if a and b name the same host: equal bytes, or the same IP address
 * (IPv6 with or without brackets, any spelling); names compare ASCII
 * case-insensitively.
 */
int rs_host_eq(const rs_str_t *a, const rs_str_t *b);

/*
 * The verdict on a Contact at host:port (port 0: none given, 5060)
 * registered from source address src. peers (npeers of them) are hosts at
 * which no Contact may point, on any port; self_host:self_port is
 * Ringset's own SIP socket.
 */
rs_contact_verdict_t rs_contact_check(const rs_str_t *src,
		const rs_str_t *host, int port, const rs_str_t *peers, int npeers,
		const rs_str_t *self_host, int self_port);

/*
 * A REGISTER that only refreshes a binding is answered from memory while
 * more than half of the time it asks for is left (README "Several
 * nodes": no save(), no database write, no DMQ). rs_reg_want() is the time
 * a REGISTER asking for asked seconds gets: asked bounded by max, or -1
 * when it is below min (Expires 0, a refusal: save() must see it).
 * rs_reg_fresh() is 1 when a binding with left seconds to live needs no
 * save for a REGISTER that gets want: more than want / 2 left, and no more
 * than want (a shorter Expires than what is left changes the binding).
 */
long rs_reg_want(long asked, long min, long max);
int rs_reg_fresh(long left, long want);

#endif /* RS_CONTACT_H */
