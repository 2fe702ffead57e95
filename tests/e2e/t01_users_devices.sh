#!/usr/bin/env bash
# Foundation (issue 2): registration, a user with three devices, identity,
# restart, SQL changes, database down, bad input.
SIP_PORT=${SIP_PORT:-$((25060 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

e2e_start

PHONE=127.0.0.1   # phones
# user 200 (Alice) with one device; user 300 (Carol) with three
add_user 200 "Alice Able" 4940111200
add_device 200 pw200 200
add_user 300 "Carol Cole" 4940111300
add_device 1300 pw1300 300
add_device 2300 pw2300 300
add_device 3300 pw3300 300
add_user 500 "Eve Empty"
add_device 1500 pw1500 500
kam userdev.reload >/dev/null

t_register() {
	register 1300 pw1300 $PHONE 26001 &&
		kam userdev.show 1300 | grep -q "sip:1300@$PHONE:26001"
}
check "REGISTER with the right password is accepted" t_register

t_register_bad() {
	sipp_run reg-bad -sf "$SCEN/register_refused.xml" -m 1 -s 2300 -au 2300 \
		-ap wrong -i $PHONE -p 26002 -key expires 3600 &&
		! kam userdev.show 2300 | grep -q "sip:2300@"
}
check "REGISTER with a wrong password gets 403 and saves nothing" t_register_bad

t_register_unknown() {
	sipp_run reg-unknown -sf "$SCEN/register_refused.xml" -m 1 -s 9999 \
		-au 9999 -ap x -i $PHONE -p 26003 -key expires 3600
}
check "REGISTER for an unknown device gets 403" t_register_unknown

t_fork() {
	local a b c rc=0
	register 2300 pw2300 $PHONE 26002 && register 3300 pw3300 $PHONE 26003 || return 1
	phone 1300 $PHONE 26001 uas_cancel.xml; a=$SIPP_PID
	phone 2300 $PHONE 26002 uas_answer.xml -d 300; b=$SIPP_PID
	ANSWER_MSG=$PHONE_MSG
	phone 3300 $PHONE 26003 uas_cancel.xml; c=$SIPP_PID
	call 200 pw200 $PHONE 26100 300 || { e2e_log "caller failed"; rc=1; }
	wait_pid $a || { e2e_log "1300 was not rung and cancelled"; rc=1; }
	wait_pid $b || { e2e_log "2300 did not answer"; rc=1; }
	wait_pid $c || { e2e_log "3300 was not rung and cancelled"; rc=1; }
	return $rc
}
check "a call to a user rings its three devices; one answers, two get CANCEL" t_fork

t_identity() {
	local msg=$ANSWER_MSG
	# the INVITE the answering device saw shows the user, not the device
	grep -q '^From: "Alice Able" <sip:200@'"$SIP_DOMAIN"'>' "$msg" &&
		grep -q '^P-Asserted-Identity: "Alice Able" <sip:200@'"$SIP_DOMAIN"'>' "$msg"
}
check "the callee sees the caller's user: From, display name and PAI" t_identity

t_cdr() {
	local row i
	# one row per answered call, written by the async workers with its BYE
	for i in $(seq 1 250); do
		[ "$(sql "SELECT COUNT(*) FROM acc WHERE method = 'BYE' AND dst_device = '2300'")" -ge 1 ] && break
		sleep 0.02
	done
	row=$(sql "SELECT src_user, src_device, dst_user, dst_device, sip_code,
		call_start <> '', duration REGEXP '^[0-9]+$' FROM acc
		WHERE method = 'BYE' ORDER BY id DESC LIMIT 1")
	[ "$row" = "$(printf '200\t200\t300\t2300\t200\t1\t1')" ] ||
		{ e2e_log "acc BYE row: '$row'"; return 1; }
	# the answered INVITE has no row of its own
	row=$(sql "SELECT COUNT(*) FROM acc WHERE method = 'INVITE' AND sip_code LIKE '2%'")
	[ "$row" = 0 ] || { e2e_log "acc has $row rows of answered INVITEs"; return 1; }
}
check "one CDR row per answered call, at its BYE: user and device on both sides, answer time, duration" t_cdr

t_cdr_failed() {
	local a row i
	phone 1300 $PHONE 26001 uas_busy.xml; a=$SIPP_PID
	call_refused 486 200 pw200 $PHONE 26108 1300 || { e2e_log "caller did not get 486"; return 1; }
	wait_pid $a || return 1
	# both rows come from the async workers, in either order
	for i in $(seq 1 250); do
		[ "$(sql "SELECT (SELECT COUNT(*) FROM acc WHERE sip_code = '486')
			+ (SELECT COUNT(*) FROM missed_calls WHERE sip_code = '486')")" -ge 2 ] && break
		sleep 0.02
	done
	row=$(sql "SELECT src_user, src_device, dst_device, call_start FROM acc
		WHERE method = 'INVITE' AND sip_code = '486' ORDER BY id DESC LIMIT 1")
	[ "$row" = "$(printf '200\t200\t1300\t')" ] || { e2e_log "acc row of the busy call: '$row'"; return 1; }
	row=$(sql "SELECT src_user, dst_device FROM missed_calls WHERE sip_code = '486'")
	[ "$row" = "$(printf '200\t1300')" ] || { e2e_log "missed_calls row of the busy call: '$row'"; return 1; }
}
check "a failed call has its CDR row, written with the final reply, and a missed_calls row" t_cdr_failed

t_spoofed_header() {
	local a callee
	phone 1300 $PHONE 26001 uas_answer.xml -d 10; a=$SIPP_PID
	callee=$PHONE_MSG
	XHDR="X-Ringset-Prompt: spoofed" call 200 pw200 $PHONE 26101 1300 &&
		wait_pid $a &&
		grep -q "X-Ringset-Prompt: spoofed" "$SIPP_MSG" &&
		grep -q "^INVITE sip:1300@" "$callee" &&
		! grep -q "X-Ringset" "$callee"
}
check "a device dialled directly rings alone; spoofed X-Ringset-* is dropped" t_spoofed_header

# a device named as its user whose From already shows the user (display
# name included, quoted) keeps its From: no uac rewrite, so no vsf= in the
# Record-Route. Its sibling device 2260 shows another URI: its From is
# rewritten to the user's, with the restore parameter in the Record-Route.
# (Calls from 200 above change only the display name: no vsf= either.)
t_identity_kept() {
	local a callee
	add_user 260 "Phone 260"
	add_device 260 pw260 260
	add_device 2260 pw2260 260
	kam userdev.reload >/dev/null
	wait_directory 2260 2 || return 1
	phone 1300 $PHONE 26001 uas_answer.xml -d 10; a=$SIPP_PID
	callee=$PHONE_MSG
	call 260 pw260 $PHONE 26108 1300 && wait_pid $a || return 1
	grep -q '^From: "Phone 260" <sip:260@'"$SIP_DOMAIN"'>' "$callee" &&
		grep -q '^P-Asserted-Identity: "Phone 260" <sip:260@'"$SIP_DOMAIN"'>' "$callee" &&
		grep -q '^Record-Route: ' "$callee" && ! grep -q 'vsf=' "$callee" || {
		e2e_log "the call from 260 was rewritten"; return 1; }
	grep -q '^Record-Route: ' "$ANSWER_MSG" && ! grep -q 'vsf=' "$ANSWER_MSG" || {
		e2e_log "the call from 200 (display name only) has restore state"; return 1; }
	phone 1300 $PHONE 26001 uas_answer.xml -d 10; a=$SIPP_PID
	callee=$PHONE_MSG
	call 2260 pw2260 $PHONE 26108 1300 && wait_pid $a || return 1
	grep -q '^From: "Phone 260" <sip:260@'"$SIP_DOMAIN"'>' "$callee" &&
		grep -q '^Record-Route: .*vsf=' "$callee" || {
		e2e_log "the call from 2260 does not show user 260 with restore state"; return 1; }
}
check "a From that shows the user is kept, a display name alone is replaced without restore state, another URI is rewritten with it" t_identity_kept

t_not_registered() {
	call_refused 480 200 pw200 $PHONE 26102 500
}
check "a user with nothing registered gets 480" t_not_registered

t_unknown() {
	call_refused 404 200 pw200 $PHONE 26103 777
}
check "an unknown number gets 404" t_unknown

t_malformed() {
	# garbage first: not SIP at all
	printf '\x00\xff\x13 not sip at all\r\n\r\n' >/dev/udp/$SIP_ADDR/$SIP_PORT
	printf 'INVITE\r\nVia: \r\n\r\n' >/dev/udp/$SIP_ADDR/$SIP_PORT
	sipp_run malformed -sf "$SCEN/malformed.xml" -m 1 -i $PHONE -p 26104 &&
		kam_alive
}
check "a malformed request gets 400 and crashes nothing" t_malformed

t_sql_add() {
	local t0 t1 a
	sql "INSERT INTO subscriber (username, domain, password)
		VALUES ('4300', '$SIP_DOMAIN', 'pw4300')"
	t0=$(date +%s%N)
	sql "INSERT INTO rs_device (username, domain, extension, kind)
		VALUES ('4300', '$SIP_DOMAIN', '300', 'static')"
	wait_directory 4300 2 || { e2e_log "device 4300 not seen within 2 s"; return 1; }
	t1=$(date +%s%N)
	e2e_log "device added in SQL live after $(((t1 - t0) / 1000000)) ms"
	register 4300 pw4300 $PHONE 26005 || return 1
	# user 300 now has four registered devices: 4300 answers, others cancel
	local p1 p2 p3
	phone 1300 $PHONE 26001 uas_cancel.xml; p1=$SIPP_PID
	phone 2300 $PHONE 26002 uas_cancel.xml; p2=$SIPP_PID
	phone 3300 $PHONE 26003 uas_cancel.xml; p3=$SIPP_PID
	phone 4300 $PHONE 26005 uas_answer.xml -d 300; a=$SIPP_PID
	call 200 pw200 $PHONE 26105 300 && wait_pid $a && wait_pid $p1 &&
		wait_pid $p2 && wait_pid $p3
}
check "a device added in SQL is live within 2 s and rings" t_sql_add

t_restart() {
	local a
	"$STACK" kam-stop && "$STACK" kam-start || return 1
	phone 4300 $PHONE 26005 uas_answer.xml -d 10; a=$SIPP_PID
	call 200 pw200 $PHONE 26106 4300 && wait_pid $a
}
check "registrations survive a Kamailio restart" t_restart

t_db_down() {
	local a rc=0
	"$STACK" db-stop || return 1
	# routing from the copy starts when the poller has seen the outage (a
	# request in the ~100 ms before gets a stale challenge, route[AUTH_PHONE])
	wait_until 5 sh -c "$KAMCMD userdev.status | grep -q 'database: down'" || rc=1
	phone 4300 $PHONE 26005 uas_answer.xml -d 10; a=$SIPP_PID
	call 200 pw200 $PHONE 26107 4300 || rc=1
	wait_pid $a || rc=1
	kam userdev.show 300 | grep -q 4300 || rc=1
	kam userdev.status | grep -q 'database: down' || rc=1
	"$STACK" db-start || rc=1
	return $rc
}
check "with the database stopped, calls still route from the last good copy" t_db_down

t_rpc_errors() {
	local out
	out=$(kam userdev.show 99999 2>&1)
	echo "$out" | grep -q "404 - unknown extension or device: 99999" || return 1
	out=$(kam userdev.show 2>&1)
	echo "$out" | grep -q "400 - usage" || return 1
	kam_alive
}
check "userdev.show errors for unknown or missing arguments" t_rpc_errors

e2e_summary
