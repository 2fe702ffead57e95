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

/*
 * A multi-row INSERT built into one caller-provided buffer: the CDRs that
 * came in within one flush interval go to MariaDB as one statement (one
 * round trip, one commit) instead of one each. Values are quoted without
 * depending on the server's sql_mode: a string of printable characters
 * that holds no quote or backslash is written as '...', anything else as
 * a hexadecimal literal (0x...), which MariaDB converts to the column's
 * character set. Table and column names are written in backquotes and
 * must be [A-Za-z0-9_] only.
 */

#ifndef RS_SQL_H
#define RS_SQL_H

#include <stddef.h>

#include "rs_common.h"

typedef struct rs_sqlbuf
{
	char *s;
	size_t size; /* bytes of s */
	size_t len;	 /* bytes used, without the NUL */
	int rows;	 /* rows added */
} rs_sqlbuf_t;

/*
 * "INSERT INTO `table` (`c1`,...,`cn`) VALUES " into buf (NUL-terminated).
 * RS_E_INVAL for a NULL argument, no columns or a name that is empty or
 * not [A-Za-z0-9_]; RS_E_LIMIT if it does not fit in size bytes.
 */
rs_err_t rs_sql_begin(rs_sqlbuf_t *b, char *buf, size_t size,
		const rs_str_t *table, const rs_str_t *cols, int ncols);

/*
 * Appends one row of n values, "(v1,...,vn)", after a comma from the
 * second row on; a value with s == NULL is NULL. RS_E_LIMIT when it does
 * not fit (the statement is left as it was, without the row), RS_E_INVAL
 * for a NULL argument or a negative length.
 */
rs_err_t rs_sql_row(rs_sqlbuf_t *b, const rs_str_t *vals, int n);

#endif /* RS_SQL_H */
