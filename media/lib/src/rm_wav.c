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

/* RIFF/WAVE reading and writing for 8 kHz mono 16-bit PCM */

#include <stdlib.h>
#include <string.h>

#include "rm_wav.h"

static uint32_t rm_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
		   | (uint32_t)p[3] << 24;
}

static uint16_t rm_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void rm_put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static void rm_put16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

const char *rm_wav_strerror(rm_wav_err_t e)
{
	switch(e) {
		case RM_WAV_OK:
			return "ok";
		case RM_WAV_E_IO:
			return "cannot read or write the file";
		case RM_WAV_E_FORMAT:
			return "not a PCM WAV file";
		case RM_WAV_E_SPEC:
			return "not 8 kHz mono 16-bit";
		case RM_WAV_E_NOMEM:
			return "out of memory";
	}
	return "unknown error";
}

rm_wav_err_t rm_wav_parse(
		const uint8_t *buf, size_t len, int16_t **samples, size_t *n)
{
	size_t pos = 12, i, clen, nb;
	int have_fmt = 0;
	int16_t *out;

	if(!buf || !samples || !n)
		return RM_WAV_E_FORMAT;
	*samples = NULL;
	*n = 0;
	if(len < 12 || memcmp(buf, "RIFF", 4) || memcmp(buf + 8, "WAVE", 4))
		return RM_WAV_E_FORMAT;
	while(pos + 8 <= len) {
		clen = rm_le32(buf + pos + 4);
		if(clen > len - pos - 8)
			clen = len - pos - 8; /* a truncated last chunk: what is there */
		if(!memcmp(buf + pos, "fmt ", 4)) {
			if(clen < 16)
				return RM_WAV_E_FORMAT;
			if(rm_le16(buf + pos + 8) != 1)
				return RM_WAV_E_FORMAT;
			if(rm_le16(buf + pos + 10) != 1
					|| rm_le32(buf + pos + 12) != RM_WAV_RATE
					|| rm_le16(buf + pos + 22) != 16)
				return RM_WAV_E_SPEC;
			have_fmt = 1;
		} else if(!memcmp(buf + pos, "data", 4)) {
			if(!have_fmt)
				return RM_WAV_E_FORMAT;
			nb = clen / 2;
			if(nb == 0)
				return RM_WAV_OK;
			out = malloc(nb * sizeof(*out));
			if(!out)
				return RM_WAV_E_NOMEM;
			for(i = 0; i < nb; i++)
				out[i] = (int16_t)rm_le16(buf + pos + 8 + 2 * i);
			*samples = out;
			*n = nb;
			return RM_WAV_OK;
		}
		pos += 8 + clen + (clen & 1);
	}
	return RM_WAV_E_FORMAT;
}

rm_wav_err_t rm_wav_load(const char *path, int16_t **samples, size_t *n)
{
	FILE *f;
	long sz;
	uint8_t *buf;
	rm_wav_err_t rc;

	f = fopen(path, "rb");
	if(!f)
		return RM_WAV_E_IO;
	if(fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || sz > (64L << 20)
			|| fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return RM_WAV_E_IO;
	}
	buf = malloc(sz ? (size_t)sz : 1);
	if(!buf) {
		fclose(f);
		return RM_WAV_E_NOMEM;
	}
	if(fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		free(buf);
		fclose(f);
		return RM_WAV_E_IO;
	}
	fclose(f);
	rc = rm_wav_parse(buf, (size_t)sz, samples, n);
	free(buf);
	return rc;
}

void rm_wav_header(uint8_t hdr[RM_WAV_HDR], size_t n)
{
	uint32_t data = (uint32_t)(n * 2);

	memcpy(hdr, "RIFF", 4);
	rm_put32(hdr + 4, 36 + data);
	memcpy(hdr + 8, "WAVEfmt ", 8);
	rm_put32(hdr + 16, 16);
	rm_put16(hdr + 20, 1);
	rm_put16(hdr + 22, 1);
	rm_put32(hdr + 24, RM_WAV_RATE);
	rm_put32(hdr + 28, RM_WAV_RATE * 2);
	rm_put16(hdr + 32, 2);
	rm_put16(hdr + 34, 16);
	memcpy(hdr + 36, "data", 4);
	rm_put32(hdr + 40, data);
}

rm_wav_err_t rm_wav_open(rm_wav_writer_t *w, const char *path)
{
	uint8_t hdr[RM_WAV_HDR];

	memset(w, 0, sizeof(*w));
	w->f = fopen(path, "wb");
	if(!w->f)
		return RM_WAV_E_IO;
	rm_wav_header(hdr, 0);
	if(fwrite(hdr, 1, sizeof(hdr), w->f) != sizeof(hdr) || fflush(w->f)) {
		fclose(w->f);
		w->f = NULL;
		return RM_WAV_E_IO;
	}
	return RM_WAV_OK;
}

rm_wav_err_t rm_wav_write(rm_wav_writer_t *w, const int16_t *s, size_t n)
{
	uint8_t b[2 * 160];
	size_t i, k;

	if(!w->f || w->failed)
		return RM_WAV_E_IO;
	while(n > 0) {
		k = n > 160 ? 160 : n;
		for(i = 0; i < k; i++)
			rm_put16(b + 2 * i, (uint16_t)s[i]);
		if(fwrite(b, 2, k, w->f) != k) {
			w->failed = 1;
			return RM_WAV_E_IO;
		}
		w->n += k;
		s += k;
		n -= k;
	}
	return RM_WAV_OK;
}

rm_wav_err_t rm_wav_close(rm_wav_writer_t *w)
{
	uint8_t hdr[RM_WAV_HDR];
	int bad = w->failed;

	if(!w->f)
		return RM_WAV_E_IO;
	rm_wav_header(hdr, w->n);
	if(fflush(w->f) || fseek(w->f, 0, SEEK_SET)
			|| fwrite(hdr, 1, sizeof(hdr), w->f) != sizeof(hdr))
		bad = 1;
	if(fclose(w->f))
		bad = 1;
	w->f = NULL;
	return bad ? RM_WAV_E_IO : RM_WAV_OK;
}
