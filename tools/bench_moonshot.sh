#!/usr/bin/env bash
# Ringset moonshot (`make bench-moonshot`, not in `make test` nor in `make
# bench`): one node, all at once, for MOON_SECONDS (60):
#   - MOON_DEVICES (100,000) devices registered, each from its own address,
#     refreshing their registrations at MOON_REG_RATE (167/s: every device
#     once in 10 minutes)
#   - follow-me calls at MOON_CALL_RATE (500/s), open loop (sipp -r): user
#     300 rings its 3 devices and 1 parallel follow-me entry (device 1800);
#     1 answers, 3 are cancelled; the caller hangs up at once
#   - MOON_WATCHERS (1,000) BLF watchers of forkm600, and a Fork2Mobile
#     change by RPC every MOON_BLF_EVERY (3) s: the time to the last NOTIFY
# Measures the calls/s achieved and failed, REGISTER refreshes, the NOTIFY
# latency to the last watcher (p50, max, how many within 1 s), shared and
# private memory, Kamailio's and MariaDB's CPU, UDP datagrams the kernel
# dropped; and says what held and what broke first. Kamailio's shared memory
# is SHM_MB (default here 1024 MB: 100,000 registrations and 5 s of calls
# held by tm at 500/s do not fit the 256 MB of `make run`).
# It reuses tools/bench.sh's provisioning and helpers (sourced).
set -uo pipefail

RS_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_DIR=${BENCH_DIR:-$RS_ROOT/build/bench-moonshot}
export SHM_MB=${SHM_MB:-1024}
# 99,997 devices of users 7000 on, and users 300 (3 devices), 800 (1800) and
# 600 (2600, the watcher): 100,000 users, the default max_users
export BENCH_DEVICES=${MOON_DEVICES:-99997} BENCH_CALLEE_DEVICES=3 BENCH_CALLERS=100
# shellcheck source=tools/bench.sh
. "$RS_ROOT/tools/bench.sh"

SECS=${MOON_SECONDS:-60}
CALL_RATE=${MOON_CALL_RATE:-500}
REG_RATE=${MOON_REG_RATE:-167}
WATCHERS=${MOON_WATCHERS:-1000}
BLF_EVERY=${MOON_BLF_EVERY:-3}
FM_PORT=$(free_udp_port $((36100 + 7 + OFF)))    # device 1800, the follow-me entry
W_PORT=$(free_udp_port $((36200 + OFF)))         # the watchers
OUT=$VAR_DIR/moonshot.txt

msay() { echo "moonshot: $*" >&2; }

# kam_sock_drops: datagrams the kernel dropped at Kamailio's own UDP socket
# (SIP_ADDR:RS_PORT) since it opened, of the machine-wide udp_drops
kam_sock_drops() {
	awk -v port="$(printf '%04X' "$RS_PORT")" 'NR > 1 { split($2, a, ":"); if (a[2] == port) d += $NF }
		END { print d + 0 }' /proc/net/udp
}

# stat_last FILE: "ok failed" from the last row of a sipp statistics file
stat_last() {
	awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } { l = $0 }
		END { split(l, f, ";"); print f[h["SuccessfulCall(C)"]] + 0, f[h["FailedCall(C)"]] + 0 }' "$1" 2>/dev/null ||
		echo "0 0"
}

# the largest pkg real_used of any Kamailio process, KiB
pkg_max() { $KAMCMD pkg.stats 2>/dev/null | awk '$1 == "real_used:" && $2 > m { m = $2 } END { printf "%d", m / 1024 }'; }

moon_provision() {
	local q="'"
	provision || return 1
	# follow-me: 300 rings 1800 (user 800) with its own devices; Fork2Mobile
	# of 600 watched by 1,000 BLF keys of device 2600
	sql "INSERT INTO rs_user (extension, domain, display_name) VALUES ('800', '$SIP_DOMAIN', 'Follow Me');
		INSERT INTO subscriber (username, domain, password) VALUES ('1800', '$SIP_DOMAIN', 'pw1800'),
			('2600', '$SIP_DOMAIN', 'pw2600');
		INSERT INTO rs_device (username, domain, extension, kind) VALUES ('1800', '$SIP_DOMAIN', '800', 'static');
		INSERT INTO rs_followme (extension, position, target, mode, ring_seconds, enabled)
			VALUES ('300', 1, '800', 'parallel', 20, 1);
		INSERT INTO rs_user (extension, domain, display_name, mobile) VALUES ('600', '$SIP_DOMAIN', 'Frank', '01701234567');
		INSERT INTO rs_device (username, domain, extension, kind) VALUES ('2600', '$SIP_DOMAIN', '600', 'static')" ||
		return 1
	printf 'SEQUENTIAL\n1800;[authentication username=1800 password=pw1800];127.0.0.1\n' >"$WORK/uas1800.csv"
	: "$q"
}

