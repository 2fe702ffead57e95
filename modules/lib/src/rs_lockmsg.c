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

#include <stdio.h>
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

/* len without one trailing CRLF or LF */
static int rs_lm_trim(const char *msg, int len)
{
	if(len >= 2 && msg[len - 2] == '\r' && msg[len - 1] == '\n')
		return len - 2;
	if(len >= 1 && msg[len - 1] == '\n')
		return len - 1;
	return len;
}

int rs_lockmsg_is_sync(const char *msg, int len)
{
	int n = (int)strlen(RS_LOCKMSG_SYNC);

	if(msg == NULL || len <= 0)
		return 0;
	return rs_lm_trim(msg, len) == n && memcmp(msg, RS_LOCKMSG_SYNC, n) == 0;
}

#define RS_LM_STATE "state "
#define RS_LM_NUM_MAX 999999999

int rs_lockmsg_format_state(
		char *buf, size_t size, const rs_lockout_entry_t *e)
{
	rs_str_t key;
	size_t n;
	int k, w;

	if(buf == NULL || e == NULL || e->nfail < 0
			|| e->nfail > RS_LOCKOUT_FAILS_MAX || e->locked_for < 0
			|| e->locked_for > RS_LM_NUM_MAX)
		return RS_E_INVAL;
	key.s = (char *)e->key;
	key.len = e->keylen;
	if(!rs_lockmsg_key_ok(&key))
		return RS_E_INVAL;
	for(k = 0; k < e->nfail; k++)
		if(e->age[k] < 0 || e->age[k] > RS_LM_NUM_MAX)
			return RS_E_INVAL;
	w = snprintf(buf, size, "%s%.*s %d", RS_LM_STATE, key.len, key.s,
			e->locked_for);
	if(w < 0 || (size_t)w >= size)
		return RS_E_LIMIT;
	n = (size_t)w;
	for(k = 0; k < e->nfail; k++) {
		w = snprintf(buf + n, size - n, " %d", e->age[k]);
		if(w < 0 || (size_t)w >= size - n)
			return RS_E_LIMIT;
		n += (size_t)w;
	}
	return (int)n;
}

/* one decimal number at *p (before end), then a blank or the end */
static int rs_lm_num(const char **p, const char *end, int *out)
{
	const char *q = *p;
	long v = 0;

	if(q >= end || *q < '0' || *q > '9')
		return -1;
	while(q < end && *q >= '0' && *q <= '9') {
		v = v * 10 + (*q - '0');
		if(v > RS_LM_NUM_MAX)
			return -1;
		q++;
	}
	if(q < end) {
		if(*q != ' ')
			return -1;
		q++;
		if(q == end)
			return -1; /* a trailing blank */
	}
	*out = (int)v;
	*p = q;
	return 0;
}

rs_err_t rs_lockmsg_parse_state(
		const char *msg, int len, rs_lockout_entry_t *e)
{
	size_t sl = strlen(RS_LM_STATE);
	const char *p, *end, *ks;
	rs_str_t key;
	int k;

	if(msg == NULL || e == NULL || len <= 0)
		return RS_E_INVAL;
	len = rs_lm_trim(msg, len);
	if((size_t)len <= sl || memcmp(msg, RS_LM_STATE, sl) != 0)
		return RS_E_INVAL;
	end = msg + len;
	ks = p = msg + sl;
	while(p < end && *p != ' ')
		p++;
	key.s = (char *)ks;
	key.len = (int)(p - ks);
	if(!rs_lockmsg_key_ok(&key) || p >= end)
		return RS_E_INVAL;
	p++;
	memset(e, 0, sizeof(*e));
	memcpy(e->key, key.s, key.len);
	e->keylen = key.len;
	if(rs_lm_num(&p, end, &e->locked_for) < 0)
		return RS_E_INVAL;
	for(k = 0; p < end; k++) {
		if(k >= RS_LOCKOUT_FAILS_MAX || rs_lm_num(&p, end, &e->age[k]) < 0
				|| (k > 0 && e->age[k] > e->age[k - 1]))
			return RS_E_INVAL;
	}
	e->nfail = k;
	return RS_OK;
}
