#!/usr/bin/env bash
# Ringset follow-me benchmark: calls/s to a user whose call rings four
# devices at once (one answers, three ring and are cancelled), three ways,
# on one machine, one Kamailio at a time, same MariaDB, same sipp load:
#   (a) stock Kamailio (tests/bench/kamailio-stock.cfg): one AOR with four
#       registered contacts, lookup("location") + t_relay()
#   (b) Ringset (kamailio.cfg): user 300 with three devices plus one
#       parallel follow-me entry (device 1800 of user 800)
#   (c) the same follow-me in a plain cfg with sqlops
#       (tests/bench/kamailio-sqlops.cfg): rs_user, rs_device and
#       rs_followme read per call
#   (d) (b) and (c) again with MariaDB stopped after the registrations
# (a), (b), (c) run BENCH_ROUNDS times, alternating; the table shows medians.
# See tests/bench/README.md, "Follow-me benchmark". Not part of `make test`.
# shellcheck disable=SC2046 # lists of PIDs and of values are split on purpose
set -uo pipefail

RS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$RS_ROOT/tests/bench
SCEN=$BENCH/followme-scenarios
STACK=$RS_ROOT/tools/stack.sh
export VAR_DIR=${BENCH_DIR:-$RS_ROOT/build/bench-followme}
export SIP_PORT=$((45060 + ${RS_PORT_OFFSET:-0}))
. "$RS_ROOT/tools/env.sh"

STOCK_CFG=$BENCH/kamailio-stock.cfg
SQLOPS_CFG=$BENCH/kamailio-sqlops.cfg
# BENCH_RINGSET_CFG: another Ringset cfg (e.g. an older one, to compare)
RINGSET_CFG=${BENCH_RINGSET_CFG:-$RS_ROOT/kamailio.cfg}
ROUNDS=${BENCH_ROUNDS:-3}
CALLERS=100
# a burst of calls, closed loop: every call of it stays in shared memory
# for tm's wait timer (5 s), so it must fit in Kamailio's shm (SHM_MB, 256:
# 2100 Ringset calls take about 110 MB). At most 40 calls at a time: with
# 100, Kamailio's UDP socket (receive buffer 512 KB, Kamailio's limit)
# overflows when 100 INVITEs fork to 4 devices at once, and the lost
# datagrams come back as 500 ms retransmissions that dominate a short burst
if [ "${BENCH_CALLGRIND:-0}" = 1 ]; then
	# 3 calls at a time: slowed down 50 times, more would bring
	# retransmissions (500 ms), which change the messages per call
	CALL_M=${BENCH_CALL_M:-200}
	CALL_LIMIT=${BENCH_CALL_LIMIT:-3}
else
	CALL_M=${BENCH_CALL_M:-2000}
	CALL_LIMIT=${BENCH_CALL_LIMIT:-40}
fi
CALL_RATE=${BENCH_CALL_RATE:-5000}
WARM_M=$CALLERS              # each caller authenticates once before a run
SIPP_TIMEOUT=${BENCH_SIPP_TIMEOUT:-60}
UAS_TIMEOUT=540              # the devices serve the whole bench (< 8 min)
# socket buffers of every sipp (sipp's default, 64 KB, overflows at the
# devices when 100 calls fork at once: lost datagrams, 500 ms retransmits)
SIPP_BUF=$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 1048576)

UAS_IP=127.0.0.1
# every port moves with RS_PORT_OFFSET (two checkouts bench side by side)
OFF=${RS_PORT_OFFSET:-0}
UAS_PORTS=($((46101 + OFF)) $((46102 + OFF)) $((46103 + OFF)) $((46104 + OFF))) # answers, rings, rings, rings
REG_PORT=$((46010 + OFF))    # registrations are sent from here
CALL_PORT=$((46001 + OFF))   # the callers, each on 127.0.0.(10 + n)
CP=$((47000 + OFF))          # sipp control ports, one per sipp process
LOGDIR=$VAR_DIR/logs
WORK=$VAR_DIR/work
PIDS=()
SHM_TOTAL=0
T0=$SECONDS

say() { echo "bench-followme: $*" >&2; }

. "$RS_ROOT/tools/bench_common.sh"

db_alive() { [ -f "$VAR_DIR/mariadb.pid" ] && kill -0 "$(cat "$VAR_DIR/mariadb.pid")" 2>/dev/null; }

# --- provisioning ---------------------------------------------------------

