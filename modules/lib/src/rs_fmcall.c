/*
 * Ringset - the follow-me state of one call, as structured data
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "rs_fmcall.h"

#define RS_FMCALL_MAGIC 0x52534d32u /* "RSM2": this layout */
#define RS_FMCALL_HDR offsetof(rs_fmcall_t, br)

static int rs_fmcall_text_ok(const char *s, int len, int max)
{
	int i;

	if(len < 0 || len > max || (len > 0 && s == NULL))
		return 0;
	for(i = 0; i < len; i++)
		if((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			return 0;
	return 1;
}

rs_err_t rs_fmcall_init(
		rs_fmcall_t *c, const rs_str_t *ext, int next_step, int busy, int timer)
{
	if(c == NULL || ext == NULL || ext->len < 1
			|| !rs_fmcall_text_ok(ext->s, ext->len, RS_DIR_EXT_MAX)
			|| next_step < 0 || next_step > 0xffff || timer < 0
			|| timer > 0xffff || (busy != 0 && busy != 1))
		return RS_E_INVAL;
	memset(c, 0, RS_FMCALL_HDR);
	c->magic = RS_FMCALL_MAGIC;
	c->next_step = (uint16_t)next_step;
	c->timer = (uint16_t)timer;
	c->busy = (uint8_t)busy;
	c->ext_len = (uint8_t)ext->len;
	memcpy(c->ext, ext->s, ext->len);
	return RS_OK;
}

static int rs_fmcall_kind_ok(int kind)
{
	return kind >= RS_FMBR_DEVICE && kind <= RS_FMBR_MOBILE;
}

rs_err_t rs_fmcall_add(rs_fmcall_t *c, int index, rs_fmbr_kind_t kind, int ring,
		const rs_str_t *ext, const rs_str_t *target)
{
	rs_fmbr_t *b;

	if(c == NULL || target == NULL || ext == NULL || ext->len < 1
			|| !rs_fmcall_text_ok(ext->s, ext->len, RS_DIR_EXT_MAX) || index < 0
			|| index > 0xffff || !rs_fmcall_kind_ok(kind) || ring < 0
			|| ring > RS_DIR_RING_MAX
			|| !rs_fmcall_text_ok(target->s, target->len, RS_FM_TARGET_MAX))
		return RS_E_INVAL;
	if(rs_fmcall_branch(c, index))
		return RS_E_DUP;
	if(c->nbranches >= RS_FMCALL_BRANCHES_MAX)
		return RS_E_LIMIT;
	b = &c->br[c->nbranches++];
	memset(b, 0, sizeof(*b));
	b->index = (uint16_t)index;
	b->kind = (uint8_t)kind;
	b->ring = (uint16_t)ring;
	b->ext_len = (uint8_t)ext->len;
	memcpy(b->ext, ext->s, ext->len);
	b->target_len = (uint8_t)target->len;
	if(target->len)
		memcpy(b->target, target->s, target->len);
	return RS_OK;
}

const rs_fmbr_t *rs_fmcall_branch(const rs_fmcall_t *c, int index)
{
	int i;

	if(c == NULL)
		return NULL;
	for(i = 0; i < c->nbranches; i++)
		if(c->br[i].index == index)
			return &c->br[i];
	return NULL;
}

const rs_fmbr_t *rs_fmcall_nth(const rs_fmcall_t *c, int n)
{
	if(c == NULL || n < 0 || n >= c->nbranches)
		return NULL;
	return &c->br[n];
}

/*
 * The stored layout, byte by byte (no struct is copied, so neither padding
 * nor the fixed-size text fields are stored): magic (4), next_step (2),
 * timer (2), busy (1), ext_len (1), nbranches (1), ext; then per branch:
 * index (2), kind (1), ring (2), ext_len (1, 0: the call's own ext),
 * target_len (1), ext, target. Numbers little-endian.
 */
static void rs_fmcall_put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)(v >> 8);
}

static unsigned rs_fmcall_get16(const unsigned char *p)
{
	return (unsigned)p[0] | ((unsigned)p[1] << 8);
}

int rs_fmcall_pack(const rs_fmcall_t *c, void *buf, int size)
{
	unsigned char *p = buf;
	const rs_fmbr_t *b;
	int n, i, same;

	if(c == NULL || buf == NULL || size < 0 || c->magic != RS_FMCALL_MAGIC
			|| c->nbranches > RS_FMCALL_BRANCHES_MAX || c->ext_len < 1
			|| c->ext_len > RS_DIR_EXT_MAX)
		return RS_E_INVAL;
	n = RS_FMCALL_PHDR + c->ext_len;
	if(n > size)
		return RS_E_LIMIT;
	rs_fmcall_put16(p, RS_FMCALL_MAGIC & 0xffff);
	rs_fmcall_put16(p + 2, RS_FMCALL_MAGIC >> 16);
	rs_fmcall_put16(p + 4, c->next_step);
	rs_fmcall_put16(p + 6, c->timer);
	p[8] = c->busy;
	p[9] = c->ext_len;
	p[10] = (unsigned char)c->nbranches;
	memcpy(p + RS_FMCALL_PHDR, c->ext, c->ext_len);
	for(i = 0; i < c->nbranches; i++) {
		b = &c->br[i];
		if(b->ext_len < 1 || b->ext_len > RS_DIR_EXT_MAX
				|| b->target_len > RS_FM_TARGET_MAX)
			return RS_E_INVAL;
		same = b->ext_len == c->ext_len
			   && memcmp(b->ext, c->ext, c->ext_len) == 0;
		if(n + RS_FMCALL_PBR + (same ? 0 : b->ext_len) + b->target_len > size)
			return RS_E_LIMIT;
		rs_fmcall_put16(p + n, b->index);
		p[n + 2] = b->kind;
		rs_fmcall_put16(p + n + 3, b->ring);
		p[n + 5] = same ? 0 : b->ext_len;
		p[n + 6] = b->target_len;
		n += RS_FMCALL_PBR;
		if(!same) {
			memcpy(p + n, b->ext, b->ext_len);
			n += b->ext_len;
		}
		memcpy(p + n, b->target, b->target_len);
		n += b->target_len;
	}
	return n;
}

