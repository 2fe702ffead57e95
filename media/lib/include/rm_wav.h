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
 * WAV files of the media server: 8 kHz, mono, 16-bit PCM (RIFF/WAVE),
 * read whole into memory (prompts) and written incrementally (voicemail).
 */

#ifndef RM_WAV_H
#define RM_WAV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RM_WAV_RATE 8000
#define RM_WAV_HDR 44

typedef enum
{
	RM_WAV_OK = 0,
	RM_WAV_E_IO = -1,	  /* cannot read or write the file */
	RM_WAV_E_FORMAT = -2, /* not RIFF/WAVE PCM, or no data chunk */
	RM_WAV_E_SPEC = -3,	  /* PCM, but not 8 kHz mono 16-bit */
	RM_WAV_E_NOMEM = -4
} rm_wav_err_t;

const char *rm_wav_strerror(rm_wav_err_t e);

/*
 * Decodes a WAV image of len bytes: *samples is malloc()ed (free() it),
 * *n samples. An empty data chunk is valid (n = 0, samples NULL).
 */
rm_wav_err_t rm_wav_parse(
		const uint8_t *buf, size_t len, int16_t **samples, size_t *n);

/* reads and decodes a file (at most 64 MB) */
rm_wav_err_t rm_wav_load(const char *path, int16_t **samples, size_t *n);

/* the 44-byte header of a file of n samples */
void rm_wav_header(uint8_t hdr[RM_WAV_HDR], size_t n);

/* writer: header first (0 samples), samples appended, header fixed at end */
typedef struct rm_wav_writer
{
	FILE *f;
	size_t n;
	int failed; /* a write failed (disk full): the file is incomplete */
} rm_wav_writer_t;

rm_wav_err_t rm_wav_open(rm_wav_writer_t *w, const char *path);
rm_wav_err_t rm_wav_write(rm_wav_writer_t *w, const int16_t *s, size_t n);
/* fixes the header and closes; RM_WAV_E_IO if anything failed */
rm_wav_err_t rm_wav_close(rm_wav_writer_t *w);

#endif /* RM_WAV_H */
