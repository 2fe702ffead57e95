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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../core/dprint.h"
#include "../../core/crypto/md5utils.h"
#include "../../lib/srdb1/db.h"
#include "../common/rs_db.h"
#include "rs_snap.h"

#include "ud_db.h"
#include "ud_store.h"
#include "ud_creds.h"
#include "api.h"

str ud_db_url = str_init("mysql://ringset:ringset@localhost/ringset");
str ud_user_table = str_init("rs_user");
str ud_device_table = str_init("rs_device");
str ud_followme_table = str_init("rs_followme");
str ud_feature_table = str_init("rs_feature_code");
str ud_change_table = str_init("rs_change");
int ud_max_users = 100000;
int ud_max_devices = 300000;
int ud_max_followme = 300000;
int ud_fetch_rows = 1000;
int ud_recheck_interval = 300;
int ud_poll_interval = 1;
str ud_snapshot_file = STR_NULL;
str ud_creds_htable = STR_NULL;
str ud_subscriber_table = str_init("subscriber");
str ud_permset_table = str_init("rs_permission_set");
str ud_group_table = str_init("rs_group");
str ud_group_member_table = str_init("rs_group_member");

static db_func_t ud_dbf;
static db1_con_t *ud_dbh = NULL;

enum
{
	UD_T_USER = 0,
	UD_T_DEVICE,
	UD_T_FOLLOWME,
	UD_T_FEATURE,
	UD_T_PERMSET,
	UD_T_GROUP,
	UD_T_GROUP_MEMBER,
	UD_NTABLES
};

/* each table's columns (rs_userdir.h descriptors): the SELECT names them
 * in this order and a result row is parsed by them */
static const struct
{
	const rs_coldesc_t *cols;
	const int *ncols;
	const char *name; /* in log lines */
} ud_tdesc[UD_NTABLES] = {
		{rs_user_cols, &rs_user_ncols, "rs_user"},
		{rs_device_cols, &rs_device_ncols, "rs_device"},
		{rs_followme_cols, &rs_followme_ncols, "rs_followme"},
		{rs_feature_cols, &rs_feature_ncols, "rs_feature_code"},
		{rs_permset_cols, &rs_permset_ncols, "rs_permission_set"},
		{rs_group_cols, &rs_group_ncols, "rs_group"},
		{rs_group_member_cols, &rs_group_member_ncols, "rs_group_member"},
};
#define UD_MAX_COLS 32
static str ud_colnames[UD_NTABLES][UD_MAX_COLS]; /* ud_db_bind */

int ud_db_bind(void)
{
	int t;

	for(t = 0; t < UD_NTABLES; t++)
		if(rs_db_col_names(ud_tdesc[t].cols, *ud_tdesc[t].ncols,
				   ud_colnames[t], UD_MAX_COLS)
				< 0)
			return -1;
	if(rs_db_bind(&ud_db_url, &ud_dbf,
			   DB_CAP_QUERY | DB_CAP_UPDATE | DB_CAP_RAW_QUERY
					   | DB_CAP_AFFECTED_ROWS)
			< 0)
		return -1;
	/* the write path needs transactions (srdb1 has no capability bit) */
	if(ud_dbf.start_transaction == NULL || ud_dbf.end_transaction == NULL
			|| ud_dbf.abort_transaction == NULL) {
		LM_ERR("the database module of %.*s has no transactions\n",
				ud_db_url.len, ud_db_url.s);
		return -1;
	}
	if(!DB_CAPABILITY(ud_dbf, DB_CAP_FETCH))
		LM_INFO("the database module cannot fetch in chunks: each table is "
				"read in one piece\n");
	return 0;
}

int ud_db_open(void)
{
	return rs_db_open(&ud_db_url, &ud_dbf, &ud_dbh);
}

void ud_db_close(void)
{
	rs_db_close(&ud_dbf, &ud_dbh);
}

/* every table the directory reads, with the version it was written for */
int ud_db_check_versions(void)
{
	const struct
	{
		const str *table;
		unsigned int version;
	} t[] = {
			{&ud_user_table, UD_USER_TABLE_VERSION},
			{&ud_device_table, UD_DEVICE_TABLE_VERSION},
			{&ud_followme_table, UD_FOLLOWME_TABLE_VERSION},
			{&ud_feature_table, UD_FEATURE_TABLE_VERSION},
			{&ud_change_table, UD_CHANGE_TABLE_VERSION},
			/* the tables of the README's groups section */
			{&ud_permset_table, UD_PERMSET_TABLE_VERSION},
			{&ud_group_table, UD_GROUP_TABLE_VERSION},
			{&ud_group_member_table, UD_GROUP_MEMBER_TABLE_VERSION},
	};
	size_t i;

	for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if(db_check_table_version(&ud_dbf, ud_dbh, t[i].table, t[i].version)
				< 0) {
			DB_TABLE_VERSION_ERROR((*t[i].table));
			return -1;
		}
	}
	return 0;
}

#define ud_val_int rs_db_val_int

