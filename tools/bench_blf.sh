#!/usr/bin/env bash
# Ringset BLF benchmark: N watchers (BLF keys, Event: dialog) of one
# presentity, then ROUNDS state changes; for each change, the time from the
# change to the first and to the last NOTIFY that shows the new state. Two
# sides, one Kamailio at a time, same MariaDB, same sipp watchers:
#   ringset: kamailio.cfg, watchers of forkm600; a change is
#            `fork2mobile.set 600 on|off` (fork2mobile publishes through pua)
#   stock:   tests/bench/kamailio-stock.cfg with WITH_PRESENCE (presence +
#            presence_dialoginfo, as a stock Kamailio user runs BLF); a
#            change is a PUBLISH of the same dialog-info bodies from an
#            publisher authenticated as the presentity, as auth_db wants
#            (tests/bench/scenarios/publisher.xml.in, one sipp), timed from
#            the moment sipp sent it
# BENCH_WATCHERS ("100 1000"): the watcher counts, each on a fresh start
# (no subscription left from the count before); BENCH_ROUNDS (5) changes
# each; BENCH_BLF_SIDES ("ringset stock"). sipp plays the watchers (one
# process, every subscription, one message log with timestamps). Not part
# of `make test`.
set -uo pipefail

RS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCEN=$RS_ROOT/tests/e2e/scenarios
STACK=$RS_ROOT/tools/stack.sh
export VAR_DIR=${BENCH_DIR:-$RS_ROOT/build/bench-blf}
export SIP_PORT=${BENCH_SIP_PORT:-$((45460 + ${RS_PORT_OFFSET:-0}))}
. "$RS_ROOT/tools/env.sh"
COUNTS=${BENCH_WATCHERS:-100 1000}
ROUNDS=${BENCH_ROUNDS:-5}
SIDES=${BENCH_BLF_SIDES:-ringset stock}
STOCK_CFG=$RS_ROOT/tests/bench/kamailio-stock.cfg
PRES=sip:forkm600@$SIP_DOMAIN
PIDS=()
KAM_PIDS=()
. "$RS_ROOT/tools/bench_common.sh"

say() { echo "bench-blf: $*" >&2; }

# notified FILE T0 STATE: NOTIFYs since T0 that show STATE
notified() { notifies "$1" | awk -v t0="$2" -v w="$3" '$1 >= t0 && $2 == w' | wc -l; }

kam_pids() {
	local p
	p=$(cat "$VAR_DIR/kamailio.pid" 2>/dev/null) || return 0
	echo "$p"
	pgrep -P "$p"
}
ticks() { local s=0 p t; for p in $(kam_pids); do
	t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue; s=$((s + t)); done; echo $s; }

# wait_notified FILE T0 STATE N WHAT: until N NOTIFYs since T0 show STATE
wait_notified() {
	local end=$(($2 + 20000))
	until [ "$(notified "$1" "$2" "$3")" -ge "$4" ]; do
		[ "$(now_ms)" -lt $end ] || { say "$5: $(notified "$1" "$2" "$3") of $4 watchers notified"; return 1; }
		sleep 0.05
	done
}

