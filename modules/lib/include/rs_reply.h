/*
 * Ringset - the SIP replies Ringset decides on: one enum, one table of
 * name, status code, reason phrase and what the log says about it (in the
 * manner of registrar's rerrno.h and reply.c)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * The routing script names a reply (ringset_reply("NOT_OUR_DOMAIN"),
 * userdev's README); the code and phrase on the wire and the log line come
 * from this table only. Stock protocol replies (483 Too Many Hops, 200 to a
 * keepalive or a REGISTER) are not Ringset decisions and stay in the cfg.
 */

#ifndef RS_REPLY_H
#define RS_REPLY_H

#include "rs_common.h"

typedef enum
{
	RS_R_ADDRESS_INCOMPLETE = 0,
	RS_R_DMQ_PORT_ONLY,
	RS_R_DMQ_FORBIDDEN,
	RS_R_UNKNOWN_DIALOG,
	RS_R_NOT_HERE,
	RS_R_NOT_OUR_DOMAIN,
	RS_R_PUBLISH_FORBIDDEN,
	RS_R_UNKNOWN_DEVICE,
	RS_R_BAD_EVENT,
	RS_R_NO_SUCH_EXTENSION,
	RS_R_WATCH_FORBIDDEN,
	RS_R_NOT_A_USER_DEVICE,
	RS_R_OWN_MAILBOX_ONLY,
	RS_R_ONE_CONTACT,
	RS_R_CONTACT_FORBIDDEN,
	RS_R_AUTH_UNAVAILABLE,
	RS_R_AUTH_FAILED,
	RS_R_HOTDESK_LOGIN_FIRST,
	RS_R_HOTDESK_DIAL_EXT,
	RS_R_METHOD_NOT_ALLOWED,
	RS_R_NOT_FOUND,
	RS_R_FEATURE_DISABLED,
	RS_R_SERVICE_UNAVAILABLE,
	RS_R_BAD_ORIGIN,
	RS_R_F2M_UNAVAILABLE,
	RS_R_NOT_USER_MOBILE,
	RS_R_BUSY,
	RS_R_DND,
	RS_R_UNAVAILABLE,
	RS_R_SERVER_ERROR,
	RS_R_NO_INCALL,
	RS_R_RECALL_OWN_USER,
	RS_R_NO_EXTERNAL_MESSAGES,
	RS_R_CALL_OUT_FORBIDDEN,
	RS_R_NO_EXTERNAL,
	RS_R_NO_INTERNATIONAL,
	RS_R_PICKUP_FORBIDDEN,
	RS_R_REPLACE_FORBIDDEN,
	RS_R_BAD_REPLACES,
	RS_R_NOTHING_TO_PICK_UP,
	RS_R_COUNT
} rs_reply_t;

typedef struct rs_reply_info
{
	const char *name;	/* the cfg's name: "NOT_OUR_DOMAIN" */
	int code;			/* SIP status, 400..699 */
	const char *reason; /* reason phrase on the wire */
	const char *what;	/* what the log says: why Ringset refused */
} rs_reply_info_t;

/* the entry of r, NULL outside the enum */
const rs_reply_info_t *rs_reply_info(rs_reply_t r);

/* the reply called name (len bytes, exact), -1 if none */
int rs_reply_find(const char *name, int len);

#endif /* RS_REPLY_H */