/*
 * The builder's working memory is private to the loading process and freed
 * when the load ends. It comes from the C heap: pkg memory (16 MB per
 * process) ran out at 8,192 users and the rows after that were dropped
 * without a word; shm must keep its room for calls.
 */
static void *ud_sys_malloc(size_t size, void *ctx)
{
	return malloc(size);
}

static void ud_sys_free(void *p, void *ctx)
{
	free(p);
}

static const rs_alloc_t ud_sys_alloc = {ud_sys_malloc, ud_sys_free, NULL};

typedef struct ud_load_ctx
{
	unsigned int rejected;			/* rows refused (reported) */
	unsigned int over[UD_NTABLES];	/* rows beyond a configured limit */
	unsigned int nrows[UD_NTABLES]; /* rows read */
	unsigned int ncreds;			/* credentials written to the snapshot */
	int quiet; /* an unchanged table is not reported on every poll */
	int nomem; /* a row could not be added: the load is abandoned */
	const char *nomem_table;
} ud_load_ctx_t;

static void ud_on_reject(
		void *ctx, const char *table, const rs_str_t *key, const char *reason)
{
	ud_load_ctx_t *lc = (ud_load_ctx_t *)ctx;

	lc->rejected++;
	if(!lc->quiet)
		LM_WARN("%s row '%.*s' ignored: %s\n", table, key ? key->len : 0,
				key && key->s ? key->s : "", reason);
}

/* what a builder call returned: counts a row over a limit, flags the
 * errors that abandon the load */
static void ud_added(ud_load_ctx_t *lc, int t, const char *table, rs_err_t rc)
{
	lc->nrows[t]++;
	if(rc == RS_E_LIMIT) {
		lc->over[t]++;
	} else if(rc == RS_E_NOMEM || rc == RS_E_INVAL) {
		if(!lc->nomem)
			lc->nomem_table = table;
		lc->nomem = 1;
	}
}

/* a row of a table whose capacity is fixed (RS_FEATURE_MAX, RS_PERMSET_MAX):
 * one over it is reported like a refused row, not as over a limit */
static void ud_added_fixed(ud_load_ctx_t *lc, int t, const char *table,
		rs_err_t rc, int max, const rs_str_t *key)
{
	if(rc == RS_E_LIMIT) {
		lc->rejected++;
		if(!lc->quiet)
			LM_WARN("%s: more than %d rows: '%.*s' ignored\n", table, max,
					key->len, key->s ? key->s : "");
		rc = RS_OK;
	}
	ud_added(lc, t, table, rc);
}

/* a result row of table t into its input struct row, column by column of
 * the table's descriptor (NULL: the column's default): 0, or -1 for a
 * value that is not one (reported like a refused row) */
static int ud_parse(int t, void *row, db_val_t *v, ud_load_ctx_t *lc)
{
	const rs_coldesc_t *d = ud_tdesc[t].cols;
	rs_err_t rc = RS_OK;
	char why[160];
	int i;

	rs_cols_defaults(d, *ud_tdesc[t].ncols, row);
	for(i = 0; i < *ud_tdesc[t].ncols && rc == RS_OK; i++)
		rc = rs_db_col_put(&d[i], row, &v[i], why, sizeof(why));
	if(rc == RS_OK)
		return 0;
	/* the first column names the row (it is a string in every table) */
	ud_on_reject(lc, ud_tdesc[t].name, RS_COL_STR(row, d[0].row_off), why);
	ud_added(lc, t, ud_tdesc[t].name, rc);
	return -1;
}

static void ud_add_user(rs_dir_builder_t *b, db_val_t *v, ud_load_ctx_t *lc)
{
	rs_user_row_t u;

	/* a refused row was reported through the reject callback */
	if(ud_parse(UD_T_USER, &u, v, lc) == 0)
		ud_added(lc, UD_T_USER, "rs_user", rs_dir_builder_add_user(b, &u));
}

static void ud_add_device(rs_dir_builder_t *b, db_val_t *v, ud_load_ctx_t *lc)
{
	rs_device_row_t d;

	if(ud_parse(UD_T_DEVICE, &d, v, lc) == 0)
		ud_added(lc, UD_T_DEVICE, "rs_device",
				rs_dir_builder_add_device(b, &d));
}

static void ud_add_followme(rs_dir_builder_t *b, db_val_t *v, ud_load_ctx_t *lc)
{
	rs_followme_row_t f;

	if(ud_parse(UD_T_FOLLOWME, &f, v, lc) == 0)
		ud_added(lc, UD_T_FOLLOWME, "rs_followme",
				rs_dir_builder_add_followme(b, &f));
}

static void ud_add_feature(rs_dir_builder_t *b, db_val_t *v, ud_load_ctx_t *lc)
{
	rs_feature_row_t f;

	if(ud_parse(UD_T_FEATURE, &f, v, lc) == 0)
		ud_added_fixed(lc, UD_T_FEATURE, "rs_feature_code",
				rs_dir_builder_add_feature(b, &f), RS_FEATURE_MAX, &f.code);
}

