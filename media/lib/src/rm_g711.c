/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2026 The Ringset authors
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

/* G.711: segment (exponent) and mantissa coding of 16-bit linear PCM */

#include "rm_g711.h"

#define RM_ULAW_BIAS 0x84
#define RM_ULAW_CLIP 32635

uint8_t rm_ulaw_enc(int16_t s)
{
	int v = s, sign = 0, exp, mant, mask;

	if(v < 0) {
		v = -v;
		sign = 0x80;
	}
	if(v > RM_ULAW_CLIP)
		v = RM_ULAW_CLIP;
	v += RM_ULAW_BIAS;
	for(exp = 7, mask = 0x4000; exp > 0 && !(v & mask); exp--, mask >>= 1)
		;
	mant = (v >> (exp + 3)) & 0x0f;
	return (uint8_t) ~(sign | (exp << 4) | mant);
}

int16_t rm_ulaw_dec(uint8_t u)
{
	int v, exp, mant;

	u = (uint8_t)~u;
	exp = (u >> 4) & 0x07;
	mant = u & 0x0f;
	v = (((mant << 3) + RM_ULAW_BIAS) << exp) - RM_ULAW_BIAS;
	return (int16_t)((u & 0x80) ? -v : v);
}

uint8_t rm_alaw_enc(int16_t s)
{
	int v = s, sign = 0x80, exp, mant, mask;

	if(v < 0) {
		v = -v - 1;
		sign = 0x00;
	}
	if(v > 32767)
		v = 32767;
	if(v < 256) {
		exp = 0;
		mant = (v >> 4) & 0x0f;
	} else {
		for(exp = 7, mask = 0x4000; !(v & mask); exp--, mask >>= 1)
			;
		mant = (v >> (exp + 3)) & 0x0f;
	}
	return (uint8_t)((sign | (exp << 4) | mant) ^ 0x55);
}

int16_t rm_alaw_dec(uint8_t a)
{
	int v, exp, mant;

	a ^= 0x55;
	exp = (a >> 4) & 0x07;
	mant = a & 0x0f;
	if(exp == 0)
		v = (mant << 4) + 8;
	else
		v = ((mant << 4) + 0x108) << (exp - 1);
	return (int16_t)((a & 0x80) ? v : -v);
}

void rm_g711_encode(rm_codec_t c, const int16_t *in, uint8_t *out, size_t n)
{
	size_t i;

	for(i = 0; i < n; i++)
		out[i] = c == RM_PCMA ? rm_alaw_enc(in[i]) : rm_ulaw_enc(in[i]);
}

void rm_g711_decode(rm_codec_t c, const uint8_t *in, int16_t *out, size_t n)
{
	size_t i;

	for(i = 0; i < n; i++)
		out[i] = c == RM_PCMA ? rm_alaw_dec(in[i]) : rm_ulaw_dec(in[i]);
}
