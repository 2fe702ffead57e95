/*
 * Ringset - database connection helpers shared by the Ringset modules
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/* The database connection every Ringset module keeps: bind the module of a
 * URL once (mod_init), one connection per process (opened on first use). */

#ifndef RS_DB_H
#define RS_DB_H

#include <string.h>

#include "../../core/dprint.h"
#include "../../lib/srdb1/db.h"
#include "rs_cols.h"

/* bind the database module of url; -1 unless it can do every cap in caps */
static inline int rs_db_bind(str *url, db_func_t *dbf, unsigned int caps)
{
	if(db_bind_mod(url, dbf) < 0) {
		LM_ERR("cannot bind to the database module for %.*s\n", url->len,
				url->s);
		return -1;
	}
	if(!DB_CAPABILITY(*dbf, caps)) {
		LM_ERR("the database module of %.*s lacks a needed capability "
			   "(0x%x)\n",
				url->len, url->s, caps);
		return -1;
	}
	return 0;
}

/* this process's connection: opens *h unless it is open */
static inline int rs_db_open(str *url, db_func_t *dbf, db1_con_t **h)
{
	if(*h)
		return 0;
	*h = dbf->init(url);
	if(*h == NULL) {
		LM_ERR("cannot connect to the database\n");
		return -1;
	}
	return 0;
}

/* a result column as a str: "" (length 0) for NULL and non-text types */
static inline void rs_db_val_str(db_val_t *v, str *out)
{
	out->s = "";
	out->len = 0;
	if(VAL_NULL(v))
		return;
	switch(VAL_TYPE(v)) {
		case DB1_STRING:
			if(VAL_STRING(v)) {
				out->s = (char *)VAL_STRING(v);
				out->len = strlen(out->s);
			}
			break;
		case DB1_STR:
			if(VAL_STR(v).s)
				*out = VAL_STR(v);
			break;
		case DB1_BLOB:
			if(VAL_BLOB(v).s)
				*out = VAL_BLOB(v);
			break;
		default:
			break;
	}
}

/* a result column as an int: dflt for NULL and non-integer types */
static inline int rs_db_val_int(db_val_t *v, int dflt)
{
	if(VAL_NULL(v))
		return dflt;
	switch(VAL_TYPE(v)) {
		case DB1_INT:
			return VAL_INT(v);
		case DB1_BIGINT:
			return (int)VAL_BIGINT(v);
		case DB1_UINT:
			return (int)VAL_UINT(v);
		default:
			return dflt;
	}
}

/* the column names of a descriptor (rs_cols.h) as str, for a query's
 * column list; -1 when it has more than max columns */
static inline int rs_db_col_names(
		const rs_coldesc_t *d, int n, str *names, int max)
{
	int i;

	if(n > max) {
		LM_ERR("%d columns, room for %d\n", n, max);
		return -1;
	}
	for(i = 0; i < n; i++) {
		names[i].s = (char *)d[i].name;
		names[i].len = strlen(d[i].name);
	}
	return 0;
}

/* a result value into column c of row (rs_col_put_*): NULL gives the
 * column's default, an integer goes to an INT column as is, text is kept
 * (a string column) or parsed (an INT column); RS_E_BADROW with why */
static inline rs_err_t rs_db_col_put(const rs_coldesc_t *c, void *row,
		db_val_t *v, char *why, size_t wn)
{
	str s;

	if(VAL_NULL(v))
		return rs_col_put_str(c, row, NULL, 0, why, wn);
	if(c->type == RS_COL_INT) {
		switch(VAL_TYPE(v)) {
			case DB1_INT:
				return rs_col_put_int(c, row, VAL_INT(v), 0, why, wn);
			case DB1_UINT:
				return rs_col_put_int(c, row, VAL_UINT(v), 0, why, wn);
			case DB1_BIGINT:
			case DB1_UBIGINT:
				return rs_col_put_int(c, row, VAL_BIGINT(v), 0, why, wn);
			default:
				break;
		}
	}
	rs_db_val_str(v, &s);
	return rs_col_put_str(c, row, s.s, s.len, why, wn);
}

static inline void rs_db_close(db_func_t *dbf, db1_con_t **h)
{
	if(*h) {
		dbf->close(*h);
		*h = NULL;
	}
}

#endif
