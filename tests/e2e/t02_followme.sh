#!/usr/bin/env bash
# Follow-me (issue 3): plans, step order and timing, busy, parallel entries,
# external entries, voicemail last, answer at a step boundary, busy level.
SIP_PORT=${SIP_PORT:-$((25160 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
MEDIA_IP=$(rs_uri_host "$MEDIA_URI"); MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")
GW_IP=$(rs_uri_host "$GATEWAY_URI"); GW_PORT=$(rs_uri_port "$GATEWAY_URI")
TOL=${RING_TOLERANCE_MS:-300}   # on a loaded 2-core machine
add_user 200 "Alice Able" 4940111200
add_device 200 pw200 200
add_user 201 "Bob Bold" 4940111201
add_device 201 pw201 201
add_user 600 "Frank Follow" 4940111600
add_device 1600 pw1600 600
add_user 700 "Grace Grey"
add_device 1700 pw1700 700
add_user 800 "Henry Hill"
add_device 1800 pw1800 800
sql "UPDATE rs_user SET ring_seconds = 2 WHERE extension IN ('600', '700', '800')"
kam followme.reload >/dev/null
register 1600 pw1600 $P 26201 && register 1700 pw1700 $P 26202 &&
	register 1800 pw1800 $P 26203 || { echo "registration failed"; exit 1; }

# followme ENTRIES...: replaces 600's sequence; each entry "mode target secs"
followme() {
	local pos=0 e
	sql "DELETE FROM rs_followme WHERE extension = '600'"
	for e in "$@"; do
		set -- $e
		pos=$((pos + 1))
		sql "INSERT INTO rs_followme (extension, position, target, mode, ring_seconds)
			VALUES ('600', $pos, '$2', '$1', $3)"
	done
	kam followme.reload >/dev/null
}
user600() { sql "UPDATE rs_user SET $1 WHERE extension = '600'"; kam followme.reload >/dev/null; }

t_plan() {
	local out
	user600 "voicemail = 1, forward_external = 0"
	followme "serial 700 2" "parallel 1800 1" "serial 0049301234 2"
	out=$(kam followme.plan 600)
	echo "$out" | sed 's/^/        /' >&2
	grep -qF "<sip:1600@$SIP_DOMAIN?expires=2>;q=1.0" <<<"$out" &&
		grep -qF "<sip:1700@$SIP_DOMAIN?expires=2>;q=0.96" <<<"$out" &&
		grep -qF "<sip:1800@$SIP_DOMAIN?expires=1>;q=0.96" <<<"$out" &&
		grep -q "0049301234.*external forwarding not allowed" <<<"$out" &&
		grep -qF "q=0.88" <<<"$out" &&
		grep -qi "voicemail" <<<"$out"
}
check "followme.plan prints the sipX form with q, expires and skip reasons" t_plan

t_plan_errors() {
	kam followme.plan 99999 2>&1 | grep -q "404 - unknown extension" &&
		kam followme.plan 2>&1 | grep -q "400 - usage"
}
check "followme.plan errors for unknown or missing extensions" t_plan_errors

t_order_timing() { t_order_timing_at 26201 26202 26210; }

# t_order_timing_at PORT_1600 PORT_1700 CALLER_PORT
t_order_timing_at() {
	local a b m1 m2 i1 c1 i2 c2 rc=0
	user600 "voicemail = 0"
	followme "serial 700 2"
	phone 1600 $P $1 uas_cancel.xml; a=$SIPP_PID; m1=$PHONE_MSG
	phone 1700 $P $2 uas_cancel.xml; b=$SIPP_PID; m2=$PHONE_MSG
	call_end 480 200 pw200 $P $3 600 || { e2e_log "caller did not get 480"; rc=1; }
	wait_pid $a && wait_pid $b || { e2e_log "a device was not rung and cancelled"; return 1; }
	i1=$(msg_time "$m1" '^INVITE') && c1=$(msg_time "$m1" '^CANCEL') &&
		i2=$(msg_time "$m2" '^INVITE') && c2=$(msg_time "$m2" '^CANCEL') || return 1
	e2e_log "step 1 rang $((c1 - i1)) ms, step 2 began $((i2 - c1)) ms after, rang $((c2 - i2)) ms (goal 2000, 0, 2000)"
	grep -q '^Expires: 2' "$m1" || { e2e_log "no Expires on the INVITE"; rc=1; }
	within $((c1 - i1)) 2000 $TOL && within $((i2 - c1)) 0 $TOL &&
		within $((c2 - i2)) 2000 $TOL && [ $rc -eq 0 ]
}
check "steps ring in order, each for its ring time, then 480" t_order_timing


t_busy_next() {
	local a b gap
	followme "serial 700 2"
	phone 1600 $P 26201 uas_busy.xml; a=$SIPP_PID; m1=$PHONE_MSG
	phone 1700 $P 26202 uas_answer.xml -d 10; b=$SIPP_PID; m2=$PHONE_MSG
	call 200 pw200 $P 26211 600 && wait_pid $a && wait_pid $b || return 1
	gap=$(invite_gap "$m1" "$m2") || return 1
	e2e_log "busy in step 1: step 2 began $gap ms after step 1"
	within $gap 0 $TOL
}
check "busy in step 1 moves on to the next step at once" t_busy_next

t_parallel() {
	local a b gap
	followme "parallel 1800 2"
	phone 1600 $P 26201 uas_cancel.xml; a=$SIPP_PID; m1=$PHONE_MSG
	phone 1800 $P 26203 uas_answer.xml -d 200; b=$SIPP_PID; m2=$PHONE_MSG
	call 200 pw200 $P 26212 600 && wait_pid $a && wait_pid $b || return 1
	gap=$(invite_gap "$m1" "$m2") || return 1
	within $gap 0 100
}
check "a parallel entry rings together with the user's devices" t_parallel

t_external() {
	local a g gm
	user600 "forward_external = 1"
	followme "serial 0049301234 3"
	phone 1600 $P 26201 uas_cancel.xml; a=$SIPP_PID
	sipp_bg gw -sf "$SCEN/uas_service.xml" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID; gm=$SIPP_MSG
	wait_bound "$GW_IP" "$GW_PORT"
	call 200 pw200 $P 26213 600 && wait_pid $a && wait_pid $g || return 1
	grep -q "^INVITE sip:0049301234@$GW_IP:$GW_PORT" "$gm" &&
		grep -q "^P-Asserted-Identity: <sip:4940111600@" "$gm"
}
check "an external entry goes to the gateway with the user's external CLI" t_external

t_external_denied() {
	local a g gm
	user600 "forward_external = 0"
	followme "serial 0049301234 3"
	kam followme.plan 600 | grep -q "external forwarding not allowed" || return 1
	phone 1600 $P 26201 uas_cancel.xml; a=$SIPP_PID
	sipp_bg gw -sf "$SCEN/uas_service.xml" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID; gm=$SIPP_MSG
	wait_bound "$GW_IP" "$GW_PORT"
	call_end 480 200 pw200 $P 26214 600 && wait_pid $a || { stop_bg $g; return 1; }
	stop_bg $g
	! grep -q "^INVITE" "$gm"
}
check "without forward_external the external entry is skipped" t_external_denied

t_voicemail_last() {
	local a b v vm c2
	user600 "voicemail = 1"
	sql "UPDATE rs_user SET voicemail = 1 WHERE extension = '700'"
	followme "serial 700 2"
	phone 1600 $P 26201 uas_cancel.xml; a=$SIPP_PID
	phone 1700 $P 26202 uas_cancel.xml; b=$SIPP_PID; m2=$PHONE_MSG
	sipp_bg media -sf "$SCEN/uas_service.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"; v=$SIPP_PID; vm=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	call 200 pw200 $P 26215 600 && wait_pid $a && wait_pid $b && wait_pid $v || return 1
	c2=$(msg_time "$m2" '^CANCEL') && vi=$(msg_time "$vm" '^INVITE') || return 1
	# only 600's mailbox, only once, only after the last step
	[ "$(grep -c '^INVITE sip:voicemail@' "$vm")" -eq 1 ] &&
		grep -q "^X-Ringset-Mailbox: 600" "$vm" &&
		! grep -q "^X-Ringset-Mailbox: 700" "$vm" && [ "$vi" -ge "$c2" ]
}
check "voicemail comes last, and an intermediate extension's voicemail is not used" t_voicemail_last

t_boundary() {
	local a
	user600 "voicemail = 0"
	followme "serial 700 2"
	# 1600's 200 OK crosses the CANCEL sent when its 2 s are up
	phone 1600 $P 26201 uas_cross.xml; a=$SIPP_PID
	call 200 pw200 $P 26216 600 && wait_pid $a
}
check "a 2xx that arrives at a step boundary is taken" t_boundary

t_busy_level() {
	local a b first second i
	user600 "voicemail = 0, max_calls = 1"
	followme "serial 700 2"
	phone 1600 $P 26201 uas_answer.xml -d 1000; a=$SIPP_PID; m1=$PHONE_MSG
	phone 1700 $P 26202 uas_answer.xml -d 10; b=$SIPP_PID
	sipp_bg uac-first -sf "$SCEN/uac_call.xml" -m 1 -s 600 -au 200 -ap pw200 \
		-i $P -p 26217 -key caller 200 -key xhdr "X-Test: ringset" -d 500
	first=$SIPP_PID
	for i in $(seq 1 500); do
		grep -q '^INVITE' "$m1" 2>/dev/null && break
		sleep 0.02
	done
	# the busy level counts the calls of users with a max_calls only: 600's
	# call is in profile "calls", its caller 200 (none) is not
	[ "$(kam dlg.profile_get_size calls 600)" = 1 ] &&
		[ "$(kam dlg.profile_get_size calls 200)" = 0 ] || {
		e2e_log "profile calls: 600 $(kam dlg.profile_get_size calls 600), 200 $(kam dlg.profile_get_size calls 200)"
		second=1; }
	# 600 has one call in progress: the second skips its devices
	call 201 pw201 $P 26218 600 || second=1
	wait $first && wait_pid $a && wait_pid $b && [ -z "${second:-}" ] &&
		[ "$(grep -c '^INVITE' "$m1")" -eq 1 ]
}
check "at max_calls the user's devices are skipped as busy" t_busy_level

t_order_timing_tcp() {
	# the same devices, now registered over TCP only; the call comes over TCP
	kam ul.rm location s:1600 | grep -q . && return 1; kam ul.rm location s:1700 | grep -q . && return 1
	SIPP_T=t1 register 1600 pw1600 $P 26221 &&
		SIPP_T=t1 register 1700 pw1700 $P 26222 || return 1
	SIPP_T=t1 t_order_timing_at 26221 26222 26219
}
check "over TCP the steps keep the same timing" t_order_timing_tcp

e2e_summary
