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

/* tests of rs_contact.c: where a registration's Contact may point */

#include "unit.h"
#include "rs_contact.h"

static void test_addr_private(void)
{
	static const struct
	{
		const char *host;
		int source; /* private as a source */
		int contact; /* private as a Contact's host */
	} tab[] = {
			{"10.1.2.3", 1, 1},
			{"192.168.0.9", 1, 1},
			{"172.16.0.1", 1, 1},
			{"172.31.255.255", 1, 1},
			{"172.15.0.1", 0, 0},
			{"172.32.0.1", 0, 0},
			{"127.0.0.1", 1, 0},
			{"100.64.0.1", 1, 0},
			{"100.127.255.1", 1, 0},
			{"100.128.0.1", 0, 0},
			{"100.63.0.1", 0, 0},
			{"198.51.100.7", 0, 0},
			{"fd00::1", 1, 1},
			{"[fd00::1]", 1, 1},
			{"FC00::1", 1, 1},
			{"fe80::1", 1, 1},
			{"[fe80::1%eth0]", 0, 0}, /* a zone is no address */
			{"febf::1", 1, 1},
			{"fec0::1", 0, 0},
			{"::1", 1, 0},
			{"[::1]", 1, 0},
			{"::ffff:10.0.0.1", 1, 1},
			{"::ffff:127.0.0.1", 1, 0},
			{"2001:db8::1", 0, 0},
			/* names are never private: the old regular expression took
			 * any name that began with "fc" or "fd" for a ULA */
			{"fdqn.example.com", 0, 0},
			{"fcc.gov", 0, 0},
			{"10.example.com", 0, 0},
			{"localhost", 0, 0},
			{"", 0, 0},
			{"[]", 0, 0},
			{"10.0.0.256", 0, 0},
	};
	size_t i;
	rs_str_t h;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		h = ut_s(tab[i].host);
		CU_ASSERT_EQUAL(rs_addr_private(&h, RS_ADDR_SOURCE), tab[i].source);
		CU_ASSERT_EQUAL(rs_addr_private(&h, RS_ADDR_CONTACT), tab[i].contact);
	}
	CU_ASSERT_EQUAL(rs_addr_private(NULL, RS_ADDR_SOURCE), 0);
}

static void test_host_eq(void)
{
	rs_str_t a, b;

	a = ut_s("198.51.100.7");
	b = ut_s("198.51.100.7");
	CU_ASSERT_EQUAL(rs_host_eq(&a, &b), 1);
	b = ut_s("198.51.100.70");
	CU_ASSERT_EQUAL(rs_host_eq(&a, &b), 0);
	a = ut_s("[2001:db8::1]");
	b = ut_s("2001:0db8:0:0::1");
	CU_ASSERT_EQUAL(rs_host_eq(&a, &b), 1);
	/* an IPv4-mapped IPv6 address is its IPv4 address */
	a = ut_s("[::ffff:127.0.0.4]");
	b = ut_s("127.0.0.4");
	CU_ASSERT_EQUAL(rs_host_eq(&a, &b), 1);
	a = ut_s("PBX.example.com");
	b = ut_s("pbx.EXAMPLE.com");
	CU_ASSERT_EQUAL(rs_host_eq(&a, &b), 1);
	b = ut_s("pbx.example.co");
	CU_ASSERT_EQUAL(rs_host_eq(&a, &b), 0);
	/* an address and a name are never the same host */
	a = ut_s("127.0.0.1");
	b = ut_s("localhost");
	CU_ASSERT_EQUAL(rs_host_eq(&a, &b), 0);
	a = ut_s("");
	b = ut_s("");
	CU_ASSERT_EQUAL(rs_host_eq(&a, &b), 0);
	CU_ASSERT_EQUAL(rs_host_eq(NULL, &b), 0);
}

