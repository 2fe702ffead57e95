/*
 * Ringset - cdrwriter module: acc records written by the async workers over
 * connections they keep
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * An accounting engine of the stock acc module (acc_api.h): acc decides
 * what is accounted and when (flags, failed_transaction_flag, failure
 * filters), this engine writes the record. The SIP worker only packs the
 * record into one shared memory block (lib rs_rec.c) and hands it to
 * Kamailio's async workers (core/async_task.h); an async worker inserts it
 * over a database connection it opened once and keeps. acc's own
 * db_insert_mode 2 opens and closes a MySQL connection for every record,
 * which cost more database CPU than the rest of a call.
 */

#include <string.h>
#include <time.h>

#include "../../core/sr_module.h"
#include "../../core/dprint.h"
#include "../../core/flags.h"
#include "../../core/async_task.h"
#include "../../core/mem/mem.h"
#include "../../core/mem/shm_mem.h"
#include "../../core/pvar.h"
#include "../../core/trim.h"
#include "../../core/lvalue.h"
#include "../acc/acc_api.h"
#include "../dialog/dlg_load.h"
#include "../dialog/dlg_hash.h"
#include "../common/rs_db.h"

#include "rs_rec.h"

MODULE_VERSION

#define CW_TABLE_ACC 0
#define CW_TABLE_MISSED 1
/* method, from_tag, to_tag, callid, sip_code, sip_reason (acc's core) */
#define CW_NCORE ACC_CORE_LEN

static str cw_db_url = str_init("mysql://ringset:ringset@localhost/ringset");
static str cw_acc_table = str_init("acc");
static str cw_missed_table = str_init("missed_calls");
static char *cw_extra_str = NULL;
static int cw_acc_flag = -1;
static int cw_missed_flag = -1;

static acc_api_t cw_accb;
static acc_extra_t *cw_extra = NULL;
static int cw_nextra = 0;
static db_func_t cw_dbf;
static db1_con_t *cw_db = NULL; /* this async worker's connection */
static str cw_core_cols[CW_NCORE + 1] = {str_init("method"),
		str_init("from_tag"), str_init("to_tag"), str_init("callid"),
		str_init("sip_code"), str_init("sip_reason"), str_init("time")};

/* cdr_from_dialog(): the dialog variable with the call's CDR identity and
 * the variables it fills (modparam dialog_avps) */
#define CW_DLG_NIDS 4 /* src_user src_dev dst_user dst_dev */
#define CW_DLG_NPV (CW_DLG_NIDS + 2) /* and call_start, duration */
static str cw_dlg_var = str_init("cdr");
static char *cw_dlg_avps_str = NULL;
static pv_spec_t cw_dlg_pv[CW_DLG_NPV];
static struct dlg_binds cw_dlgb;
static int cw_dlg_ready = 0;

static int mod_init(void);
static void mod_destroy(void);
static int w_cdr_from_dialog(sip_msg_t *msg, char *p1, char *p2);

/* clang-format off */
static cmd_export_t cmds[] = {
	{"cdr_from_dialog", (cmd_function)w_cdr_from_dialog, 0, 0, 0,
		REQUEST_ROUTE | FAILURE_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"db_url", PARAM_STR, &cw_db_url},
	{"acc_table", PARAM_STR, &cw_acc_table},
	{"missed_table", PARAM_STR, &cw_missed_table},
	{"extra", PARAM_STRING, &cw_extra_str},
	{"acc_flag", PARAM_INT, &cw_acc_flag},
	{"missed_flag", PARAM_INT, &cw_missed_flag},
	{"dialog_var", PARAM_STR, &cw_dlg_var},
	{"dialog_avps", PARAM_STRING, &cw_dlg_avps_str},
	{0, 0, 0}
};

struct module_exports exports = {
	"cdrwriter",
	DEFAULT_DLFLAGS,
	cmds,
	params,
	0,
	0,
	0,
	mod_init,
	0,
	mod_destroy
};
/* clang-format on */

/* --- the async worker: one insert over the kept connection ------------- */

