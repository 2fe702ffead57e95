#!/usr/bin/env bash
# Ringset benchmark (`make bench`): the Ringset kamailio.cfg against a stock
# Kamailio cfg (tests/bench/kamailio-stock.cfg), same MariaDB, same machine,
# same settings, one Kamailio at a time. Prints a table at the end.
#   1. REGISTER/s: digest auth (auth_db) + usrloc db_mode 2, 1000 devices,
#      each phone from its own loopback address
#   2. calls/s to a user with n devices, for each n of BENCH_CALLEE_DEVICES
#      ("1 3 6"; each 1 to 6): one answers at once, the others ring and are
#      cancelled; the caller authenticates, ACKs and hangs up at once
# Each side runs BENCH_ROUNDS times, alternating (Ringset, stock, Ringset,
# ...); the table shows medians. See tests/bench/README.md.
# BENCH_SIDES="dmq ringset": Ringset with DMQ replication to a second node
# (NODES=2; the load goes to node 1) against Ringset alone, and the time
# from a REGISTER on node 1 until node 2 routes to it. BENCH_CALLGRIND=1:
# node 1 runs under callgrind, and the instructions of its processes per
# REGISTER and per call are counted for each side (small bursts, one round
# by default; tools/bench_common.sh cg_*).
set -uo pipefail

RS_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$RS_ROOT/tests/bench
SCEN=$BENCH/scenarios
STACK=$RS_ROOT/tools/stack.sh
export VAR_DIR=${BENCH_DIR:-$RS_ROOT/build/bench-sip}
export SIP_PORT=$((35060 + ${RS_PORT_OFFSET:-0}))
. "$RS_ROOT/tools/env.sh"
# derived per instance by stack.sh from the SIP_PORT it is given
unset PROV_PORT RTPENGINE_NG MEDIA_URI GATEWAY_URI

# every port moves with RS_PORT_OFFSET (two checkouts bench side by side)
OFF=${RS_PORT_OFFSET:-0}
RS_PORT=$((35060 + OFF))
STOCK_PORT=$((35160 + OFF))
STOCK_CFG=$BENCH/kamailio-stock.cfg
read -r SIDE_A SIDE_B <<<"${BENCH_SIDES:-ringset stock}"
ROUNDS=${BENCH_ROUNDS:-3}
DEVICES=${BENCH_DEVICES:-1000}
CALLERS=${BENCH_CALLERS:-100}
REG_M=${BENCH_REG_M:-100000}     # registrations per run
REG_RATE=${BENCH_REG_RATE:-40000} # offered rate; -l bounds what is in flight
REG_LIMIT=${BENCH_REG_LIMIT:-200}
# calls per run: a burst small enough that every call fits in Kamailio's
# shared memory (64 MB by default) while tm holds it (wait timer, 5 s)
CALL_M=${BENCH_CALL_M:-800}
CALL_RATE=${BENCH_CALL_RATE:-5000}
CALL_LIMIT=${BENCH_CALL_LIMIT:-100}
SIPP_TIMEOUT=${BENCH_SIPP_TIMEOUT:-90} # a bound on every sipp run, seconds
if [ "${BENCH_CALLGRIND:-0}" = 1 ]; then
	# node 1 runs ~50 times slower: small bursts, few at a time (more
	# would bring retransmissions, which change the messages per call)
	ROUNDS=${BENCH_ROUNDS:-1}
	REG_M=${BENCH_REG_M:-2000}
	REG_LIMIT=${BENCH_REG_LIMIT:-5}
	CALL_M=${BENCH_CALL_M:-200}
	CALL_LIMIT=${BENCH_CALL_LIMIT:-3}
	SIPP_TIMEOUT=${BENCH_SIPP_TIMEOUT:-900}
fi

REG_LPORT=$((36000 + OFF))  # the registering phones (one socket per address)
CALL_LPORT=$((36001 + OFF)) # the callers
# the call cases, in increasing order: the devices of case n are those of
# the case before and more (registered once, each from its own port)
# (under callgrind one case, 3 devices unless BENCH_CALLEE_DEVICES says: its
# dump files count one REGISTER burst and one call burst)
NDEVS_DEFAULT="1 3 6"
[ "${BENCH_CALLGRIND:-0}" = 1 ] && NDEVS_DEFAULT=3
NDEVS=$(printf '%s\n' ${BENCH_CALLEE_DEVICES:-$NDEVS_DEFAULT} | sort -nu | tr '\n' ' ')
[ "${BENCH_CALLGRIND:-0}" = 1 ] && NDEVS=${NDEVS%% *}
for n in $NDEVS; do
	[[ "$n" =~ ^[1-6]$ ]] || { echo "bench: BENCH_CALLEE_DEVICES must be numbers 1 to 6" >&2; exit 1; }
