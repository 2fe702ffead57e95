#!/usr/bin/env bash
# Ringset BLF benchmark (issue 4): BENCH_WATCHERS (100) watchers (BLF keys)
# of forkm600, then Fork2Mobile changed by RPC ROUNDS times; for each change,
# the time from the RPC to the first and to the last NOTIFY that shows the
# new state. sipp plays the watchers (one process, every subscription, one
# message log with timestamps). Not part of `make test`.
set -uo pipefail

RS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCEN=$RS_ROOT/tests/e2e/scenarios
STACK=$RS_ROOT/tools/stack.sh
export VAR_DIR=${BENCH_DIR:-$RS_ROOT/build/bench-blf}
export SIP_PORT=${BENCH_SIP_PORT:-$((45460 + ${RS_PORT_OFFSET:-0}))}
. "$RS_ROOT/tools/env.sh"
WATCHERS=${BENCH_WATCHERS:-100}
ROUNDS=${BENCH_ROUNDS:-5}
PIDS=()
. "$RS_ROOT/tools/bench_common.sh"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# NOTIFY arrival times (ms) and their state (c = confirmed, n = no dialog)
notifies() {
	awk '/^-+ [0-9]{4}-[0-9]{2}-[0-9]{2} / { ts = $2 " " $3; next }
		/^(UDP|TCP) message received/ { rx = 1; next }
		/^(UDP|TCP) message sent/ { rx = 0; next }
		rx && /^NOTIFY / { n = ts; st = "n" }
		rx && n != "" && /<state>confirmed/ { st = "c" }
		rx && n != "" && /<\/dialog-info>|<dialog-info.*\/>/ { print n "|" st; n = "" }' "$1" |
		while IFS='|' read -r ts st; do echo "$(($(date -d "$ts" +%s%N) / 1000000)) $st"; done
}

rm -rf "$VAR_DIR"; mkdir -p "$VAR_DIR"
"$STACK" db-start >/dev/null && "$STACK" db-init >/dev/null && "$STACK" kam-start >/dev/null ||
	{ echo "bench-blf: the stack did not start"; exit 1; }
sql "INSERT INTO rs_user (extension, domain, display_name, mobile)
	VALUES ('600', '$SIP_DOMAIN', 'Frank', '01701234567');
	INSERT INTO subscriber (username, domain, password) VALUES ('2600', '$SIP_DOMAIN', 'pw2600');
	INSERT INTO rs_device (username, domain, extension, kind) VALUES ('2600', '$SIP_DOMAIN', '600', 'static')"
$KAMCMD userdev.reload >/dev/null

MSG=$VAR_DIR/watchers.msg
sipp "$SIP_ADDR:$SIP_PORT" -nostdin -sf "$SCEN/watcher.xml" -m "$WATCHERS" -l "$WATCHERS" \
	-r 200 -s forkm600 -au 2600 -ap pw2600 -i 127.0.0.1 -p $((SIP_PORT + 1001)) \
	-key caller 2600 -key domain "$SIP_DOMAIN" -cp $((SIP_PORT + 2001)) \
	-buff_size "$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 1048576)" \
	-trace_msg -message_file "$MSG" -timeout 600 >"$VAR_DIR/sipp.out" 2>&1 &
PIDS+=($!)
end=$(($(now_ms) + 30000))
until [ "$(notifies "$MSG" | wc -l)" -ge "$WATCHERS" ]; do
	[ "$(now_ms)" -lt $end ] || { echo "bench-blf: only $(notifies "$MSG" | wc -l) watchers subscribed"; exit 1; }
	sleep 0.1
done

printf '\n%-8s %-6s %14s %14s\n' round state "first NOTIFY" "NOTIFY #$WATCHERS"
lasts=()
for r in $(seq 1 "$ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then want=c; arg=on; else want=n; arg=off; fi
	before=$(notifies "$MSG" | wc -l)
	t0=$(now_ms)
	$KAMCMD fork2mobile.set 600 $arg >/dev/null
	end=$((t0 + 10000))
	until [ "$(notifies "$MSG" | awk -v t0="$t0" -v w="$want" '$1 >= t0 && $2 == w' | wc -l)" -ge "$WATCHERS" ]; do
		[ "$(now_ms)" -lt $end ] || { echo "bench-blf: round $r: not every watcher was notified"; exit 1; }
		sleep 0.05
	done
	read -r first last < <(notifies "$MSG" | awk -v t0="$t0" -v w="$want" '$1 >= t0 && $2 == w { if (!f) f = $1; l = $1 } END { print f - '"$t0"', l - '"$t0"' }')
	printf '%-8s %-6s %11d ms %11d ms\n' "$r" "$arg" "$first" "$last"
	lasts+=("$last")
	sleep 0.4 # the publisher keeps 300 ms between two PUBLISHes of one key
done
med=$(printf '%s\n' "${lasts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "BLF forkm600, $WATCHERS watchers: state change to the last NOTIFY, median of $ROUNDS: $med ms"
