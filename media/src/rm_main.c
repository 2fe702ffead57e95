/*
 * Ringset - office PBX modules for Kamailio
 *
 * Copyright (C) 2026 The Ringset authors
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
 * ringset-media, the media server of Ringset (README "The media server", "Voicemail and message waiting"):
 * options -> prompts -> SIP listener -> pid file (ready) -> main loop ->
 * on SIGTERM: every call ended (BYE, 503), SIP transactions drained, exit.
 */

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rm_daemon.h"

struct rm_ctx rm;

static struct tmr rm_stop_tmr;

void rm_log(int level, const char *fmt, ...)
{
	va_list ap;
	struct timespec ts;
	struct tm tm;
	char when[32];

	if(level > rm.cfg.log_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld %s ", when, ts.tv_nsec / 1000000,
			level == 0	 ? "ERROR"
			: level == 1 ? "INFO"
						 : "DEBUG");
	va_start(ap, fmt);
	re_vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void rm_usage(void)
{
	fprintf(stderr,
			"usage: ringset-media -l <ip:port> -r <ringset ip:port> "
			"-d <domain>\n"
			"         -j <http://ip:port/RPC> -p <prompts dir> "
			"-v <voicemail dir>\n"
			"         [-b <mysql://user:pass@host/db> [-S <socket>]] "
			"[-L <longest recording s>] [-Z <silence s>]\n"
			"         [-R <rtp min-max>] [-n <max calls>] [-P <pid file>] "
			"[-D (debug)] [-q]\n");
}

static int rm_options(int argc, char **argv)
{
	struct rm_cfg *c = &rm.cfg;
	unsigned lo = 40000, hi = 49999;
	int o;

	c->max_calls = 1000;
	c->log_level = 1;
	c->rec_max_s = 120;
	c->rec_silence_s = 10;
	snprintf(c->domain, sizeof(c->domain), "pbx.local");
	while((o = getopt(argc, argv, "l:r:d:j:p:v:R:n:P:b:S:L:Z:Dqh")) != -1) {
		switch(o) {
			case 'l':
				if(sa_decode(&c->sip_addr, optarg, strlen(optarg))) {
					fprintf(stderr, "ringset-media: bad -l '%s'\n", optarg);
					return -1;
				}
				break;
			case 'r':
				if(sa_decode(&c->proxy, optarg, strlen(optarg))) {
					fprintf(stderr, "ringset-media: bad -r '%s'\n", optarg);
					return -1;
				}
				break;
			case 'd':
				snprintf(c->domain, sizeof(c->domain), "%s", optarg);
				break;
			case 'j':
				snprintf(c->rpc_url, sizeof(c->rpc_url), "%s", optarg);
				break;
			case 'p':
				snprintf(c->prompts_dir, sizeof(c->prompts_dir), "%s", optarg);
				break;
			case 'v':
				snprintf(c->vm_dir, sizeof(c->vm_dir), "%s", optarg);
				break;
			case 'R':
				if(sscanf(optarg, "%u-%u", &lo, &hi) != 2 || lo < 1024
						|| hi > 65535 || lo >= hi) {
					fprintf(stderr, "ringset-media: bad -R '%s'\n", optarg);
					return -1;
				}
				break;
			case 'n':
				c->max_calls = atoi(optarg);
				break;
			case 'b':
				snprintf(c->db_url, sizeof(c->db_url), "%s", optarg);
				break;
			case 'S':
				snprintf(c->db_sock, sizeof(c->db_sock), "%s", optarg);
				break;
			case 'L':
				c->rec_max_s = atoi(optarg);
				break;
			case 'Z':
				c->rec_silence_s = atoi(optarg);
				break;
			case 'P':
				snprintf(c->pidfile, sizeof(c->pidfile), "%s", optarg);
				break;
			case 'D':
				c->log_level = 2;
				break;
			case 'q':
				c->log_level = 0;
				break;
			default:
				rm_usage();
				return -1;
		}
	}
	c->rtp_min = (uint16_t)lo;
	c->rtp_max = (uint16_t)hi;
	if(!sa_isset(&c->sip_addr, SA_ALL) || !sa_isset(&c->proxy, SA_ALL)
			|| !c->prompts_dir[0] || c->max_calls < 1 || c->rec_max_s < 1
			|| c->rec_silence_s < 1) {
		rm_usage();
		return -1;
	}
	return 0;
}

static void rm_exit_handler(void *arg)
{
	(void)arg;
	re_cancel();
}

static void rm_stop_deadline(void *arg)
{
	(void)arg;
	RM_ERR("shutdown: transactions still open after 5 s, exiting\n");
	re_cancel();
}

static void rm_signal(int sig)
{
	if(rm.stopping)
		return;
	rm.stopping = true;
	RM_INFO("signal %d: ending %d calls\n", sig, rm.ncalls);
	rm_mwi_stop();
	rm_svc_close_all();
	/* sip_close calls the exit handler once every transaction is done */
	sip_close(rm.sip, false);
	tmr_start(&rm_stop_tmr, 5000, rm_stop_deadline, NULL);
}

int main(int argc, char **argv)
{
	struct sa laddr;
	char err[1200];
	int rc = 1, e;
	FILE *pf;

	/* phase 1: options and prompts (a missing prompt stops us here) */
	if(rm_options(argc, argv))
		return 2;
	if(rm_prompts_load(&rm.prompts, rm.cfg.prompts_dir, err, sizeof(err))) {
		fprintf(stderr, "ringset-media: %s\n", err);
		return 1;
	}

	if(rm.cfg.db_url[0] && rm_db_init(rm.cfg.db_url, rm.cfg.db_sock)) {
		fprintf(stderr, "ringset-media: -b is not mysql://user:pass@host/db\n");
		goto out_prompts;
	}
	if(!rm.cfg.vm_dir[0])
		snprintf(rm.cfg.vm_dir, sizeof(rm.cfg.vm_dir), "voicemail");

	/* phase 2: libre, SIP on our address */
	e = libre_init();
	if(e) {
		fprintf(stderr, "ringset-media: libre_init: %s\n", strerror(e));
		goto out_prompts;
	}
	(void)fd_setsize(8192);
	list_init(&rm.calls);
	list_init(&rm.legs);
	sa_cpy(&laddr, &rm.cfg.sip_addr);
	e = sip_alloc(&rm.sip, NULL, 256, 256, 256, "ringset-media",
			rm_exit_handler, NULL);
	if(!e)
		e = sip_transp_add(rm.sip, SIP_TRANSP_UDP, &laddr);
	if(!e)
		e = sipsess_listen(&rm.sock, rm.sip, 256, rm_svc_conn, NULL);
	if(e) {
		fprintf(stderr, "ringset-media: SIP on %s: %s\n",
				argc > 0 ? "the -l address" : "", strerror(e));
		goto out_sip;
	}
	{
		static struct sip_lsnr *other;
		e = sip_listen(&other, rm.sip, true, rm_svc_handle_other, NULL);
		if(e)
			goto out_sip;
	}

	/* phase 3: ready. The pid file says so to whoever waits for us */
	if(rm.cfg.pidfile[0]) {
		pf = fopen(rm.cfg.pidfile, "w");
		if(!pf || fprintf(pf, "%d\n", (int)getpid()) < 0 || fclose(pf)) {
			fprintf(stderr, "ringset-media: cannot write %s\n", rm.cfg.pidfile);
			goto out_sip;
		}
	}
	RM_INFO("ringset-media listening on sip:%J (udp), %d prompts from %s, "
			"RTP ports %u-%u, Ringset at %J\n",
			&laddr, rm.prompts.n, rm.cfg.prompts_dir, rm.cfg.rtp_min,
			rm.cfg.rtp_max, &rm.cfg.proxy);
	rm_tick_start();
	(void)signal(SIGPIPE, SIG_IGN);
	/* the lamps of mailboxes that have messages (after our restart) */
	rm_mwi_publish_all();
	e = re_main(rm_signal);
	rc = e ? 1 : 0;
	RM_INFO("stopped: %llu INVITEs, %llu refused, %llu RTP packets from "
			"wrong addresses, %llu late ticks\n",
			(unsigned long long)rm.n_invites, (unsigned long long)rm.n_rejected,
			(unsigned long long)rm.n_bad_rtp_src,
			(unsigned long long)rm.n_late_ticks);

	/* phase 4: ordered teardown */
	tmr_cancel(&rm.tick);
	tmr_cancel(&rm_stop_tmr);
	list_flush(&rm.calls);
out_sip:
	rm.sock = mem_deref(rm.sock);
	if(rm.sip)
		sip_close(rm.sip, true);
	rm.sip = mem_deref(rm.sip);
	libre_close();
	rm_db_close();
	if(rm.cfg.pidfile[0])
		unlink(rm.cfg.pidfile);
out_prompts:
	rm_prompts_free(&rm.prompts);
	return rc;
}
