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
 * ringset-media: the daemon's shared declarations. One process, one libre
 * main loop: every handler below runs in it, none in another thread.
 *
 *   rm_main.c  phases: options, prompts, SIP, main loop, ordered teardown
 *   rm_leg.c   a call leg: RTP socket, codec, playout, DTMF, bridge, tick
 *   rm_svc.c   calls: INVITE checks, the service state machines' actions
 *   rm_http.c  JSON-RPC over HTTP (hotdesk.login)
 */

#ifndef RM_DAEMON_H
#define RM_DAEMON_H

#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <re.h>
#include <rem.h>

#include "rm_digits.h"
#include "rm_fsm.h"
#include "rm_g711.h"
#include "rm_prompt.h"
#include "rm_tev.h"
#include "rm_wav.h"

#define RM_PTIME 20
#define RM_FRAME 160 /* samples per 20 ms at 8 kHz */
#define RM_SEQ_MAX 24

/* settings (command line) */
struct rm_cfg
{
	struct sa sip_addr; /* where we listen (MEDIA_URI's host:port) */
	struct sa proxy;	/* Ringset: legs we place and PUBLISH go there */
	char domain[128];
	char rpc_url[256]; /* http://host:PROV_PORT/RPC */
	char prompts_dir[1024];
	char vm_dir[1024];
	char pidfile[1024];
	int max_calls;
	char db_url[256];
	char db_sock[512];
	int rec_max_s;			   /* longest recording */
	int rec_silence_s;		   /* silence that ends a recording */
	uint16_t rtp_min, rtp_max; /* our RTP ports */
	int log_level;			   /* 0 err, 1 info, 2 debug */
};

struct rm_ctx
{
	struct rm_cfg cfg;
	rm_prompts_t prompts;
	struct sip *sip;
	struct sipsess_sock *sock;
	struct dnsc *dnsc;
	struct list calls;
	struct list legs;
	struct tmr tick;
	uint64_t next_tick;
	bool stopping;
	int ncalls;
	/* counters, printed on SIGUSR1 and at exit */
	uint64_t n_invites, n_rejected, n_bad_rtp_src, n_late_ticks;
};

extern struct rm_ctx rm;

/* re_printf formats (%r for a pl, %J for an address) */
void rm_log(int level, const char *fmt, ...);
#define RM_ERR(...) rm_log(0, __VA_ARGS__)
#define RM_INFO(...) rm_log(1, __VA_ARGS__)
#define RM_DBG(...) rm_log(2, __VA_ARGS__)

/* ----- legs (rm_leg.c) */
struct rm_leg;
typedef void(rm_leg_digit_h)(struct rm_leg *leg, char key, const char *how);
typedef void(rm_leg_done_h)(struct rm_leg *leg); /* playout ended */
typedef void(rm_leg_audio_h)(
		struct rm_leg *leg, const int16_t *s, size_t n); /* received */

struct rm_leg
{
	struct le le; /* in rm.legs */
	void *owner;  /* the call */
	const char *name;
	struct sipsess *sess;
	struct rtp_sock *rtp;
	struct sdp_session *sdp;
	struct sdp_media *sdpm;
	struct sa raddr;
	bool have_raddr;
	rm_codec_t codec;
	int pt, tev_pt;
	uint32_t ts;
	bool marker;
	rm_tev_rx_t tev; /* RFC 4733 keys received, each once */
	rm_tev_tx_t tevtx; /* RFC 4733 keys to send, paced by the tick */
	uint32_t info_cseq; /* the last SIP INFO taken (retransmissions: once) */
	struct dtmf_dec *dtmf;
	/* what it plays */
	const rm_prompt_t *seq[RM_SEQ_MAX];
	int nseq, iseq;
	size_t pos;
	bool loop, playing, done_pending;
	/* where received audio goes */
	struct rm_leg *bridge;
	rm_leg_digit_h *digith;
	rm_leg_done_h *doneh;
	rm_leg_audio_h *audioh;
	/* recording: audioh gets silence for packets that did not come, so
	 * the audio keeps the call's time (fill_t0: since when, 0 = off) */
	uint64_t fill_t0, fill_samples;
	uint64_t rx_pkts, tx_pkts;
};

