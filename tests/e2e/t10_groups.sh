#!/usr/bin/env bash
# Groups, pickup, permissions, forwarding, DND, schedules (README "Groups,
# pickup, permissions, forwarding, do-not-disturb"): every case asserts
# what crossed the wire.
SIP_PORT=${SIP_PORT:-$((26060 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

e2e_start

P=127.0.0.1
B=$((SIP_PORT + 1000)) # phone ports B+1 ...
MEDIA_IP=$(rs_uri_host "$MEDIA_URI"); MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")
GW_IP=$(rs_uri_host "$GATEWAY_URI"); GW_PORT=$(rs_uri_port "$GATEWAY_URI")
# phones: 1200 .. 1210 at B+200 .. B+210; RTP peers from B+502 on
E2E_RTP_N=300
port_of() { echo $((B + $1 - 1000)); }

# 200 calls; 201, 202, 203 are the members of the groups; 210 is in the
# lobby (no external calls); 203 has Fork2Mobile on
sql "INSERT INTO rs_permission_set (name, call_external, call_international, forward_external)
	VALUES ('local', 1, 0, 1), ('lobby', 0, NULL, NULL)"
for u in 200 201 202 203 204 205 206 210; do
	add_user $u "User $u" 49401112$u
	add_device 1$u pw1$u $u
done
sql "UPDATE rs_user SET permission_set = 'local' WHERE extension IN ('200', '202', '204', '206');
	UPDATE rs_user SET permission_set = 'lobby' WHERE extension = '210';
	UPDATE rs_user SET pickup_group = 'sales' WHERE extension IN ('201', '202');
	UPDATE rs_user SET mobile = '01701234203', fork2mobile = 1 WHERE extension = '203';
	UPDATE rs_user SET max_calls = 1 WHERE extension IN ('201', '202', '203')"
sql "INSERT INTO rs_group (extension, domain, display_name, strategy, ring_seconds, last_destination) VALUES
	('700', '$SIP_DOMAIN', 'Sales all', 'ringall', 10, ''),
	('701', '$SIP_DOMAIN', 'Sales serial', 'serial', 2, ''),
	('702', '$SIP_DOMAIN', 'Sales hunt', 'hunt', 3, '');
	INSERT INTO rs_group_member (group_extension, extension, position) VALUES
	('700', '201', 1), ('700', '202', 2), ('700', '203', 3),
	('701', '202', 2), ('701', '201', 1),
	('702', '201', 1), ('702', '202', 2)"
# outbound rule (dialplan idx 1): 0<national> -> +49<national>
sql "INSERT INTO dialplan (dpid, pr, match_op, match_exp, match_len, subst_exp, repl_exp, attrs)
	VALUES (1, 1, 1, '^0([1-9][0-9]+)\$', 0, '^0([1-9][0-9]+)\$', '+49\\\\1', '')"
kam dialplan.reload >/dev/null
kam userdev.reload >/dev/null
for u in 200 201 202 203 204 205 206 210; do
	register 1$u pw1$u $P $(port_of 1$u) || { echo "registration of 1$u failed"; exit 1; }
done

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# gateway / media: a peer that answers, in the background ($PEER_PID, $PEER_MSG)
peer() {
	sipp_bg "$1" -sf "$SCEN/uas_service.xml" -m 1 -i "$2" -p "$3" "${@:4}"
	PEER_PID=$SIPP_PID; PEER_MSG=$SIPP_MSG
	wait_bound "$2" "$3"
}

# code DEVICE DIALLED PROMPT: the device dials a code, the media server
# plays PROMPT
code() {
	local dev=$1 num=$2 prompt=$3 m mm port
	E2E_PORT_N=$((${E2E_PORT_N:-300} + 1)); port=$((B + E2E_PORT_N))
	sipp_bg media -sf "$SCEN/uas_announce.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	m=$SIPP_PID; mm=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	sipp_run "code-$dev" -sf "$SCEN/uac_announced.xml" -m 1 -s "$num" -au "$dev" \
		-ap "pw$dev" -i $P -p $port -key caller "$dev" ||
		{ e2e_log "$num from $dev did not end in an announcement"; stop_bg $m; return 1; }
	wait_pid $m || return 1
	grep -q "^X-Ringset-Prompt: $prompt\s*$" "$mm" ||
		{ e2e_log "$num: prompt $(grep -m1 '^X-Ringset-Prompt' "$mm") (want $prompt)"; return 1; }
}

# --- permissions -----------------------------------------------------------

t_perm_show() {
	local out
	out=$(kam userdev.show 200) || return 1
	sed -n '/permissions/,/}/p' <<<"$out" | sed 's/^/        /' >&2
	grep -q "call_external: yes (set local)" <<<"$out" &&
		grep -q "call_international: no (set local)" <<<"$out" &&
		grep -q "forward_external: yes (set local)" <<<"$out" &&
		grep -q "voicemail: no (default)" <<<"$out" &&
		kam userdev.show 210 | grep -q "call_external: no (set lobby)" &&
		sql "UPDATE rs_user SET call_international = 1 WHERE extension = '210'" &&
		kam userdev.reload >/dev/null &&
		kam userdev.show 210 | grep -q "call_international: yes (user)"
}
check "userdev.show: effective permissions and where each comes from (default, set, user)" t_perm_show

# dial DEVICE NUMBER CODE: 403 expected, else (CODE 200) the gateway answers;
# sets GW_GOT to the number of INVITEs the gateway got
dial() {
	local dev=$1 num=$2 want=$3 port=$(($(port_of $1) + 50))
	peer gw "$GW_IP" "$GW_PORT"
	if [ "$want" = 403 ]; then
		call_refused 403 "$dev" "pw$dev" $P $port "$num" || { stop_bg $PEER_PID; return 1; }
		grep -q "^SIP/2.0 403 Forbidden: " "$SIPP_MSG" || { stop_bg $PEER_PID; return 1; }
		e2e_log "$dev -> $num: $(grep -m1 '^SIP/2.0 403' "$SIPP_MSG" | tr -d '\r')"
		stop_bg $PEER_PID
	else
		call "$dev" "pw$dev" $P $port "$num" || { stop_bg $PEER_PID; return 1; }
		wait_pid $PEER_PID || return 1
	fi
	GW_GOT=$(n_received "$PEER_MSG" INVITE)
}

t_perm_gateway() {
	# 210 may not call out at all; 200 may call nationally, not abroad
	dial 1210 0301234567 403 && [ "$GW_GOT" = 0 ] &&
		dial 1200 00441234567 403 && [ "$GW_GOT" = 0 ] &&
		dial 1200 0301234567 200 && [ "$GW_GOT" = 1 ] &&
		grep -q "^INVITE sip:+49301234567@" "$PEER_MSG" &&
		[ "$(grep -c '^P-Asserted-Identity:' "$PEER_MSG")" = 1 ] &&
		grep -q "^P-Asserted-Identity: <sip:49401112200@$SIP_DOMAIN>" "$PEER_MSG" &&
		dial 1201 00441234567 200 && [ "$GW_GOT" = 1 ] &&
		grep -q "^INVITE sip:00441234567@" "$PEER_MSG"
}
check "permissions at the gateway: call_external and call_international denied (403, gateway gets nothing) and allowed (one PAI, the external CLI)" t_perm_gateway

# cdr_is CALLID WANT: the CDR of that call reads "<method> <code> <reason>"
cdr_is() { [ "$(sql "SELECT CONCAT(method, ' ', sip_code, ' ', sip_reason) FROM acc WHERE callid = '$1'")" = "$2" ]; }

# refused DEVICE NUMBER REASON: with an offer, the caller hears not-allowed
# (the media server's refuse service, early media through RTPengine), then
# gets "403 REASON"; the gateway gets nothing; the CDR is that 403
refused() {
	local dev=$1 num=$2 why=$3 g gm rp rep sc t183 t403 rc=0 cid
	peer gw "$GW_IP" "$GW_PORT"; g=$PEER_PID; gm=$PEER_MSG
	next_rtp_port; rp=$RTP_PORT
	peer_start "$dev-not-allowed" $rp -e "$PROMPTS_DIR/not-allowed.wav"; rep=$PEER_REPORT
	sc=$LOGDIR/uac_rtp_refused_403.xml
	sed "s/@CODE@/403/g" "$SCEN/uac_rtp_refused.xml.in" >"$sc"
	sipp_run "refused-$dev" -sf "$sc" -m 1 -s "$num" -au "$dev" -ap "pw$dev" -i $P \
		-p $(($(port_of "$dev") + 51)) -key caller "$dev" -key rtpip $P -key rtpport $rp ||
		{ e2e_log "$num from $dev: not 183, then 403"; rc=1; }
	wait_pid $PEER_PID
	stop_bg $g
	grep -q "^SIP/2.0 403 $why" "$SIPP_MSG" || { e2e_log "$num from $dev: no '403 $why'"; rc=1; }
	t183=$(msg_time "$SIPP_MSG" '^SIP/2.0 183') && t403=$(msg_time "$SIPP_MSG" '^SIP/2.0 403') &&
		e2e_log "$dev -> $num: 183 (early media), 403 $why $((t403 - t183)) ms later (not-allowed: $(prompt_ms not-allowed) ms)"
	prompt_heard "$rep" not-allowed && via_rtpengine "$rep" || rc=1
	[ "$(n_received "$gm" INVITE)" = 0 ] || { e2e_log "the gateway got the refused call"; rc=1; }
	cid=$(call_id "$SIPP_MSG")
	# the row comes with cdrwriter's next flush: asked again until then
	wait_until 5 cdr_is "$cid" "INVITE 403 $why" ||
		{ e2e_log "CDR of $cid: $(sql "SELECT method, sip_code, sip_reason FROM acc WHERE callid = '$cid'")"; rc=1; }
	return $rc
}

t_refused_prompt() {
	local rc=0
	"$STACK" media-start >/dev/null || { e2e_log "the media server did not start"; return 1; }
	refused 1210 0301234567 "Forbidden: external calls not allowed" || rc=1
	refused 1200 00441234567 "Forbidden: international calls not allowed" || rc=1
	media_clean || rc=1
	return $rc
}
check "a number dialled without the permission: not-allowed heard as early media (183, via RTPengine), then 403 with the reason; gateway gets nothing, CDR 403" t_refused_prompt

# --- DND and forwarding by code, with their lamps ---------------------------

# watch DEVICE LAMP: a BLF key on LAMP ($W_PID, $W_MSG)
watch() {
	sipp_bg "watch-$2" -sf "$SCEN/watcher.xml" -m 1 -s "$2" -au "$1" -ap "pw$1" \
		-i $P -p $((B + 400 + ${W_N:=0})) -key caller "$1" -timeout 60
	W_N=$((W_N + 1)); W_PID=$SIPP_PID; W_MSG=$SIPP_MSG
}

# lamp_after WANT LIMIT_MS CMD...: CMD makes the next NOTIFY show WANT in time
lamp_after() {
	local want=$1 limit=$2 n t0 t1 got
	shift 2
	n=$(notify_n "$W_MSG")
	t0=$(now_ms)
	"$@" || return 1
	wait_notify "$W_MSG" $((n + 1)) 5 || { e2e_log "no NOTIFY after $*"; return 1; }
	t1=$(msg_time "$W_MSG" '^NOTIFY' $((n + 1))) || return 1
	got=$(state_of "$W_MSG" $((n + 1)))
	e2e_log "$* -> NOTIFY <state>$got</state> $((t1 - t0)) ms later"
	[ "$got" = "$want" ] && [ $((t1 - t0)) -le "$limit" ]
}

col() { sql "SELECT IFNULL($1, 'NULL') FROM rs_user WHERE extension = '$2'"; }

t_perm_forward_voicemail() {
	local rc=0
	# forward_external: 201 has none (no set, default 0): *72<number> is
	# refused, nothing is stored; 202 has it from its set (t_cfwd below)
	code 1201 '*720301234567' not-allowed || rc=1
	[ "$(col cfwd_target 201)" = NULL ] || rc=1
	grep -q "forward of 201 requested by 1201 refused: 201 may not forward to external numbers" \
		"$VAR_DIR/kamailio.log" || rc=1
	# voicemail: from a set, then overridden by the user's own column
	sql "INSERT INTO rs_permission_set (name, voicemail) VALUES ('mailbox', 1);
		UPDATE rs_user SET permission_set = 'mailbox' WHERE extension = '205'"
	kam userdev.reload >/dev/null
	kam followme.plan 205 | grep -q "<sip:voicemail@" || { e2e_log "no voicemail step from the set"; rc=1; }
	sql "UPDATE rs_user SET voicemail = 0 WHERE extension = '205'"
	kam userdev.reload >/dev/null
	kam followme.plan 205 | grep -q "voicemail" && { e2e_log "voicemail step despite the user's 0"; rc=1; }
	kam userdev.show 205 | grep -q "voicemail: no (user)" || rc=1
	return $rc
}

check "forward_external and voicemail permissions: denied (*72 refused, no mailbox) and allowed (from the set), the user's column wins" t_perm_forward_voicemail

t_dnd() {
	local rc=0 d
	watch 1201 dnd201
	wait_notify "$W_MSG" 1 5 || { stop_bg $W_PID; return 1; }
	[ "$(state_of "$W_MSG" 1)" = none ] || rc=1
	lamp_after confirmed 1000 code 1201 '*78' saved || rc=1
	[ "$(col dnd 201)" = 1 ] || rc=1
	# 201's device does not ring; nothing else in its plan: 486
	phone 1201 $P $(port_of 1201) uas_answer.xml; d=$SIPP_PID
	call_refused 486 1200 pw1200 $P $((B + 60)) 201 || { e2e_log "DND: no 486"; rc=1; }
	stop_bg $d
	[ "$(n_received "$PHONE_MSG" INVITE)" = 0 ] || { e2e_log "DND: 1201 rang"; rc=1; }
	lamp_after none 1000 code 1201 '*79' thank-you || rc=1
	[ "$(col dnd 201)" = 0 ] || rc=1
	lamp_after confirmed 1000 code 1201 dnd201 saved || rc=1
	lamp_after none 1000 kam dnd.set 201 off || rc=1
	lamp_after confirmed 3000 sql "UPDATE rs_user SET dnd = 1 WHERE extension = '201'" || rc=1
	lamp_after none 3000 sql "UPDATE rs_user SET dnd = 0 WHERE extension = '201'" || rc=1
	code 1202 dnd201 not-allowed || rc=1
	stop_bg $W_PID
	return $rc
}
check "DND: *78 on (lamp dnd201 confirmed <= 1 s, calls 486, device not rung), *79 off; dnd201 key, RPC, SQL; another user's key refused" t_dnd

t_dnd_mobile() {
	local rc=0 d m mm
	# 203 has Fork2Mobile on: in DND its mobile leg is skipped as well
	kam dnd.set 203 on >/dev/null || return 1
	kam followme.plan 203 | sed 's/^/        /' >&2
	kam followme.plan 203 | grep -q "^skipped: 01701234203 (fork2mobile): do not disturb" || rc=1
	phone 1203 $P $(port_of 1203) uas_cancel.xml; d=$SIPP_PID
	sipp_bg confirm -sf "$SCEN/uas_cancel.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	m=$SIPP_PID; mm=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	call_refused 486 1200 pw1200 $P $((B + 63)) 203 || { e2e_log "203 in DND: no 486"; rc=1; }
	stop_bg $d; stop_bg $m
	[ "$(n_received "$PHONE_MSG" INVITE)" = 0 ] || { e2e_log "1203 rang in DND"; rc=1; }
	[ "$(n_received "$mm" INVITE)" = 0 ] || { e2e_log "203's confirm leg rang in DND"; rc=1; }
	kam dnd.set 203 off >/dev/null || rc=1
	return $rc
}
check "DND with Fork2Mobile on: the mobile (confirm) leg is skipped too (plan says why), the call gets 486" t_dnd_mobile

t_dnd_race() {
	local m mm i pids=() rc=0 before saved thanks
	# four dnd201 keys pressed at once (four SIP workers): each toggle is
	# one transaction of the write path, so none is lost
	before=$(col dnd 201)
	sipp_bg media -sf "$SCEN/uas_announce.xml" -m 4 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	m=$SIPP_PID; mm=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	for i in 1 2 3 4; do
		sipp_bg "race-$i" -sf "$SCEN/uac_announced.xml" -m 1 -s dnd201 -au 1201 \
			-ap pw1201 -i $P -p $((B + 360 + i)) -key caller 1201
		pids+=("$SIPP_PID")
	done
	for i in "${pids[@]}"; do wait_pid "$i" || rc=1; done
	wait_pid $m || { e2e_log "the announce peer did not get 4 calls"; rc=1; }
	saved=$(grep -c "^X-Ringset-Prompt: saved" "$mm"); thanks=$(grep -c "^X-Ringset-Prompt: thank-you" "$mm")
	e2e_log "4 toggles at once: $saved saved, $thanks thank-you; dnd $before -> $(col dnd 201)"
	[ "$saved" = 2 ] && [ "$thanks" = 2 ] && [ "$(col dnd 201)" = "$before" ] || rc=1
	return $rc
}
check "four DND toggles at once: two on, two off, the state as before (one write path, one transaction each)" t_dnd_race

t_cfwd() {
	local rc=0 d
	watch 1202 cfwd202
	wait_notify "$W_MSG" 1 5 || { stop_bg $W_PID; return 1; }
	lamp_after confirmed 1000 code 1202 '*720301234567' saved || rc=1
	[ "$(col cfwd_target 202)" = 0301234567 ] || rc=1
	kam followme.plan 202 | sed 's/^/        /' >&2
	kam followme.plan 202 | grep -q "^forwarded to 0301234567" || rc=1
	# a call to 202 goes to the gateway only
	phone 1202 $P $(port_of 1202) uas_answer.xml; d=$SIPP_PID
	peer gw "$GW_IP" "$GW_PORT"
	call 1200 pw1200 $P $((B + 61)) 202 || { e2e_log "forwarded call not answered"; rc=1; }
	wait_pid $PEER_PID || rc=1
	stop_bg $d
	grep -q "^INVITE sip:+49301234567@" "$PEER_MSG" || { e2e_log "gateway: no forwarded INVITE"; rc=1; }
	# exactly one identity: the forwarding user's external CLI
	[ "$(grep -c '^P-Asserted-Identity:' "$PEER_MSG")" = 1 ] &&
		grep -q "^P-Asserted-Identity: <sip:49401112202@$SIP_DOMAIN>" "$PEER_MSG" ||
		{ e2e_log "gateway PAI: $(grep '^P-Asserted-Identity' "$PEER_MSG" | tr -d '\r' | tr '\n' '|')"; rc=1; }
	[ "$(n_received "$PHONE_MSG" INVITE)" = 0 ] || { e2e_log "1202 rang while forwarded"; rc=1; }
	# abroad is not allowed for 202 (set local): refused, nothing changes
	code 1202 '*7200441234567' not-allowed || rc=1
	[ "$(col cfwd_target 202)" = 0301234567 ] || rc=1
	lamp_after none 1000 code 1202 '*73' thank-you || rc=1
	[ "$(col cfwd_target 202)" = NULL ] || rc=1
	lamp_after confirmed 1000 kam cfwd.set 202 201 || rc=1
	# a number with a leading 0 is written s:<number> (kamcmd would send an int)
	kam cfwd.set 202 s:00441234567 2>&1 | grep -q "403 - not allowed" || rc=1
	# a target rs_user.cfwd_target may not hold (the next read of the
	# directory would refuse user 202 as a whole) is not written
	kam cfwd.set 202 'fw!d' 2>&1 | grep -q "400 - bad argument: cfwd_target contains an invalid character" ||
		{ e2e_log "cfwd.set 202 fw!d: not refused with 400"; rc=1; }
	[ "$(col cfwd_target 202)" = 201 ] || { e2e_log "cfwd_target: $(col cfwd_target 202)"; rc=1; }
	lamp_after none 1000 code 1202 cfwd202 thank-you || rc=1
	stop_bg $W_PID
	return $rc
}
check "forwarding: *72<number> (lamp cfwd202, calls only to the gateway), refused abroad, *73 off, RPC, cfwd202 key" t_cfwd

# --- groups -----------------------------------------------------------------

t_plan_group() {
	local out
	out=$(kam followme.plan 700) || return 1
	sed 's/^/        /' <<<"$out" >&2
	grep -q "^group 700 ringall, 3 members" <<<"$out" &&
		grep -q "^step 1 q=1.0 timer=10s: <sip:1201@$SIP_DOMAIN?expires=10>;q=1.0, <sip:1202@$SIP_DOMAIN?expires=10>;q=1.0, <sip:1203@$SIP_DOMAIN?expires=10>;q=1.0, <sip:01701234203@$SIP_DOMAIN?expires=10>;q=1.0$" <<<"$out" &&
		kam userdev.show 700 | grep -q "strategy: ringall"
}
check "followme.plan 700 prints the group's plan (members' devices and a member's mobile)" t_plan_group

t_ringall() {
	local a b c m rc=0 g1 g2
	phone 1201 $P $(port_of 1201) uas_cancel.xml; a=$SIPP_PID; am=$PHONE_MSG
	phone 1202 $P $(port_of 1202) uas_cancel.xml; b=$SIPP_PID; bm=$PHONE_MSG
	phone 1203 $P $(port_of 1203) uas_answer.xml -d 300; c=$SIPP_PID; cm=$PHONE_MSG
	sipp_bg confirm -sf "$SCEN/uas_cancel.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	m=$SIPP_PID; mm=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	call 1200 pw1200 $P $((B + 62)) 700 || { e2e_log "group call not answered"; rc=1; }
	wait_pid $c && wait_pid $a && wait_pid $b && wait_pid $m || { e2e_log "members not rung and cancelled"; rc=1; }
	g1=$(invite_gap "$am" "$bm") && g2=$(invite_gap "$am" "$mm") || return 1
	e2e_log "1201 -> 1202 INVITEs $g1 ms, 1201 -> 203's confirm leg $g2 ms"
	within "$g1" 0 300 && within "$g2" 0 300 || rc=1
	grep -q "^X-Ringset-Ext: 203" "$mm" && grep -q "^X-Ringset-Target: +491701234203" "$mm" &&
		grep -q "^X-Ringset-CLI: 49401112203" "$mm" || { e2e_log "the mobile leg is not 203's"; rc=1; }
	return $rc
}
check "ringall: every member's device and a member's mobile leg (confirm, its CLI) at once; one answers, the others get CANCEL" t_ringall

# busy_member HOW: 201 (max_calls 1) is on a call while the group rings:
# "made" (1201 calls 200), "received" (200 calls user 201) or "device"
# (200 calls 201's device 1201 directly); 201 must be skipped
busy_member() {
	local hold holdm h hm rc=0 b bm c m
	if [ "$1" = made ]; then
		phone 1200 $P $(port_of 1200) uas_answer.xml; h=$SIPP_PID
		sipp_bg busy-call -sf "$SCEN/uac_call.xml" -m 1 -s 200 -au 1201 -ap pw1201 \
			-i $P -p $(port_of 1201) -key caller 1201 -key xhdr "X-Test: busy" -d 5000
		hold=$SIPP_PID; holdm=$SIPP_MSG; hm=$SIPP_MSG
	else
		phone 1201 $P $(port_of 1201) uas_answer.xml; h=$SIPP_PID; hm=$PHONE_MSG
		sipp_bg busy-call -sf "$SCEN/uac_call.xml" -m 1 -s "$([ "$1" = device ] && echo 1201 || echo 201)" \
			-au 1200 -ap pw1200 -i $P -p $((B + 69)) -key caller 1200 -key xhdr "X-Test: busy" -d 5000
		hold=$SIPP_PID; holdm=$SIPP_MSG
	fi
	local end=$((SECONDS + 5))
	until grep -q "^SIP/2.0 200" "$holdm" 2>/dev/null; do
		[ $SECONDS -lt $end ] || { e2e_log "201's own call not up"; stop_bg $hold; stop_bg $h; return 1; }
		sleep 0.02
	done
	phone 1202 $P $(port_of 1202) uas_answer.xml; b=$SIPP_PID; bm=$PHONE_MSG
	phone 1203 $P $(port_of 1203) uas_cancel.xml; c=$SIPP_PID
	sipp_bg confirm -sf "$SCEN/uas_cancel.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"; m=$SIPP_PID
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	call 1200 pw1200 $P $((B + 65)) 700 || { e2e_log "group call not answered"; rc=1; }
	wait_pid $b || rc=1
	wait_pid $c; wait_pid $m
	wait_pid $hold || { e2e_log "201's own call failed"; rc=1; }
	wait_pid $h
	# 201's phone got the INVITE of its own call at most, none of the group
	local want=0
	[ "$1" = made ] || want=1
	[ "$(n_received "$hm" INVITE)" = $want ] || { e2e_log "busy 201 got the group call"; rc=1; }
	[ "$(n_received "$bm" INVITE)" = 1 ] || rc=1
	return $rc
}
check "a busy member (max_calls 1, on a call it made) is skipped; the group call rings the others" busy_member made
check "a busy member (max_calls 1, on a call it received as a user) is skipped" busy_member received
check "a busy member (max_calls 1, on a call to its device directly) is skipped" busy_member device

t_group_blf() {
	local w wm rc=0 a
	sipp_bg watch-701 -sf "$SCEN/watcher.xml" -m 1 -s 701 -au 1200 -ap pw1200 \
		-i $P -p $((B + 450)) -key caller 1200 -timeout 60
	w=$SIPP_PID; wm=$SIPP_MSG
	wait_notify "$wm" 1 5 || { e2e_log "no first NOTIFY for 701"; stop_bg $w; return 1; }
	phone 1201 $P $(port_of 1201) uas_answer.xml -d 300; a=$SIPP_PID
	call 1202 pw1202 $P $((B + 76)) 701 || { e2e_log "the call to 701 was not answered"; rc=1; }
	wait_pid $a || rc=1
	wait_notify "$wm" 3 5 || rc=1
	tr -d '\r' <"$wm" | grep -o '<state>[a-z]*</state>' | tr '\n' ' ' | sed 's/^/        /' >&2; echo >&2
	grep -q "<state>early</state>" "$wm" && grep -q "<state>confirmed</state>" "$wm" || rc=1
	grep -q 'entity="sip:701@' "$wm" || rc=1
	stop_bg $w
	return $rc
}
check "BLF on a group (sip:701@domain) shows its calls: early, then confirmed" t_group_blf

t_serial() {
	local a b rc=0 ia ib ca
	phone 1201 $P $(port_of 1201) uas_cancel.xml; a=$SIPP_PID; am=$PHONE_MSG
	phone 1202 $P $(port_of 1202) uas_cancel.xml; b=$SIPP_PID; bm=$PHONE_MSG
	call_end 480 1200 pw1200 $P $((B + 66)) 701 || { e2e_log "serial group: no 480"; rc=1; }
	wait_pid $a && wait_pid $b || { e2e_log "members not rung and cancelled"; return 1; }
	ia=$(msg_time "$am" '^INVITE') && ca=$(msg_time "$am" '^CANCEL') &&
		ib=$(msg_time "$bm" '^INVITE') || return 1
	e2e_log "701 serial: 1201 rang $((ca - ia)) ms, 1202 began $((ib - ia)) ms after 1201 (goal 2000, 2000)"
	within $((ca - ia)) 2000 250 && within $((ib - ia)) 2000 250 || rc=1
	return $rc
}
check "serial: members in position order (201 at 1, then 202), each for ring_seconds (2 s), then 480" t_serial

t_hunt() {
	local a b rc=0 first
	# first call: 201 is first and answers; the next call starts with 202
	phone 1201 $P $(port_of 1201) uas_answer.xml; a=$SIPP_PID
	call 1200 pw1200 $P $((B + 67)) 702 || { e2e_log "hunt call 1 not answered"; stop_bg $a; return 1; }
	wait_pid $a || return 1
	kam followme.plan 702 | sed 's/^/        /' >&2
	kam followme.plan 702 | grep -q "^group 702 hunt, 2 members, last answered by 201" || rc=1
	kam followme.plan 702 | grep -q "^step 1 q=1.0 timer=3s: <sip:1202@" || rc=1
	phone 1202 $P $(port_of 1202) uas_answer.xml; b=$SIPP_PID; bm=$PHONE_MSG
	phone 1201 $P $(port_of 1201) uas_cancel.xml; a=$SIPP_PID; am=$PHONE_MSG
	call 1200 pw1200 $P $((B + 68)) 702 || { e2e_log "hunt call 2 not answered"; rc=1; }
	wait_pid $b || rc=1
	stop_bg $a
	[ "$(n_received "$am" INVITE)" = 0 ] || { e2e_log "201 rang first again"; rc=1; }
	kam followme.plan 702 | grep -q "last answered by 202" || rc=1
	return $rc
}
check "hunt: the call after one answered by 201 starts with 202 (last answerer kept in the htable hunt)" t_hunt

t_last_destination() {
	local a b rc=0 ia ib out
	# 704: 202 for 2 s, then the last destination, user 205's devices;
	# 705: nobody answers, the group's own mailbox
	sql "INSERT INTO rs_group (extension, domain, strategy, ring_seconds, last_destination) VALUES
		('704', '$SIP_DOMAIN', 'serial', 2, '205'), ('705', '$SIP_DOMAIN', 'ringall', 2, 'voicemail');
		INSERT INTO rs_group_member (group_extension, extension, position) VALUES ('704', '202', 1), ('705', '202', 1)"
	kam userdev.reload >/dev/null
	out=$(kam followme.plan 704; kam followme.plan 705)
	sed 's/^/        /' <<<"$out" >&2
	grep -q "^step 2 .*<sip:1205@$SIP_DOMAIN?expires=" <<<"$out" &&
		grep -q "^step 2 .*<sip:voicemail@$MEDIA_IP:$MEDIA_PORT?expires=" <<<"$out" || rc=1
	phone 1202 $P $(port_of 1202) uas_cancel.xml; b=$SIPP_PID; bm=$PHONE_MSG
	phone 1205 $P $(port_of 1205) uas_answer.xml; a=$SIPP_PID; am=$PHONE_MSG
	call 1200 pw1200 $P $((B + 78)) 704 || { e2e_log "704: the last destination did not answer"; rc=1; }
	wait_pid $a || rc=1
	wait_pid $b || rc=1
	ib=$(msg_time "$bm" '^INVITE') && ia=$(msg_time "$am" '^INVITE') || return 1
	e2e_log "704: 1202 rang, 205's 1205 (last destination) $((ia - ib)) ms later (goal 2000)"
	within $((ia - ib)) 2000 250 || rc=1
	return $rc
}
check "last destination: after the members, an extension's devices (704, rung after ring_seconds) or the group's mailbox (705, in the plan)" t_last_destination

# --- pickup -------------------------------------------------------------------

# pickup PICKER DIALLED: 1200 calls 201 (or $PICKUP_DEST, ringing at 1201); PICKER dials
# DIALLED; the INVITE with Replaces must reach the caller's device only
pickup() {
	local picker=$1 num=$2 a am c1 c1m k cid ftag rc=0 CP=$((B + 70))
	phone 1201 $P $(port_of 1201) uas_cancel.xml; c1=$SIPP_PID; c1m=$PHONE_MSG
	phone 1200 $P $CP uas_answer_stay.xml -d 50; a=$SIPP_PID; am=$PHONE_MSG
	sipp_bg ring-1200 -sf "$SCEN/uac_ring_cancel.xml" -m 1 -s "${PICKUP_DEST:-201}" -au 1200 -ap pw1200 \
		-i $P -p $(port_of 1200) -mi $P -key caller 1200 -key cip $P -key cport $CP
	k=$SIPP_PID; km=$SIPP_MSG
	local end=$((SECONDS + 10))
	until grep -q "^SIP/2.0 180" "$km" 2>/dev/null; do
		[ $SECONDS -lt $end ] || { e2e_log "the call did not ring"; stop_bg $k; stop_bg $a; stop_bg $c1; return 1; }
		sleep 0.02
	done
	cid=$(call_id "$km")
	ftag=$(tag_of "$(msg_hdr "$km" sent '^INVITE' From)")
	sipp_run "pickup-$picker" -sf "$SCEN/uac_call_stay.xml" -m 1 -s "$num" -au "$picker" \
		-ap "pw$picker" -i $P -p $((B + 71)) -key caller "$picker" -key xhdr "X-Test: pickup" ||
		{ e2e_log "the pickup was not answered"; rc=1; }
	wait_pid $a || { e2e_log "1200's device did not get the pickup"; rc=1; }
	wait_pid $k || { e2e_log "the caller did not cancel cleanly"; rc=1; }
	stop_bg $c1
	grep -m1 "^Replaces:" "$am" | sed 's/^/        /' >&2
	grep -q "^Replaces: $cid;to-tag=$ftag;from-tag=[^;]*;early-only" "$am" || rc=1
	grep -q "^From: .*<sip:$picker@$SIP_DOMAIN>\|^From: .*<sip:${picker#1}@$SIP_DOMAIN>" "$am" || rc=1
	[ "$(n_received "$c1m" INVITE)" = 1 ] || { e2e_log "the pickup was forked to 201"; rc=1; }
	return $rc
}
check "*8 from 202 (pickup group sales) takes the call ringing 201: INVITE with Replaces of the caller's early dialog" pickup 1202 '*8'
check "**201 from 203 takes the call ringing 201 (directed pickup)" pickup 1203 '**201'

t_pickup_group_call() {
	# a call to group 703 rings 201 (pickup group sales): 202 takes it with *8
	sql "INSERT INTO rs_group (extension, domain, strategy, ring_seconds) VALUES ('703', '$SIP_DOMAIN', 'ringall', 10);
		INSERT INTO rs_group_member (group_extension, extension, position) VALUES ('703', '201', 1)"
	kam userdev.reload >/dev/null
	PICKUP_DEST=703 pickup 1202 '*8'
}
check "*8 takes a group call that rings a member of the picker's pickup group" t_pickup_group_call

t_pickup_private() {
	local c k rc=0
	# 201 is private (rs_user.blf_private): **201 from 203 is refused while
	# a call rings it, and the caller's device gets nothing
	sql "UPDATE rs_user SET blf_private = 1 WHERE extension = '201'"
	kam userdev.reload >/dev/null
	phone 1201 $P $(port_of 1201) uas_cancel.xml; c=$SIPP_PID
	sipp_bg ring-1200p -sf "$SCEN/uac_ring_cancel.xml" -m 1 -s 201 -au 1200 -ap pw1200 \
		-i $P -p $(port_of 1200) -mi $P -key caller 1200 -key cip $P -key cport $((B + 77))
	k=$SIPP_PID; km=$SIPP_MSG
	local end=$((SECONDS + 10))
	until grep -q "^SIP/2.0 180" "$km" 2>/dev/null; do
		[ $SECONDS -lt $end ] || { e2e_log "the call did not ring"; rc=1; break; }
		sleep 0.02
	done
	code 1203 '**201' not-allowed || rc=1
	wait_pid $k || rc=1
	wait_pid $c || rc=1
	grep -q "\*\*201 from 1203: a private user, refused" "$VAR_DIR/kamailio.log" || rc=1
	sql "UPDATE rs_user SET blf_private = 0 WHERE extension = '201'"
	kam userdev.reload >/dev/null
	return $rc
}
check "**201 is refused (not-allowed) when 201 is a private user (BLF watch policy)" t_pickup_private

t_pickup_refused() {
	call_refused 480 1202 pw1202 $P $((B + 72)) '*8' &&
		code 1203 '*8' not-allowed &&
		call_refused 480 1203 pw1203 $P $((B + 73)) '**202'
}
check "pickup with nothing ringing (480) or from outside any pickup group (not-allowed)" t_pickup_refused

# --- schedules and confirm -----------------------------------------------------

t_schedule() {
	local in_start out_start a b rc=0
	# entry 1 (device 1205) inside a window that began an hour ago, entry 2
	# (device 1206) in one that begins in an hour: the time is passed in SQL
	in_start=$(date -d '-1 hour' +%Y%m%dT%H%M%S)
	out_start=$(date -d '+1 hour' +%Y%m%dT%H%M%S)
	sql "INSERT INTO rs_followme (extension, position, target, mode, ring_seconds, schedule) VALUES
		('204', 1, '1205', 'parallel', 10, '$in_start|PT2H|daily'),
		('204', 2, '1206', 'parallel', 10, '$out_start|PT2H|daily')"
	kam userdev.reload >/dev/null
	kam followme.plan 204 | sed 's/^/        /' >&2
	kam followme.plan 204 | grep -q "^skipped: 1206 (entry 2): outside its schedule" || rc=1
	# the same plan at a time passed to the RPC: inside both windows
	kam followme.plan 204 "$(date -d '+90 min' +%Y%m%dT%H%M%S)" | grep -q "1206@" || rc=1
	kam followme.plan 204 20000101T000000 | sed 's/^/        at 20000101T000000: /' >&2
	kam followme.plan 204 20000101T000000 | grep -c "outside its schedule" | grep -q 2 || rc=1
	phone 1205 $P $(port_of 1205) uas_answer.xml -d 200; a=$SIPP_PID
	phone 1206 $P $(port_of 1206) uas_cancel.xml; b=$SIPP_PID; bm=$PHONE_MSG
	phone 1204 $P $(port_of 1204) uas_cancel.xml; local c=$SIPP_PID
	call 1200 pw1200 $P $((B + 74)) 204 || { e2e_log "the call to 204 was not answered"; rc=1; }
	wait_pid $a || rc=1
	wait_pid $c
	stop_bg $b
	[ "$(n_received "$bm" INVITE)" = 0 ] || { e2e_log "the entry outside its schedule rang"; rc=1; }
	return $rc
}
check "schedule: the entry inside its window rings, the one outside is skipped with the reason; followme.plan at a given time" t_schedule

t_confirm() {
	local m mm g d rc=0
	sql "INSERT INTO rs_followme (extension, position, target, mode, ring_seconds, confirm)
		VALUES ('206', 1, '0301234206', 'parallel', 10, 1)"
	kam userdev.reload >/dev/null
	kam followme.plan 206 | grep -q "<sip:0301234206@$SIP_DOMAIN?expires=10&confirm=1>;q=" || rc=1
	sipp_bg confirm -sf "$SCEN/uas_service.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT" -d 200
	m=$SIPP_PID; mm=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	phone 1206 $P $(port_of 1206) uas_cancel.xml; d=$SIPP_PID
	call 1200 pw1200 $P $((B + 75)) 206 || { e2e_log "the confirmed entry did not answer"; rc=1; }
	wait_pid $m || rc=1
	wait_pid $d || rc=1
	grep -q "^INVITE sip:confirm@$MEDIA_IP:$MEDIA_PORT" "$mm" &&
		grep -q "^X-Ringset-Ext: 206" "$mm" &&
		grep -q "^X-Ringset-Target: +49301234206" "$mm" &&
		grep -q "^X-Ringset-Key: 1" "$mm" || { e2e_log "no confirm leg for the entry"; rc=1; }
	return $rc
}
check "a confirmed external entry rings through the media server's confirm service (press 1), not the gateway" t_confirm

t_bad_rows() {
	local rc=0
	# a group on a user's number, a bad strategy, a member that is no user,
	# a schedule tmrec cannot mean, a forward target with a control char
	sql "INSERT INTO rs_group (extension, domain, strategy, ring_seconds) VALUES ('200', '$SIP_DOMAIN', 'ringall', 10);
		INSERT INTO rs_group_member (group_extension, extension, position) VALUES ('703', '999', 9);
		INSERT INTO rs_followme (extension, position, target, mode, ring_seconds, schedule)
			VALUES ('206', 9, '1205', 'serial', 10, '20260105T083000|PT1H|weekly|||1MO');
		UPDATE rs_user SET cfwd_target = CONCAT('0301', CHAR(10), '234') WHERE extension = '205'"
	kam userdev.reload >/dev/null
	for want in "rs_group row '200' ignored: extension is a user" \
		"rs_group_member row '703/9' ignored: member 999 is not a user" \
		"rs_followme row '206/9' ignored: schedule byday must be a list of MO TU WE TH FR SA SU (n-th weekday prefixes are not supported)" \
		"rs_user row '205' ignored: cfwd_target contains a control character" \
		"rs_device row '1205' ignored: owner extension 205 unknown"; do
		grep -qF "$want" "$VAR_DIR/kamailio.log" || { e2e_log "not logged: $want"; rc=1; }
	done
	kam userdev.status | grep -q "rows_refused: 5" || { e2e_log "$(kam userdev.status | grep rows_refused)"; rc=1; }
	# the rest goes on: 200 is still a user, 703 still rings 201
	kam userdev.show 200 | grep -q "type: user" && kam userdev.show 703 | grep -q "members: 1" || rc=1
	sql "DELETE FROM rs_group WHERE extension = '200'; DELETE FROM rs_group_member WHERE extension = '999';
		DELETE FROM rs_followme WHERE extension = '206' AND position = 9;
		UPDATE rs_user SET cfwd_target = NULL WHERE extension = '205'"
	kam userdev.reload >/dev/null
	kam_alive || rc=1
	return $rc
}
check "bad rows (a group on a user's number, a member that is no user, a bad schedule, a control char) are refused with the reason; the rest loads" t_bad_rows

t_blf_keys() {
	local out
	out=$("$RS_ROOT/tools/blf-keys.sh" -d "$SIP_DOMAIN" -n -k 2 201) &&
		grep -qx "<fkey idx=\"1\" context=\"active\" label=\"DND 201\" perm=\"\">blf sip:dnd201@$SIP_DOMAIN</fkey>" <<<"$out" &&
		grep -qx "memorykey.2.value = dnd201" <<<"$out" &&
		out=$("$RS_ROOT/tools/blf-keys.sh" -d "$SIP_DOMAIN" -f 202) &&
		grep -qx "memorykey.1.value = cfwd202" <<<"$out"
}
check "tools/blf-keys.sh prints the dnd<ext> and cfwd<ext> keys" t_blf_keys

# the script ran without errors (an assignment from a header the request
# only adds, "non existing right pvar", was one)
t_script_clean() {
	! grep -E "ERROR: <core> \[core/(lvalue|rvalue|sr_module)\.c" "$VAR_DIR/kamailio.log" >&2
}
check "kamailio.log shows no script error (lvalue, rvalue, parameter conversion)" t_script_clean
check "Kamailio is still running" kam_alive
e2e_summary
