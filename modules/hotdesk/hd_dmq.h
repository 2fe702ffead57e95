/*
 * Ringset - hotdesk module: wrong-PIN lockouts shared with the other nodes
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

#ifndef _HD_DMQ_H_
#define _HD_DMQ_H_

#include "rs_common.h"

/* registers the "hotdesk" DMQ peer (mod_init; the dmq module is needed) */
int hd_dmq_init(void);
/* tell the other nodes: one more failure / no more failures for key */
void hd_dmq_fail(const rs_str_t *key);
void hd_dmq_clear(const rs_str_t *key);

#endif
