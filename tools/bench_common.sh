# Ringset: what the benchmark scripts share. Sourced after they set STACK
# and PIDS (the sipp processes they start, stopped here by PID on exit;
# KAM_PIDS, if a script keeps it: Kamailio nodes, checked after the stop).

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