static void ud_add_permset(rs_dir_builder_t *b, db_val_t *v, ud_load_ctx_t *lc)
{
	rs_permset_row_t p;

	if(ud_parse(UD_T_PERMSET, &p, v, lc) == 0)
		ud_added_fixed(lc, UD_T_PERMSET, "rs_permission_set",
				rs_dir_builder_add_permset(b, &p), RS_PERMSET_MAX, &p.name);
}

static void ud_add_group(rs_dir_builder_t *b, db_val_t *v, ud_load_ctx_t *lc)
{
	rs_group_row_t g;

	if(ud_parse(UD_T_GROUP, &g, v, lc) == 0)
		ud_added(lc, UD_T_GROUP, "rs_group", rs_dir_builder_add_group(b, &g));
}

static void ud_add_group_member(
		rs_dir_builder_t *b, db_val_t *v, ud_load_ctx_t *lc)
{
	rs_group_member_row_t m;

	if(ud_parse(UD_T_GROUP_MEMBER, &m, v, lc) == 0)
		ud_added(lc, UD_T_GROUP_MEMBER, "rs_group_member",
				rs_dir_builder_add_group_member(b, &m));
}

typedef void (*ud_add_row_f)(
		rs_dir_builder_t *b, db_val_t *v, ud_load_ctx_t *lc);

/* reads one table into the builder, ud_fetch_rows rows at a time (the
 * database module's copy of the rows is in pkg memory); ordered by id so
 * that the rows a limit refuses are always the last ones. 0, or -1 when
 * the database failed */
/* the snapshot being written by the current build (ud_snap_open) */
static FILE *ud_snap_out = NULL;

static void ud_snap_row(int t, db_val_t *v, int ncols)
{
	char buf[1024], *p;
	str sv;
	int i, n;

	if(ud_snap_out == NULL)
		return;
	fprintf(ud_snap_out, "i%d", t);
	for(i = 0; i < ncols; i++) {
		if(VAL_NULL(&v[i])) {
			fputs("\tN", ud_snap_out);
			continue;
		}
		switch(VAL_TYPE(&v[i])) {
			case DB1_INT:
			case DB1_UINT:
			case DB1_BIGINT:
			case DB1_UBIGINT:
				fprintf(ud_snap_out, "\ti%lld",
						VAL_TYPE(&v[i]) == DB1_BIGINT
										|| VAL_TYPE(&v[i]) == DB1_UBIGINT
								? (long long)VAL_BIGINT(&v[i])
								: (long long)rs_db_val_int(&v[i], 0));
				break;
			default:
				rs_db_val_str(&v[i], &sv);
				n = rs_snap_put_str(sv.s, sv.len, buf, sizeof(buf));
				p = buf;
				if(n >= (int)sizeof(buf)) {
					p = malloc(n + 1);
					if(p == NULL) {
						/* the file is not published (ud_snap_close) */
						fclose(ud_snap_out);
						ud_snap_out = NULL;
						return;
					}
					rs_snap_put_str(sv.s, sv.len, p, n + 1);
				}
				fputc('\t', ud_snap_out);
				fwrite(p, 1, n, ud_snap_out);
				if(p != buf)
					free(p);
				break;
		}
	}
	fputc('\n', ud_snap_out);
}

static int ud_read_table(int t, str *table, ud_add_row_f add,
		rs_dir_builder_t *b, ud_load_ctx_t *lc)
{
	static str id_col = str_init("id");
	db_key_t keys[UD_MAX_COLS];
	db1_res_t *res = NULL;
	int i, fetch, ncols = *ud_tdesc[t].ncols;

	for(i = 0; i < ncols; i++)
		keys[i] = &ud_colnames[t][i];
	if(ud_dbf.use_table(ud_dbh, table) < 0) {
		LM_ERR("cannot use table %.*s\n", table->len, table->s);
		return -1;
	}
	fetch = DB_CAPABILITY(ud_dbf, DB_CAP_FETCH) && ud_fetch_rows > 0;
	if(fetch) {
		if(ud_dbf.query(ud_dbh, 0, 0, 0, keys, 0, ncols, &id_col, 0) < 0
				|| ud_dbf.fetch_result(ud_dbh, &res, ud_fetch_rows) < 0)
			goto failed;
	} else if(ud_dbf.query(ud_dbh, 0, 0, 0, keys, 0, ncols, &id_col, &res)
			  < 0) {
		goto failed;
	}
	for(;;) {
		for(i = 0; i < RES_ROW_N(res) && !lc->nomem; i++) {
			add(b, ROW_VALUES(&RES_ROWS(res)[i]), lc);
			ud_snap_row(t, ROW_VALUES(&RES_ROWS(res)[i]), ncols);
		}
		if(!fetch || lc->nomem || RES_ROW_N(res) == 0)
			break;
		if(ud_dbf.fetch_result(ud_dbh, &res, ud_fetch_rows) < 0)
			goto failed;
	}
	ud_dbf.free_result(ud_dbh, res);
	return 0;

failed:
	LM_DBG("cannot read %.*s\n", table->len, table->s);
	if(res)
		ud_dbf.free_result(ud_dbh, res);
	return -1;
}

