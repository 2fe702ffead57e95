#!/usr/bin/env bash
# Security (issue 10, PRODUCT.md §10): each attack of the issue, as a black
# box, against the whole stack; what must keep working next to it.
SIP_PORT=${SIP_PORT:-$((25860 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
EVIL=127.0.0.9 # an address nobody provisioned
MEDIA_IP=$(rs_uri_host "$MEDIA_URI"); MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")
GW_IP=$(rs_uri_host "$GATEWAY_URI"); GW_PORT=$(rs_uri_port "$GATEWAY_URI")
# ports of this test: phones SIP_PORT+100.., attackers SIP_PORT+300..
PH=$((SIP_PORT + 100))
P1200=$((PH + 1)) P1300=$((PH + 3))
ATT=$((SIP_PORT + 300))

add_user 200 "Alice Able" 4940111200
add_device 1200 pw1200 200
add_user 300 "Carol Cole" 4940111300
add_device 1300 pw1300 300
kam userdev.reload >/dev/null
register 1200 pw1200 $P $P1200 && register 1300 pw1300 $P $P1300 ||
	{ echo "registration failed"; exit 1; }

# sink NAME IP PORT: a UDP listener in place of a peer that records every
# datagram it gets (PID in $SINK_PID, log in $LOGDIR/sink-NAME)
sink() {
	: >"$LOGDIR/sink-$1"
	socat -u "UDP4-RECV:$3,bind=$2,reuseaddr" "OPEN:$LOGDIR/sink-$1,append" &
	SINK_PID=$!
	E2E_PIDS+=("$SINK_PID")
	wait_bound "$2" "$3"
}

# --- 1. no relay through forged in-dialog requests ----------------------

# forged METHOD RURI ROUTE: an unauthenticated request with a made-up
# To-tag and a Route naming Ringset; Ringset must answer 481 itself
forged() {
	local sc=$LOGDIR/uac_forged_$1.xml
	sed -e "s/@METHOD@/$1/g" -e "s/@CODE@/481/g" "$SCEN/uac_forged.xml.in" >"$sc"
	ATT=$((ATT + 1))
	E2E_TIMEOUT=10 sipp_run "forged-$1" -sf "$sc" -m 1 -s x -i $EVIL -p $ATT \
		-key ruri "$2" -key route "$3" -key xhdr "Event: refer"
}

sink gateway "$GW_IP" "$GW_PORT"; S_GW=$SINK_PID
sink media "$MEDIA_IP" "$MEDIA_PORT"; S_MEDIA=$SINK_PID
sink phone $P $P1300; S_PHONE=$SINK_PID
RTP0=$(rtp_sessions)

# t_forged METHOD ROUTEPARAMS: the same attack on the gateway, the media
# server and a registered phone
t_forged() {
	local rc=0 route="<sip:$SIP_ADDR:$SIP_PORT;lr$2>"
	forged "$1" "sip:0900123456@$GW_IP:$GW_PORT" "$route" ||
		{ e2e_log "$1 to the gateway: no 481"; rc=1; }
	forged "$1" "sip:voicemail@$MEDIA_IP:$MEDIA_PORT" "$route" ||
		{ e2e_log "$1 to the media server: no 481"; rc=1; }
	forged "$1" "sip:1300@$P:$P1300" "$route" ||
		{ e2e_log "$1 to a phone: no 481"; rc=1; }
	return $rc
}
for m in INVITE MESSAGE NOTIFY; do
	check "forged $m (To-tag, Route: Ringset;lr, no credentials) gets 481" t_forged $m ""
	check "forged $m with ;rtp=yes in the Route gets 481" t_forged $m ";rtp=yes"
done

t_forged_nobody() {
	local rc=0 f
	for f in gateway media phone; do
		if [ -s "$LOGDIR/sink-$f" ]; then
			e2e_log "the $f got: $(grep -a -m3 -E '^[A-Z]+ sip:' "$LOGDIR/sink-$f" | tr -d '\r' | tr '\n' ';')"
			rc=1
		fi
	done
	[ "$(rtp_sessions)" = "$RTP0" ] ||
		{ e2e_log "RTPengine sessions: $RTP0 before, $(rtp_sessions) after"; rc=1; }
	return $rc
}
check "the forged requests reached neither the gateway, the media server nor a phone, and opened no RTPengine session" t_forged_nobody

stop_bg $S_GW; stop_bg $S_MEDIA; stop_bg $S_PHONE

# wait_dialog_row CALLID: until the dialog is in the database (10 s)
wait_dialog_row() {
	local end=$((SECONDS + 10))
	until [ "$(sql "SELECT COUNT(*) FROM dialog WHERE callid = '$1'")" = 1 ]; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# a call that is up when Kamailio restarts: its BYE still reaches the
# device (the dialog comes back from the database)
t_dialog_restart() {
	local b bm cm cid rr from to ct rc=0
	phone 1300 $P $P1300 uas_answer.xml -d 50; b=$SIPP_PID; bm=$PHONE_MSG
	sipp_run stay-1200 -sf "$SCEN/uac_call_stay.xml" -m 1 -s 300 -au 1200 \
		-ap pw1200 -i $P -p $P1200 -key caller 1200 -key xhdr "X-Test: restart" ||
		{ e2e_log "the call was not answered"; stop_bg $b; return 1; }
	cm=$SIPP_MSG
	cid=$(msg_hdr "$cm" sent '^INVITE' Call-ID)
	rr=$(msg_hdr "$cm" received '^SIP/2.0 200' Record-Route)
	from=$(msg_hdr "$cm" sent '^INVITE' From)
	to=$(msg_hdr "$cm" received '^SIP/2.0 200' To)
	ct=$(msg_hdr "$cm" received '^SIP/2.0 200' Contact)
	ct=${ct#<}; ct=${ct%%>*}
	# the dialog module writes its dialogs every 2 s: wait until it has
	wait_dialog_row "$cid" || { e2e_log "the dialog is not in the database"; stop_bg $b; return 1; }
	"$STACK" kam-stop && "$STACK" kam-start ||
		{ e2e_log "Kamailio did not restart"; stop_bg $b; return 1; }
	INDLG_PORT=$P1200 in_dialog bye-1200 200 BYE "$cid" "$ct" "$rr" "$from" "$to" \
		"<sip:1200@$P:$P1200>" "X-Test: after restart" ||
		{ e2e_log "the BYE after the restart got no 200"; rc=1; }
	wait_pid $b || { e2e_log "1300 did not get the BYE"; rc=1; }
	return $rc
}
check "a call established before a Kamailio restart is ended by its BYE after it" t_dialog_restart

e2e_summary
