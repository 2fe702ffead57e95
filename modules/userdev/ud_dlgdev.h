/*
 * Ringset - userdev module: the Replaces device map (rs_dlgdev.h)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef UD_DLGDEV_H
#define UD_DLGDEV_H

#include "../../core/str.h"
#include "../../core/parser/msg_parser.h"

/* modparam dlgdev_htable: the htable of the map ("dlgdev") */
extern str ud_dlgdev_htable;

/* userdev_dlgdev_save(key, contact, reached, device, nat, called): 1
 * stored, -1 a field that cannot be stored (logged), -2 htable error */
int w_userdev_dlgdev_save(sip_msg_t *msg, char *key, char *contact,
		char *reached, char *device, char *nat, char *called);
/* userdev_dlgdev(key, xavp): 1 with $xavp(xavp=>contact, reached, device,
 * nat, called), -1 no record, -2 a record that does not parse (logged) */
int w_userdev_dlgdev(sip_msg_t *msg, char *key, char *xname);

#endif
