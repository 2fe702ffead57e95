#!/usr/bin/env bash
# In-call services (issue 14, README "In-call services"): calls of a user with
# rs_user.incall_services = 1 go through the media server's b2bua, and the
# user's codes (#4, *0, *9, *3) act during the call. Asserted on the wire:
# the SIP each phone got, and who heard whom (each phone's RTP peer sends
# its own tone and reports, 20 ms by 20 ms, which tones it received).
SIP_PORT=${SIP_PORT:-$((26660 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_e2e_start

P=127.0.0.1
B=$((SIP_PORT + 1000)) # phone SIP ports B+1 ...
MEDIA_HOST=$(rs_uri_host "$MEDIA_URI")
# the tones: the user (200) 500 Hz, the party (300) 700 Hz, the addressee
# (400) 900 Hz
TONES=(-f 500 -f 700 -f 900)

add_user 200 "Alice Able" 4940111200
add_device 1200 pw1200 200
add_device 2200 pw2200 200 # registered only for the recall tests
add_user 300 "Bob Baker" 4940111300
add_device 1300 pw1300 300
add_user 400 "Carol Cook" 4940111400
add_device 1400 pw1400 400
add_user 500 "Dave Dunn" 4940111500
add_device 1500 pw1500 500
sql "UPDATE rs_user SET incall_services = 1 WHERE extension = '200'"
kam userdev.reload >/dev/null
for d in 1200:1 1300:3 1400:4 1500:5; do
	register "${d%:*}" "pw${d%:*}" $P $((B + ${d#*:})) ||
		{ echo "e2e: registration of ${d%:*} failed"; exit 1; }
done

# RTP peer ports: new_rtp VAR sets VAR to a fresh even port, it and the
# one above free (not in a subshell, so that the count goes on; another
# stack's RTPengine may have taken ports of this range)
RTP_NEXT=$((SIP_PORT + 1200))
new_rtp() {
	RTP_NEXT=$((RTP_NEXT + 2))
	while ss -Huan "( sport = :$RTP_NEXT or sport = :$((RTP_NEXT + 1)) )" 2>/dev/null | grep -q .; do
		RTP_NEXT=$((RTP_NEXT + 2))
	done
	printf -v "$1" %d $RTP_NEXT
}

# b2b_calls: the media server's count of calls in progress, b2bua and the
# other services (voicemail) alike (its log)
b2b_calls() {
	local n
	n=$(sed -n 's/.* call freed, \([0-9]*\) calls now$/\1/p' "$VAR_DIR/media.log" | tail -n 1)
	echo "${n:-0}"
}

# uas_b2b DEVICE PORT RTPPORT RING_MS wait|bye [sipp args]: a phone that
# answers after RING_MS and then waits for the BYE or hangs up after -d
uas_b2b() {
	local dev=$1 port=$2 rp=$3 ring=$4 end=$5 sc
	shift 5
	sc=$LOGDIR/uas_b2b_${ring}_$end.xml
	awk -v ring="$ring" -v endf="$SCEN/uas_b2b_end_$end.inc" '
		/^ *@END@$/ { while ((getline l < endf) > 0) print l; close(endf); next }
		{ gsub("@RING@", ring); print }' "$SCEN/uas_b2b.xml.in" >"$sc"
	sipp_bg "uas-$dev-$port" -sf "$sc" -m 1 -s "$dev" -i $P -p "$port" \
		-key rtpip $P -key rtpport "$rp" "$@"
	PHONE_MSG=$SIPP_MSG
	wait_bound $P "$port"
}

# stop_peers PID...: the calls are over: the RTP peers report and exit
stop_peers() {
	local p
	for p in "$@"; do kill -TERM "$p" 2>/dev/null; done
	for p in "$@"; do wait "$p" 2>/dev/null; done
	return 0
}

# heard_ms REPORT HZ
heard_ms() { rval "$1" "tone_${2}_ms"; }

# heard REPORT HZ MIN_MS: the peer received that tone for at least MIN_MS
heard() {
	local ms
	ms=$(heard_ms "$1" "$2")
	[ "${ms:-0}" -ge "$3" ] || { e2e_log "$(basename "$1"): ${2} Hz for ${ms:-0} ms, want >= $3"; return 1; }
}

# not_heard REPORT HZ: at most 100 ms of that tone (a frame at a switch)
not_heard() {
	local ms
	ms=$(heard_ms "$1" "$2")
	[ "${ms:-0}" -le 100 ] || { e2e_log "$(basename "$1"): ${2} Hz for $ms ms, want none"; return 1; }
}


# --- who hears whom, stage by stage ---------------------------------------
# Each RTP peer writes a timeline (-F): one line per 20 ms frame received,
# "<epoch ms> <500 Hz> <700 Hz> <900 Hz> <loud>" (1/0). A stage starts when
# the media server logs its transition; its window is judged from there.

# stage_at PATTERN: epoch ms of the last media server log line with it
stage_at() {
	local hms
	hms=$(grep -F -- "$1" "$VAR_DIR/media.log" | tail -n 1 | cut -d' ' -f1)
	[ -n "$hms" ] || { e2e_log "the media server never logged '$1'"; return 1; }
	echo $(($(date -u -d "$(date -u +%F) $hms" +%s%N) / 1000000))
}

# share TIMELINE FROM TO COL: percent of the window's 20 ms frames with
# column COL set (2: 500 Hz, 3: 700 Hz, 4: 900 Hz, 5: loud; 0: received at
# all); frames that did not arrive count as not set
share() {
	awk -v a="$2" -v b="$3" -v c="$4" '
		$1 >= a && $1 < b && (c == 0 || $c == 1) { n++ }
		END { printf "%d\n", 100 * n / ((b - a) / 20) }' "$1"
}

# hears NAME TIMELINE FROM TO [+|-]WHAT...: in the window, + = at least 60%
# of the frames have it, - = at most 20%; WHAT is 500, 700, 900, loud or
# audio (frames received)
hears() {
	local name=$1 tl=$2 a=$3 b=$4 w col pc ok=0 line=""
	shift 4
	for w in "$@"; do
		case "${w:1}" in 500) col=2 ;; 700) col=3 ;; 900) col=4 ;; loud) col=5 ;; audio) col=0 ;; esac
		pc=$(share "$tl" "$a" "$b" $col)
		line="$line ${w:1}=${pc}%"
		if [ "${w:0:1}" = + ]; then
			[ "$pc" -ge 60 ] || ok=1
		else
			[ "$pc" -le 20 ] || ok=1
		fi
	done
	e2e_log "  $name:$line"
	return $ok
}

# --- 1. plain relay: the call works both ways, through the media server --

t_relay() {
	local ra rb pa pb ua rep_a rep_b msg_b n
	new_rtp ra; new_rtp rb
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 3000; pb=$PEER_PID; rep_b=$PEER_REPORT
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID; msg_b=$PHONE_MSG
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 3000; pa=$PEER_PID; rep_a=$PEER_REPORT
	sipp_bg "uac-1200-300" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 4000
	local uac=$SIPP_PID
	# both legs anchored by RTPengine (phone - media server, twice)
	n=""
	for _ in $(seq 1 100); do
		n=$(rtp_sessions)
		[ "$n" = 2 ] && break
		sleep 0.05
	done
	wait_pid $uac || { e2e_log "the call 1200 -> 300 failed"; return 1; }
	wait_pid $ua || { e2e_log "300 did not get the call and its BYE"; return 1; }
	wait_pid $pa; wait_pid $pb
	e2e_log "RTPengine sessions during the call: $n; 1200 heard 700 Hz $(heard_ms "$rep_a" 700) ms, 300 heard 500 Hz $(heard_ms "$rep_b" 500) ms"
	[ "$n" = 2 ] || { e2e_log "want 2 RTPengine sessions (phone-media, media-phone)"; return 1; }
	heard "$rep_a" 700 2500 && not_heard "$rep_a" 500 &&
		heard "$rep_b" 500 2500 && not_heard "$rep_b" 700 || return 1
	# 300 saw 200 calling, via the media server (its Via), never an X-Ringset header
	grep -q "^From: \"Alice Able\" <sip:200@$SIP_DOMAIN>" "$msg_b" &&
		grep -qi "^Via: SIP/2.0/UDP $MEDIA_HOST:" "$msg_b" ||
		{ e2e_log "300's INVITE: no From of 200 or no Via of the media server"; return 1; }
}
check "a call of a user with in-call services goes through b2bua: 2 RTPengine sessions, tones both ways (500 Hz one way, 700 Hz the other), 300 sees 200 with the media server's Via" t_relay

bye_rows() { [ "$(sql "SELECT COUNT(*) FROM acc WHERE method = 'BYE'")" -ge 1 ]; }
t_relay_cdr() {
	local row
	# one row per answered call, written with its BYE by the async workers
	wait_until 5 bye_rows
	row=$(sql "SELECT CONCAT_WS(',', src_user, src_device, dst_user, dst_device) FROM acc
		WHERE method = 'BYE' AND sip_code = '200' ORDER BY id")
	e2e_log "CDR (rows of answered calls): $row"
	[ "$row" = "200,1200,300,1300" ]
}
check "one CDR for the call (not one per hop): 200/1200 -> 300/1300" t_relay_cdr

t_media_free() {
	local i
	for i in $(seq 1 100); do
		[ "$(rtp_sessions)" = 0 ] && [ "$(b2b_calls)" = 0 ] && return 0
		sleep 0.05
	done
	e2e_log "after the call: $(rtp_sessions) RTPengine sessions, $(b2b_calls) media server calls"
	return 1
}
check "after the call: no RTPengine session, no media server call" t_media_free

# a device of the user dialled directly: the user's call too, through b2bua
t_device_direct() {
	local ra rb pa pb ua uac rep_a rep_b msg_a
	new_rtp ra; new_rtp rb
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 3000; pa=$PEER_PID; rep_a=$PEER_REPORT
	uas_b2b 1200 $((B + 1)) "$ra" 300 wait; ua=$SIPP_PID; msg_a=$PHONE_MSG
	peer_start 1500 "$rb" -t 700 "${TONES[@]}" -i 3000; pb=$PEER_PID; rep_b=$PEER_REPORT
	sipp_bg "uac-1500-1200" -sf "$SCEN/uac_b2b.xml" -m 1 -s 1200 -au 1500 -ap pw1500 \
		-i $P -p $((B + 5)) -key caller 1500 -key rtpip $P -key rtpport "$rb" -d 3000
	uac=$SIPP_PID
	wait_pid $uac && wait_pid $ua || { e2e_log "the call 1500 -> 1200 failed"; return 1; }
	stop_peers $pa $pb
	e2e_log "1500 dialled 1200 (a device of 200): 1200 heard 700 Hz $(heard_ms "$rep_a" 700) ms, 1500 heard 500 Hz $(heard_ms "$rep_b" 500) ms"
	grep -qi "^Via: SIP/2.0/UDP $MEDIA_HOST:" "$msg_a" &&
		grep -q "b2bua: 200 (callee side) to 1200" "$VAR_DIR/media.log" ||
		{ e2e_log "1200 was not reached through the b2bua"; return 1; }
	heard "$rep_a" 700 2000 && heard "$rep_b" 500 2000
}
check "a device of the user dialled directly (1500 -> 1200) goes through b2bua too: the media server's Via at 1200, tones both ways" t_device_direct

# a late offer (INVITE without SDP) from the user: the b2bua offers in its
# 200 and takes the answer from the ACK; the party hears the user's audio
t_late_offer() {
	local ra rv rb pb ua uac rep
	# sipp takes the media port and the one 2 above it (video)
	new_rtp ra; new_rtp rv; new_rtp rb
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 3000; pb=$PEER_PID; rep=$PEER_REPORT
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	sipp_bg "uac-1200-300-late" -sf "$SCEN/uac_media_late.xml" -m 1 -s 300 -au 1200 \
		-ap pw1200 -i $P -p $((B + 1)) -mi $P -mp "$ra" -key caller 1200 -key cip $P -d 4000
	uac=$SIPP_PID
	wait_pid $uac || { e2e_log "the late-offer call failed (offer in the 200, answer in the ACK)"; stop_bg $ua; stop_peers $pb; return 1; }
	wait_pid $ua || { e2e_log "the party's call failed"; return 1; }
	stop_peers $pb
	e2e_log "late offer: the party received $(rval "$rep" audio_ms) ms of the user's audio (PCMA in the ACK's answer, PCMU to the party)"
	grep -q "b2bua: no offer: ours goes in the 200" "$VAR_DIR/media.log" &&
		[ "$(rval "$rep" audio_ms)" -ge 2000 ]
}
check "a late offer from the user (INVITE without SDP) through b2bua: offer in the 200, answer in the ACK, the user's audio reaches the party" t_late_offer
check "after them: no RTPengine session, no media server call" t_media_free

# --- a user without in-call services: proxy only, no media server ---------

t_plain() {
	local rb rc ua msg_b
	new_rtp rb; new_rtp rc
	uas_b2b 1300 $((B + 3)) "$rb" 200 wait; ua=$SIPP_PID; msg_b=$PHONE_MSG
	sipp_bg "uac-1500-300" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1500 -ap pw1500 \
		-i $P -p $((B + 5)) -key caller 1500 -key rtpip $P -key rtpport "$rc" -d 1500
	local uac=$SIPP_PID n max=0
	while kill -0 $uac 2>/dev/null; do
		n=$(rtp_sessions); [ "${n:-0}" -gt $max ] && max=$n
		sleep 0.1
	done
	wait_pid $uac && wait_pid $ua || { e2e_log "the call 1500 -> 300 failed"; return 1; }
	e2e_log "RTPengine sessions during the call: at most $max"
	[ $max = 0 ] && ! grep -qi "$MEDIA_HOST" "$msg_b" ||
		{ e2e_log "the media server is in the path of 500's call"; return 1; }
}
check "a call of a user without in-call services: no media server in its Via/Record-Route, no RTPengine session" t_plain

# --- 2. attended transfer: #4, consultation, *9, *3, the user hangs up --

# --- BLF: device 1500 watches the three users through the transfer -------

# blf_watch USER PORT: device 1500 watches USER (Event: dialog) until it is
# stopped ($BLF_PID, its message log $BLF_MSG), from its first NOTIFY on
blf_watch() {
	sipp_bg "watch-$1" -sf "$SCEN/watcher_burst.xml" -m 1 -s "$1" -au 1500 -ap pw1500 \
		-i $P -p "$2" -key caller 1500 -timeout 120
	BLF_PID=$SIPP_PID; BLF_MSG=$SIPP_MSG
	wait_notify "$BLF_MSG" 1 5 || e2e_log "no NOTIFY for the watcher of $1"
}

# blf_at USER MSG MS WANT: what the watcher of USER was last told before MS
# ("<dialogs> <states> <call-ids>", notify_at) is WANT
blf_at() {
	local got
	got=$(notify_at "$2" "$3")
	e2e_log "  BLF $1: $got"
	[ "$got" = "$4" ] || { e2e_log "  BLF $1: want $4"; return 1; }
}
blf_last_is() { [ "$(notify_at "$1" 99999999999999)" = "$2" ]; }

t_transfer() {
	local ra rb rc pa pb pc ua uc uac tla tlb tlc t rc_=0
	blf_watch 200 $((B + 20)); W200_PID=$BLF_PID; W200=$BLF_MSG
	blf_watch 300 $((B + 21)); W300_PID=$BLF_PID; W300=$BLF_MSG
	blf_watch 400 $((B + 22)); W400_PID=$BLF_PID; W400=$BLF_MSG
	new_rtp ra; new_rtp rb; new_rtp rc
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl-b.txt"; pb=$PEER_PID; REP_XB=$PEER_REPORT
	peer_start 1400 "$rc" -t 900 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl-c.txt"; pc=$PEER_PID; REP_XC=$PEER_REPORT
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID; MSG_XB=$PHONE_MSG
	uas_b2b 1400 $((B + 4)) "$rc" 1000 bye -d 17500; uc=$SIPP_PID; MSG_XC=$PHONE_MSG
	# the user: "1" (no code: passes), #4, 400#, *9, *3, then hangs up
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl-a.txt" \
		-k 1 -K 1000 -k '#4' -K 2500 -k '400#' -K 4000 -k '*9' -K 10000 \
		-k '*3' -K 14000; pa=$PEER_PID
	sipp_bg "uac-1200-300-xfer" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 19000
	uac=$SIPP_PID; MSG_XU=$SIPP_MSG
	wait_pid $uac || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $uc || { e2e_log "the addressee's call failed"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	wait_pid $pa; wait_pid $pb; wait_pid $pc
	tla=$LOGDIR/tl-a.txt; tlb=$LOGDIR/tl-b.txt; tlc=$LOGDIR/tl-c.txt
	[ $rc_ = 0 ] || return 1

	t=$(stage_at "out-answered, setup -> talk") || return 1
	e2e_log "talk (before #4):"
	hears user "$tla" $((t + 1400)) $((t + 2400)) +700 -900 &&
		hears party "$tlb" $((t + 1400)) $((t + 2400)) +500 -900 || return 1
	t=$(stage_at "code-attended, talk -> dialing") || return 1
	e2e_log "#4, dialling (the party hears music on hold):"
	hears party "$tlb" $((t + 200)) $((t + 1100)) -500 -900 +loud &&
		hears user "$tla" $((t + 200)) $((t + 1100)) -700 -900 +loud || return 1
	t=$(stage_at "addr-answered, ringing -> consult") || return 1
	e2e_log "consultation (400 answered):"
	hears user "$tla" $((t + 500)) $((t + 3000)) +900 -700 &&
		hears addressee "$tlc" $((t + 500)) $((t + 3000)) +500 -700 &&
		hears party "$tlb" $((t + 500)) $((t + 3000)) -500 -900 +audio || return 1
	t=$(stage_at "code-toggle, consult -> toggled") || return 1
	e2e_log "*9 (back to the party, the addressee on hold):"
	hears user "$tla" $((t + 500)) $((t + 3000)) +700 -900 &&
		hears party "$tlb" $((t + 500)) $((t + 3000)) +500 -900 &&
		hears addressee "$tlc" $((t + 500)) $((t + 3000)) -500 -700 +audio &&
		hears "addressee (moh starts)" "$tlc" $((t + 100)) $((t + 1000)) +loud || return 1
	t=$(stage_at "code-conference, toggled -> conference") || return 1
	e2e_log "*3 (three-way call):"
	hears user "$tla" $((t + 500)) $((t + 3000)) +700 +900 &&
		hears party "$tlb" $((t + 500)) $((t + 3000)) +500 +900 &&
		hears addressee "$tlc" $((t + 500)) $((t + 3000)) +500 +700 || return 1
	t=$(stage_at "user-hangup, conference -> transferred") || return 1
	e2e_log "the user hung up (party and addressee connected):"
	hears party "$tlb" $((t + 500)) $((t + 3000)) +900 -500 &&
		hears addressee "$tlc" $((t + 500)) $((t + 3000)) +700 -500 || return 1
}
check "attended transfer with tones (200 500 Hz, 300 700 Hz, 400 900 Hz): talk, #4 (party hears moh), consultation, *9, *3 (each hears the other two), the user hangs up (300 and 400 talk)" t_transfer

t_transfer_keys() {
	local d
	d=$(rval "$REP_XB" digits)
	e2e_log "the party received the digits '$d' (the user sent 1 #4 400# *9 *3)"
	[ "$d" = 1 ] && [ -z "$(rval "$REP_XC" digits)" ]
}
check "a key that is no code (1) reaches the party as RFC 4733; the codes and the dialled number reach nobody" t_transfer_keys

t_transfer_sip() {
	# the consultation call reached 400 as a call of 200
	grep -q "^From: \"Alice Able\" <sip:200@$SIP_DOMAIN>" "$MSG_XC" ||
		{ e2e_log "400's INVITE does not show 200"; return 1; }
}
check "the consultation call reaches 400 as a call of 200 (From, through Ringset)" t_transfer_sip

# each user's lamp follows its own device's dialog: 200's is the call of
# 1200 into the b2bua, 300's and 400's the legs the b2bua placed to them
t_transfer_blf() {
	local tc tx cu cb cc rc=0
	tc=$(stage_at "addr-answered, ringing -> consult") &&
		tx=$(stage_at "user-hangup, conference -> transferred") || return 1
	cu=$(call_id "$MSG_XU"); cb=$(call_id "$MSG_XB"); cc=$(call_id "$MSG_XC")
	e2e_log "BLF during the consultation (200 talks to 400, 300 on hold):"
	blf_at 200 "$W200" $((tc + 2500)) "1 confirmed $cu" || rc=1
	blf_at 300 "$W300" $((tc + 2500)) "1 confirmed $cb" || rc=1
	blf_at 400 "$W400" $((tc + 2500)) "1 confirmed $cc" || rc=1
	e2e_log "BLF after 200 hung up (300 and 400 talk on):"
	blf_at 200 "$W200" $((tx + 2000)) "1 terminated $cu" || rc=1
	blf_at 300 "$W300" $((tx + 2000)) "1 confirmed $cb" || rc=1
	blf_at 400 "$W400" $((tx + 2000)) "1 confirmed $cc" || rc=1
	e2e_log "BLF after 400 hung up:"
	wait_until 5 blf_last_is "$W300" "1 terminated $cb" &&
		wait_until 5 blf_last_is "$W400" "1 terminated $cc" || rc=1
	blf_at 300 "$W300" 99999999999999 "1 terminated $cb" || rc=1
	blf_at 400 "$W400" 99999999999999 "1 terminated $cc" || rc=1
	stop_bg "$W200_PID"; stop_bg "$W300_PID"; stop_bg "$W400_PID"
	return $rc
}
check "BLF (watched by 1500): during the consultation 200, 300 and 400 each show their own call confirmed; once 200 hung up 200 shows terminated while 300 and 400 stay confirmed; then both terminated" t_transfer_blf

xfer_row() { [ -n "$(sql "SELECT id FROM acc WHERE method = 'BYE' AND transferred_by <> ''")" ]; }
t_transfer_cdr() {
	local inv bye
	# one row per answered call, written with its BYE (within cdrwriter's
	# flush interval)
	wait_until 5 xfer_row
	inv=$(sql "SELECT CONCAT_WS(',', src_user, src_device, dst_user, dst_device) FROM acc
		WHERE method = 'BYE' AND sip_code = '200' ORDER BY id" | tr '\n' ' ')
	bye=$(sql "SELECT CONCAT_WS(',', src_user, dst_user, transferred_by) FROM acc
		WHERE method = 'BYE' AND transferred_by <> ''")
	e2e_log "CDR rows: $inv; row with transferred_by: $bye"
	[[ " $inv" == *" 200,1200,300,1300 "* ]] && [[ " $inv" == *" 200,1200,400,1400 "* ]] &&
		[ "$bye" = "200,300,200" ]
}
check "CDRs: the call 200/1200 -> 300/1300 and the consultation 200/1200 -> 400/1400; the transferred call's BYE row has transferred_by 200" t_transfer_cdr
check "after the transfer: no RTPengine session, no media server call" t_media_free

# --- 3. *0, *3 while it rings, the addressee hangs up, the party's keys --

t_cancel() {
	local ra rb rc rd pa pb pc pd ua uc ud uac tla tlb t rc_=0
	new_rtp ra; new_rtp rb; new_rtp rc; new_rtp rd
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl2-b.txt" \
		-k '#4' -K 17000; pb=$PEER_PID
	peer_start 1400 "$rc" -t 900 "${TONES[@]}" -i 5000; pc=$PEER_PID
	peer_start 1500 "$rd" -t 900 "${TONES[@]}" -i 5000; pd=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	uas_b2b 1400 $((B + 4)) "$rc" 500 wait; uc=$SIPP_PID
	uas_b2b 1500 $((B + 5)) "$rd" 1500 bye -d 2500; ud=$SIPP_PID
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl2-a.txt" \
		-k '#4' -K 1500 -k '400#' -K 2500 -k '*0' -K 6500 \
		-k '#4' -K 9000 -k '500#' -K 10000 -k '*3' -K 11300; pa=$PEER_PID; REP_CA=$PEER_REPORT
	sipp_bg "uac-1200-300-cancel" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 19500
	uac=$SIPP_PID
	wait_pid $uac || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $uc || { e2e_log "400 did not get its BYE after *0"; rc_=1; }
	wait_pid $ud || { e2e_log "500's call failed"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	wait_pid $pa; wait_pid $pb; wait_pid $pc; wait_pid $pd
	tla=$LOGDIR/tl2-a.txt; tlb=$LOGDIR/tl2-b.txt
	[ $rc_ = 0 ] || return 1
	t=$(stage_at "code-cancel, consult -> talk") || return 1
	e2e_log "*0 during the consultation (400 dropped, back to the party):"
	hears user "$tla" $((t + 500)) $((t + 2000)) +700 -900 &&
		hears party "$tlb" $((t + 500)) $((t + 2000)) +500 -900 || return 1
	grep -q "b2bua: \*3 means nothing in ringing: passed on" "$VAR_DIR/media.log" ||
		{ e2e_log "*3 while 500 rang was not ignored"; return 1; }
	t=$(stage_at "addr-hangup, consult -> talk") || return 1
	e2e_log "500 hung up during the consultation (back to the party):"
	hears user "$tla" $((t + 500)) $((t + 2000)) +700 -900 &&
		hears party "$tlb" $((t + 500)) $((t + 2000)) +500 -900 || return 1
	# the party's #4 is no code of the user's: it reaches the user, each
	# key once (RTPengine may reorder the packets of an event), each event
	# paced one packet a frame (6 packets: 100 ms from first to last)
	[ "$(rval "$REP_CA" digits)" = "#4" ] ||
		{ e2e_log "the user received '$(rval "$REP_CA" digits)', not the party's #4"; return 1; }
	e2e_log "passed-on events: the shortest lasted $(rval "$REP_CA" tev_span_min_ms) ms on the wire"
	[ "$(rval "$REP_CA" tev_span_min_ms)" -ge 60 ] ||
		{ e2e_log "the passed-on keys came as a burst, not paced"; return 1; }
}
check "*0 drops the consultation (back to the party), *3 while the addressee rings is ignored, the addressee hanging up restores the call, the party's #4 passes to the user (paced RFC 4733 events)" t_cancel
check "after it: no RTPengine session, no media server call" t_media_free

# --- a consultation to a busy user follows its plan ----------------------

t_busy_plan() {
	local ra rb rd pa pb pd ua ub ud uac tla t rc_=0
	sql "INSERT INTO rs_followme (extension, position, target, mode, ring_seconds)
		VALUES ('400', 1, '1500', 'serial', 20)"
	kam userdev.reload >/dev/null
	new_rtp ra; new_rtp rb; new_rtp rd
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000; pb=$PEER_PID
	peer_start 1500 "$rd" -t 900 "${TONES[@]}" -i 5000; pd=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	phone 1400 $P $((B + 4)) uas_busy.xml; ub=$SIPP_PID
	uas_b2b 1500 $((B + 5)) "$rd" 500 bye -d 6000; ud=$SIPP_PID
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl6-a.txt" \
		-k '#4' -K 1000 -k '400#' -K 2000; pa=$PEER_PID
	sipp_bg "uac-1200-300-busy" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 8000
	uac=$SIPP_PID
	wait_pid $uac || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $ub || { e2e_log "400's phone was not called (busy)"; rc_=1; }
	wait_pid $ud || { e2e_log "400's next step (1500) did not get the transferred call"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	wait_pid $pa; wait_pid $pb; wait_pid $pd
	sql "DELETE FROM rs_followme WHERE extension = '400'"
	kam userdev.reload >/dev/null
	[ $rc_ = 0 ] || return 1
	tla=$LOGDIR/tl6-a.txt
	t=$(stage_at "addr-answered, ringing -> consult") || return 1
	e2e_log "consultation to 400 (busy), answered by its next step 1500:"
	hears user "$tla" $((t + 500)) $((t + 2500)) +900 -700
}
check "a consultation to a busy user follows its plan (400 busy -> its follow-me 1500 answers, the user hears it; the user's hang-up transfers the party there)" t_busy_plan

# --- the user hangs up while the addressee rings -------------------------

# user_xfer_call NAME MS: the user (1200, its RTP peer 500 Hz, timeline
# $LOGDIR/tl-NAME-a.txt) calls 300, dials #4 400# and hangs up MS after the
# answer; in the background ($UAC, $UAC_MSG, its peer $UPEER)
user_xfer_call() {
	local ra
	new_rtp ra
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl-$1-a.txt" \
		-k '#4' -K 800 -k '400#' -K 1800; UPEER=$PEER_PID
	sipp_bg "uac-1200-300-$1" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d "$2"
	UAC=$SIPP_PID; UAC_MSG=$SIPP_MSG
}

# the transfer completes when the addressee answers
t_xfer_ringing() {
	local rb rc pb pc ua uc t0 t rc_=0 tlb=$LOGDIR/tl-xr-b.txt tlc=$LOGDIR/tl-xr-c.txt
	new_rtp rb; new_rtp rc
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000 -F "$tlb"; pb=$PEER_PID
	peer_start 1400 "$rc" -t 900 "${TONES[@]}" -i 5000 -F "$tlc"; pc=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	uas_b2b 1400 $((B + 4)) "$rc" 4000 bye -d 4000; uc=$SIPP_PID
	user_xfer_call xr 3500
	wait_pid $UAC || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $uc || { e2e_log "400 did not get the transferred call"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	stop_peers $UPEER $pb $pc
	[ $rc_ = 0 ] || return 1
	t0=$(stage_at "user-hangup, ringing -> transfer-ringing") &&
		t=$(stage_at "addr-answered, transfer-ringing -> transferred") || return 1
	e2e_log "200 hung up while 400 rang; 400 answered $((t - t0)) ms later:"
	hears "party (400 rings: moh)" "$tlb" $((t0 + 200)) $((t - 100)) -500 -900 +audio &&
		hears party "$tlb" $((t + 500)) $((t + 3000)) +900 -500 &&
		hears addressee "$tlc" $((t + 500)) $((t + 3000)) +700 -500 || return 1
	grep -q "transfer by 200 completed" "$VAR_DIR/media.log"
}
check "the user hangs up while the addressee rings: the party hears moh until 400 answers, then 300 and 400 talk (700/900 Hz both ways)" t_xfer_ringing

# ... and the party gives up before it answers: its ringing is cancelled
t_xfer_ringing_party_gone() {
	local ua uc rc_=0
	uas_b2b 1300 $((B + 3)) 9 300 bye -d 5000; ua=$SIPP_PID
	phone 1400 $P $((B + 4)) uas_cancel.xml; uc=$SIPP_PID
	user_xfer_call xrp 3500
	wait_pid $UAC || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	wait_pid $uc || { e2e_log "400's ringing was not cancelled"; rc_=1; }
	stop_peers $UPEER
	[ $rc_ = 0 ] && stage_at "party-hangup, transfer-ringing -> end" >/dev/null
}
check "the user, then the party hang up while the addressee rings: 400's phone gets CANCEL" t_xfer_ringing_party_gone
check "after it: no RTPengine session, no media server call" t_media_free

# --- nobody answers the consultation ---------------------------------------

ring_seconds() {
	sql "UPDATE rs_user SET ring_seconds = $2 WHERE extension = '$1'"
	kam userdev.reload >/dev/null; kam followme.reload >/dev/null
}
ring_seconds 400 3

# the user is still there: not-available, back to the party
t_noanswer() {
	local rb pb ua uc t0 t1 t rc_=0 tla=$LOGDIR/tl-na-a.txt tlb=$LOGDIR/tl-na-b.txt
	new_rtp rb
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000 -F "$tlb"; pb=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	phone 1400 $P $((B + 4)) uas_cancel.xml; uc=$SIPP_PID
	user_xfer_call na 13000
	wait_pid $UAC || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $uc || { e2e_log "400's phone was not cancelled when its ring time was up"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	stop_peers $UPEER $pb
	[ $rc_ = 0 ] || return 1
	t0=$(stage_at "digits, dialing -> ringing") && t1=$(stage_at "addr-failed, ringing -> back") &&
		t=$(stage_at "user-prompt-done, back -> talk") || return 1
	e2e_log "400 rang $((t1 - t0)) ms (ring_seconds 3), then not-available and back:"
	within $((t1 - t0)) 3000 700 || return 1
	hears user "$tla" $((t1 + 100)) $((t - 100)) +loud -700 &&
		hears user "$tla" $((t + 300)) $((t + 2000)) +700 -900 &&
		hears party "$tlb" $((t + 300)) $((t + 2000)) +500 -900
}
check "nobody answers the consultation (400 rings 3 s): CANCEL to 400's phone, the user hears not-available, then user and party talk again" t_noanswer

# the user hung up while it rang: the party goes back to the user's devices
t_recall() {
	local rb rd pb pd ua ud uc t0 t rc_=0 msg_d tlb=$LOGDIR/tl-rc-b.txt tld=$LOGDIR/tl-rc-d.txt
	register 2200 pw2200 $P $((B + 2)) || { e2e_log "2200 did not register"; return 1; }
	new_rtp rb; new_rtp rd
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000 -F "$tlb"; pb=$PEER_PID
	peer_start 2200 "$rd" -t 500 "${TONES[@]}" -i 5000 -F "$tld"; pd=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	phone 1400 $P $((B + 4)) uas_cancel.xml; uc=$SIPP_PID
	uas_b2b 2200 $((B + 2)) "$rd" 500 bye -d 3000; ud=$SIPP_PID; msg_d=$PHONE_MSG
	user_xfer_call rc 3500
	wait_pid $UAC || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $uc || { e2e_log "400's phone was not cancelled"; rc_=1; }
	wait_pid $ud || { e2e_log "200's device 2200 was not called back"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	stop_peers $UPEER $pb $pd
	sipp_run unreg-2200 -sf "$SCEN/register.xml" -m 1 -s 2200 -au 2200 -ap pw2200 \
		-i $P -p $((B + 2)) -key expires 0
	[ $rc_ = 0 ] || return 1
	t0=$(stage_at "addr-failed, transfer-ringing -> recall") &&
		t=$(stage_at "user-answered, recall -> talk") || return 1
	e2e_log "nobody answered 400: 200's devices called back, 2200 answered $((t - t0)) ms later; its INVITE: From $(msg_hdr "$msg_d" received '^INVITE' From)"
	grep -q "^From: .*<sip:300@$SIP_DOMAIN>" "$msg_d" ||
		{ e2e_log "the call back does not show the party 300"; return 1; }
	hears party "$tlb" $((t + 500)) $((t + 2500)) +500 -900 &&
		hears "200 (2200)" "$tld" $((t + 500)) $((t + 2500)) +700 -900
}
check "the user hangs up while 400 rings and nobody answers: the party goes back to the user's devices (2200 rings with From 300, answers, 300 and 200 talk)" t_recall

# ... and nobody answers there either: not-available to the party, BYE
t_recall_nobody() {
	local rb pb ua uc t0 t rc_=0 tlb=$LOGDIR/tl-rn-b.txt
	ring_seconds 200 3
	new_rtp rb
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000 -F "$tlb"; pb=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	phone 1400 $P $((B + 4)) uas_cancel.xml; uc=$SIPP_PID
	user_xfer_call rn 3500
	wait_pid $UAC || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $uc || { e2e_log "400's phone was not cancelled"; rc_=1; }
	wait_pid $ua || { e2e_log "the party got no BYE"; rc_=1; }
	stop_peers $UPEER $pb
	ring_seconds 200 20
	[ $rc_ = 0 ] || return 1
	t0=$(stage_at "user-failed, recall -> party-bye") &&
		t=$(stage_at "party-prompt-done, party-bye -> end") || return 1
	e2e_log "nobody at 200's devices either: the party hears not-available for $((t - t0)) ms, then BYE"
	grep -q "addressee: ended" "$VAR_DIR/media.log" &&
		hears "party (not-available)" "$tlb" $((t0 + 100)) $((t - 100)) +loud -500 -900
}
check "... and nobody answers at the user's devices either: the party hears not-available and gets a BYE" t_recall_nobody
ring_seconds 400 20
check "after them: no RTPengine session, no media server call" t_media_free

# --- a busy addressee whose plan ends in voicemail -------------------------

# the consultation reaches 400's mailbox; the user hangs up: the party is
# connected to it and its words (700 Hz) are the message
t_busy_voicemail() {
	local ra rb pa pb ua ub rc_=0 row caller dur path rep_a
	sql "UPDATE rs_user SET voicemail = 1 WHERE extension = '400'"
	kam userdev.reload >/dev/null; kam followme.reload >/dev/null
	new_rtp ra; new_rtp rb
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000; pb=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 300 bye -d 13000; ua=$SIPP_PID
	phone 1400 $P $((B + 4)) uas_busy.xml; ub=$SIPP_PID
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 5000 -e "$PROMPTS_DIR/vm-greeting.wav" \
		-k '#4' -K 800 -k '400#' -K 1800; pa=$PEER_PID; rep_a=$PEER_REPORT
	sipp_bg "uac-1200-300-vm" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 6000
	local uac=$SIPP_PID
	wait_pid $uac || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $ub || { e2e_log "400's phone was not called (busy)"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	stop_peers $pa $pb
	sql "UPDATE rs_user SET voicemail = 0 WHERE extension = '400'"
	kam userdev.reload >/dev/null; kam followme.reload >/dev/null
	[ $rc_ = 0 ] || return 1
	[ "$(rval "$rep_a" heard_vm-greeting)" = 1 ] ||
		{ e2e_log "the user did not hear 400's greeting"; return 1; }
	wait_until 5 test "$(sql "SELECT COUNT(*) FROM rs_voicemail WHERE extension = '400'")" = 1 ||
		{ e2e_log "no message in 400's mailbox"; return 1; }
	row=$(sql "SELECT caller, duration_ms, path FROM rs_voicemail WHERE extension = '400'")
	read -r caller dur path <<<"$row"
	"$PEER_BIN" -A "$path" "${TONES[@]}" >"$LOGDIR/msg-400.txt"
	e2e_log "400 busy -> its voicemail; the user heard the greeting and hung up; the message: caller $caller, $dur ms, 700 Hz $(rval "$LOGDIR/msg-400.txt" tone_700_ms) ms, 500 Hz $(rval "$LOGDIR/msg-400.txt" tone_500_ms) ms"
	[ "$dur" -ge 3000 ] && [ "$(rval "$LOGDIR/msg-400.txt" tone_700_ms)" -ge 3000 ] &&
		[ "$(rval "$LOGDIR/msg-400.txt" tone_500_ms)" -le 100 ]
}
check "a consultation to a busy user whose plan ends in voicemail: the user hears 400's greeting, hangs up, and the party's words (700 Hz, not the user's 500 Hz) are 400's message" t_busy_voicemail
check "after it: no RTPengine session, no media server call" t_media_free

# --- the codes are rows of rs_feature_code: changed and disabled ----------

t_codes_changed() {
	local ra rb rc pa pb pc ua uc uac rep_b rep_c n0 rc_=0
	sql "UPDATE rs_feature_code SET code = '#7' WHERE service = 'xfer_attended';
		UPDATE rs_feature_code SET enabled = 0 WHERE service = 'xfer_conference'"
	kam userdev.reload >/dev/null
	n0=$(grep -c "code-conference" "$VAR_DIR/media.log")
	new_rtp ra; new_rtp rb; new_rtp rc
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000; pb=$PEER_PID; rep_b=$PEER_REPORT
	peer_start 1400 "$rc" -t 900 "${TONES[@]}" -i 5000; pc=$PEER_PID; rep_c=$PEER_REPORT
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	uas_b2b 1400 $((B + 4)) "$rc" 300 bye -d 6000; uc=$SIPP_PID
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 5000 \
		-k '#4' -K 800 -k '#7' -K 4000 -k '400#' -K 5500 -k '*3' -K 8000; pa=$PEER_PID
	sipp_bg "uac-1200-300-codes" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 11000
	uac=$SIPP_PID
	wait_pid $uac || { e2e_log "the user's call failed"; rc_=1; }
	wait_pid $uc || { e2e_log "400's call failed"; rc_=1; }
	wait_pid $ua || { e2e_log "the party's call failed"; rc_=1; }
	stop_peers $pa $pb $pc
	sql "UPDATE rs_feature_code SET code = '#4' WHERE service = 'xfer_attended';
		UPDATE rs_feature_code SET enabled = 1 WHERE service = 'xfer_conference'"
	kam userdev.reload >/dev/null
	[ $rc_ = 0 ] || return 1
	e2e_log "xfer_attended = #7, xfer_conference disabled; the user sent #4 #7 400# *3: the party received '$(rval "$rep_b" digits)', 400 received '$(rval "$rep_c" digits)'"
	grep -q "b2bua: 200 pressed #7" "$VAR_DIR/media.log" &&
		[ "$(grep -c "code-conference" "$VAR_DIR/media.log")" = "$n0" ] &&
		[ "$(rval "$rep_b" digits)" = "#4" ] && [ "$(rval "$rep_c" digits)" = "*3" ]
}
check "codes are rs_feature_code rows: with xfer_attended = #7 and xfer_conference disabled, #4 reaches the party as keys, #7 starts the consultation, *3 reaches the addressee as keys" t_codes_changed

# --- hold: the party's re-INVITE (a=sendonly) reaches the user ------------

t_hold() {
	local ra rb ua uac
	new_rtp ra; new_rtp rb
	uas_b2b 1300 $((B + 3)) "$rb" 300 hold -d 2000; ua=$SIPP_PID
	sipp_bg "uac-1200-300-held" -sf "$SCEN/uac_b2b_held.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 1500
	uac=$SIPP_PID
	wait_pid $uac || { e2e_log "the user got no re-INVITE with a=sendonly (or the call failed)"; return 1; }
	wait_pid $ua || { e2e_log "the party's re-INVITE was not answered"; return 1; }
}
check "hold: the party's re-INVITE (a=sendonly) is passed to the user as a re-INVITE with a=sendonly, answered, both legs go on" t_hold

# --- 4. bad input ----------------------------------------------------------

# a call TO the user (callee side); the user presses #4 and then nothing:
# after 10 s it hears not-available and is back with the caller
t_callee_timeout() {
	local ra rb pa pb ua uac tla tlb t t2 rc_=0
	new_rtp ra; new_rtp rb
	peer_start 1500 "$rb" -t 700 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl4-b.txt"; pb=$PEER_PID
	# (-i 15000: after transfer-dial the user's leg is silent until the
	# timeout)
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 15000 -F "$LOGDIR/tl4-a.txt" \
		-k '#4' -K 1500; pa=$PEER_PID
	uas_b2b 1200 $((B + 1)) "$ra" 300 wait; ua=$SIPP_PID
	sipp_bg "uac-1500-200" -sf "$SCEN/uac_b2b.xml" -m 1 -s 200 -au 1500 -ap pw1500 \
		-i $P -p $((B + 5)) -key caller 1500 -key rtpip $P -key rtpport "$rb" -d 19000
	uac=$SIPP_PID
	wait_pid $uac || { e2e_log "500's call to 200 failed"; rc_=1; }
	wait_pid $ua || { e2e_log "200 did not get the call"; rc_=1; }
	wait_pid $pa; wait_pid $pb
	tla=$LOGDIR/tl4-a.txt; tlb=$LOGDIR/tl4-b.txt
	[ $rc_ = 0 ] || return 1
	grep -q "b2bua: 200 (callee side) to 200" "$VAR_DIR/media.log" || return 1
	t=$(stage_at "code-attended, talk -> dialing") &&
		t2=$(stage_at "no-digits, dialing -> back") || return 1
	e2e_log "#4 and nothing: back after $((t2 - t)) ms with not-available"
	within $((t2 - t)) 10000 500 || return 1
	hears user "$tla" $((t2 + 100)) $((t2 + 1000)) +loud -700 || return 1
	t=$(stage_at "user-prompt-done, back -> talk") || return 1
	hears user "$tla" $((t + 500)) $((t + 2000)) +700 &&
		hears caller "$tlb" $((t + 500)) $((t + 2000)) +500
}
check "a call to the user (callee side): #4 then nothing: not-available after 10 s, then back to the caller (tones both ways)" t_callee_timeout

# an unknown number: 404 from Ringset, not-available, back
t_unknown_number() {
	local ra rb pa pb ua uac tla t
	new_rtp ra; new_rtp rb
	peer_start 1300 "$rb" -t 700 "${TONES[@]}" -i 5000; pb=$PEER_PID
	peer_start 1200 "$ra" -t 500 "${TONES[@]}" -i 5000 -F "$LOGDIR/tl5-a.txt" \
		-k '#4' -K 1000 -k '999#' -K 2000; pa=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 300 wait; ua=$SIPP_PID
	sipp_bg "uac-1200-300-999" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 9000
	uac=$SIPP_PID
	wait_pid $uac && wait_pid $ua || { e2e_log "the call failed"; return 1; }
	wait_pid $pa; wait_pid $pb
	tla=$LOGDIR/tl5-a.txt
	grep -q "addressee: ended (404)" "$VAR_DIR/media.log" || { e2e_log "no 404 for 999"; return 1; }
	t=$(stage_at "addr-failed, ringing -> back") || return 1
	hears user "$tla" $((t + 100)) $((t + 1000)) +loud -700 || return 1
	t=$(stage_at "user-prompt-done, back -> talk") || return 1
	hears user "$tla" $((t + 300)) $((t + 1500)) +700
}
check "#4 to an unknown number: 404, the user hears not-available, then the party again" t_unknown_number

# the user cancels while the party rings: the party's phone gets CANCEL
t_cancel_setup() {
	local ua uac
	phone 1300 $P $((B + 3)) uas_cancel.xml; ua=$SIPP_PID
	sipp_bg "uac-1200-300-cancel" -sf "$SCEN/uac_b2b_cancel.xml" -m 1 -s 300 -au 1200 \
		-ap pw1200 -i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport 9 -d 1000
	uac=$SIPP_PID
	wait_pid $uac || { e2e_log "the caller's CANCEL got no 487"; return 1; }
	wait_pid $ua || { e2e_log "300's phone got no CANCEL"; return 1; }
}
check "the user cancels while the party rings: 487 to the user, CANCEL reaches the party's phone" t_cancel_setup

# a BYE racing a code: #4 and the hang-up at once
t_bye_race() {
	local ra rb pa pb ua uac
	new_rtp ra; new_rtp rb
	peer_start 1300 "$rb" -t 700 -i 3000; pb=$PEER_PID
	peer_start 1200 "$ra" -t 500 -i 3000 -k '#4' -K 900; pa=$PEER_PID
	uas_b2b 1300 $((B + 3)) "$rb" 100 wait; ua=$SIPP_PID
	sipp_bg "uac-1200-300-race" -sf "$SCEN/uac_b2b.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((B + 1)) -key caller 1200 -key rtpip $P -key rtpport "$ra" -d 1200
	uac=$SIPP_PID
	wait_pid $uac && wait_pid $ua || { e2e_log "the call or the party's BYE failed"; return 1; }
	wait_pid $pa; wait_pid $pb
	kill -0 "$(cat "$VAR_DIR/media.pid")"
}
check "a BYE right after #4: the party gets its BYE, the media server lives on" t_bye_race
check "after the bad input: no RTPengine session, no media server call" t_media_free

# N transfers in flight at once through Ringset (SIP INFO keys). N is small:
# each holds 3 RTPengine sessions during its consultation, and a test's
# RTPengine has 100 ports. 200 at once with a wider RTPengine range:
#   INCALL_MANY=200 INCALL_MANY_RATE=100 E2E_TIMEOUT=150 \
#   RTP_MIN=61000 RTP_MAX=64999 tests/e2e/t13_incall.sh
# (tools/bench_incall.sh runs 200 against the media server alone)
t_many() {
	local n=${INCALL_MANY:-6} ua uc uac x0 x max=0 s
	x0=$(grep -c "transfer by 200 completed" "$VAR_DIR/media.log")
	uas_b2b 1300 $((B + 3)) 9 100 wait -m "$n"; ua=$SIPP_PID
	uas_b2b 1400 $((B + 4)) 9 300 bye -d 3000 -m "$n"; uc=$SIPP_PID
	sipp_bg "uac-1200-300-many" -sf "$SCEN/uac_b2b_xfer_info.xml" -m "$n" -l "$n" -r "${INCALL_MANY_RATE:-10}" \
		-s 300 -au 1200 -ap pw1200 -i $P -p $((B + 1)) -key caller 1200 \
		-key rtpip $P -key rtpport 9 -d 2000
	uac=$SIPP_PID
	while kill -0 $uac 2>/dev/null; do
		s=$(rtp_sessions); [ "${s:-0}" -gt $max ] && max=$s
		sleep 0.1
	done
	wait_pid $uac || { e2e_log "not every user's call succeeded"; return 1; }
	wait_pid $uc && wait_pid $ua || { e2e_log "not every party/addressee call succeeded"; return 1; }
	x=$(($(grep -c "transfer by 200 completed" "$VAR_DIR/media.log") - x0))
	e2e_log "$n calls at once: $x transfers completed, at most $max RTPengine sessions"
	[ "$x" = "$n" ] && t_media_free
}
check "${INCALL_MANY:-6} transfers in flight at once through Ringset (keys as SIP INFO): all complete, RTPengine and media server counts return to 0" t_many

check "the media server stops on SIGTERM; ASan reports nothing" media_clean
e2e_summary
