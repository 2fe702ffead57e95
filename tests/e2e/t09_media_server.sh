#!/usr/bin/env bash
# The media server ringset-media (issue 11) against Ringset, asserted on the
# wire: what the phones' RTP peers (tests/rtppeer) received and sent, the
# SIP that crossed, and the state in SQL/RPC. The daemon runs with ASan and
# must end without a sanitizer report.
SIP_PORT=${SIP_PORT:-$((25960 + ${RS_PORT_OFFSET:-0}))}
# a short press-1 window, so that the timeout case takes 4 s, not 15
export KAM_EXTRA_DEFINES="F2M_CONFIRM_TIMEOUT=4"
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_e2e_start

P=127.0.0.1
B=$((SIP_PORT + 1000)) # phone SIP ports B+1 ...
R=$((SIP_PORT + 1200)) # RTP peer ports R, R+2, ...

add_user 600 "Frank Follow" 4940111600
add_device 1600 pw1600 600
add_device 2600 pw2600 600
add_user 200 "Alice Able" 4940111200
add_device 200 pw200 200
sql "UPDATE rs_user SET mobile = '01701234567' WHERE extension = '600'"
kam userdev.reload >/dev/null

# --- 1. announce: *509 plays enabled / disabled as audio ----------------

# dial DEVICE PASSWORD NUMBER PROMPT: the device dials NUMBER, its RTP peer
# must receive PROMPT: the prompt's own samples (correlation), as long as
# the prompt (+-100 ms), through RTPengine
dial_prompt() {
	local dev=$1 pw=$2 num=$3 prompt=$4 rp rep
	next_rtp_port; rp=$RTP_PORT
	peer_start "$dev-$prompt" $rp -e "$PROMPTS_DIR/$prompt.wav"; rep=$PEER_REPORT
	sipp_run "dial-$dev-$prompt" -sf "$SCEN/uac_rtp.xml" -m 1 -s "$num" -au "$dev" \
		-ap "$pw" -i $P -p $((B + 1)) -key caller "$dev" -key rtpip $P -key rtpport $rp ||
		{ e2e_log "the call to $num did not end with the server's BYE"; stop_bg $PEER_PID; return 1; }
	wait_pid $PEER_PID
	prompt_heard "$rep" "$prompt" && via_rtpengine "$rep"
}

t_509() {
	sql "UPDATE rs_user SET fork2mobile = 0 WHERE extension = '600'"
	kam userdev.reload >/dev/null
	dial_prompt 1600 pw1600 '*509' disabled || return 1
	kam fork2mobile.set 600 on >/dev/null
	dial_prompt 2600 pw2600 '*509' enabled &&
		dial_prompt 1600 pw1600 '*500' thank-you &&
		[ "$(sql "SELECT fork2mobile FROM rs_user WHERE extension = '600'")" = 0 ]
}
check "*509 plays 'disabled', then 'enabled' as audio (the prompt's samples, its length +-100 ms, via RTPengine); *500 plays 'thank-you'" t_509

# --- 2. hotdesk-login: PIN by RFC 4733 digits -----------------------------

PIN600=739173917391; PIN620=551055105510; PIN630=906290629062
PIN660=284628462846
hotdesk_user 610 "Gina Desk" $PIN600
hotdesk_user 620 "Hugo Desk" $PIN620
hotdesk_user 630 "Ida Lock" $PIN630
hotdesk_user 660 "Jan Tone" $PIN660
hotdesk_user 670 "Kai Info" 4826
sql "UPDATE rs_user SET hotdesk = 1 WHERE extension = '600'"
set_pin 600 $PIN600
terminal 1; terminal 2; terminal 3; terminal 4; terminal 5; terminal 6
T1=hotdesk-0004f2000001; T2=hotdesk-0004f2000002; T3=hotdesk-0004f2000003
T4=hotdesk-0004f2000004; T5=hotdesk-0004f2000005; T6=hotdesk-0004f2000006
kam userdev.reload >/dev/null

