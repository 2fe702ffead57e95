# Ringset: what the benchmark scripts share. Sourced after they set STACK
# and PIDS (the sipp processes they start, stopped here by PID on exit).

bench_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	"$STACK" stop >/dev/null 2>&1
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

sql() { rs_mysql -N -B -e "$1"; }
