/*
 * Ringset - userdev module: loading rs_user and rs_device
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "../../core/dprint.h"
#include "../../lib/srdb1/db.h"
#include "../common/rs_db.h"

#include "ud_db.h"
#include "ud_store.h"

str ud_db_url = str_init("mysql://ringset:ringset@localhost/ringset");
str ud_user_table = str_init("rs_user");
str ud_device_table = str_init("rs_device");
str ud_followme_table = str_init("rs_followme");
str ud_feature_table = str_init("rs_feature_code");
str ud_permset_table = str_init("rs_permission_set");
str ud_group_table = str_init("rs_group");
str ud_group_member_table = str_init("rs_group_member");

static db_func_t ud_dbf;
static db1_con_t *ud_dbh = NULL;

/* column order of the two queries */
static str ud_user_cols[] = {str_init("extension"), str_init("domain"),
		str_init("display_name"), str_init("external_cli"),
		str_init("pin_hash"), str_init("mobile"), str_init("voicemail"),
		str_init("forward_external"), str_init("hotdesk"),
		str_init("fork2mobile"), str_init("ring_seconds"),
		str_init("max_calls"), str_init("anchor_media"),
		str_init("blf_private"), str_init("pickup_group"),
		str_init("permission_set"), str_init("cfwd_target"), str_init("dnd"),
		str_init("call_external"), str_init("call_international")};
#define UD_NUSER_COLS (sizeof(ud_user_cols) / sizeof(ud_user_cols[0]))

static str ud_device_cols[] = {str_init("username"), str_init("domain"),
		str_init("extension"), str_init("kind"), str_init("mac")};
#define UD_NDEVICE_COLS (sizeof(ud_device_cols) / sizeof(ud_device_cols[0]))

static str ud_followme_cols[] = {str_init("extension"), str_init("position"),
		str_init("target"), str_init("mode"), str_init("ring_seconds"),
		str_init("enabled"), str_init("schedule"), str_init("confirm")};
#define UD_NFOLLOWME_COLS \
	(sizeof(ud_followme_cols) / sizeof(ud_followme_cols[0]))

static str ud_feature_cols[] = {
		str_init("code"), str_init("service"), str_init("enabled")};
#define UD_NFEATURE_COLS (sizeof(ud_feature_cols) / sizeof(ud_feature_cols[0]))

static str ud_permset_cols[] = {str_init("name"), str_init("call_external"),
		str_init("call_international"), str_init("forward_external"),
		str_init("voicemail")};
#define UD_NPERMSET_COLS (sizeof(ud_permset_cols) / sizeof(ud_permset_cols[0]))

static str ud_group_cols[] = {str_init("extension"), str_init("domain"),
		str_init("display_name"), str_init("strategy"),
		str_init("ring_seconds"), str_init("last_destination")};
#define UD_NGROUP_COLS (sizeof(ud_group_cols) / sizeof(ud_group_cols[0]))

static str ud_group_member_cols[] = {str_init("group_extension"),
		str_init("extension"), str_init("position")};
#define UD_NGROUP_MEMBER_COLS \
	(sizeof(ud_group_member_cols) / sizeof(ud_group_member_cols[0]))

int ud_db_bind(void)
{
	return rs_db_bind(&ud_db_url, &ud_dbf, DB_CAP_QUERY);
}

int ud_db_open(void)
{
	return rs_db_open(&ud_db_url, &ud_dbf, &ud_dbh);
}

void ud_db_close(void)
{
	rs_db_close(&ud_dbf, &ud_dbh);
}