session_of() { sql "SELECT terminal FROM rs_hotdesk WHERE extension = '$1'"; }
EP=$(prompt_ms enter-pin); WP=$(prompt_ms wrong-pin)
# a PIN entry, sent after enter-pin has played (+500 ms); the next entry
# after the digits (300 ms each), wrong-pin and enter-pin again
K1=$((EP + 500))
next_k() { echo $(($1 + 300 * $2 + WP + EP + 700)); }

# hd_call TERMINAL N EXT NAME [rtppeer args]: terminal N (password tpwN)
# dials EXT; the report of its RTP peer is $PEER_REPORT
hd_call() {
	local term=$1 n=$2 ext=$3 name=$4 rp rc
	shift 4
	next_rtp_port; rp=$RTP_PORT
	peer_start "$name" $rp -i 60000 -w 60000 -e "$PROMPTS_DIR/enter-pin.wav" \
		-e "$PROMPTS_DIR/wrong-pin.wav" -e "$PROMPTS_DIR/logged-in.wav" \
		-e "$PROMPTS_DIR/locked.wav" "$@"
	sipp_run "hd-$name" -sf "$SCEN/uac_rtp.xml" -m 1 -s "$ext" -au "$term" \
		-ap "tpw$n" -i $P -p $((B + 2)) -key caller "$term" -key rtpip $P \
		-key rtpport $rp
	rc=$?
	peer_stop
	e2e_log "$name: heard enter-pin $(rval "$PEER_REPORT" heard_enter-pin), wrong-pin $(rval "$PEER_REPORT" heard_wrong-pin), logged-in $(rval "$PEER_REPORT" heard_logged-in), locked $(rval "$PEER_REPORT" heard_locked)"
	[ $rc -eq 0 ] || e2e_log "$name: the call did not end with the server's BYE"
	return $rc
}

# heard REPORT e-w-l-k: how often enter-pin, wrong-pin, logged-in, locked
heard() {
	[ "$(rval "$1" heard_enter-pin)-$(rval "$1" heard_wrong-pin)-$(rval "$1" heard_logged-in)-$(rval "$1" heard_locked)" = "$2" ]
}

t_hd_hash() {
	hd_call $T1 1 600 hash -k "$PIN600#" -K $K1 &&
		heard "$PEER_REPORT" 1-0-1-0 && [ "$(session_of 600)" = "$T1" ] &&
		kam hotdesk.list | grep -q "$T1"
}
check "hot-desk login by RFC 4733 digits PIN#: enter-pin, logged-in heard; rs_hotdesk has the session" t_hd_hash

t_hd_timeout() {
	local rep lat
	hd_call $T4 4 610 timeout -k "$PIN600" -K $K1 || return 1
	rep=$PEER_REPORT
	lat=$(($(rval "$rep" at_logged-in_ms) - $(rval "$rep" last_digit_sent_ms)))
	e2e_log "logged-in arrived $lat ms after the last digit's slot ended"
	heard "$rep" 1-0-1-0 && [ "$(session_of 610)" = "$T4" ] &&
		[ $lat -ge 4400 ] && [ $lat -le 6500 ]
}
check "hot-desk login by PIN without #: the entry ends 5 s after the last digit" t_hd_timeout

t_hd_wrong() {
	local k2
	k2=$(next_k $K1 5)
	hd_call $T2 2 620 wrong -k "1111#" -K $K1 -k "$PIN620#" -K "$k2" &&
		heard "$PEER_REPORT" 2-1-1-0 && [ "$(session_of 620)" = "$T2" ]
}
check "wrong PIN: wrong-pin, enter-pin again, the right PIN logs in" t_hd_wrong

