#!/usr/bin/env bash
# Ringset soak test (`make soak`, not in `make test`): SOAK_SECONDS (600) of
# mixed traffic on one private stack: calls that fork to three devices,
# calls that go through a follow-me step, Fork2Mobile feature codes (each a
# BLF change NOTIFYed to the watchers), BLF subscriptions, re-REGISTERs,
# hot-desk logins and logouts over JSON-RPC. Every 30 s it samples Kamailio's
# shared memory and the private memory (pkg) and RSS of every process, prints
# the samples as a table, and fails when a call failed or memory grew after
# the warm-up (the first SOAK_WARMUP s).
SIP_PORT=${SIP_PORT:-$((27160 + ${RS_PORT_OFFSET:-0}))}
export VAR_DIR=${VAR_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/build/soak}
SECS=${SOAK_SECONDS:-600}
# every sipp of the soak runs for all of it
E2E_TIMEOUT=$((SECS + 120))
. "$(dirname "$0")/../e2e/lib.sh"

WARMUP=${SOAK_WARMUP:-120}
EVERY=${SOAK_SAMPLE:-30}
CALL_RATE=${SOAK_CALL_RATE:-6}   # calls/s forking to three devices
FM_RATE=${SOAK_FM_RATE:-2}       # calls/s through a follow-me step
CODE_RATE=${SOAK_CODE_RATE:-1}   # feature codes/s (each a BLF change)
REG_RATE=${SOAK_REG_RATE:-5}     # REGISTERs/s
SHM_GROWTH_KIB=${SOAK_SHM_GROWTH_KIB:-2048}
PKG_GROWTH_KIB=${SOAK_PKG_GROWTH_KIB:-256}
P=127.0.0.1
PH=$((SIP_PORT + 100))
MEDIA_IP=$(rs_uri_host "$MEDIA_URI") MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")
URL=http://$SIP_ADDR:$PROV_PORT
T1=hotdesk-0004f2000001 PIN=739173917391

e2e_start
add_user 200 "Alice Caller"; add_device 1200 pw1200 200; add_device 2200 pw2200 200
add_user 300 "Carol Fork"
for d in 1300 2300 3300; do add_device $d pw$d 300; done
add_user 400 "Dan Followme"; add_device 1400 pw1400 400 # never registered
add_user 500 "Erin Step2"; add_device 1500 pw1500 500
sql "INSERT INTO rs_followme (extension, position, target, mode, ring_seconds)
	VALUES ('400', 1, '500', 'serial', 20)"
add_user 600 "Frank Mobile"; add_device 1600 pw1600 600
sql "UPDATE rs_user SET mobile = '01701234567', hotdesk = 1 WHERE extension = '600'"
set_pin 600 $PIN
for w in 1 2 3 4 5; do add_device 170$w pw170$w 200; done # BLF keys
sql "INSERT INTO subscriber (username, domain, password) VALUES ('$T1', '$SIP_DOMAIN', 'tpw1');
	INSERT INTO rs_device (username, domain, extension, kind, mac)
	VALUES ('$T1', '$SIP_DOMAIN', NULL, 'hotdesk_terminal', '0004f2000001')"
