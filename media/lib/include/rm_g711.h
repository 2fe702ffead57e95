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

/*
 * G.711 mu-law (PCMU, payload type 0) and A-law (PCMA, payload type 8),
 * after ITU-T G.711; plain C, no state.
 */

#ifndef RM_G711_H
#define RM_G711_H

#include <stddef.h>
#include <stdint.h>

typedef enum
{
	RM_PCMU = 0,
	RM_PCMA = 8
} rm_codec_t;

uint8_t rm_ulaw_enc(int16_t s);
int16_t rm_ulaw_dec(uint8_t u);
uint8_t rm_alaw_enc(int16_t s);
int16_t rm_alaw_dec(uint8_t a);

/* n samples of in to n bytes of out, and back */
void rm_g711_encode(rm_codec_t c, const int16_t *in, uint8_t *out, size_t n);
void rm_g711_decode(rm_codec_t c, const uint8_t *in, int16_t *out, size_t n);

#endif /* RM_G711_H */
