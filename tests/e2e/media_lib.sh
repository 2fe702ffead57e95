# Helpers of the media server's end-to-end tests (sourced after lib.sh):
# the stack with ringset-media (ASan build), RTP peers, report checks.

PEER_BIN=$RS_BUILD/media/rtppeer
# the end-to-end tests run the ASan build of the daemon
export MEDIA_BIN=${MEDIA_BIN_E2E:-$RS_BUILD/asan/media/ringset-media}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
E2E_RTP_N=0

media_e2e_start() {
	e2e_start
	"$STACK" media-start || { echo "e2e: the media server did not start"; exit 1; }
}

# next_rtp_port: $RTP_PORT is a fresh even port for an RTP peer of this
# test (not in a subshell: the count must stay)
next_rtp_port() {
	E2E_RTP_N=$((E2E_RTP_N + 2))
	RTP_PORT=$((SIP_PORT + 1200 + E2E_RTP_N))
}

# peer_start NAME PORT [rtppeer args]: an RTP peer on 127.0.0.1:PORT in the
# background; its report is $PEER_REPORT when it ends ($PEER_PID)
peer_start() {
	local name=$1 port=$2
	shift 2
	PEER_REPORT=$LOGDIR/rtp-$name-$port.txt
	"$PEER_BIN" -l "127.0.0.1:$port" -o "$PEER_REPORT" "$@" \
		>"$LOGDIR/rtp-$name-$port.out" 2>&1 &
	PEER_PID=$!
	E2E_PIDS+=("$PEER_PID")
	wait_bound 127.0.0.1 "$port"
}

# peer_stop: the call is over (sipp ended): the peer reports and exits
peer_stop() { kill -TERM "$PEER_PID" 2>/dev/null; wait "$PEER_PID" 2>/dev/null; return 0; }

# prompt_ms NAME: the length of a prompt, ms
prompt_ms() { echo $((($(stat -c %s "$PROMPTS_DIR/$1.wav") - 44) / 16)); }

# rval REPORT KEY: a value of a peer's report
rval() { sed -n "s/^$2=//p" "$1"; }

# prompt_heard REPORT PROMPT: the peer received that prompt: its samples
# (normalised correlation >= 0.9), its length +-100 ms, and energy
prompt_heard() {
	local rep=$1 corr ms want loud
	[ -s "$rep" ] || { e2e_log "no RTP report $rep"; return 1; }
	corr=$(rval "$rep" corr); ms=$(rval "$rep" audio_ms)
	want=$(rval "$rep" expect_ms); loud=$(rval "$rep" loud_ms)
	e2e_log "$2: received ${ms} ms of audio (prompt ${want} ms), ${loud} ms loud, correlation $corr, from $(rval "$rep" remote)"
	awk -v c="$corr" 'BEGIN { exit !(c >= 0.9) }' &&
		within "$ms" "$want" 100 && [ "$loud" -gt $((want / 3)) ]
}

# via_rtpengine REPORT: the packets came from RTPengine's address and port range
via_rtpengine() {
	local port addr
	port=$(rval "$1" remote); addr=${port%:*}; port=${port##*:}
	[ "$addr" = "$RTP_ADDR" ] && [ -n "$port" ] && [ "$port" -ge "$RTP_MIN" ] && [ "$port" -le "$RTP_MAX" ] ||
		{ e2e_log "RTP from $(rval "$1" remote), not RTPengine ($RTP_ADDR:$RTP_MIN-$RTP_MAX)"; return 1; }
}

MEDIA_IP=$(rs_uri_host "$MEDIA_URI"); MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")

# direct_call NAME SERVICE HDR1 HDR2 HDR3 [sipp args]: a trusted peer
# calls the media server itself (as Ringset forwards it), in the
# background ($SIPP_PID, $SIPP_MSG); its RTP peer is $RTP_PORT's, if any
direct_call() {
	local name=$1 svc=$2 h1=$3 h2=$4 h3=$5
	shift 5
	SIPP_TARGET=$MEDIA_IP:$MEDIA_PORT sipp_bg "direct-$name" \
		-sf "$SCEN/uac_rtp_direct.xml" -m 1 -s "$svc" -i 127.0.0.1 \
		-p $((SIP_PORT + 1100 + E2E_RTP_N)) -key xhdr "$h1" -key xhdr2 "$h2" \
		-key xhdr3 "$h3" -key rtpip 127.0.0.1 -key rtpport "$RTP_PORT" "$@"
}

# media_clean: the media server stops on SIGTERM, ends its calls, and ASan
# found nothing
media_clean() {
	"$STACK" media-stop
	if grep -qE "AddressSanitizer|LeakSanitizer|runtime error" "$VAR_DIR/media.log"; then
		grep -E -A12 "AddressSanitizer|LeakSanitizer|runtime error" "$VAR_DIR/media.log" | head -40 >&2
		return 1
	fi
	grep -q "stopped:" "$VAR_DIR/media.log"
}
