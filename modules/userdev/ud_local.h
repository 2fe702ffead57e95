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
 * Lookups kept in the process, not in xavps: the fields of a
 * userdev_user()/userdev_device() lookup whose name is in modparam
 * local_names ("rs_caller,rs_callee") are kept in this process's own
 * memory for the request being routed, and read with $udv(name=>field).
 * An xavp field is a shared memory allocation under the one shm lock that
 * lives with the transaction (5 s after the call); the caller's and the
 * callee's fields are read in the request route only, so they need none
 * of that. A lookup belongs to one message (its id and the process that
 * received it): $udv of another message, and in a reply or failure route
 * of another process, is $null.
 */

#ifndef UD_LOCAL_H
#define UD_LOCAL_H

#include "../../core/parser/msg_parser.h"
#include "../../core/pvar.h"

#include "rs_common.h"

/* where the fields of a lookup go: an xavp list or a local slot */
typedef struct ud_sink
{
	int (*put_str)(void *ctx, const char *name, const rs_str_t *v);
	int (*put_long)(void *ctx, const char *name, long v);
	void *ctx;
} ud_sink_t;

/* modparam local_names: at most UD_LOCAL_SLOTS names, comma-separated */
#define UD_LOCAL_SLOTS 4
extern char *ud_local_names;
int ud_local_init(void);

/* a sink of the local slot called name for msg (emptied), or NULL when
 * name is not one of local_names */
const ud_sink_t *ud_local_sink(sip_msg_t *msg, const str *name);
/* the lookup that filled it failed: its fields are gone */
void ud_local_drop(const str *name);

int pv_parse_udv_name(pv_spec_p sp, str *in);
int pv_get_udv(sip_msg_t *msg, pv_param_t *param, pv_value_t *res);

#endif
