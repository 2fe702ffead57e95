#!/usr/bin/env bash
# Media through RTPengine (issue 6): which calls are anchored (gateway,
# media server, NAT, users with anchor_media) and which keep direct media
# (two local phones); RTP really flows through RTPengine (sipp plays a pcap
# on both sides, RTPengine's own counters show the packets on both legs);
# offer/answer/delete on re-INVITEs, CANCEL, failed calls and forks; no
# session is left behind.
SIP_PORT=${SIP_PORT:-$((25360 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
NATIP=192.168.57.10   # what a phone behind NAT writes in Via, Contact and SDP
MEDIA_IP=$(rs_uri_host "$MEDIA_URI"); MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")
GW_IP=$(rs_uri_host "$GATEWAY_URI"); GW_PORT=$(rs_uri_port "$GATEWAY_URI")
# ports of this test: phones SIP_PORT+100.., sipp media SIP_PORT+200..
PH=$((SIP_PORT + 100))
MP=$((SIP_PORT + 200))

add_user 200 "Alice Able" 4940111200
add_device 1200 pw1200 200
add_user 300 "Carol Cole" 4940111300
add_device 1300 pw1300 300
add_device 2300 pw2300 300
add_user 400 "Dan Nat" 4940111400
add_device 1400 pw1400 400
add_user 500 "Erin Empty"
add_device 1500 pw1500 500
sql "UPDATE rs_user SET voicemail = 1 WHERE extension = '500'"
kam userdev.reload >/dev/null
register 1200 pw1200 $P $((PH + 1)) && register 1300 pw1300 $P $((PH + 3)) &&
	sipp_run reg-nat-1400 -sf "$SCEN/register_cip.xml" -m 1 -s 1400 -au 1400 \
		-ap pw1400 -i $P -p $((PH + 4)) -key expires 3600 -key cip $NATIP ||
	{ echo "registration failed"; exit 1; }

# --- helpers -------------------------------------------------------------

# rtp_legs CALLID: "<remote address> <packets>" for every RTP (not RTCP)
# port of the session, as RTPengine counts what it received there
rtp_legs() {
	"${RTPCTL[@]}" list sessions "$1" 2>/dev/null |
		sed -n 's/^-* Port *[0-9.]*:[0-9]* <> *\([0-9.]*:[0-9]*\), SSRC [0-9a-f]*, \([0-9]*\) p,.*/\1 \2/p'
}

# rtp_flow CALLID ADDR1 ADDR2 MIN: within the call, RTPengine received at
# least MIN packets from each of the two endpoints (polled until the call
# would be over); prints the legs
rtp_flow() {
	local cid=$1 a=$2 b=$3 min=$4 end=$((SECONDS + 15)) legs pa pb
	while :; do
		legs=$(rtp_legs "$cid")
		pa=$(awk -v a="$a" '$1 == a { print $2 }' <<<"$legs")
		pb=$(awk -v b="$b" '$1 == b { print $2 }' <<<"$legs")
		if [ "${pa:-0}" -ge "$min" ] && [ "${pb:-0}" -ge "$min" ]; then
			e2e_log "RTPengine counted: $(tr '\n' ';' <<<"$legs")"
			return 0
		fi
		[ $SECONDS -lt $end ] || { e2e_log "RTPengine legs of $cid: $(tr '\n' ';' <<<"$legs")"; return 1; }
		sleep 0.1
	done
}

# the anchored-call check shared by the cases below: both SDPs name
# RTPengine, RTP flows both ways through it, and it is gone after the BYE
anchored_call() {
	local c=$1 cm=$2 g=$3 gm=$4 a=$5 b=$6 cid rc=0
	wait_log "$cm" "^SIP/2.0 200" || { e2e_log "no answer"; stop_bg $c; stop_bg $g; return 1; }
	cid=$(call_id "$cm")
	anchored "$gm" || rc=1
	anchored "$cm" || rc=1
	rtp_flow "$cid" "$a" "$b" 20 || rc=1
	wait_pid $c || { e2e_log "caller failed"; rc=1; }
	wait_pid $g || { e2e_log "callee failed"; rc=1; }
	wait_sessions 0 || rc=1
	return $rc
}

# --- cases ---------------------------------------------------------------

t_gateway_out() {
	local c cm g gm
	media_peer gw "$GW_IP" "$GW_PORT" $((MP + 10)) "$GW_IP"; g=$SIPP_PID; gm=$SIPP_MSG
	media_call uac-gw 1200 pw1200 $((PH + 1)) 0049301234 $((MP + 0)) $P; c=$SIPP_PID; cm=$SIPP_MSG
	anchored_call $c "$cm" $g "$gm" "$P:$((MP + 0))" "$GW_IP:$((MP + 10))"
}
check "a call to the gateway is anchored: both SDPs name RTPengine, RTP flows both ways through it, 0 sessions after BYE" t_gateway_out

t_gateway_in() {
	local c cm g gm
	media_peer uas-1200 $P $((PH + 1)) $((MP + 0)) $P; g=$SIPP_PID; gm=$SIPP_MSG
	sipp_bg gw-in -sf "$SCEN/uac_media_trusted.xml" -m 1 -s 200 -i "$GW_IP" -p "$GW_PORT" \
		-mi "$GW_IP" -mp $((MP + 10)) -key caller 4930555 -key cip "$GW_IP" -d 4000
	c=$SIPP_PID; cm=$SIPP_MSG
	anchored_call $c "$cm" $g "$gm" "$GW_IP:$((MP + 10))" "$P:$((MP + 0))"
}
check "a call from the gateway to a user is anchored, RTP both ways, 0 sessions after BYE" t_gateway_in

t_local_direct() {
	local c cm g gm rc=0
	media_peer uas-1300 $P $((PH + 3)) $((MP + 30)) $P; g=$SIPP_PID; gm=$SIPP_MSG
	media_call uac-local 1200 pw1200 $((PH + 1)) 300 $((MP + 0)) $P; c=$SIPP_PID; cm=$SIPP_MSG
	wait_log "$gm" "^ACK" || { stop_bg $c; stop_bg $g; return 1; }
	# while the call is up, RTPengine has nothing
	[ "$(rtp_sessions)" = 0 ] || { e2e_log "RTPengine has a session for a local call"; rc=1; }
	direct "$gm" $P $((MP + 0)) || rc=1
	direct "$cm" $P $((MP + 30)) || rc=1
	wait_pid $c && wait_pid $g || rc=1
	return $rc
}
check "a call between two local phones keeps direct media (no RTPengine session, SDPs untouched)" t_local_direct

t_anchor_user() {
	local c cm g gm rc=0
	sql "UPDATE rs_user SET anchor_media = 1 WHERE extension = '300'"
	kam userdev.reload >/dev/null
	kam userdev.show 300 | grep -q "anchor_media: 1" || { e2e_log "userdev.show lacks anchor_media"; rc=1; }
	media_peer uas-1300 $P $((PH + 3)) $((MP + 30)) $P; g=$SIPP_PID; gm=$SIPP_MSG
	media_call uac-anchor 1200 pw1200 $((PH + 1)) 300 $((MP + 0)) $P; c=$SIPP_PID; cm=$SIPP_MSG
	anchored_call $c "$cm" $g "$gm" "$P:$((MP + 0))" "$P:$((MP + 30))" || rc=1
	sql "UPDATE rs_user SET anchor_media = 0 WHERE extension = '300'"
	kam userdev.reload >/dev/null
	return $rc
}
check "a user with anchor_media = 1 (direct media disabled) has local calls anchored" t_anchor_user

t_nat_callee() {
	local c cm g gm
	# 1400 registered from behind NAT: its contact and SDP say $NATIP
	media_peer uas-1400 $P $((PH + 4)) $((MP + 40)) $NATIP; g=$SIPP_PID; gm=$SIPP_MSG
	media_call uac-nat 1200 pw1200 $((PH + 1)) 400 $((MP + 0)) $P; c=$SIPP_PID; cm=$SIPP_MSG
	# RTPengine sends to where the NATed phone really is, not to $NATIP
	anchored_call $c "$cm" $g "$gm" "$P:$((MP + 0))" "$P:$((MP + 40))"
}
check "a call to a phone behind NAT is anchored; RTPengine reaches it at its real address" t_nat_callee

t_nat_caller() {
	local c cm g gm
	media_peer uas-1300 $P $((PH + 3)) $((MP + 30)) $P; g=$SIPP_PID; gm=$SIPP_MSG
	media_call uac-natc 1400 pw1400 $((PH + 4)) 300 $((MP + 40)) $NATIP; c=$SIPP_PID; cm=$SIPP_MSG
	anchored_call $c "$cm" $g "$gm" "$P:$((MP + 40))" "$P:$((MP + 30))"
}
check "a call from a phone behind NAT is anchored, RTP both ways" t_nat_caller

t_media_server() {
	local c cm g gm rc=0
	# 500 has nothing registered: its plan is its mailbox on the media server
	media_peer media "$MEDIA_IP" "$MEDIA_PORT" $((MP + 50)) "$MEDIA_IP"; g=$SIPP_PID; gm=$SIPP_MSG
	media_call uac-vm 1200 pw1200 $((PH + 1)) 500 $((MP + 0)) $P; c=$SIPP_PID; cm=$SIPP_MSG
	anchored_call $c "$cm" $g "$gm" "$P:$((MP + 0))" "$MEDIA_IP:$((MP + 50))" || rc=1
	grep -q "^INVITE sip:voicemail@" "$gm" || { e2e_log "the media server got no voicemail INVITE"; rc=1; }
	return $rc
}
check "a call to the media server (voicemail) is anchored, RTP both ways, 0 sessions after BYE" t_media_server

t_media_in() {
	local c cm g gm
	media_peer uas-1200 $P $((PH + 1)) $((MP + 0)) $P; g=$SIPP_PID; gm=$SIPP_MSG
	sipp_bg media-in -sf "$SCEN/uac_media_trusted.xml" -m 1 -s 200 -i "$MEDIA_IP" \
		-p "$MEDIA_PORT" -mi "$MEDIA_IP" -mp $((MP + 50)) -key caller announce \
		-key cip "$MEDIA_IP" -d 4000
	c=$SIPP_PID; cm=$SIPP_MSG
	anchored_call $c "$cm" $g "$gm" "$MEDIA_IP:$((MP + 50))" "$P:$((MP + 0))"
}
check "a call from the media server to a user is anchored, RTP both ways, 0 sessions after BYE" t_media_in

t_reinvite() {
	local c cm g gm cid rc=0 p
	media_peer gw "$GW_IP" "$GW_PORT" $((MP + 10)) "$GW_IP" uas_media_reinvite.xml; g=$SIPP_PID; gm=$SIPP_MSG
	sipp_bg uac-reinv -sf "$SCEN/uac_media_reinvite.xml" -m 1 -s 0049301234 -au 1200 \
		-ap pw1200 -i $P -p $((PH + 1)) -mi $P -mp $((MP + 0)) -key caller 1200 \
		-key cip $P -d 1500
	c=$SIPP_PID; cm=$SIPP_MSG
	wait_pid $c || { e2e_log "caller failed"; rc=1; }
	wait_pid $g || { e2e_log "gateway failed"; rc=1; }
	# every SDP either side received (initial, hold, resume) names RTPengine
	for p in $(tr -d '\r' <"$gm" | awk '/message received/ { r = 1; next }
			/message sent/ { r = 0; next } r && /^m=audio / { print $2 }'
			tr -d '\r' <"$cm" | awk '/message received/ { r = 1; next }
			/message sent/ { r = 0; next } r && /^m=audio / { print $2 }'); do
		in_rtp_range "$p" || { e2e_log "an SDP with port $p passed RTPengine by"; rc=1; }
	done
	[ "$(grep -c '^m=audio' "$gm")" -ge 6 ] || { e2e_log "the re-INVITEs did not all carry SDP"; rc=1; }
	grep -q "^a=sendonly" "$gm" && grep -q "^a=recvonly" "$cm" ||
		{ e2e_log "hold did not cross RTPengine"; rc=1; }
	wait_sessions 0 || rc=1
	return $rc
}
check "re-INVITEs (hold, resume) of an anchored call go through RTPengine both ways" t_reinvite

t_reinvite_callee() {
	local c cm g gm rc=0 p
	media_peer gw "$GW_IP" "$GW_PORT" $((MP + 10)) "$GW_IP" uas_media_hold.xml -d 1500
	g=$SIPP_PID; gm=$SIPP_MSG
	sipp_bg uac-held -sf "$SCEN/uac_media_held.xml" -m 1 -s 0049301234 -au 1200 \
		-ap pw1200 -i $P -p $((PH + 1)) -mi $P -mp $((MP + 0)) -key caller 1200 \
		-key cip $P
	c=$SIPP_PID; cm=$SIPP_MSG
	wait_pid $c || { e2e_log "caller failed"; rc=1; }
	wait_pid $g || { e2e_log "gateway failed"; rc=1; }
	for p in $(cat "$gm" "$cm" | tr -d '\r' | awk '/message received/ { r = 1; next }
			/message sent/ { r = 0; next } r && /^m=audio / { print $2 }'); do
		in_rtp_range "$p" || { e2e_log "an SDP with port $p passed RTPengine by"; rc=1; }
	done
	grep -q "^a=sendonly" "$cm" && grep -q "^a=recvonly" "$gm" ||
		{ e2e_log "the hold from the called side did not cross"; rc=1; }
	wait_sessions 0 || rc=1
	return $rc
}
check "a re-INVITE from the called side (the gateway holds) goes through RTPengine both ways" t_reinvite_callee

t_late_offer() {
	local c cm g gm
	media_peer gw "$GW_IP" "$GW_PORT" $((MP + 10)) "$GW_IP"; g=$SIPP_PID; gm=$SIPP_MSG
	sipp_bg uac-late -sf "$SCEN/uac_media_late.xml" -m 1 -s 0049301234 -au 1200 \
		-ap pw1200 -i $P -p $((PH + 1)) -mi $P -mp $((MP + 0)) -key caller 1200 \
		-key cip $P -d 4000
	c=$SIPP_PID; cm=$SIPP_MSG
	# the gateway's offer (200) and the phone's answer (ACK) both cross RTPengine
	anchored_call $c "$cm" $g "$gm" "$P:$((MP + 0))" "$GW_IP:$((MP + 10))"
}
check "a late offer (INVITE without SDP): offer in the 200, answer in the ACK, both through RTPengine" t_late_offer

t_cancel() {
	local c g rc=0
	sipp_bg gw -sf "$SCEN/uas_cancel.xml" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID
	wait_bound "$GW_IP" "$GW_PORT"
	sipp_bg uac-cancel -sf "$SCEN/uac_media_cancel.xml" -m 1 -s 0049301234 -au 1200 \
		-ap pw1200 -i $P -p $((PH + 1)) -mi $P -mp $((MP + 0)) -key caller 1200 \
		-key cip $P -d 3000
	c=$SIPP_PID
	wait_sessions 1 || rc=1       # the offer made a session while it rings
	wait_pid $c || { e2e_log "caller did not cancel cleanly"; rc=1; }
	wait_pid $g || { e2e_log "gateway was not cancelled"; rc=1; }
	wait_sessions 0 || rc=1
	return $rc
}
check "a cancelled anchored call leaves no RTPengine session" t_cancel

t_failed() {
	local g sc rc=0
	sipp_bg gw -sf "$SCEN/uas_busy.xml" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID
	wait_bound "$GW_IP" "$GW_PORT"
	sc=$LOGDIR/uac_media_end_486.xml
	sed "s/@CODE@/486/g" "$SCEN/uac_media_end.xml.in" >"$sc"
	sipp_run uac-busy -sf "$sc" -m 1 -s 0049301234 -au 1200 -ap pw1200 -i $P \
		-p $((PH + 1)) -mi $P -mp $((MP + 0)) -key caller 1200 -key cip $P || rc=1
	wait_pid $g || rc=1
	wait_sessions 0 || rc=1
	return $rc
}
check "a failed anchored call (486 from the gateway) leaves no RTPengine session" t_failed

t_fork_mixed() {
	local a am b bm c cm cid rc=0
	# 300 rings 1300 (local, direct) and 2300 (behind NAT, anchored);
	# 1300 answers: the session opened for 2300's branch is deleted
	sipp_run reg-nat-2300 -sf "$SCEN/register_cip.xml" -m 1 -s 2300 -au 2300 \
		-ap pw2300 -i $P -p $((PH + 5)) -key expires 3600 -key cip $NATIP || return 1
	media_peer uas-1300 $P $((PH + 3)) $((MP + 30)) $P uas_media.xml -d 800; a=$SIPP_PID; am=$SIPP_MSG
	sipp_bg uas-2300 -sf "$SCEN/uas_cancel.xml" -m 1 -s 2300 -i $P -p $((PH + 5)); b=$SIPP_PID; bm=$SIPP_MSG
	wait_bound $P $((PH + 5))
	media_call uac-fork 1200 pw1200 $((PH + 1)) 300 $((MP + 0)) $P; c=$SIPP_PID; cm=$SIPP_MSG
	wait_log "$cm" "^SIP/2.0 200" || { stop_bg $a; stop_bg $b; stop_bg $c; return 1; }
	anchored "$bm" || rc=1                 # the NATed branch was offered through RTPengine
	direct "$am" $P $((MP + 0)) || rc=1    # the local one was not
	direct "$cm" $P $((MP + 30)) || rc=1   # and its direct answer reached the caller
	wait_sessions 0 || rc=1                # during the call: the unused session is gone
	wait_pid $b || { e2e_log "2300 was not cancelled"; rc=1; }
	wait_pid $a && wait_pid $c || rc=1
	kam ul.rm location s:2300 >/dev/null
	return $rc
}
check "a fork with an anchored and a direct branch: the direct one answers, the RTPengine session is deleted" t_fork_mixed

t_no_leak() {
	local n
	n=$(rtp_sessions)
	e2e_log "RTPengine sessions after the calls: $n"
	"${RTPCTL[@]}" list totals | grep -iE "managed sessions|rejected sessions|timed-out" | sed 's/^/        /' >&2
	[ "$n" = 0 ] && kam_alive
}
check "RTPengine holds 0 sessions after all calls; Kamailio is alive" t_no_leak

e2e_summary
