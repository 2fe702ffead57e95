/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2026 The Ringset authors
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
 * rs_voicemail in MySQL/MariaDB: the index of the mailboxes. Every
 * statement is prepared with bound parameters (no value from a message is
 * pasted into SQL). Calls are short and made from the main loop; a lost
 * connection is opened again on the next call.
 */

#include <mysql.h>
#include <stdio.h>
#include <string.h>

#include "rm_daemon.h"
#include "rm_proto.h"

static MYSQL *rm_my;
static char rm_db_user[64], rm_db_pass[64], rm_db_host[64], rm_db_name[64];
static unsigned rm_db_port;

int rm_db_init(const char *url, const char *sock)
{
	if(rm_dburl_parse(url, rm_db_user, rm_db_pass, rm_db_host, &rm_db_port,
			   rm_db_name))
		return -1;
	if(sock != rm.cfg.db_sock)
		snprintf(
				rm.cfg.db_sock, sizeof(rm.cfg.db_sock), "%s", sock ? sock : "");
	return 0;
}

static MYSQL *rm_db(void)
{
	if(rm_my && !mysql_ping(rm_my))
		return rm_my;
	if(rm_my)
		mysql_close(rm_my);
	rm_my = mysql_init(NULL);
	if(!rm_my)
		return NULL;
	{
		/* a database that does not answer must not hold the main loop */
		unsigned int t = 2;
		mysql_options(rm_my, MYSQL_OPT_CONNECT_TIMEOUT, &t);
		mysql_options(rm_my, MYSQL_OPT_READ_TIMEOUT, &t);
		mysql_options(rm_my, MYSQL_OPT_WRITE_TIMEOUT, &t);
	}
	if(!mysql_real_connect(rm_my, rm_db_host, rm_db_user, rm_db_pass,
			   rm_db_name, rm_db_port,
			   rm.cfg.db_sock[0] ? rm.cfg.db_sock : NULL, 0)) {
		RM_ERR("database %s@%s: %s\n", rm_db_name, rm_db_host,
				mysql_error(rm_my));
		mysql_close(rm_my);
		rm_my = NULL;
		return NULL;
	}
	return rm_my;
}

void rm_db_close(void)
{
	if(rm_my)
		mysql_close(rm_my);
	rm_my = NULL;
}

static void rm_bind_str(MYSQL_BIND *b, const char *s, unsigned long *len)
{
	memset(b, 0, sizeof(*b));
	*len = (unsigned long)strlen(s);
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = (void *)s;
	b->buffer_length = *len;
	b->length = len;
}

static void rm_bind_int(MYSQL_BIND *b, long long *v)
{
	memset(b, 0, sizeof(*b));
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = v;
}

/* runs q with the parameters; for a SELECT, res/nres bind the columns
 * and fetch(row) is called per row */
static int rm_db_exec(const char *q, MYSQL_BIND *par, MYSQL_BIND *res,
		void (*fetch)(void *arg), void *arg, long long *insert_id)
{
	MYSQL *my = rm_db();
	MYSQL_STMT *st;
	int rc = -1;

	if(!my)
		return -1;
	st = mysql_stmt_init(my);
	if(!st)
		return -1;
	if(mysql_stmt_prepare(st, q, (unsigned long)strlen(q))
			|| (par && mysql_stmt_bind_param(st, par))
			|| mysql_stmt_execute(st)) {
		RM_ERR("rs_voicemail: %s\n", mysql_stmt_error(st));
		goto out;
	}
	if(res) {
		if(mysql_stmt_bind_result(st, res) || mysql_stmt_store_result(st)) {
			RM_ERR("rs_voicemail: %s\n", mysql_stmt_error(st));
			goto out;
		}
		while(mysql_stmt_fetch(st) == 0)
			fetch(arg);
	}
	if(insert_id)
		*insert_id = (long long)mysql_stmt_insert_id(st);
	rc = 0;
out:
	mysql_stmt_close(st);
	return rc;
}

int rm_db_vm_insert(const char *ext, const char *caller, long long dur_ms,
		const char *path, long long *id)
{
	MYSQL_BIND p[4];
	unsigned long l[3];

	rm_bind_str(&p[0], ext, &l[0]);
	rm_bind_str(&p[1], caller, &l[1]);
	rm_bind_int(&p[2], &dur_ms);
	rm_bind_str(&p[3], path, &l[2]);
	return rm_db_exec("INSERT INTO rs_voicemail (extension, caller, "
					  "duration_ms, state, path) VALUES (?, ?, ?, 'new', ?)",
			p, NULL, NULL, NULL, id);
}