moon_main() {
	local i pids=() t0 t_end k0 k1 m0 m1 d0 d1 hz ok failed reg_ok reg_failed
	local shm_total shm_peak=0 pkg_peak=0 s p samples=() lat=() c want end r
	hz=$(getconf CLK_TCK)
	[ -f "$RS_BUILD/modules/userdev.so" ] || { msay "run make modules first"; exit 1; }
	"$STACK" kam-stop >/dev/null 2>&1
	"$STACK" db-stop >/dev/null 2>&1
	rm -rf "$VAR_DIR"
	mkdir -p "$LOGDIR" "$WORK"
	"$STACK" db-start && "$STACK" db-init >/dev/null || { msay "the database did not start"; exit 1; }
	moon_provision || { msay "provisioning failed"; exit 1; }
	kam_up ringset "$RS_PORT" "$RS_ROOT/kamailio.cfg" || exit 1
	wait_directory "dev$(printf %04d $((DEVICES - 1)))" && wait_directory 1800 ||
		msay "the directory is not loaded"
	{
		echo "Ringset moonshot: $DEVICES devices on one node, $(nproc) CPUs, SHM_MB=$SHM_MB, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "user directory: $($KAMCMD userdev.status | awk '$1 ~ /^(users|devices|load_ms):$/' | tr -s ' \n' ' ')"
	} | tee "$OUT"

	# 1. every device registers once (as tools/bench.sh does)
	t0=$(now_ms)
	sipp_run reg-all "$RS_PORT" -sf "$SCEN/register.xml" -inf "$WORK/devices.csv" -t ui -ip_field 2 \
		-p $REG_LPORT -key lport $REG_LPORT -max_socket 4000 -r 40000 -l 200 -m "$DEVICES" \
		-recv_timeout 5000
	read -r ok failed _ < <(sipp_result reg-all)
	echo "registration of every device: $ok ok, $failed failed in $((($(now_ms) - t0) / 1000)) s; shm $(($(shm_stat real_used) / 1048576)) MB of $(($(shm_stat total) / 1048576)) MB" | tee -a "$OUT"

	# 2. the called devices and the follow-me entry answer / ring
	for ((i = 1; i <= 3; i++)); do
		sipp_run "uasreg-$i" "$RS_PORT" -sf "$SCEN/register.xml" -inf "$WORK/uas$i.csv" -t ui -ip_field 2 \
			-p "${UAS_PORTS[i - 1]}" -key lport "${UAS_PORTS[i - 1]}" -max_socket 10 -m 1 -recv_timeout 3000 ||
			msay "device ${i}300 did not register"
	done
	sipp_run uasreg-1800 "$RS_PORT" -sf "$SCEN/register.xml" -inf "$WORK/uas1800.csv" -t ui -ip_field 2 \
		-p "$FM_PORT" -key lport "$FM_PORT" -max_socket 10 -m 1 -recv_timeout 3000 ||
		msay "device 1800 did not register"
	local big=$((CALL_RATE * SECS * 2 + 1000)) buf
	buf=$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 1048576)
	for ((i = 1; i <= 4; i++)); do
		local pt=${UAS_PORTS[i - 1]:-$FM_PORT} dev=${i}300
		[ $i = 4 ] && pt=$FM_PORT dev=1800
		sipp_bg "uas-$dev" "$RS_PORT" -sf "$SCEN/$([ $i = 1 ] && echo uas_answer || echo uas_cancel).xml" \
			-i 127.0.0.1 -p "$pt" -s "$dev" -m "$big" -buff_size "$buf" -default_behaviors all,-abortunexp
		pids+=("$SIPP_PID")
		wait_bound "$pt" || msay "device $dev is not listening"
	done
	$KAMCMD followme.plan 300 >"$LOGDIR/plan-300.txt" 2>&1
	grep -q "sip:1800@" "$LOGDIR/plan-300.txt" || msay "the plan of 300 has no 1800: $LOGDIR/plan-300.txt"

	# 3. the watchers
	local wmsg=$WORK/watchers.msg
	$KAMCMD fork2mobile.set 600 off >/dev/null
	CP=$((CP + 1))
	sipp "127.0.0.1:$RS_PORT" -nostdin -sf "$RS_ROOT/tests/e2e/scenarios/watcher.xml" -m "$WATCHERS" -l "$WATCHERS" \
		-r 200 -s forkm600 -au 2600 -ap pw2600 -i 127.0.0.1 -p "$W_PORT" -key caller 2600 \
		-key domain "$SIP_DOMAIN" -cp "$CP" -buff_size "$buf" -trace_msg -message_file "$wmsg" \
		-timeout 900 >"$LOGDIR/watchers.out" 2>&1 &
	PIDS+=("$!")
	end=$((SECONDS + 60))
	until [ "$(grep -c '^NOTIFY ' "$wmsg" 2>/dev/null || :)" -ge "$WATCHERS" ] 2>/dev/null; do
		[ $SECONDS -lt $end ] || { msay "only $(grep -c '^NOTIFY ' "$wmsg") of $WATCHERS watchers subscribed"; break; }
		sleep 0.2
	done

	# 4. all at once: calls, refreshes, BLF changes; samples every 5 s
	echo "load: $CALL_RATE follow-me calls/s (open loop), $REG_RATE REGISTER refreshes/s, a Fork2Mobile change every $BLF_EVERY s to $WATCHERS watchers, for $SECS s" | tee -a "$OUT"
	d0=$(udp_drops)
	local kd0 kd1
	kd0=$(kam_sock_drops)
	k0=$(cpu_ticks $(kam_pids))
	m0=$(cpu_ticks $(db_pids))
	t0=$(now_ms)
	sipp_bg calls "$RS_PORT" -sf "$SCEN/uac_call.xml" -inf "$WORK/callers.csv" -t ui -ip_field 2 \
		-p $CALL_LPORT -key lport $CALL_LPORT -max_socket 1000 -s 300 -r "$CALL_RATE" -l 20000 \
		-m $((CALL_RATE * SECS)) -recv_timeout 10000 -buff_size "$buf" -default_behaviors all,-abortunexp \
		-trace_stat -stf "$WORK/calls-stat.csv" -fd 5
	local call_pid=$SIPP_PID
	sipp_bg refresh "$RS_PORT" -sf "$SCEN/register.xml" -inf "$WORK/devices.csv" -t ui -ip_field 2 \
		-p $REG_LPORT -key lport $REG_LPORT -max_socket 4000 -r "$REG_RATE" -l 2000 -m $((REG_RATE * SECS)) \
		-recv_timeout 10000 -buff_size "$buf" -trace_stat -stf "$WORK/refresh-stat.csv" -fd 5
	local reg_pid=$SIPP_PID
	r=0 c=$((t0 + BLF_EVERY * 1000))
	local changes=() next_sample=$((t0 + 5000)) u
	printf '%6s %10s %12s %12s %12s %10s %10s %12s\n' "t (s)" "calls ok" "calls failed" "shm MB" "pkg max KB" "UDP drops" "at Kam" "Kam CPU" | tee -a "$OUT"
	local kt=$k0 kt1
	while kill -0 "$call_pid" 2>/dev/null; do
		if [ "$(now_ms)" -ge $c ]; then
			r=$((r + 1))
			if [ $((r % 2)) = 1 ]; then want=c; else want=n; fi
			changes+=("$(now_ms) $want")
			$KAMCMD fork2mobile.set 600 "$([ $want = c ] && echo on || echo off)" >/dev/null 2>&1 ||
				msay "fork2mobile.set failed at change $r"
			c=$((c + BLF_EVERY * 1000))
		fi
		if [ "$(now_ms)" -ge $next_sample ]; then
			u=$(shm_stat real_used) p=$(pkg_max)
			[ "${u:-0}" -gt $shm_peak ] && shm_peak=$u
			[ "${p:-0}" -gt $pkg_peak ] && pkg_peak=$p
			s=$(stat_last "$WORK/calls-stat.csv")
			kt1=$(cpu_ticks $(kam_pids))
			printf '%6d %10s %12s %12d %12s %10d %10d %11s\n' $((($(now_ms) - t0) / 1000)) "${s% *}" "${s#* }" \
				$((${u:-0} / 1048576)) "$p" $(($(udp_drops) - d0)) $(($(kam_sock_drops) - kd0)) \
				"$(awk -v t=$((kt1 - kt)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz / 5 }')" | tee -a "$OUT"
			kt=$kt1
			next_sample=$((next_sample + 5000))
		fi
		sleep 0.1
		# the calls of the burst are sent by now: a bound on the drain
		[ "$(now_ms)" -lt $((t0 + SECS * 1000 + 60000)) ] || { msay "calls still running 60 s after the last was sent: stopped"; kill -TERM "$call_pid"; }
	done
	wait "$call_pid" 2>/dev/null
	t_end=$(now_ms)
	k1=$(cpu_ticks $(kam_pids))
	m1=$(cpu_ticks $(db_pids))
	d1=$(udp_drops)
	kd1=$(kam_sock_drops)
	wait "$reg_pid" 2>/dev/null
	shm_total=$(shm_stat total)
	u=$(shm_stat max_used)
	[ "${u:-0}" -gt $shm_peak ] && shm_peak=$u

	# 5. the results
	read -r ok failed < <(stat_last "$WORK/calls-stat.csv")
	read -r reg_ok reg_failed < <(stat_last "$WORK/refresh-stat.csv")
	local within=0 nchg=${#changes[@]} first last reached=()
	for c in "${changes[@]}"; do
		read -r t want <<<"$c"
		read -r first last < <(notifies "$wmsg" | awk -v t0="$t" -v w="$want" -v n="$WATCHERS" \
			'$1 >= t0 && $2 == w { c++; if (c == n) { print c, $1 - t0; exit } } END { if (c < n) print c + 0, -1 }')
		reached+=("$first")
		if [ "$last" -ge 0 ]; then
			lat+=("$last")
			[ "$last" -le 1000 ] && within=$((within + 1))
		else
			lat+=(99999)
		fi
	done
	local secs_run p50 pmax
	secs_run=$(awk -v a="$t0" -v b="$t_end" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
	p50=$(printf '%s\n' "${lat[@]:-}" | sort -n | awk 'NF { a[++n] = $1 } END { print (n ? a[int((n + 1) / 2)] : "-") }')
	pmax=$(printf '%s\n' "${lat[@]:-}" | sort -n | tail -n 1)
	{
		echo
		echo "| what | result |"
		echo "|---|---|"
		echo "| follow-me calls offered | $((CALL_RATE * SECS)) at $CALL_RATE/s over $SECS s |"
		echo "| calls answered / failed | $ok / $failed in $secs_run s: $(awk -v o="$ok" -v s="$secs_run" 'BEGIN { printf "%.0f", o / s }') calls/s achieved |"
		echo "| REGISTER refreshes ok / failed | $reg_ok / $reg_failed (offered $((REG_RATE * SECS)) at $REG_RATE/s) |"
		echo "| BLF changes: all $WATCHERS watchers notified within 1 s | $within of $nchg; to the last NOTIFY p50 $p50 ms, max $pmax ms (99999: not all notified); watchers reached per change: median $(printf '%s\n' "${reached[@]:-0}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'), fewest $(printf '%s\n' "${reached[@]:-0}" | sort -n | head -n 1) |"
		echo "| shm peak / total | $((shm_peak / 1048576)) MB / $((${shm_total:-0} / 1048576)) MB |"
		echo "| largest pkg of a process (of ${PKG_MB:-16} MB) | $pkg_peak KB |"
		echo "| Kamailio CPU | $(awk -v t=$((k1 - k0)) -v hz="$hz" -v s="$secs_run" -v n="$(nproc)" 'BEGIN { printf "%.2f of %d cores busy", t / hz / s, n }'); per answered call $(awk -v t=$((k1 - k0)) -v hz="$hz" -v o="$ok" 'BEGIN { printf "%.1f ms", (o ? t / hz * 1000 / o : 0) }') |"
		echo "| MariaDB CPU | $(awk -v t=$((m1 - m0)) -v hz="$hz" -v s="$secs_run" 'BEGIN { printf "%.2f cores busy", t / hz / s }') |"
		echo "| UDP datagrams dropped (receive buffers full), machine-wide | $((d1 - d0)), $((kd1 - kd0)) of them at Kamailio's socket (the rest at the sipp phones) |"
		echo "| Kamailio ERROR/CRITICAL lines | $(grep -cE ' (ERROR|CRITICAL):' "$VAR_DIR/kamailio.log") |"
		echo
		echo "most frequent Kamailio errors:"
		grep -E ' (ERROR|CRITICAL):' "$VAR_DIR/kamailio.log" | sed -E 's/^ *[0-9]+\([0-9]+\) //; s/0x[0-9a-f]+/0x../g; s/[0-9]+/N/g' |
			cut -c1-110 | sort | uniq -c | sort -rn | head -n 5
		echo "logs: $LOGDIR, $VAR_DIR/kamailio.log"
	} | tee -a "$OUT"
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	kam_down ringset moon
}

[ "${BASH_SOURCE[0]}" != "$0" ] || moon_main "$@"