# user 300 (Carol) with devices 1300, 2300, 3300 and one parallel follow-me
# entry: device 1800 of user 800; subscriber 300 is the one AOR of the stock
# side; callers dev0000.. are devices of users 7000..
provision() {
	local q="'" d=$SIP_DOMAIN
	awk -v n="$CALLERS" -v d="$d" -v q="$q" 'BEGIN {
		printf "INSERT INTO rs_user (extension, domain, display_name) VALUES "
		printf "(%s300%s,%s%s%s,%sCarol Cole%s),(%s800%s,%s%s%s,%sHenry Hill%s)", q, q, q, d, q, q, q, q, q, q, d, q, q, q
		for (i = 0; i < n; i++)
			printf ",(%s%d%s,%s%s%s,%sCaller %d%s)", q, 7000 + i, q, q, d, q, q, i, q
		print ";"
		printf "INSERT INTO subscriber (username, domain, password) VALUES "
		printf "(%s300%s,%s%s%s,%spw300%s)", q, q, q, d, q, q, q
		split("1300 2300 3300 1800", dev, " ")
		for (k = 1; k <= 4; k++)
			printf ",(%s%s%s,%s%s%s,%spw%s%s)", q, dev[k], q, q, d, q, q, dev[k], q
		for (i = 0; i < n; i++)
			printf ",(%sdev%04d%s,%s%s%s,%spw%04d%s)", q, i, q, q, d, q, q, i, q
		print ";"
		printf "INSERT INTO rs_device (username, domain, extension) VALUES "
		for (k = 1; k <= 4; k++)
			printf "%s(%s%s%s,%s%s%s,%s%s%s)", (k > 1 ? "," : ""), q, dev[k], q, q, d, q, q, (k < 4 ? "300" : "800"), q
		for (i = 0; i < n; i++)
			printf ",(%sdev%04d%s,%s%s%s,%s%d%s)", q, i, q, q, d, q, q, 7000 + i, q
		print ";"
		printf "INSERT INTO rs_followme (extension, position, target, mode, ring_seconds) "
		printf "VALUES (%s300%s, 1, %s1800%s, %sparallel%s, 20);\n", q, q, q, q, q, q
	}' | rs_mysql || return 1
	local i
	{
		echo SEQUENTIAL
		for ((i = 0; i < CALLERS; i++)); do
			printf 'dev%04d;[authentication username=dev%04d password=pw%04d];127.0.0.%d\n' \
				$i $i $i $((10 + i))
		done
	} >"$WORK/callers.csv"
	# the registrations: AOR;credentials;the port of the UAS it names
	{
		echo SEQUENTIAL
		for i in 0 1 2 3; do
			printf '300;[authentication username=300 password=pw300];%s\n' "${UAS_PORTS[i]}"
		done
	} >"$WORK/reg-stock.csv"
	{
		echo SEQUENTIAL
		i=0
		for d in 1300 2300 3300 1800; do
			printf '%s;[authentication username=%s password=pw%s];%s\n' "$d" "$d" "$d" "${UAS_PORTS[i]}"
			i=$((i + 1))
		done
	} >"$WORK/reg-dev.csv"
}

# --- sipp -----------------------------------------------------------------

# sipp_run NAME ARGS...: to the end, in the foreground, in $WORK/NAME
# (stat.csv there, and the *_rtt.csv of -trace_rtt)
sipp_run() {
	local name=$1; shift
	CP=$((CP + 1))
	rm -rf "${WORK:?}/$name"
	mkdir -p "$WORK/$name"
	(cd "$WORK/$name" && exec sipp "127.0.0.1:$SIP_PORT" -nostdin \
		-timeout "$SIPP_TIMEOUT" -timeout_error -cp "$CP" -buff_size $SIPP_BUF \
		-key domain "$SIP_DOMAIN" -trace_err -error_file "$LOGDIR/$name.err" \
		-trace_stat -stf stat.csv -fd 1 "$@") >"$LOGDIR/$name.out" 2>&1
}

# the devices: four UAS on 127.0.0.1, for the whole bench; the number of
# calls each took is in its statistics
start_devices() {
	local i sc
	for i in 0 1 2 3; do
		[ $i = 0 ] && sc=uas_answer.xml || sc=uas_ring.xml
		CP=$((CP + 1))
		mkdir -p "$WORK/uas-$i"
		(cd "$WORK/uas-$i" && exec sipp -nostdin -sf "$SCEN/$sc" -i "$UAS_IP" \
			-p "${UAS_PORTS[i]}" -cp "$CP" -timeout "$UAS_TIMEOUT" -buff_size $SIPP_BUF \
			-default_behaviors all,-abortunexp -trace_err \
			-error_file "$LOGDIR/uas-$i.err" -trace_stat -stf stat.csv -fd 1) \
			>"$LOGDIR/uas-$i.out" 2>&1 &
		PIDS+=("$!")
	done
	for i in 0 1 2 3; do
		wait_bound "$UAS_IP" "${UAS_PORTS[i]}" || { say "device on port ${UAS_PORTS[i]} is not listening"; return 1; }
	done
}

# wait until udp IP:PORT is bound (a background sipp is ready)
wait_bound() {
	local end=$((SECONDS + 10))
	until ss -Hlun "src $1:$2" | grep -q .; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.02
	done
}

# stat_field NAME FIELD: the value of FIELD in the last row of a run's
# statistics (the cumulative column, "(C)")
stat_field() {
	awk -F';' -v k="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i; next }
		{ v = $c } END { print v + 0 }' "$WORK/$1/stat.csv" 2>/dev/null || echo 0
}

