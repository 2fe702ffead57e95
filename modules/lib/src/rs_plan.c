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

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rs_plan.h"

#define RS_Q_MAX 1000	/* q = 1.0 */
#define RS_Q_SPREAD 200 /* q falls from 1.0 towards 0.8 */

/* the name of VOICEMAIL targets */
static const char rs_vm_name[] = "voicemail";

static const char *const rs_tgt_names[] = {
		"device", "external", "mobile", "voicemail", "confirm"};

const char *rs_target_kind_name(rs_target_kind_t k)
{
	if(k == RS_TGT_NONE)
		return "none";
	if((int)k < 0 || (int)k >= 5)
		return "unknown";
	return rs_tgt_names[k];
}

int rs_plan_q(int n, int k)
{
	int64_t b = (int64_t)n + 1;

	if(n < 0 || k < 0 || k > n)
		return -1;
	/* floor(1000 - k * 200 / b + 1/2) = (2000 b - 400 k + b) / (2 b) */
	return (int)((2 * RS_Q_MAX * b - 2 * RS_Q_SPREAD * (int64_t)k + b)
				 / (2 * b));
}

/* ---- output with snprintf semantics ---- */

typedef struct rs_out
{
	char *buf;
	size_t len; /* size of buf */
	size_t pos; /* length of the full text so far */
} rs_out_t;

static void rs_out_init(rs_out_t *o, char *buf, size_t len)
{
	o->buf = buf;
	o->len = len;
	o->pos = 0;
	if(len > 0)
		buf[0] = '\0';
}

static void rs_out_mem(rs_out_t *o, const char *s, size_t n)
{
	size_t c;

	if(o->pos < o->len) {
		c = o->len - o->pos - 1;
		if(n < c)
			c = n;
		memcpy(o->buf + o->pos, s, c);
		o->buf[o->pos + c] = '\0';
	}
	o->pos += n;
}

static void rs_out_str(rs_out_t *o, const char *s)
{
	rs_out_mem(o, s, strlen(s));
}

static void rs_out_fmt(rs_out_t *o, const char *fmt, ...)
		__attribute__((format(printf, 2, 3)));

