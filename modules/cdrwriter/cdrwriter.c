/*
 * Ringset - cdrwriter module: acc records written in batches, one INSERT
 * per table and flush interval, by a process of its own
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
 * record into one shared memory block (lib rs_rec.c) and appends it to a
 * queue; the module's flush process takes what the queue holds every
 * flush_interval ms and writes it as one multi-row INSERT per table (lib
 * rs_sql.c) over a connection it keeps. One statement, one round trip and
 * one commit for all the CDRs of an interval: a row each (acc's
 * db_insert_mode 2, or an async task per record) cost MariaDB a commit
 * and Kamailio a task hand-over, a wake-up and a round trip per call.
 */

#include <string.h>
#include <time.h>

#include "../../core/sr_module.h"
#include "../../core/dprint.h"
#include "../../core/flags.h"
#include "../../core/locking.h"
#include "../../core/timer_proc.h"
#include "../../core/cfg/cfg_struct.h"
#include "../../core/mem/mem.h"
#include "../../core/mem/shm_mem.h"
#include "../../core/pvar.h"
#include "../../core/trim.h"
#include "../../core/ut.h"
#include "../../core/parser/msg_parser.h"
#include "../acc/acc_api.h"
#include "../dialog/dlg_load.h"
#include "../dialog/dlg_hash.h"
#include "../common/rs_db.h"

#include "rs_rec.h"
#include "rs_sql.h"

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
static db1_con_t *cw_db = NULL; /* the flush process's connection */
static int cw_flush_interval = 100; /* ms */
static int cw_max_rows = 200;		 /* per INSERT */
static int cw_max_queue = 50000;	 /* CDRs waiting, beyond: lost (logged) */

/* the queue of packed records, in shared memory, oldest first */
typedef struct cw_item
{
	struct cw_item *next;
	uint32_t len;
	char rec[]; /* rs_rec_pack() */
} cw_item_t;

typedef struct cw_queue
{
	gen_lock_t lock;
	cw_item_t *head, *tail;
	int n;
} cw_queue_t;

static cw_queue_t *cw_q = NULL;
#define CW_SQL_MAX (256 * 1024) /* bytes of one INSERT */
static str cw_core_cols[CW_NCORE + 1] = {str_init("method"),
		str_init("from_tag"), str_init("to_tag"), str_init("callid"),
		str_init("sip_code"), str_init("sip_reason"), str_init("time")};

/* $cdr(name): in a BYE of a dialog, the CDR identity the cfg kept in the
 * dialog variable dialog_var ("<src_user> <src_dev> <dst_user> <dst_dev>"),
 * the time the dialog was answered and its duration; in any other
 * request, $avp(name) */
#define CW_DLG_NIDS 4 /* src_user src_dev dst_user dst_dev */
#define CW_REC_NF (CW_DLG_NIDS + 2) /* and call_start, duration */
#define CW_F_START CW_DLG_NIDS
#define CW_F_DURATION (CW_DLG_NIDS + 1)
static str cw_dlg_var = str_init("cdr");
static struct dlg_binds cw_dlgb;
static int cw_dlg_ready = 0;
static const char *cw_rec_names[CW_REC_NF] = {"src_user", "src_dev",
		"dst_user", "dst_dev", "call_start", "duration"};
/* $cdr(name) outside a BYE of a dialog: $avp(name) */
static pv_spec_t cw_rec_fallback[CW_REC_NF];
static int cw_rec_fallback_parsed[CW_REC_NF];

/* the record of the BYE last read, for the next $cdr() of the same
 * request (acc asks for each field in turn) */
typedef struct cw_bye_rec
{
	sip_msg_t *msg; /* the request (tm's copy, in a reply callback) */
	unsigned int id;
	int found; /* 1: a dialog, its fields below */
	char callid[128];
	int callid_len;
	char ident[256]; /* the dialog variable's value */
	rs_str_t f[CW_DLG_NIDS];
	int nf;
	unsigned int start, duration;
} cw_bye_rec_t;
static cw_bye_rec_t cw_bye;

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);
static int pv_parse_cdr_name(pv_spec_t *sp, str *in);
static int pv_get_cdr(sip_msg_t *msg, pv_param_t *param, pv_value_t *res);

