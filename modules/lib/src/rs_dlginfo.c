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

/* dialog-info+xml rendering with libxml2, see rs_dlginfo.h */

#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "rs_dlginfo.h"

#define RS_DLGINFO_NS "urn:ietf:params:xml:ns:dialog-info"

static int rs_dlginfo_arg_ok(const rs_str_t *s, int max)
{
	return s != NULL && s->s != NULL && s->len > 0 && s->len <= max
		   && memchr(s->s, '\0', (size_t)s->len) == NULL;
}

rs_err_t rs_dlginfo_render(const rs_str_t *entity, const rs_str_t *id, int on,
		unsigned int version, char *buf, size_t size, size_t *len)
{
	char ent[RS_DLGINFO_URI_MAX + 1], did[RS_DLGINFO_ID_MAX + 1], ver[16];
	xmlDocPtr doc = NULL;
	xmlNodePtr root, dlg, st;
	xmlChar *out = NULL;
	rs_err_t rc = RS_E_NOMEM;
	int n = 0;

	if(buf != NULL && size > 0)
		buf[0] = '\0';
	if(!rs_dlginfo_arg_ok(entity, RS_DLGINFO_URI_MAX)
			|| !rs_dlginfo_arg_ok(id, RS_DLGINFO_ID_MAX) || buf == NULL
			|| size == 0 || len == NULL)
		return RS_E_INVAL;
	memcpy(ent, entity->s, (size_t)entity->len);
	ent[entity->len] = '\0';
	memcpy(did, id->s, (size_t)id->len);
	did[id->len] = '\0';
	snprintf(ver, sizeof(ver), "%u", version);

	doc = xmlNewDoc(BAD_CAST "1.0");
	if(doc == NULL)
		goto done;
	root = xmlNewNode(NULL, BAD_CAST "dialog-info");
	if(root == NULL)
		goto done;
	xmlDocSetRootElement(doc, root);
	if(xmlNewNs(root, BAD_CAST RS_DLGINFO_NS, NULL) == NULL
			|| xmlNewProp(root, BAD_CAST "version", BAD_CAST ver) == NULL
			|| xmlNewProp(root, BAD_CAST "state", BAD_CAST "full") == NULL
			|| xmlNewProp(root, BAD_CAST "entity", BAD_CAST ent) == NULL)
		goto done;
	/* off: no dialog at all. Kamailio's presence refuses every update of a
	 * dialog presentity once it stored a "terminated" one */
	if(on) {
		dlg = xmlNewChild(root, NULL, BAD_CAST "dialog", NULL);
		if(dlg == NULL
				|| xmlNewProp(dlg, BAD_CAST "id", BAD_CAST did) == NULL
				|| xmlNewProp(dlg, BAD_CAST "direction", BAD_CAST "recipient")
						   == NULL)
			goto done;
		st = xmlNewChild(dlg, NULL, BAD_CAST "state", BAD_CAST "confirmed");
		if(st == NULL)
			goto done;
	}
	xmlDocDumpMemoryEnc(doc, &out, &n, "UTF-8");
	if(out == NULL || n <= 0)
		goto done;
	if((size_t)n >= size) {
		rc = RS_E_LIMIT;
		goto done;
	}
	memcpy(buf, out, (size_t)n);
	buf[n] = '\0';
	*len = (size_t)n;
	rc = RS_OK;
done:
	if(out)
		xmlFree(out);
	if(doc)
		xmlFreeDoc(doc);
	return rc;
}
