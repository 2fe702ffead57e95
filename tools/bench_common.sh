# Ringset: what the benchmark scripts share. Sourced after they set PIDS
# (the processes they start, stopped here by PID on exit) and, before the
# exit, STACK (the media benches get it from bench_media_env); KAM_PIDS, if
# a script keeps it: Kamailio nodes, checked after the stop.

bench_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	"$STACK" stop >/dev/null 2>&1
	for p in ${KAM_PIDS[@]+"${KAM_PIDS[@]}"}; do
		[[ "$p" =~ ^[0-9]+$ ]] && [ -d "/proc/$p" ] &&
			[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" != Z ] &&
			kill -KILL -- "-$p" 2>/dev/null
	done
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

sql() { rs_mysql -N -B -e "$1"; }

# bench_media_env NAME PORT: the settings of a benchmark of the media
# server alone (tools/bench_media.sh, tools/bench_incall.sh): its SIP_PORT
# (BENCH_SIP_PORT, else PORT + RS_PORT_OFFSET) and an empty VAR_DIR
# (BENCH_VAR_DIR, else build/bench/NAME); then SCEN, PEER (tests/rtppeer),
# MHOST and MPORT (where ringset-media listens)
bench_media_env() {
	export SIP_PORT=${BENCH_SIP_PORT:-$(($2 + ${RS_PORT_OFFSET:-0}))}
	export VAR_DIR=${BENCH_VAR_DIR:-$RS_ROOT/build/bench/$1}
	export MEDIA_SERVER=builtin
	. "$RS_ROOT/tools/env.sh"
	STACK=$RS_ROOT/tools/stack.sh
	SCEN=$RS_ROOT/tests/e2e/scenarios
	PEER=$RS_BUILD/media/rtppeer
	MHOST=$(rs_uri_host "$MEDIA_URI")
	MPORT=$(rs_uri_port "$MEDIA_URI")
	rm -rf "$VAR_DIR"
	mkdir -p "$VAR_DIR"
}

# cpu_s PID: CPU seconds (user + system) of a process so far
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# BENCH_CALLGRIND=1: every Kamailio runs under valgrind's callgrind, and
# the instructions it executes for the burst are counted per call: unlike
# CPU time they do not move with the load other processes put on the
# machine. Each process dumps its counters when it applies a change of the
# core's cfg variable dst_blocklist_udp_imask (set to its value, 0, before
# the burst: the per-process callback blst_reinit_ign_masks): its last file
# holds the burst, the 6 s after it (tm frees the transactions) and its
# exit. Each further trigger closes one more file (cg_start TAG N: the
# startup is file 1, what came after the first trigger file 2, ...), so
# one Kamailio measures several bursts (tools/bench.sh: REGISTERs, then
# calls). The main process (startup and shutdown only) is left out. Valgrind
# runs Kamailio ~50 times slower: use a small burst (BENCH_CALL_M=200
# BENCH_CALL_LIMIT=10, the defaults in this mode); per-second work (the
# userdev poller, timers) weighs more than at full speed, so the SIP
# workers are also counted alone
CG_OPTS="--tool=callgrind --dump-instr=no --compress-strings=no --compress-pos=no --dump-before=blst_reinit_ign_masks"
cg_on() { [ "${BENCH_CALLGRIND:-0}" = 1 ]; }
cg_wrap() { cg_on && echo "valgrind $CG_OPTS --callgrind-out-file=$WORK/cg-$1.%p"; }
# cg_start TAG [N]: dump every process (file N, default 1) before a burst;
# KAMCMD, WORK, SIP_ADDR and SIP_PORT name the Kamailio (node 1)
cg_start() {
	cg_on || return 0
	local nth=${2:-1}
	$KAMCMD core.psx >"$WORK/cg-$1.psx" 2>&1
	$KAMCMD cfg.set_now_int core dst_blocklist_udp_imask 0 >/dev/null 2>&1
	# a SIP worker applies it (and dumps) with its next message: OPTIONS
	# keepalives until each has, so no call of the burst waits for a dump
	local end=$((SECONDS + 120)) p n=0 missing msg
	while :; do
		missing=0
		for p in $(awk '$1 == "PID:" { p = $2 } $1 == "DSC:" && /udp receiver/ { print p }' "$WORK/cg-$1.psx"); do
			[ -s "$WORK/cg-$1.$p.$nth" ] || missing=1
		done
		[ $missing = 0 ] && break
		[ $SECONDS -lt $end ] || { say "$1: a SIP worker made no callgrind dump"; break; }
		n=$((n + 1))
		printf -v msg 'OPTIONS sip:%s:%s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-cg%s\r\nFrom: <sip:cg@%s>;tag=cg\r\nTo: <sip:%s:%s>\r\nCall-ID: cg-%s@bench\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
			"$SIP_ADDR" "$SIP_PORT" "$n" "$SIP_DOMAIN" "$SIP_ADDR" "$SIP_PORT" "$n"
		# one write, one datagram (printf writes line by line)
		echo -n "$msg" >"/dev/udp/$SIP_ADDR/$SIP_PORT"
		sleep 0.2
	done
	# the other processes dump with their next timer tick; a process busy
	# writing its dump stalls its timers (retransmissions): wait until no
	# new dump appeared for 3 s
	local last=-1 same=0 cur
	end=$((SECONDS + 60))
	while [ $same -lt 3 ] && [ $SECONDS -lt $end ]; do
		cur=$(ls "$WORK"/cg-"$1".*."$nth" 2>/dev/null | wc -l)
		if [ "$cur" = "$last" ]; then same=$((same + 1)); else same=0; last=$cur; fi
		sleep 1
	done
}
cg_stop() {
	cg_on || return 0
	sleep 6 # tm's wait timer (5 s) frees the burst's transactions
}
# cg_files TAG [workers] [N]: the burst's file of every process but the
# main one (only the SIP workers with "workers"): file N (what came after
# trigger N-1), without N the last one (after Kamailio stopped)
cg_files() {
	local main p
	main=$(awk '$1 == "PID:" { print $2; exit }' "$WORK/cg-$1.psx")
	awk -v w="${2:-}" '$1 == "PID:" { p = $2 } $1 == "DSC:" && p != "" {
			if (w == "" || $0 ~ /udp receiver/) print p; p = "" }' "$WORK/cg-$1.psx" |
		while read -r p; do
			[ "$p" = "$main" ] && continue
			[ -s "$WORK/cg-$1.$p.1" ] || { echo "no-dump:$p"; continue; }
			if [ -n "${3:-}" ]; then
				[ -s "$WORK/cg-$1.$p.$3" ] || { echo "no-dump:$p"; continue; }
				echo "$WORK/cg-$1.$p.$3"
			else
				echo "$WORK/cg-$1.$p"
			fi
		done
}
# cg_instr TAG [workers] [N]: instructions of the burst
cg_instr() {
	local f s=0 n
	for f in $(cg_files "$1" "${2:-}" "${3:-}"); do
		case $f in no-dump:*) say "$1: process ${f#no-dump:} made no callgrind dump"; continue ;; esac
		n=$(awk '$1 == "totals:" || $1 == "summary:" { print $2; exit }' "$f")
		s=$((s + ${n:-0}))
	done
	echo $s
}
# cg_funcs TAG [workers]: inclusive instructions per function over those
# processes (callgrind_annotate per process, summed): "instr<TAB>function";
# a function with debug information is listed twice (its absolute path
# without the object, its relative one with it): the lines with the object
cg_funcs() {
	local f
	for f in $(cg_files "$1" "${2:-}"); do
		case $f in no-dump:*) continue ;; esac
		callgrind_annotate --inclusive=yes --threshold=100 "$f" 2>/dev/null |
			awk '$1 ~ /^[0-9,]+$/ && NF >= 2 && /\]$/ { n = $1; gsub(",", "", n); $1 = ""
				sub(/^ +/, ""); sub(/ \[[^]]*\]$/, ""); sub(/^.*:/, ""); print n "\t" $0 }'
	done | awk -F'\t' '{ s[$2] += $1 } END { for (k in s) printf "%d\t%s\n", s[k], k }' | sort -rn
}