/* the file a build writes first; renamed onto snapshot_file once the
 * directory read with it is published, so the file is always a whole,
 * published directory */
static char *ud_snap_tmp_name(void)
{
	static char name[1024];

	if(ud_snapshot_file.len <= 0
			|| ud_snapshot_file.len + 5 >= (int)sizeof(name))
		return NULL;
	snprintf(name, sizeof(name), "%.*s.tmp", ud_snapshot_file.len,
			ud_snapshot_file.s);
	return name;
}

static void ud_snap_open(void)
{
	char *tmp = ud_snap_tmp_name();
	mode_t old;

	if(ud_snap_out) {
		fclose(ud_snap_out);
		ud_snap_out = NULL;
	}
	if(tmp == NULL)
		return;
	/* pin hashes, never PINs; still the owner's only */
	old = umask(077);
	ud_snap_out = fopen(tmp, "w");
	umask(old);
	if(ud_snap_out == NULL) {
		LM_WARN("cannot write the directory snapshot %s: a start without "
				"the database would have no directory\n",
				tmp);
		return;
	}
	fprintf(ud_snap_out, "%s\n", RS_SNAP_MAGIC);
}

/* the rows a build wrote to the snapshot: every table's and the
 * credentials */
static unsigned int ud_snap_nrows(const ud_load_ctx_t *lc)
{
	unsigned int n = lc->ncreds;
	int t;

	for(t = 0; t < UD_NTABLES; t++)
		n += lc->nrows[t];
	return n;
}

/* publish = 1: the build was published, its file replaces the snapshot */
static void ud_snap_close(int publish, const ud_load_ctx_t *lc)
{
	char *tmp = ud_snap_tmp_name();
	char name[1024];
	int ok;

	if(tmp == NULL)
		return;
	if(ud_snap_out == NULL) {
		unlink(tmp);
		return;
	}
	if(publish)
		fprintf(ud_snap_out, "%s%u\n", RS_SNAP_END,
				ud_snap_nrows(lc));
	ok = fflush(ud_snap_out) == 0 && fsync(fileno(ud_snap_out)) == 0;
	ok = (fclose(ud_snap_out) == 0) && ok;
	ud_snap_out = NULL;
	snprintf(name, sizeof(name), "%.*s", ud_snapshot_file.len,
			ud_snapshot_file.s);
	if(!publish || !ok || rename(tmp, name) < 0) {
		if(publish)
			LM_WARN("cannot write the directory snapshot %s\n", name);
		unlink(tmp);
	}
}

/* the snapshot's credentials: "i4 <username> <HA1>" per subscriber row,
 * HA1 = MD5(username:domain:password), what route[AUTH_PHONE] keeps in the
 * creds htable; a start without the database puts them back there. The
 * password itself is never written. 0, or -1 when the database failed */
#define UD_T_CREDS UD_NTABLES
/* the widest row of the snapshot (ud_read_table's keys hold 32) */
#define UD_SNAP_MAXCOLS 32
static int ud_snap_creds(ud_load_ctx_t *lc)
{
	static str cols[3] = {
			str_init("username"), str_init("domain"), str_init("password")};
	static str colon = str_init(":");
	db_key_t keys[3] = {&cols[0], &cols[1], &cols[2]};
	db1_res_t *res = NULL;
	str parts[5];
	char ha1[33], buf[512];
	db_val_t *v;
	int i, fetch, n;

	/* the rows go to the snapshot file, and to the ha1 htable */
	ud_ha1_discard();
	if((ud_snap_out == NULL || ud_creds_htable.len <= 0) && !ud_ha1_enabled())
		return 0;
	if(ud_dbf.use_table(ud_dbh, &ud_subscriber_table) < 0)
		return -1;
	fetch = DB_CAPABILITY(ud_dbf, DB_CAP_FETCH) && ud_fetch_rows > 0;
	if(fetch) {
		if(ud_dbf.query(ud_dbh, 0, 0, 0, keys, 0, 3, 0, 0) < 0
				|| ud_dbf.fetch_result(ud_dbh, &res, ud_fetch_rows) < 0)
			goto failed;
	} else if(ud_dbf.query(ud_dbh, 0, 0, 0, keys, 0, 3, 0, &res) < 0) {
		goto failed;
	}
	for(;;) {
		for(i = 0; i < RES_ROW_N(res); i++) {
			v = ROW_VALUES(&RES_ROWS(res)[i]);
			rs_db_val_str(&v[0], &parts[0]);
			rs_db_val_str(&v[1], &parts[2]);
			rs_db_val_str(&v[2], &parts[4]);
			if(parts[0].len == 0 || parts[4].len == 0)
				continue;
			parts[1] = colon;
			parts[3] = colon;
			MD5StringArray(ha1, parts, 5);
			ha1[32] = '\0';
			ud_ha1_add(&parts[0], ha1);
			if(ud_snap_out == NULL || ud_creds_htable.len <= 0)
				continue;
			n = rs_snap_put_str(parts[0].s, parts[0].len, buf, sizeof(buf));
			if(n >= (int)sizeof(buf))
				continue;
			fprintf(ud_snap_out, "i%d\t%s\ts%s\n", UD_T_CREDS, buf, ha1);
			lc->ncreds++;
		}
		if(!fetch || RES_ROW_N(res) == 0)
			break;
		if(ud_dbf.fetch_result(ud_dbh, &res, ud_fetch_rows) < 0)
			goto failed;
	}
	ud_dbf.free_result(ud_dbh, res);
	return 0;

failed:
	if(res)
		ud_dbf.free_result(ud_dbh, res);
	return -1;
}

