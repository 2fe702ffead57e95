/*
 * Ringset - the follow-me state of one call, as structured data
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * What follow-me keeps per call between the request route, the branch
 * routes and the failure route (issue 13, item 2): the step to try next,
 * the busy flag, the step's timer, the user, and one record per branch of
 * the current step, keyed by the branch's index in the destination set (so
 * two branches to one contact URI keep two records). It travels in one
 * xavp value as bytes: rs_fmcall_pack() writes the header and the used
 * branches with only the bytes their texts have (a branch of the user
 * called stores no ext of its own: a device branch is 7 bytes),
 * rs_fmcall_unpack() checks every field before it is used (a value that
 * is not one of ours is refused, never read past). No allocation, no
 * global state.
 */

#ifndef RS_FMCALL_H
#define RS_FMCALL_H

#include <stddef.h>
#include <stdint.h>

#include "rs_common.h"
#include "rs_userdir.h"

#define RS_FMCALL_BRANCHES_MAX 32 /* branches of one step */

typedef enum
{
	RS_FMBR_DEVICE = 1,
	RS_FMBR_EXTERNAL = 2,
	RS_FMBR_VOICEMAIL = 3,
	RS_FMBR_MOBILE = 4
} rs_fmbr_kind_t;

typedef struct rs_fmbr
{
	uint16_t index;			  /* in the destination set of its step */
	uint8_t kind;			  /* rs_fmbr_kind_t */
	uint8_t target_len;		  /* bytes of target */
	uint16_t ring;			  /* seconds, 0..RS_DIR_RING_MAX */
	uint8_t ext_len;		  /* bytes of ext */
	char ext[RS_DIR_EXT_MAX]; /* whose branch: the user, or a group member */
	char target[RS_FM_TARGET_MAX];
} rs_fmbr_t;

typedef struct rs_fmcall
{
	uint32_t magic;		/* RS_FMCALL_MAGIC */
	uint16_t next_step; /* the step followme_next() starts from */
	uint16_t timer;		/* the current step's timer, seconds */
	uint8_t busy;		/* 0/1: the user's own devices are skipped */
	uint8_t ext_len;
	uint16_t nbranches;
	char ext[RS_DIR_EXT_MAX];
	rs_fmbr_t br[RS_FMCALL_BRANCHES_MAX];
} rs_fmcall_t;

/* an empty record of user ext; RS_E_INVAL for a bad extension or values
 * out of range */
rs_err_t rs_fmcall_init(rs_fmcall_t *c, const rs_str_t *ext, int next_step,
		int busy, int timer);

/* one more branch, of ext (the user called, or a group's member):
 * RS_E_LIMIT when RS_FMCALL_BRANCHES_MAX are there, RS_E_DUP for an index
 * already recorded, RS_E_INVAL for a bad kind, ring time, ext or target */
rs_err_t rs_fmcall_add(rs_fmcall_t *c, int index, rs_fmbr_kind_t kind, int ring,
		const rs_str_t *ext, const rs_str_t *target);

/* the n-th branch recorded (0 = the first of the step), or NULL */
const rs_fmbr_t *rs_fmcall_nth(const rs_fmcall_t *c, int n);

/* the branch at destination-set index, or NULL */
const rs_fmbr_t *rs_fmcall_branch(const rs_fmcall_t *c, int index);

/* the bytes to store, into buf: how many, RS_E_LIMIT when size is too
 * small (RS_FMCALL_PACKED_MAX always is enough), RS_E_INVAL for a record
 * not made by rs_fmcall_init()/rs_fmcall_add() */
#define RS_FMCALL_PHDR 11 /* packed header, before the ext */
#define RS_FMCALL_PBR 7	  /* packed branch, before its texts */
#define RS_FMCALL_PACKED_MAX                   \
	(RS_FMCALL_PHDR + RS_DIR_EXT_MAX           \
			+ RS_FMCALL_BRANCHES_MAX           \
					  * (RS_FMCALL_PBR + RS_DIR_EXT_MAX + RS_FM_TARGET_MAX))
int rs_fmcall_pack(const rs_fmcall_t *c, void *buf, int size);

/* a stored value back into *c, every field checked: RS_E_INVAL when it is
 * not a record of this layout */
rs_err_t rs_fmcall_unpack(const void *buf, int len, rs_fmcall_t *c);

/* the headers a registered phone's branch gets, in one piece (what the
 * branch route did in four statements): "Expires: <ring>\r\n" and, when
 * pai is not NULL and not empty, "P-Asserted-Identity: <pai>\r\n". The
 * length written (no NUL), RS_E_INVAL for a ring time out of range or a
 * pai with a CR, LF or NUL in it (never a header of its own), RS_E_LIMIT
 * when buf is too small */
#define RS_FM_DEV_HDRS_MAX 1024 /* room for both, with a PAI of ~970 bytes */
int rs_fmcall_device_hdrs(char *buf, int size, int ring, const rs_str_t *pai);

#endif /* RS_FMCALL_H */
