#!/usr/bin/env bash
# Ringset: `make bench`. Runs every benchmark, one after the other, each
# with its own Ringset and stock Kamailio against the same MariaDB; each
# writes its detailed table to build/bench/<name>.txt and its figures as
# lines into one results file (BENCH_RESULTS, tools/bench_common.sh
# bench_result); at the end one table (tools/bench_summary.sh), the machine
# and the date. About 10 minutes on 2 cores with these defaults; every
# setting can be given in the environment (README "Performance"):
#   BENCH_SIP_DEVICES (30000)  devices registered in the REGISTER/calls case
#   BENCH_SIP_ROUNDS (3)       rounds of that case per side (median)
#   BENCH_FM_ROUNDS (5)        rounds of the follow-me case
#   BENCH_SIP_CALL_M (2000)    calls per burst of the calls case
#   BENCH_BLF_WATCHERS ("100 1000"), BENCH_BLF_ROUNDS (5)
#   BENCH_ONLY ("plan sip dmq followme blf media incall"): the benches to run
set -uo pipefail

RS_ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$RS_ROOT/build/bench}
export BENCH_RESULTS=$OUT/results.tsv
ONLY=${BENCH_ONLY:-plan sip dmq followme blf media incall}
T0=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$OUT"
# free_udp_port (the results go through bench_result in each bench)
PIDS=()
STACK=$RS_ROOT/tools/stack.sh
. "$RS_ROOT/tools/bench_common.sh"
trap - EXIT
: >"$BENCH_RESULTS"

# run NAME CMD...: one bench, its output to $OUT/NAME.txt, bounded in time
run() {
	local name=$1 t rc
	shift
	case " $ONLY " in *" $name "*) ;; *) return 0 ;; esac
	t=$(date +%s)
	printf 'bench %-9s ... ' "$name"
	timeout -k 10 "${BENCH_TIMEOUT:-1200}" "$@" >"$OUT/$name.txt" 2>&1
	rc=$?
	printf '%4d s, %s: %s\n' $(($(date +%s) - t)) "$([ $rc = 0 ] && echo done || echo "FAILED (exit $rc)")" \
		"${OUT#"$RS_ROOT"/}/$name.txt"
}

echo "Ringset benchmarks (about 10 minutes; details of each in ${OUT#"$RS_ROOT"/}/)"
run plan make -s -C "$RS_ROOT" plan-bench
# REGISTER/s with 30,000 devices, then calls to users with 1, 3 and 6 devices
run sip env BENCH_DEVICES="${BENCH_SIP_DEVICES:-30000}" BENCH_REG_M="${BENCH_SIP_DEVICES:-30000}" \
	BENCH_ROUNDS="${BENCH_SIP_ROUNDS:-3}" BENCH_CALL_M="${BENCH_SIP_CALL_M:-2000}" \
	BENCH_CALLEE_DEVICES="1 3 6" "$RS_ROOT/tools/bench.sh"
# the same with DMQ replication to a second node, against one node
run dmq env BENCH_DIR="$RS_ROOT/build/bench-dmq" BENCH_SIDES="dmq ringset" BENCH_DEVICES=1000 BENCH_REG_M=20000 BENCH_ROUNDS=1 \
	BENCH_CALL_M=600 BENCH_CALLEE_DEVICES=3 "$RS_ROOT/tools/bench.sh"
# its fixed client ports lie in the ephemeral range (another process's
# connected UDP socket may hold one): an offset whose ports are all free
fm_off=${RS_PORT_OFFSET:-0}
for _ in $(seq 1 20); do
	busy=0
	for p in 45060 46001 46010 46101 46102 46103 46104; do
		[ "$(free_udp_port $((p + fm_off)))" = $((p + fm_off)) ] || busy=1
	done
	[ $busy = 0 ] && break
	fm_off=$((fm_off + 10))
done
# every side (stock, fmstock, ringset, bare, sqlops): the bar of the call
# path is checked against stock and sqlops in this one run
run followme env RS_PORT_OFFSET="$fm_off" BENCH_ROUNDS="${BENCH_FM_ROUNDS:-5}" \
	"$RS_ROOT/tools/bench_followme.sh"
run blf env BENCH_WATCHERS="${BENCH_BLF_WATCHERS:-100 1000}" BENCH_ROUNDS="${BENCH_BLF_ROUNDS:-5}" \
	"$RS_ROOT/tools/bench_blf.sh"
run media "$RS_ROOT/tools/bench_media.sh"
run incall "$RS_ROOT/tools/bench_incall.sh"

echo
"$RS_ROOT/tools/bench_summary.sh" "$BENCH_RESULTS" "$T0" "$LOAD0" | tee "$OUT/summary.md"
# the call path's bar (calls/s, Kamailio and MariaDB CPU, shm per call)
# from the follow-me bench of this run
if [ -f "$OUT/followme.txt" ]; then
	echo
	sed -n '/against the bar/,/shm\/call/p' "$OUT/followme.txt" | tee -a "$OUT/summary.md"
fi
