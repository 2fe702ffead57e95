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

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rs_tmrec.h"

#define RS_DAY 86400
#define RS_TM_FIELDS 10

static const char *const rs_wd_names[7] = {
		"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

static void rs_tm_why(char *why, size_t n, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

static void rs_tm_why(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if(why == NULL || n == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

/* days since 1970-01-01 of a proleptic Gregorian date */
static int64_t rs_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void rs_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t rs_floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* 0 = Monday .. 6 = Sunday; 1970-01-01 was a Thursday */
static int rs_weekday(int64_t days)
{
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static int rs_days_in_month(int64_t y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dim[m - 1];
}

int64_t rs_wallclock(int year, int month, int day, int hour, int min, int sec)
{
	return rs_days_from_civil(year, month, day) * RS_DAY + (int64_t)hour * 3600
		   + (int64_t)min * 60 + sec;
}

static int rs_digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for(i = 0; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* YYYYMMDD or YYYYMMDDTHHMMSS (a trailing Z is accepted and ignored) */
static int rs_parse_date(const char *s, int len, int64_t *out, int date_end)
{
	int y, mo, d, h = 0, mi = 0, se = 0;

	if(len > 0 && (s[len - 1] == 'Z' || s[len - 1] == 'z'))
		len--;
	if(len != 8 && len != 15)
		return -1;
	if(rs_digits(s, 4, &y) < 0 || rs_digits(s + 4, 2, &mo) < 0
			|| rs_digits(s + 6, 2, &d) < 0)
		return -1;
	if(len == 15) {
		if((s[8] != 'T' && s[8] != 't') || rs_digits(s + 9, 2, &h) < 0
				|| rs_digits(s + 11, 2, &mi) < 0
				|| rs_digits(s + 13, 2, &se) < 0)
			return -1;
	} else if(date_end) {
		/* a date alone as "until": the whole day */
		h = 23;
		mi = 59;
		se = 59;
	}
	if(y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1
			|| d > rs_days_in_month(y, mo) || h > 23 || mi > 59 || se > 60)
		return -1;
	*out = rs_wallclock(y, mo, d, h, mi, se);
	return 0;
}

/* RFC 2445 duration: P[nW][nD][T[nH][nM][nS]], or "0" */
static int rs_parse_duration(const char *s, int len, int64_t *out)
{
	int64_t total = 0, v;
	int i = 0, in_time = 0, any = 0;

	if(len == 1 && s[0] == '0') {
		*out = 0;
		return 0;
	}
	if(len < 2 || (s[0] != 'P' && s[0] != 'p'))
		return -1;
	for(i = 1; i < len;) {
		if(s[i] == 'T' || s[i] == 't') {
			if(in_time)
				return -1;
			in_time = 1;
			i++;
			continue;
		}
		if(s[i] < '0' || s[i] > '9')
			return -1;
		v = 0;
		while(i < len && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (s[i] - '0');
			if(v > 100000000)
				return -1;
			i++;
		}
		if(i >= len)
			return -1;
		switch(s[i] | 0x20) {
			case 'w':
				if(in_time)
					return -1;
				v *= 7 * RS_DAY;
				break;
			case 'd':
				if(in_time)
					return -1;
				v *= RS_DAY;
				break;
			case 'h':
				if(!in_time)
					return -1;
				v *= 3600;
				break;
			case 'm':
				if(!in_time)
					return -1;
				v *= 60;
				break;
			case 's':
				if(!in_time)
					return -1;
				break;
			default:
				return -1;
		}
		total += v;
		any = 1;
		i++;
	}
	if(!any)
		return -1;
	*out = total;
	return 0;
}

static int rs_ieq(const char *s, int len, const char *lit)
{
	int i;

	if((int)strlen(lit) != len)
		return 0;
	for(i = 0; i < len; i++)
		if((s[i] | 0x20) != (lit[i] | 0x20))
			return 0;
	return 1;
}

/* calls item() for every comma-separated item; -1 as soon as one fails */
static int rs_each(const char *s, int len, rs_tmrec_t *r,
		int (*item)(const char *s, int len, rs_tmrec_t *r))
{
	int i = 0, j;

	while(i <= len) {
		for(j = i; j < len && s[j] != ','; j++)
			;
		if(j == i || item(s + i, j - i, r) < 0)
			return -1;
		i = j + 1;
	}
	return 0;
}

static int rs_int_item(const char *s, int len, int lo, int hi, int *out)
{
	int neg = 0, v;

	if(len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	if(len < 1 || len > 4 || rs_digits(s, len, &v) < 0)
		return -1;
	v = neg ? -v : v;
	if(v < lo || v > hi || v == 0)
		return -1;
	*out = v;
	return 0;
}

static int rs_byday_item(const char *s, int len, rs_tmrec_t *r)
{
	int i;

	for(i = 0; i < 7; i++) {
		if(rs_ieq(s, len, rs_wd_names[i])) {
			r->byday |= 1u << i;
			return 0;
		}
	}
	return -1;
}

static int rs_bymonthday_item(const char *s, int len, rs_tmrec_t *r)
{
	int v;

	if(rs_int_item(s, len, -31, 31, &v) < 0)
		return -1;
	r->bymonthday |= v > 0 ? 1ull << v : 1ull << (31 - v);
	return 0;
}

static int rs_bymonth_item(const char *s, int len, rs_tmrec_t *r)
{
	int v;

	if(rs_int_item(s, len, 1, 12, &v) < 0)
		return -1;
	r->bymonth |= 1u << v;
	return 0;
}

rs_err_t rs_tmrec_parse(
		const char *text, int len, rs_tmrec_t *out, char *why, size_t whylen)
{
	const char *f[RS_TM_FIELDS];
	int fl[RS_TM_FIELDS], nf = 0, i, start, v;
	rs_tmrec_t r;

	if(why && whylen)
		why[0] = '\0';
	if(out == NULL || text == NULL || len <= 0 || len > RS_TMREC_MAX) {
		rs_tm_why(why, whylen, "schedule must be 1..%d chars", RS_TMREC_MAX);
		return RS_E_INVAL;
	}
	for(i = 0, start = 0; i <= len; i++) {
		if(i < len && text[i] != '|')
			continue;
		if(nf >= RS_TM_FIELDS) {
			rs_tm_why(why, whylen, "schedule has more than %d fields",
					RS_TM_FIELDS);
			return RS_E_INVAL;
		}
		f[nf] = text + start;
		fl[nf++] = i - start;
		start = i + 1;
	}
	for(i = nf; i < RS_TM_FIELDS; i++) {
		f[i] = "";
		fl[i] = 0;
	}
	memset(&r, 0, sizeof(r));
	r.until = -1;
	r.interval = 1;
	if(fl[0] == 0 || rs_parse_date(f[0], fl[0], &r.start, 0) < 0) {
		rs_tm_why(why, whylen,
				"schedule startdate must be YYYYMMDDTHHMMSS, e.g. "
				"20260105T083000");
		return RS_E_INVAL;
	}
	if(fl[1] > 0 && rs_parse_duration(f[1], fl[1], &r.duration) < 0) {
		rs_tm_why(why, whylen,
				"schedule duration must be like PT9H30M or P1D (RFC 2445)");
		return RS_E_INVAL;
	}
	if(fl[2] == 0)
		r.freq = RS_FREQ_NONE;
	else if(rs_ieq(f[2], fl[2], "daily"))
		r.freq = RS_FREQ_DAILY;
	else if(rs_ieq(f[2], fl[2], "weekly"))
		r.freq = RS_FREQ_WEEKLY;
	else if(rs_ieq(f[2], fl[2], "monthly"))
		r.freq = RS_FREQ_MONTHLY;
	else if(rs_ieq(f[2], fl[2], "yearly"))
		r.freq = RS_FREQ_YEARLY;
	else {
		rs_tm_why(why, whylen,
				"schedule frequency must be daily, weekly, monthly or "
				"yearly");
		return RS_E_INVAL;
	}
	if(fl[3] > 0 && rs_parse_date(f[3], fl[3], &r.until, 1) < 0) {
		rs_tm_why(why, whylen,
				"schedule until must be YYYYMMDD or YYYYMMDDTHHMMSS");
		return RS_E_INVAL;
	}
	if(fl[4] > 0) {
		if(rs_int_item(f[4], fl[4], 1, 1000, &v) < 0) {
			rs_tm_why(why, whylen, "schedule interval must be 1..1000");
			return RS_E_INVAL;
		}
		r.interval = v;
	}
	if(fl[5] > 0 && rs_each(f[5], fl[5], &r, rs_byday_item) < 0) {
		rs_tm_why(why, whylen,
				"schedule byday must be a list of MO TU WE TH FR SA SU "
				"(n-th weekday prefixes are not supported)");
		return RS_E_INVAL;
	}
	if(fl[6] > 0 && rs_each(f[6], fl[6], &r, rs_bymonthday_item) < 0) {
		rs_tm_why(why, whylen,
				"schedule bymonthday must be a list of 1..31 or -31..-1");
		return RS_E_INVAL;
	}
	if(fl[7] > 0 || fl[8] > 0) {
		rs_tm_why(why, whylen,
				"schedule byyearday and byweekno are not supported");
		return RS_E_INVAL;
	}
	if(fl[9] > 0 && rs_each(f[9], fl[9], &r, rs_bymonth_item) < 0) {
		rs_tm_why(why, whylen, "schedule bymonth must be a list of 1..12");
		return RS_E_INVAL;
	}
	if(r.freq == RS_FREQ_NONE
			&& (r.byday || r.bymonthday || r.bymonth || fl[3] || fl[4])) {
		rs_tm_why(why, whylen,
				"schedule: until, interval and by... need a frequency");
		return RS_E_INVAL;
	}
	*out = r;
	return RS_OK;
}

/* does the rule select day c (days since 1970)? */
static int rs_day_selected(const rs_tmrec_t *r, int64_t c)
{
	int64_t sd = rs_floor_div(r->start, RS_DAY), y, ys, diff;
	int m, d, ms, ds, wd = rs_weekday(c), wds = rs_weekday(sd), dim;
	unsigned int byday = r->byday;
	int by_md = r->bymonthday != 0, by_m = r->bymonth != 0;

	rs_civil_from_days(c, &y, &m, &d);
	rs_civil_from_days(sd, &ys, &ms, &ds);
	switch(r->freq) {
		case RS_FREQ_DAILY:
			if((c - sd) % r->interval)
				return 0;
			break;
		case RS_FREQ_WEEKLY:
			diff = ((c - wd) - (sd - wds)) / 7;
			if(diff % r->interval)
				return 0;
			if(!byday && !by_md)
				byday = 1u << wds;
			break;
		case RS_FREQ_MONTHLY:
			diff = (y - ys) * 12 + (m - ms);
			if(diff % r->interval)
				return 0;
			if(!byday && !by_md && d != ds)
				return 0;
			break;
		case RS_FREQ_YEARLY:
			if((y - ys) % r->interval)
				return 0;
			if(!byday && !by_md) {
				if(d != ds || (!by_m && m != ms))
					return 0;
			}
			break;
		default:
			return 0;
	}
	if(by_m && !(r->bymonth & (1u << m)))
		return 0;
	if(by_md) {
		dim = rs_days_in_month(y, m);
		if(!(r->bymonthday & (1ull << d))
				&& !(r->bymonthday & (1ull << (31 + (dim - d + 1)))))
			return 0;
	}
	if(byday && !(byday & (1u << wd)))
		return 0;
	return 1;
}

int rs_tmrec_match(const rs_tmrec_t *r, int64_t now)
{
	int64_t tod, today, c, s, back, k;

	if(r == NULL || now < r->start)
		return 0;
	if(r->freq == RS_FREQ_NONE)
		return r->duration == 0 || now < r->start + r->duration;
	if(r->duration == 0)
		return r->until < 0 || now <= r->until;
	tod = r->start - rs_floor_div(r->start, RS_DAY) * RS_DAY;
	today = rs_floor_div(now, RS_DAY);
	back = r->duration / RS_DAY + 1;
	if(back > 400)
		back = 400;
	for(k = 0; k <= back; k++) {
		c = today - k;
		s = c * RS_DAY + tod;
		if(s < r->start || (r->until >= 0 && s > r->until))
			continue;
		if(now < s || now >= s + r->duration)
			continue;
		if(rs_day_selected(r, c))
			return 1;
	}
	return 0;
}