t_hd_lockout() {
	local k2 k3 r1
	k2=$(next_k $K1 5); k3=$(next_k "$k2" 5)
	# three wrong tries: the call ends after the third wrong-pin
	hd_call $T3 3 630 three -k "1111#" -K $K1 -k "2222#" -K "$k2" -k "3333#" -K "$k3" &&
		heard "$PEER_REPORT" 3-3-0-0 || return 1
	r1=$PEER_REPORT
	# two more (5 within 15 min): the right PIN is refused, locked
	hd_call $T3 3 630 locked -k "4444#" -K $K1 -k "5555#" -K "$k2" -k "$PIN630#" -K "$k3" &&
		heard "$PEER_REPORT" 3-2-0-1 && [ -z "$(session_of 630)" ] &&
		[ "$(rval "$r1" last_digit_sent_ms)" -gt 0 ]
}
check "3 tries a call; after 5 wrong PINs even the right one gets 'locked'" t_hd_lockout

t_hd_inband() {
	hd_call $T5 5 660 inband -B -k "$PIN660#" -K $K1 &&
		heard "$PEER_REPORT" 1-0-1-0 && [ "$(session_of 660)" = "$T5" ]
}
check "hot-desk login by in-band DTMF tones (no telephone-event)" t_hd_inband

t_hd_info() {
	local rep
	next_rtp_port
	peer_start info $RTP_PORT -i 60000 -e "$PROMPTS_DIR/enter-pin.wav" \
		-e "$PROMPTS_DIR/logged-in.wav"; rep=$PEER_REPORT
	# as Ringset forwards a terminal's call: straight to the media server
	SIPP_TARGET=$MEDIA_IP:$MEDIA_PORT sipp_run info -sf "$SCEN/uac_direct_info.xml" \
		-m 1 -s hotdesk-login -i $P -p $((B + 31)) -key xhdr "X-Ringset-Ext: 670" \
		-key xhdr2 "X-Ringset-Terminal: $T6" -key xhdr3 "X-Test: 1" -key rtpip $P \
		-key rtpport $RTP_PORT -d $K1 -key d1 4 -key d2 8 -key d3 2 -key d4 6 -key d5 '#' ||
		{ e2e_log "the INFO call did not end with the server's BYE"; peer_stop; return 1; }
	peer_stop
	e2e_log "info: heard enter-pin $(rval "$rep" heard_enter-pin), logged-in $(rval "$rep" heard_logged-in)"
	[ "$(rval "$rep" heard_logged-in)" = 1 ] && [ "$(session_of 670)" = "$T6" ]
}
check "hot-desk login by SIP INFO application/dtmf-relay (a retransmitted INFO counts once)" t_hd_info

t_no_pin_in_logs() {
	! grep -qE "$PIN600|$PIN620|$PIN630|$PIN660" "$VAR_DIR/media.log" &&
		! grep -qE "$PIN600|$PIN620|$PIN630|$PIN660" "$VAR_DIR/kamailio.log"
}
check "no PIN in the media server's or Kamailio's log" t_no_pin_in_logs

# --- 3. confirm: Fork2Mobile press-1 through the real media server ------

GW_IP=$(rs_uri_host "$GATEWAY_URI"); GW_PORT=$(rs_uri_port "$GATEWAY_URI")
# outbound rule (dialplan idx 1): 0<national> -> +49<national>
sql "INSERT INTO dialplan (dpid, pr, match_op, match_exp, match_len, subst_exp, repl_exp, attrs)
	VALUES (1, 1, 1, '^0([1-9][0-9]+)\$', 0, '^0([1-9][0-9]+)\$', '+49\\\\1', '')"
kam dialplan.reload >/dev/null
sql "UPDATE rs_user SET fork2mobile = 1, hotdesk = 0 WHERE extension = '600'"
kam userdev.reload >/dev/null
register 1600 pw1600 $P $((B + 11)) || e2e_log "1600 did not register"
PRESS=$(prompt_ms press-1)

