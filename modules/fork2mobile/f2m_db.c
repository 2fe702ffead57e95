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

/* fork2mobile: the state in rs_user, read and written with srdb1 */

#include <stdio.h>
#include <string.h>

#include "../../core/dprint.h"
#include "../../lib/srdb1/db.h"
#include "../common/rs_db.h"

#include "f2m_db.h"

str f2m_db_url = str_init("mysql://ringset:ringset@localhost/ringset");
str f2m_user_table = str_init("rs_user");

static db_func_t f2m_dbf;
static db1_con_t *f2m_dbh = NULL;

static str f2m_col_ext = str_init("extension");
static str f2m_col_mobile = str_init("mobile");
static str f2m_col_state = str_init("fork2mobile");
static str f2m_col_dnd = str_init("dnd");
static str f2m_col_cfwd = str_init("cfwd_target");

int f2m_db_bind(void)
{
	return rs_db_bind(&f2m_db_url, &f2m_dbf,
			DB_CAP_QUERY | DB_CAP_UPDATE | DB_CAP_RAW_QUERY);
}

int f2m_db_open(void)
{
	return rs_db_open(&f2m_db_url, &f2m_dbf, &f2m_dbh);
}

void f2m_db_close(void)
{
	rs_db_close(&f2m_dbf, &f2m_dbh);
}

int f2m_db_get_h(db_func_t *dbf, db1_con_t *h, const str *ext, char *mobile,
		int msize, int *state)
{
	db_key_t keys[1] = {&f2m_col_ext};
	db_key_t cols[2] = {&f2m_col_mobile, &f2m_col_state};
	db_val_t vals[1];
	db1_res_t *res = NULL;
	db_val_t *v;
	str m;
	int ret = F2M_DB_ERROR;

	memset(vals, 0, sizeof(vals));
	VAL_TYPE(&vals[0]) = DB1_STR;
	VAL_STR(&vals[0]) = *ext;
	if(dbf->use_table(h, &f2m_user_table) < 0
			|| dbf->query(h, keys, 0, vals, cols, 1, 2, 0, &res) < 0) {
		LM_ERR("cannot read the Fork2Mobile state of %.*s\n", ext->len, ext->s);
		return F2M_DB_ERROR;
	}
	if(RES_ROW_N(res) < 1) {
		ret = F2M_DB_NOUSER;
		goto done;
	}
	v = ROW_VALUES(&RES_ROWS(res)[0]);
	rs_db_val_str(&v[0], &m);
	if(m.len >= msize)
		m.len = msize - 1;
	memcpy(mobile, m.s, m.len);
	mobile[m.len] = '\0';
	*state = rs_db_val_int(&v[1], 0) ? 1 : 0;
	ret = F2M_DB_OK;
done:
	dbf->free_result(h, res);
	return ret;
}

int f2m_db_get(const str *ext, char *mobile, int msize, int *state)
{
	int rc;

	if(f2m_db_open() < 0)
		return F2M_DB_ERROR;
	rc = f2m_db_get_h(&f2m_dbf, f2m_dbh, ext, mobile, msize, state);
	/* the next call reconnects */
	if(rc == F2M_DB_ERROR)
		f2m_db_close();
	return rc;
}

/* UPDATE rs_user SET extension = ext WHERE extension = ext: changes nothing
 * and holds the row's lock until the transaction ends */
int f2m_db_lock_h(db_func_t *dbf, db1_con_t *h, const str *ext)
{
	db_key_t keys[1] = {&f2m_col_ext};
	db_val_t vals[1];

	memset(vals, 0, sizeof(vals));
	VAL_TYPE(&vals[0]) = DB1_STR;
	VAL_STR(&vals[0]) = *ext;
	if(dbf->use_table(h, &f2m_user_table) < 0
			|| dbf->update(h, keys, 0, vals, keys, vals, 1, 1) < 0) {
		LM_ERR("cannot lock the rs_user row of %.*s\n", ext->len, ext->s);
		return F2M_DB_ERROR;
	}
	return F2M_DB_OK;
}

int f2m_db_set_h(db_func_t *dbf, db1_con_t *h, const str *ext, int state)
{
	db_key_t keys[1] = {&f2m_col_ext};
	db_key_t ucols[1] = {&f2m_col_state};
	db_val_t vals[1], uvals[1];

	memset(vals, 0, sizeof(vals));
	memset(uvals, 0, sizeof(uvals));
	VAL_TYPE(&vals[0]) = DB1_STR;
	VAL_STR(&vals[0]) = *ext;
	VAL_TYPE(&uvals[0]) = DB1_INT;
	VAL_INT(&uvals[0]) = state ? 1 : 0;
	if(dbf->use_table(h, &f2m_user_table) < 0
			|| dbf->update(h, keys, 0, vals, ucols, uvals, 1, 1) < 0) {
		LM_ERR("cannot write the Fork2Mobile state of %.*s\n", ext->len,
				ext->s);
		return F2M_DB_ERROR;
	}
	return F2M_DB_OK;
}

/* --- the publisher's lease (rs_lease, row 'forkm') ---------------------- */

str f2m_lease_table = str_init("rs_lease");

/*
 * Take the lease when it is free or expired, or renew it for its holder:
 * one statement, so two nodes asking at once are settled by the database
 * (in Galera one of them fails certification: an error here, tried again
 * on the next round). The times are the database's, in ms. holder was
 * checked by rs_lease_holder_ok() (mod_init): it cannot leave the literal.
 * Then read who holds it.
 */
