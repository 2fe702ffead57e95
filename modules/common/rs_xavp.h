/*
 * Ringset - xavp helpers shared by the Ringset modules
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef _RS_XAVP_H_
#define _RS_XAVP_H_

#include <string.h>

#include "../../core/xavp.h"

/* adds name=value (a copy) to list */
static inline int rs_xavp_add_str(sr_xavp_t **list, const char *name,
		const char *s, int len)
{
	sr_xval_t val;
	str n = {(char *)name, strlen(name)};

	memset(&val, 0, sizeof(val));
	val.type = SR_XTYPE_STR;
	val.v.s.s = s ? (char *)s : "";
	val.v.s.len = s ? len : 0;
	return xavp_add_value(&n, &val, list) ? 0 : -1;
}

static inline int rs_xavp_add_long(sr_xavp_t **list, const char *name, long v)
{
	sr_xval_t val;
	str n = {(char *)name, strlen(name)};

	memset(&val, 0, sizeof(val));
	val.type = SR_XTYPE_LONG;
	val.v.l = v;
	return xavp_add_value(&n, &val, list) ? 0 : -1;
}

/* adds $xavp(name) holding list, which it takes over on success (on
 * failure the caller still owns it); with replace, earlier $xavp(name) items
 * are removed first */
static inline int rs_xavp_push(str *name, sr_xavp_t *list, int replace)
{
	sr_xval_t val;

	if(replace)
		xavp_rm_by_name(name, 1, NULL);
	memset(&val, 0, sizeof(val));
	val.type = SR_XTYPE_XAVP;
	val.v.xavp = list;
	return xavp_add_value(name, &val, NULL) ? 0 : -1;
}

static inline long rs_xavp_get_long(sr_xavp_t *list, const char *name,
		long dflt)
{
	str n = {(char *)name, strlen(name)};
	sr_xavp_t *x = xavp_get(&n, list);

	if(x == NULL || x->val.type != SR_XTYPE_LONG)
		return dflt;
	return x->val.v.l;
}

static inline str *rs_xavp_get_str(sr_xavp_t *list, const char *name)
{
	str n = {(char *)name, strlen(name)};
	sr_xavp_t *x = xavp_get(&n, list);

	if(x == NULL || x->val.type != SR_XTYPE_STR)
		return NULL;
	return &x->val.v.s;
}

#endif
