/*
 * Ringset - userdev module: the Replaces device map (rs_dlgdev.h)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "../../core/dprint.h"
#include "../../core/mod_fix.h"
#include "../../core/mem/mem.h"
#include "../../core/usr_avp.h"
#include "../common/rs_xavp.h"
#include "rs_dlgdev.h"

#include "ud_dlgdev.h"
#include "ud_creds.h"

str ud_dlgdev_htable = str_init("dlgdev");

static int ud_dd_sval(sip_msg_t *msg, char *p, str *out)
{
	if(fixup_get_svalue(msg, (gparam_t *)p, out) < 0) {
		LM_ERR("cannot get a parameter\n");
		return -1;
	}
	return 0;
}

#define UD_RS(x) ((rs_str_t){(x).s, (x).len})

int w_userdev_dlgdev_save(sip_msg_t *msg, char *key, char *contact,
		char *reached, char *device, char *nat, char *called)
{
	char buf[RS_DLGDEV_MAX];
	str k, c, r, d, n, u;
	rs_dlgdev_t dd;
	int_str val;
	int len;

	if(ud_dd_sval(msg, key, &k) < 0 || ud_dd_sval(msg, contact, &c) < 0
			|| ud_dd_sval(msg, reached, &r) < 0
			|| ud_dd_sval(msg, device, &d) < 0 || ud_dd_sval(msg, nat, &n) < 0
			|| ud_dd_sval(msg, called, &u) < 0)
		return -1;
	if(k.len <= 0)
		return -1;
	memset(&dd, 0, sizeof(dd));
	dd.contact = UD_RS(c);
	dd.reached = UD_RS(r);
	/* "-" or an unset avp ("<null>"): no device, no user called */
	if(!rs_str_unset(&UD_RS(d)))
		dd.device = UD_RS(d);
	if(!rs_str_unset(&UD_RS(u)))
		dd.called = UD_RS(u);
	dd.nat = (n.len == 1 && n.s[0] == '1');
	len = rs_dlgdev_format(&dd, buf, sizeof(buf));
	if(len < 0) {
		LM_WARN("dialog side %.*s: a device field cannot be kept (Contact "
				"'%.*s'): no INVITE with Replaces will reach it\n",
				k.len, k.s, c.len, c.s);
		return -1;
	}
	if(ud_htable() == NULL)
		return -2;
	val.s.s = buf;
	val.s.len = len;
	if(ud_htable()->set(&ud_dlgdev_htable, &k, AVP_VAL_STR, &val, 0) != 0) {
		LM_ERR("cannot store dialog side %.*s\n", k.len, k.s);
		return -2;
	}
	return 1;
}

int w_userdev_dlgdev(sip_msg_t *msg, char *key, char *xname)
{
	sr_xavp_t *list = NULL;
	ht_cell_t *cell;
	rs_dlgdev_t dd;
	str k, x;
	int ret = -1;

	if(ud_dd_sval(msg, key, &k) < 0 || ud_dd_sval(msg, xname, &x) < 0
			|| x.len <= 0)
		return -2;
	if(k.len <= 0 || ud_htable() == NULL)
		return -1;
	cell = ud_htable()->get_clone(&ud_dlgdev_htable, &k);
	if(cell == NULL)
		return -1;
	if(!(cell->flags & AVP_VAL_STR)
			|| rs_dlgdev_parse(cell->value.s.s, cell->value.s.len, &dd)
					   != RS_OK) {
		LM_WARN("dialog side %.*s: a record that does not parse\n", k.len, k.s);
		ret = -2;
		goto done;
	}
	if(rs_xavp_add_str(&list, "contact", dd.contact.s, dd.contact.len) < 0
			|| rs_xavp_add_str(&list, "reached", dd.reached.s, dd.reached.len)
					   < 0
			|| rs_xavp_add_str(&list, "device", dd.device.s, dd.device.len) < 0
			|| rs_xavp_add_long(&list, "nat", dd.nat) < 0
			|| rs_xavp_add_str(&list, "called", dd.called.s, dd.called.len) < 0
			|| rs_xavp_push(&x, list, 1) < 0) {
		LM_ERR("out of memory for $xavp(%.*s)\n", x.len, x.s);
		if(list)
			xavp_destroy_list(&list);
		ret = -2;
		goto done;
	}
	ret = 1;
done:
	pkg_free(cell);
	return ret;
}