# at FILE PATTERN: ms of the first message matching PATTERN (empty if none)
at() { msg_time "$1" "$2" 2>/dev/null; }
# rel T T0: T - T0, or "-" when there was no such message
rel() { if [ -n "$1" ] && [ -n "$2" ]; then echo "+$(($1 - $2))"; else echo -; fi; }

# confirm_call NAME DESK_SCENARIO CALLER_SCENARIO [mobile rtppeer args]:
# 200 calls 600; desk phone 1600 runs DESK_SCENARIO, the gateway answers
# as the mobile after 1 s with an RTP peer given the args; the caller's
# RTP peer sends 800 Hz, the mobile's (with -t) 1400 Hz
confirm_call() {
	local name=$1 desk=$2 csc=$3 cp mp rc
	shift 3
	next_rtp_port; cp=$RTP_PORT; next_rtp_port; mp=$RTP_PORT
	phone 1600 $P $((B + 11)) "$desk" -d "${DESK_D:-5000}"; CF_D=$SIPP_PID; CF_DM=$PHONE_MSG
	peer_start "mobile-$name" $mp -i 60000 -e "$PROMPTS_DIR/press-1.wav" -f 800 -f 1400 "$@"
	CF_MP=$PEER_PID; CF_MR=$PEER_REPORT
	sipp_bg "gw-$name" -sf "$SCEN/uas_rtp.xml" -m 1 -i "$GW_IP" -p "$GW_PORT" -d 1000 \
		-key rtpip $P -key rtpport $mp
	CF_G=$SIPP_PID; CF_GM=$SIPP_MSG
	wait_bound "$GW_IP" "$GW_PORT"
	peer_start "caller-$name" $cp -i 60000 -t 800 -f 800 -f 1400
	CF_CP=$PEER_PID; CF_CR=$PEER_REPORT
	sipp_run "caller-$name" -sf "$SCEN/$csc" -m 1 -s 600 -au 200 -ap pw200 \
		-i $P -p $((B + 20)) -key caller 200 -key rtpip $P -key rtpport $cp -d 3000
	rc=$?
	CF_CM=$SIPP_MSG
	wait_pid $CF_G; CF_GRC=$?
	wait_pid $CF_D; CF_DRC=$?
	kill -TERM $CF_MP $CF_CP 2>/dev/null; wait $CF_MP $CF_CP 2>/dev/null
	local t0
	t0=$(at "$CF_CM" '^INVITE')
	e2e_log "$name (ms after the caller's INVITE): mobile INVITE at the gateway $(rel "$(at "$CF_GM" '^INVITE')" "$t0"), its 200 $(rel "$(at "$CF_GM" '^SIP/2.0 200')" "$t0"); caller 183 $(rel "$(at "$CF_CM" '^SIP/2.0 183')" "$t0"), 200 $(rel "$(at "$CF_CM" '^SIP/2.0 200')" "$t0"); desk CANCEL $(rel "$(at "$CF_DM" '^CANCEL')" "$t0"), desk 200 $(rel "$(at "$CF_DM" '^SIP/2.0 200')" "$t0"); mobile BYE $(rel "$(at "$CF_GM" '^BYE')" "$t0")"
	e2e_log "$name: mobile heard press-1 $(rval "$CF_MR" heard_press-1)x, 800 Hz $(rval "$CF_MR" tone_800_ms) ms; caller heard 1400 Hz $(rval "$CF_CR" tone_1400_ms) ms, 800 Hz $(rval "$CF_CR" tone_800_ms) ms"
	return $rc
}

