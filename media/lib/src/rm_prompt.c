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

/* prompt names and the loaded prompt table */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rm_prompt.h"
#include "rm_wav.h"

const char *const rm_prompt_names[] = {"saved", "thank-you", "enabled",
		"disabled", "not-allowed", "logged-in", "logged-out", "wrong-pin",
		"locked", "enter-pin", "press-1", "vm-greeting", "vm-beep",
		"vm-messages", "vm-no-messages", "vm-menu", "vm-deleted", "vm-saved",
		"transfer-dial", "not-available", "moh", "0", "1", "2", "3", "4", "5",
		"6", "7", "8", "9", NULL};

int rm_prompt_name_ok(const char *s, size_t len)
{
	size_t i;

	if(!s || len == 0 || len > 32)
		return 0;
	for(i = 0; i < len; i++) {
		if(!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
				   || s[i] == '-'))
			return 0;
	}
	return 1;
}

void rm_prompts_free(rm_prompts_t *t)
{
	int i;

	if(!t->p)
		return;
	for(i = 0; i < t->n; i++)
		free(t->p[i].pcm);
	free(t->p);
	t->p = NULL;
	t->n = 0;
}

int rm_prompts_load(rm_prompts_t *t, const char *dir, char *err, size_t elen)
{
	char path[4096];
	int i, n;
	rm_wav_err_t rc;

	for(n = 0; rm_prompt_names[n]; n++)
		;
	t->p = calloc((size_t)n, sizeof(*t->p));
	t->n = 0;
	if(!t->p) {
		snprintf(err, elen, "out of memory");
		return -1;
	}
	for(i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.wav", dir, rm_prompt_names[i]);
		t->p[i].name = rm_prompt_names[i];
		errno = 0;
		rc = rm_wav_load(path, &t->p[i].pcm, &t->p[i].n);
		t->n = i + 1;
		if(rc != RM_WAV_OK || t->p[i].n == 0) {
			snprintf(err, elen, "prompt %s: %s%s%s", path,
					rc != RM_WAV_OK ? rm_wav_strerror(rc) : "no audio in it",
					rc == RM_WAV_E_IO && errno ? ": " : "",
					rc == RM_WAV_E_IO && errno ? strerror(errno) : "");
			rm_prompts_free(t);
			return -1;
		}
	}
	return 0;
}

const rm_prompt_t *rm_prompt_get(
		const rm_prompts_t *t, const char *name, size_t len)
{
	int i;

	if(!rm_prompt_name_ok(name, len))
		return NULL;
	for(i = 0; i < t->n; i++) {
		if(strlen(t->p[i].name) == len && !memcmp(t->p[i].name, name, len))
			return &t->p[i];
	}
	return NULL;
}