int f2m_db_lease(const str *holder, int ttl_ms, char *who, int wsize)
{
	static str col_name = str_init("name"), col_holder = str_init("holder");
	char sql[512];
	str q, h;
	db_key_t k[1] = {&col_name}, c[1] = {&col_holder};
	db_val_t v[1];
	db1_res_t *res = NULL;
	int n, ret = -1;

	who[0] = '\0';
	if(f2m_db_open() < 0)
		return -1;
	n = snprintf(sql, sizeof(sql),
			"UPDATE %.*s SET holder = '%.*s', expires = "
			"ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) + %d WHERE name = 'forkm' "
			"AND (holder = '%.*s' OR expires < "
			"ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000))",
			f2m_lease_table.len, f2m_lease_table.s, holder->len, holder->s,
			ttl_ms, holder->len, holder->s);
	if(n <= 0 || n >= (int)sizeof(sql))
		return -1;
	q.s = sql;
	q.len = n;
	if(f2m_dbf.raw_query(f2m_dbh, &q, NULL) < 0)
		goto failed;
	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]).s = "forkm";
	VAL_STR(&v[0]).len = 5;
	if(f2m_dbf.use_table(f2m_dbh, &f2m_lease_table) < 0
			|| f2m_dbf.query(f2m_dbh, k, 0, v, c, 1, 1, 0, &res) < 0)
		goto failed;
	if(RES_ROW_N(res) < 1) {
		LM_ERR("no row 'forkm' in %.*s (db-schema/78-rs_lease-create.sql "
			   "makes it): nobody publishes the forkm<ext> states\n",
				f2m_lease_table.len, f2m_lease_table.s);
	} else {
		rs_db_val_str(&ROW_VALUES(&RES_ROWS(res)[0])[0], &h);
		if(h.len < wsize) {
			memcpy(who, h.s, h.len);
			who[h.len] = '\0';
		}
		ret = (h.len == holder->len && memcmp(h.s, holder->s, h.len) == 0);
	}
	f2m_dbf.free_result(f2m_dbh, res);
	return ret;

failed:
	if(res)
		f2m_dbf.free_result(f2m_dbh, res);
	f2m_db_close(); /* the next round reconnects */
	return -1;
}

/* the lamps of a user (dnd, cfwd_target), read and written on the
 * connection of userdev's write path (one transaction) */
static void f2m_copy(db_val_t *v, char *out, int size)
{
	str m;

	rs_db_val_str(v, &m);
	if(m.len >= size)
		m.len = size - 1;
	memcpy(out, m.s, m.len);
	out[m.len] = '\0';
}

int f2m_db_get_row_h(
		db_func_t *dbf, db1_con_t *h, const str *ext, f2m_row_t *row)
{
	db_key_t keys[1] = {&f2m_col_ext};
	db_key_t cols[4] = {
			&f2m_col_mobile, &f2m_col_state, &f2m_col_dnd, &f2m_col_cfwd};
	db_val_t vals[1];
	db1_res_t *res = NULL;
	db_val_t *v;
	int ret = F2M_DB_ERROR;

	memset(vals, 0, sizeof(vals));
	VAL_TYPE(&vals[0]) = DB1_STR;
	VAL_STR(&vals[0]) = *ext;
	if(dbf->use_table(h, &f2m_user_table) < 0
			|| dbf->query(h, keys, 0, vals, cols, 1, 4, 0, &res) < 0) {
		LM_ERR("cannot read the lamp states of %.*s\n", ext->len, ext->s);
		return F2M_DB_ERROR;
	}
	if(RES_ROW_N(res) < 1) {
		ret = F2M_DB_NOUSER;
		goto done;
	}
	v = ROW_VALUES(&RES_ROWS(res)[0]);
	f2m_copy(&v[0], row->mobile, sizeof(row->mobile));
	row->fork2mobile = rs_db_val_int(&v[1], 0) ? 1 : 0;
	row->dnd = rs_db_val_int(&v[2], 0) ? 1 : 0;
	f2m_copy(&v[3], row->cfwd_target, sizeof(row->cfwd_target));
	ret = F2M_DB_OK;
done:
	dbf->free_result(h, res);
	return ret;
}

/* rs_user.<col> = *uval for ext */
static int f2m_db_update_h(
		db_func_t *dbf, db1_con_t *h, const str *ext, str *col, db_val_t *uval)
{
	db_key_t keys[1] = {&f2m_col_ext};
	db_key_t ucols[1] = {col};
	db_val_t vals[1];

	memset(vals, 0, sizeof(vals));
	VAL_TYPE(&vals[0]) = DB1_STR;
	VAL_STR(&vals[0]) = *ext;
	if(dbf->use_table(h, &f2m_user_table) < 0
			|| dbf->update(h, keys, 0, vals, ucols, uval, 1, 1) < 0) {
		LM_ERR("cannot write rs_user.%.*s of %.*s\n", col->len, col->s,
				ext->len, ext->s);
		return F2M_DB_ERROR;
	}
	return F2M_DB_OK;
}

int f2m_db_set_dnd_h(db_func_t *dbf, db1_con_t *h, const str *ext, int state)
{
	db_val_t v;

	memset(&v, 0, sizeof(v));
	VAL_TYPE(&v) = DB1_INT;
	VAL_INT(&v) = state ? 1 : 0;
	return f2m_db_update_h(dbf, h, ext, &f2m_col_dnd, &v);
}

int f2m_db_set_cfwd_h(
		db_func_t *dbf, db1_con_t *h, const str *ext, const str *target)
{
	db_val_t v;

	memset(&v, 0, sizeof(v));
	VAL_TYPE(&v) = DB1_STR;
	if(target == NULL || target->len <= 0)
		VAL_NULL(&v) = 1;
	else
		VAL_STR(&v) = *target;
	return f2m_db_update_h(dbf, h, ext, &f2m_col_cfwd, &v);
}