/* a new builder fed with the four tables: 0, -1 database failed, -2 out
 * of memory (logged); *out is set on 0 only */
static int ud_build(ud_load_ctx_t *lc, rs_dir_builder_t **out)
{
	rs_dir_builder_t *b;
	int quiet = lc->quiet;

	memset(lc, 0, sizeof(*lc));
	lc->quiet = quiet;
	b = rs_dir_builder_new(&ud_sys_alloc, ud_on_reject, lc);
	if(b == NULL) {
		LM_ERR("out of memory for the directory builder: the previous "
			   "directory stays in use\n");
		return -2;
	}
	if(rs_dir_builder_set_limits(
			   b, ud_max_users, ud_max_devices, ud_max_followme)
			!= RS_OK) {
		/* checked in mod_init */
		rs_dir_builder_free(b);
		return -2;
	}
	ud_snap_open();
	if(ud_read_table(UD_T_USER, &ud_user_table, ud_add_user, b, lc) < 0
			|| ud_read_table(UD_T_DEVICE, &ud_device_table, ud_add_device, b,
					   lc)
					   < 0
			|| ud_read_table(UD_T_FOLLOWME, &ud_followme_table,
					   ud_add_followme, b, lc)
					   < 0
			|| ud_read_table(UD_T_FEATURE, &ud_feature_table, ud_add_feature,
					   b, lc)
					   < 0
			|| ud_read_table(UD_T_PERMSET, &ud_permset_table, ud_add_permset,
					   b, lc)
					   < 0
			|| ud_read_table(UD_T_GROUP, &ud_group_table, ud_add_group, b, lc)
					   < 0
			|| ud_read_table(UD_T_GROUP_MEMBER, &ud_group_member_table,
					   ud_add_group_member, b, lc)
					   < 0
			|| ud_snap_creds(lc) < 0) {
		ud_snap_close(0, lc);
		rs_dir_builder_free(b);
		return -1;
	}
	if(lc->nomem) {
		LM_ERR("out of memory while reading %s (%u users, %u devices read): "
			   "the previous directory stays in use\n",
				lc->nomem_table, lc->nrows[UD_T_USER], lc->nrows[UD_T_DEVICE]);
		ud_snap_close(0, lc);
		rs_dir_builder_free(b);
		return -2;
	}
	*out = b;
	return 0;
}

/* one HA1 of the snapshot into the creds htable (a start without the
 * database only: the table is empty then); with ha1_htable through its
 * set, so that the first load from the database removes what is gone */
static void ud_snap_put_cred(rs_str_t *user, rs_str_t *ha1, unsigned int *n)
{
	str u = {user->s, user->len}, h = {ha1->s, ha1->len};

	if(ud_ha1_enabled()) {
		if(ha1->len == 32) {
			ud_ha1_add(&u, ha1->s);
			(*n)++;
		}
		return;
	}
	if(ud_creds_put(&u, &h) > 0)
		(*n)++;
}

/* reads snapshot_file into a new builder, through the same row functions
 * as the database: 0, or -1 (logged) for a missing, cut or bad file */
