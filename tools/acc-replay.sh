#!/usr/bin/env bash
# Ringset: the CDRs Kamailio wrote to its log while the database was down
# (acc NOTICE lines "ACC: transaction answered|failed: ..." and "ACC: call
# missed: ..."; kamailio.cfg route[ACC]) go into acc and missed_calls.
#   tools/acc-replay.sh [LOG]      (default VAR_DIR/kamailio.log)
# The bytes of LOG already replayed are kept in VAR_DIR/acc-replay.pos, so
# running it again adds only what came since. Rows are loaded with LOAD DATA
# from a tab-separated file: no SQL is built from the logged values.
set -euo pipefail
. "$(dirname "$0")/env.sh"

LOG=${1:-$VAR_DIR/kamailio.log}
POS=$VAR_DIR/acc-replay.pos
[ -f "$LOG" ] || { echo "acc-replay: no log $LOG" >&2; exit 1; }
pos=$(cat "$POS" 2>/dev/null || echo 0)
[[ "$pos" =~ ^[0-9]+$ ]] || pos=0
size=$(stat -c %s "$LOG")
[ "$size" -ge "$pos" ] || pos=0 # a new log

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# complete lines only: a line being written is read next time
tail -c +"$((pos + 1))" "$LOG" | head -c "$((size - pos))" >"$work/new"
if [ -s "$work/new" ] && [ "$(tail -c 1 "$work/new" | od -An -c | tr -d ' ')" != '\n' ]; then
	sed -i '$ d' "$work/new"
fi
used=$(stat -c %s "$work/new")

awk -v acc="$work/acc.tsv" -v missed="$work/missed.tsv" '
	function esc(v) { gsub(/\\/, "\\\\", v); gsub(/\t/, "\\t", v); return v }
	/ ACC: (transaction answered|transaction failed|call missed): / {
		out = ($0 ~ / ACC: call missed: /) ? missed : acc
		s = $0; sub(/^.* ACC: [a-z ]+: /, "", s)
		delete f
		n = split(s, kv, ";")
		for (i = 1; i <= n; i++) {
			p = index(kv[i], "=")
			if (p > 0) f[substr(kv[i], 1, p - 1)] = substr(kv[i], p + 1)
		}
		if (f["timestamp"] !~ /^[0-9]+$/) next
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", esc(f["method"]),
			esc(f["from_tag"]), esc(f["to_tag"]), esc(f["call_id"]), esc(f["code"]),
			esc(f["reason"]), f["timestamp"], esc(f["src_user"]), esc(f["src_device"]),
			esc(f["dst_user"]), esc(f["dst_device"]) >> out
	}' "$work/new"

load() {
	[ -s "$1" ] || return 0
	rs_mysql --local-infile=1 -e "LOAD DATA LOCAL INFILE '$1' INTO TABLE $2
		(method, from_tag, to_tag, callid, sip_code, sip_reason, @ts,
		 src_user, src_device, dst_user, dst_device)
		SET time = FROM_UNIXTIME(@ts)"
	echo "acc-replay: $(wc -l <"$1") rows into $2"
}
load "$work/acc.tsv" acc
load "$work/missed.tsv" missed_calls
echo $((pos + used)) >"$POS"
