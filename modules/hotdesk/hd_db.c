/*
 * Ringset - hotdesk module: rs_hotdesk sessions and hot-desk account credentials in SQL
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * Every statement goes through the srdb1 API with typed values: nothing
 * from a request or an RPC argument is ever pasted into SQL. Each process
 * opens its own connection on first use.
 */

#include <string.h>

#include "../../core/dprint.h"
#include "../../lib/srdb1/db.h"
#include "../common/rs_db.h"

#include "hd_db.h"

str hd_db_url = str_init("mysql://ringset:ringset@localhost/ringset");
str hd_table = str_init("rs_hotdesk");
str hd_subscriber_table = str_init("subscriber");
str hd_device_table = str_init("rs_device");

static str hd_col_ext = str_init("extension");
static str hd_col_term = str_init("terminal");
static str hd_col_since = str_init("since");
static str hd_col_user = str_init("username");
static str hd_col_domain = str_init("domain");
static str hd_col_pw = str_init("password");
static str hd_col_kind = str_init("kind");
static str hd_kind_account = str_init("hotdesk_account");
static str hd_col_mac = str_init("mac");
static str hd_col_secret = str_init("prov_secret");

static db_func_t hd_dbf;
static db1_con_t *hd_dbh = NULL;

int hd_db_bind(void)
{
	return rs_db_bind(&hd_db_url, &hd_dbf,
			DB_CAP_QUERY | DB_CAP_INSERT | DB_CAP_DELETE | DB_CAP_UPDATE);
}

int hd_db_open(void)
{
	return rs_db_open(&hd_db_url, &hd_dbf, &hd_dbh);
}

void hd_db_close(void)
{
	rs_db_close(&hd_dbf, &hd_dbh);
}

