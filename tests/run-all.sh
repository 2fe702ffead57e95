#!/usr/bin/env bash
# Ringset: every test, unit and end to end, then one summary line
# "N passed, N failed". Each part prints its own "<part>: N passed, N failed";
# a part that dies before its summary counts as one failure.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${RS_BUILD:-$ROOT/build}
pass=0
fail=0
t0=$SECONDS

# run_part NAME CMD...: runs CMD, echoes its output, adds its counts
run_part() {
	local name=$1 out rc counted=0 p f
	shift
	echo "== $name"
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	while read -r p f; do
		pass=$((pass + p))
		fail=$((fail + f))
		counted=1
	done < <(sed -nE 's/^.*: ([0-9]+) passed, ([0-9]+) failed.*$/\1 \2/p' "$out")
	rm -f "$out"
	if [ $counted -eq 0 ]; then
		echo "$name: no summary (exit $rc), counted as one failure"
		fail=$((fail + 1))
	fi
	return 0
}

cfg_check() {
	local out
	if out=$(tools/stack.sh kam-check 2>&1) && grep -q "config file ok" <<<"$out"; then
		echo "cfg: 1 passed, 0 failed"
	else
		echo "$out" | tail -20
		echo "cfg: 0 passed, 1 failed"
	fi
}

unit_part() {
	local rc=0
	make -s -C tests/unit BUILD="$BUILD" check-valgrind || rc=1
	[ $rc -eq 0 ] || echo "valgrind: 0 passed, 1 failed"
	rc=0
	make -s -C tests/unit BUILD="$BUILD" check-asan || rc=1
	[ $rc -eq 0 ] || echo "asan: 0 passed, 1 failed"
	return 0
}

# what ASan/UBSan reported in the Kamailio processes of the e2e tests
asan_reports() {
	local f n=0
	for f in "$BUILD"/e2e/*/asan.*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		echo "--- $f"
		head -n 40 "$f"
	done
	echo "asan reports: $([ $n = 0 ] && echo 1 || echo 0) passed, $n failed"
}

# "e2e": the end-to-end tests only (make test-asan)
if [ "${1:-}" != e2e ]; then
	run_part "unit tests (valgrind, ASan)" unit_part
	run_part "kamailio.cfg check" cfg_check
fi
for t in tests/e2e/t[0-9]*.sh; do
	run_part "end to end: $(basename "$t" .sh)" "$t"
done
[ "${RS_ASAN:-0}" = 1 ] && run_part "ASan/UBSan in Kamailio" asan_reports

echo "== $((SECONDS - t0)) s"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