static void rs_out_fmt(rs_out_t *o, const char *fmt, ...)
{
	char tmp[RS_PLAN_REASON_MAX + 32];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if(n > 0)
		rs_out_mem(
				o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static int rs_out_end(const rs_out_t *o)
{
	return o->pos > (size_t)INT_MAX ? -1 : (int)o->pos;
}

/* SIP user part: unreserved and user-unreserved chars but ; and ? */
static int rs_user_plain(unsigned char c)
{
	if((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
			|| (c >= 'a' && c <= 'z'))
		return 1;
	return c != '\0' && strchr("-_.!~*'()&=+$,/", c) != NULL;
}

static void rs_out_user(rs_out_t *o, const rs_str_t *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char e[3];
	int i;

	for(i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->s[i];

		if(rs_user_plain(c)) {
			rs_out_mem(o, (const char *)&s->s[i], 1);
		} else {
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			rs_out_mem(o, e, 3);
		}
	}
}

/* ---- q values ---- */

int rs_q_format(int q, char *buf, size_t len)
{
	char tmp[8];
	int d[3], n;

	if(q < 0 || q > RS_Q_MAX || (buf == NULL && len > 0))
		return -1;
	if(q == RS_Q_MAX) {
		memcpy(tmp, "1.0", 4);
	} else {
		d[0] = q / 100;
		d[1] = q / 10 % 10;
		d[2] = q % 10;
		n = d[2] ? 3 : d[1] ? 2 : 1;
		tmp[0] = '0';
		tmp[1] = '.';
		tmp[2] = (char)('0' + d[0]);
		tmp[3] = (char)('0' + d[1]);
		tmp[4] = (char)('0' + d[2]);
		tmp[2 + n] = '\0';
	}
	n = (int)strlen(tmp);
	if(len > 0) {
		size_t c = (size_t)n < len - 1 ? (size_t)n : len - 1;

		memcpy(buf, tmp, c);
		buf[c] = '\0';
	}
	return n;
}

/* ---- compiling ---- */

typedef struct rs_cc
{
	const rs_plan_input_t *in;
	const rs_user_t *u; /* the called user; NULL for a group */
	rs_plan_t *p;
	int maxc;				 /* contacts per step */
	const rs_user_t *member; /* group plans: the member being added */
	const char *source;		 /* the source of skips being made */
} rs_cc_t;

static void rs_skip(rs_cc_t *c, int step, int pos, rs_target_kind_t kind,
		const rs_str_t *target, const char *fmt, ...)
		__attribute__((format(printf, 6, 7)));

static void rs_skip(rs_cc_t *c, int step, int pos, rs_target_kind_t kind,
		const rs_str_t *target, const char *fmt, ...)
{
	rs_plan_skip_t *s;
	va_list ap;

	if(c->p->nskips >= RS_PLAN_MAX_SKIPS) {
		c->p->nskips_lost++;
		return;
	}
	s = &c->p->skips[c->p->nskips++];
	s->step = step;
	s->entry_position = pos;
	s->kind = kind;
	s->target = *target;
	s->source = c->source;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
}

/* ^\+?[0-9*#]{2,RS_PLAN_NUMBER_MAX}$ */
static int rs_is_number(const rs_str_t *s)
{
	int i = 0;

	if(s->s == NULL)
		return 0;
	if(s->len > 0 && s->s[0] == '+')
		i = 1;
	if(s->len - i < 2 || s->len - i > RS_PLAN_NUMBER_MAX)
		return 0;
	for(; i < s->len; i++)
		if(!((s->s[i] >= '0' && s->s[i] <= '9') || s->s[i] == '*'
				   || s->s[i] == '#'))
			return 0;
	return 1;
}

/* a target of the same thing is already in step st */
static int rs_in_step(const rs_plan_t *p, const rs_plan_step_t *st,
		rs_target_kind_t kind, const rs_str_t *name, const rs_device_t *dev)
{
	const rs_plan_target_t *t;
	int i;

	for(i = 0; i < st->count; i++) {
		t = &p->targets[st->first + i];
		if(dev != NULL) {
			if(t->device == dev)
				return 1;
		} else if((kind == RS_TGT_EXTERNAL || kind == RS_TGT_MOBILE
						  || kind == RS_TGT_CONFIRM)
				  && (t->kind == RS_TGT_EXTERNAL || t->kind == RS_TGT_MOBILE
						  || t->kind == RS_TGT_CONFIRM)
				  && rs_str_eq(&t->name, name)) {
			return 1;
		}
	}
	return 0;
}

/* add a target to the last step, or a skip saying why not */
static void rs_add(rs_cc_t *c, rs_target_kind_t kind, const rs_str_t *name,
		const rs_device_t *dev, int ring, int pos)
{
	rs_plan_t *p = c->p;
	int si = p->nsteps - 1;
	rs_plan_step_t *st = &p->steps[si];
	rs_plan_target_t *t;
	int n = 1;

	if(dev != NULL && c->u != NULL && dev->owner == c->u) {
		if(c->in->own_busy) {
			rs_skip(c, si, pos, kind, name, "busy (max_calls reached)");
			return;
		}
		if(c->u->dnd) {
			rs_skip(c, si, pos, kind, name, "do not disturb");
			return;
		}
	}
	if(rs_in_step(p, st, kind, name, dev)) {
		rs_skip(c, si, pos, kind, name, "already in step %d", si + 1);
		return;
	}
	if(dev != NULL && c->in->ncontacts != NULL) {
		n = c->in->ncontacts(c->in->ctx, dev);
		if(n < 0)
			n = 0;
	}
	if(n > 0 && (n > c->maxc || st->ncontacts > c->maxc - n)) {
		rs_skip(c, si, pos, kind, name, "more than %d contacts in step %d",
				c->maxc, si + 1);
		return;
	}
	if(p->ntargets >= RS_PLAN_MAX_TARGETS) {
		rs_skip(c, si, pos, kind, name, "more than %d targets in plan",
				RS_PLAN_MAX_TARGETS);
		return;
	}
	t = &p->targets[p->ntargets++];
	t->kind = kind;
	t->name = *name;
	t->device = dev;
	t->ring_seconds = ring;
	t->ncontacts = n;
	t->entry_position = pos;
	t->registered = n > 0;
	t->member = c->member;
	st->count++;
	if(n == 0) {
		rs_skip(c, si, pos, kind, name, "not registered");
		return;
	}
	st->ringable++;
	st->ncontacts += n;
	if(ring > st->timer)
		st->timer = ring;
}

static void rs_open_step(rs_plan_t *p)
{
	rs_plan_step_t *st = &p->steps[p->nsteps];

	st->q = rs_plan_q(p->n, p->nsteps);
	st->first = p->ntargets;
	p->nsteps++;
}

/* an enabled entry: resolve its target into the last step */
static void rs_add_entry(rs_cc_t *c, const rs_followme_t *e)
{
	const rs_user_t *x;
	const rs_device_t *dev;
	int i, si = c->p->nsteps - 1;

	if(e->schedule.len > 0 && c->in->now_set
			&& !rs_tmrec_match(&e->rec, c->in->now)) {
		rs_skip(c, si, e->position, RS_TGT_NONE, &e->target,
				"outside its schedule");
		return;
	}
	x = rs_dir_user(c->in->dir, e->target.s, e->target.len);
	if(x != NULL) {
		if(x->ndevices == 0)
			rs_skip(c, si, e->position, RS_TGT_NONE, &e->target, "no devices");
		for(i = 0; i < x->ndevices; i++)
			rs_add(c, RS_TGT_DEVICE, &x->devices[i]->username, x->devices[i],
					e->ring_seconds, e->position);
		return;
	}
	dev = rs_dir_device(c->in->dir, e->target.s, e->target.len);
	if(dev != NULL) {
		rs_add(c, RS_TGT_DEVICE, &dev->username, dev, e->ring_seconds,
				e->position);
		return;
	}
	if(rs_is_number(&e->target)) {
		if(!c->u->forward_external)
			rs_skip(c, si, e->position, RS_TGT_EXTERNAL, &e->target,
					"external forwarding not allowed for %.*s",
					c->u->extension.len, c->u->extension.s);
		else if(!c->u->perm[RS_PERM_CALL_INTERNATIONAL]
				&& rs_plan_is_international(&e->target, c->in->intl_prefix))
			rs_skip(c, si, e->position, RS_TGT_EXTERNAL, &e->target,
					"international calls not allowed for %.*s",
					c->u->extension.len, c->u->extension.s);
		else
			rs_add(c, e->confirm ? RS_TGT_CONFIRM : RS_TGT_EXTERNAL, &e->target,
					NULL, e->ring_seconds, e->position);
		return;
	}
	rs_skip(c, si, e->position, RS_TGT_NONE, &e->target, "unknown target");
}

int rs_plan_is_number(const rs_str_t *s)
{
	return s != NULL && rs_is_number(s);
}

int rs_plan_is_international(const rs_str_t *number, const char *prefix)
{
	size_t pl;

	if(number == NULL || number->s == NULL)
		return 0;
	if(prefix == NULL || prefix[0] == '\0')
		prefix = "00";
	pl = strlen(prefix);
	return (size_t)number->len > pl && memcmp(number->s, prefix, pl) == 0;
}

/*
 * U's unconditional forward: 1 if the plan is the forward target's one
 * step, 0 if U's normal plan applies (the skip says why)
 */
static int rs_forward(rs_cc_t *c)
{
	const rs_user_t *u = c->u, *x;
	const rs_device_t *dev;
	const rs_str_t *t = &u->cfwd_target;
	rs_plan_t *p = c->p;
	int i, why = 0;

	x = rs_dir_user(c->in->dir, t->s, t->len);
	dev = x ? NULL : rs_dir_device(c->in->dir, t->s, t->len);
	if(x == NULL && dev == NULL) {
		if(!rs_is_number(t))
			why = 1;
		else if(!u->forward_external)
			why = 2;
		else if(!u->perm[RS_PERM_CALL_INTERNATIONAL]
				&& rs_plan_is_international(t, c->in->intl_prefix))
			why = 3;
	}
	if(why) {
		/* the skip goes into the normal plan that follows */
		c->source = "forwarding";
		rs_skip(c, 0, -1, RS_TGT_NONE, t,
				why == 1   ? "unknown forward target, ringing %.*s's own plan"
				: why == 2 ? "external forwarding not allowed for %.*s, "
							 "ringing its own plan"
						   : "international calls not allowed for %.*s, "
							 "ringing its own plan",
				u->extension.len, u->extension.s);
		c->source = NULL;
		return 0;
	}
	p->forwarded = 1;
	p->n = 0;
	p->delta_q = RS_Q_SPREAD;
	rs_open_step(p);
	c->source = "forwarding";
	if(x != NULL) {
		if(x->ndevices == 0)
			rs_skip(c, 0, -1, RS_TGT_NONE, t, "no devices");
		for(i = 0; i < x->ndevices; i++)
			rs_add(c, RS_TGT_DEVICE, &x->devices[i]->username, x->devices[i],
					RS_PLAN_CFWD_SECONDS, -1);
	} else if(dev != NULL) {
		rs_add(c, RS_TGT_DEVICE, &dev->username, dev, RS_PLAN_CFWD_SECONDS, -1);
	} else {
		rs_add(c, RS_TGT_EXTERNAL, t, NULL, RS_PLAN_CFWD_SECONDS, -1);
	}
	c->source = NULL;
	return 1;
}

static rs_err_t rs_refuse(rs_plan_t *p, rs_err_t e, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

static rs_err_t rs_refuse(rs_plan_t *p, rs_err_t e, const char *fmt, ...)
{
	va_list ap;

	memset(p, 0, sizeof(*p));
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	return e;
}

rs_err_t rs_plan_compile(const rs_plan_input_t *in, rs_plan_t *out)
{
	static const rs_str_t vm = {(char *)rs_vm_name, sizeof(rs_vm_name) - 1};
	const rs_followme_t *e;
	const rs_user_t *u;
	char qa[8];
	rs_cc_t c;
	int i, n = 0, nsteps = 1, vms;

	if(out == NULL)
		return RS_E_INVAL;
	if(in == NULL || in->dir == NULL || in->user == NULL)
		return rs_refuse(out, RS_E_INVAL, "no input, directory or user");
	u = in->user;
	if((u->nfollowme > 0 && u->followme == NULL) || u->nfollowme < 0
			|| (u->ndevices > 0 && u->devices == NULL) || u->ndevices < 0)
		return rs_refuse(out, RS_E_INVAL, "inconsistent user");
	if(in->voicemail_seconds < 0 || in->voicemail_seconds > RS_DIR_RING_MAX)
		return rs_refuse(out, RS_E_INVAL, "voicemail_seconds must be 0..%d",
				RS_DIR_RING_MAX);
	if(in->max_step_contacts < 0)
		return rs_refuse(out, RS_E_INVAL, "max_step_contacts must be >= 0");

	/* the shape of the plan first: n and the number of steps */
	for(i = 0; i < u->nfollowme; i++) {
		if(!u->followme[i].enabled)
			continue;
		n++;
		if(u->followme[i].mode != RS_FM_PARALLEL)
			nsteps++;
	}
	if(u->voicemail) {
		n++;
		nsteps++;
	}
	for(i = 1; i < nsteps; i++) {
		if(rs_plan_q(n, i) == rs_plan_q(n, i - 1)) {
			rs_q_format(rs_plan_q(n, i), qa, sizeof(qa));
			return rs_refuse(out, RS_E_LIMIT,
					"sequence too long: steps %d and %d would both get q=%s", i,
					i + 1, qa);
		}
	}
	if(nsteps > RS_PLAN_MAX_STEPS)
		return rs_refuse(out, RS_E_LIMIT,
				"sequence too long: %d steps, at most %d", nsteps,
				RS_PLAN_MAX_STEPS);

	memset(out, 0, sizeof(*out));
	out->user = u;
	out->ext = u->extension;
	c.in = in;
	c.u = u;
	c.p = out;
	c.maxc = in->max_step_contacts ? in->max_step_contacts
								   : RS_PLAN_STEP_CONTACTS;
	c.member = NULL;
	c.source = NULL;
	if(u->cfwd_target.len > 0 && rs_forward(&c))
		return RS_OK;

	out->n = n;
	out->delta_q = (2 * RS_Q_SPREAD + n + 1) / (2 * (n + 1));
	vms = in->voicemail_seconds ? in->voicemail_seconds
								: RS_PLAN_VOICEMAIL_SECONDS;

	/* step 1: own devices and Fork2Mobile */
	rs_open_step(out);
	for(i = 0; i < u->ndevices; i++)
		rs_add(&c, RS_TGT_DEVICE, &u->devices[i]->username, u->devices[i],
				u->ring_seconds, -1);
	if(u->fork2mobile && u->mobile.len > 0) {
		if(u->dnd)
			/* the mobile leg is U's too: do not disturb there either */
			rs_skip(&c, 0, -1, RS_TGT_MOBILE, &u->mobile, "do not disturb");
		else if(rs_is_number(&u->mobile))
			rs_add(&c, RS_TGT_MOBILE, &u->mobile, NULL, u->ring_seconds, -1);
		else
			rs_skip(&c, 0, -1, RS_TGT_MOBILE, &u->mobile,
					"mobile is not a valid number");
	}

	/* follow-me entries */
	for(i = 0; i < u->nfollowme; i++) {
		e = &u->followme[i];
		if(!e->enabled) {
			rs_skip(&c, -1, e->position, RS_TGT_NONE, &e->target, "disabled");
			continue;
		}
		if(e->mode != RS_FM_PARALLEL)
			rs_open_step(out);
		rs_add_entry(&c, e);
	}

	/* voicemail last */
	if(u->voicemail) {
		rs_open_step(out);
		rs_add(&c, RS_TGT_VOICEMAIL, &vm, NULL, vms, -1);
	}
	return RS_OK;
}

/* a member of a group: its devices and Fork2Mobile leg, or why not */
static void rs_add_member(rs_cc_t *c, const rs_group_t *g, int k)
{
	const rs_user_t *m = g->members[k];
	int i, si = c->p->nsteps - 1, pos = g->positions[k];

	c->member = m;
	c->source = "member";
	if(c->in->user_busy != NULL && c->in->user_busy(c->in->ctx, m) > 0)
		rs_skip(c, si, pos, RS_TGT_NONE, &m->extension,
				"busy (max_calls reached)");
	else if(m->dnd)
		rs_skip(c, si, pos, RS_TGT_NONE, &m->extension, "do not disturb");
	else if(m->ndevices == 0 && !(m->fork2mobile && m->mobile.len > 0))
		rs_skip(c, si, pos, RS_TGT_NONE, &m->extension, "no devices");
	else {
		for(i = 0; i < m->ndevices; i++)
			rs_add(c, RS_TGT_DEVICE, &m->devices[i]->username, m->devices[i],
					g->ring_seconds, pos);
		if(m->fork2mobile && m->mobile.len > 0) {
			if(rs_is_number(&m->mobile))
				rs_add(c, RS_TGT_MOBILE, &m->mobile, NULL, g->ring_seconds,
						pos);
			else
				rs_skip(c, si, pos, RS_TGT_MOBILE, &m->mobile,
						"mobile is not a valid number");
		}
	}
	c->member = NULL;
	c->source = NULL;
}

/* the group's last destination, in a step of its own */
static void rs_add_last(rs_cc_t *c, const rs_group_t *g, int vms)
{
	static const rs_str_t vm = {(char *)rs_vm_name, sizeof(rs_vm_name) - 1};
	const rs_str_t *t = &g->last_destination;
	const rs_user_t *x;
	const rs_device_t *dev;
	int i;

	c->source = "last destination";
	if(t->len == sizeof(rs_vm_name) - 1
			&& memcmp(t->s, rs_vm_name, sizeof(rs_vm_name) - 1) == 0) {
		rs_add(c, RS_TGT_VOICEMAIL, &vm, NULL, vms, -1);
	} else if((x = rs_dir_user(c->in->dir, t->s, t->len)) != NULL) {
		if(x->ndevices == 0)
			rs_skip(c, c->p->nsteps - 1, -1, RS_TGT_NONE, t, "no devices");
		for(i = 0; i < x->ndevices; i++)
			rs_add(c, RS_TGT_DEVICE, &x->devices[i]->username, x->devices[i],
					x->ring_seconds, -1);
	} else if((dev = rs_dir_device(c->in->dir, t->s, t->len)) != NULL) {
		rs_add(c, RS_TGT_DEVICE, &dev->username, dev, vms, -1);
	} else if(rs_is_number(t)) {
		rs_add(c, RS_TGT_EXTERNAL, t, NULL, vms, -1);
	} else {
		rs_skip(c, c->p->nsteps - 1, -1, RS_TGT_NONE, t, "unknown target");
	}
	c->source = NULL;
}

rs_err_t rs_plan_compile_group(const rs_plan_input_t *in, rs_plan_t *out)
{
	const rs_group_t *g;
	int i, k, start = 0, nsteps, vms;
	rs_cc_t c;

	if(out == NULL)
		return RS_E_INVAL;
	if(in == NULL || in->dir == NULL || in->group == NULL)
		return rs_refuse(out, RS_E_INVAL, "no input, directory or group");
	g = in->group;
	if(g->nmembers < 0 || (g->nmembers > 0 && g->members == NULL)
			|| g->nmembers > RS_PLAN_MAX_STEPS - 1)
		return rs_refuse(out, RS_E_INVAL, "inconsistent group");
	if(g->nmembers == 0 && g->last_destination.len == 0)
		return rs_refuse(out, RS_E_INVAL, "group has no members");
	if(in->voicemail_seconds < 0 || in->voicemail_seconds > RS_DIR_RING_MAX
			|| in->max_step_contacts < 0)
		return rs_refuse(out, RS_E_INVAL,
				"bad voicemail_seconds or "
				"max_step_contacts");
	nsteps = g->strategy == RS_GRP_RINGALL ? (g->nmembers > 0) : g->nmembers;
	if(g->last_destination.len > 0)
		nsteps++;
	memset(out, 0, sizeof(*out));
	out->group = g;
	out->ext = g->extension;
	out->n = nsteps > 0 ? nsteps - 1 : 0;
	out->delta_q = (2 * RS_Q_SPREAD + out->n + 1) / (2 * (out->n + 1));
	c.in = in;
	c.u = NULL;
	c.p = out;
	c.maxc = in->max_step_contacts ? in->max_step_contacts
								   : RS_PLAN_STEP_CONTACTS;
	c.member = NULL;
	c.source = NULL;
	vms = in->voicemail_seconds ? in->voicemail_seconds
								: RS_PLAN_VOICEMAIL_SECONDS;

	if(g->strategy == RS_GRP_HUNT && in->hunt_after != NULL
			&& in->hunt_after[0] != '\0') {
		for(i = 0; i < g->nmembers; i++) {
			if(rs_str_eq_buf(&g->members[i]->extension, in->hunt_after,
					   (int)strlen(in->hunt_after))) {
				start = (i + 1) % g->nmembers;
				break;
			}
		}
	}
	if(g->strategy == RS_GRP_RINGALL && g->nmembers > 0)
		rs_open_step(out);
	for(i = 0; i < g->nmembers; i++) {
		k = (start + i) % g->nmembers;
		if(g->strategy != RS_GRP_RINGALL)
			rs_open_step(out);
		rs_add_member(&c, g, k);
	}
	if(g->last_destination.len > 0) {
		rs_open_step(out);
		rs_add_last(&c, g, vms);
	}
	return RS_OK;
}

/* ---- rendering ---- */

static int rs_render_args(const rs_plan_t *p, const char *domain,
		const char *media_host, const char *buf, size_t len)
{
	return p != NULL && domain != NULL && media_host != NULL
		   && (buf != NULL || len == 0) && p->nsteps >= 0
		   && p->nsteps <= RS_PLAN_MAX_STEPS;
}

static void rs_out_target(rs_out_t *o, const rs_plan_t *p, int step,
		const rs_plan_target_t *t, const char *domain, const char *media_host)
{
	static const rs_str_t vm = {(char *)rs_vm_name, sizeof(rs_vm_name) - 1};
	const char *host = domain;
	char qa[8];

	rs_out_str(o, "<sip:");
	if(t->kind == RS_TGT_VOICEMAIL) {
		rs_out_user(o, &vm);
		host = media_host;
	} else {
		rs_out_user(o, &t->name);
		if(t->kind == RS_TGT_DEVICE && t->device != NULL
				&& t->device->domain.len > 0)
			host = t->device->domain.s;
	}
	rs_out_str(o, "@");
	rs_out_str(o, host);
	rs_q_format(p->steps[step].q, qa, sizeof(qa));
	rs_out_fmt(o, "?expires=%d%s>;q=%s", t->ring_seconds,
			t->kind == RS_TGT_CONFIRM ? "&confirm=1" : "", qa);
}

int rs_plan_target_render(const rs_plan_t *p, int step, int target,
		const char *domain, const char *media_host, char *buf, size_t len)
{
	const rs_plan_step_t *st;
	rs_out_t o;

	if(!rs_render_args(p, domain, media_host, buf, len) || step < 0
			|| step >= p->nsteps)
		return -1;
	st = &p->steps[step];
	if(target < 0 || target >= st->count || st->first < 0
			|| st->first + target >= p->ntargets)
		return -1;
	rs_out_init(&o, buf, len);
	rs_out_target(
			&o, p, step, &p->targets[st->first + target], domain, media_host);
	return rs_out_end(&o);
}

static const char *rs_skip_source(const rs_plan_skip_t *s)
{
	switch(s->kind) {
		case RS_TGT_DEVICE:
			return "own device";
		case RS_TGT_MOBILE:
			return "fork2mobile";
		case RS_TGT_VOICEMAIL:
			return "voicemail";
		default:
			return "plan";
	}
}

int rs_plan_render(const rs_plan_t *p, const char *domain,
		const char *media_host, char *buf, size_t len)
{
	const rs_plan_step_t *st;
	const rs_plan_target_t *t;
	const rs_plan_skip_t *s;
	char qa[8];
	rs_out_t o;
	int i, j, k;

	if(!rs_render_args(p, domain, media_host, buf, len) || p->ntargets < 0
			|| p->ntargets > RS_PLAN_MAX_TARGETS || p->nskips < 0
			|| p->nskips > RS_PLAN_MAX_SKIPS)
		return -1;
	rs_out_init(&o, buf, len);
	for(i = 0; i < p->nsteps; i++) {
		st = &p->steps[i];
		rs_q_format(st->q, qa, sizeof(qa));
		rs_out_fmt(&o, "step %d q=%s timer=%ds: ", i + 1, qa, st->timer);
		k = 0;
		for(j = 0; j < st->count && st->first + j < p->ntargets; j++) {
			t = &p->targets[st->first + j];
			if(!t->registered)
				continue;
			if(k++ > 0)
				rs_out_str(&o, ", ");
			rs_out_target(&o, p, i, t, domain, media_host);
		}
		if(k == 0)
			rs_out_str(&o, "(empty)");
		rs_out_str(&o, "\n");
	}
	for(i = 0; i < p->nskips; i++) {
		s = &p->skips[i];
		rs_out_str(&o, "skipped: ");
		if(s->target.len > 0 && s->target.s != NULL)
			rs_out_mem(&o, s->target.s, (size_t)s->target.len);
		if(s->source != NULL && s->entry_position >= 0)
			rs_out_fmt(&o, " (%s %d): ", s->source, s->entry_position);
		else if(s->source != NULL)
			rs_out_fmt(&o, " (%s): ", s->source);
		else if(s->entry_position >= 0)
			rs_out_fmt(&o, " (entry %d): ", s->entry_position);
		else
			rs_out_fmt(&o, " (%s): ", rs_skip_source(s));
		rs_out_mem(&o, s->reason, strnlen(s->reason, sizeof(s->reason)));
		rs_out_str(&o, "\n");
	}
	if(p->nskips_lost > 0)
		rs_out_fmt(&o, "skipped: %d more (not listed)\n", p->nskips_lost);
	return rs_out_end(&o);
}
