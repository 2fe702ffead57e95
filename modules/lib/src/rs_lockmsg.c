/*
 * Ringset - wrong-PIN lockout messages between nodes
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "rs_lockmsg.h"

#define RS_LM_FAIL "fail "
#define RS_LM_CLEAR "clear "

int rs_lockmsg_key_ok(const rs_str_t *key)
{
	int i;

	if(key == NULL || key->s == NULL || key->len <= 0
			|| key->len > RS_LOCKOUT_KEY_MAX)
		return 0;
	for(i = 0; i < key->len; i++)
		if((unsigned char)key->s[i] <= ' ' || (unsigned char)key->s[i] >= 0x7f)
			return 0;
	return 1;
}

int rs_lockmsg_format(
		char *buf, size_t size, rs_lockmsg_op_t op, const rs_str_t *key)
{
	const char *p;
	size_t pl, n;

	if(buf == NULL || !rs_lockmsg_key_ok(key))
		return RS_E_INVAL;
	if(op == RS_LOCKMSG_FAIL)
		p = RS_LM_FAIL;
	else if(op == RS_LOCKMSG_CLEAR)
		p = RS_LM_CLEAR;
	else
		return RS_E_INVAL;
	pl = strlen(p);
	n = pl + (size_t)key->len;
	if(n + 1 > size)
		return RS_E_LIMIT;
	memcpy(buf, p, pl);
	memcpy(buf + pl, key->s, key->len);
	buf[n] = '\0';
	return (int)n;
}

rs_err_t rs_lockmsg_parse(
		const char *msg, int len, rs_lockmsg_op_t *op, rs_str_t *key)
{
	size_t fl = strlen(RS_LM_FAIL), cl = strlen(RS_LM_CLEAR);

	if(msg == NULL || op == NULL || key == NULL || len <= 0)
		return RS_E_INVAL;
	if(len >= 2 && msg[len - 2] == '\r' && msg[len - 1] == '\n')
		len -= 2;
	else if(msg[len - 1] == '\n')
		len--;
	if((size_t)len > fl && memcmp(msg, RS_LM_FAIL, fl) == 0) {
		*op = RS_LOCKMSG_FAIL;
		key->s = (char *)msg + fl;
		key->len = len - (int)fl;
	} else if((size_t)len > cl && memcmp(msg, RS_LM_CLEAR, cl) == 0) {
		*op = RS_LOCKMSG_CLEAR;
		key->s = (char *)msg + cl;
		key->len = len - (int)cl;
	} else {
		return RS_E_INVAL;
	}
	return rs_lockmsg_key_ok(key) ? RS_OK : RS_E_INVAL;
}
