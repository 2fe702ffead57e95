#!/usr/bin/env bash
# Fork2Mobile (issue 4): feature codes, forkm<ext>, RPC, the confirm leg, the
# media server's call back to the mobile, BLF presence of forkm<ext>.
SIP_PORT=${SIP_PORT:-$((25460 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
B=$((SIP_PORT + 1000)) # phone ports B+1 ...
MEDIA_IP=$(rs_uri_host "$MEDIA_URI"); MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")
GW_IP=$(rs_uri_host "$GATEWAY_URI"); GW_PORT=$(rs_uri_port "$GATEWAY_URI")

# 600 has a mobile, 601 has none; 1600/2600 are 600's, 1601 is 601's,
# 9999 is a device of no user
add_user 600 "Frank Follow" 4940111600
add_device 1600 pw1600 600
add_device 2600 pw2600 600
add_user 601 "Nina Nomobile" 4940111601
add_device 1601 pw1601 601
add_device 9999 pw9999 NULL
add_user 200 "Alice Able" 4940111200
add_device 200 pw200 200
sql "UPDATE rs_user SET mobile = '01701234567' WHERE extension = '600'"
# outbound rule (dialplan idx 1): 0<national> -> +49<national>
sql "INSERT INTO dialplan (dpid, pr, match_op, match_exp, match_len, subst_exp, repl_exp, attrs)
	VALUES (1, 1, 1, '^0([1-9][0-9]+)\$', 0, '^0([1-9][0-9]+)\$', '+49\\\\1', '')"
kam dialplan.reload >/dev/null
kam userdev.reload >/dev/null

state600() { sql "SELECT fork2mobile FROM rs_user WHERE extension = '600'"; }
set600() { sql "UPDATE rs_user SET fork2mobile = $1 WHERE extension = '600'"; kam userdev.reload >/dev/null; }

# media_announce: the media server's announce service in the background
media_announce() {
	sipp_bg media -sf "$SCEN/uas_announce.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	MEDIA_PID=$SIPP_PID; MEDIA_MSG=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
}

# code DEVICE PASSWORD DIALLED PROMPT: the device dials a code, the media
# server gets announce with that prompt
code() {
	local dev=$1 pw=$2 num=$3 prompt=$4 port
	E2E_PORT_N=$((${E2E_PORT_N:-10} + 1)); port=$((B + E2E_PORT_N))
	media_announce
	sipp_run "code-$dev" -sf "$SCEN/uac_announced.xml" -m 1 -s "$num" -au "$dev" \
		-ap "$pw" -i $P -p $port -key caller "$dev" ||
		{ e2e_log "the call to $num did not end in an announcement"; stop_bg $MEDIA_PID; return 1; }
	wait_pid $MEDIA_PID || { e2e_log "the media server did not complete"; return 1; }
	grep -q "^INVITE sip:announce@$MEDIA_IP:$MEDIA_PORT " "$MEDIA_MSG" ||
		{ e2e_log "no announce INVITE"; return 1; }
	grep -q "^X-Ringset-Prompt: $prompt\s*$" "$MEDIA_MSG" ||
		{ e2e_log "prompt: $(grep -m1 '^X-Ringset-Prompt' "$MEDIA_MSG") (want $prompt)"; return 1; }
}

t_codes() {
	set600 0
	code 1600 pw1600 '*501' saved && [ "$(state600)" = 1 ] &&
		code 2600 pw2600 '*509' enabled &&
		code 1600 pw1600 '*500' thank-you && [ "$(state600)" = 0 ] &&
		code 1600 pw1600 '*509' disabled &&
		code 2600 pw2600 '*50*' saved && [ "$(state600)" = 1 ] &&
		code 2600 pw2600 '*50*' thank-you && [ "$(state600)" = 0 ]
}
check "*501 saved, *509 enabled, *500 thank-you, *509 disabled, *50* toggles (state in rs_user)" t_codes

t_forkm() {
	set600 0
	code 1600 pw1600 forkm600 saved && [ "$(state600)" = 1 ] &&
		code 1600 pw1600 forkm600 thank-you && [ "$(state600)" = 0 ]
}
check "forkm600 from a device of 600 toggles" t_forkm

t_foreign() {
	set600 1
	code 200 pw200 forkm600 not-allowed && [ "$(state600)" = 1 ] &&
		code 9999 pw9999 '*500' not-allowed && [ "$(state600)" = 1 ] &&
		code 1601 pw1601 '*501' not-allowed &&
		[ "$(sql "SELECT fork2mobile FROM rs_user WHERE extension = '601'")" = 0 ] &&
		grep -q "user 601 has no mobile number" "$VAR_DIR/kamailio.log"
}
check "foreign forkm, a device of no user and a user without mobile get not-allowed, nothing changes" t_foreign

t_disabled_code() {
	sql "UPDATE rs_feature_code SET enabled = 0 WHERE code = '*509'"
	kam userdev.reload >/dev/null
	call_refused 403 1600 pw1600 $P $((B + 9)) '*509'
	local rc=$?
	sql "UPDATE rs_feature_code SET enabled = 1 WHERE code = '*509'"
	kam userdev.reload >/dev/null
	return $rc
}
check "a disabled feature code is refused with 403" t_disabled_code

t_rpc() {
	local out
	out=$(kam fork2mobile.set 600 on) && grep -q "state: on" <<<"$out" &&
		[ "$(state600)" = 1 ] &&
		kam fork2mobile.get 600 | grep -q "mobile: 01701234567" &&
		kam fork2mobile.set 600 toggle | grep -q "state: off" && [ "$(state600)" = 0 ] &&
		kam fork2mobile.set 600 off | grep -q "changed: 0" &&
		kam fork2mobile.set 600 maybe 2>&1 | grep -q "400 - bad argument" &&
		kam fork2mobile.set 99999 on 2>&1 | grep -q "404 - unknown extension" &&
		kam fork2mobile.set 601 on 2>&1 | grep -q "409 - extension 601 has no mobile" &&
		kam fork2mobile.get 2>&1 | grep -q "400 - usage" &&
		kam_alive
}
check "fork2mobile.set/get: on, toggle, off; errors for bad argument, unknown extension, no mobile" t_rpc

# a call to 600 with Fork2Mobile on: the device and the confirm leg together
t_confirm_answers() {
	local d m
	set600 1
	phone 1600 $P $((B + 1)) uas_cancel.xml; d=$SIPP_PID; dm=$PHONE_MSG
	# the media server answers after the key press, not within microseconds:
	# a 200 that overtakes the device's 180 inside Kamailio leaves that
	# branch without a CANCEL (tm cancel_b_method 0), see the issue 6 report
	sipp_bg confirm -sf "$SCEN/uas_service.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT" -d 100
	m=$SIPP_PID; mm=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	call 200 pw200 $P $((B + 20)) 600 || { e2e_log "the call was not answered"; stop_bg $d; stop_bg $m; return 1; }
	wait_pid $m && wait_pid $d || { e2e_log "the device was not rung and cancelled"; return 1; }
	local gap; gap=$(invite_gap "$dm" "$mm") || return 1
	e2e_log "device and confirm leg INVITEs $gap ms apart"
	grep -q "^INVITE sip:confirm@$MEDIA_IP:$MEDIA_PORT" "$mm" &&
		grep -q "^X-Ringset-Ext: 600" "$mm" &&
		grep -q "^X-Ringset-Target: +491701234567" "$mm" &&
		grep -q "^X-Ringset-CLI: 4940111600" "$mm" &&
		grep -q "^X-Ringset-Timeout: 15" "$mm" &&
		grep -q "^X-Ringset-Key: 1" "$mm" &&
		grep -q "^CANCEL" "$dm" && within "$gap" 0 200
}
E2E_READY=0
register 1600 pw1600 $P $((B + 1)) && register 2600 pw2600 $P $((B + 2)) && E2E_READY=1
[ $E2E_READY = 1 ] || echo "  registrations failed"
check "call with Fork2Mobile on: confirm leg with its headers beside the device; media server answers, device gets CANCEL" t_confirm_answers

t_confirm_rejects() {
	local d d2 m mm sc r a
	set600 1
	sc=$LOGDIR/uas_reject_480.xml
	sed "s/@CODE@/480/g; s/@DELAY@/100/g" "$SCEN/uas_reject.xml.in" >"$sc"
	# 1600 answers 1 s after its INVITE, well after the confirm leg's 480
	phone 1600 $P $((B + 1)) uas_answer.xml -d 1000; d=$SIPP_PID; dm=$PHONE_MSG
	phone 2600 $P $((B + 2)) uas_cancel.xml; d2=$SIPP_PID
	sipp_bg confirm -sf "$sc" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"; m=$SIPP_PID; mm=$SIPP_MSG
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	call 200 pw200 $P $((B + 21)) 600 || { e2e_log "the call was not answered by the device"; stop_bg $d; stop_bg $d2; stop_bg $m; return 1; }
	wait_pid $m && wait_pid $d && wait_pid $d2 || return 1
	r=$(msg_time "$mm" '^SIP/2.0 480') && a=$(msg_time "$dm" '^SIP/2.0 200') || return 1
	e2e_log "confirm leg rejected at +0 ms, device answered $((a - r)) ms later"
	[ "$a" -gt "$r" ] && grep -q "^CANCEL" "$LOGDIR"/uas-2600-*.msg
}
check "media server rejects the confirm leg with 480: the devices keep ringing and one answers" t_confirm_rejects

t_callback() {
	local g gm
	sipp_bg gw -sf "$SCEN/uas_service.xml" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID; gm=$SIPP_MSG
	wait_bound "$GW_IP" "$GW_PORT"
	sipp_run callback -sf "$SCEN/uac_trusted.xml" -m 1 -s 01701234567 \
		-i "$MEDIA_IP" -p "$MEDIA_PORT" -key xhdr "X-Ringset-Origin: fork2mobile;ext=600" -d 100 ||
		{ e2e_log "the call back was not connected"; stop_bg $g; return 1; }
	wait_pid $g || return 1
	# the INVITE as the gateway got it
	awk '/^INVITE /{p=1} p && /^[[:space:]]*$/{exit} p' "$gm" >"$LOGDIR/gw-invite.txt"
	sed 's/^/        /' "$LOGDIR/gw-invite.txt" >&2
	gm=$LOGDIR/gw-invite.txt
	grep -q "^INVITE sip:+491701234567@" "$gm" &&
		grep -q "^From: *<sip:4940111600@$SIP_DOMAIN>" "$gm" &&
		grep -q "^P-Asserted-Identity: <sip:4940111600@$SIP_DOMAIN>" "$gm" &&
		! grep -q "Caller Who Must Not Show" "$gm" &&
		! grep -q "^X-Ringset-" "$gm"
}
check "the media server's call back reaches the gateway as 600's external CLI, headers stripped" t_callback

t_callback_refused() {
	local sc=$LOGDIR/cb_refused.xml
	# another number than the user's mobile, and an unknown origin
	sipp_run cb-other -sf "$SCEN/uac_trusted.xml" -m 1 -s 0301234567 -i "$MEDIA_IP" -p "$MEDIA_PORT" \
		-key xhdr "X-Ringset-Origin: fork2mobile;ext=600" >/dev/null 2>&1
	grep -q "^SIP/2.0 403 Not the user's mobile" "$SIPP_MSG" || return 1
	sipp_run cb-unknown -sf "$SCEN/uac_trusted.xml" -m 1 -s 01701234567 -i "$MEDIA_IP" -p "$MEDIA_PORT" \
		-key xhdr "X-Ringset-Origin: fork2mobile;ext=601" >/dev/null 2>&1
	grep -q "^SIP/2.0 403 Fork2Mobile not available" "$SIPP_MSG"
}
check "a call back to another number or for a user without mobile is refused (403)" t_callback_refused

# --- presence: watchers of forkm600 ---

# watch: a BLF key of device 2600 on forkm600; $W_PID, $W_MSG
watch() {
	sipp_bg watch -sf "$SCEN/watcher.xml" -m 1 -s forkm600 -au 2600 -ap pw2600 \
		-i $P -p $((B + 30 + ${W_N:=0})) -key caller 2600 -timeout 60
	W_N=$((W_N + 1)); W_PID=$SIPP_PID; W_MSG=$SIPP_MSG
}

# change_notifies HOW WANT_STATE LIMIT_MS: after the change, the next NOTIFY
# shows WANT_STATE within LIMIT_MS
change_notifies() {
	local how=$1 want=$2 limit=$3 n t0 t1 got
	n=$(notify_n "$W_MSG")
	t0=$(($(date +%s%N) / 1000000))
	case $how in
		code) code 1600 pw1600 "$( [ "$want" = confirmed ] && echo '*501' || echo '*500')" \
			"$( [ "$want" = confirmed ] && echo saved || echo thank-you)" || return 1 ;;
		rpc) kam fork2mobile.set 600 "$( [ "$want" = confirmed ] && echo on || echo off)" >/dev/null ;;
		sql) sql "UPDATE rs_user SET fork2mobile = $( [ "$want" = confirmed ] && echo 1 || echo 0) WHERE extension = '600'" ;;
	esac
	wait_notify "$W_MSG" $((n + 1)) 5 || { e2e_log "no NOTIFY after the $how change"; return 1; }
	t1=$(msg_time "$W_MSG" '^NOTIFY' $((n + 1))) || return 1
	got=$(state_of "$W_MSG" $((n + 1)))
	e2e_log "$how -> NOTIFY with <state>$got</state> $((t1 - t0)) ms after the change (limit $limit ms)"
	echo "$how $want $((t1 - t0))" >>"$VAR_DIR/notify-times"
	[ "$got" = "$want" ] && [ $((t1 - t0)) -le "$limit" ]
}

