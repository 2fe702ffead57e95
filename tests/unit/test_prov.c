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

/* tests of rs_prov.c: provisioning URLs, Snom XML, Yealink cfg */

#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "rs_prov.h"

static rs_str_t ut_z(const char *s)
{
	rs_str_t r = {(char *)s, (int)strlen(s)};
	return r;
}

static void test_prov_path(void)
{
	static const struct
	{
		const char *path;
		rs_err_t want;
		rs_prov_vendor_t v;
		const char *mac;
	} tab[] = {
			{"/provision/snom/0004f2a1b2c3.xml", RS_OK, RS_PROV_SNOM,
					"0004f2a1b2c3"},
			{"/provision/yealink/805ec0123456.cfg", RS_OK, RS_PROV_YEALINK,
					"805ec0123456"},
			{"/provision/snom/0004f2a1b2c3.xml?model=D785", RS_OK, RS_PROV_SNOM,
					"0004f2a1b2c3"},
			/* a MAC that is not 12 lower-case hex digits: 400 */
			{"/provision/snom/0004F2A1B2C3.xml", RS_E_INVAL, 0, NULL},
			{"/provision/snom/0004f2a1b2c.xml", RS_E_INVAL, 0, NULL},
			{"/provision/snom/0004f2a1b2c3d.xml", RS_E_INVAL, 0, NULL},
			{"/provision/yealink/.cfg", RS_E_INVAL, 0, NULL},
			{"/provision/yealink/0004f2a1b2g3.cfg", RS_E_INVAL, 0, NULL},
			{"/provision/snom/%30004f2a1b2c.xml", RS_E_INVAL, 0, NULL},
			/* anything else: 404 */
			{"/provision/snom/0004f2a1b2c3.cfg", RS_E_NOTFOUND, 0, NULL},
			{"/provision/yealink/0004f2a1b2c3.xml", RS_E_NOTFOUND, 0, NULL},
			{"/provision/polycom/0004f2a1b2c3.cfg", RS_E_NOTFOUND, 0, NULL},
			{"/provision/snom/../x/0004f2a1b2c3.xml", RS_E_NOTFOUND, 0, NULL},
			{"/provision/snom", RS_E_NOTFOUND, 0, NULL},
			{"/provision/", RS_E_NOTFOUND, 0, NULL},
			{"/RPC", RS_E_NOTFOUND, 0, NULL},
			{"", RS_E_NOTFOUND, 0, NULL},
			{"/provision/snom/.xml", RS_E_INVAL, 0, NULL},
	};
	size_t i;
	rs_str_t p, mac;
	rs_prov_vendor_t v;
	rs_err_t e;

	for(i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		p = ut_z(tab[i].path);
		e = rs_prov_parse_path(&p, &v, &mac);
		if(e != tab[i].want)
			fprintf(stderr, "%s:%d: %s gave %d\n", __FILE__, __LINE__,
					tab[i].path, e);
		CU_ASSERT_EQUAL(e, tab[i].want);
		if(e == RS_OK && tab[i].want == RS_OK) {
			CU_ASSERT_EQUAL(v, tab[i].v);
			CU_ASSERT_EQUAL(mac.len, 12);
			CU_ASSERT_NSTRING_EQUAL(mac.s, tab[i].mac, 12);
		}
	}
	p = ut_z("/provision/snom/0004f2a1b2c3.xml");
	CU_ASSERT_EQUAL(rs_prov_parse_path(NULL, &v, &mac), RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_prov_parse_path(&p, NULL, &mac), RS_E_INVAL);
	/* only len bytes count */
	p.len -= 1;
	CU_ASSERT_EQUAL(rs_prov_parse_path(&p, &v, &mac), RS_E_NOTFOUND);
	CU_ASSERT_STRING_EQUAL(rs_prov_vendor_name(RS_PROV_SNOM), "snom");
	CU_ASSERT_STRING_EQUAL(rs_prov_vendor_name(RS_PROV_YEALINK), "yealink");
	CU_ASSERT_STRING_EQUAL(rs_prov_vendor_name((rs_prov_vendor_t)7), "unknown");
	CU_ASSERT_STRING_EQUAL(
			rs_prov_content_type(RS_PROV_SNOM), "application/xml");
}

static rs_prov_blf_t ut_blf[1];

static void ut_prov_in(rs_prov_in_t *in, int logged_in)
{
	memset(in, 0, sizeof(*in));
	in->mac = ut_z("0004f2a1b2c3");
	in->domain = ut_z("pbx.local");
	in->server_host = ut_z("127.0.0.1");
	in->server_port = 5060;
	if(logged_in) {
		in->username = ut_z("hotdesk-200");
		in->password = ut_z("0123abcd");
		in->display_name = ut_z("Alice <&> \"Able\"");
		ut_blf[0].label = ut_z("Fork2Mobile");
		ut_blf[0].user = ut_z("forkm200");
		in->blf = ut_blf;
		in->nblf = 1;
	} else {
		in->username = ut_z("hotdesk-0004f2a1b2c3");
		in->password = ut_z("pw");
		in->display_name = ut_z("Hot desk");
	}
}