static void cw_exec(void *param)
{
	static db_key_t keys[RS_REC_MAX_FIELDS + 1];
	static db_val_t vals[RS_REC_MAX_FIELDS + 1];
	static str names[RS_REC_MAX_FIELDS + 1];
	acc_extra_t *e;
	rs_rec_view_t v;
	str *table;
	uint32_t len;
	int i, n;

	memcpy(&len, param, sizeof(len));
	if(rs_rec_unpack((char *)param + sizeof(len), len, &v) != RS_OK
			|| v.n != CW_NCORE + cw_nextra) {
		LM_ERR("a malformed CDR record was queued: dropped\n");
		return;
	}
	table = v.table == CW_TABLE_MISSED ? &cw_missed_table : &cw_acc_table;
	memset(vals, 0, sizeof(vals));
	for(i = 0, n = 0; i < CW_NCORE; i++, n++) {
		names[n] = cw_core_cols[i];
		keys[n] = &names[n];
		VAL_TYPE(&vals[n]) = DB1_STR;
		VAL_STR(&vals[n]).s = v.f[i].s ? v.f[i].s : "";
		VAL_STR(&vals[n]).len = v.f[i].s ? v.f[i].len : 0;
	}
	names[n] = cw_core_cols[CW_NCORE];
	keys[n] = &names[n];
	VAL_TYPE(&vals[n]) = DB1_DATETIME;
	VAL_TIME(&vals[n]) = (time_t)v.time;
	n++;
	for(e = cw_extra; e && i < v.n; e = e->next, i++, n++) {
		names[n] = e->name;
		keys[n] = &names[n];
		/* like acc: an unset value is written as an empty string */
		VAL_TYPE(&vals[n]) = DB1_STR;
		VAL_STR(&vals[n]).s = v.f[i].s ? v.f[i].s : "";
		VAL_STR(&vals[n]).len = v.f[i].s ? v.f[i].len : 0;
	}
	if(rs_db_open(&cw_db_url, &cw_dbf, &cw_db) < 0) {
		LM_ERR("CDR of call %.*s lost: no database connection\n", v.f[3].len,
				v.f[3].s ? v.f[3].s : "");
		return;
	}
	if(cw_dbf.use_table(cw_db, table) < 0
			|| cw_dbf.insert(cw_db, keys, vals, n) < 0) {
		LM_ERR("CDR of call %.*s lost: the insert into %.*s failed\n",
				v.f[3].len, v.f[3].s ? v.f[3].s : "", table->len, table->s);
		/* a broken connection is opened again for the next record */
		rs_db_close(&cw_dbf, &cw_db);
	}
}

/* --- the engine: in the process that handles the accounted reply ------ */

static int cw_acc_init(acc_init_info_t *inf)
{
	return 0;
}

static int cw_acc_req(struct sip_msg *req, acc_info_t *inf)
{
	async_task_t *at;
	rs_str_t f[RS_REC_MAX_FIELDS];
	size_t need;
	uint32_t len;
	int i, m, o, table;
	long ret = -1;

	m = cw_accb.get_core_attrs(req, inf->varr, inf->iarr, inf->tarr);
	if(m != CW_NCORE) {
		LM_ERR("unexpected acc core attributes (%d)\n", m);
		return -1;
	}
	o = cw_accb.get_extra_attrs(
			cw_extra, req, inf->varr + m, inf->iarr + m, inf->tarr + m);
	for(i = 0; i < m + o && i < RS_REC_MAX_FIELDS; i++) {
		f[i].s = inf->varr[i].s;
		f[i].len = inf->varr[i].len;
		if(i >= m && inf->tarr[i] == TYPE_NULL)
			f[i].s = NULL;
	}
	/* acc runs engines for missed calls (on the first failure, missed flag
	 * still set) and for accounted transactions alike */
	table = (inf->env->code >= 300 && isflagset(req, cw_missed_flag) == 1)
					? CW_TABLE_MISSED
					: CW_TABLE_ACC;
	need = rs_rec_size(f, m + o);
	if(need == 0 || m + o != m + cw_nextra) {
		LM_ERR("CDR of this transaction too large or incomplete: not "
			   "written\n");
		goto done;
	}
	at = shm_malloc(sizeof(async_task_t) + sizeof(len) + need);
	if(at == NULL) {
		SHM_MEM_ERROR;
		goto done;
	}
	len = (uint32_t)need;
	at->exec = cw_exec;
	at->param = (char *)at + sizeof(async_task_t);
	memcpy(at->param, &len, sizeof(len));
	ret = rs_rec_pack((char *)at->param + sizeof(len), need, table,
			(int64_t)inf->env->ts, f, m + o);
	if(ret < 0 || async_task_push(at) < 0) {
		LM_ERR("cannot queue the CDR for the async workers\n");
		shm_free(at);
		ret = -1;
	}
done:
	/* the values of the extras were copied to pkg by acc */
	for(i = m; i < m + o; i++) {
		if(inf->tarr[i] != TYPE_NULL && inf->varr[i].s) {
			pkg_free(inf->varr[i].s);
			inf->varr[i].s = NULL;
		}
	}
	return ret < 0 ? -1 : 1;
}