int hd_db_check_version(void)
{
	if(db_check_table_version(&hd_dbf, hd_dbh, &hd_table, HD_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(hd_table);
		return -1;
	}
	return 0;
}

/* inside userdev's write transaction (hd_db_txn) every statement goes to
 * its connection, else to this process's own */
static db_func_t *hd_tx_dbf = NULL;
static db1_con_t *hd_tx_h = NULL;
#define HD_F (hd_tx_h ? hd_tx_dbf : &hd_dbf)
#define HD_H (hd_tx_h ? hd_tx_h : hd_dbh)

void hd_db_txn(db_func_t *dbf, db1_con_t *h)
{
	hd_tx_dbf = h ? dbf : NULL;
	hd_tx_h = h;
}

static void hd_val_str(db_val_t *v, const str *s)
{
	memset(v, 0, sizeof(*v));
	VAL_TYPE(v) = DB1_STR;
	VAL_STR(v) = *s;
}

static int hd_use(str *table)
{
	if(hd_tx_h == NULL && hd_db_open() < 0)
		return -1;
	if(HD_F->use_table(HD_H, table) < 0) {
		LM_ERR("cannot use table %.*s\n", table->len, table->s);
		return -1;
	}
	return 0;
}

/* a failed statement may mean a dead connection: reconnect next time */
static int hd_failed(const char *what)
{
	LM_ERR("database error: %s\n", what);
	/* a transaction's connection is rolled back by its owner */
	if(hd_tx_h == NULL)
		hd_db_close();
	return -1;
}

/* SELECT col FROM table WHERE key = val: 1 found, 0 none, -1 error */
static int hd_select_one(
		str *table, str *key, const str *val, str *col, char *out, int size)
{
	db_key_t k[1], c[1];
	db_val_t v[1];
	db1_res_t *res = NULL;
	str s;
	int ret;

	if(hd_use(table) < 0)
		return -1;
	k[0] = key;
	c[0] = col;
	hd_val_str(&v[0], val);
	if(HD_F->query(HD_H, k, 0, v, c, 1, 1, 0, &res) < 0)
		return hd_failed("select");
	if(RES_ROW_N(res) <= 0) {
		ret = 0;
	} else {
		rs_db_val_str(&ROW_VALUES(&RES_ROWS(res)[0])[0], &s);
		if(s.len >= size) {
			LM_ERR("%.*s.%.*s too long\n", table->len, table->s, col->len,
					col->s);
			ret = -1;
		} else {
			memcpy(out, s.s, s.len);
			out[s.len] = '\0';
			ret = 1;
		}
	}
	HD_F->free_result(HD_H, res);
	return ret;
}

int hd_db_session_of_ext(const str *ext, char *out, int size)
{
	return hd_select_one(&hd_table, &hd_col_ext, ext, &hd_col_term, out, size);
}

int hd_db_session_of_terminal(const str *term, char *out, int size)
{
	return hd_select_one(&hd_table, &hd_col_term, term, &hd_col_ext, out, size);
}

int hd_db_session_delete(const str *ext)
{
	db_key_t k[1];
	db_val_t v[1];

	if(hd_use(&hd_table) < 0)
		return -1;
	k[0] = &hd_col_ext;
	hd_val_str(&v[0], ext);
	if(HD_F->delete(HD_H, k, 0, v, 1) < 0)
		return hd_failed("delete from rs_hotdesk");
	return 0;
}

int hd_db_session_insert(const str *ext, const str *term, time_t since)
{
	db_key_t k[3];
	db_val_t v[3];

	if(hd_use(&hd_table) < 0)
		return -1;
	k[0] = &hd_col_ext;
	k[1] = &hd_col_term;
	k[2] = &hd_col_since;
	hd_val_str(&v[0], ext);
	hd_val_str(&v[1], term);
	memset(&v[2], 0, sizeof(v[2]));
	VAL_TYPE(&v[2]) = DB1_DATETIME;
	VAL_TIME(&v[2]) = since;
	if(HD_F->insert(HD_H, k, v, 3) < 0)
		return hd_failed("insert into rs_hotdesk");
	return 0;
}

int hd_db_sessions(hd_session_cb_f cb, void *ctx)
{
	db_key_t c[3];
	db1_res_t *res = NULL;
	db_val_t *v;
	str e, t;
	time_t since;
	int i;

	if(hd_use(&hd_table) < 0)
		return -1;
	c[0] = &hd_col_ext;
	c[1] = &hd_col_term;
	c[2] = &hd_col_since;
	if(HD_F->query(HD_H, 0, 0, 0, c, 0, 3, &hd_col_ext, &res) < 0)
		return hd_failed("select from rs_hotdesk");
	for(i = 0; i < RES_ROW_N(res); i++) {
		v = ROW_VALUES(&RES_ROWS(res)[i]);
		rs_db_val_str(&v[0], &e);
		rs_db_val_str(&v[1], &t);
		since = (!VAL_NULL(&v[2]) && VAL_TYPE(&v[2]) == DB1_DATETIME)
						? VAL_TIME(&v[2])
						: 0;
		if(cb(ctx, &e, &t, since) < 0)
			break;
	}
	HD_F->free_result(HD_H, res);
	return 0;
}

int hd_db_set_password(const str *user, const str *pw)
{
	db_key_t k[1], uk[1];
	db_val_t v[1], uv[1];

	if(hd_use(&hd_subscriber_table) < 0)
		return -1;
	/* by username alone, like auth_db with use_domain = 0 */
	k[0] = &hd_col_user;
	hd_val_str(&v[0], user);
	uk[0] = &hd_col_pw;
	hd_val_str(&uv[0], pw);
	if(HD_F->update(HD_H, k, 0, v, uk, uv, 1, 1) < 0)
		return hd_failed("update subscriber");
	return 0;
}

int hd_db_get_password(const str *user, char *out, int size)
{
	return hd_select_one(
			&hd_subscriber_table, &hd_col_user, user, &hd_col_pw, out, size);
}

int hd_db_create_account(
		const str *user, const str *domain, const str *ext, const str *pw)
{
	db_key_t k[4];
	db_val_t v[4];
	char tmp[128];
	int r;

	r = hd_db_get_password(user, tmp, sizeof(tmp));
	if(r < 0)
		return -1;
	if(r == 0) {
		if(hd_use(&hd_subscriber_table) < 0)
			return -1;
		k[0] = &hd_col_user;
		k[1] = &hd_col_domain;
		k[2] = &hd_col_pw;
		hd_val_str(&v[0], user);
		hd_val_str(&v[1], domain);
		hd_val_str(&v[2], pw);
		if(HD_F->insert(HD_H, k, v, 3) < 0)
			return hd_failed("insert into subscriber");
	}
	memset(tmp, 0, sizeof(tmp));
	if(hd_use(&hd_device_table) < 0)
		return -1;
	k[0] = &hd_col_user;
	k[1] = &hd_col_domain;
	k[2] = &hd_col_ext;
	k[3] = &hd_col_kind;
	hd_val_str(&v[0], user);
	hd_val_str(&v[1], domain);
	hd_val_str(&v[2], ext);
	hd_val_str(&v[3], &hd_kind_account);
	if(HD_F->insert(HD_H, k, v, 4) < 0)
		return hd_failed("insert into rs_device");
	return 0;
}

int hd_db_prov_secret_of_mac(const str *mac, char *out, int size)
{
	return hd_select_one(
			&hd_device_table, &hd_col_mac, mac, &hd_col_secret, out, size);
}

#define HD_SECRET_BATCH 64
#define HD_FETCH_ROWS 1000

int hd_db_prov_secrets(int (*gen)(char out[33]))
{
	db_key_t c[3], k[1], uk[1];
	db_val_t v[1], uv[1];
	db1_res_t *res = NULL;
	char users[HD_SECRET_BATCH][65], secret[33];
	str u, m, sec;
	int i, n = 0, done = 0, fetch;

	if(hd_use(&hd_device_table) < 0)
		return -1;
	c[0] = &hd_col_user;
	c[1] = &hd_col_mac;
	c[2] = &hd_col_secret;
	/* read HD_FETCH_ROWS rows at a time: the whole of rs_device in one
	 * result set ran out of this process's pkg memory at 100,000 devices
	 * (every check failed: "could not allocate row") */
	fetch = DB_CAPABILITY(hd_dbf, DB_CAP_FETCH);
	if(fetch) {
		if(hd_dbf.query(hd_dbh, 0, 0, 0, c, 0, 3, 0, 0) < 0
				|| hd_dbf.fetch_result(hd_dbh, &res, HD_FETCH_ROWS) < 0)
			return hd_failed("select rs_device");
	} else if(hd_dbf.query(hd_dbh, 0, 0, 0, c, 0, 3, 0, &res) < 0) {
		return hd_failed("select rs_device");
	}
	for(;;) {
		for(i = 0; i < RES_ROW_N(res) && n < HD_SECRET_BATCH; i++) {
			rs_db_val_str(&ROW_VALUES(&RES_ROWS(res)[i])[0], &u);
			rs_db_val_str(&ROW_VALUES(&RES_ROWS(res)[i])[1], &m);
			rs_db_val_str(&ROW_VALUES(&RES_ROWS(res)[i])[2], &sec);
			if(m.len == 0 || sec.len > 0 || u.len <= 0 || u.len > 64)
				continue;
			memcpy(users[n], u.s, u.len);
			users[n][u.len] = '\0';
			n++;
		}
		if(!fetch || n >= HD_SECRET_BATCH || RES_ROW_N(res) == 0)
			break;
		if(hd_dbf.fetch_result(hd_dbh, &res, HD_FETCH_ROWS) < 0) {
			hd_dbf.free_result(hd_dbh, res);
			return hd_failed("select rs_device");
		}
	}
	hd_dbf.free_result(hd_dbh, res);
	for(i = 0; i < n; i++) {
		if(gen(secret) < 0)
			return -1;
		if(hd_use(&hd_device_table) < 0)
			return -1;
		k[0] = &hd_col_user;
		u.s = users[i];
		u.len = strlen(users[i]);
		hd_val_str(&v[0], &u);
		uk[0] = &hd_col_secret;
		sec.s = secret;
		sec.len = 32;
		hd_val_str(&uv[0], &sec);
		if(hd_dbf.update(hd_dbh, k, 0, v, uk, uv, 1, 1) < 0)
			return hd_failed("update rs_device.prov_secret");
		memset(secret, 0, sizeof(secret));
		LM_INFO("provisioning secret made for %s\n", users[i]);
		done++;
	}
	return done;
}