/* clang-format off */
static cmd_export_t cmds[] = {
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
	{"flush_interval", PARAM_INT, &cw_flush_interval},
	{"max_rows", PARAM_INT, &cw_max_rows},
	{"max_queue", PARAM_INT, &cw_max_queue},
	{0, 0, 0}
};

static pv_export_t mod_pvs[] = {
	{{"cdr", sizeof("cdr") - 1}, PVT_OTHER, pv_get_cdr, 0,
		pv_parse_cdr_name, 0, 0, 0},
	{{0, 0}, 0, 0, 0, 0, 0, 0, 0}
};

struct module_exports exports = {
	"cdrwriter",
	DEFAULT_DLFLAGS,
	cmds,
	params,
	0,
	mod_pvs,
	0,
	mod_init,
	child_init,
	mod_destroy
};
/* clang-format on */

/* --- the flush process: one INSERT per table and interval ---------------- */

/* the Call-IDs of the records of table from it up to stop (NULL: the
 * end) that a failed statement lost */
static void cw_lost(cw_item_t *it, cw_item_t *stop, int table, const char *why)
{
	rs_rec_view_t v;

	for(; it && it != stop; it = it->next) {
		if(rs_rec_unpack(it->rec, it->len, &v) != RS_OK || v.table != table)
			continue;
		LM_ERR("CDR of call %.*s lost: %s\n", v.f[3].len,
				v.f[3].s ? v.f[3].s : "", why);
	}
}

static int cw_exec(rs_sqlbuf_t *b)
{
	str q;

	if(b->rows == 0)
		return 0;
	if(rs_db_open(&cw_db_url, &cw_dbf, &cw_db) < 0)
		return -1;
	q.s = b->s;
	q.len = (int)b->len;
	if(cw_dbf.raw_query(cw_db, &q, NULL) < 0) {
		/* a broken connection is opened again for the next statement */
		rs_db_close(&cw_dbf, &cw_db);
		return -1;
	}
	return 0;
}

