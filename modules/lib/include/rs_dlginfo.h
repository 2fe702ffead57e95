/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2025 The Ringset authors
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
 * dialog-info+xml documents (RFC 4235) for BLF keys, rendered with
 * libxml2: the state of a feature (Fork2Mobile on a key "forkm<ext>") as one
 * dialog that is "confirmed" while the feature is on, and no dialog while it
 * is off (RFC 4235 allows an empty full document; README "Fork2Mobile and feature codes" "terminated
 * (or no dialog)"). Not "terminated": Kamailio's presence module refuses
 * every later update of a dialog presentity whose stored state is
 * terminated. Values are escaped by libxml2; nothing is logged.
 */

#ifndef RS_DLGINFO_H
#define RS_DLGINFO_H

#include <stddef.h>

#include "rs_common.h"

/* largest document rs_dlginfo_render() produces for inputs within limits */
#define RS_DLGINFO_MAX 4096
#define RS_DLGINFO_URI_MAX 255 /* entity length */
#define RS_DLGINFO_ID_MAX 64   /* dialog id length */

/*
 * Render a full dialog-info document for entity (a SIP URI, 1..255 chars)
 * with one dialog (id: 1..64 chars, direction "recipient") in state
 * "confirmed" when on is non-zero, else with no dialog. version is the
 * document version. The NUL-terminated document is written to buf (size
 * bytes) and its length to *len.
 * RS_E_INVAL: bad argument (empty or too long entity/id, NUL bytes);
 * RS_E_LIMIT: buf too small (buf is then an empty string);
 * RS_E_NOMEM: libxml2 failed.
 */
rs_err_t rs_dlginfo_render(const rs_str_t *entity, const rs_str_t *id, int on,
		unsigned int version, char *buf, size_t size, size_t *len);

#endif /* RS_DLGINFO_H */