# bench_result CASE METRIC RINGSET STOCK [RINGSET_CPU STOCK_CPU]: one line of
# the summary table of `make bench` (tools/bench_summary.sh), appended to
# $BENCH_RESULTS when it is set: the case, what is measured (calls/s, ms),
# the figure of each side and the Kamailio CPU per operation of each side
# (us), tab-separated; "-" where a side has no figure
bench_result() {
	[ -n "${BENCH_RESULTS:-}" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "${4:--}" "${5:--}" "${6:--}" \
		>>"$BENCH_RESULTS"
}

# free_udp_port PORT: PORT, or the next port above it that no UDP socket of
# this machine holds on any address. The benches' client ports lie in the
# kernel's ephemeral range, where any process's connected UDP socket (a
# Kamailio's to its RTPengine) may hold one for its whole life
free_udp_port() {
	local p=$1
	while ss -Huan "sport = :$p" 2>/dev/null | grep -q .; do p=$((p + 1)); done
	echo "$p"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# sipp_dialog_states FILE received|sent METHOD: the dialog-info bodies of
# METHOD requests in a sipp message log (-trace_msg), one line each:
# "<ms since the epoch> <state>" (c: a confirmed dialog, n: none), from
# sipp's time stamps; "sent" lists a state only when it changed (a
# retransmission or a challenged retry is not a change)
sipp_dialog_states() {
	awk -v dir="$2" -v m="$3" '/^-+ [0-9]{4}-[0-9]{2}-[0-9]{2} / { split($2, y, "-"); split($3, h, ":")
			ts = mktime(y[1] " " y[2] " " y[3] " " h[1] " " h[2] " " int(h[3])) * 1000 + int((h[3] - int(h[3])) * 1000); next }
		/^(UDP|TCP) message received/ { on = (dir == "received"); next }
		/^(UDP|TCP) message sent/ { on = (dir == "sent"); next }
		on && $1 == m { t = ts; st = "n" }
		on && t != "" && /<state>confirmed/ { st = "c" }
		on && t != "" && /<\/dialog-info>|<dialog-info.*\/>/ {
			if (dir == "received" || st != last) print t, st; last = st; t = "" }' "$1"
}
# the NOTIFYs a watcher received, the changes a publisher sent
notifies() { sipp_dialog_states "$1" received NOTIFY; }
publishes() { sipp_dialog_states "$1" sent PUBLISH; }