struct rm_counts
{
	long long n, s;
	int *nnew, *nsaved;
};

static void rm_count_row(void *arg)
{
	struct rm_counts *c = arg;

	*c->nnew = (int)c->n;
	*c->nsaved = (int)c->s;
}

int rm_db_vm_counts(const char *ext, int *nnew, int *nsaved)
{
	MYSQL_BIND p[1], r[2];
	unsigned long l;
	struct rm_counts c = {0, 0, nnew, nsaved};

	*nnew = *nsaved = 0;
	rm_bind_str(&p[0], ext, &l);
	rm_bind_int(&r[0], &c.n);
	rm_bind_int(&r[1], &c.s);
	return rm_db_exec("SELECT CAST(COALESCE(SUM(state = 'new'), 0) AS SIGNED), "
					  "CAST(COALESCE(SUM(state = 'saved'), 0) AS SIGNED) "
					  "FROM rs_voicemail WHERE extension = ?",
			p, r, rm_count_row, &c, NULL);
}

struct rm_list
{
	long long id;
	char path[256];
	unsigned long plen;
	struct rm_vmsg *out;
	int n, max;
};

static void rm_list_row(void *arg)
{
	struct rm_list *ls = arg;

	if(ls->n >= ls->max)
		return;
	ls->out[ls->n].id = ls->id;
	if(ls->plen >= sizeof(ls->out[ls->n].path))
		ls->plen = sizeof(ls->out[ls->n].path) - 1;
	memcpy(ls->out[ls->n].path, ls->path, ls->plen);
	ls->out[ls->n].path[ls->plen] = '\0';
	ls->n++;
}

int rm_db_vm_list(const char *ext, struct rm_vmsg *out, int max)
{
	MYSQL_BIND p[1], r[2];
	unsigned long l;
	struct rm_list ls;

	memset(&ls, 0, sizeof(ls));
	ls.out = out;
	ls.max = max;
	rm_bind_str(&p[0], ext, &l);
	rm_bind_int(&r[0], &ls.id);
	memset(&r[1], 0, sizeof(r[1]));
	r[1].buffer_type = MYSQL_TYPE_STRING;
	r[1].buffer = ls.path;
	r[1].buffer_length = sizeof(ls.path);
	r[1].length = &ls.plen;
	if(rm_db_exec("SELECT id, path FROM rs_voicemail WHERE extension = ? "
				  "ORDER BY state = 'new' DESC, created, id",
			   p, r, rm_list_row, &ls, NULL))
		return -1;
	return ls.n;
}

int rm_db_vm_update(long long id, bool delete_it)
{
	MYSQL_BIND p[1];

	rm_bind_int(&p[0], &id);
	return rm_db_exec(delete_it ? "DELETE FROM rs_voicemail WHERE id = ?"
								: "UPDATE rs_voicemail SET state = 'saved' "
								  "WHERE id = ?",
			p, NULL, NULL, NULL, NULL);
}

struct rm_boxes
{
	char e[65];
	unsigned long el;
	char (*out)[65];
	int n, max;
};

static void rm_box_row(void *arg)
{
	struct rm_boxes *b = arg;

	if(b->n >= b->max || b->el >= 65)
		return;
	memcpy(b->out[b->n], b->e, b->el);
	b->out[b->n][b->el] = '\0';
	b->n++;
}

int rm_db_vm_mailboxes(char (*ext)[65], int max)
{
	MYSQL_BIND r[1];
	struct rm_boxes b;

	memset(&b, 0, sizeof(b));
	b.out = ext;
	b.max = max;
	memset(r, 0, sizeof(r));
	r[0].buffer_type = MYSQL_TYPE_STRING;
	r[0].buffer = b.e;
	r[0].buffer_length = sizeof(b.e);
	r[0].length = &b.el;
	if(rm_db_exec("SELECT DISTINCT extension FROM rs_voicemail", NULL, r,
			   rm_box_row, &b, NULL))
		return -1;
	return b.n;
}