done
NDEV=${NDEVS% }; NDEV=${NDEV##* } # the most devices a case rings
UAS_PORTS=()
for ((i = 1; i <= NDEV; i++)); do UAS_PORTS+=($((36100 + i + OFF))); done # the devices of the called user
CP=$((37000 + OFF))         # sipp control ports, one per sipp process
LOGDIR=$VAR_DIR/logs
WORK=$VAR_DIR/work
PIDS=()
T0=$SECONDS

say() { echo "bench: $*" >&2; }

. "$RS_ROOT/tools/bench_common.sh"

# pick_ports: the client ports, each moved up past any that another
# process holds now (a connected UDP socket may take one at any time: picked
# again before each side and each burst)
REG_LPORT0=$REG_LPORT CALL_LPORT0=$CALL_LPORT UAS_PORTS0=("${UAS_PORTS[@]}")
pick_ports() {
	local i
	REG_LPORT=$(free_udp_port "$REG_LPORT0")
	CALL_LPORT=$(free_udp_port $((REG_LPORT == CALL_LPORT0 ? CALL_LPORT0 + 1 : CALL_LPORT0)))
	[ "${1:-}" = calls ] && return 0
	for ((i = 0; i < NDEV; i++)); do
		UAS_PORTS[i]=$(free_udp_port $((i > 0 && UAS_PORTS0[i] <= UAS_PORTS[i - 1] ? UAS_PORTS[i - 1] + 1 : UAS_PORTS0[i])))
	done
}
pick_ports

# --- provisioning -------------------------------------------------------

# the address of bench device i: 127.0.10.1 onwards, one per phone
# (127.0.10.1 .. 127.0.255.250, then 127.1.0.1 on: 100,000 devices fit)
dev_ip() { echo "127.$(((10 + $1 / 250) / 256)).$(((10 + $1 / 250) % 256)).$(($1 % 250 + 1))"; }

provision() {
	local q="'"
	# rs_user 300 with devices 1300, 2300, ... (NDEV; Ringset); subscriber 300 is
	# the one AOR of the stock side; users 7000.. with one device each
	awk -v n="$DEVICES" -v nd="$NDEV" -v d="$SIP_DOMAIN" -v q="$q" 'BEGIN {
		printf "INSERT INTO rs_user (extension, domain, display_name) VALUES (%s300%s,%s%s%s,%sCarol Cole%s)", q, q, q, d, q, q, q
		for (i = 0; i < n; i++)
			printf ",(%s%d%s,%s%s%s,%sBench %d%s)", q, 7000 + i, q, q, d, q, q, i, q
		print ";"
		printf "INSERT INTO subscriber (username, domain, password) VALUES (%s300%s,%s%s%s,%spw300%s)", q, q, q, d, q, q, q
		for (k = 1; k <= nd; k++)
			printf ",(%s%d300%s,%s%s%s,%spw%d300%s)", q, k, q, q, d, q, q, k, q
		for (i = 0; i < n; i++)
			printf ",(%sdev%04d%s,%s%s%s,%spw%04d%s)", q, i, q, q, d, q, q, i, q
		print ";"
		printf "INSERT INTO rs_device (username, domain, extension, kind) VALUES "
		for (k = 1; k <= nd; k++)
			printf "%s(%s%d300%s,%s%s%s,%s300%s,%sstatic%s)", (k > 1 ? "," : ""), q, k, q, q, d, q, q, q, q, q
		for (i = 0; i < n; i++)
			printf ",(%sdev%04d%s,%s%s%s,%s%d%s,%sstatic%s)", q, i, q, q, d, q, q, 7000 + i, q, q, q
		print ";"
	}' | rs_mysql || return 1
	# injection files: user; its credentials; its address
	local i
	{
		echo SEQUENTIAL
		for ((i = 0; i < DEVICES; i++)); do
			printf 'dev%04d;[authentication username=dev%04d password=pw%04d];%s\n' \
				$i $i $i "$(dev_ip $i)"
		done
	} >"$WORK/devices.csv"
	head -n $((CALLERS + 1)) "$WORK/devices.csv" >"$WORK/callers.csv"
	for ((i = 1; i <= NDEV; i++)); do
		printf 'SEQUENTIAL\n%d300;[authentication username=%d300 password=pw%d300];127.0.0.1\n' \
			$i $i $i >"$WORK/uas$i.csv"
	done
	printf 'SEQUENTIAL\n300;[authentication username=300 password=pw300];127.0.0.1\n' \
		>"$WORK/aor300.csv"
}