declare -A R
# side_count SIDE N: a fresh Kamailio of SIDE, N watchers, ROUNDS changes
side_count() {
	local side=$1 n=$2 cfg=$RS_ROOT/kamailio.cfg defs="" msg r want arg t0 end first last k0 k1 ticks_sum=0 lasts=() firsts=()
	[ "$side" = stock ] && cfg=$STOCK_CFG defs=WITH_PRESENCE
	sql "DELETE FROM active_watchers; DELETE FROM watchers; DELETE FROM presentity; DELETE FROM pua"
	KAM_CFG=$cfg KAM_EXTRA_DEFINES=$defs "$STACK" kam-start >/dev/null || { say "$side: Kamailio did not start"; return 1; }
	KAM_PIDS=("$(cat "$VAR_DIR/kamailio.pid")")
	[ "$side" = ringset ] && $KAMCMD fork2mobile.set 600 off >/dev/null
	msg=$VAR_DIR/watchers-$side-$n.msg
	rm -f "$msg"
	sipp "$SIP_ADDR:$SIP_PORT" -nostdin -sf "$SCEN/watcher.xml" -m "$n" -l "$n" \
		-r 200 -s forkm600 -au 2600 -ap pw2600 -i 127.0.0.1 -p $((SIP_PORT + 1001)) \
		-key caller 2600 -key domain "$SIP_DOMAIN" -cp $((SIP_PORT + 2001)) \
		-buff_size "$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 1048576)" \
		-trace_msg -message_file "$msg" -timeout 600 >"$VAR_DIR/sipp-$side-$n.out" 2>&1 &
	local sp=$!
	PIDS+=("$sp")
	end=$(($(now_ms) + 60000))
	# subscribed: each watcher's first NOTIFY (the stock side has no
	# publication yet, so its body is empty)
	until [ "$(grep -c '^NOTIFY ' "$msg" 2>/dev/null || :)" -ge "$n" ] 2>/dev/null; do
		[ "$(now_ms)" -lt $end ] || { say "$side: only $(grep -c '^NOTIFY ' "$msg") of $n watchers subscribed"; kill $sp; "$STACK" kam-stop >/dev/null; return 1; }
		sleep 0.2
	done
	printf '%-8s %-8s %-6s %14s %14s\n' "$side" round state "first NOTIFY" "NOTIFY #$n"
	local changes=()
	if [ "$side" = ringset ]; then
		for r in $(seq 1 "$ROUNDS"); do
			if [ $((r % 2)) = 1 ]; then want=c arg=on; else want=n arg=off; fi
			k0=$(ticks)
			t0=$(now_ms)
			$KAMCMD fork2mobile.set 600 $arg >/dev/null
			wait_notified "$msg" "$t0" $want "$n" "$side round $r"
			k1=$(ticks)
			ticks_sum=$((ticks_sum + k1 - k0))
			changes+=("$t0 $want")
			sleep 0.4 # Ringset's publisher keeps 300 ms between two PUBLISHes of one key
		done
	else
		# the publisher: off first (not a change), then on/off, 1.5 s apart
		sed -e "s/@PAIRS@/$(((ROUNDS + 1) / 2))/" -e "s/@PAUSE@/1500/" \
			"$RS_ROOT/tests/bench/scenarios/publisher.xml.in" >"$VAR_DIR/publisher.xml"
		k0=$(ticks)
		sipp "$SIP_ADDR:$SIP_PORT" -nostdin -sf "$VAR_DIR/publisher.xml" -m 1 -s forkm600 \
			-au forkm600 -ap pwforkm600 -key caller forkm600 -key domain "$SIP_DOMAIN" -i 127.0.0.1 \
			-p $((SIP_PORT + 1002)) -cp $((SIP_PORT + 2002)) -timeout 120 -timeout_error \
			-trace_msg -message_file "$VAR_DIR/publisher-$n.msg" >"$VAR_DIR/publisher-$n.out" 2>&1 ||
			say "stock: the publisher failed, see $VAR_DIR/publisher-$n.out"
		k1=$(ticks)
		local t
		while read -r t want; do
			wait_notified "$msg" "$t" "$want" "$n" "stock change at $t"
			changes+=("$t $want")
		done < <(publishes "$VAR_DIR/publisher-$n.msg" | tail -n +2)
		# the CPU of the whole publisher run: its changes, and the pauses
		ticks_sum=$((k1 - k0))
	fi
	r=0
	for c in "${changes[@]}"; do
		r=$((r + 1))
		read -r t0 want <<<"$c"
		read -r first last < <(notifies "$msg" | awk -v t0="$t0" -v w="$want" '$1 >= t0 && $2 == w { if (!f) f = $1; l = $1; c++; if (c == '"$n"') exit }
			END { if (c) print f - t0, l - t0; else print "-", "-" }')
		printf '%-8s %-8s %-6s %11s ms %11s ms\n' "" "$r" "$([ "$want" = c ] && echo on || echo off)" "$first" "$last"
		lasts+=("$last") firsts+=("$first")
	done
	kill -TERM $sp 2>/dev/null; wait $sp 2>/dev/null
	"$STACK" kam-stop >/dev/null
	mv -f "$VAR_DIR/kamailio.log" "$VAR_DIR/kamailio-$side-$n.log" 2>/dev/null
	R[$side,$n,last]=$(printf '%s\n' "${lasts[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	R[$side,$n,first]=$(printf '%s\n' "${firsts[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	R[$side,$n,max]=$(printf '%s\n' "${lasts[@]}" | sort -n | tail -n 1)
	# Kamailio CPU per NOTIFY, over every change of this count (us)
	R[$side,$n,cpu]=$(awk -v t="$ticks_sum" -v hz="$(getconf CLK_TCK)" -v m=$((n * ${#changes[@]})) \
		'BEGIN { printf "%.0f", t / hz * 1e6 / m }')
	echo "$side, $n watchers: state change to the last NOTIFY, median of $ROUNDS: ${R[$side,$n,last]} ms (max ${R[$side,$n,max]} ms, first NOTIFY ${R[$side,$n,first]} ms), Kamailio CPU ${R[$side,$n,cpu]} us per NOTIFY"
}

main() {
	local side n
	# a stack a previous run left in VAR_DIR is stopped before its files go
	"$STACK" stop >/dev/null 2>&1
	rm -rf "$VAR_DIR"; mkdir -p "$VAR_DIR"
	"$STACK" db-start >/dev/null && "$STACK" db-init >/dev/null || { say "the database did not start"; exit 1; }
	sql "INSERT INTO rs_user (extension, domain, display_name, mobile)
		VALUES ('600', '$SIP_DOMAIN', 'Frank', '01701234567');
		INSERT INTO subscriber (username, domain, password) VALUES ('2600', '$SIP_DOMAIN', 'pw2600');
		-- the stock side's publisher: auth_db wants a PUBLISH authenticated as its presentity
		INSERT INTO subscriber (username, domain, password) VALUES ('forkm600', '$SIP_DOMAIN', 'pwforkm600');
		INSERT INTO rs_device (username, domain, extension, kind) VALUES ('2600', '$SIP_DOMAIN', '600', 'static')"
	echo "BLF fan-out: one state change of $PRES to N watchers, $ROUNDS changes per count ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
	for n in $COUNTS; do
		for side in $SIDES; do
			side_count "$side" "$n" || say "$side with $n watchers failed"
		done
	done
	echo
	printf '%-10s | %-8s | %14s | %14s | %14s | %12s\n' watchers side "last (median)" "last (max)" "first (median)" "CPU/NOTIFY"
	for n in $COUNTS; do
		for side in $SIDES; do
			printf '%-10s | %-8s | %11s ms | %11s ms | %11s ms | %9s us\n' "$n" "$side" \
				"${R[$side,$n,last]:--}" "${R[$side,$n,max]:--}" "${R[$side,$n,first]:--}" "${R[$side,$n,cpu]:--}"
		done
		bench_result "NOTIFY fan-out: one state change to the last of $n watchers (median of $ROUNDS; CPU per NOTIFY)" ms \
			"${R[ringset,$n,last]:--}" "${R[stock,$n,last]:--}" "${R[ringset,$n,cpu]:--}" "${R[stock,$n,cpu]:--}"
	done
	echo "logs: $VAR_DIR"
}

main "$@"