t_press1() {
	# 600's own devices ring 3 s: the mobile presses 1 at about 4.5 s, so
	# only the extension after the 183 keeps the confirm leg alive
	sql "UPDATE rs_user SET ring_seconds = 3 WHERE extension = '600'"
	kam userdev.reload >/dev/null
	confirm_call press1 uas_cancel.xml uac_rtp_bye.xml -k 1 -K $((PRESS + 300)) \
		-t 1400 -T $((PRESS + 500)) || { e2e_log "the caller was not answered"; return 1; }
	[ $CF_GRC -eq 0 ] && [ $CF_DRC -eq 0 ] &&
		[ "$(rval "$CF_MR" heard_press-1)" -ge 1 ] &&
		[ "$(rval "$CF_MR" tone_800_ms)" -ge 1500 ] &&
		[ "$(rval "$CF_CR" tone_1400_ms)" -ge 1500 ] &&
		[ "$(rval "$CF_CR" tone_800_ms)" -eq 0 ] &&
		grep -q "^SIP/2.0 183" "$CF_CM" && ! grep -q "^X-Ringset-" "$CF_CM" &&
		grep -q "the mobile answered the confirm leg, it rings 6 s more" "$VAR_DIR/kamailio.log" &&
		[ "$(($(at "$CF_CM" '^SIP/2.0 200') - $(at "$CF_CM" '^INVITE')))" -gt 3000 ]
}
check "press-1: the mobile (gateway) hears press-1, sends 1; the caller gets 200 after the desk phone's ring time, the desk phone CANCEL; 800 Hz and 1400 Hz cross the bridge both ways" t_press1

t_other_key() {
	sql "UPDATE rs_user SET ring_seconds = 20 WHERE extension = '600'"
	kam userdev.reload >/dev/null
	confirm_call otherkey uas_answer.xml uac_rtp_bye.xml -k 5 -K $((PRESS + 300)) ||
		{ e2e_log "the caller was not answered by the desk phone"; return 1; }
	# the mobile got BYE before the desk phone answered, which it did
	[ $CF_GRC -eq 0 ] && [ $CF_DRC -eq 0 ] &&
		[ "$(at "$CF_GM" '^BYE')" -lt "$(at "$CF_DM" '^SIP/2.0 200')" ] &&
		grep -q "other-key, wait-key -> end" "$VAR_DIR/media.log"
}
check "another key: the mobile is hung up, the desk phone keeps ringing and answers" t_other_key

t_key_timeout() {
	local win
	DESK_D=7000 confirm_call timeout uas_answer.xml uac_rtp_bye.xml || return 1
	win=$(($(at "$CF_GM" '^BYE') - $(at "$CF_GM" '^SIP/2.0 200')))
	e2e_log "the mobile was hung up $win ms after it answered (X-Ringset-Timeout: 4)"
	[ $CF_GRC -eq 0 ] && [ $CF_DRC -eq 0 ] && [ "$(rval "$CF_MR" heard_press-1)" -ge 1 ] &&
		[ $win -ge 3800 ] && [ $win -le 5500 ] &&
		[ "$(at "$CF_GM" '^BYE')" -lt "$(at "$CF_DM" '^SIP/2.0 200')" ]
}
check "no key within X-Ringset-Timeout: the mobile is hung up after 4 s, the desk phone answers" t_key_timeout

t_confirm_cancel() {
	local d g gm cm rc
	phone 1600 $P $((B + 11)) uas_cancel.xml; d=$SIPP_PID
	sipp_bg gw-cancel -sf "$SCEN/uas_cancel.xml" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID; gm=$SIPP_MSG
	wait_bound "$GW_IP" "$GW_PORT"
	next_rtp_port
	sipp_run caller-cancel -sf "$SCEN/uac_rtp_cancel.xml" -m 1 -s 600 -au 200 -ap pw200 \
		-i $P -p $((B + 20)) -key caller 200 -key rtpip $P -key rtpport $RTP_PORT -d 1500
	rc=$?; cm=$SIPP_MSG
	wait_pid $g && wait_pid $d && [ $rc -eq 0 ] || return 1
	e2e_log "caller CANCEL at +$(($(at "$cm" '^CANCEL') - $(at "$cm" '^INVITE'))) ms, the mobile's CANCEL $(($(at "$gm" '^CANCEL') - $(at "$cm" '^CANCEL'))) ms later"
	grep -q "^CANCEL" "$gm"
}
check "a CANCEL of the caller while the mobile rings: the mobile gets CANCEL too" t_confirm_cancel

