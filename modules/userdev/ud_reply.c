/*
 * Ringset - userdev module: the replies Ringset decides on (rs_reply.h)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <stdio.h>
#include <string.h>

#include "../../core/dprint.h"
#include "../../core/error.h"
#include "../../core/ip_addr.h"
#include "../../core/mod_fix.h"
#include "../../core/lvalue.h"
#include "../../core/pvar.h"
#include "../sl/sl.h"
#include "rs_reply.h"

#include "ud_reply.h"

static sl_api_t ud_slb;

int ud_reply_init(void)
{
	if(sl_load_api(&ud_slb) != 0) {
		LM_ERR("the sl module is needed\n");
		return -1;
	}
	return 0;
}

int ud_sl_reply(sip_msg_t *msg, int code, const char *reason)
{
	str r;

	r.s = (char *)reason;
	r.len = (int)strlen(reason);
	return ud_slb.freply(msg, code, &r) < 0 ? -1 : 1;
}

int ud_reply_fixup(void **param, int param_no)
{
	const char *s = (const char *)*param;

	if(param_no == 2) {
		if(fixup_pvar_null(param, 1) < 0)
			return E_CFG;
		if(((pv_spec_t *)*param)->setf == NULL) {
			LM_ERR("ringset_reply_text: the second parameter must be "
				   "writable\n");
			return E_CFG;
		}
		return 0;
	}
	if(param_no != 1)
		return 0;
	/* a name written in the cfg is checked at start */
	if(s != NULL && strchr(s, '$') == NULL
			&& rs_reply_find(s, (int)strlen(s)) < 0) {
		LM_ERR("ringset_reply: no reply called '%s' (rs_reply.h)\n", s);
		return E_CFG;
	}
	return fixup_spve_null(param, param_no);
}

int ud_reply_fixup_free(void **param, int param_no)
{
	if(param_no == 2)
		return fixup_free_pvar_null(param, 1);
	return fixup_free_spve_null(param, param_no);
}

static const rs_reply_info_t *ud_reply_get(sip_msg_t *msg, char *name)
{
	str n = STR_NULL;
	int r;

	if(fixup_get_svalue(msg, (gparam_t *)name, &n) < 0) {
		LM_ERR("cannot get the reply name\n");
		return NULL;
	}
	r = rs_reply_find(n.s, n.len);
	if(r < 0) {
		LM_ERR("no reply called '%.*s'\n", n.len, n.s);
		return NULL;
	}
	return rs_reply_info((rs_reply_t)r);
}

int w_ringset_reply(sip_msg_t *msg, char *name, char *p2)
{
	const rs_reply_info_t *ri = ud_reply_get(msg, name);
	str reason;

	if(ri == NULL)
		return -2;
	reason.s = (char *)ri->reason;
	reason.len = strlen(ri->reason);
	if(msg->first_line.type == SIP_REQUEST)
		LM_INFO("%d %s to %.*s from %s:%d: %s (%s)\n", ri->code, ri->reason,
				msg->first_line.u.request.method.len,
				msg->first_line.u.request.method.s, ip_addr2a(&msg->rcv.src_ip),
				msg->rcv.src_port, ri->what, ri->name);
	if(ud_slb.freply(msg, ri->code, &reason) < 0) {
		LM_ERR("cannot send %d %s\n", ri->code, ri->reason);
		return -1;
	}
	return 1;
}

int w_ringset_reply_text(sip_msg_t *msg, char *name, char *dst)
{
	const rs_reply_info_t *ri = ud_reply_get(msg, name);
	pv_spec_t *sp = (pv_spec_t *)dst;
	pv_value_t val;
	char buf[160];
	int n;

	if(ri == NULL)
		return -2;
	n = snprintf(buf, sizeof(buf), "%d %s", ri->code, ri->reason);
	if(n < 0 || n >= (int)sizeof(buf))
		return -1;
	memset(&val, 0, sizeof(val));
	val.flags = PV_VAL_STR;
	val.rs.s = buf;
	val.rs.len = n;
	if(sp->setf(msg, &sp->pvp, (int)EQ_T, &val) < 0) {
		LM_ERR("cannot set the reply text\n");
		return -1;
	}
	return ri->code;
}
