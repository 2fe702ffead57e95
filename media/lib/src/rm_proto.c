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

/* header values, JSON-RPC hotdesk.login, dtmf-relay, message-summary */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rm_proto.h"

int rm_token_ok(const char *s, size_t len)
{
	size_t i;
	char c;

	if(!s || len == 0 || len > 64)
		return 0;
	for(i = 0; i < len; i++) {
		c = s[i];
		if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
				   || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+'
				   || c == '-'))
			return 0;
	}
	return 1;
}

int rm_parse_secs(const char *s, size_t len)
{
	size_t i;
	int v = 0;

	if(!s || len == 0 || len > 3)
		return -1;
	for(i = 0; i < len; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 300 ? v : -1;
}

int rm_parse_reason(const char *s, size_t len, char *phrase, size_t sz)
{
	size_t i;
	int code;

	if(!s || !phrase || sz < 128 || len < 5 || len > 3 + 1 + 127 || s[3] != ' ')
		return -1;
	for(i = 0; i < 3; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
	}
	code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if(code < 400 || code > 699)
		return -1;
	for(i = 4; i < len; i++) {
		if(s[i] < 0x20 || s[i] > 0x7e)
			return -1;
	}
	memcpy(phrase, s + 4, len - 4);
	phrase[len - 4] = '\0';
	return code;
}

static int rm_pin_ok(const char *p)
{
	size_t i, n = p ? strlen(p) : 0;

	if(n < 4 || n > 16)
		return 0;
	for(i = 0; i < n; i++) {
		if(p[i] < '0' || p[i] > '9')
			return 0;
	}
	return 1;
}

int rm_rpc_login_request(char *buf, size_t sz, const char *terminal,
		const char *ext, const char *pin, unsigned id)
{
	/* every value is a token or digits: nothing in them needs escaping */
	if(!terminal || !ext || !rm_token_ok(terminal, strlen(terminal))
			|| !rm_token_ok(ext, strlen(ext)) || !rm_pin_ok(pin))
		return -1;
	return snprintf(buf, sz,
			"{\"jsonrpc\":\"2.0\",\"method\":\"hotdesk.login\","
			"\"params\":[\"%s\",\"%s\",\"%s\"],\"id\":%u}",
			terminal, ext, pin, id);
}

/* the string value of "key" at the top level of result, or NULL */
static const char *rm_json_str(
		const char *b, size_t len, const char *key, size_t *vlen)
{
	size_t kl = strlen(key), i, j;

	for(i = 0; i + kl + 2 < len; i++) {
		if(b[i] != '"' || memcmp(b + i + 1, key, kl) || b[i + 1 + kl] != '"')
			continue;
		j = i + kl + 2;
		while(j < len
				&& (b[j] == ' ' || b[j] == '\t' || b[j] == '\n'
						|| b[j] == '\r'))
			j++;
		if(j >= len || b[j] != ':')
			continue;
		j++;
		while(j < len
				&& (b[j] == ' ' || b[j] == '\t' || b[j] == '\n'
						|| b[j] == '\r'))
			j++;
		if(j >= len || b[j] != '"')
			return NULL;
		i = ++j;
		while(j < len && b[j] != '"' && b[j] != '\\')
			j++;
		if(j >= len || b[j] != '"')
			return NULL;
		*vlen = j - i;
		return b + i;
	}
	return NULL;
}

rm_login_t rm_rpc_login_result(const char *body, size_t len)
{
	const char *v;
	size_t vl = 0, el;

	if(!body)
		return RM_LOGIN_ERROR;
	/* an "error" member (JSON-RPC error object) wins over anything */
	for(el = 0; el + 7 <= len; el++) {
		if(!memcmp(body + el, "\"error\"", 7))
			return RM_LOGIN_ERROR;
	}
	v = rm_json_str(body, len, "status", &vl);
	if(!v)
		return RM_LOGIN_ERROR;
	if(vl == 9 && !memcmp(v, "logged-in", 9))
		return RM_LOGIN_OK;
	if(vl == 9 && !memcmp(v, "wrong-pin", 9))
		return RM_LOGIN_WRONG;
	if(vl == 6 && !memcmp(v, "locked", 6))
		return RM_LOGIN_LOCKED;
	return RM_LOGIN_ERROR;
}

char rm_dtmf_relay_key(const char *body, size_t len)
{
	size_t i = 0, j;

	while(i < len) {
		/* one line */
		for(j = i; j < len && body[j] != '\n' && body[j] != '\r'; j++)
			;
		if(j - i >= 7 && !strncasecmp(body + i, "Signal", 6)) {
			size_t k = i + 6;
			while(k < j && (body[k] == ' ' || body[k] == '\t'))
				k++;
			if(k < j && body[k] == '=') {
				k++;
				while(k < j && (body[k] == ' ' || body[k] == '\t'))
					k++;
				/* "10" and "11" are '*' and '#' for some phones */
				if(j - k >= 2 && body[k] == '1'
						&& (body[k + 1] == '0' || body[k + 1] == '1'))
					return body[k + 1] == '0' ? '*' : '#';
				if(k < j) {
					char c = body[k];
					if((c >= '0' && c <= '9') || c == '*' || c == '#')
						return c;
				}
			}
			return 0;
		}
		i = j + 1;
	}
	return 0;
}

int rm_mwi_body(char *buf, size_t sz, const char *uri, int nnew, int nsaved)
{
	return snprintf(buf, sz,
			"Messages-Waiting: %s\r\n"
			"Message-Account: %s\r\n"
			"Voice-Message: %d/%d\r\n",
			nnew > 0 ? "yes" : "no", uri, nnew, nsaved);
}

static int rm_part(const char *p, const char *end, char out[64])
{
	size_t n = (size_t)(end - p);

	if(n > 63)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

int rm_dburl_parse(const char *url, char user[64], char pass[64], char host[64],
		unsigned *port, char db[64])
{
	const char *p, *at, *colon, *slash, *hp;

	if(!url || strncmp(url, "mysql://", 8))
		return -1;
	p = url + 8;
	at = strrchr(p, '@');
	if(!at)
		return -1;
	colon = memchr(p, ':', (size_t)(at - p));
	if(!colon || rm_part(p, colon, user) || rm_part(colon + 1, at, pass))
		return -1;
	slash = strchr(at + 1, '/');
	if(!slash || !slash[1] || strchr(slash + 1, '/'))
		return -1;
	hp = memchr(at + 1, ':', (size_t)(slash - at - 1));
	*port = 0;
	if(hp) {
		*port = (unsigned)atoi(hp + 1);
		if(rm_part(at + 1, hp, host))
			return -1;
	} else if(rm_part(at + 1, slash, host))
		return -1;
	if(rm_part(slash + 1, slash + 1 + strlen(slash + 1), db) || !user[0]
			|| !host[0])
		return -1;
	return 0;
}

void rm_caller_name(const char *user, size_t len, char out[65])
{
	if(rm_token_ok(user, len)) {
		memcpy(out, user, len);
		out[len] = '\0';
	} else {
		strcpy(out, "unknown");
	}
}
