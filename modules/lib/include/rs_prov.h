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
 * Auto provisioning of desk phones (README "Hot desking"): parses the
 * URL a phone fetches its configuration from and renders that
 * configuration, Snom XML (built with libxml2) or Yealink .cfg text.
 *
 *   GET /provision/snom/<mac>.xml      -> Snom <settings> XML
 *   GET /provision/yealink/<mac>.cfg   -> Yealink "#!version:1.0.0.1"
 *
 * <mac> is 12 lower-case hex digits. Every text value is cleaned first:
 * control characters become spaces and bytes that are not UTF-8 become
 * '?', so a display name can neither break the XML nor inject a line
 * into the Yealink file. The output goes into a caller-supplied buffer
 * with snprintf semantics; libxml2's own memory is freed before return.
 */

#ifndef RS_PROV_H
#define RS_PROV_H

#include <stddef.h>

#include "rs_common.h"

#define RS_PROV_MAC_LEN 12
#define RS_PROV_MAX_BLF 32 /* BLF keys per configuration */

typedef enum
{
	RS_PROV_SNOM = 0,
	RS_PROV_YEALINK = 1
} rs_prov_vendor_t;

/* "snom", "yealink"; "unknown" otherwise */
const char *rs_prov_vendor_name(rs_prov_vendor_t v);

/* MIME type of a vendor's file: "application/xml", "text/plain" */
const char *rs_prov_content_type(rs_prov_vendor_t v);

/* 1 if mac is exactly 12 lower-case hex digits, else 0 */
int rs_prov_mac_valid(const rs_str_t *mac);

/*
 * Parse an HTTP request path (a query string after '?' is ignored).
 * RS_OK: *vendor and *mac (pointing into path) are set.
 * RS_E_NOTFOUND: not a provisioning URL (wrong prefix, unknown vendor or
 * wrong file extension for the vendor): answer 404.
 * RS_E_INVAL: the right form, but the MAC is not 12 lower-case hex
 * digits: answer 400. NULL arguments are RS_E_INVAL too.
 */
rs_err_t rs_prov_parse_path(
		const rs_str_t *path, rs_prov_vendor_t *vendor, rs_str_t *mac);

/* a BLF key: label and the URI user it watches (e.g. "forkm200") */
typedef struct rs_prov_blf
{
	rs_str_t label;
	rs_str_t user;
} rs_prov_blf_t;

/* what a phone must use now; strings need not be NUL-terminated */
typedef struct rs_prov_in
{
	rs_str_t mac;
	rs_str_t username;	   /* the SIP account: auth and user name */
	rs_str_t password;	   /* its digest password */
	rs_str_t display_name; /* shown on the phone and in From */
	rs_str_t domain;	   /* SIP domain (user_host / account label) */
	rs_str_t server_host;  /* where to register: host or IP */
	int server_port;	   /* 1..65535 */
	const rs_prov_blf_t *blf;
	int nblf; /* 0..RS_PROV_MAX_BLF */
} rs_prov_in_t;

/*
 * Render in for vendor into buf. snprintf semantics: the length of the
 * whole file is returned, and buf (if len > 0) always ends in NUL; -1 for
 * bad arguments (NULL in, an invalid MAC, an empty username or domain, a
 * port out of range, nblf out of range, NULL buf with len > 0) or when
 * libxml2 fails.
 */
int rs_prov_render(
		rs_prov_vendor_t vendor, const rs_prov_in_t *in, char *buf, size_t len);

#endif /* RS_PROV_H */
