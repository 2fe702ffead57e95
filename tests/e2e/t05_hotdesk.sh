#!/usr/bin/env bash
# Hot desking (issue 5): PIN login through the media server, takeover,
# check-sync, logout by code and by RPC, wrong-PIN lockout, racing logins,
# auto provisioning over HTTP (README "Hot desking", "The media server").
SIP_PORT=${SIP_PORT:-$((25260 + ${RS_PORT_OFFSET:-0}))}
# provisioning narrowed to one address, so that 127.0.0.2 is outside it
export PROV_NET=127.0.0.1/32
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
port() { echo $((SIP_PORT + 1040 + $1)); } # phones: 26301...
MEDIA_IP=$(rs_uri_host "$MEDIA_URI"); MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")
URL=http://$SIP_ADDR:$PROV_PORT
T1=hotdesk-0004f2000001; T2=hotdesk-0004f2000002; T3=hotdesk-0004f2000003
T4=hotdesk-0004f2000004; T5=hotdesk-0004f2000005; T6=hotdesk-0004f2000006
# PINs long enough not to turn up in a log by chance; kamcmd gets them as
# s:<pin>, or it would send them as numbers
PIN600=739173917391; PIN610=482648264826; PIN620=551055105510
PIN630=906290629062; PIN640=318431843184; WRONG=100200300400

add_user 200 "Alice Able"
add_device 200 pw200 200
hotdesk_user 600 "Frank Desk" $PIN600
add_device 1600 pw1600 600
sql "UPDATE rs_device SET mac = '0004f2001600' WHERE username = '1600'"
hotdesk_user 610 "Gina Lock" $PIN610
hotdesk_user 620 "Hugo Race" $PIN620
hotdesk_user 630 "Ida Term" $PIN630
hotdesk_user 631 "Jon Term" $PIN630
hotdesk_user 632 "Kim Term" $PIN630
hotdesk_user 640 "Lea Alone" $PIN640
hotdesk_user 650 "Max Burst" $PIN640
for n in 1 2 3 4 5 6; do terminal $n; done
kam userdev.reload >/dev/null