static void test_prov_snom(void)
{
	rs_prov_in_t in;
	char buf[4096];
	int n;

	ut_prov_in(&in, 1);
	n = rs_prov_render(RS_PROV_SNOM, &in, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0 && n < (int)sizeof(buf));
	CU_ASSERT_EQUAL((int)strlen(buf), n);
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<phone-settings e=\"2\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
			buf, "<user_name idx=\"1\" perm=\"\">hotdesk-200</user_name>"));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "<user_pass idx=\"1\" perm=\"\">0123abcd</user_pass>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
			buf, "<user_host idx=\"1\" perm=\"\">pbx.local</user_host>"));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "<user_outbound idx=\"1\" "
						"perm=\"\">127.0.0.1:5060</user_outbound>"));
	/* the display name is escaped, not markup */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf,
			"<user_realname idx=\"1\" perm=\"\">Alice &lt;&amp;&gt; "
			"\"Able\"</user_realname>"));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "<fkey idx=\"0\" perm=\"\" context=\"active\" "
						"label=\"Fork2Mobile\">"
						"blf sip:forkm200@pbx.local</fkey>"));
	/* the length alone, and a truncated copy */
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_SNOM, &in, NULL, 0), n);
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_SNOM, &in, buf, 10), n);
	CU_ASSERT_STRING_EQUAL(buf, "<?xml ver");
	/* before login: the terminal's own account and no keys */
	ut_prov_in(&in, 0);
	n = rs_prov_render(RS_PROV_SNOM, &in, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0 && n < (int)sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, ">hotdesk-0004f2a1b2c3</user_name>"));
	CU_ASSERT_PTR_NULL(strstr(buf, "<fkey"));
}

static void test_prov_yealink(void)
{
	rs_prov_in_t in;
	char buf[4096];
	int n;

	ut_prov_in(&in, 1);
	n = rs_prov_render(RS_PROV_YEALINK, &in, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0 && n < (int)sizeof(buf));
	CU_ASSERT_EQUAL(strncmp(buf, "#!version:1.0.0.1\n", 18), 0);
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "\naccount.1.user_name = hotdesk-200\n"));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "\naccount.1.auth_name = hotdesk-200\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\naccount.1.password = 0123abcd\n"));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "\naccount.1.display_name = Alice <&> \"Able\"\n"));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "\naccount.1.sip_server.1.address = pbx.local\n"));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "\naccount.1.outbound_proxy.1.address = 127.0.0.1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nsip.notify_reboot_enable = 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nmemorykey.1.type = 16\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nmemorykey.1.value = forkm200\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nmemorykey.1.label = Fork2Mobile\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nmemorykey.1.extension = forkm200\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nmemorykey.1.line = 1\n"));
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_YEALINK, &in, NULL, 0), n);
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_YEALINK, &in, buf, 5), n);
	CU_ASSERT_STRING_EQUAL(buf, "#!ve");
	ut_prov_in(&in, 0);
	n = rs_prov_render(RS_PROV_YEALINK, &in, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0 && n < (int)sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, "\naccount.1.user_name = hotdesk-0004f2a1b2c3\n"));
	CU_ASSERT_PTR_NULL(strstr(buf, "memorykey"));
}

/* a display name cannot inject a line or break the XML */
static void test_prov_clean(void)
{
	rs_prov_in_t in;
	char buf[4096];
	int n;

	ut_prov_in(&in, 1);
	in.display_name.s = "Eve\naccount.1.password = x\r\x01\xff\xc3\xa9";
	in.display_name.len = (int)strlen(in.display_name.s);
	n = rs_prov_render(RS_PROV_YEALINK, &in, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0 && n < (int)sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\naccount.1.display_name = Eve "
									   "account.1.password = x  ?\xc3\xa9\n"));
	CU_ASSERT_PTR_NULL(strstr(buf, "\naccount.1.password = x\n"));
	n = rs_prov_render(RS_PROV_SNOM, &in, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0 && n < (int)sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(
			strstr(buf, ">Eve account.1.password = x  ?\xc3\xa9<"));
}

static void test_prov_bad_input(void)
{
	rs_prov_in_t in;
	char buf[64];

	ut_prov_in(&in, 1);
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_SNOM, NULL, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_SNOM, &in, NULL, 5), -1);
	CU_ASSERT_EQUAL(
			rs_prov_render((rs_prov_vendor_t)9, &in, buf, sizeof(buf)), -1);
	in.mac = ut_z("0004F2A1B2C3");
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_SNOM, &in, buf, sizeof(buf)), -1);
	ut_prov_in(&in, 1);
	in.username.len = 0;
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_YEALINK, &in, buf, sizeof(buf)), -1);
	ut_prov_in(&in, 1);
	in.server_port = 0;
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_YEALINK, &in, buf, sizeof(buf)), -1);
	ut_prov_in(&in, 1);
	in.nblf = RS_PROV_MAX_BLF + 1;
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_SNOM, &in, buf, sizeof(buf)), -1);
	ut_prov_in(&in, 1);
	in.blf = NULL;
	CU_ASSERT_EQUAL(rs_prov_render(RS_PROV_SNOM, &in, buf, sizeof(buf)), -1);
	CU_ASSERT_EQUAL(rs_prov_mac_valid(NULL), 0);
}

int ut_register_prov(void)
{
	static const ut_test_t tests[] = {
			{"prov_path", test_prov_path},
			{"prov_snom", test_prov_snom},
			{"prov_yealink", test_prov_yealink},
			{"prov_clean", test_prov_clean},
			{"prov_bad_input", test_prov_bad_input},
			{NULL, NULL},
	};

	return ut_add_suite("prov", tests);
}