static void test_contact_check(void)
{
	rs_str_t peers[2], self, src, host;

	peers[0] = ut_s("127.0.0.4"); /* the gateway */
	peers[1] = ut_s("127.0.0.3"); /* the media server */
	self = ut_s("127.0.0.1");
	/* a phone on the LAN, its own Contact */
	src = ut_s("127.0.0.20");
	host = ut_s("127.0.0.20");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5062, peers, 2, &self, 5060),
			RS_CONTACT_OK);
	/* at the gateway or the media server, on any port */
	host = ut_s("127.0.0.4");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5999, peers, 2, &self, 5060),
			RS_CONTACT_TRUSTED_PEER);
	host = ut_s("127.0.0.3");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 0, peers, 2, &self, 5060),
			RS_CONTACT_TRUSTED_PEER);
	/* at Ringset's own socket (no port: 5060), not at another port of it */
	host = ut_s("127.0.0.1");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 0, peers, 2, &self, 5060),
			RS_CONTACT_TRUSTED_PEER);
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5070, peers, 2, &self, 5060),
			RS_CONTACT_OK);
	/* from a public address: itself, or a private one behind NAT */
	src = ut_s("198.51.100.7");
	host = ut_s("198.51.100.7");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_OK);
	host = ut_s("192.168.1.20");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_OK);
	/* another public host, a name, loopback, CGNAT: elsewhere */
	host = ut_s("203.0.113.9");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_OTHER_HOST);
	host = ut_s("fdqn.example.com");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_OTHER_HOST);
	host = ut_s("127.0.0.1");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5070, peers, 2, &self, 5060),
			RS_CONTACT_OTHER_HOST);
	host = ut_s("100.64.0.1");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_OTHER_HOST);
	host = ut_s("");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_OTHER_HOST);
	/* IPv6: its own address with brackets, from the address without */
	src = ut_s("2001:db8::7");
	host = ut_s("[2001:db8::7]");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_OK);
	host = ut_s("[2001:db8::8]");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_OTHER_HOST);
	/* the gateway by its IPv4-mapped address */
	src = ut_s("10.0.0.5");
	host = ut_s("[::ffff:127.0.0.4]");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, peers, 2, &self, 5060),
			RS_CONTACT_TRUSTED_PEER);
	/* no peers given */
	src = ut_s("10.0.0.5");
	host = ut_s("127.0.0.4");
	CU_ASSERT_EQUAL(rs_contact_check(&src, &host, 5060, NULL, 0, &self, 5060),
			RS_CONTACT_OK);
}

/* the Expires a REGISTER gets, and when its binding needs no save() */
static void test_reg_refresh(void)
{
	/* REG_MIN_EXPIRES 60, REG_MAX_EXPIRES 3600 as in the cfg */
	CU_ASSERT_EQUAL(rs_reg_want(600, 60, 3600), 600);
	CU_ASSERT_EQUAL(rs_reg_want(7200, 60, 3600), 3600);
	CU_ASSERT_EQUAL(rs_reg_want(60, 60, 3600), 60);
	CU_ASSERT_EQUAL(rs_reg_want(59, 60, 3600), -1);
	CU_ASSERT_EQUAL(rs_reg_want(0, 60, 3600), -1);   /* an unregister */
	CU_ASSERT_EQUAL(rs_reg_want(0, 0, 3600), -1);	 /* even without a min */
	CU_ASSERT_EQUAL(rs_reg_want(-5, 0, 3600), -1);

	CU_ASSERT_TRUE(rs_reg_fresh(600, 600)); /* just registered */
	CU_ASSERT_TRUE(rs_reg_fresh(301, 600));
	CU_ASSERT_FALSE(rs_reg_fresh(300, 600)); /* half gone: saved */
	CU_ASSERT_FALSE(rs_reg_fresh(601, 600)); /* asks for less than left */
	CU_ASSERT_FALSE(rs_reg_fresh(0, 600));
	CU_ASSERT_FALSE(rs_reg_fresh(-10, 600)); /* expired */
	CU_ASSERT_TRUE(rs_reg_fresh(1, 1));
	CU_ASSERT_FALSE(rs_reg_fresh(0, 0));
}

int ut_register_contact(void)
{
	static const ut_test_t tests[] = {
			{"addr_private", test_addr_private},
			{"host_eq", test_host_eq},
			{"contact_check", test_contact_check},
			{"reg_refresh", test_reg_refresh},
			{NULL, NULL},
	};

	return ut_add_suite("contact", tests);
}
