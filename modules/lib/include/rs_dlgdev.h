/*
 * Ringset - the Replaces device map: which device holds each side of a
 * dialog, as a struct and its one stored form
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * One record per side of a dialog, keyed by "<Call-ID>;<that side's tag>"
 * (htable dlgdev, replicated to the other nodes over DMQ): an INVITE with
 * Replaces goes to exactly that device, and the pickup and transfer policy
 * reads who the parties are. The stored form is
 *     <contact> <reached> <device> <nat> [<called>]
 * fields separated by one space, "-" for an empty device or called user
 * ("<null>", how earlier cfgs wrote an unset one, is read as empty too);
 * only this file writes and reads it (userdev_dlgdev_save/userdev_dlgdev).
 */

#ifndef RS_DLGDEV_H
#define RS_DLGDEV_H

#include <stddef.h>

#include "rs_common.h"

#define RS_DLGDEV_MAX 1024 /* longest stored form, with its NUL */

typedef struct rs_dlgdev
{
	rs_str_t contact; /* the device's Contact URI (sip: or sips:) */
	rs_str_t reached; /* where its request came from: sip:<ip>:<port>;... */
	rs_str_t device;  /* its rs_device username; empty: not a device */
	int nat;		  /* 1: behind NAT, send to reached, not to contact */
	rs_str_t called;  /* caller's side: the user called (pickup policy) */
} rs_dlgdev_t;

/*
 * The stored form of d into buf (n bytes, NUL-terminated): its length, or
 * -1 for a field that cannot be stored (empty contact or reached, not a
 * sip:/sips: URI, whitespace or a control character in a field, a device
 * or user called "-", nat not 0 or 1) or a buffer too small.
 */
int rs_dlgdev_format(const rs_dlgdev_t *d, char *buf, size_t n);

/*
 * The record of the len bytes at s; the strings of out point into s.
 * RS_E_INVAL for NULL, RS_E_BADROW for anything but 4 or 5 fields that
 * rs_dlgdev_format() could have written.
 */
rs_err_t rs_dlgdev_parse(const char *s, int len, rs_dlgdev_t *out);

#endif /* RS_DLGDEV_H */