static int ud_snap_build(ud_load_ctx_t *lc, rs_dir_builder_t **out)
{
	static const ud_add_row_f add[UD_NTABLES] = {ud_add_user, ud_add_device,
			ud_add_followme, ud_add_feature, ud_add_permset, ud_add_group,
			ud_add_group_member};
	rs_snap_field_t f[UD_SNAP_MAXCOLS + 1];
	db_val_t v[UD_SNAP_MAXCOLS];
	char name[1024], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned int lineno = 0, rows = 0, end = 0, ncreds = 0;
	rs_dir_builder_t *b;
	FILE *fp;
	int n, i, t, whole = 0;

	memset(lc, 0, sizeof(*lc));
	if(ud_snapshot_file.len <= 0
			|| ud_snapshot_file.len >= (int)sizeof(name)) {
		LM_ERR("no modparam(\"userdev\", \"snapshot_file\", ...): no "
			   "directory to start from\n");
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", ud_snapshot_file.len,
			ud_snapshot_file.s);
	fp = fopen(name, "r");
	if(fp == NULL) {
		LM_ERR("no directory snapshot %s to start from\n", name);
		return -1;
	}
	b = rs_dir_builder_new(&ud_sys_alloc, ud_on_reject, lc);
	if(b == NULL
			|| rs_dir_builder_set_limits(
					   b, ud_max_users, ud_max_devices, ud_max_followme)
					   != RS_OK) {
		LM_ERR("out of memory for the directory builder\n");
		goto error;
	}
	while((len = getline(&line, &cap, fp)) > 0) {
		lineno++;
		if(line[len - 1] == '\n')
			line[--len] = '\0';
		if(lineno == 1) {
			if(strcmp(line, RS_SNAP_MAGIC) != 0)
				goto bad;
			continue;
		}
		if(strncmp(line, RS_SNAP_END, sizeof(RS_SNAP_END) - 1) == 0) {
			end = (unsigned int)strtoul(line + sizeof(RS_SNAP_END) - 1, 0, 10);
			whole = 1;
			break;
		}
		n = rs_snap_parse_line(line, (int)len, f, UD_SNAP_MAXCOLS + 1);
		if(n < 1 || f[0].type != RS_SNAP_INT || f[0].num < 0
				|| f[0].num > UD_T_CREDS)
			goto bad;
		t = (int)f[0].num;
		if(t < UD_T_CREDS && *ud_tdesc[t].ncols > UD_SNAP_MAXCOLS)
			goto bad;
		if(t == UD_T_CREDS) {
			if(n != 3 || f[1].type != RS_SNAP_STR || f[2].type != RS_SNAP_STR)
				goto bad;
			ud_snap_put_cred(&f[1].str, &f[2].str, &ncreds);
			rows++;
			continue;
		}
		if(n != *ud_tdesc[t].ncols + 1)
			goto bad;
		memset(v, 0, sizeof(v));
		for(i = 0; i < *ud_tdesc[t].ncols; i++) {
			switch(f[i + 1].type) {
				case RS_SNAP_NULL:
					VAL_TYPE(&v[i]) = DB1_STR;
					VAL_NULL(&v[i]) = 1;
					break;
				case RS_SNAP_INT:
					VAL_TYPE(&v[i]) = DB1_BIGINT;
					VAL_BIGINT(&v[i]) = f[i + 1].num;
					break;
				default:
					VAL_TYPE(&v[i]) = DB1_STR;
					VAL_STR(&v[i]).s = f[i + 1].str.s;
					VAL_STR(&v[i]).len = f[i + 1].str.len;
					break;
			}
		}
		add[t](b, v, lc);
		rows++;
		if(lc->nomem) {
			LM_ERR("out of memory while reading the snapshot %s\n", name);
			goto error;
		}
	}
	if(!whole || end != rows) {
		LM_ERR("the directory snapshot %s is incomplete (%u rows, %s): not "
			   "used\n",
				name, rows, whole ? "count differs" : "no end line");
		goto error;
	}
	free(line);
	fclose(fp);
	if(ud_ha1_enabled())
		ud_ha1_commit();
	if(ncreds > 0)
		LM_INFO("%u credentials from the snapshot in htable %.*s\n", ncreds,
				ud_ha1_enabled() ? ud_ha1_htable.len : ud_creds_htable.len,
				ud_ha1_enabled() ? ud_ha1_htable.s : ud_creds_htable.s);
	*out = b;
	return 0;

bad:
	LM_ERR("the directory snapshot %s is damaged at line %u: not used\n", name,
			lineno);
error:
	free(line);
	fclose(fp);
	if(b)
		rs_dir_builder_free(b);
	return -1;
}


/* one ERROR line per table whose rows a configured limit refused */
static void ud_report_limits(const ud_load_ctx_t *lc)
{
	static const char *const what[UD_NTABLES] = {"rs_user", "rs_device",
			"rs_followme", "rs_feature_code", "rs_permission_set", "rs_group",
			"rs_group_member"};
	static const char *const param[UD_NTABLES] = {
			"max_users", "max_devices", "max_followme", "", "", "", ""};
	const int limit[UD_NTABLES] = {
			ud_max_users, ud_max_devices, ud_max_followme, 0, 0, 0, 0};
	int t;

	for(t = 0; t < UD_T_FEATURE; t++)
		if(lc->over[t] > 0)
			LM_ERR("%s: %u rows beyond the limit of %d refused (raise "
				   "modparam(\"userdev\", \"%s\", ...))\n",
					what[t], lc->over[t], limit[t], param[t]);
}

static unsigned int ud_over_total(const ud_load_ctx_t *lc)
{
	return lc->over[UD_T_USER] + lc->over[UD_T_DEVICE]
		   + lc->over[UD_T_FOLLOWME];
}

/* the change counter the triggers of db-schema keep: 1 read, 0 no such
 * table or row, -1 the database failed */