/* the tables of PRODUCT.md section 15 */
static int ud_db_check_pbx_versions(void)
{
	if(db_check_table_version(
			   &ud_dbf, ud_dbh, &ud_permset_table, UD_PERMSET_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(ud_permset_table);
		return -1;
	}
	if(db_check_table_version(
			   &ud_dbf, ud_dbh, &ud_group_table, UD_GROUP_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(ud_group_table);
		return -1;
	}
	if(db_check_table_version(&ud_dbf, ud_dbh, &ud_group_member_table,
			   UD_GROUP_MEMBER_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(ud_group_member_table);
		return -1;
	}
	return 0;
}

int ud_db_check_versions(void)
{
	if(db_check_table_version(
			   &ud_dbf, ud_dbh, &ud_user_table, UD_USER_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(ud_user_table);
		return -1;
	}
	if(db_check_table_version(
			   &ud_dbf, ud_dbh, &ud_device_table, UD_DEVICE_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(ud_device_table);
		return -1;
	}
	if(db_check_table_version(
			   &ud_dbf, ud_dbh, &ud_followme_table, UD_FOLLOWME_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(ud_followme_table);
		return -1;
	}
	if(db_check_table_version(
			   &ud_dbf, ud_dbh, &ud_feature_table, UD_FEATURE_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(ud_feature_table);
		return -1;
	}
	return ud_db_check_pbx_versions();
}

/* a column as an rs_str_t ("" for NULL) */
static void ud_val_str(db_val_t *v, rs_str_t *out)
{
	str s;

	rs_db_val_str(v, &s);
	out->s = s.s;
	out->len = s.len;
}

#define ud_val_int rs_db_val_int

typedef struct ud_reject_ctx
{
	unsigned int count;
	int quiet; /* an unchanged table is not reported on every poll */
} ud_reject_ctx_t;

static void ud_on_reject(
		void *ctx, const char *table, const rs_str_t *key, const char *reason)
{
	ud_reject_ctx_t *rc = (ud_reject_ctx_t *)ctx;

	rc->count++;
	if(!rc->quiet)
		LM_WARN("%s row '%.*s' ignored: %s\n", table, key ? key->len : 0,
				key && key->s ? key->s : "", reason);
}

static int ud_query(str *table, str *cols, int ncols, db1_res_t **res)
{
	db_key_t keys[32];
	int i;

	if(ncols > (int)(sizeof(keys) / sizeof(keys[0])))
		return -1;
	for(i = 0; i < ncols; i++)
		keys[i] = &cols[i];
	if(ud_dbf.use_table(ud_dbh, table) < 0) {
		LM_ERR("cannot use table %.*s\n", table->len, table->s);
		return -1;
	}
	if(ud_dbf.query(ud_dbh, 0, 0, 0, keys, 0, ncols, 0, res) < 0) {
		LM_DBG("cannot read %.*s\n", table->len, table->s);
		*res = NULL;
		return -1;
	}
	return 0;
}

static void ud_add_users(rs_dir_builder_t *b, db1_res_t *res)
{
	rs_user_row_t u;
	db_val_t *v;
	int i;

	for(i = 0; i < RES_ROW_N(res); i++) {
		v = ROW_VALUES(&RES_ROWS(res)[i]);
		memset(&u, 0, sizeof(u));
		ud_val_str(&v[0], &u.extension);
		ud_val_str(&v[1], &u.domain);
		ud_val_str(&v[2], &u.display_name);
		ud_val_str(&v[3], &u.external_cli);
		ud_val_str(&v[4], &u.pin_hash);
		ud_val_str(&v[5], &u.mobile);
		/* NULL: from the user's permission set */
		u.voicemail = ud_val_int(&v[6], RS_PERM_UNSET);
		u.forward_external = ud_val_int(&v[7], RS_PERM_UNSET);
		u.hotdesk = ud_val_int(&v[8], 0);
		u.fork2mobile = ud_val_int(&v[9], 0);
		u.ring_seconds = ud_val_int(&v[10], 20);
		u.max_calls = ud_val_int(&v[11], 0);
		u.anchor_media = ud_val_int(&v[12], 0);
		u.blf_private = ud_val_int(&v[13], 0);
		ud_val_str(&v[14], &u.pickup_group);
		ud_val_str(&v[15], &u.permission_set);
		ud_val_str(&v[16], &u.cfwd_target);
		u.dnd = ud_val_int(&v[17], 0);
		u.call_external = ud_val_int(&v[18], RS_PERM_UNSET);
		u.call_international = ud_val_int(&v[19], RS_PERM_UNSET);
		/* a refused row was reported through the reject callback */
		rs_dir_builder_add_user(b, &u);
	}
}

static void ud_add_devices(rs_dir_builder_t *b, db1_res_t *res)
{
	rs_device_row_t d;
	db_val_t *v;
	int i;

	for(i = 0; i < RES_ROW_N(res); i++) {
		v = ROW_VALUES(&RES_ROWS(res)[i]);
		memset(&d, 0, sizeof(d));
		ud_val_str(&v[0], &d.username);
		ud_val_str(&v[1], &d.domain);
		ud_val_str(&v[2], &d.extension);
		ud_val_str(&v[3], &d.kind);
		ud_val_str(&v[4], &d.mac);
		rs_dir_builder_add_device(b, &d);
	}
}

static void ud_add_followme(rs_dir_builder_t *b, db1_res_t *res)
{
	rs_followme_row_t f;
	db_val_t *v;
	int i;

	for(i = 0; i < RES_ROW_N(res); i++) {
		v = ROW_VALUES(&RES_ROWS(res)[i]);
		memset(&f, 0, sizeof(f));
		ud_val_str(&v[0], &f.extension);
		f.position = ud_val_int(&v[1], -1);
		ud_val_str(&v[2], &f.target);
		ud_val_str(&v[3], &f.mode);
		f.ring_seconds = ud_val_int(&v[4], 0);
		f.enabled = ud_val_int(&v[5], 0);
		ud_val_str(&v[6], &f.schedule);
		f.confirm = ud_val_int(&v[7], 0);
		rs_dir_builder_add_followme(b, &f);
	}
}

static void ud_add_features(rs_dir_builder_t *b, db1_res_t *res)
{
	rs_feature_row_t f;
	db_val_t *v;
	int i;

	for(i = 0; i < RES_ROW_N(res); i++) {
		v = ROW_VALUES(&RES_ROWS(res)[i]);
		memset(&f, 0, sizeof(f));
		ud_val_str(&v[0], &f.code);
		ud_val_str(&v[1], &f.service);
		f.enabled = ud_val_int(&v[2], 0);
		if(rs_dir_builder_add_feature(b, &f) == RS_E_LIMIT)
			LM_WARN("more than %d feature codes: code '%.*s' ignored\n",
					RS_FEATURE_MAX, f.code.len, f.code.s ? f.code.s : "");
	}
}

static void ud_add_permsets(rs_dir_builder_t *b, db1_res_t *res)
{
	rs_permset_row_t p;
	db_val_t *v;
	int i, k;

	for(i = 0; i < RES_ROW_N(res); i++) {
		v = ROW_VALUES(&RES_ROWS(res)[i]);
		memset(&p, 0, sizeof(p));
		ud_val_str(&v[0], &p.name);
		for(k = 0; k < RS_PERM_COUNT; k++)
			p.perm[k] = ud_val_int(&v[1 + k], RS_PERM_UNSET);
		if(rs_dir_builder_add_permset(b, &p) == RS_E_LIMIT)
			LM_WARN("more than %d permission sets: '%.*s' ignored\n",
					RS_PERMSET_MAX, p.name.len, p.name.s ? p.name.s : "");
	}
}

static void ud_add_groups(rs_dir_builder_t *b, db1_res_t *gres, db1_res_t *mres)
{
	rs_group_row_t g;
	rs_group_member_row_t m;
	db_val_t *v;
	int i;

	for(i = 0; i < RES_ROW_N(gres); i++) {
		v = ROW_VALUES(&RES_ROWS(gres)[i]);
		memset(&g, 0, sizeof(g));
		ud_val_str(&v[0], &g.extension);
		ud_val_str(&v[1], &g.domain);
		ud_val_str(&v[2], &g.display_name);
		ud_val_str(&v[3], &g.strategy);
		g.ring_seconds = ud_val_int(&v[4], 20);
		ud_val_str(&v[5], &g.last_destination);
		rs_dir_builder_add_group(b, &g);
	}
	for(i = 0; i < RES_ROW_N(mres); i++) {
		v = ROW_VALUES(&RES_ROWS(mres)[i]);
		memset(&m, 0, sizeof(m));
		ud_val_str(&v[0], &m.group_extension);
		ud_val_str(&v[1], &m.extension);
		m.position = ud_val_int(&v[2], -1);
		rs_dir_builder_add_group_member(b, &m);
	}
}

/* the result sets of PRODUCT.md section 15 */
typedef struct ud_pbx_res
{
	db1_res_t *pres, *gres, *mres;
} ud_pbx_res_t;

static int ud_query_pbx(ud_pbx_res_t *x)
{
	return ud_query(&ud_permset_table, ud_permset_cols, UD_NPERMSET_COLS,
				   &x->pres) < 0
						   || ud_query(&ud_group_table, ud_group_cols,
									  UD_NGROUP_COLS, &x->gres)
									  < 0
						   || ud_query(&ud_group_member_table,
									  ud_group_member_cols,
									  UD_NGROUP_MEMBER_COLS, &x->mres)
									  < 0
				   ? -1
				   : 0;
}

static void ud_free_pbx(ud_pbx_res_t *x)
{
	if(x->pres)
		ud_dbf.free_result(ud_dbh, x->pres);
	if(x->gres)
		ud_dbf.free_result(ud_dbh, x->gres);
	if(x->mres)
		ud_dbf.free_result(ud_dbh, x->mres);
	x->pres = x->gres = x->mres = NULL;
}

/* feeds the result sets to a new builder */
static rs_dir_builder_t *ud_build(db1_res_t *ures, db1_res_t *dres,
		db1_res_t *fres, db1_res_t *cres, ud_pbx_res_t *x, ud_reject_ctx_t *rc)
{
	rs_dir_builder_t *b;

	b = rs_dir_builder_new(&ud_pkg_alloc, ud_on_reject, rc);
	if(b == NULL) {
		PKG_MEM_ERROR;
		return NULL;
	}
	ud_add_users(b, ures);
	ud_add_devices(b, dres);
	ud_add_followme(b, fres);
	ud_add_features(b, cres);
	ud_add_permsets(b, x->pres);
	ud_add_groups(b, x->gres, x->mres);
	return b;
}

int ud_db_load(int force)
{
	db1_res_t *ures = NULL, *dres = NULL, *fres = NULL, *cres = NULL;
	ud_pbx_res_t x = {NULL, NULL, NULL};
	rs_dir_builder_t *b = NULL;
	rs_dir_t *dir = NULL;
	ud_reject_ctx_t rc = {0, 0};
	unsigned long long digest;
	rs_err_t err;
	int ret = -1;

	if(ud_db_open() < 0)
		goto done;
	if(ud_query(&ud_user_table, ud_user_cols, UD_NUSER_COLS, &ures) < 0
			|| ud_query(
					   &ud_device_table, ud_device_cols, UD_NDEVICE_COLS, &dres)
					   < 0
			|| ud_query(&ud_followme_table, ud_followme_cols, UD_NFOLLOWME_COLS,
					   &fres)
					   < 0
			|| ud_query(&ud_feature_table, ud_feature_cols, UD_NFEATURE_COLS,
					   &cres)
					   < 0
			|| ud_query_pbx(&x) < 0) {
		/* drop the handle: the next poll reconnects */
		if(ures)
			ud_dbf.free_result(ud_dbh, ures);
		if(dres)
			ud_dbf.free_result(ud_dbh, dres);
		if(fres)
			ud_dbf.free_result(ud_dbh, fres);
		if(cres)
			ud_dbf.free_result(ud_dbh, cres);
		ud_free_pbx(&x);
		ures = dres = fres = cres = NULL;
		ud_db_close();
		goto done;
	}

	/* rows refused by an unchanged table were reported when it changed */
	rc.quiet = !force;
	b = ud_build(ures, dres, fres, cres, &x, &rc);
	if(b == NULL)
		goto done;
	digest = rs_dir_builder_digest(b);
	if(!force && digest == ud_store_digest()) {
		ret = 0;
		goto done;
	}
	if(rc.quiet && rc.count > 0) {
		/* changed tables: build once more so refused rows are logged */
		rs_dir_builder_free(b);
		rc.count = 0;
		rc.quiet = 0;
		b = ud_build(ures, dres, fres, cres, &x, &rc);
		if(b == NULL)
			goto done;
	}
	err = rs_dir_freeze(b, &ud_shm_alloc, &dir);
	if(err != RS_OK) {
		LM_ERR("cannot build the directory: %s\n", rs_strerror(err));
		goto done;
	}
	if(ud_store_publish(dir, rc.count) < 0) {
		LM_DBG("an old snapshot is still in use, publishing later\n");
		ret = 0;
		goto done;
	}
	LM_INFO("user directory loaded: %d users, %d devices, %u rows refused\n",
			rs_dir_nusers(dir), rs_dir_ndevices(dir), rc.count);
	ret = 1;

done:
	if(b)
		rs_dir_builder_free(b);
	if(ures)
		ud_dbf.free_result(ud_dbh, ures);
	if(dres)
		ud_dbf.free_result(ud_dbh, dres);
	if(fres)
		ud_dbf.free_result(ud_dbh, fres);
	if(cres)
		ud_dbf.free_result(ud_dbh, cres);
	ud_free_pbx(&x);
	/* the state of the database is logged when it changes, not per poll */
	if(ud_store_mark_poll(ret >= 0)) {
		if(ret < 0)
			LM_WARN("database unreachable: routing goes on from the copy "
					"in shared memory\n");
		else
			LM_INFO("database reachable again\n");
	}
	return ret;
}

int ud_db_prov_secret(const str *user, char *out, int size)
{
	static str col_user = str_init("username");
	static str col_secret = str_init("prov_secret");
	db_key_t k[1], c[1];
	db_val_t v[1];
	db1_res_t *res = NULL;
	str s;
	int ret = 0;

	out[0] = '\0';
	if(ud_db_open() < 0 || ud_dbf.use_table(ud_dbh, &ud_device_table) < 0)
		return -1;
	k[0] = &col_user;
	c[0] = &col_secret;
	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]) = *user;
	if(ud_dbf.query(ud_dbh, k, 0, v, c, 1, 1, 0, &res) < 0 || res == NULL)
		return -1;
	if(RES_ROW_N(res) > 0) {
		rs_db_val_str(&ROW_VALUES(&RES_ROWS(res)[0])[0], &s);
		if(s.len > 0 && s.len < size) {
			memcpy(out, s.s, s.len);
			out[s.len] = '\0';
			ret = 1;
		}
	}
	ud_dbf.free_result(ud_dbh, res);
	return ret;
}
