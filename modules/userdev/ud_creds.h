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
 * userdev_creds_keep(user, realm, password): after auth_check() passed,
 * the HA1 of user:realm:password into the creds htable when it is not
 * there already (an unchanged entry is not written, so not replicated),
 * and the password variable (auth_db's load_credentials) cleared: the
 * password itself never stays. 1, -1 error (the variable is cleared too).
 */
int w_userdev_creds_keep(sip_msg_t *msg, char *user, char *realm, char *pw);
int ud_creds_fixup(void **param, int param_no);
int ud_creds_fixup_free(void **param, int param_no);

#endif
