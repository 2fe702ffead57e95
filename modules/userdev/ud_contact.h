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

/* userdev_contact_check(): where a registration's Contact may point */

#ifndef UD_CONTACT_H
#define UD_CONTACT_H

#include "../../core/parser/msg_parser.h"

/*
 * userdev_contact_check(gateway_uri, media_uri, self_uri), constant SIP
 * URIs: a REGISTER with no Contact or "*" passes (1); several Contacts,
 * in one header or more: -1; one at the host of the gateway or of the
 * media server (any port), or at self_uri's host and port: -2; from a
 * public source, at another public host: -3 (lib rs_contact_check()). A
 * Contact that does not parse passes, for save() to refuse.
 */
int w_userdev_contact_check(sip_msg_t *msg, char *gw, char *media, char *self);
/* each parameter: a constant SIP URI, parsed once (E_CFG if it is not) */
int ud_contact_fixup(void **param, int param_no);
int ud_contact_fixup_free(void **param, int param_no);

#endif
