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
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * The on-disk copy of the user directory's rows (userdev's snapshot_file):
 * one line per row, fields separated by tabs. A field is "N" (NULL),
 * "i<decimal>" (an integer) or "s<text>" with backslash, tab, newline and
 * carriage return written as \\, \t, \n, \r. These helpers format and
 * parse one field or one line; they allocate nothing.
 */

#ifndef RS_SNAP_H
#define RS_SNAP_H

#include "rs_common.h"

/* the first line of a snapshot file, and the prefix of its last one
 * ("end <rows>"), which tells a complete file from a cut one; the number
 * changes with the tables a snapshot holds (2: ring groups and permission
 * sets), so an older file is refused, not misread */
#define RS_SNAP_MAGIC "ringset-userdir 2"
#define RS_SNAP_END "end "

typedef enum
{
	RS_SNAP_NULL = 0,
	RS_SNAP_INT,
	RS_SNAP_STR
} rs_snap_type_t;

typedef struct rs_snap_field
{
	rs_snap_type_t type;
	long long num; /* RS_SNAP_INT */
	rs_str_t str;  /* RS_SNAP_STR: points into the parsed line */
} rs_snap_field_t;

/* writes the string field for s (len bytes) into out (snprintf
 * semantics: returns the length it needs, without the NUL) */
int rs_snap_put_str(const char *s, int len, char *out, int size);

/*
 * Parses one line (without its newline; modified in place: strings are
 * unescaped where they stand) into at most max fields. Returns the number
 * of fields, or RS_E_BADROW for a bad field (unknown type, bad escape, bad
 * integer) or more than max fields, RS_E_INVAL for NULL arguments.
 */
int rs_snap_parse_line(char *line, int len, rs_snap_field_t *f, int max);

#endif