/* --- the CDR identity of an answered call, read back at its BYE ------ */

/* modparam dialog_avps: six writable variables separated by ';' */
static int cw_dlg_init(void)
{
	char *p = cw_dlg_avps_str, *e;
	str sp;
	int i;

	if(p == NULL || *p == '\0')
		return 0;
	for(i = 0; i < CW_DLG_NPV; i++) {
		e = strchr(p, ';');
		sp.s = p;
		sp.len = e ? (int)(e - p) : (int)strlen(p);
		trim(&sp);
		if(sp.len <= 0 || pv_parse_spec(&sp, &cw_dlg_pv[i]) == NULL
				|| cw_dlg_pv[i].setf == NULL) {
			LM_ERR("dialog_avps: entry %d is not a writable variable "
				   "(src_user;src_dev;dst_user;dst_dev;call_start;duration)\n",
					i + 1);
			return -1;
		}
		if(e == NULL && i < CW_DLG_NPV - 1) {
			LM_ERR("dialog_avps: %d variables, %d needed\n", i + 1,
					CW_DLG_NPV);
			return -1;
		}
		p = e ? e + 1 : p + sp.len;
	}
	if(p && *p) {
		LM_ERR("dialog_avps: more than %d variables\n", CW_DLG_NPV);
		return -1;
	}
	if(cw_dlg_var.len <= 0) {
		LM_ERR("dialog_var: empty\n");
		return -1;
	}
	if(load_dlg_api(&cw_dlgb) < 0) {
		LM_ERR("cdr_from_dialog needs the dialog module\n");
		return -1;
	}
	cw_dlg_ready = 1;
	return 0;
}

static int cw_pv_set(sip_msg_t *msg, pv_spec_t *sp, str *s, long n)
{
	pv_value_t v;

	memset(&v, 0, sizeof(v));
	if(s) {
		v.flags = PV_VAL_STR;
		v.rs = *s;
	} else {
		v.flags = PV_VAL_INT | PV_TYPE_INT;
		v.ri = n;
	}
	return sp->setf(msg, &sp->pvp, EQ_T, &v);
}

/*
 * In the BYE of a dialog: the CDR identity that route CDR_STORE kept in
 * the dialog variable ("<src_user> <src_dev> <dst_user> <dst_dev>", an
 * unset one "<null>" or "-") into the first four variables of
 * dialog_avps, each only if set, and for an answered dialog the time it
 * was answered ("%Y-%m-%d %H:%M:%S", local time) and its duration in
 * seconds into the last two. 1, or -1 without a dialog.
 */