t_mobile_busy() {
	local d g sc rc
	sc=$LOGDIR/uas_reject_486.xml
	sed "s/@CODE@/486/g; s/@DELAY@/200/g" "$SCEN/uas_reject.xml.in" >"$sc"
	phone 1600 $P $((B + 11)) uas_answer.xml -d 2000; d=$SIPP_PID
	sipp_bg gw-busy -sf "$sc" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID
	wait_bound "$GW_IP" "$GW_PORT"
	next_rtp_port
	sipp_run caller-busy -sf "$SCEN/uac_rtp_bye.xml" -m 1 -s 600 -au 200 -ap pw200 \
		-i $P -p $((B + 20)) -key caller 200 -key rtpip $P -key rtpport $RTP_PORT -d 300
	rc=$?
	wait_pid $g && wait_pid $d && [ $rc -eq 0 ] &&
		grep -q "confirm: peer-failed, dialing -> end" "$VAR_DIR/media.log"
}
check "a busy mobile: the confirm leg ends (480), the desk phone answers" t_mobile_busy

# --- 5. bad input ----------------------------------------------------------

# refused CODE REASON NAME SERVICE FMTS HDR1 [HDR2] [SCENARIO]: a direct
# INVITE gets "CODE REASON" and nothing else
refused() {
	local code=$1 reason=$2 name=$3 svc=$4 fmts=$5 h1=$6 h2=${7:-X-Test: 2} sc=${8:-}
	if [ -z "$sc" ]; then
		sc=$LOGDIR/uac_direct_refused_$code.xml
		sed "s/@CODE@/$code/g" "$SCEN/uac_direct_refused.xml.in" >"$sc"
	fi
	SIPP_TARGET=$MEDIA_IP:$MEDIA_PORT sipp_run "refused-$name" -sf "$sc" -m 1 \
		-s "$svc" -i 127.0.0.1 -p $((B + 30)) -key xhdr "$h1" -key xhdr2 "$h2" \
		-key fmts "$fmts" || { e2e_log "$name: not refused with $code"; return 1; }
	grep -q "^SIP/2.0 $code $reason" "$SIPP_MSG" ||
		{ e2e_log "$name: $(grep -m1 '^SIP/2.0 [3-6]' "$SIPP_MSG") (want $code $reason)"; return 1; }
}

t_refusals() {
	refused 488 "Not Acceptable Here" nosdp announce 0 "X-Ringset-Prompt: enabled" "X-Test: 2" \
		"$SCEN/uac_direct_nosdp.xml" &&
		refused 488 "Not Acceptable Here (no common codec)" g729 announce 18 "X-Ringset-Prompt: enabled" &&
		refused 404 "Unknown service" svc no-such-service 0 "X-Test: 1" &&
		refused 404 "Unknown prompt" prompt announce 0 "X-Ringset-Prompt: no-such-prompt" &&
		refused 404 "Unknown prompt" path announce 0 "X-Ringset-Prompt: ../../etc/passwd" &&
		refused 400 "Missing X-Ringset-Prompt" noprompt announce 0 "X-Test: 1" &&
		refused 400 "Missing or bad X-Ringset-Target" notarget confirm 0 "X-Ringset-Ext: 600" &&
		refused 400 "Missing or bad X-Ringset-Timeout" notimeout confirm 0 "X-Ringset-Ext: 600" "X-Ringset-Target: +491701234567" &&
		refused 400 "Missing or bad X-Ringset-Ext" badext hotdesk-login 0 "X-Ringset-Ext: 6'0" "X-Ringset-Terminal: $T1"
}
check "bad INVITEs: no SDP or no common codec 488, unknown service or prompt 404, a missing or bad header 400 naming it" t_refusals

