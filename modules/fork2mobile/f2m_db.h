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

#ifndef F2M_DB_H
#define F2M_DB_H

#include "../../core/str.h"
#include "../../lib/srdb1/db.h"

#define F2M_DB_OK 0
#define F2M_DB_ERROR (-1)  /* database unreachable or failed */
#define F2M_DB_NOUSER (-2) /* no rs_user row for the extension */

extern str f2m_db_url;
extern str f2m_user_table;

int f2m_db_bind(void);
/* per process; the calls below reconnect by themselves */
int f2m_db_open(void);
void f2m_db_close(void);

/* mobile (NUL-terminated, "" if NULL) and state of ext, on this process's
 * own connection */
int f2m_db_get(const str *ext, char *mobile, int msize, int *state);

/* the same on a connection handed in by userdev's write path; _lock first
 * locks the user's row for the rest of the transaction */
int f2m_db_lock_h(db_func_t *dbf, db1_con_t *h, const str *ext);
int f2m_db_get_h(db_func_t *dbf, db1_con_t *h, const str *ext, char *mobile,
		int msize, int *state);
/* write the state of ext (0/1) */
int f2m_db_set_h(db_func_t *dbf, db1_con_t *h, const str *ext, int state);

/* the lease of the single publisher (README "Several nodes") */
extern str f2m_lease_table;
/* take or renew the lease for holder for ttl_ms: 1 this node holds it, 0
 * another one does (its name in who), -1 the database failed */
int f2m_db_lease(const str *holder, int ttl_ms, char *who, int wsize);

#define F2M_TARGET_MAX 64

/* the lamp states of a user in rs_user */
typedef struct f2m_row
{
	char mobile[F2M_TARGET_MAX + 1];	  /* "" if NULL */
	int fork2mobile;					  /* 0/1 */
	int dnd;							  /* 0/1 */
	char cfwd_target[F2M_TARGET_MAX + 1]; /* "" if NULL: no forward */
} f2m_row_t;

/* on the connection of userdev's write path (lock the row first): every
 * lamp state of ext; rs_user.dnd (0/1); rs_user.cfwd_target (an empty
 * target writes NULL) */
int f2m_db_get_row_h(
		db_func_t *dbf, db1_con_t *h, const str *ext, f2m_row_t *row);
int f2m_db_set_dnd_h(db_func_t *dbf, db1_con_t *h, const str *ext, int state);
int f2m_db_set_cfwd_h(
		db_func_t *dbf, db1_con_t *h, const str *ext, const str *target);

#endif
