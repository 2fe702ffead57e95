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

/* sine generator, RMS, Goertzel */

#include <math.h>

#include "rm_tone.h"

void rm_tone_init(rm_tone_t *t, double freq, double rate, double amp)
{
	t->phase = 0;
	t->step = 2.0 * M_PI * freq / rate;
	t->amp = amp;
}

void rm_tone_gen(rm_tone_t *t, int16_t *out, size_t n)
{
	size_t i;

	for(i = 0; i < n; i++) {
		out[i] = (int16_t)lrint(t->amp * sin(t->phase));
		t->phase += t->step;
		if(t->phase > 2.0 * M_PI)
			t->phase -= 2.0 * M_PI;
	}
}

double rm_rms(const int16_t *x, size_t n)
{
	double e = 0;
	size_t i;

	if(n == 0)
		return 0;
	for(i = 0; i < n; i++)
		e += (double)x[i] * x[i];
	return sqrt(e / n);
}

double rm_goertzel(const int16_t *x, size_t n, double freq, double rate)
{
	double c = 2.0 * cos(2.0 * M_PI * freq / rate), s1 = 0, s2 = 0, s, p;
	double e = 0;
	size_t i;

	if(n == 0)
		return 0;
	for(i = 0; i < n; i++) {
		s = x[i] + c * s1 - s2;
		s2 = s1;
		s1 = s;
		e += (double)x[i] * x[i];
	}
	if(e <= 0)
		return 0;
	p = s1 * s1 + s2 * s2 - c * s1 * s2;
	/* a pure tone of amplitude A over n samples: p = (A n / 2)^2, e = A^2 n/2 */
	return p / (e * n / 2.0);
}