/* a leg with its RTP socket on our address and an SDP session */
int rm_leg_alloc(struct rm_leg **legp, void *owner, const char *name);
/*
 * The leg of an INVITE that calls us: its SDP offer (488 without one,
 * unless late_ok, or without a codec we have), an RTP port (503 without
 * one) and its handlers. 0 (the offer is taken), 1 (no offer, late_ok:
 * ours goes in the 2xx, the answer comes with the ACK), or -1 when msg was
 * refused (*legp is then NULL).
 */
int rm_leg_incoming(struct rm_leg **legp, void *owner, const char *name,
		const struct sip_msg *msg, bool late_ok, rm_leg_digit_h *digith,
		rm_leg_done_h *doneh, rm_leg_audio_h *audioh);
/* the remote SDP: offer (true) or answer; 0 if a common codec was found */
int rm_leg_sdp_remote(struct rm_leg *leg, struct mbuf *mb, bool offer);
/* our SDP (offer or answer) */
int rm_leg_sdp_local(struct rm_leg *leg, struct mbuf **mbp, bool offer);
/* play a sequence of prompts (replacing what plays); loop repeats it */
void rm_leg_play(
		struct rm_leg *leg, const rm_prompt_t *const *seq, int n, bool loop);
void rm_leg_stop(struct rm_leg *leg);
void rm_leg_bridge(struct rm_leg *a, struct rm_leg *b);
/* received audio to h, gaps filled with silence (NULL: stop) */
void rm_leg_record(struct rm_leg *leg, rm_leg_audio_h *h);
/* sends a key to the leg's peer as an RFC 4733 event, paced by the tick;
 * false when the peer takes no telephone-event or the queue is full */
bool rm_leg_send_tev(struct rm_leg *leg, char key);
/* a key of the leg, by how it came (rfc4733, in-band, info) */
void rm_leg_key(struct rm_leg *leg, char key, const char *how);
/* the sipsess INFO handler of every leg (arg: the leg): application/
 * dtmf-relay keys, each once although the reply is stateless */
void rm_leg_info(struct sip *sip, const struct sip_msg *msg, void *arg);
/* starts the 20 ms ticker that paces every leg's RTP */
void rm_tick_start(void);

/* ----- calls (rm_svc.c) */
void rm_svc_conn(const struct sip_msg *msg, void *arg);
/* SIGTERM: every call ends (BYE or 480), recordings are closed */
void rm_svc_close_all(void);
bool rm_svc_handle_other(const struct sip_msg *msg, void *arg);
/* a new INVITE's header name, copied into out if it is a token; false if
 * it is missing, not a token or longer than sz - 1 */
bool rm_hdr_token(
		const struct sip_msg *msg, const char *name, char *out, size_t sz);
/* refuses a new INVITE statelessly with code and reason, counted and logged */
void rm_refuse(const struct sip_msg *msg, uint16_t code, const char *reason);

/* ----- rs_voicemail (rm_db.c) */
struct rm_vmsg
{
	long long id;
	char path[256];
};
int rm_db_init(const char *url, const char *sock);
void rm_db_close(void);
int rm_db_vm_insert(const char *ext, const char *caller, long long dur_ms,
		const char *path, long long *id);
int rm_db_vm_counts(const char *ext, int *nnew, int *nsaved);
/* the mailbox's messages, new first; how many (at most max), -1 error */
int rm_db_vm_list(const char *ext, struct rm_vmsg *out, int max);
/* delete the row, or mark it saved */
int rm_db_vm_update(long long id, bool delete_it);

/* the mailboxes that have messages (at most max) */
int rm_db_vm_mailboxes(char (*ext)[65], int max);

/* ----- message waiting (rm_mwi.c): PUBLISH message-summary to Ringset,
 * refreshed before it expires; at start for every mailbox with messages */
void rm_mwi_publish(const char *ext);
void rm_mwi_publish_all(void);
void rm_mwi_stop(void);

/* ----- JSON-RPC (rm_http.c) */
typedef void(rm_rpc_h)(
		int err, int status, const char *body, size_t len, void *arg);
struct rm_rpc;
/* POSTs body to cfg.rpc_url from our own address; h is called once */
int rm_rpc_post(struct rm_rpc **rpcp, const char *body, rm_rpc_h *h, void *arg);

#endif /* RM_DAEMON_H */
