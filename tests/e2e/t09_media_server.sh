#!/usr/bin/env bash
# The media server ringset-media (issue 11) against Ringset, asserted on the
# wire: what the phones' RTP peers (tests/rtppeer) received and sent, the
# SIP that crossed, and the state in SQL/RPC. The daemon runs with ASan and
# must end without a sanitizer report.
SIP_PORT=${SIP_PORT:-$((25960 + ${RS_PORT_OFFSET:-0}))}
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
	rp=$(next_rtp_port)
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
hotdesk_user 610 "Gina Desk" $PIN600
hotdesk_user 620 "Hugo Desk" $PIN620
hotdesk_user 630 "Ida Lock" $PIN630
sql "UPDATE rs_user SET hotdesk = 1 WHERE extension = '600'"
set_pin 600 $PIN600
terminal 1; terminal 2; terminal 3; terminal 4
T1=hotdesk-0004f2000001; T2=hotdesk-0004f2000002; T3=hotdesk-0004f2000003
T4=hotdesk-0004f2000004
kam userdev.reload >/dev/null

session_of() { sql "SELECT terminal FROM rs_hotdesk WHERE extension = '$1'"; }
# prompt_ms NAME: the length of a prompt, ms
prompt_ms() { echo $((($(stat -c %s "$PROMPTS_DIR/$1.wav") - 44) / 16)); }
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
	rp=$(next_rtp_port)
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

t_no_pin_in_logs() {
	! grep -qE "$PIN600|$PIN620|$PIN630" "$VAR_DIR/media.log" &&
		! grep -qE "$PIN600|$PIN620|$PIN630" "$VAR_DIR/kamailio.log"
}
check "no PIN in the media server's or Kamailio's log" t_no_pin_in_logs

media_e2e_end
e2e_summary
