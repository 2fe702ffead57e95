/*
 * Ringset - hotdesk module: login, logout and check-sync
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef _HD_OPS_H_
#define _HD_OPS_H_

#include "../../core/str.h"
#include "rs_lockout.h"
#include "../userdev/api.h"

#define HD_EXT_MAX 32
#define HD_TERM_MAX 64

typedef enum
{
	HD_LOGGED_IN = 0, /* the PIN was right: X is on the terminal now */
	HD_WRONG_PIN = 1, /* wrong PIN, counted for the extension and terminal */
	HD_LOCKED = 2	  /* too many wrong PINs: refused without a check */
} hd_status_t;

/* status names the media server turns into prompts */
const char *hd_status_name(hd_status_t s);

typedef struct hd_result
{
	hd_status_t status;
	int retry_after;				/* HD_LOCKED: seconds */
	int failures;					/* HD_WRONG_PIN: of the extension, so far */
	char previous[HD_TERM_MAX + 1]; /* login: terminal X was on ("" none) */
	char replaced[HD_EXT_MAX + 1];	/* login: user the terminal had */
	char terminal[HD_TERM_MAX + 1]; /* logout: the terminal X left */
	int notify_new;					/* check-sync sent to the new terminal */
	int notify_old;					/* ... to the terminal(s) logged out */
	int fault;						/* != 0: an error, RPC fault code */
	char why[160];					/* the fault's text */
} hd_result_t;

extern str hd_domain;
/* htable of the credentials the cfg caches, "" none */
extern str hd_creds_table;
extern userdev_api_t hd_ud;

int hd_ops_bind(void);
int hd_ops_init(int slots, const rs_lockout_cfg_t *cfg);
void hd_ops_destroy(void);

/* hotdesk.login: 0 with res->status, or -1 with res->fault/why */
int hd_login(const str *term, const str *ext, const str *pin, hd_result_t *res);

/* hotdesk.logout: 1 logged out, 0 was not logged in (res->fault 404),
 * -1 error (res->fault) */
int hd_logout(const str *ext, const char *how, hd_result_t *res);

/* the device is the hotdesk_account of a user: its extension into ext,
 * 1; else 0 */
int hd_account_owner(const str *dev, char *ext, int size);

/* users with hotdesk = 1 get their hotdesk-<ext> account, and sessions of
 * users or terminals taken out of hot desking (hotdesk = 0, row deleted)
 * end; runs from the timer process when the directory changed, and from
 * login (force: accounts only) for the user logging in */
void hd_accounts_check(int force);

/* forget the lockout of a key ("ext:<ext>" or "term:<terminal>"), here
 * and on the other nodes */
void hd_lockout_clear(const str *key);
/* a failure (fail 1) or a clear that another node reported (hd_dmq.c) */
void hd_lockout_apply(const rs_str_t *key, int fail);
/* hd_dmq.c tells the other nodes of every failure and clear */
extern int hd_lockout_dmq;
/* seconds a key stays locked, failures in the window */
void hd_lockout_state(const str *key, int *locked, int *failures);
/* the start-up sync between nodes: the next key this node counts (1, or 0
 * when there is no more; *cursor starts at 0), and taking another node's */
int hd_lockout_next(int *cursor, rs_lockout_entry_t *e);
void hd_lockout_merge(const rs_lockout_entry_t *e);

/* live registered contacts of a device (usrloc AoR) */
int hd_contacts(const str *aor);

/* a fresh random password (32 hex digits and a NUL) */
int hd_new_password(char out[33]);

/* after a change of the directory: every device with a MAC and no
 * rs_device.prov_secret gets one (the hot-desk accounts process) */
void hd_prov_secrets_check(void);

/* after a change of the directory: logs every user whose pin_hash is that
 * of a PIN shorter than RS_PIN_MIN digits (such a PIN is refused at login) */
void hd_pins_check(void);

#endif