rs_err_t rs_fmcall_unpack(const void *buf, int len, rs_fmcall_t *c)
{
	const unsigned char *p = buf;
	rs_fmbr_t *b;
	int n, i, j, el;

	if(buf == NULL || c == NULL || len < RS_FMCALL_PHDR
			|| (rs_fmcall_get16(p) | (rs_fmcall_get16(p + 2) << 16))
					   != RS_FMCALL_MAGIC
			|| p[8] > 1 || p[9] < 1 || p[9] > RS_DIR_EXT_MAX
			|| p[10] > RS_FMCALL_BRANCHES_MAX
			|| len < RS_FMCALL_PHDR + p[9])
		return RS_E_INVAL;
	c->magic = RS_FMCALL_MAGIC;
	c->next_step = (uint16_t)rs_fmcall_get16(p + 4);
	c->timer = (uint16_t)rs_fmcall_get16(p + 6);
	c->busy = p[8];
	c->ext_len = p[9];
	c->nbranches = p[10];
	memcpy(c->ext, p + RS_FMCALL_PHDR, c->ext_len);
	if(!rs_fmcall_text_ok(c->ext, c->ext_len, RS_DIR_EXT_MAX))
		return RS_E_INVAL;
	n = RS_FMCALL_PHDR + c->ext_len;
	for(i = 0; i < c->nbranches; i++) {
		b = &c->br[i];
		if(len - n < RS_FMCALL_PBR)
			return RS_E_INVAL;
		b->index = (uint16_t)rs_fmcall_get16(p + n);
		b->kind = p[n + 2];
		b->ring = (uint16_t)rs_fmcall_get16(p + n + 3);
		el = p[n + 5];
		b->target_len = p[n + 6];
		n += RS_FMCALL_PBR;
		if(!rs_fmcall_kind_ok(b->kind) || b->ring > RS_DIR_RING_MAX
				|| el > RS_DIR_EXT_MAX || b->target_len > RS_FM_TARGET_MAX
				|| len - n < el + b->target_len)
			return RS_E_INVAL;
		if(el == 0) {
			b->ext_len = c->ext_len;
			memcpy(b->ext, c->ext, c->ext_len);
		} else {
			b->ext_len = (uint8_t)el;
			memcpy(b->ext, p + n, el);
			n += el;
		}
		memcpy(b->target, p + n, b->target_len);
		n += b->target_len;
		if(!rs_fmcall_text_ok(b->ext, b->ext_len, RS_DIR_EXT_MAX)
				|| !rs_fmcall_text_ok(
						b->target, b->target_len, RS_FM_TARGET_MAX))
			return RS_E_INVAL;
		for(j = 0; j < i; j++)
			if(c->br[j].index == b->index)
				return RS_E_INVAL;
	}
	return n == len ? RS_OK : RS_E_INVAL;
}

int rs_fmcall_device_hdrs(char *buf, int size, int ring, const rs_str_t *pai)
{
	static const char exp_name[] = "Expires: ";
	static const char pai_name[] = "P-Asserted-Identity: ";
	char num[8];
	int n = 0, nl, i, plen;

	if(buf == NULL || size < 0 || ring < 0 || ring > RS_DIR_RING_MAX)
		return RS_E_INVAL;
	plen = (pai != NULL && pai->s != NULL && pai->len > 0) ? pai->len : 0;
	for(i = 0; i < plen; i++)
		if(pai->s[i] == '\r' || pai->s[i] == '\n' || pai->s[i] == '\0')
			return RS_E_INVAL;
	nl = 0;
	do {
		num[nl++] = (char)('0' + ring % 10);
		ring /= 10;
	} while(ring > 0);
	if((int)sizeof(exp_name) - 1 + nl + 2
					+ (plen ? (int)sizeof(pai_name) - 1 + plen + 2 : 0)
			> size)
		return RS_E_LIMIT;
	memcpy(buf, exp_name, sizeof(exp_name) - 1);
	n = sizeof(exp_name) - 1;
	while(nl > 0)
		buf[n++] = num[--nl];
	buf[n++] = '\r';
	buf[n++] = '\n';
	if(plen) {
		memcpy(buf + n, pai_name, sizeof(pai_name) - 1);
		n += sizeof(pai_name) - 1;
		memcpy(buf + n, pai->s, plen);
		n += plen;
		buf[n++] = '\r';
		buf[n++] = '\n';
	}
	return n;
}
