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
 * The prompt names of README "The media server" and the table of loaded prompts
 * (16-bit PCM at 8 kHz, one per name). Loading is plain file I/O; nothing
 * here knows about the network.
 */

#ifndef RM_PROMPT_H
#define RM_PROMPT_H

#include <stddef.h>
#include <stdint.h>

typedef struct rm_prompt
{
	const char *name;
	int16_t *pcm;
	size_t n; /* samples */
} rm_prompt_t;

typedef struct rm_prompts
{
	rm_prompt_t *p;
	int n;
} rm_prompts_t;

/* the names every prompt folder must hold, NULL-terminated */
extern const char *const rm_prompt_names[];

/* 1 if s (len bytes) is a well-formed prompt name: [a-z0-9-], 1..32 */
int rm_prompt_name_ok(const char *s, size_t len);

/*
 * Loads <dir>/<name>.wav for every name. On failure returns -1 and writes
 * which file and why into err; nothing stays allocated.
 */
int rm_prompts_load(rm_prompts_t *t, const char *dir, char *err, size_t elen);
void rm_prompts_free(rm_prompts_t *t);

/* the prompt of that name, or NULL */
const rm_prompt_t *rm_prompt_get(
		const rm_prompts_t *t, const char *name, size_t len);

#endif /* RM_PROMPT_H */