static int w_cdr_from_dialog(sip_msg_t *msg, char *p1, char *p2)
{
	char tbuf[32];
	rs_str_t f[CW_DLG_NIDS];
	struct dlg_cell *dlg;
	unsigned int start;
	struct tm tm;
	time_t t;
	str val, ts;
	int i, n;

	if(!cw_dlg_ready) {
		LM_ERR("cdr_from_dialog: modparam dialog_avps is not set\n");
		return -1;
	}
	dlg = cw_dlgb.get_dlg(msg);
	if(dlg == NULL)
		return -1;
	start = dlg->start_ts;
	/* the value is copied to the pv buffer, under the dialog's lock */
	if(cw_dlgb.get_dlg_varval(dlg, &cw_dlg_var, &val) == 0 && val.s) {
		n = rs_split_fields(val.s, val.len, f, CW_DLG_NIDS);
		if(n < 0)
			LM_WARN("dialog %.*s: malformed CDR identity, the CDR "
					"names nobody\n",
					dlg->callid.len, dlg->callid.s);
		for(i = 0; i < n; i++) {
			if(rs_str_unset(&f[i]))
				continue;
			ts.s = f[i].s;
			ts.len = f[i].len;
			cw_pv_set(msg, &cw_dlg_pv[i], &ts, 0);
		}
	}
	cw_dlgb.release_dlg(dlg);
	if(start > 0) {
		t = (time_t)start;
		if(localtime_r(&t, &tm) != NULL
				&& (ts.len = (int)strftime(tbuf, sizeof(tbuf),
							"%Y-%m-%d %H:%M:%S", &tm))
						   > 0) {
			ts.s = tbuf;
			cw_pv_set(msg, &cw_dlg_pv[CW_DLG_NIDS], &ts, 0);
		}
		cw_pv_set(msg, &cw_dlg_pv[CW_DLG_NIDS + 1], NULL,
				(long)(time(NULL) - t));
	}
	return 1;
}

static int mod_init(void)
{
	acc_engine_t eng;
	acc_extra_t *e;

	if(async_task_workers_get() < 1) {
		LM_ERR("cdrwriter needs Kamailio's async workers "
			   "(async_workers = 1 or more)\n");
		return -1;
	}
	if(cw_acc_flag < 0 || cw_acc_flag > MAX_FLAG || cw_missed_flag < 0
			|| cw_missed_flag > MAX_FLAG || cw_missed_flag == cw_acc_flag) {
		LM_ERR("acc_flag and missed_flag must be two flags (0..%d)\n",
				MAX_FLAG);
		return -1;
	}
	if(acc_load_api(&cw_accb) < 0 || cw_accb.register_engine == NULL) {
		LM_ERR("the acc module is needed\n");
		return -1;
	}
	if(cw_extra_str && *cw_extra_str) {
		cw_extra = cw_accb.parse_extra(cw_extra_str);
		if(cw_extra == NULL) {
			LM_ERR("bad extra definition: %s\n", cw_extra_str);
			return -1;
		}
	}
	for(e = cw_extra; e; e = e->next)
		cw_nextra++;
	if(CW_NCORE + cw_nextra > RS_REC_MAX_FIELDS) {
		LM_ERR("too many extra values (%d, at most %d)\n", cw_nextra,
				RS_REC_MAX_FIELDS - CW_NCORE);
		return -1;
	}
	if(rs_db_bind(&cw_db_url, &cw_dbf, DB_CAP_INSERT) < 0)
		return -1;
	if(cw_dlg_init() < 0)
		return -1;
	memset(&eng, 0, sizeof(eng));
	strcpy(eng.name, "cdrwriter");
	eng.acc_flag = cw_acc_flag;
	eng.missed_flag = cw_missed_flag;
	eng.acc_init = cw_acc_init;
	eng.acc_req = cw_acc_req;
	if(cw_accb.register_engine(&eng) < 0) {
		LM_ERR("cannot register the accounting engine\n");
		return -1;
	}
	LM_INFO("CDRs into %.*s and %.*s through %d async workers\n",
			cw_acc_table.len, cw_acc_table.s, cw_missed_table.len,
			cw_missed_table.s, async_task_workers_get());
	return 0;
}

static void mod_destroy(void)
{
	rs_db_close(&cw_dbf, &cw_db);
}
