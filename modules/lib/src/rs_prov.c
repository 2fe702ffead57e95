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

#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlmemory.h>

#include "rs_prov.h"

#define RS_PROV_PREFIX "/provision/"
#define RS_PROV_VAL_MAX 512 /* bytes of one cleaned value */

const char *rs_prov_vendor_name(rs_prov_vendor_t v)
{
	switch(v) {
		case RS_PROV_SNOM:
			return "snom";
		case RS_PROV_YEALINK:
			return "yealink";
	}
	return "unknown";
}

const char *rs_prov_content_type(rs_prov_vendor_t v)
{
	return v == RS_PROV_SNOM ? "application/xml" : "text/plain";
}

int rs_prov_mac_valid(const rs_str_t *mac)
{
	int i;

	if(mac == NULL || mac->s == NULL || mac->len != RS_PROV_MAC_LEN)
		return 0;
	for(i = 0; i < mac->len; i++) {
		if(!((mac->s[i] >= '0' && mac->s[i] <= '9')
				   || (mac->s[i] >= 'a' && mac->s[i] <= 'f')))
			return 0;
	}
	return 1;
}

rs_err_t rs_prov_parse_path(
		const rs_str_t *path, rs_prov_vendor_t *vendor, rs_str_t *mac)
{
	static const struct
	{
		const char *name, *ext;
		rs_prov_vendor_t v;
	} vt[] = {{"snom/", ".xml", RS_PROV_SNOM},
			{"yealink/", ".cfg", RS_PROV_YEALINK}};
	const char *p, *end, *q;
	size_t i, nl, el;
	int len;

	if(path == NULL || path->s == NULL || path->len < 0 || vendor == NULL
			|| mac == NULL)
		return RS_E_INVAL;
	len = path->len;
	q = memchr(path->s, '?', (size_t)len);
	if(q)
		len = (int)(q - path->s);
	p = path->s;
	end = p + len;
	nl = sizeof(RS_PROV_PREFIX) - 1;
	if((size_t)len < nl || memcmp(p, RS_PROV_PREFIX, nl) != 0)
		return RS_E_NOTFOUND;
	p += nl;
	for(i = 0; i < sizeof(vt) / sizeof(vt[0]); i++) {
		nl = strlen(vt[i].name);
		el = strlen(vt[i].ext);
		if((size_t)(end - p) < nl || memcmp(p, vt[i].name, nl) != 0)
			continue;
		p += nl;
		if((size_t)(end - p) < el || memcmp(end - el, vt[i].ext, el) != 0
				|| memchr(p, '/', (size_t)(end - p)) != NULL)
			return RS_E_NOTFOUND;
		mac->s = (char *)p;
		mac->len = (int)(end - el - p);
		if(!rs_prov_mac_valid(mac))
			return RS_E_INVAL;
		*vendor = vt[i].v;
		return RS_OK;
	}
	return RS_E_NOTFOUND;
}

