/*
 * Ringset - userdev module: the replies Ringset decides on (rs_reply.h)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef UD_REPLY_H
#define UD_REPLY_H

#include "../../core/parser/msg_parser.h"

/* binds the sl module (mod_init); -1 without it */
int ud_reply_init(void);

/* ringset_reply(name): sends the reply called name (stateful when the
 * request has a transaction, as sl's send_reply); 1, -1 send failed, -2
 * unknown name */
int w_ringset_reply(sip_msg_t *msg, char *name, char *p2);
/* ringset_reply_text(name, pv): "<code> <phrase>" of that reply into pv
 * (X-Ringset-Reason of the media server's refuse service); returns the
 * SIP status ($rc), -2 unknown name */
int w_ringset_reply_text(sip_msg_t *msg, char *name, char *dst);
/* a plain reply (sl's freply: the lumps added to the reply go with it);
 * 1, or -1 if it could not be sent */
int ud_sl_reply(sip_msg_t *msg, int code, const char *reason);
/* 1: spve, and a constant name must be one of the table (E_CFG at
 * start); 2: a writable pv */
int ud_reply_fixup(void **param, int param_no);
int ud_reply_fixup_free(void **param, int param_no);

#endif