# fetch VENDOR MAC [curl args]: the phone's GET, with its provisioning
# secret (HTTP digest) when it has one; sets BODY and HTTP_CODE
fetch() {
	local v=$1 mac=$2 ext out sec auth=()
	shift 2
	[ "$v" = snom ] && ext=xml || ext=cfg
	sec=$(prov_secret "$mac")
	[ -z "$sec" ] || auth=(--digest -u "$mac:$sec")
	out=$(curl -s --max-time 10 -w '\n%{http_code}' "${auth[@]}" "$@" "$URL/provision/$v/$mac.$ext")
	HTTP_CODE=${out##*$'\n'}
	BODY=${out%$'\n'*}
}
# yealink_value MAC KEY: a value of the terminal's Yealink file now
yealink_value() { fetch yealink "$1"; sed -n "s/^$2 = //p" <<<"$BODY"; }
# rpc_login TERMINAL EXT PIN: the media server's JSON-RPC call, its answer
rpc_login() {
	curl -s --max-time 10 --interface "$MEDIA_IP" -H 'Content-Type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"method\":\"hotdesk.login\",\"params\":[\"$1\",\"$2\",\"$3\"],\"id\":1}" \
		"$URL/RPC"
}
contacts_of() { kam userdev.show "$1" | grep -o "uri: sip:[^ ]*"; }
session_of() { sql "SELECT terminal FROM rs_hotdesk WHERE extension = '$1'"; }

t_account() {
	local t0=$(date +%s%N) end=$((SECONDS + 5))
	sql "UPDATE rs_user SET hotdesk = 1 WHERE extension = '200'"
	until [ "$(sql "SELECT COUNT(*) FROM subscriber s JOIN rs_device d
			ON d.username = s.username WHERE s.username = 'hotdesk-200'
			AND d.kind = 'hotdesk_account' AND d.extension = '200'
			AND LENGTH(s.password) = 32")" = 1 ]; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.02
	done
	e2e_log "hotdesk-200 created $((($(date +%s%N) - t0) / 1000000)) ms after hotdesk = 1"
	sql "UPDATE rs_user SET hotdesk = 0 WHERE extension = '200'"
	[ "$(sql "SELECT COUNT(*) FROM rs_device WHERE kind = 'hotdesk_account'
		AND username IN ('hotdesk-600', 'hotdesk-610', 'hotdesk-620', 'hotdesk-640')")" = 4 ]
}
check "a user with hotdesk = 1 gets its hotdesk-<ext> account (subscriber + rs_device)" t_account

t_prov_before() {
	local x y
	fetch snom 0004f2000001; x=$BODY
	[ "$HTTP_CODE" = 200 ] || return 1
	fetch yealink 0004f2000001; y=$BODY
	[ "$HTTP_CODE" = 200 ] &&
		grep -q "<user_name idx=\"1\" perm=\"\">$T1</user_name>" <<<"$x" &&
		grep -q "<user_pass idx=\"1\" perm=\"\">tpw1</user_pass>" <<<"$x" &&
		grep -q "<user_outbound idx=\"1\" perm=\"\">$SIP_ADDR:$SIP_PORT</user_outbound>" <<<"$x" &&
		! grep -q "<fkey" <<<"$x" &&
		grep -qx "account.1.user_name = $T1" <<<"$y" &&
		grep -qx "sip.notify_reboot_enable = 0" <<<"$y" &&
		! grep -q "memorykey" <<<"$y"
}
check "before login a terminal's configuration has its own hotdesk-<mac> account, no keys" t_prov_before

register $T1 tpw1 $P "$(port 1)" && register $T2 tpw2 $P "$(port 2)" &&
	register 1600 pw1600 $P "$(port 10)" || { echo "registration failed"; exit 1; }

t_terminal_to_pin() {
	local m rc=0
	sipp_bg media -sf "$SCEN/uas_service.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	m=$SIPP_PID; mmsg=$SIPP_MSG; wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	call $T1 tpw1 $P "$(port 20)" 600 || { e2e_log "the terminal's call failed"; rc=1; }
	wait_pid $m || { e2e_log "the media server got no call"; rc=1; }
	grep -q "^INVITE sip:hotdesk-login@$MEDIA_IP:$MEDIA_PORT SIP/2.0" "$mmsg" &&
		grep -q "^X-Ringset-Ext: 600" "$mmsg" && grep -q "^X-Ringset-Terminal: $T1" "$mmsg" &&
		[ $rc -eq 0 ]
}
check "a terminal dialling a hot-desk extension reaches hotdesk-login with X-Ringset-Ext/Terminal" t_terminal_to_pin

t_terminal_refused() {
	call_refused 403 $T1 tpw1 $P "$(port 21)" 200 &&
		grep -q "^SIP/2.0 403 Hot-desk terminal: dial your extension to log in" "$SIPP_MSG" &&
		call_refused 403 $T1 tpw1 $P "$(port 21)" 004930123456
}
check "a terminal dialling anything else gets 403 with a clear reason" t_terminal_refused

t_login() {
	local out l t0 t1 rc=0
	terminal_listen "$(port 1)" 1; l=$LISTEN_PID
	t0=$(date +%s%N)
	out=$(rpc_login $T1 600 $PIN600)
	t1=$(date +%s%N)
	e2e_log "JSON-RPC hotdesk.login took $(((t1 - t0) / 1000000)) ms (curl, with check-sync)"
	grep -q '"status":[[:space:]]*"logged-in"' <<<"$out" || { e2e_log "$out"; rc=1; }
	wait_pid $l || { e2e_log "the terminal got no check-sync"; rc=1; }
	grep -q "^To: <sip:$T1@$SIP_DOMAIN>" "$LISTEN_MSG" || rc=1
	out=$(kam hotdesk.list)
	[ "$(session_of 600)" = $T1 ] && grep -q "terminal: $T1" <<<"$out" &&
		grep -q "terminal_contacts: 1" <<<"$out" && grep -q "account_contacts: 0" <<<"$out" &&
		[ $rc -eq 0 ]
}
check "hotdesk.login over JSON-RPC from the media server: logged-in, rs_hotdesk row, check-sync to the terminal" t_login

t_prov_after() {
	local x y
	fetch snom 0004f2000001; x=$BODY
	fetch yealink 0004f2000001; y=$BODY
	PW600=$(sed -n 's/^account.1.password = //p' <<<"$y")
	[ ${#PW600} = 32 ] &&
		grep -q "<user_name idx=\"1\" perm=\"\">hotdesk-600</user_name>" <<<"$x" &&
		grep -q "<user_realname idx=\"1\" perm=\"\">Frank Desk</user_realname>" <<<"$x" &&
		grep -q "<user_pass idx=\"1\" perm=\"\">$PW600</user_pass>" <<<"$x" &&
		grep -q "<fkey idx=\"0\" perm=\"\" context=\"active\" label=\"Mobile 600\">blf sip:forkm600@$SIP_DOMAIN</fkey>" <<<"$x" &&
		grep -qx "account.1.user_name = hotdesk-600" <<<"$y" &&
		grep -qx "account.1.display_name = Frank Desk" <<<"$y" &&
		grep -qx "memorykey.1.type = 16" <<<"$y" && grep -qx "memorykey.1.value = forkm600" <<<"$y" &&
		grep -qx "memorykey.1.extension = forkm600" <<<"$y" &&
		grep -qx "sip.notify_reboot_enable = 0" <<<"$y" &&
		register hotdesk-600 "$PW600" $P "$(port 1)"
}
check "after login the terminal fetches hotdesk-600 (name, BLF forkm600) and registers with it" t_prov_after

t_rings_together() {
	local a b rc=0 gap
	phone 1600 $P "$(port 10)" uas_cancel.xml; a=$SIPP_PID; m1=$PHONE_MSG
	phone hotdesk-600 $P "$(port 1)" uas_answer.xml -d 200; b=$SIPP_PID; m2=$PHONE_MSG
	call 200 pw200 $P "$(port 22)" 600 || { e2e_log "caller failed"; rc=1; }
	wait_pid $a || { e2e_log "1600 was not rung and cancelled"; rc=1; }
	wait_pid $b || { e2e_log "the terminal did not answer"; rc=1; }
	gap=$(invite_gap "$m1" "$m2") || return 1
	e2e_log "static device and terminal INVITEs $gap ms apart"
	grep -q "^INVITE sip:hotdesk-600@$P:$(port 1)" "$m2" && within "$gap" 0 300 && [ $rc -eq 0 ]
}
check "a call to 600 rings its static device and its hot-desk terminal together" t_rings_together

t_takeover() {
	local l1 l2 out pw_old=$PW600 rc=0 a b c
	# the cfg cached the HA1 of the password that passed (for a database
	# outage)
	kam htable.get creds hotdesk-600 | grep -q "$(ha1 hotdesk-600 "$pw_old")" ||
		{ e2e_log "no cached credentials"; rc=1; }
	terminal_listen "$(port 1)" 1; l1=$LISTEN_PID; msg1=$LISTEN_MSG
	terminal_listen "$(port 2)" 1; l2=$LISTEN_PID; msg2=$LISTEN_MSG
	out=$(kam hotdesk.login $T2 600 s:$PIN600)
	grep -q "status: logged-in" <<<"$out" && grep -q "logged_out_of: $T1" <<<"$out" ||
		{ e2e_log "$out"; rc=1; }
	wait_pid $l1 || { e2e_log "the old terminal got no check-sync"; rc=1; }
	wait_pid $l2 || { e2e_log "the new terminal got no check-sync"; rc=1; }
	grep -q "^To: <sip:hotdesk-600@$SIP_DOMAIN>" "$msg1" || rc=1
	grep -q "^To: <sip:$T2@$SIP_DOMAIN>" "$msg2" || rc=1
	[ "$(session_of 600)" = $T2 ] || rc=1
	# its hotdesk-600 registration is gone, and it cannot come back, not
	# even from the cached credentials while the database is down
	kam htable.get creds hotdesk-600 2>&1 | grep -q "$(ha1 hotdesk-600 "$pw_old")" &&
		{ e2e_log "old password still cached"; rc=1; }
	contacts_of hotdesk-600 | grep -q ":$(port 1)" && { e2e_log "ghost registration"; rc=1; }
	sipp_run reg-ghost -sf "$SCEN/register_refused.xml" -m 1 -s hotdesk-600 -au hotdesk-600 \
		-ap "$pw_old" -i $P -p "$(port 1)" -key expires 3600 ||
		{ e2e_log "the old password still registers"; rc=1; }
	# what each terminal fetches now
	[ "$(yealink_value 0004f2000001 account.1.user_name)" = $T1 ] || rc=1
	[ "$(yealink_value 0004f2000002 account.1.user_name)" = hotdesk-600 ] || rc=1
	PW600=$(yealink_value 0004f2000002 account.1.password)
	[ "$PW600" != "$pw_old" ] || rc=1
	register hotdesk-600 "$PW600" $P "$(port 2)" || return 1
	# a call to 600 rings the new terminal, never the old one
	phone $T1 $P "$(port 1)" uas_cancel.xml; a=$SIPP_PID; old=$PHONE_MSG
	phone 1600 $P "$(port 10)" uas_cancel.xml; b=$SIPP_PID
	phone hotdesk-600 $P "$(port 2)" uas_answer.xml -d 200; c=$SIPP_PID
	call 200 pw200 $P "$(port 23)" 600 || rc=1
	wait_pid $c || { e2e_log "the new terminal did not answer"; rc=1; }
	wait_pid $b || rc=1
	stop_bg $a
	grep -q "^INVITE" "$old" && { e2e_log "the old terminal rang"; rc=1; }
	return $rc
}
check "takeover: the old terminal gets check-sync, loses hotdesk-600 for good and no longer rings" t_takeover

t_logout_code() {
	local m l rc=0
	sipp_bg media -sf "$SCEN/uas_service.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	m=$SIPP_PID; mmsg=$SIPP_MSG; wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	terminal_listen "$(port 2)" 1; l=$LISTEN_PID
	call hotdesk-600 "$PW600" $P "$(port 24)" '*400' || { e2e_log "*400 call failed"; rc=1; }
	wait_pid $m || rc=1
	wait_pid $l || { e2e_log "no check-sync after *400"; rc=1; }
	grep -q "^INVITE sip:announce@$MEDIA_IP:$MEDIA_PORT SIP/2.0" "$mmsg" &&
		grep -q "^X-Ringset-Prompt: logged-out" "$mmsg" || { e2e_log "no logged-out announcement"; rc=1; }
	[ -z "$(session_of 600)" ] && [ -z "$(contacts_of hotdesk-600)" ] &&
		[ "$(yealink_value 0004f2000002 account.1.user_name)" = $T2 ] && [ $rc -eq 0 ]
}
check "*400 from the hot-desk account: logged-out prompt, check-sync, registration dropped" t_logout_code

t_logout_code_refused() {
	local m rc=0
	sipp_bg media -sf "$SCEN/uas_service.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	m=$SIPP_PID; mmsg=$SIPP_MSG; wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	call 1600 pw1600 $P "$(port 25)" '*400' || rc=1
	wait_pid $m || rc=1
	grep -q "^INVITE sip:announce@$MEDIA_IP:$MEDIA_PORT SIP/2.0" "$mmsg" &&
		grep -q "^X-Ringset-Prompt: not-allowed" "$mmsg" && [ $rc -eq 0 ]
}
check "*400 from a device that is not a hot-desk account: not-allowed, nothing changes" t_logout_code_refused

t_logout_rpc() {
	local l out
	terminal_listen "$(port 1)" 1; l=$LISTEN_PID
	kam hotdesk.login $T1 600 s:$PIN600 | grep -q "status: logged-in" || return 1
	wait_pid $l || return 1
	PW600=$(yealink_value 0004f2000001 account.1.password)
	register hotdesk-600 "$PW600" $P "$(port 1)" || return 1
	terminal_listen "$(port 1)" 1; l=$LISTEN_PID
	out=$(kam hotdesk.logout 600)
	grep -q "status: logged-out" <<<"$out" && grep -q "terminal: $T1" <<<"$out" || return 1
	wait_pid $l || return 1
	[ -z "$(session_of 600)" ] && [ -z "$(contacts_of hotdesk-600)" ] &&
		! kam hotdesk.list | grep -q "extension: 600" &&
		kam hotdesk.logout 600 2>&1 | grep -q "404 - extension 600 is not logged in"
}
check "kamcmd hotdesk.logout: check-sync, registration dropped, list empty; twice gives 404" t_logout_rpc

t_lockout_ext() {
	local i out rc=0
	# from five terminals, so that no terminal reaches five failures
	for i in 1 2 3 4 5; do
		out=$(rpc_login hotdesk-0004f200000$i 610 $WRONG)
		grep -q '"status":[[:space:]]*"wrong-pin"' <<<"$out" || { e2e_log "try $i: $out"; rc=1; }
	done
	# the right PIN is refused now, from any terminal
	rpc_login $T2 610 $PIN610 | grep -q '"status":[[:space:]]*"locked"' || rc=1
	# 900 s, less the second that may have passed meanwhile
	kam hotdesk.login $T6 610 s:$PIN610 | grep -Eq "retry_after: (900|89[0-9])" || rc=1
	[ -z "$(session_of 610)" ] || rc=1
	# the admin lifts it
	kam hotdesk.unlock 610 | grep -q "was_locked: yes" || rc=1
	kam hotdesk.login $T5 610 s:$PIN610 | grep -q "status: logged-in" || rc=1
	kam hotdesk.logout 610 >/dev/null
	grep -q "extension 610 locked after 5 wrong PINs" "$VAR_DIR/kamailio.log" || rc=1
	return $rc
}
check "5 wrong PINs for an extension lock it (even the right PIN), hotdesk.unlock lifts it" t_lockout_ext

t_lockout_terminal() {
	local rc=0
	for e in 630 630 631 631 631; do
		kam hotdesk.login $T6 $e s:$WRONG | grep -q "status: wrong-pin" || rc=1
	done
	kam hotdesk.login $T6 632 s:$PIN630 | grep -q "status: locked" || rc=1
	# the extensions themselves are not locked
	kam hotdesk.login $T5 630 s:$PIN630 | grep -q "status: logged-in" || rc=1
	kam hotdesk.logout 630 >/dev/null
	grep -q "terminal $T6 locked after 5 wrong PINs" "$VAR_DIR/kamailio.log" || rc=1
	return $rc
}
check "5 wrong PINs from one terminal lock that terminal, not the extensions" t_lockout_terminal

t_lockout_burst() {
	local i pids=() wrong locked
	# ten wrong PINs at once, from five terminals: no more than five count
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rpc_login "hotdesk-0004f200000$(((i - 1) % 5 + 1))" 650 $WRONG \
			>"$VAR_DIR/burst$i.out" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	wrong=$(cat "$VAR_DIR"/burst*.out | grep -c '"status":[[:space:]]*"wrong-pin"')
	locked=$(cat "$VAR_DIR"/burst*.out | grep -c '"status":[[:space:]]*"locked"')
	e2e_log "10 concurrent wrong PINs: $wrong wrong-pin, $locked locked"
	[ "$wrong" = 5 ] && [ "$locked" = 5 ]
}
check "ten concurrent wrong PINs: exactly five are checked, the rest are locked" t_lockout_burst

t_no_pin_logged() {
	local p
	for p in $PIN600 $PIN610 $PIN620 $PIN630 $PIN640 $WRONG; do
		grep -q "$p" "$VAR_DIR/kamailio.log" && { e2e_log "PIN $p in the log"; return 1; }
	done
	return 0
}
check "no PIN (right or wrong) appears in Kamailio's log" t_no_pin_logged

t_race() {
	local l3 l4 o3 o4 win pw rc=0 n3 n4
	register $T3 tpw3 $P "$(port 3)" && register $T4 tpw4 $P "$(port 4)" || return 1
	# 620 is on T3 and registered there as hotdesk-620
	kam hotdesk.login $T3 620 s:$PIN620 | grep -q "status: logged-in" || return 1
	pw=$(yealink_value 0004f2000003 account.1.password)
	register hotdesk-620 "$pw" $P "$(port 3)" || return 1
	terminal_listen "$(port 3)" 2; l3=$LISTEN_PID; m3=$LISTEN_MSG
	terminal_listen "$(port 4)" 2; l4=$LISTEN_PID; m4=$LISTEN_MSG
	o3=$VAR_DIR/race3.out; o4=$VAR_DIR/race4.out
	kam hotdesk.login $T3 620 s:$PIN620 >"$o3" 2>&1 &
	local k3=$!
	kam hotdesk.login $T4 620 s:$PIN620 >"$o4" 2>&1 &
	local k4=$!
	wait $k3; wait $k4
	grep -q "status: logged-in" "$o3" && grep -q "status: logged-in" "$o4" || rc=1
	[ "$(sql "SELECT COUNT(*) FROM rs_hotdesk WHERE extension = '620'")" = 1 ] || rc=1
	win=$(session_of 620)
	# the counts follow from the order the two logins took the lock:
	# T4 won: T3 re-logged in first (1 NOTIFY), then was taken over (1);
	# T3 won: T4 took over first (both notified), then T3 took it back
	# (both again). Receive times of two sipp processes are not compared:
	# the NOTIFYs leave microseconds apart.
	if [ "$win" = $T4 ]; then n3=2; n4=1; else n3=2; n4=2; fi
	e2e_log "winner $win"
	# the winner took 620 over from the other one
	if [ "$win" = $T4 ]; then grep -q "logged_out_of: $T3" "$o4"; else grep -q "logged_out_of: $T4" "$o3"; fi ||
		{ e2e_log "the winner did not take over from the loser"; rc=1; }
	wait_notify "$m3" $n3 10 && wait_notify "$m4" $n4 10 || { e2e_log "check-syncs: $(notify_n "$m3") $(notify_n "$m4")"; rc=1; }
	stop_bg $l3; stop_bg $l4
	# no ghost: hotdesk-620 has no registration, the old password is dead
	[ -z "$(contacts_of hotdesk-620)" ] || rc=1
	sipp_run reg-race-ghost -sf "$SCEN/register_refused.xml" -m 1 -s hotdesk-620 \
		-au hotdesk-620 -ap "$pw" -i $P -p "$(port 3)" -key expires 3600 || rc=1
	kam hotdesk.logout 620 >/dev/null
	return $rc
}
check "two logins racing for 620: one session, both terminals told, no ghost registration" t_race

t_unregistered() {
	local out
	out=$(kam hotdesk.login $T5 640 s:$PIN640)
	grep -q "status: logged-in" <<<"$out" && grep -q "check_sync_new: 0" <<<"$out" &&
		[ "$(session_of 640)" = $T5 ] &&
		grep -q "hot-desk terminal $T5 is not registered: check-sync skipped" "$VAR_DIR/kamailio.log" &&
		[ "$(yealink_value 0004f2000005 account.1.user_name)" = hotdesk-640 ]
}
check "a terminal that is not registered: login recorded, check-sync skipped with a log line" t_unregistered

t_hotdesk_off() {
	local l end rc=0
	terminal_listen "$(port 1)" 1; l=$LISTEN_PID
	kam hotdesk.login $T1 640 s:$PIN640 | grep -q "logged_out_of: $T5" || return 1
	wait_pid $l || return 1
	terminal_listen "$(port 1)" 1; l=$LISTEN_PID
	sql "UPDATE rs_user SET hotdesk = 0 WHERE extension = '640'"
	wait_pid $l || { e2e_log "no check-sync after hotdesk = 0"; rc=1; }
	end=$((SECONDS + 5))
	until [ -z "$(session_of 640)" ]; do
		[ $SECONDS -lt $end ] || { e2e_log "session still there"; return 1; }
		sleep 0.02
	done
	grep -q "hot-desk logout (user or terminal no longer hot-desking): 640" "$VAR_DIR/kamailio.log" &&
		[ "$(yealink_value 0004f2000001 account.1.user_name)" = $T1 ] && [ $rc -eq 0 ]
}
check "hotdesk = 0 in SQL ends the user's session: check-sync, terminal back to its own account" t_hotdesk_off

t_prov_refused() {
	local rc=0
	fetch snom 0004f2000001 --interface 127.0.0.2
	[ "$HTTP_CODE" = 403 ] || { e2e_log "outside PROV_NET: $HTTP_CODE"; rc=1; }
	fetch snom 0004F2000001; [ "$HTTP_CODE" = 400 ] || rc=1
	fetch yealink 0004f20000zz; [ "$HTTP_CODE" = 400 ] || rc=1
	# an unknown MAC looks like a known one without credentials
	fetch yealink 0004f2999999; [ "$HTTP_CODE" = 401 ] || rc=1
	[ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/provision/polycom/0004f2000001.cfg")" = 404 ] || rc=1
	[ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/provision/snom/$(head -c 3000 /dev/zero | tr '\0' a).xml")" = 400 ] || rc=1
	# bad JSON-RPC input from the media server: errors, not crashes
	rpc_login $T1 600 "$(printf '9%.0s' $(seq 1 40))" | grep -q '"code":[[:space:]]*400' || rc=1
	rpc_login "$(head -c 500 /dev/zero | tr '\0' x)" 600 1234 | grep -q '"code":[[:space:]]*400' || rc=1
	curl -s --max-time 10 --interface "$MEDIA_IP" -d '{"jsonrpc":"2.0","method":"hotdesk.login","params":[1,2],"id":1}' \
		"$URL/RPC" | grep -q '"error"' || rc=1
	[ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' --interface "$MEDIA_IP" \
		-d '{"jsonrpc":' "$URL/RPC")" = 400 ] || { e2e_log "broken JSON: no 400"; rc=1; }
	# raw garbage and an oversized request line on the HTTP port
	# (in a subshell that ignores SIGPIPE: Kamailio may close the
	# connection before the write ends, which must not end the test)
	( trap '' PIPE; printf '\x00\xff garbage\r\n\r\n' >/dev/tcp/$SIP_ADDR/$PROV_PORT ) 2>/dev/null
	( trap '' PIPE; printf 'GET /provision/snom/%s.xml HTTP/1.1\r\nHost: x\r\n\r\n' \
		"$(head -c 70000 /dev/zero | tr '\0' b)" >/dev/tcp/$SIP_ADDR/$PROV_PORT ) 2>/dev/null
	fetch snom 0004f2000001; [ "$HTTP_CODE" = 200 ] || { e2e_log "no answer after garbage"; rc=1; }
	# JSON-RPC is for the media server only
	[ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -d '{"jsonrpc":"2.0","method":"hotdesk.list","id":1}' "$URL/RPC")" = 403 ] || rc=1
	kam_alive || rc=1
	return $rc
}
check "provisioning: 403 outside PROV_NET, 400 bad MAC, 401 unknown; JSON-RPC: 403 except the media server, errors for bad input" t_prov_refused

t_prov_static() {
	local y
	fetch yealink 0004f2001600; y=$BODY
	[ "$HTTP_CODE" = 200 ] && grep -qx "account.1.user_name = 1600" <<<"$y" &&
		grep -qx "account.1.password = pw1600" <<<"$y" &&
		grep -qx "account.1.display_name = Frank Desk" <<<"$y" &&
		grep -qx "memorykey.1.value = forkm600" <<<"$y"
}
check "a static device with a MAC fetches its own account, its owner's name and keys" t_prov_static

t_rpc_errors() {
	kam hotdesk.login hotdesk-0004f2999999 600 1234 2>&1 | grep -q "404 - unknown hot-desk terminal" &&
		kam hotdesk.login $T1 999 1234 2>&1 | grep -q "404 - unknown extension: 999" &&
		kam hotdesk.login $T1 200 1234 2>&1 | grep -q "403 - extension 200 does not use hot desking" &&
		kam hotdesk.login $T1 600 12ab 2>&1 | grep -q "400 - bad argument: the PIN" &&
		kam hotdesk.login $T1 600 2>&1 | grep -q "400 - usage" &&
		kam hotdesk.logout 2>&1 | grep -q "400 - usage" &&
		kam hotdesk.login 1600 600 1234 2>&1 | grep -q "404 - unknown hot-desk terminal" &&
		kam_alive
}
check "hotdesk RPC errors: unknown terminal or extension, not a hot-desk user, bad PIN" t_rpc_errors

e2e_summary
