/*
 * Ringset - hotdesk module: the tables it writes (rs_hotdesk, subscriber, rs_device)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef _HD_DB_H_
#define _HD_DB_H_

#include <time.h>

#include "../../core/str.h"

#define HD_TABLE_VERSION 1

extern str hd_db_url;
extern str hd_table;
extern str hd_subscriber_table;
extern str hd_device_table;

int hd_db_bind(void);

/* rs_device.prov_secret of the device with that MAC (empty if NULL): 1
 * found, 0 no such MAC, -1 error */
int hd_db_prov_secret_of_mac(const str *mac, char *out, int size);

/* gives every device with a MAC and no prov_secret a new one made by gen
 * (32 hex digits); how many were made, -1 error */
int hd_db_prov_secrets(int (*gen)(char out[33]));
/* opens this process's connection if it has none; 0 ok, -1 error */
int hd_db_open(void);
void hd_db_close(void);
int hd_db_check_version(void);

/* the session of an extension / of a terminal: 1 found (the other side
 * copied NUL-terminated into out), 0 none, -1 database error */
int hd_db_session_of_ext(const str *ext, char *out, int size);
int hd_db_session_of_terminal(const str *term, char *out, int size);
/* 0 done (also when there was no row), -1 error */
int hd_db_session_delete(const str *ext);
int hd_db_session_insert(const str *ext, const str *term, time_t since);

/* every session, in no particular order; cb returns <0 to stop */
typedef int (*hd_session_cb_f)(
		void *ctx, const str *ext, const str *term, time_t since);
int hd_db_sessions(hd_session_cb_f cb, void *ctx);

/* subscriber.password of username (any domain): 0 set, -1 error */
int hd_db_set_password(const str *user, const str *pw);
/* 1 found (copied NUL-terminated), 0 no row, -1 error */
int hd_db_get_password(const str *user, char *out, int size);

/* the hotdesk_account device of ext: its subscriber row (with pw) unless
 * there is one, then its rs_device row; 0 done, -1 error */
int hd_db_create_account(
		const str *user, const str *domain, const str *ext, const str *pw);

#endif
