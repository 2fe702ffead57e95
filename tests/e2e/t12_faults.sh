#!/usr/bin/env bash
# Faults (issue 16): MariaDB stopped during traffic and started again (a
# REGISTER whose auth_db query fails before the poller saw the outage);
# Kamailio killed with SIGKILL and started again (registrations,
# Fork2Mobile, hot-desk sessions); a liveness check that sees a dead or
# half-dead Kamailio; RTPengine and the media server restarted in the
# middle of a call; Kamailio started while the database is down.
SIP_PORT=${SIP_PORT:-$((26460 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
MEDIA_IP=$(rs_uri_host "$MEDIA_URI") MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")
GW_IP=$(rs_uri_host "$GATEWAY_URI") GW_PORT=$(rs_uri_port "$GATEWAY_URI")
PH=$((SIP_PORT + 100)) # phones
MP=$((SIP_PORT + 200)) # sipp media
T1=hotdesk-0004f2000001 PIN600=739173917391
now_ms() { echo $(($(date +%s%N) / 1000000)); }
status() { kam userdev.status | awk -v f="$1:" '$1 == f { print $2 }'; }
# wait_until SECONDS CMD...: polls CMD (the event) until a deadline
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}
# step WHAT CMD...: CMD, logging WHAT when it fails
step() { local w=$1; shift; "$@" || { e2e_log "failed: $w"; return 1; }; }
log_errors() { grep -c " ERROR: \| CRITICAL: " "$VAR_DIR/kamailio.log"; }
location_has() { [ "$(sql "SELECT COUNT(*) FROM location WHERE username = '$1' AND contact LIKE '%:$2%'")" -ge 1 ]; }

add_user 200 "Alice Able" 4940111200
add_device 1200 pw1200 200
add_user 300 "Carol Cole" 4940111300
add_device 1300 pw1300 300
add_device 2300 pw2300 300
add_user 600 "Frank Desk" 4940111600
add_device 1600 pw1600 600
sql "UPDATE rs_user SET mobile = '01701234567', hotdesk = 1 WHERE extension = '600'"
set_pin 600 $PIN600
sql "INSERT INTO subscriber (username, domain, password) VALUES ('$T1', '$SIP_DOMAIN', 'tpw1');
	INSERT INTO rs_device (username, domain, extension, kind, mac)
	VALUES ('$T1', '$SIP_DOMAIN', NULL, 'hotdesk_terminal', '0004f2000001')"
kam userdev.reload >/dev/null
register 1200 pw1200 $P $((PH + 1)) && register 1300 pw1300 $P $((PH + 3)) ||
	{ echo "registration failed"; exit 1; }

# calls 1200 -> 300 answered by 1300: N calls at R per second, background
traffic() {
	local n=$1 r=$2
	sipp_bg uas-1300 -sf "$SCEN/uas_answer.xml" -m "$n" -i $P -p $((PH + 3))
	TRAFFIC_UAS=$SIPP_PID
	wait_bound $P $((PH + 3))
	sipp_bg uac-traffic -sf "$SCEN/uac_call.xml" -m "$n" -r "$r" -s 300 -au 1200 \
		-ap pw1200 -i $P -p $((PH + 11)) -key caller 1200 -key xhdr "X-Test: t12" -d 100
	TRAFFIC_UAC=$SIPP_PID
}

t_baseline() {
	traffic 3 10
	wait_pid $TRAFFIC_UAC && wait_pid $TRAFFIC_UAS
}
check "baseline: calls 1200 -> 300 are answered" t_baseline

# --- a REGISTER in the moment the database went away -----------------------

# pid of the Kamailio process core.psx describes as $1
kam_proc() { kam core.psx | awk -v d="$1" '/PID:/ { pid = $NF } /DSC:/ { sub(/^[^:]*: */, ""); if ($0 == d) { print pid; exit } }'; }

t_auth_unnoticed() {
	local poller rc=0 msg
	# the poller is held, so the database goes away unnoticed: a query
	# would be the first to fail, but phones authenticate from the HA1s in
	# memory (htable creds, every subscriber row) and ask none
	poller=$(kam_proc "userdev poller")
	[ -n "$poller" ] || { e2e_log "no userdev poller in core.psx"; return 1; }
	kill -STOP "$poller"
	"$STACK" db-stop || rc=1
	kam userdev.status | grep -q "database: up" || { e2e_log "the outage was seen already"; rc=1; }
	register 1300 pw1300 $P $((PH + 3)) || { e2e_log "REGISTER of 1300 failed"; rc=1; }
	msg=$SIPP_MSG
	kill -CONT "$poller"
	# what crossed the wire: 401, 200
	[ "$(grep -c '^SIP/2.0 401' "$msg")" = 1 ] && [ "$(grep -c '^SIP/2.0 200' "$msg")" = 1 ] ||
		{ e2e_log "replies: $(grep '^SIP/2.0' "$msg" | tr -d '\r' | tr '\n' ';')"; rc=1; }
	! grep -q "get_ha1(): failed to query database" "$VAR_DIR/kamailio.log" ||
		{ e2e_log "auth_db queried the database"; rc=1; }
	kam userdev.show 1300 | grep -q "sip:1300@$P:$((PH + 3))" || rc=1
	"$STACK" db-start || rc=1
	wait_until 10 bash -c "$KAMCMD userdev.status | grep -q 'database: up'" || rc=1
	return $rc
}
check "the database gone before the poller saw it: a phone authenticates from the HA1s in memory (401, 200), no query" t_auth_unnoticed

# --- MariaDB stopped during traffic --------------------------------------

t_db_stop_traffic() {
	local rc=0 msg failed
	traffic 40 8 # 5 s of calls
	msg=$SIPP_MSG
	# the first call of this run is answered, then MariaDB goes
	step "a first answered call" wait_until 10 grep -q "^SIP/2.0 200 OK" "$msg" || rc=1
	"$STACK" db-stop || rc=1
	wait_pid $TRAFFIC_UAC
	wait_pid $TRAFFIC_UAS
	failed=$(awk '/Failed call/ { print $NF }' "${msg%.msg}.out")
	# KNOWN (since digest nonce counting): a call in the second before the
	# poller sees the database down gets 500; auth_db's failed query has
	# counted the nonce, so the cached HA1 cannot be checked on it
	e2e_log "$failed of 40 calls failed (500 in the poller's detection window)"
	[ "${failed:-99}" -le 10 ] || rc=1
	wait_until 5 bash -c "$KAMCMD userdev.status | grep -q 'database: down'" || rc=1
	return $rc
}
check "MariaDB stopped during 40 calls: the calls after the poller saw it are answered (routing from the caches)" t_db_stop_traffic

# ERROR lines of the SIP and async workers (ranks 1-4, 8-9, 19-20: not the
# timers, which retry the database on their own schedule)
worker_errors() {
	grep -cE '^ *([1-4]|8|9|19|20)\([0-9]+\) (ERROR|CRITICAL):' "$VAR_DIR/kamailio.log"
}

t_db_down_calls() {
	local e0 e1 a cid
	e0=$(worker_errors)
	phone 1300 $P $((PH + 3)) uas_answer.xml; a=$SIPP_PID
	call 1200 pw1200 $P $((PH + 12)) 300 && wait_pid $a || return 1
	cid=$(call_id "$LOGDIR/$SIPP_NAME.msg")
	DOWN_CID=$cid
	e1=$(worker_errors)
	e2e_log "one call with the database down: $((e1 - e0)) ERROR lines," \
		"$(grep -c "ACC: .*call_id=$cid;" "$VAR_DIR/kamailio.log") ACC lines (its CDRs)"
	# one CDR per call: the BYE's, with both sides and the answer time
	[ $((e1 - e0)) = 0 ] &&
		grep -q "NOTICE: acc .*ACC: transaction answered: .*method=BYE;.*call_id=$cid;code=200;.*src_user=200;src_device=1200;dst_user=300;dst_device=1300;call_start=[0-9]" \
			"$VAR_DIR/kamailio.log" &&
		! grep -q "ACC: transaction answered: .*method=INVITE;.*call_id=$cid;" "$VAR_DIR/kamailio.log"
}
check "with the database down, a call is answered, logs no ERROR, its CDR goes to the log" t_db_down_calls

t_db_down_register() {
	# a registration with the database down: authenticated from the cached
	# credentials, kept in memory
	register 1300 pw1300 $P $((PH + 4)) &&
		kam userdev.show 1300 | grep -q "sip:1300@$P:$((PH + 4))" &&
		! location_has 1300 $((PH + 4)) 2>/dev/null
}
check "with the database down, a REGISTER is accepted and kept in memory" t_db_down_register

t_db_down_state() {
	local out
	# refused, not queued: the state lives in rs_user, nothing changes
	out=$(kam fork2mobile.set 600 on 2>&1)
	echo "$out" | grep -q "500 - database unreachable: nothing changed" ||
		{ e2e_log "fork2mobile.set: $out"; return 1; }
	step "one WARNING when the database went away" \
		grep -q "database unreachable: routing goes on" "$VAR_DIR/kamailio.log"
}
check "with the database down, fork2mobile.set is refused with a clear error and changes nothing" t_db_down_state

t_db_back() {
	local t0
	t0=$(now_ms)
	"$STACK" db-start || return 1
	wait_until 10 bash -c "$KAMCMD userdev.status | grep -q 'database: up'" || return 1
	e2e_log "the directory sees the database again $(($(now_ms) - t0)) ms after it started"
	grep -q "database reachable again" "$VAR_DIR/kamailio.log" || return 1
	# writes resume: a state change, a SQL change, the registration made
	# meanwhile reaches the location table (usrloc writes back every 10 s)
	step "the refused change was not kept" \
		bash -c "$KAMCMD fork2mobile.get 600 | grep -q 'state: off'" &&
		kam fork2mobile.set 600 on >/dev/null &&
		[ "$(sql "SELECT fork2mobile FROM rs_user WHERE extension = '600'")" = 1 ] &&
		add_user 700 "Gus Late" && wait_directory 700 5 &&
		wait_until 20 location_has 1300 $((PH + 4))
}
check "MariaDB back: the poller reconnects, state changes and SQL changes work, the in-memory registration is written" t_db_back

t_acc_replay() {
	local out n
	[ -n "${DOWN_CID:-}" ] || return 1
	out=$("$RS_ROOT/tools/acc-replay.sh") || return 1
	e2e_log "$out"
	n=$(sql "SELECT COUNT(*) FROM acc WHERE callid = '$DOWN_CID' AND src_user = '200' AND dst_device = '1300'")
	[ "$n" = 1 ] || { e2e_log "acc rows of $DOWN_CID: $n"; return 1; }
	[ "$(sql "SELECT method, call_start <> '', duration REGEXP '^[0-9]+$' FROM acc WHERE callid = '$DOWN_CID'")" = "$(printf 'BYE\t1\t1')" ] ||
		{ e2e_log "the replayed row has no answer time or duration"; return 1; }
	# a second run adds nothing
	"$RS_ROOT/tools/acc-replay.sh" >/dev/null &&
		[ "$(sql "SELECT COUNT(*) FROM acc WHERE callid = '$DOWN_CID'")" = 1 ]
}
check "tools/acc-replay.sh puts the CDRs logged during the outage into acc, once" t_acc_replay

# --- Kamailio killed with SIGKILL ----------------------------------------

proc_gone() {
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}

t_sigkill() {
	local pid npid a out left
	out=$(kam hotdesk.login "$T1" 600 "s:$PIN600")
	echo "$out" | grep -q "logged-in" || { e2e_log "login: $out"; return 1; }
	# what a restart reads back must be written first (usrloc writes
	# back every 10 s)
	step "location row before the kill" wait_until 20 location_has 1300 $((PH + 3)) || return 1
	pid=$(cat "$VAR_DIR/kamailio.pid")
	kill -KILL "$pid"
	step "main process gone" wait_until 5 proc_gone "$pid" || return 1
	# its children are still there, the ctl socket still answers: only
	# the main process's state tells that this Kamailio is dead
	out=$("$STACK" status)
	echo "$out" | grep -q "kamailio: dead (pid $pid" ||
		{ e2e_log "status after SIGKILL: $(tr '\n' ';' <<<"$out")"; return 1; }
	e2e_log "after SIGKILL of the main process: $(grep kamailio <<<"$out")"
	step "kam-start after SIGKILL" "$STACK" kam-start 2>"$VAR_DIR/restart.log" || return 1
	grep -q "killing what is left of Kamailio" "$VAR_DIR/restart.log" || return 1
	npid=$(cat "$VAR_DIR/kamailio.pid")
	[ "$npid" != "$pid" ] && [ -z "$(ps -o stat= --sid "$pid" | grep -v '^Z')" ] ||
		{ e2e_log "old processes left"; return 1; }
	kam userdev.show 1300 | grep -q "sip:1300@$P:$((PH + 3))" || { e2e_log "registration lost"; return 1; }
	kam fork2mobile.get 600 | grep -q "state: on" || { e2e_log "Fork2Mobile state lost"; return 1; }
	kam hotdesk.list | grep -q "$T1" || { e2e_log "hot-desk session lost"; return 1; }
	phone 1300 $P $((PH + 3)) uas_answer.xml; a=$SIPP_PID
	call 1200 pw1200 $P $((PH + 13)) 300 && wait_pid $a
}
check "SIGKILL: status says dead, kam-start kills what is left and starts anew; registrations, Fork2Mobile, hot-desk sessions are back" t_sigkill

t_hung() {
	local pid p
	# every process stopped: the ctl socket does not answer
	pid=$(cat "$VAR_DIR/kamailio.pid")
	for p in $(ps -o pid= --sid "$pid"); do kill -STOP "$p"; done
	"$STACK" kam-start 2>"$VAR_DIR/hung.log" || { cat "$VAR_DIR/hung.log" >&2; return 1; }
	grep -q "Kamailio ($pid) is dead or does not answer" "$VAR_DIR/hung.log" &&
		[ "$(cat "$VAR_DIR/kamailio.pid")" != "$pid" ] && proc_gone "$pid" &&
		kam core.version >/dev/null
}
check "a hung Kamailio (no answer on the ctl socket for 10 s) is killed by PID and a new one started" t_hung

# --- RTPengine restarted during a call -----------------------------------

t_rtp_restart() {
	local c cm g gm c2 g2 gm2 rc=0
	register 1300 pw1300 $P $((PH + 3)) || return 1
	sql "UPDATE rs_user SET anchor_media = 1 WHERE extension = '300'"
	kam userdev.reload >/dev/null
	media_peer uas-1300 $P $((PH + 3)) "$(free_rtp_port $((MP + 30)))" $P; g=$SIPP_PID; gm=$SIPP_MSG
	media_call uac-rtp 1200 pw1200 $((PH + 1)) 300 "$(free_rtp_port $((MP + 0)))" $P -d 6000
	c=$SIPP_PID; cm=$SIPP_MSG
	wait_log "$cm" "^SIP/2.0 200" || { stop_bg $c; stop_bg $g; return 1; }
	wait_sessions 1 || rc=1
	"$STACK" rtp-stop && "$STACK" rtp-start || rc=1
	[ "$(rtp_sessions)" = 0 ] || rc=1
	# a new call while the old one is up gets media through the new RTPengine
	register 2300 pw2300 $P $((PH + 5)) || rc=1
	media_peer uas-2300 $P $((PH + 5)) "$(free_rtp_port $((MP + 50)))" $P; g2=$SIPP_PID; gm2=$SIPP_MSG
	media_call uac-rtp2 1200 pw1200 $((PH + 2)) 2300 "$(free_rtp_port $((MP + 10)))" $P -d 1000
	c2=$SIPP_PID
	wait_pid $c2 || { e2e_log "the new call failed"; rc=1; }
	wait_pid $g2 || rc=1
	anchored "$gm2" || { e2e_log "the new call was not anchored"; rc=1; }
	# the old call ends with its BYE; nothing is left in RTPengine
	wait_pid $c || { e2e_log "the old call did not end cleanly"; rc=1; }
	wait_pid $g || rc=1
	wait_sessions 0 || rc=1
	sql "UPDATE rs_user SET anchor_media = 0 WHERE extension = '300'"
	return $rc
}
check "RTPengine restarted during a call: a new call is anchored, the old one ends, no session left" t_rtp_restart

# --- hostile input -------------------------------------------------------

kam_procs() { ps -o pid= --sid "$(cat "$VAR_DIR/kamailio.pid")" | wc -l; }
# every process Kamailio started is still there, none died
kam_intact() {
	local pid=$1 n=$2
	[ "$(cat "$VAR_DIR/kamailio.pid")" = "$pid" ] && [ "$(kam_procs)" = "$n" ] &&
		! grep -q "exited by a signal\|core was generated" "$VAR_DIR/kamailio.log" &&
		kam core.version >/dev/null
}

t_fuzz_sip() {
	local pid n out
	pid=$(cat "$VAR_DIR/kamailio.pid") n=$(kam_procs)
	out=$(python3 "$E2E_DIR/fuzz.py" sip --host "$SIP_ADDR" --port "$SIP_PORT" \
		--from "$P:$((PH + 40)),$MEDIA_IP:$MEDIA_PORT,$GW_IP:$GW_PORT" \
		--logs "$LOGDIR" --count "${FUZZ_COUNT:-4000}" --batch 500 --seed "${FUZZ_SEED:-16}")
	local rc=$?
	e2e_log "$(head -n 1 <<<"$out"); $(tail -n 1 <<<"$out")"
	[ $rc = 0 ] && kam_intact "$pid" "$n" || { e2e_log "$out"; return 1; }
}
check "SIP fuzz: ${FUZZ_COUNT:-4000} mutated messages of this suite from phones, media server, gateway: Kamailio answers after every batch, no process died" t_fuzz_sip

t_fuzz_http() {
	local pid n out
	pid=$(cat "$VAR_DIR/kamailio.pid") n=$(kam_procs)
	out=$(python3 "$E2E_DIR/fuzz.py" http --host "$SIP_ADDR" --port "$PROV_PORT" \
		--from "$P,$MEDIA_IP" --count "${FUZZ_HTTP_COUNT:-1000}" --batch 250 --seed "${FUZZ_SEED:-16}")
	local rc=$?
	e2e_log "$(tail -n 1 <<<"$out")"
	[ $rc = 0 ] && kam_intact "$pid" "$n" || { e2e_log "$out"; return 1; }
}
check "HTTP fuzz: mutated provisioning and JSON-RPC requests from a phone and the media server: HTTP answers, no process died" t_fuzz_http

# rpc_err CMD ARGS...: an RPC error (4xx/5xx), not a crash nor a reply
rpc_err() {
	local out
	out=$(timeout 10 $KAMCMD "$@" 2>&1)
	echo "$out" | grep -q "error: [45][0-9][0-9] - " && return 0
	e2e_log "$1 '$(printf %.20s "${2:-}")': $(printf %.200s "$out")"
	return 1
}

t_rpc_hostile() {
	local pid n big arg cmd bad=0
	pid=$(cat "$VAR_DIR/kamailio.pid") n=$(kam_procs)
	# 60 kB: kamcmd's packets are limited to 64 kB (ctl drops bigger ones)
	big=$(head -c 60000 /dev/zero | tr '\0' 7)
	for cmd in userdev.show followme.plan fork2mobile.get hotdesk.logout; do
		for arg in "" "$big" $'\xff\xfe\x80' "s:" $'a\nb' "%s%s%n"; do
			rpc_err "$cmd" "$arg" || bad=1
		done
		rpc_err "$cmd" || bad=1
	done
	for arg in "" "$big" $'\xff' maybe; do
		rpc_err fork2mobile.set 600 "$arg" || bad=1
	done
	rpc_err fork2mobile.set || bad=1
	rpc_err hotdesk.login "$T1" 600 "s:$big" || bad=1
	rpc_err hotdesk.login $'\xff\xfe' "$big" s:1234 || bad=1
	rpc_err hotdesk.login "$T1" || bad=1
	rpc_err hotdesk.unlock || bad=1
	# hotdesk.unlock of a key that is not locked answers unlocked: 0
	timeout 10 $KAMCMD hotdesk.unlock "$big" | grep -q "was_locked: no" || bad=1
	grep -q "$big" "$VAR_DIR/kamailio.log" && { e2e_log "a huge argument reached the log"; bad=1; }
	[ $bad = 0 ] && kam_intact "$pid" "$n"
}
check "RPC with missing, empty, huge (60 kB), non-UTF-8 and format-string arguments: an RPC error each, no crash" t_rpc_hostile

# with r0 of t_sql_hostile: its good rows and its refusals are all loaded
# (the follow-me rows were written last)
sql_hostile_loaded() {
	kam userdev.show 800 | grep -q "devices: 1" &&
		[ "$(status rows_refused)" -ge $((r0 + 7)) ] &&
		grep -q "rs_followme row '800/1' ignored" "$VAR_DIR/kamailio.log"
}
t_sql_hostile() {
	local pid n r0 users0
	pid=$(cat "$VAR_DIR/kamailio.pid") n=$(kam_procs)
	r0=$(status rows_refused) users0=$(status users)
	# the schema itself refuses some (NULL in a NOT NULL column, too long);
	# what it lets through must be refused by the directory, row by row
	sql "INSERT INTO rs_user (extension, domain, display_name, external_cli, mobile)
		VALUES ('', '', '', '', NULL)"
	sql "INSERT INTO rs_user (extension, domain) VALUES ('bad ext', '$SIP_DOMAIN')"
	sql "INSERT INTO rs_user (extension, domain, display_name) VALUES ('801', '$SIP_DOMAIN', NULL)" 2>/dev/null
	sql "INSERT INTO rs_user (extension, domain, mobile) VALUES ('800', '$SIP_DOMAIN', NULL)"
	sql "INSERT INTO rs_device (username, domain, extension, kind) VALUES
		('', '', '800', 'static'), ('ghost', '$SIP_DOMAIN', 'nobody', 'static'),
		('sp ace', '$SIP_DOMAIN', '800', 'static'), ('1800', '', '800', 'static')"
	sql "INSERT INTO rs_followme (extension, position, target, mode, ring_seconds) VALUES
		('800', 1, 'no such target', 'serial', 10), ('nobody', 1, '300', 'serial', 10),
		('800', 2, '$(printf 'x%.0s' $(seq 1 64))', 'serial', 10), ('800', 3, '300', 'serial', 10)"
	# the rows came in several statements, and a poll may fall between
	# them: wait for the last of them
	wait_until 10 sql_hostile_loaded ||
		e2e_log "800's device, the seven refused rows and the follow-me ones not seen within 10 s"
	e2e_log "refused: $(($(status rows_refused) - r0)) rows; $(grep -c "row '.*' ignored" "$VAR_DIR/kamailio.log") log lines"
	# the good rows load, the bad ones are refused one by one, with a reason
	kam userdev.show 800 | grep -q "devices: 1" &&
		kam userdev.show 1800 | grep -q "extension: 800" &&
		[ "$(status users)" -ge $((users0 + 1)) ] &&
		[ "$(status rows_refused)" -ge $((r0 + 7)) ] &&
		grep -q "rs_user row '' ignored: extension must be 1..32 chars" "$VAR_DIR/kamailio.log" &&
		grep -q "rs_user row 'bad ext' ignored: extension contains an invalid character" "$VAR_DIR/kamailio.log" &&
		grep -q "rs_device row 'ghost' ignored: owner extension nobody unknown" "$VAR_DIR/kamailio.log" &&
		grep -q "rs_followme row '800/1' ignored: target contains an invalid character" "$VAR_DIR/kamailio.log" &&
		kam followme.plan 800 | grep -q "step" && kam_intact "$pid" "$n"
}
check "SQL rows with NULLs, empty strings, unknown owners and targets, bad values: each refused with a log line, the good rows load" t_sql_hostile

# --- the media server restarted during a call ----------------------------

t_media_restart() {
	local c cm mpid rc=0 t0 out
	"$STACK" media-start || return 1
	# 1200 dials *509 (200 has no mobile: the not-allowed prompt): the
	# media server answers, plays and hangs up; it is killed while it plays
	sipp_bg uac-ann-kill -sf "$SCEN/uac_announced.xml" -m 1 -s '*509' -au 1200 -ap pw1200 \
		-i $P -p $((PH + 21)) -key caller 1200
	c=$SIPP_PID; cm=$SIPP_MSG
	wait_log "$cm" "^SIP/2.0 200" || { stop_bg $c; e2e_log "the announcement was not answered"; return 1; }
	mpid=$(cat "$VAR_DIR/media.pid")
	kill -KILL "$mpid"
	wait_until 5 proc_gone "$mpid" || rc=1
	out=$("$STACK" status | grep '^media:')
	echo "$out" | grep -q "^media: dead" || { e2e_log "status: $out"; rc=1; }
	# the phone's call was answered and then hears nothing: the killed
	# server never sends its BYE (the phone hangs up on its own)
	wait_until 3 grep -q "^BYE " "$cm" && { e2e_log "a BYE came from a killed media server"; rc=1; }
	stop_bg $c
	t0=$(now_ms)
	"$STACK" media-start || { e2e_log "the media server did not start again"; return 1; }
	[ "$(cat "$VAR_DIR/media.pid")" != "$mpid" ] || rc=1
	# a new call: answered by the new media server, prompt played, its BYE
	sipp_run "code-after-restart" -sf "$SCEN/uac_announced.xml" -m 1 -s '*509' -au 1200 \
		-ap pw1200 -i $P -p $((PH + 22)) -key caller 1200 ||
		{ e2e_log "a new call to *509 after the restart failed"; rc=1; }
	e2e_log "media server killed during an announcement: that call got no BYE; started again in $(($(now_ms) - t0)) ms, a new *509 call answered, played, hung up by it"
	"$STACK" media-stop
	return $rc
}
check "the media server killed (SIGKILL) during an announcement: status says dead, media-start starts it, a new call is answered" t_media_restart

# --- a new password reaches the directory snapshot -------------------------

# snap_ha1s: the HA1s the snapshot file holds
snap_ha1s() { awk -F'\t' 'NF == 3 && $3 ~ /^s[0-9a-f]{32}$/ { print substr($3, 2) }' "$VAR_DIR/snapshot/userdir.snap"; }
snap_has() { snap_ha1s | grep -qx "$1"; }
snap_new_password() { snap_has "$(ha1 1300 pw1300new)" && ! snap_has "$(ha1 1300 pw1300)"; }

t_password_snapshot() {
	local t0
	step "1300's HA1 in the snapshot" snap_has "$(ha1 1300 pw1300)" || return 1
	t0=$(now_ms)
	sql "UPDATE subscriber SET password = 'pw1300new' WHERE username = '1300'"
	# the subscriber trigger bumps the change counter: the next poll (1 s)
	# loads the directory and writes the file
	step "the new HA1 in the snapshot within 3 s" wait_until 3 snap_new_password || return 1
	e2e_log "a new password in SQL: the snapshot had the new HA1, not the old one, $(($(now_ms) - t0)) ms later"
	! grep -q "pw1300new" "$VAR_DIR/snapshot/userdir.snap" || { e2e_log "a password in the snapshot"; return 1; }
}
check "a password changed in SQL: the snapshot file has the new HA1 and not the old one within the poll time" t_password_snapshot

# --- Kamailio started while the database is down --------------------------

t_cold_start() {
	local rc=0 out a
	SNAP=$VAR_DIR/snapshot
	# every load wrote the directory, with the credentials, to the disk
	[ -s "$SNAP/userdir.snap" ] && head -n 1 "$SNAP/userdir.snap" | grep -q '^ringset-userdir 2$' &&
		tail -n 1 "$SNAP/userdir.snap" | grep -q '^end [0-9]' ||
		{ e2e_log "no directory snapshot in $SNAP"; return 1; }
	! grep -q "pw1300" "$SNAP/userdir.snap" || { e2e_log "a password in the snapshot"; return 1; }
	[ "$(stat -c %a "$SNAP/userdir.snap")" = 600 ] || { e2e_log "snapshot mode $(stat -c %a "$SNAP/userdir.snap")"; rc=1; }
	"$STACK" kam-stop && "$STACK" db-stop || return 1
	"$STACK" kam-start 2>"$VAR_DIR/cold.log" || { cat "$VAR_DIR/cold.log" >&2; return 1; }
	grep -q "the database does not answer: Kamailio starts from the snapshot" "$VAR_DIR/cold.log" || rc=1
	out=$(kam userdev.status)
	echo "$out" | grep -q "database: down" && echo "$out" | grep -q "source: snapshot file" ||
		{ e2e_log "status: $(tr '\n' ';' <<<"$out")"; rc=1; }
	grep -q "database unreachable at start: user directory from the snapshot" "$VAR_DIR/kamailio.log" || rc=1
	# the phones register again (authenticated from the snapshot's HA1s:
	# the location table is out of reach), a call routes by the directory
	# 1300's password was changed in SQL before (t_password_snapshot): the
	# new one registers; the old one gets 403, as with the database up (the
	# snapshot's HA1 is checked like any HA1 in memory)
	sipp_run reg-cold-old -sf "$SCEN/register_refused.xml" -m 1 -s 1300 -au 1300 \
		-ap pw1300 -i $P -p $((PH + 3)) -key expires 3600 ||
		{ e2e_log "the old password of 1300: $(grep '^SIP/2.0' "$SIPP_MSG" | tr -d '\r' | tr '\n' ';')"; rc=1; }
	! kam userdev.show 300 | grep -q "sip:1300@" || { e2e_log "the old password registered 1300"; rc=1; }
	register 1300 pw1300new $P $((PH + 3)) || { e2e_log "REGISTER of 1300 with its new password failed"; rc=1; }
	kam userdev.show 300 | grep -q "sip:1300@$P:$((PH + 3))" || rc=1
	phone 1300 $P $((PH + 3)) uas_answer.xml; a=$SIPP_PID
	call 1200 pw1200 $P $((PH + 14)) 300 && wait_pid $a || { e2e_log "the call 1200 -> 300 failed"; rc=1; }
	# state changes are refused while it is down
	kam fork2mobile.set 600 off 2>&1 | grep -q "500 - database unreachable: nothing changed" || rc=1
	# the database returns: the poller takes it, writes resume
	"$STACK" db-start || return 1
	wait_until 10 bash -c "$KAMCMD userdev.status | grep -q 'database: up'" || { e2e_log "the database was not taken back"; return 1; }
	grep -q "database reachable again" "$VAR_DIR/kamailio.log" || rc=1
	kam userdev.status | grep -q "source: database" || rc=1
	kam fork2mobile.set 600 off >/dev/null &&
		[ "$(sql "SELECT fork2mobile FROM rs_user WHERE extension = '600'")" = 0 ] || { e2e_log "fork2mobile.set not written"; rc=1; }
	add_user 701 "Cold Start" && wait_directory 701 5 || { e2e_log "an SQL change was not read"; rc=1; }
	# still the reduced mode (auth_db holds an empty table), but userdev's
	# loads keep htable creds in step with subscriber: a device added in
	# SQL since registers
	add_device 1701 pw1701 701 && wait_directory 1701 5 || rc=1
	wait_until 5 bash -c "$KAMCMD htable.get creds s:1701 | grep -q '$(ha1 1701 pw1701)'" ||
		{ e2e_log "1701's HA1 is not in htable creds"; rc=1; }
	register 1701 pw1701 $P $((PH + 15)) ||
		{ e2e_log "1701 in the reduced mode: $(grep '^SIP/2.0' "$SIPP_MSG" | tr -d '\r' | tr '\n' ';')"; rc=1; }
	return $rc
}
check "Kamailio started while MariaDB is down: serves the directory on disk, phones register on the snapshot's HA1s (a password changed in SQL: the new one, not the old) and calls route; MariaDB back: taken at once, writes resume, a device added then registers" t_cold_start

t_rejoin() {
	local rc=0 pid a
	pid=$(cat "$VAR_DIR/kamailio.pid")
	# the next start: the registrations made meanwhile (1300, in memory
	# only) go to location, Kamailio starts again with its database
	"$STACK" kam-start 2>"$VAR_DIR/rejoin.log" || { cat "$VAR_DIR/rejoin.log" >&2; return 1; }
	e2e_log "$(tr '\n' ' ' <"$VAR_DIR/rejoin.log")"
	grep -q "runs without its database, which answers now" "$VAR_DIR/rejoin.log" &&
		grep -q "[1-9][0-9]* registrations written to location" "$VAR_DIR/rejoin.log" || rc=1
	[ "$(cat "$VAR_DIR/kamailio.pid")" != "$pid" ] && proc_gone "$pid" || { e2e_log "not started again"; return 1; }
	kam userdev.status | grep -q "source: database" || { e2e_log "status: $(kam userdev.status | tr '\n' ';')"; rc=1; }
	# once: the row written before the outage (another ruid, same contact) is replaced
	[ "$(sql "SELECT COUNT(*) FROM location WHERE username = '1300' AND contact LIKE '%:$((PH + 3))%'")" = 1 ] ||
		{ e2e_log "1300's registration in location: $(sql "SELECT COUNT(*) FROM location WHERE username = '1300'") rows"; rc=1; }
	# 1300 did not register again: usrloc read it back
	kam userdev.show 300 | grep -q "sip:1300@$P:$((PH + 3))" || { e2e_log "1300's registration lost"; rc=1; }
	phone 1300 $P $((PH + 3)) uas_answer.xml; a=$SIPP_PID
	call 1200 pw1200 $P $((PH + 16)) 300 && wait_pid $a || { e2e_log "the call 1200 -> 300 failed"; rc=1; }
	# auth_db on the database again: the device added during the outage registers
	register 1701 pw1701 $P $((PH + 15)) || { e2e_log "1701 did not register"; rc=1; }
	# a start with nothing to do starts nothing
	pid=$(cat "$VAR_DIR/kamailio.pid")
	"$STACK" kam-start 2>/dev/null && [ "$(cat "$VAR_DIR/kamailio.pid")" = "$pid" ] || rc=1
	return $rc
}
check "MariaDB back, then kam-start: the registrations of the outage go to location, Kamailio starts again with its database (1300 still reachable without registering again; a device added meanwhile registers)" t_rejoin

e2e_summary