# --- sipp ---------------------------------------------------------------

# the next sipp control port (CP) that no UDP socket holds: CP lies in
# Linux's ephemeral range, where any outgoing socket on the machine may
# hold it, and sipp exits at once when it cannot bind it (a DMQ side's
# call run measured nothing that way)
next_cp() { CP=$(free_udp_port $((CP + 1))); }

# sipp_run NAME PORT ARGS...: to the end, in the foreground, in the
# directory $WORK/NAME (statistics: stat.csv there, and *_rtt.csv with the
# time each call ended when the scenario marks it with rtd)
sipp_run() {
	local name=$1 port=$2; shift 2
	next_cp
	rm -rf "${WORK:?}/$name"
	mkdir -p "$WORK/$name"
	(cd "$WORK/$name" && exec sipp "127.0.0.1:$port" -nostdin \
		-timeout "$SIPP_TIMEOUT" -timeout_error -cp "$CP" \
		-key domain "$SIP_DOMAIN" -trace_err -error_file "$LOGDIR/$name.err" \
		-trace_stat -stf stat.csv -fd 1 "$@") >"$LOGDIR/$name.out" 2>&1
}

# sipp_bg NAME PORT ARGS...: the same in the background, PID in $SIPP_PID
sipp_bg() {
	local name=$1 port=$2; shift 2
	next_cp
	sipp "127.0.0.1:$port" -nostdin -timeout "$SIPP_TIMEOUT" \
		-cp "$CP" -key domain "$SIP_DOMAIN" -trace_err \
		-error_file "$LOGDIR/$name.err" "$@" >"$LOGDIR/$name.out" 2>&1 &
	SIPP_PID=$!
	PIDS+=("$SIPP_PID")
}

# wait until udp 127.0.0.1:PORT is bound (a background sipp is ready)
wait_bound() {
	local end=$((SECONDS + 10))
	until ss -Hlun "src 127.0.0.1:$1" | grep -q .; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.02
	done
}

# sipp_result NAME: "ok failed seconds rate" of a run. ok and failed from
# the last row of its statistics; rate: successful calls per second over
# the middle 80 % of them (ramp-up and the tail of a run left out), from
# the time each call ended
sipp_result() {
	local dir=$WORK/$1 okf rate
	okf=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ last = $0 }
		END {
			if (last == "") { print "0 0 0"; exit }
			split(last, f, ";")
			split(f[h["StartTime"]], a, "\t"); split(f[h["CurrentTime"]], b, "\t")
			printf "%d %d %.3f\n", f[h["SuccessfulCall(C)"]], f[h["FailedCall(C)"]], b[3] - a[3]
		}' "$dir/stat.csv" 2>/dev/null) || okf="0 0 0"
	rate=$(cat "$dir"/*_rtt.csv 2>/dev/null | awk -F';' '$1 ~ /^[0-9.]+$/ { print $1 }' |
		sort -g | awk '{ t[NR] = $1 }
		END {
			lo = int(NR * 0.1) + 1; hi = int(NR * 0.9)
			if (NR < 10 || t[hi] <= t[lo]) { print 0; exit }
			printf "%.0f\n", (hi - lo) / ((t[hi] - t[lo]) / 1000)
		}')
	echo "$okf ${rate:-0}"
}

# --- Kamailio processes -------------------------------------------------

kam_pids() {
	local p
	p=$(cat "$VAR_DIR/kamailio.pid" 2>/dev/null) || return 0
	echo "$p"
	pgrep -P "$p"
}

# MariaDB's process (the private server of the bench)
db_pids() { cat "$VAR_DIR/mariadb.pid" 2>/dev/null; }

# CPU time (clock ticks) of the given processes
cpu_ticks() {
	local s=0 p t
	for p in "$@"; do
		t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
		s=$((s + t))
	done
	echo $s
}

# sum of FIELD (VmRSS, Pss) in kB over the Kamailio processes
kam_mem() {
	local field=$1 f p s=0 v
	[ "$field" = Pss ] && f=smaps_rollup || f=status
	for p in $(kam_pids); do
		v=$(awk -v k="$field:" '$1 == k { print $2 }' "/proc/$p/$f" 2>/dev/null)
		s=$((s + ${v:-0}))
	done
	echo $s
}

# UDP datagrams the kernel dropped so far because a socket's receive buffer
# was full (the whole machine; during a run that is the bench traffic)
udp_drops() { awk '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
	$1 == "Udp:" { print $c["RcvbufErrors"] }' /proc/net/snmp; }

# shm_stat FIELD: total, real_used or max_used, bytes
shm_stat() {
	$KAMCMD core.shmmem 2>/dev/null | awk -v k="$1:" '$1 == k { print $2 }'
}

# the main process of every Kamailio node a side started (node 1, node 2),
# from their pid files: kam_down checks each is gone and stops any left
KAM_PIDS=()
# kam_running PID: it runs (a zombie waiting for its reaper does not)
kam_running() {
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
kam_up() {
	local side=$1 port=$2 cfg=$3 nodes=1 rc=0 pf
	[ "$side" = dmq ] && nodes=2
	# BENCH_CALLGRIND=1: node 1 under callgrind (its files cg-<side>-<round>.*)
	KAM_WRAP=$(cg_wrap "$side-${CG_ROUND:-1}") KAM_WRAP_NODES=1 \
		KAM_START_WAIT=$(cg_on && echo 600 || echo 60) \
		NODES=$nodes SIP_PORT=$port KAM_CFG=$cfg "$STACK" kam-start >/dev/null || rc=1
	KAM_PIDS=()
	for pf in "$VAR_DIR/kamailio.pid" "$VAR_DIR"/node*/kamailio.pid; do
		[ -f "$pf" ] && KAM_PIDS+=("$(cat "$pf")")
	done
	[ $rc = 0 ] || { say "$side: Kamailio did not start"; kam_down "$side" failed; return 1; }
}

