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

/* tests of rs_dlginfo.c: the documents are parsed back with libxml2 */

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "unit.h"
#include "rs_dlginfo.h"

/* the text of the first element named name below n, or NULL */
static xmlNodePtr find(xmlNodePtr n, const char *name)
{
	xmlNodePtr c, r;

	for(; n; n = n->next) {
		if(n->type == XML_ELEMENT_NODE
				&& strcmp((const char *)n->name, name) == 0)
			return n;
		c = n->children;
		if(c && (r = find(c, name)) != NULL)
			return r;
	}
	return NULL;
}

static void check_doc(const char *buf, size_t len, const char *entity,
		const char *id, const char *state, const char *version)
{
	xmlDocPtr doc;
	xmlNodePtr root, dlg, st;
	xmlChar *v;

	doc = xmlReadMemory(buf, (int)len, "t.xml", NULL, XML_PARSE_NONET);
	CU_ASSERT_FATAL(doc != NULL);
	root = xmlDocGetRootElement(doc);
	CU_ASSERT_FATAL(root != NULL);
	CU_ASSERT_STRING_EQUAL((const char *)root->name, "dialog-info");
	CU_ASSERT_FATAL(root->ns != NULL);
	CU_ASSERT_STRING_EQUAL((const char *)root->ns->href,
			"urn:ietf:params:xml:ns:dialog-info");
	v = xmlGetProp(root, BAD_CAST "entity");
	CU_ASSERT_STRING_EQUAL((const char *)v, entity);
	xmlFree(v);
	v = xmlGetProp(root, BAD_CAST "state");
	CU_ASSERT_STRING_EQUAL((const char *)v, "full");
	xmlFree(v);
	v = xmlGetProp(root, BAD_CAST "version");
	CU_ASSERT_STRING_EQUAL((const char *)v, version);
	xmlFree(v);
	dlg = find(root->children, "dialog");
	if(state == NULL) {
		CU_ASSERT_PTR_NULL(dlg);
		xmlFreeDoc(doc);
		return;
	}
	CU_ASSERT_FATAL(dlg != NULL);
	v = xmlGetProp(dlg, BAD_CAST "id");
	CU_ASSERT_STRING_EQUAL((const char *)v, id);
	xmlFree(v);
	st = find(dlg->children, "state");
	CU_ASSERT_FATAL(st != NULL);
	v = xmlNodeGetContent(st);
	CU_ASSERT_STRING_EQUAL((const char *)v, state);
	xmlFree(v);
	xmlFreeDoc(doc);
}

static void test_dlginfo_on_off(void)
{
	rs_str_t ent = UT_L("sip:forkm200@pbx.local");
	rs_str_t id = UT_L("forkm200");
	char buf[RS_DLGINFO_MAX];
	size_t len = 0;

	CU_ASSERT_EQUAL(rs_dlginfo_render(&ent, &id, 1, 7, buf, sizeof(buf), &len),
			RS_OK);
	CU_ASSERT_EQUAL(len, strlen(buf));
	check_doc(buf, len, "sip:forkm200@pbx.local", "forkm200", "confirmed",
			"7");
	CU_ASSERT_EQUAL(rs_dlginfo_render(&ent, &id, 0, 0, buf, sizeof(buf), &len),
			RS_OK);
	check_doc(buf, len, "sip:forkm200@pbx.local", "forkm200", NULL, "0");
	CU_ASSERT_PTR_NULL(strstr(buf, "terminated"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "<?xml version=\"1.0\""));
}

static void test_dlginfo_escaping(void)
{
	rs_str_t ent = UT_L("sip:a\"<b>&c@pbx.local");
	rs_str_t id = UT_L("x'y&z");
	char buf[RS_DLGINFO_MAX];
	size_t len = 0;

	CU_ASSERT_EQUAL(rs_dlginfo_render(&ent, &id, 1, 1, buf, sizeof(buf), &len),
			RS_OK);
	CU_ASSERT_PTR_NULL(strstr(buf, "<b>"));
	check_doc(buf, len, "sip:a\"<b>&c@pbx.local", "x'y&z", "confirmed", "1");
}

static void test_dlginfo_bad_input(void)
{
	rs_str_t ent = UT_L("sip:forkm200@pbx.local");
	rs_str_t id = UT_L("forkm200");
	rs_str_t empty = UT_L("");
	rs_str_t nul = UT_L("sip:a\000b");
	char big[300], buf[RS_DLGINFO_MAX], small[40];
	rs_str_t bigs;
	size_t len = 0;

	memset(big, 'a', sizeof(big));
	bigs.s = big;
	bigs.len = RS_DLGINFO_URI_MAX + 1;
	CU_ASSERT_EQUAL(rs_dlginfo_render(NULL, &id, 1, 1, buf, sizeof(buf), &len),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_dlginfo_render(&empty, &id, 1, 1, buf, sizeof(buf), &len),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_dlginfo_render(&ent, &empty, 1, 1, buf, sizeof(buf), &len),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dlginfo_render(&nul, &id, 1, 1, buf, sizeof(buf), &len),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_dlginfo_render(&bigs, &id, 1, 1, buf, sizeof(buf), &len),
			RS_E_INVAL);
	bigs.len = RS_DLGINFO_ID_MAX + 1;
	CU_ASSERT_EQUAL(
			rs_dlginfo_render(&ent, &bigs, 1, 1, buf, sizeof(buf), &len),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(rs_dlginfo_render(&ent, &id, 1, 1, NULL, 10, &len),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_dlginfo_render(&ent, &id, 1, 1, buf, sizeof(buf), NULL),
			RS_E_INVAL);
	CU_ASSERT_EQUAL(
			rs_dlginfo_render(&ent, &id, 1, 1, small, sizeof(small), &len),
			RS_E_LIMIT);
	CU_ASSERT_STRING_EQUAL(small, "");
	/* the largest inputs fit RS_DLGINFO_MAX */
	bigs.len = RS_DLGINFO_URI_MAX;
	memset(big, '&', sizeof(big));
	{
		rs_str_t bid = {big, RS_DLGINFO_ID_MAX};
		CU_ASSERT_EQUAL(rs_dlginfo_render(&bigs, &bid, 1, 4294967295u, buf,
								sizeof(buf), &len),
				RS_OK);
		CU_ASSERT(len < sizeof(buf));
	}
}

int ut_register_dlginfo(void)
{
	static const ut_test_t tests[] = {
			{"on_off", test_dlginfo_on_off},
			{"escaping", test_dlginfo_escaping},
			{"bad_input", test_dlginfo_bad_input},
			{NULL, NULL},
	};

	return ut_add_suite("dlginfo", tests);
}
