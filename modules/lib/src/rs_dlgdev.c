/*
 * Ringset - the Replaces device map (rs_dlgdev.h)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "rs_dlgdev.h"

/* no space, no control character, not empty */
static int rs_dd_word(const rs_str_t *f)
{
	int i;

	if(f->len <= 0 || f->s == NULL)
		return 0;
	for(i = 0; i < f->len; i++)
		if((unsigned char)f->s[i] <= ' ' || f->s[i] == 0x7f)
			return 0;
	return 1;
}

static int rs_dd_uri(const rs_str_t *f)
{
	return rs_dd_word(f)
		   && ((f->len > 4 && strncmp(f->s, "sip:", 4) == 0)
				   || (f->len > 5 && strncmp(f->s, "sips:", 5) == 0));
}

/* an optional field: empty (written "-") or a word that is not "none" */
static int rs_dd_opt(const rs_str_t *f)
{
	if(f->len == 0)
		return 1;
	return rs_dd_word(f) && !rs_str_unset(f);
}

/* appends the n bytes at p (and a space before them unless first) to
 * buf, whose k bytes are used of size: the new k, or -1 if it would not fit
 * with the NUL */
static int rs_dd_put(char *buf, size_t size, int k, const char *p, int n)
{
	int sp = k > 0;

	if(k < 0 || (size_t)k + (size_t)sp + (size_t)n + 1 > size)
		return -1;
	if(sp)
		buf[k++] = ' ';
	memcpy(buf + k, p, (size_t)n);
	k += n;
	buf[k] = '\0';
	return k;
}

int rs_dlgdev_format(const rs_dlgdev_t *d, char *buf, size_t n)
{
	int k;

	if(d == NULL || buf == NULL || n == 0)
		return -1;
	if(!rs_dd_uri(&d->contact) || !rs_dd_uri(&d->reached)
			|| !rs_dd_opt(&d->device) || !rs_dd_opt(&d->called)
			|| (d->nat != 0 && d->nat != 1))
		return -1;
	/* plain copies: snprintf cost more than the rest of a dialog side */
	k = rs_dd_put(buf, n, 0, d->contact.s, d->contact.len);
	k = rs_dd_put(buf, n, k, d->reached.s, d->reached.len);
	k = d->device.len ? rs_dd_put(buf, n, k, d->device.s, d->device.len)
					  : rs_dd_put(buf, n, k, "-", 1);
	k = rs_dd_put(buf, n, k, d->nat ? "1" : "0", 1);
	if(d->called.len > 0)
		k = rs_dd_put(buf, n, k, d->called.s, d->called.len);
	return k;
}

rs_err_t rs_dlgdev_parse(const char *s, int len, rs_dlgdev_t *out)
{
	rs_str_t f[5];
	int nf, i;

	if(s == NULL || out == NULL || len < 0)
		return RS_E_INVAL;
	nf = rs_split_fields(s, len, f, 5);
	if(nf < 4 || nf > 5)
		return RS_E_BADROW;
	for(i = 0; i < nf; i++)
		if(!rs_dd_word(&f[i]))
			return RS_E_BADROW;
	if(!rs_dd_uri(&f[0]) || !rs_dd_uri(&f[1]) || f[3].len != 1
			|| (f[3].s[0] != '0' && f[3].s[0] != '1'))
		return RS_E_BADROW;
	memset(out, 0, sizeof(*out));
	out->contact = f[0];
	out->reached = f[1];
	if(!rs_str_unset(&f[2]))
		out->device = f[2];
	out->nat = f[3].s[0] == '1';
	if(nf == 5 && !rs_str_unset(&f[4]))
		out->called = f[4];
	if(out->device.s == NULL)
		out->device.s = (char *)"";
	if(out->called.s == NULL)
		out->called.s = (char *)"";
	return RS_OK;
}
