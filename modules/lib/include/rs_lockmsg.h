/*
 * Ringset - wrong-PIN lockout messages between nodes
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * What one node tells the others about a lockout key (rs_lockout.h) over
 * DMQ: one line, "fail <key>" (one more wrong PIN) or "clear <key>" (the
 * right PIN, an unlock). A key is 1..RS_LOCKOUT_KEY_MAX printable ASCII
 * characters without blanks. No allocation; the parsed key points into the
 * message.
 */

#ifndef RS_LOCKMSG_H
#define RS_LOCKMSG_H

#include <stddef.h>

#include "rs_common.h"
#include "rs_lockout.h"

typedef enum
{
	RS_LOCKMSG_FAIL = 1,
	RS_LOCKMSG_CLEAR = 2
} rs_lockmsg_op_t;

/* longest message: "clear " and the longest key */
#define RS_LOCKMSG_MAX (6 + RS_LOCKOUT_KEY_MAX)

/* 1 if key can travel in a message */
int rs_lockmsg_key_ok(const rs_str_t *key);

/* the message for op and key into buf (NUL-terminated): its length, or
 * RS_E_INVAL (bad op or key) / RS_E_LIMIT (buf too small) */
int rs_lockmsg_format(
		char *buf, size_t size, rs_lockmsg_op_t op, const rs_str_t *key);

/* msg (len bytes, one trailing CR/LF allowed) into *op and *key */
rs_err_t rs_lockmsg_parse(
		const char *msg, int len, rs_lockmsg_op_t *op, rs_str_t *key);

#endif /* RS_LOCKMSG_H */
