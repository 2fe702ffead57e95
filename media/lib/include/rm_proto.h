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
 * Text the media server reads and writes besides SIP itself: header values
 * (X-Ringset-*), the JSON-RPC call hotdesk.login and its answer, SIP INFO
 * application/dtmf-relay bodies, and RFC 3842 message-summary bodies.
 */

#ifndef RM_PROTO_H
#define RM_PROTO_H

#include <stddef.h>

/* an extension, device or mailbox name: [A-Za-z0-9._+-], 1..64 */
int rm_token_ok(const char *s, size_t len);

/* a timeout in s: 1..300 digits only; -1 if not */
int rm_parse_secs(const char *s, size_t len);

/*
 * X-Ringset-Reason "<code> <phrase>": the final reply of a refused call.
 * The code (400..699), with the phrase (printable ASCII, 1..127 bytes)
 * copied NUL-terminated into phrase (sz >= 128); -1 if it is not such a
 * value (no code, a 1xx-3xx, a control character, too long)
 */
int rm_parse_reason(const char *s, size_t len, char *phrase, size_t sz);

/*
 * the JSON-RPC 2.0 request hotdesk.login [terminal, ext, pin] with id;
 * snprintf semantics (the length it needs), -1 on bad arguments (a
 * terminal/ext that is not a token, a PIN that is not 4..16 digits)
 */
int rm_rpc_login_request(char *buf, size_t sz, const char *terminal,
		const char *ext, const char *pin, unsigned id);

typedef enum
{
	RM_LOGIN_ERROR = 0, /* no usable answer (RPC error, garbage) */
	RM_LOGIN_OK,		/* status logged-in */
	RM_LOGIN_WRONG,		/* status wrong-pin */
	RM_LOGIN_LOCKED		/* status locked */
} rm_login_t;

/* the outcome of a hotdesk.login answer body (JSON) */
rm_login_t rm_rpc_login_result(const char *body, size_t len);

/* the key of an application/dtmf-relay body ("Signal=1"), or 0 */
char rm_dtmf_relay_key(const char *body, size_t len);

/* a message-summary body (RFC 3842) for account uri; snprintf semantics */
int rm_mwi_body(char *buf, size_t sz, const char *uri, int nnew, int nsaved);

/* mysql://user:pass@host[:port]/db into its parts (NUL-terminated, each
 * at most 63 bytes); 0 if it is such a URL */
int rm_dburl_parse(const char *url, char user[64], char pass[64], char host[64],
		unsigned *port, char db[64]);

/* the user of a From URI for the caller column: a token, else "unknown" */
void rm_caller_name(const char *user, size_t len, char out[65]);

#endif /* RM_PROTO_H */