# rate NAME: successful calls per second over the middle 80 % of their
# completion times (-trace_rtt): the ramp-up and the tail left out
rate() {
	cat "$WORK/$1"/*_rtt.csv 2>/dev/null | awk -F';' '$1 ~ /^[0-9.]+$/ { print $1 }' |
		sort -g | awk '{ t[NR] = $1 } END {
			lo = int(NR * 0.1) + 1; hi = int(NR * 0.9)
			if (NR < 20 || t[hi] <= t[lo]) { print 0; exit }
			printf "%.0f\n", (hi - lo) / ((t[hi] - t[lo]) / 1000)
		}'
}

# --- processes ------------------------------------------------------------

kam_pids() {
	local p
	p=$(cat "$VAR_DIR/kamailio.pid" 2>/dev/null) || return 0
	echo "$p"
	pgrep -P "$p"
}

db_pids() { db_alive && cat "$VAR_DIR/mariadb.pid"; }

# utime + stime, clock ticks, of the given processes
cpu_ticks() {
	local s=0 p t
	for p in "$@"; do
		t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
		s=$((s + ${t:-0}))
	done
	echo $s
}

udp_drops() { awk '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
	$1 == "Udp:" { print $c["RcvbufErrors"] }' /proc/net/snmp; }

# SIP messages Kamailio received so far (requests + replies): per call the
# same on every side unless retransmissions crept in
rcv_msgs() { $KAMCMD stats.get_statistics rcv_requests rcv_replies 2>/dev/null |
	awk -F' = ' '{ s += $2 } END { print s + 0 }'; }

shm_stat() { $KAMCMD core.shmmem 2>/dev/null | awk -v k="$1:" '$1 == k { print $2 }'; }

# MariaDB's statement counters: "select insert update delete other" so far
# (other: every statement the server ran, less those four and the one that
# reads the counters); "0 0 0 0 0" when the database is down
db_counts() {
	db_alive || { echo "0 0 0 0 0"; return; }
	sql "SHOW GLOBAL STATUS WHERE Variable_name IN
		('Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Questions')" 2>/dev/null |
		awk '{ v[$1] = $2 } END {
			o = v["Questions"] - v["Com_select"] - v["Com_insert"] - v["Com_update"] - v["Com_delete"]
			printf "%d %d %d %d %d\n", v["Com_select"], v["Com_insert"], v["Com_update"], v["Com_delete"], o }'
}

# statements per call between two db_counts: "s/i/u/d/o"
db_per_call() {
	awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= 5; i++) {
			d = y[i] - x[i]
			if (i == 1 || i == 5) d -= 1 # the SHOW of the counters
			if (d < 0) d = 0
			printf "%s%.2f", (i > 1 ? "/" : ""), (n > 0 ? d / n : 0)
		}
		print "" }'
}

# BENCH_SQLLOG=<side>: MariaDB's general log during that side's first
# burst; the statements per call, by shape (literals as ?), follow the table
sqllog_start() {
	[ -n "${BENCH_SQLLOG:-}" ] && [ "$1" = "${BENCH_SQLLOG:-}-1" ] && db_alive || return 0
	sql "SET GLOBAL general_log_file = '$WORK/sqllog-$1.log'; SET GLOBAL general_log = 1"
}
sqllog_stop() {
	[ -n "${BENCH_SQLLOG:-}" ] && [ "$1" = "${BENCH_SQLLOG:-}-1" ] && db_alive || return 0
	sql "SET GLOBAL general_log = 0"
}
sqllog_report() {
	local f=$WORK/sqllog-${BENCH_SQLLOG:-}-1.log
	[ -s "$f" ] || return 0
	echo
	echo "MariaDB statements during the ${BENCH_SQLLOG} burst (round 1, $CALL_M calls), by shape, per call:"
	awk '$0 ~ /\t(Query|Execute)\t/ || $0 ~ /^[ \t]+[0-9]+ (Query|Execute)\t/ {
			sub(/^.*(Query|Execute)\t/, ""); print }' "$f" |
		sed -E "s/'[^']*'/?/g; s/\b[0-9]+(\.[0-9]+)?\b/?/g; s/\([?, ]+\)/(?)/g" |
		grep -v 'general_log' | cut -c1-110 | sort | uniq -c | sort -rn | head -n 15 |
		awk -v n="$CALL_M" '{ c = $1; $1 = ""; printf "  %6.2f %s\n", c / n, $0 }'
}

wait_directory() {
	local end=$((SECONDS + 15))
	until $KAMCMD userdev.show "$1" 2>/dev/null | grep -q "type:"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

# BENCH_PERF=<side> (stock, fmstock, ringset, sqlops): the Kamailio processes
# of that side's first burst are
# sampled with perf (call graphs from DWARF); the report follows the table
PERF_PID=
perf_start() {
	[ -n "${BENCH_PERF:-}" ] && [ "$1" = "${BENCH_PERF:-}-1" ] || return 0
	command -v perf >/dev/null || { say "BENCH_PERF: perf is not installed"; return 0; }
	perf record -F ${BENCH_PERF_HZ:-499} --call-graph dwarf,8192 -o "$WORK/perf-$1.data" \
		-p "$(kam_pids | paste -sd,)" >"$LOGDIR/perf-$1.out" 2>&1 &
	PERF_PID=$!
	PIDS+=("$PERF_PID")
}
perf_stop() {
	[ -n "$PERF_PID" ] || return 0
	kill -INT "$PERF_PID" 2>/dev/null
	wait "$PERF_PID" 2>/dev/null
	PERF_PID=
}
perf_report() {
	local f=$WORK/perf-${BENCH_PERF:-ringset}-1.data
	[ -s "$f" ] || return 0
	echo
	echo "perf, ${BENCH_PERF} burst (round 1): where Kamailio's time goes, self"
	perf report -i "$f" --no-children --sort dso,sym -g none --stdio 2>/dev/null |
		grep -v '^#' | grep . | head -n 15
	echo "perf, the same, including callees (Ringset and shm allocation frames)"
	perf report -i "$f" --children --sort sym -g none --stdio 2>/dev/null |
		grep -v '^#' | grep -E 'followme|fm_|userdev|ud_|rs_plan|xavp_add|qm_|tlsf|shm_malloc|t_relay_to|add_uac|futex' |
		head -n 20
}

# BENCH_PROCS=1: CPU time of each kind of Kamailio process (core.psx
# descriptions, numbers taken out), from /proc/<pid>/schedstat (ns, not
# clock ticks): idle for BENCH_IDLE_S seconds after the warm-up (what runs
# without calls: timers, pollers, pings), then over the burst (per call).
# Written to work/procs-<tag>.txt as "kind<TAB>processes<TAB>idle ns<TAB>
# burst ns<TAB>burst user ticks<TAB>burst system ticks", printed per side by
# procs_report
procs_on() { [ "${BENCH_PROCS:-0}" = 1 ] && ! cg_on; }
# procs_snap: "pid ns utime stime" (the last two in clock ticks) of every
# Kamailio process
procs_snap() {
	local p
	for p in $(kam_pids); do
		echo "$p $(cut -d' ' -f1 "/proc/$p/schedstat" 2>/dev/null) $(awk '{ print $14, $15 }' "/proc/$p/stat" 2>/dev/null)"
	done
}
procs_idle() {
	procs_on || return 0
	$KAMCMD core.psx 2>/dev/null | awk '$1 == "PID:" { p = $2 } $1 == "DSC:" { $1 = ""
		d = $0; sub(/^ +/, "", d); gsub(/(child|sock|rank|idx)=[^ ]*/, "", d)
		gsub(/[0-9]+/, "N", d); gsub(/  +/, " ", d); sub(/ +$/, "", d); print p "\t" d }' >"$WORK/procs-$1.dsc"
	procs_snap >"$WORK/procs-$1.i0"
	sleep "${BENCH_IDLE_S:-5}" # a measurement window, not a wait for an event
	procs_snap >"$WORK/procs-$1.i1"
	procs_snap >"$WORK/procs-$1.b0"
}
procs_burst() {
	procs_on || return 0
	procs_snap >"$WORK/procs-$1.b1"
	awk -v w="$WORK/procs-$1" 'BEGIN { FS = "\t"
			while ((getline l < (w ".dsc")) > 0) { split(l, f, "\t"); d[f[1]] = f[2] }
			FS = " "
			while ((getline l < (w ".i0")) > 0) { split(l, f, " "); i0[f[1]] = f[2] }
			while ((getline l < (w ".i1")) > 0) { split(l, f, " "); i1[f[1]] = f[2] }
			while ((getline l < (w ".b0")) > 0) { split(l, f, " "); b0[f[1]] = f[2]; u0[f[1]] = f[3]; s0[f[1]] = f[4] }
			while ((getline l < (w ".b1")) > 0) { split(l, f, " "); b1[f[1]] = f[2]; u1[f[1]] = f[3]; s1[f[1]] = f[4] }
			for (p in b1) { k = (p in d) ? d[p] : "main"; n[k]++
				idle[k] += i1[p] - i0[p]; burst[k] += b1[p] - b0[p]
				ut[k] += u1[p] - u0[p]; st[k] += s1[p] - s0[p] }
			for (k in n) printf "%s\t%d\t%d\t%d\t%d\t%d\n", k, n[k], idle[k], burst[k], ut[k], st[k] }' >"$WORK/procs-$1.txt"
}
# procs_report: round 1 of every side, ms of CPU per second idle and us per
# call over the burst, by kind of process
procs_report() {
	procs_on || return 0
	local side f ok
	echo
	echo "CPU by kind of Kamailio process, round 1 (BENCH_PROCS): idle ms/s over ${BENCH_IDLE_S:-5} s"
	echo "after the warm-up, then us per successful call over the burst"
	for side in $(sides); do
		f=$WORK/procs-$side-1.txt
		[ -s "$f" ] || continue
		ok=${R[$side,ok,1]:-0}
		echo "  $side:"
		sort -t"$(printf '\t')" -k4,4nr "$f" | awk -F'\t' -v o="$ok" -v s="${BENCH_IDLE_S:-5}" '{
			it += $3; bt += $4
			printf "    %-30s | %2d | idle %6.2f ms/s | burst %7.1f us/call | user/sys %3.0f%%/%3.0f%%\n", $1, $2, $3 / 1e6 / s,
				(o > 0 ? $4 / 1e3 / o : 0), ($5 + $6 > 0 ? 100 * $5 / ($5 + $6) : 0), ($5 + $6 > 0 ? 100 * $6 / ($5 + $6) : 0) }
			END { printf "    %-30s |    | idle %6.2f ms/s | burst %7.1f us/call\n", "all", it / 1e6 / s, (o > 0 ? bt / 1e3 / o : 0) }'
	done
}

