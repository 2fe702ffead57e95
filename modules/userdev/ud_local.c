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

#include <string.h>

#include "../../core/dprint.h"
#include "../../core/mem/mem.h"
#include "../../core/trim.h"

#include "ud_local.h"

#define UD_LOCAL_NAME 32
#define UD_LOCAL_FIELDS 40 /* every column of rs_user, and the device's */
#define UD_LOCAL_BUF 4096

typedef struct ud_local_field
{
	const char *name; /* the directory's column name: static */
	int is_long;
	long l;
	int off, len; /* in buf */
} ud_local_field_t;

typedef struct ud_local
{
	char name[UD_LOCAL_NAME];
	int name_len;
	int valid;
	unsigned int msg_id; /* the message it belongs to: id, and */
	int msg_pid;		 /* the process that received it */
	int n, used;
	ud_local_field_t f[UD_LOCAL_FIELDS];
	char buf[UD_LOCAL_BUF];
	ud_sink_t sink;
} ud_local_t;

char *ud_local_names = NULL;
/* in each process's own memory (bss, copied at fork) */
static ud_local_t ud_slots[UD_LOCAL_SLOTS];
static int ud_nslots = 0;

/* the parsed name of $udv(name=>field) */
typedef struct ud_udv_name
{
	int slot; /* -1: not a local name (always $null) */
	str field;
} ud_udv_name_t;

static int ud_local_put_str(void *ctx, const char *name, const rs_str_t *v)
{
	ud_local_t *s = ctx;
	int len = v ? v->len : 0;

	if(s->n >= UD_LOCAL_FIELDS || s->used + len > UD_LOCAL_BUF) {
		LM_ERR("lookup %.*s: more fields than a local lookup keeps\n",
				s->name_len, s->name);
		return -1;
	}
	s->f[s->n].name = name;
	s->f[s->n].is_long = 0;
	s->f[s->n].off = s->used;
	s->f[s->n].len = len;
	if(len > 0)
		memcpy(s->buf + s->used, v->s, len);
	s->used += len;
	s->n++;
	return 0;
}

static int ud_local_put_long(void *ctx, const char *name, long v)
{
	ud_local_t *s = ctx;

	if(s->n >= UD_LOCAL_FIELDS) {
		LM_ERR("lookup %.*s: more fields than a local lookup keeps\n",
				s->name_len, s->name);
		return -1;
	}
	s->f[s->n].name = name;
	s->f[s->n].is_long = 1;
	s->f[s->n].l = v;
	s->n++;
	return 0;
}

static int ud_local_find(const char *s, int len)
{
	int i;

	for(i = 0; i < ud_nslots; i++)
		if(ud_slots[i].name_len == len && memcmp(ud_slots[i].name, s, len) == 0)
			return i;
	return -1;
}

/* the names, parsed when the first of them is needed (the cfg's $udv
 * are parsed before mod_init) */
static int ud_local_parse(void)
{
	static int done = 0;
	char *p, *e;
	str n;

	if(done)
		return 0;
	done = 1;
	for(p = ud_local_names; p && *p; p = e ? e + 1 : p + strlen(p)) {
		e = strchr(p, ',');
		n.s = p;
		n.len = e ? (int)(e - p) : (int)strlen(p);
		trim(&n);
		if(n.len <= 0 || n.len >= UD_LOCAL_NAME
				|| ud_nslots >= UD_LOCAL_SLOTS) {
			LM_ERR("local_names: at most %d names of 1..%d characters\n",
					UD_LOCAL_SLOTS, UD_LOCAL_NAME - 1);
			return -1;
		}
		if(ud_local_find(n.s, n.len) >= 0)
			continue;
		memcpy(ud_slots[ud_nslots].name, n.s, n.len);
		ud_slots[ud_nslots].name_len = n.len;
		ud_slots[ud_nslots].sink.put_str = ud_local_put_str;
		ud_slots[ud_nslots].sink.put_long = ud_local_put_long;
		ud_slots[ud_nslots].sink.ctx = &ud_slots[ud_nslots];
		ud_nslots++;
		if(e == NULL)
			break;
	}
	return 0;
}

int ud_local_init(void)
{
	return ud_local_parse();
}

const ud_sink_t *ud_local_sink(sip_msg_t *msg, const str *name)
{
	ud_local_t *s;
	int i;

	if(ud_nslots == 0 || msg == NULL)
		return NULL;
	i = ud_local_find(name->s, name->len);
	if(i < 0)
		return NULL;
	s = &ud_slots[i];
	s->valid = 1;
	s->msg_id = msg->id;
	s->msg_pid = msg->pid;
	s->n = 0;
	s->used = 0;
	return &s->sink;
}

void ud_local_drop(const str *name)
{
	int i = ud_local_find(name->s, name->len);

	if(i >= 0)
		ud_slots[i].valid = 0;
}

int pv_parse_udv_name(pv_spec_p sp, str *in)
{
	ud_udv_name_t *nm;
	char *p;
	str n;

	if(in == NULL || in->s == NULL || sp == NULL)
		return -1;
	if(ud_local_parse() < 0)
		return -1;
	p = in->len > 3 ? memchr(in->s, '=', in->len - 2) : NULL;
	if(p == NULL || p[1] != '>' || p == in->s || p + 2 >= in->s + in->len) {
		LM_ERR("$udv(%.*s): use $udv(name=>field)\n", in->len, in->s);
		return -1;
	}
	n.s = in->s;
	n.len = (int)(p - in->s);
	nm = pkg_malloc(sizeof(*nm) + (in->s + in->len - (p + 2)));
	if(nm == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	nm->slot = ud_local_find(n.s, n.len);
	if(nm->slot < 0) {
		LM_ERR("$udv(%.*s): %.*s is not in userdev's local_names\n", in->len,
				in->s, n.len, n.s);
		pkg_free(nm);
		return -1;
	}
	nm->field.s = (char *)(nm + 1);
	nm->field.len = (int)(in->s + in->len - (p + 2));
	memcpy(nm->field.s, p + 2, nm->field.len);
	sp->pvp.pvn.type = PV_NAME_PVAR;
	sp->pvp.pvn.u.dname = nm;
	return 0;
}

int pv_get_udv(sip_msg_t *msg, pv_param_t *param, pv_value_t *res)
{
	ud_udv_name_t *nm;
	ud_local_t *s;
	str v;
	int i;

	if(msg == NULL || param == NULL)
		return -1;
	nm = param->pvn.u.dname;
	if(nm == NULL || nm->slot < 0)
		return pv_get_null(msg, param, res);
	s = &ud_slots[nm->slot];
	if(!s->valid || s->msg_id != msg->id || s->msg_pid != msg->pid)
		return pv_get_null(msg, param, res);
	for(i = 0; i < s->n; i++) {
		if(strlen(s->f[i].name) != (size_t)nm->field.len
				|| memcmp(s->f[i].name, nm->field.s, nm->field.len) != 0)
			continue;
		if(s->f[i].is_long)
			return pv_get_sintval(msg, param, res, s->f[i].l);
		v.s = s->buf + s->f[i].off;
		v.len = s->f[i].len;
		return pv_get_strval(msg, param, res, &v);
	}
	return pv_get_null(msg, param, res);
}
