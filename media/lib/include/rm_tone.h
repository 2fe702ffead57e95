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
 * Tones and their detection: a sine generator, signal energy (RMS) and the
 * Goertzel filter (the power of one frequency in a block), used by the
 * media server (the recording beep) and by the tests' RTP peer.
 */

#ifndef RM_TONE_H
#define RM_TONE_H

#include <stddef.h>
#include <stdint.h>

typedef struct rm_tone
{
	double phase, step;
	double amp;
} rm_tone_t;

/* freq Hz at rate Hz, peak amplitude amp (0..32767) */
void rm_tone_init(rm_tone_t *t, double freq, double rate, double amp);
/* the next n samples */
void rm_tone_gen(rm_tone_t *t, int16_t *out, size_t n);

/* root mean square of n samples (0 for n = 0) */
double rm_rms(const int16_t *x, size_t n);

/*
 * Goertzel: the share of the block's energy at freq (0..1, about 1 for a
 * pure tone of that frequency, about 0 for silence or other frequencies)
 */
double rm_goertzel(const int16_t *x, size_t n, double freq, double rate);

#endif /* RM_TONE_H */
