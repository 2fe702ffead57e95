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
 * right PIN, an unlock). A node that starts asks the others with "sync";
 * each answers with one line per key it counts, "state <key> <locked_for>
 * <age> ..." (rs_lockout_entry_t: seconds the lock still runs, then the age
 * in seconds of each failure, oldest first). A key is 1..RS_LOCKOUT_KEY_MAX
 * printable ASCII characters without blanks. No allocation; the parsed key
 * points into the message.
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

/* the request a starting node sends */
#define RS_LOCKMSG_SYNC "sync"
/* 1 if msg (len bytes, one trailing CR/LF allowed) is that request */
int rs_lockmsg_is_sync(const char *msg, int len);

/* longest state line: "state ", the key, the lock and 16 ages */
#define RS_LOCKMSG_STATE_MAX \
	(6 + RS_LOCKOUT_KEY_MAX + 11 * (1 + RS_LOCKOUT_FAILS_MAX))

/* the state line of e into buf (NUL-terminated, no line end): its length,
 * or RS_E_INVAL (bad entry) / RS_E_LIMIT (buf too small) */
int rs_lockmsg_format_state(
		char *buf, size_t size, const rs_lockout_entry_t *e);

/* a state line (len bytes, one trailing CR/LF allowed) into *e; numbers
 * are decimal, 0..999999999, ages oldest first, at most
 * RS_LOCKOUT_FAILS_MAX of them; anything else is RS_E_INVAL */
rs_err_t rs_lockmsg_parse_state(
		const char *msg, int len, rs_lockout_entry_t *e);

#endif /* RS_LOCKMSG_H */
