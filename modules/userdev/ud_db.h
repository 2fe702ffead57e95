/*
 * Ringset - userdev module: loading rs_user and rs_device
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef _UD_DB_H_
#define _UD_DB_H_

#include "../../core/str.h"
#include "../../lib/srdb1/db.h"

/* 2: anchor_media (db-schema/60-rs_user-anchor_media.sql), 3:
 * incall_services (61-incall_services.sql), 4: blf_private
 * (72-rs_user-blf_private.sql), 5: permissions, pickup, forward, DND
 * (73-pbx-features.sql). A column added to rs_user_cols (rs_userdir.c)
 * comes with a schema file that bumps the version and this number */
#define UD_USER_TABLE_VERSION 5
/* 2: prov_secret (db-schema/71-rs_device-prov_secret.sql) */
#define UD_DEVICE_TABLE_VERSION 2
/* 2: schedule, confirm (73-pbx-features.sql) */
#define UD_FOLLOWME_TABLE_VERSION 2
#define UD_FEATURE_TABLE_VERSION 1
#define UD_CHANGE_TABLE_VERSION 1
#define UD_PERMSET_TABLE_VERSION 1
#define UD_GROUP_TABLE_VERSION 1
#define UD_GROUP_MEMBER_TABLE_VERSION 1

extern str ud_db_url;
extern str ud_user_table;
extern str ud_device_table;
extern str ud_followme_table;
extern str ud_feature_table;
extern str ud_permset_table;
extern str ud_group_table;
extern str ud_group_member_table;
extern str ud_change_table;
extern int ud_max_users;
extern int ud_max_devices;
extern int ud_max_followme;
extern int ud_fetch_rows;
extern int ud_recheck_interval;
extern int ud_poll_interval;
/* where every published load writes its rows (a start without the
 * database reads them back); empty: none */
extern str ud_snapshot_file;
/* the htable the snapshot's credentials (HA1s of subscriber) go to at a
 * start without the database; empty: the snapshot has none */
extern str ud_creds_htable;
extern str ud_subscriber_table;

int ud_db_bind(void);
int ud_db_check_versions(void);
int ud_db_open(void);
void ud_db_close(void);

/* reads the change counter and, when it moved (or force, or every
 * recheck_interval), the tables, and publishes a new snapshot when they
 * changed; returns 1 published, 0 unchanged, -1 database error, -2 out of
 * memory (logged; in both cases the old copy stays) */
int ud_db_load(int force);

/* a start without the database: publishes the directory of
 * snapshot_file; 0, or -1 (logged) when there is none or it is damaged */
int ud_db_load_file(void);


/* one state change as one transaction on this process's connection, with
 * the change counter bumped inside it (userdev_write_f in api.h) */
int ud_db_write(
		int (*fn)(db_func_t *dbf, db1_con_t *h, void *param), void *param);

/* rs_device.prov_secret of a device: 1 (in out), 0 none yet, -1 error */
int ud_db_prov_secret(const str *user, char *out, int size);

#endif
