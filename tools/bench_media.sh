#!/usr/bin/env bash
# Ringset bench: the media server alone (ringset-media, release build), N
# concurrent `announce` calls (sipp straight to it, as Ringset would send
# them), each playing the 8 s `moh` prompt to an RTP peer port of its own
# (one tests/rtppeer with N ports). Prints CPU per call and the pacing error
# of the prompt packets received: |interval - 20 ms|, median and p99.
#   BENCH_MEDIA_CALLS="100 500" tools/bench_media.sh
set -uo pipefail
RS_ROOT=$(cd "$(dirname "$0")/.." && pwd)
PIDS=()
. "$RS_ROOT/tools/bench_common.sh"
bench_media_env media 45560
PROMPT_S=$((($(stat -c %s "$PROMPTS_DIR/moh.wav") - 44) / 16000))

# BENCH_MEDIA_RT_PRIO= (empty) runs it at normal priority
MEDIA_RT_PRIO=${BENCH_MEDIA_RT_PRIO-10} MEDIA_ARGS=-q "$STACK" media-start || exit 1
MPID=$(cat "$VAR_DIR/media.pid")
# the scenario with each call's RTP port from an injection file
sed 's/\[rtpport\]/[field0]/' "$SCEN/uac_rtp_direct.xml" >"$VAR_DIR/uac_bench.xml"

echo "media server: N concurrent announce calls of ${PROMPT_S} s (moh), sipp -> ringset-media -> one RTP peer (load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores; server priority: $(chrt -p "$MPID" | sed -n 's/.*policy: *//p' | head -1) $(chrt -p "$MPID" | sed -n 's/.*priority: *//p' | tail -1))"
printf '%-6s %10s %12s %14s %12s %12s %8s\n' calls "setup/s" "CPU/call" "CPU (plateau)" "pace med" "pace p99" failed
for n in ${BENCH_MEDIA_CALLS:-100 500}; do
	# the peer's N ports are the kernel's choice: no clash with anybody's
	rm -f "$VAR_DIR/ports-$n.csv" "$VAR_DIR/ports-$n.csv.ready"
	"$PEER" -l 127.0.0.1:0 -N "$n" -P "$VAR_DIR/ports-$n.csv" -i 3000 \
		-w $((PROMPT_S * 1000 + 60000)) -o "$VAR_DIR/rtp-$n.txt" \
		>"$VAR_DIR/rtp-$n.out" 2>&1 &
	peer=$!; PIDS+=("$peer")
	end=$((SECONDS + 10))
	until [ -f "$VAR_DIR/ports-$n.csv.ready" ]; do
		kill -0 $peer 2>/dev/null && [ $SECONDS -lt $end ] ||
			{ echo "bench_media: the RTP peer did not start: $(cat "$VAR_DIR/rtp-$n.out")"; exit 1; }
		sleep 0.05
	done
	rate=100
	c0=$(cpu_s "$MPID"); t0=$(date +%s%N)
	sipp "$MHOST:$MPORT" -nostdin -sf "$VAR_DIR/uac_bench.xml" -inf "$VAR_DIR/ports-$n.csv" \
		-m "$n" -l "$n" -r $rate -s announce -i 127.0.0.1 -p $((SIP_PORT + 1001)) \
		-key xhdr "X-Ringset-Prompt: moh" -key xhdr2 "X-Test: 1" -key xhdr3 "X-Test: 2" \
		-key rtpip 127.0.0.1 -cp $((SIP_PORT + 2001)) -timeout $((PROMPT_S + 60)) \
		-timeout_error -buff_size 4194304 >"$VAR_DIR/sipp-$n.out" 2>&1 &
	sp=$!; PIDS+=("$sp")
	# the plateau: every call set up (n / rate s), until the first ends
	sleep $((n / rate + 1))
	p0=$(cpu_s "$MPID"); pt0=$(date +%s%N)
	sleep $((PROMPT_S - n / rate - 2 > 1 ? PROMPT_S - n / rate - 2 : 1))
	p1=$(cpu_s "$MPID"); pt1=$(date +%s%N)
	wait $sp; src=$?
	wait $peer
	c1=$(cpu_s "$MPID"); t1=$(date +%s%N)
	failed=$(sed -n 's/.*Failed call.*| *\([0-9]*\) *$/\1/p' "$VAR_DIR/sipp-$n.out" | tail -1)
	[ $src -eq 0 ] || [ -n "$failed" ] || failed="sipp exit $src"
	rep=$VAR_DIR/rtp-$n.txt
	printf '%-6s %10s %9s ms %12s %% %9s us %9s us %8s\n' "$n" "$rate" \
		"$(awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')" \
		"$(awk -v a="$p0" -v b="$p1" -v t0="$pt0" -v t1="$pt1" 'BEGIN { printf "%.1f", (b - a) * 1e11 / (t1 - t0) }')" \
		"$(sed -n 's/^pace_median_us=//p' "$rep")" "$(sed -n 's/^pace_p99_us=//p' "$rep")" \
		"${failed:-0}"
	bench_result "media server alone: $n concurrent ${PROMPT_S} s announcements (no stock counterpart)" "CPU ms/call" \
		"$(awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')" -
	e=$(sed -n 's/^intervals=//p' "$rep")
	echo "       ($(sed -n 's/^packets=//p' "$rep") RTP packets, $e intervals measured; CPU/call: the server's CPU time over the run / calls, each call ${PROMPT_S} s of moh)"
done