/* the values of one record: core fields, the time, the extras */
static int cw_row_vals(rs_rec_view_t *v, rs_str_t *vals, char *tbuf, int tlen)
{
	struct tm tm;
	time_t t = (time_t)v->time;
	int i, n = 0;

	for(i = 0; i < CW_NCORE; i++, n++) {
		/* like acc: an unset core value is an empty string */
		vals[n].s = v->f[i].s ? v->f[i].s : "";
		vals[n].len = v->f[i].s ? v->f[i].len : 0;
	}
	if(localtime_r(&t, &tm) == NULL
			|| strftime(tbuf, tlen, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return -1;
	vals[n].s = tbuf;
	vals[n].len = (int)strlen(tbuf);
	n++;
	for(; i < v->n; i++, n++) {
		/* like acc: an unset extra value is an empty string too */
		vals[n].s = v->f[i].s ? v->f[i].s : "";
		vals[n].len = v->f[i].s ? v->f[i].len : 0;
	}
	return n;
}

/* the records of one table among those taken from the queue */
static void cw_write_table(cw_item_t *all, int table, str *name, char *sql)
{
	rs_str_t cols[RS_REC_MAX_FIELDS + 1], vals[RS_REC_MAX_FIELDS + 1];
	rs_str_t tn = {name->s, name->len};
	char tbuf[32];
	rs_sqlbuf_t b;
	rs_rec_view_t v;
	acc_extra_t *e;
	cw_item_t *it, *first = NULL;
	int i, nc = 0;

	for(i = 0; i <= CW_NCORE; i++, nc++) {
		cols[nc].s = cw_core_cols[i].s;
		cols[nc].len = cw_core_cols[i].len;
	}
	for(e = cw_extra; e; e = e->next, nc++) {
		cols[nc].s = e->name.s;
		cols[nc].len = e->name.len;
	}
	if(rs_sql_begin(&b, sql, CW_SQL_MAX, &tn, cols, nc) != RS_OK) {
		LM_ERR("table %.*s or a column name is not [A-Za-z0-9_]: CDRs not "
			   "written\n",
				name->len, name->s);
		return;
	}
	for(it = all; it; it = it->next) {
		if(rs_rec_unpack(it->rec, it->len, &v) != RS_OK
				|| v.n != CW_NCORE + cw_nextra) {
			if(table == CW_TABLE_ACC) /* once, not in each table's pass */
				LM_ERR("a malformed CDR record was queued: dropped\n");
			continue;
		}
		if(v.table != table)
			continue;
		if(cw_row_vals(&v, vals, tbuf, sizeof(tbuf)) != nc) {
			LM_ERR("CDR of call %.*s lost: bad time\n", v.f[3].len,
					v.f[3].s ? v.f[3].s : "");
			continue;
		}
		if(b.rows >= cw_max_rows
				|| (b.rows > 0 && rs_sql_row(&b, vals, nc) == RS_E_LIMIT)) {
			/* this statement is full: it goes, the row starts the next */
			if(cw_exec(&b) < 0)
				cw_lost(first, it, table, "the insert failed");
			rs_sql_begin(&b, sql, CW_SQL_MAX, &tn, cols, nc);
			first = NULL;
		} else if(b.rows > 0) {
			continue; /* the row went into the statement above */
		}
		if(rs_sql_row(&b, vals, nc) != RS_OK) {
			LM_ERR("CDR of call %.*s lost: larger than one statement\n",
					v.f[3].len, v.f[3].s ? v.f[3].s : "");
			continue;
		}
		if(first == NULL)
			first = it;
	}
	if(cw_exec(&b) < 0)
		cw_lost(first, NULL, table, "the insert failed");
}

/* everything the queue holds now, written and freed; locked = 0 only at
 * shutdown, when no other process is left to hold the lock (one killed
 * while holding it would block the main process forever) */
static void cw_flush(int locked)
{
	static char *sql = NULL;
	cw_item_t *all, *next;

	if(cw_q == NULL)
		return;
	if(locked)
		lock_get(&cw_q->lock);
	all = cw_q->head;
	cw_q->head = cw_q->tail = NULL;
	cw_q->n = 0;
	if(locked)
		lock_release(&cw_q->lock);
	if(all == NULL)
		return;
	if(sql == NULL && (sql = pkg_malloc(CW_SQL_MAX)) == NULL) {
		PKG_MEM_ERROR;
		cw_lost(all, NULL, CW_TABLE_ACC, "out of memory");
		cw_lost(all, NULL, CW_TABLE_MISSED, "out of memory");
	} else {
		cw_write_table(all, CW_TABLE_ACC, &cw_acc_table, sql);
		cw_write_table(all, CW_TABLE_MISSED, &cw_missed_table, sql);
	}
	for(; all; all = next) {
		next = all->next;
		shm_free(all);
	}
}

static void cw_flush_timer(unsigned int ticks, void *param)
{
	cw_flush(1);
}

/* --- the engine: in the process that handles the accounted reply ------ */

static int cw_acc_init(acc_init_info_t *inf)
{
	return 0;
}

static int cw_acc_req(struct sip_msg *req, acc_info_t *inf)
{
	cw_item_t *it;
	rs_str_t f[RS_REC_MAX_FIELDS];
	size_t need;
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
	it = shm_malloc(sizeof(cw_item_t) + need);
	if(it == NULL) {
		SHM_MEM_ERROR;
		goto done;
	}
	it->next = NULL;
	it->len = (uint32_t)need;
	ret = rs_rec_pack(it->rec, need, table, (int64_t)inf->env->ts, f, m + o);
	if(ret < 0) {
		LM_ERR("cannot pack the CDR of this transaction: not written\n");
		shm_free(it);
		goto done;
	}
	lock_get(&cw_q->lock);
	if(cw_q->n >= cw_max_queue) {
		lock_release(&cw_q->lock);
		LM_ERR("CDR of call %.*s lost: %d CDRs wait for the database "
			   "already (max_queue)\n",
				f[3].len, f[3].s ? f[3].s : "", cw_max_queue);
		shm_free(it);
		ret = -1;
		goto done;
	}
	if(cw_q->tail)
		cw_q->tail->next = it;
	else
		cw_q->head = it;
	cw_q->tail = it;
	cw_q->n++;
	lock_release(&cw_q->lock);
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

static int cw_dlg_init(void)
{
	if(cw_dlg_var.len <= 0) {
		LM_ERR("dialog_var: empty\n");
		return -1;
	}
	if(load_dlg_api(&cw_dlgb) < 0) {
		LM_INFO("no dialog module: $cdr() reads the AVPs alone\n");
		return 0;
	}
	cw_dlg_ready = 1;
	return 0;
}

/*
 * The CDR record of a BYE from its dialog, read once per request: NULL
 * for a request that is no BYE or belongs to no dialog. In the reply (or
 * timeout) of the BYE, where acc runs the engines, the dialog is still
 * there: dialog keeps it until the BYE's transaction is destroyed.
 */
static cw_bye_rec_t *cw_bye_record(sip_msg_t *msg)
{
	rs_str_t f[CW_DLG_NIDS];
	struct dlg_cell *dlg;
	str val;
	int n, i, len;

	if(!cw_dlg_ready || msg->first_line.type != SIP_REQUEST
			|| msg->first_line.u.request.method_value != METHOD_BYE)
		return NULL;
	if((msg->callid == NULL
			   && (parse_headers(msg, HDR_CALLID_F, 0) < 0
					   || msg->callid == NULL))
			|| msg->callid->body.len > (int)sizeof(cw_bye.callid))
		return NULL;
	if(cw_bye.msg == msg && cw_bye.id == msg->id
			&& cw_bye.callid_len == msg->callid->body.len
			&& memcmp(cw_bye.callid, msg->callid->body.s, cw_bye.callid_len)
					   == 0)
		return cw_bye.found ? &cw_bye : NULL;
	memset(&cw_bye, 0, sizeof(cw_bye));
	cw_bye.msg = msg;
	cw_bye.id = msg->id;
	cw_bye.callid_len = msg->callid->body.len;
	memcpy(cw_bye.callid, msg->callid->body.s, cw_bye.callid_len);
	dlg = cw_dlgb.get_dlg(msg);
	if(dlg == NULL)
		return NULL;
	if(dlg->callid.len != cw_bye.callid_len
			|| memcmp(dlg->callid.s, cw_bye.callid, cw_bye.callid_len) != 0) {
		/* the dialog of another request: none for this one */
		cw_dlgb.release_dlg(dlg);
		return NULL;
	}
	cw_bye.found = 1;
	cw_bye.start = dlg->start_ts;
	if(dlg->start_ts > 0)
		cw_bye.duration = (dlg->end_ts >= dlg->start_ts ? dlg->end_ts
														 : (unsigned int)time(NULL))
						  - dlg->start_ts;
	/* the value is copied to the pv buffer, under the dialog's lock */
	if(cw_dlgb.get_dlg_varval(dlg, &cw_dlg_var, &val) == 0 && val.s) {
		n = rs_split_fields(val.s, val.len, f, CW_DLG_NIDS);
		if(n < 0)
			LM_WARN("dialog %.*s: malformed CDR identity, the CDR "
					"names nobody\n",
					dlg->callid.len, dlg->callid.s);
		for(i = 0, len = 0; i < n; i++) {
			if(len + f[i].len > (int)sizeof(cw_bye.ident))
				break;
			memcpy(cw_bye.ident + len, f[i].s, f[i].len);
			cw_bye.f[i].s = cw_bye.ident + len;
			cw_bye.f[i].len = f[i].len;
			len += f[i].len;
		}
		cw_bye.nf = i;
	}
	cw_dlgb.release_dlg(dlg);
	return &cw_bye;
}

/* $cdr(name): src_user, src_dev, dst_user, dst_dev, call_start, duration */
static int pv_parse_cdr_name(pv_spec_t *sp, str *in)
{
	char fb[64];
	str fs;
	int i;

	if(sp == NULL || in == NULL || in->len <= 0)
		return -1;
	for(i = 0; i < CW_REC_NF; i++)
		if(strlen(cw_rec_names[i]) == (size_t)in->len
				&& strncmp(cw_rec_names[i], in->s, in->len) == 0)
			break;
	if(i == CW_REC_NF) {
		LM_ERR("$cdr(%.*s): not a field of the CDR record (src_user, "
			   "src_dev, dst_user, dst_dev, call_start, duration)\n",
				in->len, in->s);
		return -1;
	}
	if(!cw_rec_fallback_parsed[i]) {
		/* the spec keeps pointers into its text: it lives as long */
		fs.len = snprintf(fb, sizeof(fb), "$avp(%s)", cw_rec_names[i]);
		fs.s = pkg_malloc(fs.len + 1);
		if(fs.s == NULL) {
			PKG_MEM_ERROR;
			return -1;
		}
		memcpy(fs.s, fb, fs.len + 1);
		if(pv_parse_spec(&fs, &cw_rec_fallback[i]) == NULL) {
			LM_ERR("$cdr(%s): cannot parse %s\n", cw_rec_names[i], fb);
			pkg_free(fs.s);
			return -1;
		}
		cw_rec_fallback_parsed[i] = 1;
	}
	sp->pvp.pvn.type = PV_NAME_INTSTR;
	sp->pvp.pvn.u.isname.type = 0;
	sp->pvp.pvn.u.isname.name.n = i;
	return 0;
}

/* the field of the CDR record of a BYE's dialog, else $avp(name) */
static int pv_get_cdr(sip_msg_t *msg, pv_param_t *param, pv_value_t *res)
{
	static char tbuf[32];
	cw_bye_rec_t *r;
	struct tm tm;
	time_t t;
	str s;
	int i = param->pvn.u.isname.name.n;

	if(i < 0 || i >= CW_REC_NF || msg == NULL)
		return pv_get_null(msg, param, res);
	r = cw_bye_record(msg);
	if(r == NULL)
		return pv_get_spec_value(msg, &cw_rec_fallback[i], res);
	if(i < CW_F_START) {
		if(i >= r->nf || rs_str_unset(&r->f[i]))
			return pv_get_null(msg, param, res);
		s.s = (char *)r->f[i].s;
		s.len = r->f[i].len;
		return pv_get_strval(msg, param, res, &s);
	}
	if(r->start == 0)
		return pv_get_null(msg, param, res);
	if(i == CW_F_DURATION)
		return pv_get_sintval(msg, param, res, (int)r->duration);
	t = (time_t)r->start;
	if(localtime_r(&t, &tm) == NULL
			|| (s.len = (int)strftime(
						tbuf, sizeof(tbuf), "%Y-%m-%d %H:%M:%S", &tm))
					   <= 0)
		return pv_get_null(msg, param, res);
	s.s = tbuf;
	return pv_get_strval(msg, param, res, &s);
}

static int mod_init(void)
{
	acc_engine_t eng;
	acc_extra_t *e;

	if(cw_flush_interval < 10 || cw_flush_interval > 10000 || cw_max_rows < 1
			|| cw_max_queue < 1) {
		LM_ERR("flush_interval must be 10..10000 ms, max_rows and max_queue "
			   "at least 1\n");
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
	if(rs_db_bind(&cw_db_url, &cw_dbf, DB_CAP_RAW_QUERY) < 0)
		return -1;
	cw_q = shm_malloc(sizeof(*cw_q));
	if(cw_q == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(cw_q, 0, sizeof(*cw_q));
	if(lock_init(&cw_q->lock) == NULL) {
		LM_ERR("cannot init the queue lock\n");
		return -1;
	}
	register_procs(1);
	cfg_register_child(1);
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
	LM_INFO("CDRs into %.*s and %.*s, written every %d ms, at most %d rows "
			"per INSERT\n",
			cw_acc_table.len, cw_acc_table.s, cw_missed_table.len,
			cw_missed_table.s, cw_flush_interval, cw_max_rows);
	return 0;
}

static int child_init(int rank)
{
	if(rank != PROC_MAIN)
		return 0;
	/* fork_basic_utimer() takes microseconds */
	if(fork_basic_utimer(PROC_NOCHLDINIT, "cdrwriter flush", 1,
			   cw_flush_timer, NULL, cw_flush_interval * 1000)
			< 0) {
		LM_ERR("cannot start the CDR flush process\n");
		return -1;
	}
	return 0;
}

static void mod_destroy(void)
{
	/* the main process, at shutdown: what the flush process had no time
	 * for (its last interval) */
	if(cw_q && cw_q->head)
		cw_flush(0);
	rs_db_close(&cw_dbf, &cw_db);
}