# BENCH_CALLGRIND=1: the cg_* helpers of tools/bench_common.sh

# --- one run ----------------------------------------------------------------

declare -A R # R[side,metric,round]

cfg_of() {
	case $1 in
	stock | fmstock) echo "$STOCK_CFG" ;;
	ringset) echo "$RINGSET_CFG" ;;
	base) echo "${BENCH_BASE_CFG:?BENCH_BASE_CFG names the cfg of side base}" ;;
	sqlops) echo "$SQLOPS_CFG" ;;
	bare) echo "$WORK/kamailio-bare.cfg" ;;
	no-* | off-*) echo "$WORK/kamailio-$1.cfg" ;;
	esac
}

# the features of the Ringset cfg that this bench's call does not use, as
# the routes that make them: media anchoring decisions, the Replaces memory,
# feature codes, the hot-desk terminal check, INVITE with Replaces, the BLF
# gate and the busy level (user 300 has no max_calls and nobody watches it)
FEATURES="media:MEDIA_CALLER,MEDIA_BRANCH,MEDIA_REPLY,MEDIA_INDLG,MEDIA_END
replaces:DLG_CALLER,DLG_DEVICES,DLG_FORGET,REPLACES
feature:FEATURE,HOTDESK_TERMINAL"

# off_cfg OUT ROUTES: the Ringset cfg with each of the comma-separated
# routes returning at once (the call path is otherwise the same)
off_cfg() {
	awk -v list="$2" 'BEGIN { n = split(list, r, ","); for (i = 1; i <= n; i++) off[r[i]] = 1 }
		{ print }
		match($0, /^(route|branch_route|onreply_route|failure_route)\[[A-Z_]+\] \{$/) {
			name = $0; sub(/^[a-z_]+\[/, "", name); sub(/\].*$/, "", name)
			if (name in off) { print "\treturn;"; hit[name] = 1 }
		}
		END { for (k in off) if (!(k in hit)) { print "no route " k > "/dev/stderr"; exit 1 } }' \
		"$RINGSET_CFG" >"$1"
}

# the cfgs of side "bare" (every feature above off) and, with
# BENCH_FEATURES=1, of one side per feature ("no-<feature>")
make_feature_cfgs() {
	local all="" f
	while IFS= read -r f; do
		all="$all${all:+,}${f#*:}"
		[ "${BENCH_FEATURES:-0}" = 1 ] && { off_cfg "$WORK/kamailio-no-${f%%:*}.cfg" "${f#*:}" || return 1; }
	done <<<"$FEATURES"
	off_cfg "$WORK/kamailio-bare.cfg" "$all" || return 1
	# BENCH_OFF_ROUTES="INCALL NATMANAGE": one side per route, "off-<route>",
	# the Ringset cfg with that route returning at once (what it costs)
	for f in ${BENCH_OFF_ROUTES:-}; do
		off_cfg "$WORK/kamailio-off-$f.cfg" "$f" || return 1
	done
}

# the sides of one round
sides() {
	local f
	# BENCH_SIDES="stock ringset": only these
	if [ -n "${BENCH_SIDES:-}" ]; then
		echo $BENCH_SIDES
		for f in ${BENCH_OFF_ROUTES:-}; do echo "off-$f"; done
		return 0
	fi
	echo stock fmstock ringset bare sqlops
	[ "${BENCH_FEATURES:-0}" = 1 ] || return 0
	while IFS= read -r f; do echo "no-${f%%:*}"; done <<<"$FEATURES"
}

# run SIDE ROUND [down]: Kamailio with SIDE's cfg, the four devices
# registered, a warm-up (every caller authenticates once, with the database
# up), then the measured burst; with "down", MariaDB is stopped before it
run() {
	local side=$1 round=$2 mode=${3:-up} tag cfg ok failed k0 k1 m0 m1 q0 q1 d0 s0 s1 st hz n0 n1
	tag=$side-$round
	cfg=$(cfg_of "$side")
	hz=$(getconf CLK_TCK)
	if ! db_alive; then
		"$STACK" db-start || { say "MariaDB did not start"; return 1; }
	fi
	sql "DELETE FROM location" || return 1
	local defs="SQLCON=\"rs=>$DBURL\""
	[ "$side" = fmstock ] && defs="$defs WITH_FOLLOWME"
	KAM_WRAP=$(cg_wrap "$tag") KAM_START_WAIT=$(cg_on && echo 600 || echo 60) \
		KAM_CFG=$cfg KAM_EXTRA_DEFINES="$defs" "$STACK" kam-start >/dev/null ||
		{ say "$tag: Kamailio did not start"; return 1; }
	if [ "$side" != stock ] && [ "$side" != sqlops ]; then
		wait_directory 1800 && wait_directory 3300 &&
			wait_directory "dev$(printf %04d $((CALLERS - 1)))" ||
			say "$tag: the userdev directory is not loaded"
	fi

	sipp_run "reg-$tag" -sf "$SCEN/register.xml" -t u1 -i "$UAS_IP" -p $REG_PORT \
		-inf "$WORK/$([ "$side" = stock ] && echo reg-stock || echo reg-dev).csv" \
		-m 4 -l 1 -r 1000 -recv_timeout 3000
	ok=$(stat_field "reg-$tag" "SuccessfulCall(C)")
	[ "$ok" = 4 ] || say "$tag: only $ok of 4 devices registered"
	if [ "$side" != stock ] && [ "$side" != sqlops ]; then
		# the plan must ring the three devices and the follow-me entry at once
		$KAMCMD followme.plan 300 >"$LOGDIR/plan-$tag.txt" 2>&1
		grep -q "sip:1800@" "$LOGDIR/plan-$tag.txt" ||
			say "$tag: the plan of 300 has no entry 1800, see $LOGDIR/plan-$tag.txt"
	fi

	sipp_run "warm-$tag" -sf "$SCEN/uac_call.xml" -inf "$WORK/callers.csv" \
		-t ui -ip_field 2 -p $CALL_PORT -key lport $CALL_PORT -max_socket 1000 \
		-s 300 -m $WARM_M -l 20 -r 500 -recv_timeout 5000 \
		-default_behaviors all,-abortunexp
	ok=$(stat_field "warm-$tag" "SuccessfulCall(C)")
	R[$side,warm,$round]=$ok
	[ "$ok" -ge $((WARM_M * 95 / 100)) ] || say "$tag: warm-up: only $ok of $WARM_M calls succeeded"

	if [ "$mode" = down ]; then
		"$STACK" db-stop || say "$tag: MariaDB did not stop"
		db_alive && say "$tag: MariaDB still runs"
	fi

	procs_idle "$tag"
	d0=$(udp_drops)
	s0=$(shm_stat real_used)
	st=$(shm_stat total)
	k0=$(cpu_ticks $(kam_pids))
	m0=$(cpu_ticks $(db_pids))
	q0=$(db_counts)
	sqllog_start "$tag"
	perf_start "$tag"
	cg_start "$tag"
	n0=$(rcv_msgs) # after cg_start's keepalives
	sipp_run "call-$tag" -sf "$SCEN/uac_call.xml" -inf "$WORK/callers.csv" \
		-t ui -ip_field 2 -p $CALL_PORT -key lport $CALL_PORT -max_socket 1000 \
		-s 300 -m "$CALL_M" -l "$CALL_LIMIT" -r "$CALL_RATE" -recv_timeout 5000 \
		-default_behaviors all,-abortunexp -trace_rtt -rtt_freq 20
	perf_stop
	procs_burst "$tag"
	cg_stop "$tag"
	k1=$(cpu_ticks $(kam_pids))
	n1=$(rcv_msgs)
	m1=$(cpu_ticks $(db_pids))
	sqllog_stop "$tag"
	q1=$(db_counts)
	s1=$(shm_stat max_used)
	# BENCH_SHMSTATS=1: shm in use by module and allocation site after the
	# burst (tm's wait timer still holds every call of it), read after
	# the burst's CPU figures so that the RPC's cost is not in them
	if [ "${BENCH_SHMSTATS:-0}" = 1 ]; then
		$KAMCMD mod.mem_statsx all shm >"$WORK/shm-$tag.txt" 2>&1
	fi
	ok=$(stat_field "call-$tag" "SuccessfulCall(C)")
	failed=$(stat_field "call-$tag" "FailedCall(C)")
	R[$side,ok,$round]=$ok
	R[$side,failed,$round]=$failed
	R[$side,rate,$round]=$(rate "call-$tag")
	R[$side,drops,$round]=$(($(udp_drops) - d0))
	R[$side,msgs,$round]=$(awk -v m=$((n1 - n0)) -v o="$ok" 'BEGIN { printf "%.1f", (o > 0 ? m / o : 0) }')
	R[$side,kcpu,$round]=$(awk -v t=$((k1 - k0)) -v o="$ok" -v hz="$hz" \
		'BEGIN { printf "%.0f", (o > 0 ? t / hz * 1e6 / o : 0) }')
	R[$side,dbcpu,$round]=$(awk -v t=$((m1 - m0)) -v o="$ok" -v hz="$hz" \
		'BEGIN { printf "%.0f", (o > 0 ? t / hz * 1e6 / o : 0) }')
	R[$side,sql,$round]=$(db_per_call "$q0" "$q1" "$ok")

	R[$side,shm,$round]=$(awk -v a="${s0:-0}" -v b="${s1:-0}" -v n="$CALL_M" \
		'BEGIN { printf "%.1f", (b > a ? (b - a) / n / 1024 : 0) }')
	R[$side,shmpct,$round]=$(awk -v b="${s1:-0}" -v t="${st:-0}" \
		'BEGIN { printf "%.0f", (t > 0 ? b * 100 / t : 0) }')
	SHM_TOTAL=${st:-0}
	say "$tag${3:+ (MariaDB down)}: $ok ok, $failed failed, ${R[$side,rate,$round]} calls/s"

	"$STACK" kam-stop >/dev/null 2>&1
	mv -f "$VAR_DIR/kamailio.log" "$LOGDIR/kamailio-$tag.log" 2>/dev/null
	if cg_on; then
		# thousands of instructions per call: all processes, SIP workers
		R[$side,instr,$round]=$(awk -v i="$(cg_instr "$tag")" -v o="$ok" \
			'BEGIN { printf "%.0f", (o > 0 ? i / o / 1000 : 0) }')
		R[$side,winstr,$round]=$(awk -v i="$(cg_instr "$tag" workers)" -v o="$ok" \
			'BEGIN { printf "%.0f", (o > 0 ? i / o / 1000 : 0) }')
	fi
	return 0
}

# --- the table --------------------------------------------------------------

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
	if (NR == 0) { print 0; exit }
	if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

vals() {
	local side=$1 m=$2 r out=()
	for ((r = 1; r <= ROUNDS; r++)); do out+=("${R[$side,$m,$r]:-0}"); done
	echo "${out[@]}"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }

# ERROR/CRITICAL lines of a run's Kamailio log, less the TCP shutdown notice
log_errors() { grep -hE ' (ERROR|CRITICAL):' "$LOGDIR/kamailio-$1.log" 2>/dev/null | grep -v 'receive_fd(): EOF'; }
log_top() {
	log_errors "$1" | sed -E 's/^ *[0-9]+\([0-9]+\) //; s/\{[^}]*\} //; s/0x[0-9a-f]+/0x../g; s/[0-9]+/N/g' |
		cut -c1-100 | sort | uniq -c | sort -rn | head -n 3
}

# case_row LABEL SIDE STOCK_RATE: one line of the case table
case_row() {
	local r
	r=$(median $(vals "$2" rate))
	printf '%-54s | %7s | %6s | %-16s | %-16s | %-24s | %6s\n' "$1" "$r" "$(ratio "$r" "$3")" \
		"$(spread "$2" kcpu)" "$(spread "$2" dbcpu)" "$(median_sql "$2")" "$(median $(vals "$2" shm))"
}

# "median [min-max]" of a metric over the rounds
spread() {
	local v
	v=$(vals "$1" "$2")
	# shellcheck disable=SC2086
	printf '%s [%s-%s]' "$(median $v)" "$(printf '%s\n' $v | sort -g | head -n 1)" \
		"$(printf '%s\n' $v | sort -g | tail -n 1)"
}

# the SQL statements per call of the median round (by Kamailio CPU)
median_sql() {
	local r best= bv= m
	m=$(median $(vals "$1" kcpu))
	for ((r = 1; r <= ROUNDS; r++)); do
		v=${R[$1,kcpu,$r]:-0}
		d=$(awk -v a="$v" -v b="$m" 'BEGIN { d = a - b; print (d < 0 ? -d : d) }')
		if [ -z "$bv" ] || awk -v a="$d" -v b="$bv" 'BEGIN { exit !(a < b) }'; then
			bv=$d best=${R[$1,sql,$r]:--}
		fi
	done
	echo "${best:--}"
}

# the bar of issue 12, from the medians of this run
bar_check() {
	local a b c ka kb kc db dc sa sb
	a=$(median $(vals stock rate)) b=$(median $(vals ringset rate)) c=$(median $(vals sqlops rate))
	ka=$(median $(vals stock kcpu)) kb=$(median $(vals ringset kcpu))
	db=$(median $(vals ringset dbcpu)) dc=$(median $(vals sqlops dbcpu))
	sa=$(median $(vals stock shm)) sb=$(median $(vals ringset shm))
	echo "Ringset (b) against the bar: calls/s $(ratio "$b" "$a") of stock (>= 0.85x), $(ratio "$b" "$c") of sqlops (>= 1.3x);"
	echo "  Kamailio CPU/call $(ratio "$kb" "$ka") of stock (<= 1.3x); DB CPU/call $(ratio "$db" "$dc") of sqlops (<= 0.5x);"
	echo "  shm/call $(ratio "$sb" "$sa") of stock (<= 1.15x)"
}

print_table() {
	local a b c f bd cd side r tag
	a=$(median $(vals stock rate))
	f=$(median $(vals fmstock rate))
	b=$(median $(vals ringset rate))
	c=$(median $(vals sqlops rate))
	bd=${R[ringset,rate,d]:-0}
	cd=${R[sqlops,rate,d]:-0}
	echo
	echo "Follow-me bench: each call forks to 4 contacts (1 answers, 3 ring and are cancelled);"
	echo "burst of $CALL_M calls (-l $CALL_LIMIT) per run, median of $ROUNDS alternating rounds; $(nproc) CPUs"
	echo "(Kam/DB us/call: CPU time of all Kamailio / MariaDB processes over the burst per successful call,"
	echo " median and [min-max] over the rounds; SQL/call: statements MariaDB ran, sel/ins/upd/del/other)"
	printf '%-54s | %7s | %6s | %-16s | %-16s | %-24s | %6s\n' case calls/s ratio "Kam us/call" "DB us/call" "SQL/call" "shm KB"
	printf -- '-%.0s' {1..142}; echo
	case_row "(a) stock: one AOR, 4 contacts, lookup + t_relay" stock "$a"
	case_row "(a') (a) with lookup() -> followme_route(): the module" fmstock "$a"
	case_row "(b) Ringset: 3 devices + 1 parallel follow-me entry" ringset "$a"
	case_row "(c) plain cfg + sqlops: 3 SQL queries per call" sqlops "$a"
	case_row "(e) (b) with every feature the call does not use off" bare "$a"
	if sides | grep -qx base; then
		case_row "(f) side base: ${BENCH_BASE_CFG##*/}" base "$a"
	fi
	if [ "${BENCH_FEATURES:-0}" = 1 ]; then
		while IFS= read -r f; do
			case_row "(e) (b) without ${f%%:*}" "no-${f%%:*}" "$a"
		done <<<"$FEATURES"
	fi
	printf '%-54s | %7s | %6s | %-16s | %-16s | %-24s | %6s\n' "(d) Ringset (b), MariaDB stopped, cached credentials" \
		"$bd" "$(ratio "$bd" "$a")" "${R[ringset,kcpu,d]:--}" "${R[ringset,dbcpu,d]:--}" "-" "${R[ringset,shm,d]:--}"
	printf '%-54s | %7s | %6s | %-16s | %-16s | %-24s | %6s\n' "(d) sqlops (c), MariaDB stopped" \
		"$cd" "$(ratio "$cd" "$a")" "-" "-" "-" "-"
	echo "(e): the routes of the features off return at once: $(echo "$FEATURES" | tr '\n' ' ')"
	echo
	bar_check
	echo
	echo "per run:"
	printf '  %-12s | %-6s | %5s | %6s | %9s | %9s | %-24s | %9s | %7s | %5s | %6s\n' \
		run calls/s ok failed "Kam us/c" "DB us/c" "SQL/call sel/ins/upd/del/other" "shm KB/c" "shm max" drops errors
	for tag in $(for ((r = 1; r <= ROUNDS; r++)); do for side in $(sides); do echo "$side,$r"; done; done) ringset,d sqlops,d; do
		side=${tag%,*} r=${tag#*,}
		printf '  %-12s | %7s | %5s | %6s | %9s | %9s | %-30s | %9s | %6s%% | %5s | %6s\n' \
			"$side-$r" "${R[$side,rate,$r]:--}" "${R[$side,ok,$r]:--}" "${R[$side,failed,$r]:--}" \
			"${R[$side,kcpu,$r]:--}" "${R[$side,dbcpu,$r]:--}" "${R[$side,sql,$r]:--}" "${R[$side,shm,$r]:--}" \
			"${R[$side,shmpct,$r]:--}" "${R[$side,drops,$r]:--}" "$(log_errors "$side-$r" | grep -c .)"
	done
	echo "  (Kam/DB us/c: CPU time of Kamailio / MariaDB per successful call of the burst;"
	echo "   shm: peak rise per call, and peak use of Kamailio's $((${SHM_TOTAL:-0} / 1048576)) MB; drops: UDP"
	echo "   datagrams lost to full receive buffers; errors: ERROR lines in Kamailio's log)"
	echo
	if [ "${R[sqlops,ok,d]:-0}" = 0 ] && [ -n "${R[sqlops,failed,d]:-}" ]; then
		echo "(d) sqlops: 0 calls/s, as expected: all ${R[sqlops,failed,d]} calls failed; with"
		echo "    MariaDB down neither auth_db nor sql_query() can read anything (see below)."
	fi
	if [ "${R[ringset,ok,d]:-0}" -gt 0 ]; then
		echo "(d) Ringset: routed from shared memory, callers authenticated from the"
		echo "    htable copy of their credentials (warm-up with MariaDB up)."
	fi
	for tag in $(for ((r = 1; r <= ROUNDS; r++)); do echo stock-$r ringset-$r sqlops-$r; done) ringset-d sqlops-d; do
		[ -n "$(log_errors "$tag")" ] || continue
		echo "most frequent Kamailio errors ($tag):"
		log_top "$tag"
	done
	for tag in $(for ((r = 1; r <= ROUNDS; r++)); do echo stock,$r ringset,$r sqlops,$r; done) ringset,d sqlops,d; do
		side=${tag%,*} r=${tag#*,}
		if [ "${R[$side,shmpct,$r]:-0}" -gt 90 ]; then
			echo "warning: $side-$r used over 90 % of shared memory: lower BENCH_CALL_M"
		fi
		if [ "${R[$side,drops,$r]:-0}" -gt 0 ]; then
			echo "note: $side-$r lost ${R[$side,drops,$r]} datagrams (500 ms retransmissions skew its rate)"
		fi
	done
	for r in 0 1 2 3; do
		printf 'device on port %s took %s INVITEs over the bench\n' "${UAS_PORTS[r]}" \
			"$(stat_field "uas-$r" "IncomingCall(C)")"
	done
}

# BENCH_CALLGRIND=1: instructions per call of every side, and for each
# off-<route> side what that route costs a call (Ringset less that side)
cg_report() {
	cg_on || return 0
	local side r=1 a aw b bw
	a=${R[stock,instr,1]:-0} aw=${R[stock,winstr,1]:-0}
	b=${R[ringset,instr,1]:-0} bw=${R[ringset,winstr,1]:-0}
	echo
	echo "callgrind, round 1: thousands of instructions per successful call (all Kamailio processes"
	echo "but the main one / the SIP workers alone), and SIP messages Kamailio received per call"
	printf '  %-22s | %5s | %6s | %9s | %6s | %9s | %6s | %s\n' side ok msgs/c "kinstr/c" ratio "workers" ratio "route cost (ringset - side, workers)"
	for side in $(sides); do
		printf '  %-22s | %5s | %6s | %9s | %6s | %9s | %6s | %s\n' "$side" "${R[$side,ok,$r]:--}" \
			"${R[$side,msgs,$r]:--}" "${R[$side,instr,$r]:--}" "$(ratio "${R[$side,instr,$r]:-0}" "$a")" \
			"${R[$side,winstr,$r]:--}" "$(ratio "${R[$side,winstr,$r]:-0}" "$aw")" \
			"$(case $side in off-*) echo $((bw - ${R[$side,winstr,$r]:-0})) ;; esac)"
	done
	echo "  (callgrind files: $WORK/cg-<side>-1.<pid>; callgrind_annotate --inclusive=yes on a SIP worker's)"
}

# the lines of the summary of `make bench` (bench_result, tools/bench_common.sh)
write_results() {
	bench_result "calls to a user with a follow-me step: 3 devices + 1 parallel entry (stock: one AOR, 4 contacts)" calls/s \
		"$(median $(vals ringset rate))" "$(median $(vals stock rate))" \
		"$(median $(vals ringset kcpu))" "$(median $(vals stock kcpu))"
	if [ -n "${R[sqlops,rate,1]:-}" ]; then
		bench_result "the same, Ringset against a plain cfg reading the plan with sqlops (3 queries a call)" calls/s \
			"$(median $(vals ringset rate))" "$(median $(vals sqlops rate))" \
			"$(median $(vals ringset kcpu))" "$(median $(vals sqlops kcpu))"
	fi
	if [ -n "${R[bare,rate,1]:-}" ]; then
		bench_result "the same, Ringset with every feature the call does not use off (stock: one AOR, 4 contacts)" calls/s \
			"$(median $(vals bare rate))" "$(median $(vals stock rate))" \
			"$(median $(vals bare kcpu))" "$(median $(vals stock kcpu))"
	fi
	[ -n "${R[ringset,rate,d]:-}" ] || return 0
	bench_result "the same with MariaDB stopped (stock: a sqlops cfg reading the plan per call)" calls/s \
		"${R[ringset,rate,d]:-}" "${R[sqlops,rate,d]:-0}" "${R[ringset,kcpu,d]:-}" -
}

# --- main -------------------------------------------------------------------

main() {
	local r side p
	[ -f "$RS_BUILD/modules/userdev.so" ] || { say "run make modules first"; exit 1; }
	"$STACK" kam-stop >/dev/null 2>&1
	"$STACK" db-stop >/dev/null 2>&1
	for p in $CALL_PORT $REG_PORT "${UAS_PORTS[@]}"; do
		if ss -Hlun "sport = :$p" | grep -q .; then
			say "udp port $p is in use: is another bench running?"
			exit 1
		fi
	done
	rm -rf "$VAR_DIR"
	mkdir -p "$LOGDIR" "$WORK"
	say "MariaDB and the schema in $VAR_DIR"
	"$STACK" db-start && "$STACK" db-init >/dev/null || { say "the database did not start"; exit 1; }
	provision || { say "provisioning failed"; exit 1; }
	make_feature_cfgs || { say "cannot make the cfgs with features off"; exit 1; }
	start_devices || exit 1
	for ((r = 1; r <= ROUNDS; r++)); do
		for side in $(sides); do
			run "$side" "$r" || say "$side round $r failed"
		done
	done
	# the runs with MariaDB down (BENCH_DOWN=0 or BENCH_CALLGRIND=1: none)
	if [ "${BENCH_DOWN:-$(cg_on && echo 0 || echo 1)}" = 1 ]; then
		run ringset d down || say "ringset with MariaDB down failed"
		run sqlops d down || say "sqlops with MariaDB down failed"
	fi
	print_table
	write_results
	cg_report
	procs_report
	sqllog_report
	perf_report
	echo "logs: $LOGDIR; total time $((SECONDS - T0)) s"
}

# sourced (to profile one side by hand), it only defines the functions
[ "${BASH_SOURCE[0]}" != "$0" ] || main "$@"
