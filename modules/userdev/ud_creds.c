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

#include <stdlib.h>
#include <string.h>

#include "../../core/dprint.h"

#include "ud_db.h"
#include "ud_creds.h"

htable_api_t *ud_htable(void)
{
	static htable_api_t api;
	static int bound = 0;

	if(!bound) {
		if(htable_load_api(&api) < 0) {
			LM_ERR("the htable module is needed (creds_htable, "
				   "dlgdev_htable)\n");
			return NULL;
		}
		bound = 1;
	}
	return &api;
}

/* HA1 ha1 of user into the htable called name: 1, or -1 */
static int ud_creds_put_in(str *name, str *user, const str *ha1)
{
	int_str val;

	if(ha1->len != 32 || user->len <= 0 || ud_htable() == NULL)
		return -1;
	val.s = *ha1;
	return ud_htable()->set(name, user, AVP_VAL_STR, &val, 0) == 0 ? 1 : -1;
}

int ud_creds_put(const str *user, const str *ha1)
{
	str name = ud_creds_htable, key = *user;

	if(ud_creds_htable.len <= 0)
		return -1;
	return ud_creds_put_in(&name, &key, ha1);
}

/* --- the ha1 htable ------------------------------------------------------ */

str ud_ha1_htable = STR_NULL;

typedef struct ud_ha1_ent
{
	char *user; /* pkg, not NUL-terminated */
	int len;
	char ha1[32];
} ud_ha1_ent_t;

typedef struct ud_ha1_set
{
	ud_ha1_ent_t *e;
	int n, size;
} ud_ha1_set_t;

static ud_ha1_set_t ud_ha1_cur;	 /* what the htable holds */
static ud_ha1_set_t ud_ha1_next; /* the load being read */

int ud_ha1_enabled(void)
{
	return ud_ha1_htable.len > 0;
}

static void ud_ha1_free(ud_ha1_set_t *s)
{
	int i;

	for(i = 0; i < s->n; i++)
		pkg_free(s->e[i].user);
	if(s->e)
		pkg_free(s->e);
	memset(s, 0, sizeof(*s));
}

void ud_ha1_add(const str *user, const char *ha1)
{
	ud_ha1_ent_t *ne;
	int size;

	if(!ud_ha1_enabled() || user->len <= 0)
		return;
	if(ud_ha1_next.n == ud_ha1_next.size) {
		size = ud_ha1_next.size ? 2 * ud_ha1_next.size : 1024;
		ne = pkg_realloc(ud_ha1_next.e, size * sizeof(*ne));
		if(ne == NULL) {
			PKG_MEM_ERROR;
			return;
		}
		ud_ha1_next.e = ne;
		ud_ha1_next.size = size;
	}
	ne = &ud_ha1_next.e[ud_ha1_next.n];
	ne->user = pkg_malloc(user->len);
	if(ne->user == NULL) {
		PKG_MEM_ERROR;
		return;
	}
	memcpy(ne->user, user->s, user->len);
	ne->len = user->len;
	memcpy(ne->ha1, ha1, 32);
	ud_ha1_next.n++;
}

static int ud_ha1_cmp(const void *a, const void *b)
{
	const ud_ha1_ent_t *x = a, *y = b;
	int n = x->len < y->len ? x->len : y->len, c;

	c = memcmp(x->user, y->user, n);
	return c ? c : x->len - y->len;
}

void ud_ha1_discard(void)
{
	ud_ha1_free(&ud_ha1_next);
}

void ud_ha1_commit(void)
{
	str name = ud_ha1_htable, key, h;
	htable_api_t *ht;
	ud_ha1_set_t *o = &ud_ha1_cur, *w = &ud_ha1_next;
	int i = 0, j = 0, k, c, set = 0, gone = 0;

	if(!ud_ha1_enabled() || (ht = ud_htable()) == NULL) {
		ud_ha1_discard();
		return;
	}
	qsort(w->e, w->n, sizeof(*w->e), ud_ha1_cmp);
	/* one entry per username (use_domain 0): rows of one name in other
	 * domains keep one of them (qsort is not stable: which is undefined) */
	for(k = 1, c = w->n > 0 ? 1 : 0; k < w->n; k++) {
		if(ud_ha1_cmp(&w->e[k], &w->e[c - 1]) == 0) {
			pkg_free(w->e[k].user);
			continue;
		}
		w->e[c++] = w->e[k];
	}
	w->n = c;
	/* both sorted: what is new or changed is written, what is gone goes */
	while(i < o->n || j < w->n) {
		c = i >= o->n ? 1 : j >= w->n ? -1 : ud_ha1_cmp(&o->e[i], &w->e[j]);
		if(c < 0) {
			key.s = o->e[i].user;
			key.len = o->e[i].len;
			ht->rm(&name, &key);
			gone++;
			i++;
			continue;
		}
		if(c > 0 || memcmp(o->e[i].ha1, w->e[j].ha1, 32) != 0) {
			key.s = w->e[j].user;
			key.len = w->e[j].len;
			h.s = w->e[j].ha1;
			h.len = 32;
			if(ud_creds_put_in(&name, &key, &h) < 0)
				LM_ERR("cannot keep the HA1 of %.*s in %.*s\n", key.len,
						key.s, name.len, name.s);
			set++;
		}
		if(c == 0)
			i++;
		j++;
	}
	ud_ha1_free(o);
	*o = *w;
	memset(w, 0, sizeof(*w));
	if(set || gone)
		LM_INFO("%.*s: %d credentials written, %d removed, %d kept\n",
				name.len, name.s, set, gone, o->n);
}
