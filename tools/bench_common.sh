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
