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
#include "../../core/mod_fix.h"
#include "../../core/pvar.h"
#include "../../core/lvalue.h"
#include "../../core/crypto/md5utils.h"

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

static int ud_cr_bind(void)
{
	return ud_creds_htable.len > 0 && ud_htable() != NULL ? 0 : -1;
}

int ud_creds_put(const str *user, const str *ha1)
{
	str name = ud_creds_htable, key = *user;
	int_str val;

	if(ha1->len != 32 || user->len <= 0 || ud_cr_bind() < 0)
		return -1;
	val.s = *ha1;
	return ud_htable()->set(&name, &key, AVP_VAL_STR, &val, 0) == 0 ? 1 : -1;
}

/* 1 if the entry of user holds ha1 already */
static int ud_cr_same(str *user, const char *ha1)
{
	str name = ud_creds_htable;
	ht_cell_t *c;
	int same;

	c = ud_htable()->get_clone(&name, user);
	if(c == NULL)
		return 0;
	same = (c->flags & AVP_VAL_STR) && c->value.s.len == 32
		   && memcmp(c->value.s.s, ha1, 32) == 0;
	pkg_free(c);
	return same;
}

int w_userdev_creds_keep(sip_msg_t *msg, char *puser, char *prealm, char *ppw)
{
	static str colon = str_init(":");
	pv_spec_t *sp = (pv_spec_t *)ppw;
	pv_value_t v;
	str parts[5], ha1;
	char buf[33];
	int rc = -1;

	memset(&v, 0, sizeof(v));
	if(fixup_get_svalue(msg, (gparam_t *)puser, &parts[0]) < 0
			|| fixup_get_svalue(msg, (gparam_t *)prealm, &parts[2]) < 0) {
		LM_ERR("cannot get the user or the realm\n");
		goto clear;
	}
	if(pv_get_spec_value(msg, sp, &v) < 0 || !(v.flags & PV_VAL_STR)
			|| v.rs.len <= 0 || parts[0].len <= 0) {
		/* no password loaded (load_credentials): nothing to keep */
		goto clear;
	}
	if(ud_cr_bind() < 0)
		goto clear;
	parts[1] = colon;
	parts[3] = colon;
	parts[4] = v.rs;
	MD5StringArray(buf, parts, 5);
	buf[32] = '\0';
	ha1.s = buf;
	ha1.len = 32;
	rc = 1;
	if(!ud_cr_same(&parts[0], buf) && ud_creds_put(&parts[0], &ha1) < 0) {
		LM_ERR("cannot keep the credentials of %.*s\n", parts[0].len,
				parts[0].s);
		rc = -1;
	}
clear:
	/* the password leaves the message's variables either way */
	if(sp->setf(msg, &sp->pvp, EQ_T, NULL) < 0)
		LM_ERR("cannot clear the password variable\n");
	memset(buf, 0, sizeof(buf));
	return rc;
}

int ud_creds_fixup(void **param, int param_no)
{
	if(param_no == 1 || param_no == 2)
		return fixup_spve_null(param, 1);
	if(param_no != 3)
		return 0;
	if(fixup_pvar_null(param, 1) < 0)
		return E_CFG;
	if(((pv_spec_t *)*param)->setf == NULL) {
		LM_ERR("userdev_creds_keep: the password variable must be "
			   "writable\n");
		return E_CFG;
	}
	return 0;
}

int ud_creds_fixup_free(void **param, int param_no)
{
	if(param_no == 1 || param_no == 2)
		return fixup_free_spve_null(param, 1);
	if(param_no == 3)
		return fixup_free_pvar_null(param, 1);
	return 0;
}
