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

media_e2e_end
e2e_summary