kam_down() {
	local side=$1 round=$2 p end
	"$STACK" kam-stop >/dev/null 2>&1
	# a node the stack did not stop (its pid file gone or rewritten) is
	# stopped here by the PID it had when it started, with its session
	for p in "${KAM_PIDS[@]}"; do
		[[ "$p" =~ ^[0-9]+$ ]] && kam_running "$p" || continue
		say "$side: Kamailio $p still running after kam-stop: stopping it"
		kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
		end=$((SECONDS + 10))
		while kam_running "$p" && [ $SECONDS -lt $end ]; do sleep 0.1; done
		kam_running "$p" && kill -KILL -- "-$p" 2>/dev/null
	done
	KAM_PIDS=()
	mv -f "$VAR_DIR/kamailio.log" "$LOGDIR/kamailio-$side-$round.log" 2>/dev/null
	if [ -f "$VAR_DIR/node2/kamailio.log" ]; then
		mv -f "$VAR_DIR/node2/kamailio.log" "$LOGDIR/kamailio-$side-$round-node2.log"
	fi
	return 0
}

# the directory copy of userdev holds NAME
wait_directory() {
	local end=$((SECONDS + 10))
	until $KAMCMD userdev.show "$1" 2>/dev/null | grep -q "type:"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

# --- replication delay (BENCH_SIDES with dmq) ----------------------------

REPL_MS=()
# repl_delay ROUND: 5 REGISTERs of dev0000, each from a new port, on node
# 1; the ms from sipp's 200 until node 2's directory shows that contact
repl_delay() {
	local round=$1 k port t0 t1 end b
	rs_node 2
	b=$NODE_KAMCMD
	for k in 1 2 3 4 5; do
		port=$((REG_LPORT + 500 + round * 10 + k))
		printf 'SEQUENTIAL\ndev0000;[authentication username=dev0000 password=pw0000];127.0.0.1\n' \
			>"$WORK/repl.csv"
		sipp_run "repl-$round-$k" "$RS_PORT" -sf "$SCEN/register.xml" -inf "$WORK/repl.csv" \
			-t u1 -i 127.0.0.1 -p "$port" -key lport "$port" -m 1 -recv_timeout 3000 ||
			{ say "dmq: REGISTER $k failed"; continue; }
		t0=$(($(date +%s%N) / 1000000))
		end=$((t0 + 5000))
		until $b userdev.show dev0000 2>/dev/null | grep -q "127.0.0.1:$port"; do
			t1=$(($(date +%s%N) / 1000000))
			[ "$t1" -lt $end ] || { say "dmq: node 2 never saw REGISTER $k"; break; }
			sleep 0.005
		done
		t1=$(($(date +%s%N) / 1000000))
		[ "$t1" -lt $end ] && REPL_MS+=($((t1 - t0)))
	done
}

# --- one side, one round ------------------------------------------------

declare -A R # results: R[side,metric,round]

run_side() {
	local side=$1 round=$2 port cfg k0 k1 m0 m1 d0 ok failed secs rate
	if [ "$side" != stock ]; then
		port=$RS_PORT cfg=$RS_ROOT/kamailio.cfg
	else
		port=$STOCK_PORT cfg=$STOCK_CFG
	fi
	sql "DELETE FROM location" || return 1
	CG_ROUND=$round
	pick_ports
	kam_up "$side" "$port" "$cfg" || return 1
	if [ "$side" != stock ]; then
		wait_directory "dev$(printf %04d $((DEVICES - 1)))" && wait_directory "${NDEV}300" ||
			say "ringset: the directory is not loaded"
	fi

	# 1. REGISTER (BENCH_CALLGRIND=1: node 1's file 2)
	cg_start "$side-$round" 1
	d0=$(udp_drops)
	k0=$(cpu_ticks $(kam_pids))
	m0=$(cpu_ticks $(db_pids))
	sipp_run "reg-$side-$round" "$port" -sf "$SCEN/register.xml" \
		-inf "$WORK/devices.csv" -t ui -ip_field 2 -p $REG_LPORT \
		-key lport $REG_LPORT -max_socket 4000 -r "$REG_RATE" -l "$REG_LIMIT" \
		-m "$REG_M" -recv_timeout 5000 -trace_rtt -rtt_freq 1000
	k1=$(cpu_ticks $(kam_pids))
	m1=$(cpu_ticks $(db_pids))
	R[$side,reg_drops,$round]=$(($(udp_drops) - d0))
	read -r ok failed secs rate < <(sipp_result "reg-$side-$round")
	R[$side,reg_ok,$round]=$ok
	R[$side,reg_failed,$round]=$failed
	R[$side,reg_rate,$round]=$rate
	R[$side,reg_cpu,$round]=$(awk -v t=$((k1 - k0)) -v o="$ok" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f", (o > 0 ? t / hz * 1e6 / o : 0) }')
	R[$side,reg_dbcpu,$round]=$(awk -v t=$((m1 - m0)) -v o="$ok" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f", (o > 0 ? t / hz * 1e6 / o : 0) }')
	say "$side round $round: REGISTER $ok ok, $failed failed in ${secs}s"
	cg_stop "$side-$round"
	cg_start "$side-$round" 2
	# (under callgrind a delay means nothing, and its REGISTERs would count)
	[ "$side" = dmq ] && ! cg_on && repl_delay "$round"

	# 2. calls, one burst per case
	local nd reg=0
	for nd in $NDEVS; do
		call_case "$side" "$round" "$port" "$nd" "$reg"
		reg=$nd
	done

	# 3. memory at the end of the side
	R[$side,rss,$round]=$(kam_mem VmRSS)
	R[$side,pss,$round]=$(kam_mem Pss)
	R[$side,shm,$round]=$(shm_stat max_used)
	R[$side,shm_total,$round]=$(shm_stat total)
	kam_down "$side" "$round"
	cg_count "$side" "$round"
}

# call_case SIDE ROUND PORT N REGISTERED: a burst of calls to user 300 with
# N devices; those past the REGISTERED of the case before register first
# from their ports. Metrics: R[side,<metric>.N,round]
call_case() {
	local side=$1 round=$2 port=$3 nd=$4 reg=$5 k0 k1 m0 m1 d0 shm0 shm1 shmt ok failed secs rate i pids=() kp
	for ((i = reg + 1; i <= nd; i++)); do
		sipp_run "uasreg-$side-$round-$i" "$port" -sf "$SCEN/register.xml" \
			-inf "$WORK/$([ "$side" != stock ] && echo "uas$i" || echo aor300).csv" \
			-t ui -ip_field 2 -p "${UAS_PORTS[i - 1]}" -key lport "${UAS_PORTS[i - 1]}" \
			-max_socket 10 -m 1 -recv_timeout 3000 ||
			say "$side: device $i did not register"
	done
	for ((i = 1; i <= nd; i++)); do
		sipp_bg "uas-$side-$round-$nd-$i" "$port" -sf "$SCEN/$([ $i = 1 ] && echo uas_answer || echo uas_cancel).xml" \
			-i 127.0.0.1 -p "${UAS_PORTS[i - 1]}" -s "${i}300" -m $((CALL_M + 1000)) \
			-default_behaviors all,-abortunexp
		pids+=("$SIPP_PID")
		wait_bound "${UAS_PORTS[i - 1]}" || say "$side: device $i is not listening"
	done
	pick_ports calls
	cg_start "$side-$round" 3 # the calls: file 4
	d0=$(udp_drops)
	shm0=$(shm_stat real_used)
	shmt=$(shm_stat total)
	k0=$(cpu_ticks $(kam_pids))
	m0=$(cpu_ticks $(db_pids))
	sipp_run "call-$side-$round-$nd" "$port" -sf "$SCEN/uac_call.xml" \
		-inf "$WORK/callers.csv" -t ui -ip_field 2 -p $CALL_LPORT \
		-key lport $CALL_LPORT -max_socket 1000 -s 300 -r "$CALL_RATE" \
		-l "$CALL_LIMIT" -m "$CALL_M" -recv_timeout 5000 \
		-default_behaviors all,-abortunexp -trace_rtt -rtt_freq 100
	k1=$(cpu_ticks $(kam_pids))
	m1=$(cpu_ticks $(db_pids))
	shm1=$(shm_stat max_used)
	cg_stop "$side-$round"
	cg_start "$side-$round" 4
	R[$side,call_drops.$nd,$round]=$(($(udp_drops) - d0))
	for kp in "${pids[@]}"; do kill -TERM "$kp" 2>/dev/null; done
	for kp in "${pids[@]}"; do wait "$kp" 2>/dev/null; done
	read -r ok failed secs rate < <(sipp_result "call-$side-$round-$nd")
	R[$side,call_ok.$nd,$round]=$ok
	R[$side,call_failed.$nd,$round]=$failed
	R[$side,call_rate.$nd,$round]=$rate
	R[$side,call_cpu.$nd,$round]=$(awk -v t=$((k1 - k0)) -v o="$ok" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f", (o > 0 ? t / hz * 1e6 / o : 0) }')
	R[$side,call_dbcpu.$nd,$round]=$(awk -v t=$((m1 - m0)) -v o="$ok" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f", (o > 0 ? t / hz * 1e6 / o : 0) }')
	# every call of the burst is still held (tm wait timer, 5 s) at the
	# peak; the calls/s that fit in shared memory for good follow from it
	R[$side,call_shm.$nd,$round]=$(awk -v a="${shm0:-0}" -v b="${shm1:-0}" -v n="$CALL_M" \
		'BEGIN { printf "%.1f", (b > a ? (b - a) / n / 1024 : 0) }')
	R[$side,call_ceil.$nd,$round]=$(awk -v a="${shm0:-0}" -v b="${shm1:-0}" -v n="$CALL_M" \
		-v t="${shmt:-0}" 'BEGIN { printf "%.0f", (b > a ? (t - a) / ((b - a) / n) / 5 : 0) }')
	say "$side round $round: calls to $nd device(s): $ok ok, $failed failed in ${secs}s"
	# the calls of this burst leave tm (wait timer, 5 s) before the next
	# one measures its shared memory
	local end=$((SECONDS + 15)) u
	while [ $SECONDS -lt $end ]; do
		u=$(shm_stat real_used)
		[ -n "$u" ] && [ "$u" -le $((shm0 + shm0 / 50)) ] && break
		sleep 0.2
	done
}

# BENCH_CALLGRIND=1: node 1's instructions per REGISTER (file 2) and per
# call (file 4), every process but the main one, and its SIP workers alone
cg_count() {
	cg_on || return 0
	local side=$1 round=$2 tag=$1-$2 m f w ok
	for m in reg:2 call:4; do
		f=${m#*:}
		m=${m%:*}
		ok=${m}_ok
		[ "$m" = call ] && ok=call_ok.$NDEV # one call case under callgrind
		for w in "" workers; do
			R[$side,${m}_${w:+w}instr,$round]=$(awk -v i="$(cg_instr "$tag" "$w" "$f")" \
				-v o="${R[$side,$ok,$round]:-0}" 'BEGIN { printf "%.0f", (o > 0 ? i / o : 0) }')
		done
	done
}

# the callgrind rows (after the table): thousands of instructions per
# REGISTER and per call on node 1, the ratio of the two sides
print_cg() {
	cg_on || return 0
	local m
	echo
	echo "callgrind on node 1, round 1..$ROUNDS (median): thousands of instructions per successful REGISTER / call"
	for m in reg_instr:"per REGISTER, node 1 (all processes)" \
		reg_winstr:"per REGISTER, node 1 SIP workers" \
		call_instr:"per call, node 1 (all processes)" \
		call_winstr:"per call, node 1 SIP workers"; do
		# shellcheck disable=SC2046
		row "${m#*:}" "$(median $(vals $SIDE_A "${m%%:*}") | awk '{ printf "%.0f", $1 / 1000 }')" \
			"$(median $(vals $SIDE_B "${m%%:*}") | awk '{ printf "%.0f", $1 / 1000 }')"
	done
	echo "(callgrind files: $WORK/cg-<side>-<round>.<pid>.<n>; 2: the REGISTER burst, 4: the calls, each with the 6 s after it)"
}

# --- the table ----------------------------------------------------------

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
	if (NR == 0) { print 0; exit }
	if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
sumof() { printf '%s\n' "$@" | awk '{ s += $1 } END { print s + 0 }'; }

# the values of a metric over the rounds; a round that failed before it
# measured (its REGISTER run never started) is left out, not counted as 0
vals() {
	local side=$1 m=$2 r out=()
	for ((r = 1; r <= ROUNDS; r++)); do
		[ -n "${R[$side,reg_ok,$r]:-}" ] || continue
		out+=("${R[$side,$m,$r]:-0}")
	done
	echo "${out[@]}"
}

row() { # row LABEL RINGSET STOCK
	local ratio
	ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2fx", a / b }')
	printf '%-44s | %12s | %12s | %7s\n' "$1" "$2" "$3" "$ratio"
}

# the ERROR/CRITICAL lines of a side's Kamailio logs, less the shutdown
# notices of the TCP main process
log_errors() {
	cat "$LOGDIR"/kamailio-"$1"-*.log 2>/dev/null | grep -E ' (ERROR|CRITICAL):' |
		grep -v 'receive_fd(): EOF'
}

# the most frequent of them, without the process and message prefixes
log_top() {
	log_errors "$1" | sed -E 's/^ *[0-9]+\([0-9]+\) //; s/\{[^}]*\} //; s/0x[0-9a-f]+/0x../g' |
		cut -c1-110 | sort | uniq -c | sort -rn | head -n "${2:-3}"
}

# the metrics of the call cases: one row per case and metric
CALL_METRICS=("call_rate:calls/s, burst (CPU-bound)" "call_cpu:Kamailio CPU per call (us)"
	"call_dbcpu:MariaDB CPU per call (us)" "call_shm:shm per call, held 5 s (KB)"
	"call_ceil:calls/s shm allows for good (est.)")

# vals_all SIDE METRIC...: the values of several metrics over the rounds
vals_all() { local x=$1 y; shift; for y in "$@"; do vals "$x" "$y"; done; }

print_table() {
	local m f s side r nd all
	echo
	echo "Ringset bench: $DEVICES devices, $ROUNDS alternating runs per side (median), $(nproc) CPUs"
	echo "REGISTER: -m $REG_M -r $REG_RATE -l $REG_LIMIT; calls to a user with n devices (n: $NDEVS): -m $CALL_M -r $CALL_RATE -l $CALL_LIMIT"
	printf '%-44s | %12s | %12s | %7s\n' metric "$SIDE_A" "$SIDE_B" ratio
	printf -- '-%.0s' {1..84}; echo
	for m in reg_rate:"registrations/s (REGISTER 401+200)" \
		reg_cpu:"Kamailio CPU per registration (us)" \
		reg_dbcpu:"MariaDB CPU per registration (us)"; do
		f=${m%%:*}
		# shellcheck disable=SC2046
		row "${m#*:}" "$(median $(vals $SIDE_A "$f"))" "$(median $(vals $SIDE_B "$f"))"
	done
	for nd in $NDEVS; do
		for m in "${CALL_METRICS[@]}"; do
			f=${m%%:*}
			# shellcheck disable=SC2046
			row "$nd dev: ${m#*:}" "$(median $(vals $SIDE_A "$f.$nd"))" "$(median $(vals $SIDE_B "$f.$nd"))"
		done
	done
	row "registrations failed (all runs)" "$(sumof $(vals $SIDE_A reg_failed))" "$(sumof $(vals $SIDE_B reg_failed))"
	row "calls failed (all runs)" "$(sumof $(vals_all $SIDE_A $(for nd in $NDEVS; do echo call_failed.$nd; done)))" \
		"$(sumof $(vals_all $SIDE_B $(for nd in $NDEVS; do echo call_failed.$nd; done)))"
	row "UDP drops, rcvbuf full (all runs)" \
		"$(sumof $(vals_all $SIDE_A reg_drops $(for nd in $NDEVS; do echo call_drops.$nd; done)))" \
		"$(sumof $(vals_all $SIDE_B reg_drops $(for nd in $NDEVS; do echo call_drops.$nd; done)))"
	row "RSS sum at end, peak (MB)" \
		"$(awk -v k="$(maxof $(vals $SIDE_A rss))" 'BEGIN { printf "%.1f", k / 1024 }')" \
		"$(awk -v k="$(maxof $(vals $SIDE_B rss))" 'BEGIN { printf "%.1f", k / 1024 }')"
	row "PSS sum at end, peak (MB)" \
		"$(awk -v k="$(maxof $(vals $SIDE_A pss))" 'BEGIN { printf "%.1f", k / 1024 }')" \
		"$(awk -v k="$(maxof $(vals $SIDE_B pss))" 'BEGIN { printf "%.1f", k / 1024 }')"
	row "shm max_used, peak (MB)" \
		"$(awk -v k="$(maxof $(vals $SIDE_A shm))" 'BEGIN { printf "%.1f", k / 1048576 }')" \
		"$(awk -v k="$(maxof $(vals $SIDE_B shm))" 'BEGIN { printf "%.1f", k / 1048576 }')"
	row "Kamailio log ERROR/CRITICAL lines" \
		"$(log_errors $SIDE_A | grep -c .)" "$(log_errors $SIDE_B | grep -c .)"
	row "Kamailio child crashes" \
		"$(cat "$LOGDIR"/kamailio-$SIDE_A-*.log 2>/dev/null | grep -c 'exited by a signal')" \
		"$(cat "$LOGDIR"/kamailio-$SIDE_B-*.log 2>/dev/null | grep -c 'exited by a signal')"
	echo
	for side in $SIDE_A $SIDE_B; do
		s="per run ($side): REGISTER/s $(vals $side reg_rate | tr ' ' /)"
		for nd in $NDEVS; do s="$s, calls/s to $nd $(vals $side call_rate.$nd | tr ' ' /)"; done
		echo "$s"
	done
	for side in $SIDE_A $SIDE_B; do
		for ((r = 1; r <= ROUNDS; r++)); do
			if awk -v u="${R[$side,shm,$r]:-0}" -v t="${R[$side,shm_total,$r]:-0}" \
				'BEGIN { exit !(t > 0 && u > 0.9 * t) }'; then
				echo "warning: $side run $r used over 90 % of shared memory: the call burst may not have fit; lower BENCH_CALL_M"
			fi
		done
	done
	for side in $SIDE_A $SIDE_B; do
		[ -n "$(log_errors $side)" ] || continue
		echo "most frequent Kamailio errors ($side):"
		log_top $side
	done
	if [ -n "${REPL_MS[*]:-}" ]; then
		echo "REGISTER on node 1 until node 2 routes it (userdev.show on node 2, polled every 5 ms): median $(median "${REPL_MS[@]}") ms, max $(maxof "${REPL_MS[@]}") ms over ${#REPL_MS[@]} registrations"
	fi
	echo "logs: $LOGDIR; total time $((SECONDS - T0)) s"
}

# the lines of the summary of `make bench` (bench_result, tools/bench_common.sh)
write_results() {
	local nd a=$SIDE_A b=$SIDE_B tag=""
	# the DMQ run: its "stock" column is Ringset alone
	[ "$a" = dmq ] && tag=" (DMQ to a 2nd node | one node)"
	bench_result "REGISTER, digest + write-back, $DEVICES devices$tag" REGISTER/s \
		"$(median $(vals $a reg_rate))" "$(median $(vals $b reg_rate))" \
		"$(median $(vals $a reg_cpu))" "$(median $(vals $b reg_cpu))"
	for nd in $NDEVS; do
		bench_result "calls to a user with $nd device$([ "$nd" = 1 ] || echo s)$tag" calls/s \
			"$(median $(vals $a call_rate.$nd))" "$(median $(vals $b call_rate.$nd))" \
			"$(median $(vals $a call_cpu.$nd))" "$(median $(vals $b call_cpu.$nd))"
	done
	if [ -n "${REPL_MS[*]:-}" ]; then
		bench_result "REGISTER on node 1 until node 2 routes it (median)" ms "$(median "${REPL_MS[@]}")" -
	fi
	return 0
}

# --- main ---------------------------------------------------------------

main() {
	local r side
	[ -f "$RS_BUILD/modules/userdev.so" ] || { say "run make modules first"; exit 1; }
	"$STACK" kam-stop >/dev/null 2>&1
	"$STACK" db-stop >/dev/null 2>&1
	rm -rf "$VAR_DIR"
	mkdir -p "$LOGDIR" "$WORK"
	say "MariaDB and the schema in $VAR_DIR"
	"$STACK" db-start && "$STACK" db-init >/dev/null || { say "the database did not start"; exit 1; }
	provision || { say "provisioning failed"; exit 1; }
	for ((r = 1; r <= ROUNDS; r++)); do
		for side in $SIDE_A $SIDE_B; do
			run_side "$side" "$r" || say "$side round $r failed"
		done
	done
	print_table
	print_cg
	write_results
}

# sourced (tools/bench_moonshot.sh), it only defines the functions
[ "${BASH_SOURCE[0]}" != "$0" ] || main "$@"