t_blf() {
	local rc=0
	set600 0
	watch
	wait_notify "$W_MSG" 1 5 || { e2e_log "no first NOTIFY"; stop_bg $W_PID; return 1; }
	grep -q "^Content-Type: application/dialog-info+xml" "$W_MSG" || rc=1
	[ "$(state_of "$W_MSG" 1)" = none ] || { e2e_log "first NOTIFY: $(state_of "$W_MSG" 1)"; rc=1; }
	change_notifies code confirmed 1000 || rc=1
	change_notifies code none 1000 || rc=1
	change_notifies rpc confirmed 1000 || rc=1
	change_notifies rpc none 1000 || rc=1
	change_notifies sql confirmed 3000 || rc=1
	change_notifies sql none 3000 || rc=1
	# the bodies, as the watcher got them
	awk '/<dialog-info/{p=1} p{print} /<\/dialog-info>|<dialog-info.*\/>/{p=0}' "$W_MSG" |
		sed 's/^/        /' >"$VAR_DIR/notify-bodies"
	cat "$VAR_DIR/notify-bodies" >&2
	stop_bg $W_PID
	return $rc
}
check "BLF forkm600: NOTIFY bodies follow changes by code and RPC (<= 1 s) and SQL (<= 3 s)" t_blf

t_watcher_refused() {
	local sc=$LOGDIR/watch_403.xml sc4=$LOGDIR/watch_404.xml
	sed "s/@CODE@/403/g" "$SCEN/watcher_refused.xml.in" >"$sc"
	sed "s/@CODE@/404/g" "$SCEN/watcher_refused.xml.in" >"$sc4"
	sipp_run w-badpw -sf "$sc" -m 1 -s forkm600 -au 2600 -ap wrong -i $P -p $((B + 40)) -key caller 2600 &&
		sipp_run w-nouser -sf "$sc4" -m 1 -s forkm777 -au 2600 -ap pw2600 -i $P -p $((B + 41)) -key caller 2600
}
check "watchers with bad credentials (403) or of an unknown extension (404) are refused" t_watcher_refused

t_blf_keys() {
	local out
	out=$("$RS_ROOT/tools/blf-keys.sh" -d "$SIP_DOMAIN" -k 2 600) &&
		grep -qx "<fkey idx=\"1\" context=\"active\" label=\"Mobile 600\" perm=\"\">blf sip:forkm600@$SIP_DOMAIN</fkey>" <<<"$out" &&
		grep -qx "memorykey.2.type = 16" <<<"$out" &&
		grep -qx "memorykey.2.value = forkm600" <<<"$out" &&
		! "$RS_ROOT/tools/blf-keys.sh" "6;00" 2>/dev/null
}
check "tools/blf-keys.sh prints the Snom fkey and Yealink memorykey lines" t_blf_keys

check "Kamailio is still running" kam_alive
e2e_summary
