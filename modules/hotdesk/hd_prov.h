/*
 * Ringset - hotdesk module: auto provisioning of desk phones over HTTP
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef _HD_PROV_H_
#define _HD_PROV_H_

#include "../../core/parser/msg_parser.h"

extern str hd_sip_server;

/* parses hd_sip_server ("host:port"), binds xhttp; 0 ok */
int hd_prov_init(void);

/* answers the HTTP request for path (GET /provision/<vendor>/<mac>.<ext>)
 * with 200 and the file, or 400/404/500 and a one-line reason; 1 if a
 * reply was sent, -1 if not even that worked */
int hd_provision(sip_msg_t *msg, str *path);

/* JSON-RPC over HTTP: the "method" of the request body, found as jsonrpcs
 * will find it (the same srjson parse of the same bytes), is one of the
 * names in methods (comma or space separated): 1 yes, -1 another method,
 * -2 the body is not a JSON object with a string "method" */
int hd_rpc_allowed(sip_msg_t *msg, str *methods);

/* binds the auth module; 0 ok */
int hd_prov_auth_init(void);

/* HTTP digest of a phone fetching the configuration of MAC mac: user = the
 * MAC, password = its rs_device.prov_secret (a random one for an unknown
 * MAC, so that nothing tells the two apart). 1 authenticated; otherwise
 * the challenge is in the auth module's challenge AVP and the result is
 * -1 wrong credentials, -2 none, -3 error; -4 mac is not 12 lower-case hex
 * digits (nothing checked) */
int hd_prov_auth(sip_msg_t *msg, const str *mac, str *realm);

#endif
