#!/usr/bin/env bash
# Ringset bench: the media server's b2bua alone (ringset-media, release
# build), N concurrent attended transfers: sipp sends each user's call
# straight to sip:b2bua@ (as Ringset would), a second sipp stands for
# Ringset and the phones and answers the legs the media server places (the
# party, then the addressee); the user dials #4 7 # (SIP INFO), talks to the
# addressee, hangs up (the transfer: party and addressee bridged), and the
# addressee ends the call. Each leg's RTP is a port of one tests/rtppeer.
# Prints the CPU of the media server per bridged call (two legs relayed,
# 50 packets/s each way) and checks that every call is freed.
#   BENCH_INCALL_CALLS="50 200" tools/bench_incall.sh
set -uo pipefail
RS_ROOT=$(cd "$(dirname "$0")/.." && pwd)
PIDS=()
. "$RS_ROOT/tools/bench_common.sh"
bench_media_env incall 26765
# the media server sends the legs it places to "Ringset": here the UAS sipp
UAS_PORT=$SIP_PORT
TALK_MS=${BENCH_INCALL_TALK_MS:-3000}   # user with the addressee
XFER_MS=${BENCH_INCALL_XFER_MS:-10000}  # party with the addressee

# INFO logging: the transfers and the freed calls are counted from it
"$STACK" media-start || exit 1
MPID=$(cat "$VAR_DIR/media.pid")

# peer NAME N: an rtppeer with N ports of the kernel's choice ($PORTS_FILE)
peer() {
	local f=$VAR_DIR/ports-$1.csv end=$((SECONDS + 10))
	rm -f "$f" "$f.ready"
	"$PEER" -l 127.0.0.1:0 -N "$2" -P "$f" -t 500 -i 5000 -w 120000 \
		-o "$VAR_DIR/rtp-$1.txt" >"$VAR_DIR/rtp-$1.out" 2>&1 &
	PIDS+=("$!")
	until [ -f "$f.ready" ]; do
		[ $SECONDS -lt $end ] || { echo "bench_incall: RTP peer $1 did not start"; exit 1; }
		sleep 0.05
	done
	PORTS_FILE=$f
}

echo "media server b2bua: N concurrent attended transfers, sipp -> ringset-media -> sipp (load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores)"
printf '%-6s %14s %18s %10s %8s %10s\n' calls "CPU (plateau)" "CPU/bridged call" transfers failed "calls left"
for n in ${BENCH_INCALL_CALLS:-50 200}; do
	peer user-$n "$n"; upf=$PORTS_FILE
	peer far-$n $((2 * n)); fpf=$PORTS_FILE
	rate=50
	x0=$(grep -c "transfer by 200 completed" "$VAR_DIR/media.log")
	sipp 127.0.0.1:$((MPORT)) -nostdin -key domain "$SIP_DOMAIN" -sf "$SCEN/uas_b2b_load.xml" -inf "$fpf" \
		-m $((2 * n)) -i 127.0.0.1 -p "$UAS_PORT" -key rtpip 127.0.0.1 -d "$XFER_MS" \
		-cp $((SIP_PORT + 2002)) -timeout 120 -timeout_error -buff_size 4194304 \
		>"$VAR_DIR/uas-$n.out" 2>&1 &
	uas=$!; PIDS+=("$uas")
	sipp "$MHOST:$MPORT" -nostdin -key domain "$SIP_DOMAIN" -sf "$SCEN/uac_b2b_load.xml" -inf "$upf" \
		-m "$n" -l "$n" -r $rate -i 127.0.0.1 -p $((SIP_PORT + 1001)) \
		-key rtpip 127.0.0.1 -d "$TALK_MS" -cp $((SIP_PORT + 2001)) -timeout 120 \
		-timeout_error -buff_size 4194304 >"$VAR_DIR/uac-$n.out" 2>&1 &
	uac=$!; PIDS+=("$uac")
	# the plateau: every transfer done (set-up n/rate s, #4 and dialling
	# ~1 s, talk), and before the first addressee hangs up
	sleep $((n / rate + TALK_MS / 1000 + 3))
	p0=$(cpu_s "$MPID"); pt0=$(date +%s%N)
	sleep $((XFER_MS / 1000 - n / rate - 4 > 1 ? XFER_MS / 1000 - n / rate - 4 : 1))
	p1=$(cpu_s "$MPID"); pt1=$(date +%s%N)
	wait $uac; urc=$?
	wait $uas; src=$?
	failed=$(($(sed -n 's/.*Failed call.*| *\([0-9]*\) *$/\1/p' "$VAR_DIR/uac-$n.out" | tail -1) + 0))
	[ $urc -eq 0 ] && [ $src -eq 0 ] || [ "$failed" -gt 0 ] || failed="sipp exit $urc/$src"
	# every call freed: the media server's own count, polled
	left=""
	for _ in $(seq 1 100); do
		left=$(sed -n 's/.* b2bua: call freed, \([0-9]*\) calls now$/\1/p' "$VAR_DIR/media.log" | tail -n 1)
		[ "$left" = 0 ] && break
		sleep 0.1
	done
	x=$(($(grep -c "transfer by 200 completed" "$VAR_DIR/media.log") - x0))
	printf '%-6s %12s %% %15s %% %10s %8s %10s\n' "$n" \
		"$(awk -v a="$p0" -v b="$p1" -v t0="$pt0" -v t1="$pt1" 'BEGIN { printf "%.1f", (b - a) * 1e11 / (t1 - t0) }')" \
		"$(awk -v a="$p0" -v b="$p1" -v t0="$pt0" -v t1="$pt1" -v n="$n" 'BEGIN { printf "%.3f", (b - a) * 1e11 / (t1 - t0) / n }')" \
		"$x" "$failed" "${left:-?}"
done