static int ud_read_counter(long long *value)
{
	static str name_col = str_init("name"), counter_col = str_init("counter");
	db_key_t k[1] = {&name_col}, c[1] = {&counter_col};
	db_val_t v[1];
	db1_res_t *res = NULL;
	db_val_t *rv;
	int ret = 0;

	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]).s = "userdir";
	VAL_STR(&v[0]).len = 7;
	if(ud_dbf.use_table(ud_dbh, &ud_change_table) < 0)
		return -1;
	if(ud_dbf.query(ud_dbh, k, 0, v, c, 1, 1, 0, &res) < 0)
		return -1;
	if(RES_ROW_N(res) > 0) {
		rv = ROW_VALUES(&RES_ROWS(res)[0]);
		if(!VAL_NULL(&rv[0])) {
			*value = VAL_TYPE(&rv[0]) == DB1_BIGINT ? VAL_BIGINT(&rv[0])
													: ud_val_int(&rv[0], 0);
			ret = 1;
		}
	}
	ud_dbf.free_result(ud_dbh, res);
	return ret;
}

static unsigned int ud_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (unsigned int)((t1.tv_sec - t0->tv_sec) * 1000
						  + (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

int ud_db_load_file(void)
{
	rs_dir_builder_t *b = NULL;
	rs_dir_t *dir = NULL;
	ud_load_ctx_t lc;
	struct timespec t0;
	struct stat sb;
	char when[32] = "?", name[1024];
	rs_err_t err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if(ud_snap_build(&lc, &b) < 0)
		return -1;
	err = rs_dir_freeze(b, &ud_shm_alloc, &dir);
	if(err != RS_OK) {
		LM_ERR("cannot build the directory in shared memory from the "
			   "snapshot: %s\n",
				rs_strerror(err));
		rs_dir_builder_free(b);
		return -1;
	}
	rs_dir_builder_free(b);
	if(ud_store_publish(dir, lc.rejected + ud_over_total(&lc),
			   ud_over_total(&lc), ud_ms_since(&t0))
			< 0)
		return -1;
	ud_store_mark_from_file();
	snprintf(name, sizeof(name), "%.*s", ud_snapshot_file.len,
			ud_snapshot_file.s);
	if(stat(name, &sb) == 0)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S",
				localtime(&sb.st_mtime));
	LM_WARN("database unreachable at start: user directory from the snapshot "
			"%.*s (written %s): %d users, %d devices; the poller takes the "
			"database when it answers\n",
			ud_snapshot_file.len, ud_snapshot_file.s, when, rs_dir_nusers(dir),
			rs_dir_ndevices(dir));
	return 0;
}

int ud_db_load(int force)
{
	static time_t last_full = 0;
	rs_dir_builder_t *b = NULL;
	rs_dir_t *dir = NULL;
	ud_load_ctx_t lc;
	unsigned long long digest;
	struct timespec t0;
	long long counter = 0;
	ud_status_t st;
	int ret = -1, have = 0, rc, snap = 0;
	rs_err_t err;

	memset(&lc, 0, sizeof(lc));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if(ud_db_open() < 0)
		goto done;
	ud_store_status(&st);
	/* a poll with nothing changed is one row by key; a full read every
	 * recheck_interval s catches what triggers miss (TRUNCATE); the first
	 * read after a start from the snapshot is a full one */
	if(st.from_file)
		force = 1;
	rc = ud_read_counter(&counter);
	if(rc < 0 && !force) {
		ud_db_close(); /* the next poll reconnects */
		goto done;
	}
	have = rc > 0;
	if(!force && have && ud_store_counter_same(counter)
			&& (ud_recheck_interval <= 0
					|| time(NULL) - last_full < ud_recheck_interval)) {
		ret = 0;
		goto done;
	}
	if(!have && !force && time(NULL) - last_full < ud_poll_interval) {
		/* no counter row: the tables are read every poll_interval */
		ret = 0;
		goto done;
	}
	if(!have && st.have_counter)
		LM_WARN("the change counter (row 'userdir' of %.*s) is gone: every "
				"poll_interval reads the whole directory and state changes "
				"fail; create it with db-schema\n",
				ud_change_table.len, ud_change_table.s);

	/* rows refused by an unchanged table were reported when it changed */
	lc.quiet = !force;
	rc = ud_build(&lc, &b);
	if(rc == -1) {
		ud_db_close(); /* drop the handle: the next poll reconnects */
		goto done;
	}
	if(rc == -2) {
		ud_store_load_failed();
		ud_store_counter_set(have, counter);
		ret = -2;
		goto done;
	}
	last_full = time(NULL);
	digest = rs_dir_builder_digest(b);
	if(!force && digest == ud_store_digest()) {
		/* the directory is the same, but what moved the counter may be a
		 * table only the snapshot file holds (a new password in
		 * subscriber): the file this read wrote replaces the old one */
		ud_store_counter_set(have, counter);
		snap = 1;
		ret = 0;
		goto done;
	}
	if(lc.quiet && (lc.rejected > 0 || ud_over_total(&lc) > 0)) {
		/* changed tables: read once more so refused rows are logged */
		rs_dir_builder_free(b);
		b = NULL;
		lc.quiet = 0;
		rc = ud_build(&lc, &b);
		if(rc < 0) {
			if(rc == -2) {
				ud_store_load_failed();
				ret = -2;
			} else {
				ud_db_close();
			}
			goto done;
		}
	}
	ud_report_limits(&lc);
	err = rs_dir_freeze(b, &ud_shm_alloc, &dir);
	if(err != RS_OK) {
		LM_ERR("cannot build the directory in shared memory (%d users, %d "
			   "devices): %s; the previous directory stays in use\n",
				rs_dir_builder_nusers(b), rs_dir_builder_ndevices(b),
				rs_strerror(err));
		ud_store_load_failed();
		/* tried again on the next change or recheck, not every poll */
		ud_store_counter_set(have, counter);
		ret = -2;
		goto done;
	}
	if(ud_store_publish(dir, lc.rejected + ud_over_total(&lc),
			   ud_over_total(&lc), ud_ms_since(&t0))
			< 0) {
		/* the counter is not recorded: the next poll reads again */
		LM_DBG("an old snapshot is still in use, publishing later\n");
		ret = 0;
		goto done;
	}
	ud_store_counter_set(have, counter);
	LM_INFO("user directory loaded: %d users, %d devices, %u rows refused "
			"(%u ms, %lu KiB)\n",
			rs_dir_nusers(dir), rs_dir_ndevices(dir),
			lc.rejected + ud_over_total(&lc), ud_ms_since(&t0),
			(unsigned long)(rs_dir_size(dir) / 1024));
	ret = 1;

done:
	ud_snap_close(ret == 1 || snap, &lc);
	/* the HA1s of this read, when it was taken (a new password alone
	 * leaves the directory as it was: snap) */
	if(ret == 1 || snap)
		ud_ha1_commit();
	else
		ud_ha1_discard();
	if(b)
		rs_dir_builder_free(b);
	/* the state of the database is logged when it changes, not per poll */
	if(ud_store_mark_poll(ret != -1)) {
		if(ret == -1)
			LM_WARN("database unreachable: routing goes on from the copy "
					"in shared memory\n");
		else
			LM_INFO("database reachable again\n");
	}
	return ret;
}

/* --- the write path ----------------------------------------------------- */

/*
 * The change counter is the one mechanism that tells every node's poller
 * that the directory moved: the triggers of db-schema/75 bump it for every
 * write to the four tables made in SQL, and the write path bumps it as its
 * first statement, which also takes the row lock that serialises every state
 * change on every node (and in Galera, certifies one of two concurrent
 * changes). The statement is a constant of the configured table name: no
 * value from a message is pasted into it.
 */
static char ud_bump_sql[160];
static str ud_bump_q = STR_NULL;

static int ud_bump_counter(void)
{
	int n;

	if(ud_bump_q.s == NULL) {
		n = snprintf(ud_bump_sql, sizeof(ud_bump_sql),
				"UPDATE %.*s SET counter = counter + 1 WHERE name = "
				"'userdir'",
				ud_change_table.len, ud_change_table.s);
		if(n <= 0 || n >= (int)sizeof(ud_bump_sql))
			return -1;
		ud_bump_q.s = ud_bump_sql;
		ud_bump_q.len = n;
	}
	if(ud_dbf.raw_query(ud_dbh, &ud_bump_q, NULL) < 0)
		return -1;
	if(ud_dbf.affected_rows(ud_dbh) != 1) {
		LM_ERR("no row 'userdir' in %.*s (db-schema/75-rs_change-create.sql "
			   "makes it)\n",
				ud_change_table.len, ud_change_table.s);
		return -1;
	}
	return 0;
}

static void ud_rollback(void)
{
	if(ud_dbf.abort_transaction(ud_dbh) < 0)
		ud_db_close();
}

/*
 * One state change: a transaction that first bumps the change counter (so
 * it holds that row's lock: changes made at the same time on any node
 * happen one after the other, settled by the database), runs fn on this
 * connection and commits. fn < 0 rolls back, the bump with it. No lock of
 * Ringset's own is held; nothing is reloaded here: the pollers of every node
 * (this one included) see the counter move at their next tick and publish a
 * new directory.
 */
int ud_db_write(
		int (*fn)(db_func_t *dbf, db1_con_t *h, void *param), void *param)
{
	int ret;

	if(ud_db_open() < 0)
		return USERDEV_W_DB;
	if(ud_dbf.start_transaction(ud_dbh, DB_LOCKING_NONE) < 0) {
		LM_ERR("cannot start a transaction\n");
		ud_db_close();
		return USERDEV_W_DB;
	}
	if(ud_bump_counter() < 0) {
		LM_ERR("cannot bump the change counter: nothing changed\n");
		ud_rollback();
		return USERDEV_W_DB;
	}
	ret = fn(&ud_dbf, ud_dbh, param);
	if(ret < 0) {
		ud_rollback();
		return ret;
	}
	if(ud_dbf.end_transaction(ud_dbh) < 0) {
		LM_ERR("cannot commit a state change\n");
		ud_rollback();
		return USERDEV_W_DB;
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
