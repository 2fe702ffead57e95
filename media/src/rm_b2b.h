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

/* the b2bua service (rm_b2b.c): in-call services, README "In-call services" */

#ifndef RM_B2B_H
#define RM_B2B_H

#include "rm_daemon.h"

/* an INVITE for sip:b2bua@...; the caller has counted it in n_invites */
void rm_b2b_conn(const struct sip_msg *msg);
/* SIGTERM: every b2bua call ends */
void rm_b2b_close_all(void);

#endif /* RM_B2B_H */
