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

/* the creds htable: HA1s of credentials that passed (README "Provisioning") */

#ifndef UD_CREDS_H
#define UD_CREDS_H

#include "../../core/parser/msg_parser.h"
#include "../../modules/htable/ht_api.h"
#include "../../modules/htable/api.h"

/* the htable module's API, bound at first use (creds, and the Replaces
 * device map of ud_dlgdev.c); NULL, logged, without the module */
htable_api_t *ud_htable(void);

/* keep the HA1 (32 hex digits) of user in the creds htable (modparam
 * creds_htable; nothing without it): 1, or -1 */
int ud_creds_put(const str *user, const str *ha1);

/*
 * The ha1 htable (modparam ha1_htable): the HA1 of every subscriber row,
 * kept in step with the table by each directory load from the database
 * (subscriber's triggers move rs_change), so that a phone authenticates
 * from memory (pv_auth_check) without a query per request. The load's scan
 * of subscriber adds each row with ud_ha1_add(); when the load is taken,
 * ud_ha1_commit() writes the entries that changed and removes those whose
 * row is gone; a load that fails calls ud_ha1_discard(). Only this process
 * writes the table.
 */
extern str ud_ha1_htable;
int ud_ha1_enabled(void);
void ud_ha1_add(const str *user, const char *ha1);
void ud_ha1_commit(void);
void ud_ha1_discard(void);

#endif