t_bye_mid_prompt() {
	local rep
	next_rtp_port
	peer_start bye-mid $RTP_PORT -e "$PROMPTS_DIR/disabled.wav"; rep=$PEER_REPORT
	sql "UPDATE rs_user SET fork2mobile = 0 WHERE extension = '600'"
	kam userdev.reload >/dev/null
	sipp_run bye-mid -sf "$SCEN/uac_rtp_bye.xml" -m 1 -s '*509' -au 1600 -ap pw1600 \
		-i $P -p $((B + 1)) -key caller 1600 -key rtpip $P -key rtpport $RTP_PORT -d 600 || return 1
	peer_stop
	e2e_log "the caller hung up after 600 ms: it received $(rval "$rep" audio_ms) ms of the prompt"
	[ "$(rval "$rep" audio_ms)" -gt 200 ] && [ "$(rval "$rep" audio_ms)" -lt 1500 ] &&
		grep -q "announce: hangup, playing -> end" "$VAR_DIR/media.log"
}
check "the caller hangs up mid-prompt: the playout stops, the call ends" t_bye_mid_prompt

# RTP to the media server's port from an address that is not in the SDP
t_wrong_source() {
	local rep port end
	next_rtp_port
	peer_start wrongsrc $RTP_PORT -e "$PROMPTS_DIR/locked.wav"; rep=$PEER_REPORT
	direct_call wrongsrc announce "X-Ringset-Prompt: locked" "X-Test: 1" "X-Test: 2"
	local s=$SIPP_PID m=$SIPP_MSG
	end=$((SECONDS + 10))
	until port=$(awk '/^SIP\/2.0 200/{p=1} p && /^m=audio/{print $2; exit}' "$m" 2>/dev/null) && [ -n "$port" ]; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
	# 20 packets: G.711 noise and a telephone-event '#' from a stranger
	for i in $(seq 1 10); do
		printf '\x80\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x09%0160d' 0 >/dev/udp/127.0.0.3/$port
		printf '\x80\x65\x00\x02\x00\x00\x00\x01\x00\x00\x00\x09\x0b\x8a\x00\xa0' >/dev/udp/127.0.0.3/$port
	done
	wait_pid $s || return 1
	peer_stop
	prompt_heard "$rep" locked
}
check "RTP from an address that is not the SDP's is dropped; the prompt plays on" t_wrong_source

t_sigterm_calls_up() {
	local pids=() i n=0 end p ok=0
	for i in 1 2 3; do
		next_rtp_port
		peer_start "term$i" $RTP_PORT
		direct_call "term$i" announce "X-Ringset-Prompt: moh" "X-Test: 1" "X-Test: 2"
		pids+=("$SIPP_PID")
	done
	end=$((SECONDS + 10))
	until [ "$(grep -c "announce: start, idle -> playing" "$VAR_DIR/media.log")" -ge $((START_N + 3)) ]; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
	media_clean || return 1
	# every caller got its BYE: sipp ends with 0
	for p in "${pids[@]}"; do wait_pid "$p" && ok=$((ok + 1)); done
	n=$(sed -n 's/.* \([0-9]*\) RTP packets from wrong addresses.*/\1/p' "$VAR_DIR/media.log" | tail -1)
	e2e_log "SIGTERM with 3 calls up: $ok callers got BYE; $n RTP packets from wrong addresses dropped in the whole run"
	[ $ok -eq 3 ] && grep -q "signal 15: ending 3 calls" "$VAR_DIR/media.log" && [ "${n:-0}" -ge 20 ]
}
START_N=$(grep -c "announce: start, idle -> playing" "$VAR_DIR/media.log")
check "SIGTERM with 3 calls up: BYE to each, clean exit, ASan reports nothing" t_sigterm_calls_up

e2e_summary
