/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2025 The Ringset authors
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
 * Time recurrences in the syntax of Kamailio's tmrec module (RFC 2445
 * attributes, '|' separated), for rs_followme.schedule:
 *
 *   startdate|duration|frequency|until|interval|byday|bymonthday|
 *   byyearday|byweekno|bymonth
 *
 * e.g. "20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR" (business
 * hours). Trailing empty fields may be left out. Supported:
 *   startdate  YYYYMMDDTHHMMSS (wall-clock time), required;
 *   duration   RFC 2445 "P[nW][nD][T[nH][nM][nS]]", empty or 0 = forever;
 *   frequency  daily, weekly, monthly, yearly (any case), or empty (one
 *              period from startdate);
 *   until      YYYYMMDD or YYYYMMDDTHHMMSS, inclusive bound of the
 *              periods' starts;
 *   interval   1..1000, default 1;
 *   byday      MO,TU,...,SU (any case) without a +n/-n prefix;
 *   bymonthday 1..31 or -31..-1;
 *   bymonth    1..12.
 * byyearday, byweekno and n-th weekday prefixes are refused as not
 * supported, rather than matched wrongly. As in tmrec, a period starts on
 * every day the rule selects, at startdate's time of day, and lasts
 * duration (so a period may run past midnight).
 *
 * Times are "wall-clock seconds": the local date and time read as if it
 * were UTC (timegm() of the broken-down local time), so no time zone is
 * needed here; the caller converts its clock. No allocation, no global
 * state.
 */

#ifndef RS_TMREC_H
#define RS_TMREC_H

#include <stddef.h>
#include <stdint.h>

#include "rs_common.h"

#define RS_TMREC_MAX 255 /* length of a recurrence text */

typedef enum
{
	RS_FREQ_NONE = 0,
	RS_FREQ_DAILY,
	RS_FREQ_WEEKLY,
	RS_FREQ_MONTHLY,
	RS_FREQ_YEARLY
} rs_freq_t;

typedef struct rs_tmrec
{
	int64_t start;	  /* wall-clock seconds */
	int64_t duration; /* seconds, 0 = forever */
	int64_t until;	  /* wall-clock seconds, -1 = none */
	rs_freq_t freq;
	int interval;		  /* >= 1 */
	unsigned int byday;	  /* bit 0 = MO .. bit 6 = SU; 0 = not given */
	uint64_t bymonthday;  /* bit d (1..31) and bit 31 + k for day -k */
	unsigned int bymonth; /* bit m (1..12); 0 = not given */
} rs_tmrec_t;

/*
 * Parse text (len bytes, not NUL-terminated) into *out. RS_OK, or
 * RS_E_INVAL with a reason in why (NUL-terminated, at most whylen bytes).
 */
rs_err_t rs_tmrec_parse(
		const char *text, int len, rs_tmrec_t *out, char *why, size_t whylen);

/* 1 if wall-clock time now lies inside a period of r, else 0 */
int rs_tmrec_match(const rs_tmrec_t *r, int64_t now);

/* wall-clock seconds of a date and time (no range checks beyond sanity) */
int64_t rs_wallclock(int year, int month, int day, int hour, int min, int sec);

#endif /* RS_TMREC_H */
