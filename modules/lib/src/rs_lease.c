/*
 * Ringset - a lease held in the database: one node does a job at a time
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "rs_lease.h"

rs_err_t rs_lease_init(rs_lease_t *l, int ttl_ms)
{
	if(l == NULL || ttl_ms < RS_LEASE_TTL_MIN)
		return RS_E_INVAL;
	memset(l, 0, sizeof(*l));
	l->ttl_ms = ttl_ms;
	l->next_ms = INT64_MIN;
	return RS_OK;
}

int rs_lease_due(const rs_lease_t *l, int64_t now)
{
	return l != NULL && now >= l->next_ms;
}

rs_lease_change_t rs_lease_result(rs_lease_t *l, int outcome, int64_t now)
{
	int was;

	if(l == NULL)
		return RS_LEASE_SAME;
	was = l->held;
	/* renew three times per lifetime: two tries may fail before it ends */
	l->next_ms = now + l->ttl_ms / 3;
	if(outcome > 0) {
		l->held = 1;
		l->until_ms = now + l->ttl_ms;
	} else if(outcome == 0) {
		l->held = 0;
	} else if(l->held && now >= l->until_ms) {
		l->held = 0;
	}
	if(l->held == was)
		return RS_LEASE_SAME;
	return l->held ? RS_LEASE_TAKEN : RS_LEASE_LOST;
}

int rs_lease_held(rs_lease_t *l, int64_t now, rs_lease_change_t *change)
{
	if(change)
		*change = RS_LEASE_SAME;
	if(l == NULL)
		return 0;
	if(l->held && now >= l->until_ms) {
		l->held = 0;
		if(change)
			*change = RS_LEASE_LOST;
	}
	return l->held;
}

int rs_lease_holder_ok(const char *name, int len)
{
	int i;
	char c;

	if(name == NULL || len < 1 || len > RS_LEASE_HOLDER_MAX)
		return 0;
	for(i = 0; i < len; i++) {
		c = name[i];
		if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
				   || (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '_'
				   || c == '@' || c == '-'))
			return 0;
	}
	return 1;
}
