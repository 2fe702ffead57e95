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
 * rtppeer: the RTP side of a phone or a mobile in Ringset's end-to-end
 * tests and benchmarks (SIP is sipp's job). It listens on one or more UDP
 * ports, learns each port's remote from the first packet (symmetric RTP),
 * sends a tone and RFC 4733 (or in-band) digits when told to, and reports
 * what it received: packets, audio length, energy, correlation with an
 * expected prompt, tones found by Goertzel, telephone-events ("digits=",
 * each once, and "tev_span_min_ms=": the shortest time from the first to
 * the last packet of one event, 0 for an event sent as one burst), and the
 * pacing of the packets (|interval - 20 ms|, median and p99).
 *
 *   rtppeer -l ip:port [-N ports] [-t Hz] [-T ms] [-k digits -K ms]...
 *           [-B] [-e expected.wav]... [-f Hz]... [-i idle ms] [-w max ms]
 *           [-c pcmu|pcma] [-o report] [-F timeline]
 * Times (-T, -K) count from the first packet received; each -k string is
 * sent at the -K that follows it. Every -e prompt is looked for anywhere
 * in what was received, at 20 ms steps (the server starts each prompt on
 * a packet): "heard_<name>=<times>" and "at_<name>_ms=<first>". -F writes
 * one line per received 20 ms frame of port 0: "<ms since the epoch> <1/0
 * for each -f tone (a quarter of the frame's energy or more: two tones
 * mixed count both)> <loud>", so a test can tell who was heard when. It
 * ends when no
 * packet came for the idle time (default 2000 ms) after the first one,
 * after the max time (default 60 s), or on SIGTERM, and prints key=value
 * lines. "rtppeer -A file.wav -f Hz..." reports the same of a WAV file
 * instead (a voicemail message). With -l ip:0 the N ports are the
 * kernel's choice, written to -P file as a sipp injection file. Arrival
 * times are the kernel's receive timestamps (SO_TIMESTAMPNS), so the
 * pacing measured is the sender's, not this process's scheduling.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "rm_g711.h"
#include "rm_tev.h"
#include "rm_tone.h"
#include "rm_wav.h"

#define MAXPORTS 1024
#define MAXF 4
#define MAXREC (8000 * 130)
#define FRAME 160
#define TEV_PT 101

struct port
{
	int fd;
	struct sockaddr_in remote;
	int have_remote;
	uint16_t seq;
	uint32_t ts, ssrc;
	int64_t first_ns, last_ns;
	uint64_t pkts;
};

static struct port ports[MAXPORTS];
static int nports = 1;
static volatile sig_atomic_t stop;
static int64_t rx_ns;	 /* the kernel's receive time of the packet */
static int64_t *gaps_us; /* |interval - 20 ms| of every port, us */
static size_t ngaps, capgaps;
static int16_t *rec; /* decoded audio of port 0 */
static size_t nrec;
static int32_t *rec_ms; /* per 20 ms of rec: arrival, ms after the first */
static int64_t first_rx;
static long last_digit_ms = -1;
static double freqs[MAXF];
static int nfreqs;
static long tone_frames[MAXF];
static char digits_rx[64];
static int ndigits_rx;
static rm_tev_rx_t tev_rx; /* zero: nothing seen */
/* the pacing of received events: first to last packet of each, the least */
static uint32_t tev_cur_ts;
static int tev_have_cur;
static int64_t tev_first_ns, tev_last_ns, tev_span_min_ns = -1;

static void tev_span_close(void)
{
	int64_t d = tev_last_ns - tev_first_ns;

	if(tev_have_cur && (tev_span_min_ns < 0 || d < tev_span_min_ns))
		tev_span_min_ns = d;
	tev_have_cur = 0;
}
static FILE *timeline;

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* one datagram with its kernel timestamp (CLOCK_REALTIME, moved to the
 * monotonic clock); rx_ns is 0 when there is none */
static ssize_t recv_ts(int fd, uint8_t *b, size_t sz, struct sockaddr_in *src)
{
	char ctl[128];
	struct iovec iov = {b, sz};
	struct msghdr m;
	struct cmsghdr *c;
	struct timespec rt, mt;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.msg_name = src;
	m.msg_namelen = sizeof(*src);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl;
	m.msg_controllen = sizeof(ctl);
	n = recvmsg(fd, &m, 0);
	rx_ns = 0;
	if(n <= 0)
		return n;
	for(c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if(c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			clock_gettime(CLOCK_REALTIME, &rt);
			clock_gettime(CLOCK_MONOTONIC, &mt);
			rx_ns = (int64_t)mt.tv_sec * 1000000000LL + mt.tv_nsec
					- ((int64_t)rt.tv_sec * 1000000000LL + rt.tv_nsec
							- ((int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec));
		}
	}
	return n;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void send_rtp(
		struct port *p, int pt, int marker, const uint8_t *pl, size_t n)
{
	uint8_t b[12 + 400];

	if(!p->have_remote || n > 400)
		return;
	b[0] = 0x80;
	b[1] = (uint8_t)((marker ? 0x80 : 0) | pt);
	b[2] = p->seq >> 8;
	b[3] = p->seq & 0xff;
	b[4] = p->ts >> 24;
	b[5] = (p->ts >> 16) & 0xff;
	b[6] = (p->ts >> 8) & 0xff;
	b[7] = p->ts & 0xff;
	b[8] = p->ssrc >> 24;
	b[9] = (p->ssrc >> 16) & 0xff;
	b[10] = (p->ssrc >> 8) & 0xff;
	b[11] = p->ssrc & 0xff;
	memcpy(b + 12, pl, n);
	(void)sendto(p->fd, b, 12 + n, 0, (struct sockaddr *)&p->remote,
			sizeof(p->remote));
	p->seq++;
}

static const double dtmf_lo[] = {
		941, 697, 697, 697, 770, 770, 770, 852, 852, 852, 941, 941};
static const double dtmf_hi[] = {
		1336, 1209, 1336, 1477, 1209, 1336, 1477, 1209, 1336, 1477, 1209, 1477};

static void on_packet(struct port *p, const uint8_t *b, ssize_t n,
		struct sockaddr_in *src, rm_codec_t codec)
{
	int64_t t = rx_ns ? rx_ns : now_ns();
	int pt, cc;
	size_t hl, pl, i, k;
	int16_t pcm[400];

	if(n < 12 || (b[0] >> 6) != 2)
		return;
	if(!p->have_remote) {
		p->remote = *src;
		p->have_remote = 1;
	}
	pt = b[1] & 0x7f;
	cc = b[0] & 0x0f;
	hl = 12 + 4 * (size_t)cc;
	if((size_t)n < hl)
		return;
	pl = (size_t)n - hl;
	if(!first_rx)
		first_rx = t;
	if(p->pkts == 0)
		p->first_ns = t;
	else if(pt != TEV_PT) {
		int64_t d = (t - p->last_ns) / 1000 - 20000;
		if(ngaps == capgaps) {
			capgaps = capgaps ? capgaps * 2 : 65536;
			gaps_us = realloc(gaps_us, capgaps * sizeof(*gaps_us));
		}
		if(gaps_us)
			gaps_us[ngaps++] = d < 0 ? -d : d;
	}
	p->last_ns = t;
	p->pkts++;
	if(pt == TEV_PT && pl >= 4) {
		uint32_t ts = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16
					  | (uint32_t)b[6] << 8 | b[7];
		char key = rm_tev_rx_packet(&tev_rx, ts, b + hl, pl);
		if(key && ndigits_rx < 63)
			digits_rx[ndigits_rx++] = key;
		if(!tev_have_cur || ts != tev_cur_ts) {
			tev_span_close();
			tev_have_cur = 1;
			tev_cur_ts = ts;
			tev_first_ns = t;
		}
		tev_last_ns = t;
		return;
	}
	if((pt != 0 && pt != 8) || p != &ports[0] || pl > 400)
		return;
	rm_g711_decode(pt == 8 ? RM_PCMA : RM_PCMU, b + hl, pcm, pl);
	(void)codec;
	if(nrec / FRAME < MAXREC / FRAME)
		rec_ms[nrec / FRAME] = (int32_t)((t - first_rx) / 1000000);
	for(i = 0; i < pl && nrec < MAXREC; i++)
		rec[nrec++] = pcm[i];
	if(pl == FRAME && timeline) {
		struct timespec rt;
		int loud = rm_rms(pcm, pl) > 100;

		clock_gettime(CLOCK_REALTIME, &rt);
		fprintf(timeline, "%lld",
				(long long)rt.tv_sec * 1000 + rt.tv_nsec / 1000000);
		for(k = 0; k < (size_t)nfreqs; k++)
			fprintf(timeline, " %d",
					loud && rm_goertzel(pcm, pl, freqs[k], 8000) > 0.25);
		fprintf(timeline, " %d\n", loud);
	}
	if(pl == FRAME && rm_rms(pcm, pl) > 100) {
		for(k = 0; k < (size_t)nfreqs; k++) {
			if(rm_goertzel(pcm, pl, freqs[k], 8000) > 0.5)
				tone_frames[k]++;
		}
	}
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* normalised correlation of e with the received audio at offset off */
static double corr_at(const int16_t *e, size_t ne, size_t off)
{
	double num = 0, ee = 0, rr = 0;
	size_t i, n = nrec - off < ne ? nrec - off : ne;

	/* less than half of the prompt left: no match */
	if(off >= nrec || n < ne / 2)
		return 0;
	for(i = 0; i < n; i++) {
		num += (double)rec[i + off] * e[i];
		ee += (double)e[i] * e[i];
		rr += (double)rec[i + off] * rec[i + off];
	}
	return ee > 0 && rr > 0 ? num / sqrt(ee * rr) : 0;
}

/* the best correlation at the start (offsets up to 100 ms) */
static double correlate(const int16_t *e, size_t ne)
{
	double best = 0, c;
	size_t off;

	for(off = 0; off <= 800; off++) {
		c = corr_at(e, ne, off);
		if(c > best)
			best = c;
	}
	return best;
}

/* how often e occurs in the received audio (frame-aligned, >= 0.9) */
static int occurrences(const int16_t *e, size_t ne, long *first_ms)
{
	size_t off = 0;
	int n = 0;

	*first_ms = -1;
	while(off < nrec) {
		if(corr_at(e, ne, off) >= 0.9) {
			if(*first_ms < 0)
				*first_ms = (long)(off / 8);
			n++;
			off += ne - ne % FRAME;
			continue;
		}
		off += FRAME;
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *listen_s = NULL, *expect[8], *report = NULL;
	const char *dstr[8];
	long dat[8];
	int nexpect = 0, ndstr = 0, di = 0;
	const char *digits = "";
	double tone_hz = 0;
	long tone_at = 0, dig_at = 0, idle_ms = 2000, max_ms = 60000;
	int inband = 0, o, i;
	rm_codec_t codec = RM_PCMU;
	struct sockaddr_in a;
	char ip[64];
	int port0;
	struct pollfd *pfd;
	int64_t start, first = 0, next_send, lastrx = 0;
	rm_tone_t tone, dt1, dt2;
	int dig_i = 0, dig_pkt = 0;
	FILE *out = stdout;

	const char *analyse = NULL, *portsfile = NULL;

	while((o = getopt(argc, argv, "l:N:t:T:k:K:Be:f:i:w:c:o:A:P:F:")) != -1) {
		switch(o) {
			case 'l':
				listen_s = optarg;
				break;
			case 'N':
				nports = atoi(optarg);
				break;
			case 't':
				tone_hz = atof(optarg);
				break;
			case 'T':
				tone_at = atol(optarg);
				break;
			case 'k':
				if(ndstr < 8) {
					dstr[ndstr] = optarg;
					dat[ndstr++] = 0;
				}
				break;
			case 'K':
				if(ndstr > 0)
					dat[ndstr - 1] = atol(optarg);
				break;
			case 'B':
				inband = 1;
				break;
			case 'e':
				if(nexpect < 8)
					expect[nexpect++] = optarg;
				break;
			case 'f':
				if(nfreqs < MAXF)
					freqs[nfreqs++] = atof(optarg);
				break;
			case 'i':
				idle_ms = atol(optarg);
				break;
			case 'w':
				max_ms = atol(optarg);
				break;
			case 'c':
				codec = strcmp(optarg, "pcma") ? RM_PCMU : RM_PCMA;
				break;
			case 'o':
				report = optarg;
				break;
			case 'F':
				timeline = fopen(optarg, "w");
				if(!timeline)
					return 1;
				setvbuf(timeline, NULL, _IOLBF, 0);
				break;
			case 'A':
				analyse = optarg;
				break;
			case 'P':
				portsfile = optarg;
				break;
			default:
				return 2;
		}
	}
	if(analyse) {
		/* a file: its audio, as if it had been received */
		int16_t *w = NULL;
		size_t nw = 0, f, k;
		long loud = 0;

		if(rm_wav_load(analyse, &w, &nw) != RM_WAV_OK) {
			fprintf(stderr, "rtppeer: cannot read %s\n", analyse);
			return 1;
		}
		for(f = 0; f + FRAME <= nw; f += FRAME) {
			if(rm_rms(w + f, FRAME) > 300)
				loud++;
			for(k = 0; k < (size_t)nfreqs; k++) {
				if(rm_rms(w + f, FRAME) > 100
						&& rm_goertzel(w + f, FRAME, freqs[k], 8000) > 0.5)
					tone_frames[k]++;
			}
		}
		printf("audio_ms=%zu\nloud_ms=%ld\n", nw / 8, loud * 20);
		for(i = 0; i < nfreqs; i++)
			printf("tone_%.0f_ms=%ld\n", freqs[i], tone_frames[i] * 20);
		free(w);
		return 0;
	}
	if(!listen_s || sscanf(listen_s, "%63[^:]:%d", ip, &port0) != 2
			|| nports < 1 || nports > MAXPORTS) {
		fprintf(stderr, "usage: rtppeer -l ip:port [options], see source\n");
		return 2;
	}
	rec = malloc(MAXREC * sizeof(*rec));
	rec_ms = calloc(MAXREC / FRAME + 1, sizeof(*rec_ms));
	pfd = calloc((size_t)nports, sizeof(*pfd));
	if(!rec || !pfd || !rec_ms)
		return 1;
	for(i = 0; i < nports; i++) {
		int rb = 1 << 20, on = 1;
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_port = htons((uint16_t)(port0 ? port0 + i : 0));
		inet_pton(AF_INET, ip, &a.sin_addr);
		ports[i].fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		setsockopt(ports[i].fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof(rb));
		if(ports[i].fd < 0
				|| bind(ports[i].fd, (struct sockaddr *)&a, sizeof(a))) {
			fprintf(stderr, "rtppeer: bind %s:%d: %s\n", ip, port0 + i,
					strerror(errno));
			return 1;
		}
		setsockopt(ports[i].fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
		ports[i].ssrc = (uint32_t)(0x5eed0000u + (unsigned)i);
		ports[i].ts = 1000;
		pfd[i].fd = ports[i].fd;
		pfd[i].events = POLLIN;
	}
	if(portsfile) {
		/* the ports, as a sipp injection file (field 0) */
		FILE *pf = fopen(portsfile, "w");
		char tmp[1100];

		if(!pf)
			return 1;
		fprintf(pf, "SEQUENTIAL\n");
		for(i = 0; i < nports; i++) {
			socklen_t al = sizeof(a);
			getsockname(ports[i].fd, (struct sockaddr *)&a, &al);
			fprintf(pf, "%d;\n", ntohs(a.sin_port));
		}
		fclose(pf);
		snprintf(tmp, sizeof(tmp), "%s.ready", portsfile);
		pf = fopen(tmp, "w");
		if(pf)
			fclose(pf);
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	rm_tone_init(&tone, tone_hz > 0 ? tone_hz : 1000, 8000, 8000);
	if(ndstr > 0) {
		digits = dstr[0];
		dig_at = dat[0];
	}
	start = now_ns();
	next_send = 0;
	while(!stop) {
		int64_t t = now_ns(), wait_ms = 20;

		if(first && next_send && t >= next_send) {
			struct port *p = &ports[0];
			long since = (long)((t - first) / 1000000);
			uint8_t pl[FRAME];
			int16_t pcm[FRAME], x[FRAME];
			int sent_dtmf = 0;

			if(digits[dig_i] && since >= dig_at
					&& rm_tev_code(digits[dig_i]) >= 0
					/* the in-band tables have 0-9 * # */
					&& (!inband || rm_tev_code(digits[dig_i]) < 12)) {
				int code = rm_tev_code(digits[dig_i]);
				if(inband) {
					if(dig_pkt == 0) {
						rm_tone_init(&dt1, dtmf_lo[code], 8000, 6000);
						rm_tone_init(&dt2, dtmf_hi[code], 8000, 6000);
					}
					if(dig_pkt < 5) {
						int j;
						rm_tone_gen(&dt1, pcm, FRAME);
						rm_tone_gen(&dt2, x, FRAME);
						for(j = 0; j < FRAME; j++)
							pcm[j] = (int16_t)(pcm[j] + x[j]);
					} else
						memset(pcm, 0, sizeof(pcm));
					rm_g711_encode(codec, pcm, pl, FRAME);
					send_rtp(p, codec, 0, pl, FRAME);
					p->ts += FRAME;
				} else {
					/* 5 packets of 20 ms, the last three with the E bit */
					uint8_t ev[4];
					unsigned dur =
							(unsigned)(dig_pkt < 3 ? dig_pkt + 1 : 3) * FRAME;
					rm_tev_payload(ev, code, dig_pkt >= 2, dur);
					if(dig_pkt < 5)
						send_rtp(p, TEV_PT, dig_pkt == 0, ev, 4);
					if(dig_pkt == 4)
						p->ts += 3 * FRAME;
				}
				sent_dtmf = 1;
				/* a digit, then a pause: 15 frames = 300 ms a digit */
				if(++dig_pkt >= 15) {
					last_digit_ms = since;
					dig_pkt = 0;
					dig_i++;
					if(!digits[dig_i] && di + 1 < ndstr) {
						/* the next string, at its own time */
						di++;
						digits = dstr[di];
						dig_at = dat[di];
						dig_i = 0;
					}
				}
			}
			if(!sent_dtmf && tone_hz > 0 && since >= tone_at) {
				rm_tone_gen(&tone, pcm, FRAME);
				rm_g711_encode(codec, pcm, pl, FRAME);
				send_rtp(p, codec, 0, pl, FRAME);
				p->ts += FRAME;
			} else if(!sent_dtmf) {
				p->ts += FRAME;
			}
			next_send += 20000000LL;
		}
		if(first && !next_send)
			next_send = t + 20000000LL;
		if(next_send) {
			wait_ms = (next_send - now_ns()) / 1000000;
			if(wait_ms < 0)
				wait_ms = 0;
		}
		if(poll(pfd, (nfds_t)nports, (int)wait_ms) > 0) {
			for(i = 0; i < nports; i++) {
				uint8_t b[2048];
				struct sockaddr_in src;
				ssize_t n;

				if(!(pfd[i].revents & POLLIN))
					continue;
				while((n = recv_ts(ports[i].fd, b, sizeof(b), &src)) > 0) {
					on_packet(&ports[i], b, n, &src, codec);
					lastrx = now_ns();
					if(!first)
						first = lastrx;
				}
			}
		}
		t = now_ns();
		/* idle: the far end sends nothing, and we have nothing left */
		if(first && (t - lastrx) / 1000000 > idle_ms && !digits[dig_i])
			break;
		if((t - start) / 1000000 > max_ms)
			break;
	}

	/* what is still queued (SIGTERM right after the call's end) */
	for(i = 0; i < nports; i++) {
		uint8_t b[2048];
		struct sockaddr_in src;
		socklen_t sl = sizeof(src);
		ssize_t n;

		while((n = recvfrom(ports[i].fd, b, sizeof(b), 0,
					   (struct sockaddr *)&src, &sl))
				> 0) {
			on_packet(&ports[i], b, n, &src, codec);
			sl = sizeof(src);
		}
	}
	if(report && !(out = fopen(report, "w")))
		return 1;
	{
		uint64_t pk = 0;
		long loud = 0, first_loud = -1, last_loud = -1;
		size_t f;

		for(i = 0; i < nports; i++)
			pk += ports[i].pkts;
		for(f = 0; f + FRAME <= nrec; f += FRAME) {
			if(rm_rms(rec + f, FRAME) > 300) {
				loud++;
				if(first_loud < 0)
					first_loud = (long)(f / 8);
				last_loud = (long)(f / 8) + 20;
			}
		}
		fprintf(out, "packets=%llu\n", (unsigned long long)pk);
		fprintf(out, "audio_ms=%zu\n", nrec / 8);
		fprintf(out, "loud_ms=%ld\nfirst_loud_ms=%ld\nlast_loud_ms=%ld\n",
				loud * 20, first_loud, last_loud);
		fprintf(out, "rms=%.0f\n", rm_rms(rec, nrec));
		fprintf(out, "digits=%.*s\n", ndigits_rx, digits_rx);
		tev_span_close();
		/* -1: no event received */
		fprintf(out, "tev_span_min_ms=%ld\n",
				tev_span_min_ns < 0 ? -1L : (long)(tev_span_min_ns / 1000000));
		fprintf(out, "last_digit_sent_ms=%ld\n", last_digit_ms);
		for(i = 0; i < nfreqs; i++)
			fprintf(out, "tone_%.0f_ms=%ld\n", freqs[i], tone_frames[i] * 20);
		if(ports[0].have_remote)
			fprintf(out, "remote=%s:%d\n", inet_ntoa(ports[0].remote.sin_addr),
					ntohs(ports[0].remote.sin_port));
		for(i = 0; i < nexpect; i++) {
			int16_t *e = NULL;
			size_t ne = 0;
			long at;
			char name[128];
			const char *b = strrchr(expect[i], '/');

			snprintf(name, sizeof(name), "%s", b ? b + 1 : expect[i]);
			if(strlen(name) > 4 && !strcmp(name + strlen(name) - 4, ".wav"))
				name[strlen(name) - 4] = '\0';
			if(rm_wav_load(expect[i], &e, &ne) != RM_WAV_OK || ne == 0) {
				fprintf(out, "error=cannot read %s\n", expect[i]);
				free(e);
				continue;
			}
			if(i == 0) {
				fprintf(out, "expect_ms=%zu\n", ne / 8);
				fprintf(out, "corr=%.3f\n", correlate(e, ne));
			}
			fprintf(out, "heard_%s=%d\n", name, occurrences(e, ne, &at));
			/* when it arrived (wall clock, after the first packet) */
			fprintf(out, "at_%s_ms=%ld\n", name,
					at < 0 ? -1L : (long)rec_ms[(at * 8) / FRAME]);
			free(e);
		}
		if(ngaps) {
			qsort(gaps_us, ngaps, sizeof(*gaps_us), cmp64);
			fprintf(out,
					"intervals=%zu\npace_median_us=%lld\npace_p99_us=%lld\n"
					"pace_max_us=%lld\n",
					ngaps, (long long)gaps_us[ngaps / 2],
					(long long)gaps_us[(ngaps * 99) / 100],
					(long long)gaps_us[ngaps - 1]);
		}
	}
	if(out != stdout)
		fclose(out);
	if(timeline)
		fclose(timeline);
	for(i = 0; i < nports; i++)
		close(ports[i].fd);
	free(rec);
	free(rec_ms);
	free(pfd);
	free(gaps_us);
	return 0;
}
