/*
 * Ringset - userdev module: API for the other Ringset modules
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef _USERDEV_API_H_
#define _USERDEV_API_H_

#include "../../core/sr_module.h"
#include "../../core/parser/msg_parser.h"
#include "../../lib/srdb1/db.h"
#include "rs_userdir.h"

/* take the current directory snapshot; give it back with release(slot) */
typedef const rs_dir_t *(*userdev_acquire_f)(int *slot);
typedef void (*userdev_release_f)(int slot);
/* append a branch for every registered contact of every device of u;
 * returns the number of devices that had contacts, 0 if none, <0 error */
typedef int (*userdev_add_user_branches_f)(sip_msg_t *msg, const rs_user_t *u);
/* the same for one device: 1 if it had contacts, else 0 */
typedef int (*userdev_add_device_branches_f)(
		sip_msg_t *msg, const rs_device_t *d);
/* the number of live registered contacts of a device */
typedef int (*userdev_device_contacts_f)(const rs_device_t *d);
/* reload from the database now: 1 done, 0 deferred, -1 database error */
typedef int (*userdev_reload_f)(void);
/* a number that changes whenever a new snapshot is published */
typedef unsigned int (*userdev_generation_f)(void);

/*
 * The one write path for state (README "Several nodes"): Fork2Mobile, hot-desk
 * sessions and accounts, lockout counts. fn runs inside one database
 * transaction on userdev's connection of the calling process. Its first
 * statement bumps the change counter (rs_change 'userdir') and so holds that
 * row's lock: changes made at the same time on any node are serialised by
 * the database, and every node's poller sees the counter move and publishes
 * a new directory within poll_tick_ms. fn returns >= 0 to commit or < 0 to
 * roll back (the bump with it). No Ringset lock may be held around it, and
 * nothing is reloaded in the caller's process. Returns fn's value, or
 * USERDEV_W_DB when the database failed.
 */
#define USERDEV_W_DB (-100)
typedef int (*userdev_write_fn)(db_func_t *dbf, db1_con_t *h, void *param);
typedef int (*userdev_write_f)(userdev_write_fn fn, void *param);

typedef struct userdev_api
{
	userdev_acquire_f acquire;
	userdev_release_f release;
	userdev_add_user_branches_f add_user_branches;
	userdev_add_device_branches_f add_device_branches;
	userdev_device_contacts_f device_contacts;
	userdev_reload_f reload;
	userdev_generation_f generation;
	userdev_write_f write;
	/* numbers starting with it are international (NUL-terminated) */
	const char *intl_prefix;
} userdev_api_t;

typedef int (*bind_userdev_f)(userdev_api_t *api);

static inline int userdev_load_api(userdev_api_t *api)
{
	bind_userdev_f bind;

	bind = (bind_userdev_f)find_export("bind_userdev", 0, 0);
	if(bind == 0) {
		LM_ERR("cannot find bind_userdev\n");
		return -1;
	}
	return bind(api);
}

#endif
