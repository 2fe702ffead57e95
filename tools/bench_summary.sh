#!/usr/bin/env bash
# Ringset: the one table of `make bench` from the results file the bench
# scripts write (bench_result, tools/bench_common.sh): one line per case,
# "case<TAB>metric<TAB>ringset<TAB>stock<TAB>ringset CPU/op<TAB>stock CPU/op".
#   tools/bench_summary.sh RESULTS [START_EPOCH [LOAD_AT_START]]
# Prints a Markdown table (as the README shows it), then the machine, the
# load and the date.
set -uo pipefail

RESULTS=${1:?usage: bench_summary.sh RESULTS [START_EPOCH [LOAD_AT_START]]}
START=${2:-}
LOAD0=${3:-}
[ -s "$RESULTS" ] || { echo "bench-summary: no results in $RESULTS" >&2; exit 1; }

echo "| case | metric | Ringset | stock | ratio | Kamailio CPU/op, Ringset | stock |"
echo "|---|---|---|---|---|---|---|"
awk -F'\t' '
	function num(x) { return x ~ /^[0-9]+(\.[0-9]+)?$/ }
	function cpu(x) { if (!num(x)) return "-"; return x >= 10000 ? sprintf("%.1f ms", x / 1000) : x " us" }
	NF >= 4 {
		r = (num($3) && num($4) && $4 > 0) ? sprintf("%.2fx", $3 / $4) : "-"
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, r, cpu($5), cpu($6)
	}' "$RESULTS"
echo
model=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
echo "machine: $(nproc) CPUs ($model), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM; load average${LOAD0:+ at the start $LOAD0,} at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')${START:+; make bench took $((($(date +%s) - START) / 60)) min $((($(date +%s) - START) % 60)) s}"
echo
echo "ratio: Ringset / stock (rates: higher is better for Ringset; ms: lower is); CPU/op: Kamailio's CPU time (all processes) per REGISTER, call or NOTIFY"
