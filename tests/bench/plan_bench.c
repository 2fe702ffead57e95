/*
 * Ringset - benchmark of the ring-plan compiler (modules/lib/rs_plan.c)
 *
 * Copyright (C) 2026 Ringset developers
 *
 * This file is part of Ringset, a routing core built on Kamailio. It is free
 * software; you can redistribute it and/or modify it under the terms of the
 * GNU General Public License as published by the Free Software Foundation;
 * either version 2 of the License, or (at your option) any later version.
 */

/*
 * A directory of 5000 users with three devices each; user 300 also has one
 * parallel follow-me entry (a device of another user) and voicemail. Compiles
 * the plan of a call to 300 N times (argv[1], default 1000000) and prints
 * the time per compile. Under `valgrind --tool=callgrind` the instruction
 * count divided by N is the cost per routed call.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rs_plan.h"

#define NUSERS 5000

static int bench_ncontacts(void *ctx, const rs_device_t *d)
{
	(void)ctx;
	(void)d;
	return 1;
}

static rs_str_t s_of(char *s)
{
	rs_str_t r = {s, (int)strlen(s)};
	return r;
}

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 1000000;
	char ext[16], dev[16];
	rs_dir_builder_t *b;
	rs_dir_t *dir = NULL;
	rs_user_row_t u;
	rs_device_row_t d;
	rs_followme_row_t f;
	rs_plan_input_t in;
	static rs_plan_t plan;
	struct timespec t0, t1;
	double ns;
	int k;

	b = rs_dir_builder_new(&rs_alloc_libc, NULL, NULL);
	if(b == NULL)
		return 1;
	for(i = 0; i < NUSERS; i++) {
		memset(&u, 0, sizeof(u));
		snprintf(ext, sizeof(ext), "%ld", 300 + i);
		u.extension = s_of(ext);
		u.domain = s_of("pbx.local");
		u.display_name = s_of("Bench User");
		u.ring_seconds = 20;
		u.voicemail = (i == 0);
		rs_dir_builder_add_user(b, &u);
		for(k = 1; k <= 3; k++) {
			memset(&d, 0, sizeof(d));
			snprintf(dev, sizeof(dev), "%d%ld", k, 300 + i);
			d.username = s_of(dev);
			d.extension = s_of(ext);
			d.kind = s_of("static");
			rs_dir_builder_add_device(b, &d);
		}
	}
	memset(&f, 0, sizeof(f));
	f.extension = s_of("300");
	f.position = 1;
	f.target = s_of("1301");
	f.mode = s_of("parallel");
	f.ring_seconds = 20;
	f.enabled = 1;
	rs_dir_builder_add_followme(b, &f);
	if(rs_dir_freeze(b, &rs_alloc_libc, &dir) != RS_OK)
		return 1;
	rs_dir_builder_free(b);

	memset(&in, 0, sizeof(in));
	in.dir = dir;
	in.ncontacts = bench_ncontacts;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for(i = 0; i < n; i++) {
		/* the lookup is part of what a call pays */
		in.user = rs_dir_user(dir, "300", 3);
		if(rs_plan_compile(&in, &plan) != RS_OK)
			return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / n;
	printf("plan compile: %ld runs, %.0f ns each, %d steps, %d targets\n", n,
			ns, plan.nsteps, plan.ntargets);
	rs_dir_free(dir, &rs_alloc_libc);
	return 0;
}