/* length of the UTF-8 sequence at p (at most n bytes), 0 if invalid */
static int rs_utf8_len(const unsigned char *p, int n)
{
	int need, i;
	unsigned int cp;

	if(p[0] < 0x80)
		return 1;
	if(p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 2;
		cp = p[0] & 0x1f;
	} else if(p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		cp = p[0] & 0x0f;
	} else if(p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if(need > n)
		return 0;
	for(i = 1; i < need; i++) {
		if((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF */
	if((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000)
			|| (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need;
}

/* a cleaned, NUL-terminated copy of v (cut at RS_PROV_VAL_MAX - 1 bytes) */
static void rs_prov_clean(const rs_str_t *v, char *out)
{
	const unsigned char *p;
	int i = 0, o = 0, n;

	if(v == NULL || v->s == NULL || v->len <= 0) {
		out[0] = '\0';
		return;
	}
	p = (const unsigned char *)v->s;
	while(i < v->len) {
		n = rs_utf8_len(p + i, v->len - i);
		if(o + (n > 0 ? n : 1) > RS_PROV_VAL_MAX - 1)
			break;
		if(n == 0) {
			out[o++] = '?';
			i++;
		} else if(n == 1) {
			out[o++] = (p[i] < 0x20 || p[i] == 0x7f) ? ' ' : (char)p[i];
			i++;
		} else {
			memcpy(out + o, p + i, (size_t)n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
}

typedef struct rs_prov_vals
{
	char mac[RS_PROV_MAC_LEN + 1];
	char user[RS_PROV_VAL_MAX], pass[RS_PROV_VAL_MAX], name[RS_PROV_VAL_MAX];
	char domain[RS_PROV_VAL_MAX], host[RS_PROV_VAL_MAX];
} rs_prov_vals_t;

static int rs_prov_copy_out(const char *s, size_t n, char *buf, size_t len)
{
	size_t c;

	if(buf && len > 0) {
		c = n < len - 1 ? n : len - 1;
		memcpy(buf, s, c);
		buf[c] = '\0';
	}
	return (int)n;
}

/* an element with text content and the idx/perm attributes Snom uses */
static xmlNodePtr rs_snom_set(
		xmlNodePtr parent, const char *name, const char *idx, const char *val)
{
	xmlNodePtr n;

	n = xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST val);
	if(n == NULL)
		return NULL;
	if(idx && xmlNewProp(n, BAD_CAST "idx", BAD_CAST idx) == NULL)
		return NULL;
	if(xmlNewProp(n, BAD_CAST "perm", BAD_CAST "") == NULL)
		return NULL;
	return n;
}

static int rs_prov_snom(
		const rs_prov_in_t *in, const rs_prov_vals_t *v, char *buf, size_t len)
{
	xmlDocPtr doc;
	xmlNodePtr root, ps, fk, n;
	xmlChar *mem = NULL;
	char outbound[RS_PROV_VAL_MAX + 16], idx[16], val[2 * RS_PROV_VAL_MAX + 32];
	char label[RS_PROV_VAL_MAX], user[RS_PROV_VAL_MAX];
	int size = 0, i, ret = -1;

	doc = xmlNewDoc(BAD_CAST "1.0");
	if(doc == NULL)
		return -1;
	root = xmlNewNode(NULL, BAD_CAST "settings");
	if(root == NULL)
		goto done;
	xmlDocSetRootElement(doc, root);
	ps = xmlNewChild(root, NULL, BAD_CAST "phone-settings", NULL);
	if(ps == NULL || xmlNewProp(ps, BAD_CAST "e", BAD_CAST "2") == NULL)
		goto done;
	snprintf(outbound, sizeof(outbound), "%s:%d", v->host, in->server_port);
	if(rs_snom_set(ps, "user_active", "1", "on") == NULL
			|| rs_snom_set(ps, "user_realname", "1", v->name) == NULL
			|| rs_snom_set(ps, "user_name", "1", v->user) == NULL
			|| rs_snom_set(ps, "user_pname", "1", v->user) == NULL
			|| rs_snom_set(ps, "user_pass", "1", v->pass) == NULL
			|| rs_snom_set(ps, "user_host", "1", v->domain) == NULL
			|| rs_snom_set(ps, "user_outbound", "1", outbound) == NULL
			|| rs_snom_set(ps, "user_srtp", "1", "off") == NULL)
		goto done;
	fk = xmlNewChild(root, NULL, BAD_CAST "functionKeys", NULL);
	if(fk == NULL || xmlNewProp(fk, BAD_CAST "e", BAD_CAST "2") == NULL)
		goto done;
	for(i = 0; i < in->nblf; i++) {
		rs_prov_clean(&in->blf[i].label, label);
		rs_prov_clean(&in->blf[i].user, user);
		snprintf(idx, sizeof(idx), "%d", i);
		snprintf(val, sizeof(val), "blf sip:%s@%s", user, v->domain);
		n = rs_snom_set(fk, "fkey", idx, val);
		if(n == NULL
				|| xmlNewProp(n, BAD_CAST "context", BAD_CAST "active") == NULL
				|| xmlNewProp(n, BAD_CAST "label", BAD_CAST label) == NULL)
			goto done;
	}
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	if(mem == NULL || size <= 0)
		goto done;
	ret = rs_prov_copy_out((const char *)mem, (size_t)size, buf, len);
done:
	if(mem)
		xmlFree(mem);
	xmlFreeDoc(doc);
	return ret;
}

/* snprintf into buf at *off, counting what does not fit */
#define RS_APPEND(...)                                                \
	do {                                                              \
		int n_ = snprintf(buf ? buf + (off < len ? off : len) : NULL, \
				off < len ? len - off : 0, __VA_ARGS__);              \
		if(n_ < 0)                                                    \
			return -1;                                                \
		off += (size_t)n_;                                            \
	} while(0)

static int rs_prov_yealink(
		const rs_prov_in_t *in, const rs_prov_vals_t *v, char *buf, size_t len)
{
	char label[RS_PROV_VAL_MAX], user[RS_PROV_VAL_MAX];
	size_t off = 0;
	int i;

	RS_APPEND("#!version:1.0.0.1\n"
			  "## Ringset: configuration of %s\n"
			  "account.1.enable = 1\n"
			  "account.1.label = %s\n"
			  "account.1.display_name = %s\n"
			  "account.1.auth_name = %s\n"
			  "account.1.user_name = %s\n"
			  "account.1.password = %s\n"
			  "account.1.sip_server.1.address = %s\n"
			  "account.1.sip_server.1.port = %d\n"
			  "account.1.outbound_proxy_enable = 1\n"
			  "account.1.outbound_proxy.1.address = %s\n"
			  "account.1.outbound_proxy.1.port = %d\n"
			  "sip.notify_reboot_enable = 0\n",
			v->mac, v->name[0] ? v->name : v->user, v->name, v->user, v->user,
			v->pass, v->domain, in->server_port, v->host, in->server_port);
	for(i = 0; i < in->nblf; i++) {
		rs_prov_clean(&in->blf[i].label, label);
		rs_prov_clean(&in->blf[i].user, user);
		RS_APPEND("memorykey.%d.line = 1\n"
				  "memorykey.%d.type = 16\n"
				  "memorykey.%d.value = %s\n"
				  "memorykey.%d.label = %s\n"
				  "memorykey.%d.extension = %s\n",
				i + 1, i + 1, i + 1, user, i + 1, label, i + 1, user);
	}
	if(buf && len > 0 && off >= len)
		buf[len - 1] = '\0';
	return (int)off;
}

int rs_prov_render(
		rs_prov_vendor_t vendor, const rs_prov_in_t *in, char *buf, size_t len)
{
	rs_prov_vals_t *v;
	int ret;

	if(in == NULL || (buf == NULL && len > 0) || !rs_prov_mac_valid(&in->mac)
			|| in->username.s == NULL || in->username.len <= 0
			|| in->domain.s == NULL || in->domain.len <= 0
			|| in->server_host.s == NULL || in->server_host.len <= 0
			|| in->server_port < 1 || in->server_port > 65535 || in->nblf < 0
			|| in->nblf > RS_PROV_MAX_BLF || (in->nblf > 0 && in->blf == NULL))
		return -1;
	if(vendor != RS_PROV_SNOM && vendor != RS_PROV_YEALINK)
		return -1;
	/* about 2.5 KB: off the stack of a Kamailio worker */
	v = xmlMalloc(sizeof(*v));
	if(v == NULL)
		return -1;
	memcpy(v->mac, in->mac.s, RS_PROV_MAC_LEN);
	v->mac[RS_PROV_MAC_LEN] = '\0';
	rs_prov_clean(&in->username, v->user);
	rs_prov_clean(&in->password, v->pass);
	rs_prov_clean(&in->display_name, v->name);
	rs_prov_clean(&in->domain, v->domain);
	rs_prov_clean(&in->server_host, v->host);
	if(vendor == RS_PROV_SNOM)
		ret = rs_prov_snom(in, v, buf, len);
	else
		ret = rs_prov_yealink(in, v, buf, len);
	xmlFree(v);
	return ret;
}
