/*
 * Ringset - column descriptors: one table of a table's columns (name,
 * type, range, default, where the value lives) that drives the query, the
 * validation, the routing script's xavp and the RPC output
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * A table's descriptor is an array of rs_coldesc_t, one line per column
 * (rs_user_cols in rs_userdir.c). Its users loop over it:
 *   - the module's SELECT names the columns in this order;
 *   - each value of a result row goes into the input row struct with
 *     rs_col_put_str()/rs_col_put_int() (NULL gives the default);
 *   - rs_cols_check() validates the whole row against the ranges;
 *   - the builder copies every column into its record and the frozen
 *     directory (out_off);
 *   - the lookup's xavp holds the columns whose xavp bit the lookup asked
 *     for, the RPC output the columns marked rpc.
 * Adding a column is its line here plus the field in the two structs that
 * hold the value (and the schema file with its version bump).
 */

#ifndef RS_COLS_H
#define RS_COLS_H

#include <stddef.h>

#include "rs_common.h"

typedef enum
{
	/* a string: no NUL or control character, at most RS_DIR_FIELD_MAX
	 * (rs_dir_check_field, the directory's own check of a text field) */
	RS_COL_TEXT = 0,
	/* a string of 0-9 A-Z a-z * # + . _ - only; min..max chars when
	 * not empty, and min 1 makes it mandatory */
	RS_COL_NAME,
	/* text without " or \ (it is written between quotes) */
	RS_COL_DISPLAY,
	/* an integer min..max; NULL (or an empty string) is dflt */
	RS_COL_INT
} rs_col_type_t;

/* out_off of a column the frozen record does not keep */
#define RS_COL_NONE ((size_t)-1)

/* dflt of an INT column whose NULL means "unset", accepted besides
 * min..max (RS_PERM_UNSET) */
#define RS_COL_UNSET (-1)

typedef struct rs_coldesc
{
	const char *name; /* the SQL column, the xavp field, the RPC key */
	rs_col_type_t type;
	int min, max;	   /* INT: the value's range; NAME: the length's */
	int dflt;		   /* INT: the value of NULL */
	int nullable;	   /* INT: dflt (NULL) is accepted even outside min..max */
	size_t row_off;	   /* rs_str_t (strings) or int in the input row */
	size_t out_off;	   /* the same in the frozen record, or RS_COL_NONE */
	unsigned int xavp; /* the lookup field bit that puts it in the xavp, 0:
						  never (a pin hash) */
	int rpc;		   /* 1: shown by the module's show RPC */
} rs_coldesc_t;

/* the value of column c in a row or a frozen record (at off) */
#define RS_COL_STR(base, off) ((rs_str_t *)(void *)((char *)(base) + (off)))
#define RS_COL_INTP(base, off) ((int *)(void *)((char *)(base) + (off)))

/* every column of row at its NULL value: strings empty, ints dflt */
void rs_cols_defaults(const rs_coldesc_t *d, int n, void *row);

/* the index of the column called name (len bytes), -1 if none */
int rs_cols_find(const rs_coldesc_t *d, int n, const char *name, int len);

/*
 * Puts a value given as text into column c of row: s NULL is SQL NULL.
 * A string column keeps s (not copied; NULL becomes ""), an INT column
 * parses it as a decimal integer ("" or NULL: dflt). RS_E_BADROW with why
 * ("ring_seconds is not a number") for a value that is not one.
 */
rs_err_t rs_col_put_str(const rs_coldesc_t *c, void *row, const char *s,
		int len, char *why, size_t wn);

/* Puts an integer into column c (is_null: dflt); RS_E_BADROW for a value
 * outside int, or for a string column */
rs_err_t rs_col_put_int(const rs_coldesc_t *c, void *row, long long v,
		int is_null, char *why, size_t wn);

/*
 * 0 when every column of row is valid, else -1 with why naming the first
 * bad column: "extension must be 1..32 chars", "ring_seconds must be
 * 1..600", "dnd must be 0 or 1", "display_name contains a control
 * character (CR, LF, TAB, ...)".
 */
int rs_cols_check(
		const rs_coldesc_t *d, int n, const void *row, char *why, size_t wn);

/* 0 when v is a valid value of the string column c, else -1 with why: a
 * value about to be written (a state change) is checked by the same rule
 * as the row the loader will read back */
int rs_col_check_str(
		const rs_coldesc_t *c, const rs_str_t *v, char *why, size_t wn);

/* why into a buffer of wn bytes, printf style (also for the callers'
 * own rules) */
void rs_cols_why(char *why, size_t wn, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

#endif /* RS_COLS_H */