kam userdev.reload >/dev/null
for d in 1300:1 2300:2 3300:3 1500:5 1600:6 1200:7 2200:8; do
	register "${d%:*}" "pw${d%:*}" $P $((PH + ${d#*:})) || { echo "soak: registration failed"; exit 1; }
done

N_CALLS=$((CALL_RATE * SECS)) N_FM=$((FM_RATE * SECS)) N_CODES=$((CODE_RATE * SECS))
N_REG=$((REG_RATE * SECS))
UACS=()
# the devices: 1300 answers, 2300 and 3300 ring and are cancelled
sipp_bg soak-1300 -sf "$SCEN/uas_answer.xml" -m $((N_CALLS + 10)) -i $P -p $((PH + 1)) -default_behaviors all,-abortunexp
sipp_bg soak-2300 -sf "$SCEN/uas_cancel.xml" -m $((N_CALLS + 10)) -i $P -p $((PH + 2)) -default_behaviors all,-abortunexp
sipp_bg soak-3300 -sf "$SCEN/uas_cancel.xml" -m $((N_CALLS + 10)) -i $P -p $((PH + 3)) -default_behaviors all,-abortunexp
sipp_bg soak-1500 -sf "$SCEN/uas_answer.xml" -m $((N_FM + 10)) -i $P -p $((PH + 5)) -default_behaviors all,-abortunexp
sipp_bg soak-media -sf "$SCEN/uas_announce.xml" -m $((N_CODES + 10)) -i "$MEDIA_IP" -p "$MEDIA_PORT" -default_behaviors all,-abortunexp
for w in 1 2 3 4 5; do
	sipp_bg soak-watch$w -sf "$SCEN/watcher.xml" -m 1 -s forkm600 -au 170$w -ap pw170$w \
		-key caller 170$w -i $P -p $((PH + 10 + w))
done
for p in 1 2 3 5; do wait_bound $P $((PH + p)); done
wait_bound "$MEDIA_IP" "$MEDIA_PORT"

# -abortunexp off: in a fork, the 180 of a device that is being cancelled
# can reach the caller after the 200 (two Kamailio workers relay the two
# replies at once); a phone ignores it, sipp would abort the call
sipp_bg soak-calls -sf "$SCEN/uac_call.xml" -m $N_CALLS -r $CALL_RATE -s 300 -au 1200 \
	-ap pw1200 -key caller 1200 -key xhdr "X-Soak: fork" -i $P -p $((PH + 7)) -d 200 \
	-default_behaviors all,-abortunexp
UACS+=("$SIPP_PID:calls to 300 (three devices)")
sipp_bg soak-fm -sf "$SCEN/uac_call.xml" -m $N_FM -r $FM_RATE -s 400 -au 2200 \
	-ap pw2200 -key caller 2200 -key xhdr "X-Soak: followme" -i $P -p $((PH + 8)) -d 200
UACS+=("$SIPP_PID:calls to 400 (follow-me step 2)")
sipp_bg soak-codes -sf "$SCEN/uac_announced.xml" -m $N_CODES -r $CODE_RATE -s '*50*' \
	-au 1600 -ap pw1600 -key caller 1600 -i $P -p $((PH + 9))
UACS+=("$SIPP_PID:*50* (Fork2Mobile toggles, BLF)")
sipp_bg soak-reg -sf "$SCEN/register.xml" -m $N_REG -r $REG_RATE -s 1500 -au 1500 \
	-ap pw1500 -i $P -p $((PH + 20)) -key expires 3600
UACS+=("$SIPP_PID:REGISTERs")

# hot-desk login / logout every 5 s, as the media server does
(
	end=$((SECONDS + SECS))
	while [ $SECONDS -lt $end ]; do
		curl -s --max-time 5 --interface "$MEDIA_IP" -H 'Content-Type: application/json' \
			-d "{\"jsonrpc\":\"2.0\",\"method\":\"hotdesk.login\",\"params\":[\"$T1\",\"600\",\"$PIN\"],\"id\":1}" \
			"$URL/RPC" | grep -q logged-in || echo "soak: a hot-desk login failed" >&2
		sleep 2.5
		$KAMCMD hotdesk.logout 600 >/dev/null 2>&1
		sleep 2.5
	done
) &
HD=$!
E2E_PIDS+=("$HD")

# sample: seconds shm_used pkg_sum pkg_max rss_sum (KiB)
sample() {
	local shm pkg rss
	shm=$($KAMCMD core.shmmem | awk '$1 == "real_used:" { print int($2 / 1024) }')
	pkg=$($KAMCMD pkg.stats | awk '$1 == "real_used:" { s += $2; if ($2 > m) m = $2 }
		END { printf "%d %d", s / 1024, m / 1024 }')
	rss=$(ps -o rss= --sid "$(cat "$VAR_DIR/kamailio.pid")" | awk '{ s += $1 } END { print s }')
	echo "$1 $shm $pkg $rss"
}
SAMPLES=$VAR_DIR/samples.txt
: >"$SAMPLES"
t0=$SECONDS
while [ $((SECONDS - t0)) -le $SECS ]; do
	sample $((SECONDS - t0)) >>"$SAMPLES"
	sleep "$EVERY"
done
kill -TERM $HD 2>/dev/null

rc=0
for u in "${UACS[@]}"; do
	pid=${u%%:*}
	if ! wait "$pid"; then
		echo "soak: FAILED: ${u#*:} (sipp exit $?)"
		rc=1
	fi
done
sample "end" >>"$SAMPLES"
echo
echo "Kamailio memory every ${EVERY} s (KiB): shared memory used; private (pkg) memory used, all processes and the largest; RSS of all processes"
printf '%8s %10s %10s %10s %10s\n' t shm pkg_sum pkg_max rss_sum
while read -r t shm ps pm rss; do printf '%8s %10s %10s %10s %10s\n' "$t" "$shm" "$ps" "$pm" "$rss"; done <"$SAMPLES"
echo
echo "sipp (calls, follow-me calls, feature codes, REGISTERs): successful / failed"
for f in "$LOGDIR"/soak-{calls,fm,codes,reg}-*.out; do
	printf '  %-28s %s\n' "$(basename "$f" .out)" "$(awk '/Successful call/ { s = $NF } /Failed call/ { f = $NF } END { print s " / " f }' "$f")"
done
# growth after the warm-up: the first sample at or after WARMUP against the last
read -r w_shm w_pm < <(awk -v w="$WARMUP" '$1 != "end" && $1 >= w { print $2, $4; exit }' "$SAMPLES")
read -r l_shm l_pm < <(awk '$1 != "end" { s = $2; p = $4 } END { print s, p }' "$SAMPLES")
if [ -n "${w_shm:-}" ]; then
	echo "after warm-up (t >= ${WARMUP} s): shm $((l_shm - w_shm)) KiB, largest pkg $((l_pm - w_pm)) KiB"
	[ $((l_shm - w_shm)) -le "$SHM_GROWTH_KIB" ] || { echo "soak: FAILED: shared memory grew"; rc=1; }
	[ $((l_pm - w_pm)) -le "$PKG_GROWTH_KIB" ] || { echo "soak: FAILED: private memory grew"; rc=1; }
fi
kam_alive || { echo "soak: FAILED: Kamailio died"; rc=1; }
[ $rc = 0 ] && echo "soak: 1 passed, 0 failed" || echo "soak: 0 passed, 1 failed"
exit $rc
