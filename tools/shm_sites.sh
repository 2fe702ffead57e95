#!/usr/bin/env bash
# Ringset: where a call's extra shared memory goes, from two
# `kamcmd mod.mem_statsx all shm` files of the follow-me bench
# (BENCH_SHMSTATS=1 keeps one per burst: work/shm-<side>-<round>.txt).
#   tools/shm_sites.sh CALLS BASE.txt OTHER.txt [MIN_BYTES]
# Prints, per module and allocation site, the bytes and allocations per
# call that OTHER holds more (or fewer) than BASE, largest first, sites
# under MIN_BYTES (default 16) a call left out, then the totals. The bytes
# are those requested: the allocator adds its block header to each
# allocation besides, so the count matters as much as the size.
set -uo pipefail

CALLS=${1:?usage: shm_sites.sh CALLS BASE.txt OTHER.txt [MIN_BYTES]}
BASE=${2:?usage: shm_sites.sh CALLS BASE.txt OTHER.txt [MIN_BYTES]}
OTHER=${3:?usage: shm_sites.sh CALLS BASE.txt OTHER.txt [MIN_BYTES]}
MIN=${4:-16}
for f in "$BASE" "$OTHER"; do
	grep -q '^Module: ' "$f" || { echo "shm_sites: $f is not mod.mem_statsx output" >&2; exit 1; }
done

echo "    bytes  allocs  module site (per call, OTHER less BASE)"
# kamcmd prints "Module: tm" then "{", then "\tsite(line): bytes (count)"
awk -v n="$CALLS" -v min="$MIN" '
	FNR == 1 { side = (FILENAME == ARGV[1]) ? 0 : 1 }
	/^Module: / { mod = $2; next }
	/^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*\([0-9]+\): / && mod != "" {
		site = $1; sub(/:$/, "", site)
		if (site == "Total") next
		k = mod " " site
		b[k, side] += $2
		c = $3; gsub(/[()]/, "", c)
		a[k, side] += c
		keys[k] = 1
	}
	END {
		for (k in keys) {
			db = (b[k, 1] - b[k, 0]) / n; da = (a[k, 1] - a[k, 0]) / n
			tb += db; ta += da
			if (db >= min || db <= -min)
				printf "%9.0f %7.2f  %s\n", db, da, k | "sort -k1,1nr"
		}
		close("sort -k1,1nr")
		printf "%9.0f %7.2f  total, bytes and allocations a call\n", tb, ta
	}' "$BASE" "$OTHER"
