#!/usr/bin/env bash
# Security (issue 10, README "Security"): each attack of the issue, as a black
# box, against the whole stack; what must keep working next to it.
SIP_PORT=${SIP_PORT:-$((25860 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

# a small wrong-PIN lockout table, to fill it (section 9)
export KAM_EXTRA_DEFINES="HD_LOCKOUT_SLOTS=16"
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

# --- 2. trusted peers by address and port; JSON-RPC allow-list ----------

# noauth CODE NAME IP PORT DEST [XHDR]: a new call without credentials
noauth() {
	local sc=$LOGDIR/uac_noauth_$1.xml
	sed -e "s/@CODE@/$1/g" "$SCEN/uac_noauth.xml.in" >"$sc"
	E2E_TIMEOUT=10 sipp_run "noauth-$2" -sf "$sc" -m 1 -s "$5" -i "$3" -p "$4" \
		-key xhdr "${6:-X-Test: noauth}"
}

t_peer_port() {
	local rc=0
	: >"$LOGDIR/sink-gateway"
	noauth 407 media-port $MEDIA_IP $((MEDIA_PORT + 1)) 0900123456 ||
		{ e2e_log "the media server's address on another port was trusted"; rc=1; }
	noauth 407 gw-port $GW_IP $((GW_PORT + 1)) 0900123456 ||
		{ e2e_log "the gateway's address on another port was trusted"; rc=1; }
	noauth 407 media-origin $MEDIA_IP $((MEDIA_PORT + 1)) 0900123456 \
		"X-Ringset-Origin: fork2mobile;ext=200" || rc=1
	[ ! -s "$LOGDIR/sink-gateway" ] || { e2e_log "the gateway got the calls"; rc=1; }
	return $rc
}
check "a call from the media server's or gateway's address on another port is not trusted (407), reaches no gateway" t_peer_port
stop_bg $S_GW; stop_bg $S_MEDIA; stop_bg $S_PHONE

RPC_URL=http://$SIP_ADDR:$PROV_PORT/RPC
# rpc_code IP BODY: the HTTP status of a JSON-RPC POST from IP (the
# answer's body in $LOGDIR/rpc-body)
rpc_code() {
	curl -s --max-time 10 --interface "$1" -o "$LOGDIR/rpc-body" \
		-w '%{http_code}' -H 'Content-Type: application/json' -d "$2" "$RPC_URL"
}
rpc_req() { printf '{"jsonrpc":"2.0","method":"%s","params":%s,"id":1}' "$1" "${2:-[]}"; }

# every method but the media server's gets 403 from the media server's
# address (HTTP clients are trusted by address: their TCP port is
# ephemeral) before reaching jsonrpcs
t_rpc_methods() {
	local rc=0 m code
	for m in htable.dump core.ppdefines_full ul.add hotdesk.unlock cfg.set hotdesk.list; do
		code=$(rpc_code $MEDIA_IP "$(rpc_req $m '["creds"]')")
		[ "$code" = 403 ] || { e2e_log "$m from $MEDIA_IP: HTTP $code $(head -c 80 "$LOGDIR/rpc-body" | tr -d '\n')"; rc=1; }
	done
	# jsonrpcs looks "method" up with srjson, case-insensitively, first
	# match: the check does the same
	code=$(rpc_code $MEDIA_IP '{"jsonrpc":"2.0","Method":"htable.dump","method":"hotdesk.login","params":["creds"],"id":1}')
	[ "$code" = 403 ] || { e2e_log "Method/method trick: HTTP $code"; rc=1; }
	code=$(rpc_code $MEDIA_IP '[{"jsonrpc":"2.0","method":"htable.dump","params":["creds"],"id":1}]')
	[ "$code" = 400 ] || [ "$code" = 403 ] || { e2e_log "a batch: HTTP $code"; rc=1; }
	return $rc
}
check "JSON-RPC: htable.dump, core.ppdefines_full, ul.add, hotdesk.unlock, cfg.set from the media server's address get 403" t_rpc_methods

t_rpc_login() {
	local rc=0 code
	# hotdesk.login is the media server's: it reaches jsonrpcs (an RPC
	# error for an unknown terminal, in a JSON-RPC reply)
	code=$(rpc_code $MEDIA_IP "$(rpc_req hotdesk.login '["hotdesk-000000000000","200","1234"]')")
	grep -q '"unknown hot-desk terminal' "$LOGDIR/rpc-body" ||
		{ e2e_log "hotdesk.login from the media server: HTTP $code $(head -c 120 "$LOGDIR/rpc-body")"; rc=1; }
	code=$(rpc_code $EVIL "$(rpc_req hotdesk.login '["hotdesk-000000000000","200","1234"]')")
	[ "$code" = 403 ] || { e2e_log "hotdesk.login from $EVIL: HTTP $code"; rc=1; }
	return $rc
}
check "JSON-RPC: hotdesk.login is served to the media server only" t_rpc_login

# --- 5. identity: one P-Asserted-Identity at the gateway ----------------

# n_hdr FILE NAME: how many NAME headers the first INVITE a sipp got had
n_hdr() {
	tr -d '\r' <"$1" | awk -v h="$2" '
		/^(UDP|TCP) message received/ { r = 1; first = 1; next }
		/^(UDP|TCP) message sent/ { r = 0; next }
		r && first && NF { first = 0; inv = ($0 ~ /^INVITE /); next }
		r && inv && NF == 0 { exit }
		r && inv && tolower($0) ~ "^" tolower(h) ":" { n++ }
		END { print n + 0 }'
}
SPOOF=$'P-Asserted-Identity: <sip:999@evil.example>\r\nRemote-Party-ID: <sip:666@evil.example>;party=calling\r\nDiversion: <sip:777@evil.example>;reason=unconditional\r\nP-Preferred-Identity: <sip:888@evil.example>\r\nP-Charging-Vector: icid-value=evil\r\nP-Charging-Function-Addresses: ccf=evil'

# gw_identity FILE CLI: the INVITE at the gateway asserts exactly CLI, and
# nothing of what the phone sent
gw_identity() {
	local rc=0 h
	[ "$(n_hdr "$1" P-Asserted-Identity)" = 1 ] ||
		{ e2e_log "P-Asserted-Identity at the gateway: $(grep -c '^P-Asserted-Identity' "$1")"; rc=1; }
	grep -q "^P-Asserted-Identity: <sip:$2@$SIP_DOMAIN>" "$1" ||
		{ e2e_log "the gateway's PAI: $(grep '^P-Asserted-Identity' "$1" | tr -d '\r' | tr '\n' ';')"; rc=1; }
	for h in Remote-Party-ID Diversion P-Preferred-Identity P-Charging-Vector P-Charging-Function-Addresses; do
		[ "$(n_hdr "$1" $h)" = 0 ] || { e2e_log "$h reached the gateway"; rc=1; }
	done
	! grep -q "evil.example" "$1" || { e2e_log "a spoofed identity reached the gateway"; rc=1; }
	return $rc
}

t_pai_gateway() {
	local g gm rc=0
	sipp_bg gw -sf "$SCEN/uas_service.xml" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID; gm=$SIPP_MSG
	wait_bound "$GW_IP" "$GW_PORT"
	XHDR=$SPOOF call 1200 pw1200 $P $((PH + 11)) 0900123456 || { e2e_log "the call failed"; rc=1; }
	wait_pid $g || rc=1
	gw_identity "$gm" 4940111200 || rc=1
	return $rc
}
check "a call to the gateway carries exactly one P-Asserted-Identity (external_cli); RPID, Diversion, PPI, P-Charging-* from the phone are gone" t_pai_gateway

t_pai_followme() {
	local g gm rc=0
	sipp_bg gw -sf "$SCEN/uas_service.xml" -m 1 -i "$GW_IP" -p "$GW_PORT"; g=$SIPP_PID; gm=$SIPP_MSG
	wait_bound "$GW_IP" "$GW_PORT"
	XHDR=$SPOOF call 1200 pw1200 $P $((PH + 12)) 400 || { e2e_log "the call failed"; rc=1; }
	wait_pid $g || rc=1
	grep -q "^INVITE sip:0301234567@" "$gm" || { e2e_log "the follow-me entry did not reach the gateway"; rc=1; }
	gw_identity "$gm" 4940111400 || rc=1
	return $rc
}
# 400 has no device of its own: its plan goes to an external number
add_user 400 "Dora Dial" 4940111400
sql "UPDATE rs_user SET forward_external = 1 WHERE extension = '400';
	INSERT INTO rs_followme (extension, position, target, mode, ring_seconds)
	VALUES ('400', 1, '0301234567', 'serial', 10)"
kam userdev.reload >/dev/null
check "an external follow-me entry carries exactly one P-Asserted-Identity (the user's external_cli)" t_pai_followme

# --- 4. registrations point at the phone itself -------------------------

# reg_contact CODE NAME CONTACT: 1300 registers with that Contact
reg_contact() {
	local sc=$LOGDIR/register_contact_$1.xml
	sed -e "s/@CODE@/$1/g" "$SCEN/register_contact.xml.in" >"$sc"
	sipp_run "reg-contact-$2" -sf "$sc" -m 1 -s 1300 -au 1300 -ap pw1300 \
		-i $P -p $((PH + 13)) -key expires 3600 -key contact "$3"
}
t_reg_contact() {
	local rc=0
	reg_contact 403 gw "<sip:0900123456@$GW_IP:$GW_PORT>" ||
		{ e2e_log "a Contact at the gateway was accepted"; rc=1; }
	reg_contact 403 media "<sip:voicemail@$MEDIA_IP:$MEDIA_PORT>" ||
		{ e2e_log "a Contact at the media server was accepted"; rc=1; }
	reg_contact 403 self "<sip:x@$SIP_ADDR:$SIP_PORT>" ||
		{ e2e_log "a Contact at Ringset was accepted"; rc=1; }
	reg_contact 403 two "<sip:1300@$P:$((PH + 13))>, <sip:0900123456@$GW_IP:$GW_PORT>" ||
		{ e2e_log "a second Contact was accepted"; rc=1; }
	# bare URIs, no angle brackets: the regular expression that looked for
	# ">," let the second one (at the gateway) through to save()
	reg_contact 403 two-bare "sip:1300@$P:$((PH + 13)), sip:0900123456@$GW_IP:$GW_PORT" ||
		{ e2e_log "a second Contact without angle brackets was accepted"; rc=1; }
	reg_contact 403 gw-v6 "<sip:0900123456@[::ffff:$GW_IP]:$GW_PORT>" ||
		{ e2e_log "a Contact at the gateway's IPv4-mapped address was accepted"; rc=1; }
	! kam userdev.show 1300 | grep -q "@$GW_IP\|@$MEDIA_IP\|$SIP_ADDR:$SIP_PORT" ||
		{ e2e_log "usrloc holds a bad contact"; rc=1; }
	# the phone itself, as before
	reg_contact 200 own "<sip:1300@$P:$((PH + 13))>" || rc=1
	return $rc
}
check "REGISTER with a Contact at the gateway, the media server or Ringset gets 403" t_reg_contact

# --- 10. MESSAGE stays inside ---------------------------------------------

# message CODE CALLER PW PORT DEST
message() {
	local sc=$LOGDIR/uac_message_$1.xml
	sed -e "s/@CODE@/$1/g" "$SCEN/uac_message.xml.in" >"$sc"
	E2E_TIMEOUT=10 sipp_run "msg-$2-$5" -sf "$sc" -m 1 -s "$5" -au "$2" -ap "$3" \
		-i $P -p "$4" -key caller "$2"
}
t_message() {
	local rc=0
	sink gateway "$GW_IP" "$GW_PORT"; S_GW=$SINK_PID
	message 403 1200 pw1200 $((PH + 14)) 0900123456 ||
		{ e2e_log "a MESSAGE to an external number was not refused"; rc=1; }
	# 400's plan is only an external number: nothing to deliver to
	message 480 1200 pw1200 $((PH + 14)) 400 ||
		{ e2e_log "a MESSAGE to 400 was not 480"; rc=1; }
	stop_bg $S_GW
	[ ! -s "$LOGDIR/sink-gateway" ] ||
		{ e2e_log "the gateway got: $(grep -a -m2 -E '^[A-Z]+ sip:' "$LOGDIR/sink-gateway" | tr -d '\r' | tr '\n' ';')"; rc=1; }
	# a hot-desk terminal nobody is logged in on
	add_device hotdesk-0004f2000008 pwterm NULL hotdesk_terminal
	kam userdev.reload >/dev/null
	message 403 hotdesk-0004f2000008 pwterm $((PH + 15)) 1300 ||
		{ e2e_log "a logged-out hot-desk terminal sent a MESSAGE"; rc=1; }
	return $rc
}
check "MESSAGE: not to the gateway (403, nor by follow-me), not from a logged-out hot-desk terminal" t_message

# --- 6. usernames compare exactly; no control characters ---------------

t_username_case() {
	local rc=0 a
	# the terminal of section 10 with its own password, in upper case
	phone 1300 $P $P1300 uas_cancel.xml; a=$SIPP_PID
	E2E_TIMEOUT=10 call_refused 403 HOTDESK-0004F2000008 pwterm $P $((PH + 16)) 1300 ||
		{ e2e_log "HOTDESK-0004F2000008 was not refused"; rc=1; }
	stop_bg $a
	[ "$(n_received "$PHONE_MSG" INVITE)" = 0 ] || { e2e_log "1300 was rung"; rc=1; }
	E2E_TIMEOUT=10 sipp_run reg-upper -sf "$SCEN/register_refused.xml" -m 1 \
		-s HOTDESK-0004F2000008 -au HOTDESK-0004F2000008 -ap pwterm -i $P \
		-p $((PH + 16)) -key expires 3600 || { e2e_log "its REGISTER was not refused"; rc=1; }
	return $rc
}
check "HOTDESK-<MAC> in upper case does not authenticate as the terminal (403), rings nobody" t_username_case

t_ctl_chars() {
	local rc=0 a
	sql "INSERT INTO rs_user (extension, domain, display_name, external_cli)
		VALUES ('500', '$SIP_DOMAIN', CONCAT('Eve', CHAR(13), CHAR(10), 'X-Evil: injected'), '4940111500'),
		('510', '$SIP_DOMAIN', 'Fay', CONCAT('4940', CHAR(13), CHAR(10), 'X-Evil: cli')),
		('520', '$SIP_DOMAIN', 'Gil \" <sip:evil@evil.example>', '4940111520')"
	add_device 1500 pw1500 500
	kam userdev.reload >/dev/null
	kam userdev.show 500 2>/dev/null | grep -q "type:" && { e2e_log "user 500 was loaded"; rc=1; }
	kam userdev.show 510 2>/dev/null | grep -q "type:" && { e2e_log "user 510 was loaded"; rc=1; }
	kam userdev.show 520 2>/dev/null | grep -q "type:" && { e2e_log "user 520 was loaded"; rc=1; }
	grep -q "rs_user row '500' ignored: display_name contains a control character" "$VAR_DIR/kamailio.log" &&
		grep -q "rs_user row '510' ignored: external_cli contains a control character" "$VAR_DIR/kamailio.log" &&
		grep -q "rs_user row '520' ignored: display_name may not contain" "$VAR_DIR/kamailio.log" ||
		{ e2e_log "no reason logged: $(grep "rs_user row '5" "$VAR_DIR/kamailio.log" | tail -3)"; rc=1; }
	# whatever its device may still do, no injected header reaches anyone
	phone 1300 $P $P1300 uas_answer.xml -d 10; a=$SIPP_PID
	E2E_TIMEOUT=10 call 1500 pw1500 $P $((PH + 17)) 1300 >/dev/null 2>&1
	stop_bg $a
	! grep -q "X-Evil\|evil.example" "$PHONE_MSG" || { e2e_log "the injected header reached 1300"; rc=1; }
	return $rc
}
check "display_name/external_cli with CR LF or a quote are refused at load with a reason; nothing injected reaches a phone" t_ctl_chars

# --- 9. the wrong-PIN lockout fails closed -----------------------------

# the stack runs with lockout_slots 16 (KAM_EXTRA_DEFINES above): eight
# wrong PINs, each for its own extension from its own terminal, fill the
# table; a ninth pair may then not try at all, even with the right PIN
t_lockout_full() {
	local i code rc=0
	for i in 1 2 3 4 5 6 7 8 9; do
		sql "INSERT INTO rs_user (extension, domain, display_name, hotdesk)
			VALUES ('66$i', '$SIP_DOMAIN', 'Hot $i', 1);
			SET @s = HEX(RANDOM_BYTES(8));
			UPDATE rs_user SET pin_hash = CONCAT('sha256\$', @s, '\$', SHA2(CONCAT(@s, '5820731'), 256))
			WHERE extension = '66$i';
			INSERT INTO subscriber (username, domain, password)
			VALUES ('hotdesk-0004f20006$i$i', '$SIP_DOMAIN', 'x$i');
			INSERT INTO rs_device (username, domain, extension, kind, mac)
			VALUES ('hotdesk-0004f20006$i$i', '$SIP_DOMAIN', NULL, 'hotdesk_terminal', '0004f20006$i$i')"
	done
	kam userdev.reload >/dev/null
	for i in 1 2 3 4 5 6 7 8; do
		rpc_code $MEDIA_IP "$(rpc_req hotdesk.login "[\"hotdesk-0004f20006$i$i\",\"66$i\",\"9317460\"]")" >/dev/null
		grep -q '"wrong-pin"' "$LOGDIR/rpc-body" ||
			{ e2e_log "try $i: $(tr -d '\n\t' <"$LOGDIR/rpc-body" | head -c 120)"; rc=1; }
	done
	rpc_code $MEDIA_IP "$(rpc_req hotdesk.login '["hotdesk-0004f2000699","669","5820731"]')" >/dev/null
	grep -q '"locked"' "$LOGDIR/rpc-body" ||
		{ e2e_log "with the table full: $(tr -d '\n\t' <"$LOGDIR/rpc-body" | head -c 160)"; rc=1; }
	grep -q "lockout table is full" "$VAR_DIR/kamailio.log" || { e2e_log "no log line"; rc=1; }
	! grep -q "5820731\|9317460" "$VAR_DIR/kamailio.log" || { e2e_log "a PIN is in the log"; rc=1; }
	return $rc
}
check "a full wrong-PIN lockout table refuses further tries (locked), the right PIN included; no PIN in the log" t_lockout_full

# --- 9b. PINs have 4 to 16 digits ---------------------------------------

t_short_pin() {
	local rc=0 end
	# an admin sets a 3-digit PIN for 662 in SQL
	sql "SET @s = HEX(RANDOM_BYTES(8)); UPDATE rs_user SET pin_hash =
		CONCAT('sha256\$', @s, '\$', SHA2(CONCAT(@s, '735'), 256)) WHERE extension = '662'"
	kam userdev.reload >/dev/null
	end=$((SECONDS + 10))
	until grep -q "rs_user row '662': its PIN has fewer than 4 digits" "$VAR_DIR/kamailio.log"; do
		[ $SECONDS -lt $end ] || { e2e_log "the short PIN was not logged"; rc=1; break; }
		sleep 0.1
	done
	rpc_code $MEDIA_IP "$(rpc_req hotdesk.login '["hotdesk-0004f2000622","662","735"]')" >/dev/null
	grep -q '"logged-in"' "$LOGDIR/rpc-body" &&
		{ e2e_log "a 3-digit PIN logged in"; rc=1; }
	grep -q "4 to 16 digits" "$LOGDIR/rpc-body" ||
		{ e2e_log "answer: $(tr -d '\n\t' <"$LOGDIR/rpc-body" | head -c 120)"; rc=1; }
	kam hotdesk.logout 662 >/dev/null 2>&1
	return $rc
}
check "a PIN shorter than 4 digits is refused: logged when it is set, and a login with it gets 400" t_short_pin

# --- 8. secrets -------------------------------------------------------

t_creds_ha1() {
	local rc=0 v
	register 1200 pw1200 $P $P1200 || return 1
	v=$(kam htable.get creds s:1200 2>&1)
	grep -q "$(ha1 1200 pw1200)" <<<"$v" || { e2e_log "creds 1200: $v"; rc=1; }
	! grep -q "pw1200" <<<"$v" || { e2e_log "the password is in the cache"; rc=1; }
	# anyone may send a wrong password: the cached entry stays
	sipp_run reg-wrong -sf "$SCEN/register_refused.xml" -m 1 -s 1200 -au 1200 \
		-ap wrong -i $P -p $((PH + 18)) -key expires 3600 || rc=1
	kam htable.get creds s:1200 2>&1 | grep -q "$(ha1 1200 pw1200)" ||
		{ e2e_log "a wrong password evicted the cached credentials"; rc=1; }
	return $rc
}
check "the credential cache keeps the HA1, not the password; a wrong-password REGISTER does not evict it" t_creds_ha1

# credentials live in memory (htable creds, in step with subscriber): a
# password changed or a row deleted in SQL must stop the old credentials
# within a poll, not when a cache entry ages out
creds_is() { kam htable.get creds "s:$1" 2>&1 | grep -q "$2"; }
creds_gone() { ! kam htable.get creds "s:$1" 2>&1 | grep -q "value"; }
t_creds_follow_sql() {
	local rc=0
	add_device 1250 pw1250 200 && wait_directory 1250 5 || return 1
	wait_until 5 creds_is 1250 "$(ha1 1250 pw1250)" || { e2e_log "1250's HA1 did not come"; return 1; }
	register 1250 pw1250 $P $((PH + 61)) || { e2e_log "1250 did not register"; rc=1; }
	sql "UPDATE subscriber SET password = 'pw1250b' WHERE username = '1250'"
	wait_until 5 creds_is 1250 "$(ha1 1250 pw1250b)" || { e2e_log "the new HA1 of 1250 did not come"; rc=1; }
	sipp_run reg-1250-old -sf "$SCEN/register_refused.xml" -m 1 -s 1250 -au 1250 \
		-ap pw1250 -i $P -p $((PH + 62)) -key expires 3600 ||
		{ e2e_log "the old password of 1250 was not refused with 403"; rc=1; }
	register 1250 pw1250b $P $((PH + 61)) || { e2e_log "the new password of 1250 did not register"; rc=1; }
	sql "DELETE FROM subscriber WHERE username = '1250'"
	wait_until 5 creds_gone 1250 || { e2e_log "1250's HA1 stayed after its row was deleted"; rc=1; }
	sipp_run reg-1250-gone -sf "$SCEN/register_refused.xml" -m 1 -s 1250 -au 1250 \
		-ap pw1250b -i $P -p $((PH + 62)) -key expires 3600 ||
		{ e2e_log "a device without a subscriber row was not refused with 403"; rc=1; }
	return $rc
}
check "credentials follow SQL: a changed password refuses the old one (403), a deleted subscriber row refuses the device (403), each within a poll" t_creds_follow_sql

t_digest_replay() {
	local rc=0 auth sc=$LOGDIR/register_replay.xml
	register 1300 pw1300 $P $P1300 || return 1
	grep -q '^WWW-Authenticate: .*qop="auth"' "$SIPP_MSG" ||
		{ e2e_log "the challenge has no qop=auth"; rc=1; }
	auth=$(msg_hdr "$SIPP_MSG" sent '^REGISTER' Authorization)
	[ -n "$auth" ] || { e2e_log "no Authorization in the log"; return 1; }
	sed -e "s/@CODE@/401/g" "$SCEN/register_replay.xml.in" >"$sc"
	E2E_TIMEOUT=10 sipp_run replay-1300 -sf "$sc" -m 1 -s 1300 -i $EVIL -p $((ATT + 50)) \
		-key auth "$auth" || { e2e_log "the replayed digest was not refused with 401"; rc=1; }
	! kam userdev.show 1300 | grep -q "@$EVIL" || { e2e_log "the replay registered"; rc=1; }
	return $rc
}
check "digest with qop=auth and nonce counting: a captured REGISTER Authorization replayed gets 401" t_digest_replay

t_rpc_pin_log() {
	local rc=0 code
	# a hotdesk.login body cut short: jsonrpcs logged such bodies whole
	code=$(rpc_code $MEDIA_IP '{"jsonrpc":"2.0","method":"hotdesk.login","params":["hotdesk-0004f2000611","661","8675309123"')
	[ "$code" = 400 ] || { e2e_log "a broken body: HTTP $code"; rc=1; }
	! grep -q "8675309123" "$VAR_DIR/kamailio.log" || { e2e_log "the PIN is in Kamailio's log"; rc=1; }
	return $rc
}
check "no PIN in the log from a malformed hotdesk.login body" t_rpc_pin_log

# --- 7. Replaces: a confirmed call is taken only by its parties ---------

t_replaces_foreign() {
	local b cm cid ftag ttag rc=0 PHJ=$P1300
	# 1300 registered only where its phone listens (section 4 added one)
	kam ul.rm location s:1300 >/dev/null 2>&1
	register 1300 pw1300 $P $PHJ || return 1
	# 1200 (user 200) calls 1300 (user 300): confirmed, stays up
	phone 1300 $P $PHJ uas_answer_stay.xml -d 10; b=$SIPP_PID
	sipp_run stay-rep -sf "$SCEN/uac_call_stay.xml" -m 1 -s 1300 -au 1200 \
		-ap pw1200 -i $P -p $P1200 -key caller 1200 -key xhdr "X-Test: replaces" ||
		{ e2e_log "the call was not answered"; stop_bg $b; return 1; }
	cm=$SIPP_MSG
	wait_pid $b || rc=1
	cid=$(msg_hdr "$cm" sent '^INVITE' Call-ID)
	ftag=$(tag_of "$(msg_hdr "$cm" sent '^INVITE' From)")
	ttag=$(tag_of "$(msg_hdr "$cm" received '^SIP/2.0 200' To)")
	# 1700, a device of another user, tries to take 1300's side of it
	sink hijack $P $PHJ; S_HJ=$SINK_PID
	XHDR="Replaces: $cid;to-tag=$ttag;from-tag=$ftag" E2E_TIMEOUT=10 \
		call_end 403 1700 pw1700 $P $((PH + 21)) 300 ||
		{ e2e_log "the INVITE with Replaces from 1700 was not refused with 403"; rc=1; }
	stop_bg $S_HJ
	[ ! -s "$LOGDIR/sink-hijack" ] || { e2e_log "1300 got the hijacking INVITE"; rc=1; }
	return $rc
}
add_user 700 "Hal Hijack" 4940111700
add_device 1700 pw1700 700
kam userdev.reload >/dev/null
check "a device of another user sending INVITE with Replaces for a confirmed call gets 403, reaches nobody" t_replaces_foreign

# --- 7. who may watch whom: a private user ------------------------------

t_blf_private() {
	local rc=0 sc=$LOGDIR/watch_403.xml w k a am cid ftag ttag
	sed "s/@CODE@/403/g" "$SCEN/watcher_refused.xml.in" >"$sc"
	# 1700 (user 700) may not watch the private user 800
	E2E_TIMEOUT=10 sipp_run w-private -sf "$sc" -m 1 -s 800 -au 1700 -ap pw1700 \
		-i $P -p $((PH + 22)) -key caller 1700 ||
		{ e2e_log "1700 could watch the private user 800"; rc=1; }
	# 800's own device may
	sipp_bg w-own -sf "$SCEN/watcher.xml" -m 1 -s 800 -au 1800 -ap pw1800 \
		-i $P -p $((PH + 23)) -key caller 1800; w=$SIPP_PID
	local end=$((SECONDS + 10))
	until grep -q "^NOTIFY " "$SIPP_MSG" 2>/dev/null; do
		[ $SECONDS -lt $end ] || { e2e_log "800's own device got no NOTIFY"; rc=1; break; }
		sleep 0.05
	done
	stop_bg $w
	# 1200 calls 800, 1800 rings; 1700 may not pick the call up
	phone 1800 $P $((PH + 24)) uas_cancel.xml; a=$SIPP_PID
	sipp_bg ring-800 -sf "$SCEN/uac_ring_cancel.xml" -m 1 -s 800 -au 1200 -ap pw1200 \
		-i $P -p $((PH + 25)) -mi $P -key caller 1200 -key cip $P -key cport $((PH + 26))
	k=$SIPP_PID; am=$SIPP_MSG
	end=$((SECONDS + 10))
	until grep -q "^SIP/2.0 180" "$am" 2>/dev/null; do
		[ $SECONDS -lt $end ] || { e2e_log "the call to 800 did not ring"; stop_bg $k; stop_bg $a; return 1; }
		sleep 0.02
	done
	cid=$(msg_hdr "$am" sent '^INVITE' Call-ID)
	ftag=$(tag_of "$(msg_hdr "$am" sent '^INVITE' From)")
	ttag=$(tag_of "$(msg_hdr "$am" received '^SIP/2.0 180' To)")
	sink pickup $P $((PH + 26)); S_PU=$SINK_PID
	XHDR="Replaces: $cid;to-tag=$ftag;from-tag=$ttag;early-only" E2E_TIMEOUT=10 \
		call_end 403 1700 pw1700 $P $((PH + 27)) 800 ||
		{ e2e_log "1700 could pick up a call to the private user 800"; rc=1; }
	stop_bg $S_PU; stop_bg $k; stop_bg $a
	[ ! -s "$LOGDIR/sink-pickup" ] || { e2e_log "the caller's device got the pickup"; rc=1; }
	return $rc
}
add_user 800 "Ivy Private" 4940111800
add_device 1800 pw1800 800
sql "UPDATE rs_user SET blf_private = 1 WHERE extension = '800'"
kam userdev.reload >/dev/null
register 1800 pw1800 $P $((PH + 24)) || echo "registration of 1800 failed"
check "a private user (rs_user.blf_private) is watched and picked up only by its own devices: 403 for another user's device" t_blf_private

# --- 3. provisioning: HTTP digest with the device's own secret ----------

PROV_URL=http://$SIP_ADDR:$PROV_PORT/provision
# prov IP URL-PATH [curl args]: HTTP status of a GET from IP; body in
# $LOGDIR/prov-body
prov() {
	local ip=$1 path=$2
	shift 2
	curl -s --max-time 10 --interface "$ip" -o "$LOGDIR/prov-body" -w '%{http_code}' \
		"$@" "$PROV_URL/$path"
}
t_prov_digest() {
	local rc=0 sec code b1 b2 i
	# a terminal of section 9
	code=$(prov $P snom/0004f2000611.xml)
	[ "$code" = 401 ] || { e2e_log "no credentials: HTTP $code"; rc=1; }
	grep -q ">x1<" "$LOGDIR/prov-body" && { e2e_log "the SIP password without credentials"; rc=1; }
	# Ringset made its secret
	sec=$(prov_secret 0004f2000611)
	[ -n "$sec" ] || { e2e_log "no prov_secret for 0004f2000611"; return 1; }
	kam userdev.show hotdesk-0004f2000611 | grep -q "prov_secret: $sec" ||
		{ e2e_log "userdev.show does not show the secret"; rc=1; }
	code=$(prov $P snom/0004f2000611.xml --digest -u 0004f2000611:wrong)
	[ "$code" = 401 ] || { e2e_log "wrong secret: HTTP $code"; rc=1; }
	b1=$(cat "$LOGDIR/prov-body")
	# an unknown MAC answers exactly like a known one with a wrong secret
	code=$(prov $P snom/0004f2999998.xml --digest -u 0004f2999998:wrong)
	b2=$(cat "$LOGDIR/prov-body")
	[ "$code" = 401 ] && [ "$b1" = "$b2" ] || { e2e_log "unknown MAC: HTTP $code"; rc=1; }
	# another device's secret does not open this one
	code=$(prov $P snom/0004f2000622.xml --digest -u 0004f2000611:"$sec")
	[ "$code" = 401 ] || { e2e_log "a secret for another MAC: HTTP $code"; rc=1; }
	code=$(prov $P snom/0004f2000611.xml --digest -u 0004f2000611:"$sec")
	[ "$code" = 200 ] && grep -q "<user_pass[^>]*>x1</user_pass>" "$LOGDIR/prov-body" ||
		{ e2e_log "with its secret: HTTP $code"; rc=1; }
	# a brute force from one address is cut off, the right secret too
	for i in $(seq 1 10); do
		prov $EVIL snom/0004f2000611.xml --digest -u 0004f2000611:guess$i >/dev/null
	done
	code=$(prov $EVIL snom/0004f2000611.xml --digest -u 0004f2000611:"$sec")
	[ "$code" = 429 ] || { e2e_log "after 10 wrong secrets: HTTP $code"; rc=1; }
	return $rc
}
check "provisioning: 401 without or with a wrong secret and for an unknown MAC alike; the device's own secret gets its file; a brute force gets 429" t_prov_digest

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
# the CDR of a call is written by cdrwriter as part of a multi-row INSERT:
# a Call-ID is any SIP "word" (quotes, backslash, parentheses, ";" are
# allowed), so a caller can put SQL into it. It must land in acc as it
# was sent, and the statement must stay one INSERT
acc_rows() { sql "SELECT COUNT(*) FROM acc"; }
acc_has_cid() { [ "$(sql "SELECT COUNT(*) FROM acc WHERE HEX(callid) = '$1'")" = 1 ]; }
t_cdr_injection() {
	local rc=0 sc=$LOGDIR/uac_reject_486.xml before cid hex b
	local fmt=$'x\'),(\'a\',\'b\',\'c\',\'d\',\'0\',\'e\',NOW());DROP/**/TABLE/**/acc;--\\"%u-%p@h'
	before=$(acc_rows)
	# 1300 is busy: the failed call's CDR is written with its 486
	phone 1300 $P $P1300 uas_busy.xml; b=$SIPP_PID
	sed "s/@CODE@/486/g" "$SCEN/uac_reject.xml.in" >"$sc"
	sipp_run uac-inject -sf "$sc" -m 1 -s 300 -au 1200 -ap pw1200 -i $P \
		-p $((PH + 60)) -key caller 1200 -cid_str "$fmt" ||
		{ e2e_log "the call with SQL in its Call-ID did not get 486"; stop_bg $b; return 1; }
	wait_pid $b
	cid=$(call_id "$SIPP_MSG")
	case $cid in *"DROP/**/TABLE"*) ;; *) e2e_log "sipp did not send the Call-ID: '$cid'"; return 1 ;; esac
	hex=$(printf '%s' "$cid" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
	wait_until 5 acc_has_cid "$hex" || {
		e2e_log "no acc row with the Call-ID '$cid' ($hex); the last: $(sql "SELECT HEX(callid) FROM acc ORDER BY id DESC LIMIT 1")"
		rc=1
	}
	# the table and its earlier rows are still there (another call's
	# row may have come with the same flush)
	[ "$(acc_rows)" -ge $((before + 1)) ] ||
		{ e2e_log "acc rows: $before before, $(acc_rows) after"; rc=1; }
	e2e_log "Call-ID '$cid': one acc row, stored as sent"
	return $rc
}
check "SQL in a Call-ID reaches the acc row as text: one row, the table intact" t_cdr_injection

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
