#!/usr/bin/env bash
# BLF per user and transfers between users with several devices (issue 6):
# BLF on sip:<ext>@domain shows the calls of every device of the user;
# REFER follows the dialog; an INVITE with Replaces reaches exactly the
# device that holds the replaced dialog, never a fork (attended transfer,
# BLF call pickup); a consultation call that is not answered follows the
# callee's follow-me plan.
SIP_PORT=${SIP_PORT:-$((25760 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
# ports of this test: phones SIP_PORT+100..
PH=$((SIP_PORT + 100))
P1200=$((PH + 1)) P2200=$((PH + 2)) P1300=$((PH + 3)) P2300=$((PH + 4))
P1400=$((PH + 5)) P2400=$((PH + 6)) P1700=$((PH + 7))

add_user 200 "Alice Able" 4940111200
add_device 1200 pw1200 200
add_device 2200 pw2200 200
add_user 300 "Carol Cole" 4940111300
add_device 1300 pw1300 300
add_device 2300 pw2300 300
add_user 400 "Bob Bold" 4940111400
add_device 1400 pw1400 400
add_device 2400 pw2400 400
add_user 700 "Grace Grey" 4940111700
add_device 1700 pw1700 700
# the hot-desk account of 300: a terminal on which 300 is logged in
add_device hotdesk-300 pwhd300 300 hotdesk_account
kam userdev.reload >/dev/null
PHD=$((PH + 8))
register 1200 pw1200 $P $P1200 && register 2200 pw2200 $P $P2200 &&
	register 1300 pw1300 $P $P1300 && register 2300 pw2300 $P $P2300 &&
	register 1400 pw1400 $P $P1400 && register 2400 pw2400 $P $P2400 &&
	register 1700 pw1700 $P $P1700 && register hotdesk-300 pwhd300 $P $PHD ||
	{ echo "registration failed"; exit 1; }

# --- helpers -------------------------------------------------------------


# --- BLF per user ----------------------------------------------------------


# wait_state FILE STATE SECS: until a NOTIFY whose body shows STATE came
wait_state() {
	local end=$((SECONDS + $3))
	until notify_states "$1" | grep -q " $2\$"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.02
	done
}

# notify_bodies FILE: the dialog-info bodies as the watcher got them
notify_bodies() {
	tr -d '\r' <"$1" | awk '/<dialog-info/{p=1} p{print} /<\/dialog-info>|<dialog-info.*\/>/{p=0}'
}

# the BLF key of device 1400 on user 300, for the whole BLF section
sipp_bg watch-300 -sf "$SCEN/watcher_burst.xml" -m 1 -s 300 -au 1400 -ap pw1400 \
	-i $P -p $((PH + 30)) -key caller 1400 -timeout 120
W_PID=$SIPP_PID; W_MSG=$SIPP_MSG

t_blf_fork() {
	local a b h n0 rc=0 st
	until [ "$(notify_n "$W_MSG")" -ge 1 ]; do
		kill -0 $W_PID 2>/dev/null || { e2e_log "the watcher ended"; return 1; }
		sleep 0.02
	done
	[ "$(notify_states "$W_MSG" | head -n 1)" = "0 none" ] ||
		{ e2e_log "first NOTIFY: $(notify_states "$W_MSG" | head -n 1)"; rc=1; }
	n0=$(notify_n "$W_MSG")
	# a call to 300 forks to its three devices; 2300 answers
	phone 1300 $P $P1300 uas_cancel.xml; a=$SIPP_PID
	phone 2300 $P $P2300 uas_answer.xml -d 1500; b=$SIPP_PID
	phone hotdesk-300 $P $PHD uas_cancel.xml; h=$SIPP_PID
	call 1200 pw1200 $P $P1200 300 -d 1000 || { e2e_log "the call failed"; rc=1; }
	wait_pid $a && wait_pid $b && wait_pid $h || { e2e_log "the fork did not reach the three devices"; rc=1; }
	wait_state "$W_MSG" terminated 5 || { e2e_log "no terminated NOTIFY"; rc=1; }
	notify_bodies "$W_MSG" >"$VAR_DIR/notify-bodies-fork"
	sed 's/^/        /' "$VAR_DIR/notify-bodies-fork" >&2
	st=$(notify_states "$W_MSG" | tail -n +$((n0 + 1)))
	e2e_log "NOTIFYs during the call: $(tr '\n' ';' <<<"$st")"
	# never more than one dialog in a body; early, then confirmed, then
	# terminated, and the last one is terminated
	! grep -qv '^[01] ' <<<"$st" || { e2e_log "a body with several dialogs"; rc=1; }
	grep -q "^1 early$" <<<"$st" && grep -q "^1 confirmed$" <<<"$st" &&
		[ "$(tail -n 1 <<<"$st")" = "1 terminated" ] || rc=1
	[ "$(grep -n . <<<"$st" | grep -m1 early | cut -d: -f1)" -lt \
		"$(grep -n . <<<"$st" | grep -m1 confirmed | cut -d: -f1)" ] || rc=1
	# the user's URI, never a device's
	! grep -q 'entity="sip:[0-9][0-9]*300@\|entity="sip:hotdesk' "$VAR_DIR/notify-bodies-fork" &&
		grep -q "entity=\"sip:300@$SIP_DOMAIN\"" "$VAR_DIR/notify-bodies-fork" || rc=1
	return $rc
}
check "BLF on 300: a call forked to its three devices (hot desk included) shows one early dialog, then confirmed, then terminated" t_blf_fork

# blf_call_from DEVICE PW PORT: a call from one of 300's devices to 200
# shows on 300's BLF as confirmed (initiator) and then terminated
blf_call_from() {
	local a n0 st rc=0
	n0=$(notify_n "$W_MSG")
	phone 1200 $P $P1200 uas_answer.xml -d 100; a=$SIPP_PID
	call "$1" "$2" $P "$3" 200 -d 500 || rc=1
	wait_pid $a || rc=1
	wait_state "$W_MSG" terminated 5 || rc=1
	st=$(notify_bodies "$W_MSG" | awk -v n="$n0" '/<dialog-info/{k++} k>n')
	grep -q 'direction="initiator"' <<<"$st" && grep -q '<state>confirmed</state>' <<<"$st" &&
		grep -q '<state>terminated</state>' <<<"$st" ||
		{ e2e_log "NOTIFYs for the call from $1: $(tr -d '\n' <<<"$st")"; rc=1; }
	return $rc
}
t_blf_hotdesk() { blf_call_from hotdesk-300 pwhd300 $PHD; }
check "BLF on 300 shows a call made from 300's hot-desk terminal" t_blf_hotdesk
t_blf_device() { blf_call_from 1300 pw1300 $P1300; }
check "BLF on 300 shows a call made from 300's other device" t_blf_device

# local UAC transactions (pua's PUBLISHes among them) so far
uac_count() { kam stats.get_statistics tmx: | grep -o 'UAC_transactions = [0-9]*' | grep -o '[0-9]*$'; }
t_blf_unwatched() {
	local a n0 n1
	add_user 800 "Henry Hill" 4940111800
	add_device 1800 pw1800 800
	kam userdev.reload >/dev/null
	register 1800 pw1800 $P $((PH + 71)) || return 1
	phone 1800 $P $((PH + 71)) uas_answer.xml -d 10; a=$SIPP_PID
	n0=$(uac_count)
	call 1400 pw1400 $P $((PH + 70)) 800 -d 200 || { stop_bg $a; return 1; }
	wait_pid $a || return 1
	n1=$(uac_count)
	e2e_log "local requests during a call between unwatched users: $((n1 - n0))"
	[ -n "$n0" ] && [ "$n1" = "$n0" ]
}
check "a call between users nobody watches publishes nothing" t_blf_unwatched
stop_bg $W_PID

# --- transfers -----------------------------------------------------------

t_blind() {
	local a am b bm b2 s s2m c c1 c2 c1m rc=0
	# 200's other device listens: nothing of the transfer may reach it
	phone 2200 $P $P2200 uas_cancel.xml; s=$SIPP_PID; s2m=$PHONE_MSG
	phone 1400 $P $P1400 uas_xferor_blind.xml -key refer_to 300 -d 200; b=$SIPP_PID; bm=$PHONE_MSG
	phone 2400 $P $P2400 uas_cancel.xml; b2=$SIPP_PID
	sipp_bg xferee-1200 -sf "$SCEN/uac_xferee.xml" -m 1 -s 400 -au 1200 -ap pw1200 \
		-i $P -p $P1200 -key caller 1200 -key xhdr "X-Test: blind"
	a=$SIPP_PID; am=$SIPP_MSG
	wait_pid $a || { e2e_log "the transferee did not get the REFER"; rc=1; }
	wait_pid $b || { e2e_log "the transferor did not get 202 and NOTIFY"; rc=1; }
	wait_pid $b2 || rc=1
	# the REFER reached the transferee's own device, as sent in the dialog
	grep -q "^REFER sip:1200@$P:$P1200" "$am" &&
		grep -q "^Refer-To: <sip:300@$SIP_DOMAIN>" "$am" ||
		{ e2e_log "REFER at the transferee: $(grep -m1 '^REFER' "$am")"; rc=1; }
	# the transferee calls the Refer-To target: a new call, rung like any
	phone 1300 $P $P1300 uas_answer.xml -d 200; c1=$SIPP_PID; c1m=$PHONE_MSG
	phone 2300 $P $P2300 uas_cancel.xml; c2=$SIPP_PID
	XHDR="Referred-By: <sip:400@$SIP_DOMAIN>" call 1200 pw1200 $P $((PH + 11)) 300 || rc=1
	wait_pid $c1 && wait_pid $c2 || { e2e_log "300's devices were not both rung"; rc=1; }
	grep -q "^Referred-By: <sip:400@" "$c1m" || rc=1
	stop_bg $s
	[ "$(n_received "$s2m" 'REFER|INVITE|NOTIFY')" = 0 ] ||
		{ e2e_log "200's other device got part of the transfer"; rc=1; }
	return $rc
}
check "blind transfer: the REFER follows the dialog to the transferee's device; the new call rings the target user" t_blind

t_attended() {
	local a am b bm b2 c1 c1m c2 c2m g gm ks km cid1 cid2 ftag ttag rr rrt \
		afrom bto acontact rc=0
	# 300 rings 1300 and 2300 for 1 s, then its follow-me goes to 700
	sql "UPDATE rs_user SET ring_seconds = 1 WHERE extension = '300';
		INSERT INTO rs_followme (extension, position, target, mode, ring_seconds)
		VALUES ('300', 1, '700', 'serial', 10)"
	kam followme.reload >/dev/null

	# call 1: A (1200) calls 400; 1400 answers, 2400 is cancelled
	phone 1400 $P $P1400 uas_notify.xml -d 200; b=$SIPP_PID; bm=$PHONE_MSG
	phone 2400 $P $P2400 uas_cancel.xml; b2=$SIPP_PID
	sipp_bg xferee-1200 -sf "$SCEN/uac_xferee.xml" -m 1 -s 400 -au 1200 -ap pw1200 \
		-i $P -p $P1200 -key caller 1200 -key xhdr "X-Test: attended"
	a=$SIPP_PID; am=$SIPP_MSG
	wait_pid $b2 || { e2e_log "2400 was not cancelled"; rc=1; }

	# call 2, the consultation: B (1400) calls 300; nobody there answers,
	# follow-me moves on to 700, whose 1700 answers
	phone 1300 $P $P1300 uas_cancel.xml -m 2; c1=$SIPP_PID; c1m=$PHONE_MSG
	phone 2300 $P $P2300 uas_cancel.xml -m 2; c2=$SIPP_PID; c2m=$PHONE_MSG
	phone 1700 $P $P1700 uas_answer_stay.xml -m 2 -d 100; g=$SIPP_PID; gm=$PHONE_MSG
	sipp_run consult-1400 -sf "$SCEN/uac_call_stay.xml" -m 1 -s 300 -au 1400 \
		-ap pw1400 -i $P -p $((PH + 15)) -key caller 1400 -key xhdr "X-Test: consult" ||
		{ e2e_log "the consultation call was not answered"; rc=1; }
	km=$SIPP_MSG
	[ "$(n_received "$c1m" INVITE)" = 1 ] && [ "$(n_received "$c2m" INVITE)" = 1 ] &&
		[ "$(n_received "$gm" INVITE)" = 1 ] ||
		{ e2e_log "the consultation did not follow 300's plan"; rc=1; }

	# B sends REFER in call 1: Refer-To 300 with Replaces naming call 2
	cid1=$(call_id "$am")
	rr=$(msg_hdr "$bm" received '^INVITE' Record-Route)
	afrom=$(msg_hdr "$bm" received '^INVITE' From)
	acontact=$(msg_hdr "$bm" received '^INVITE' Contact)
	bto=$(msg_hdr "$bm" sent '^SIP/2.0 200' To)
	cid2=$(call_id "$km")
	ftag=$(tag_of "$(msg_hdr "$km" sent '^INVITE' From)")
	ttag=$(tag_of "$(msg_hdr "$km" received '^SIP/2.0 200' To)")
	[ -n "$cid1" ] && [ -n "$rr" ] && [ -n "$bto" ] && [ -n "$ttag" ] ||
		{ e2e_log "could not read the dialogs from the logs"; stop_bg $a; stop_bg $b; stop_bg $c1; stop_bg $c2; stop_bg $g; return 1; }
	rrt="$cid2%3Bto-tag%3D$ttag%3Bfrom-tag%3D$ftag"
	acontact=${acontact#<}; acontact=${acontact%%>*}
	in_dialog refer-1400 202 REFER "$cid1" "$acontact" "$rr" "$bto" "$afrom" \
		"<sip:1400@$P:$P1400;transport=UDP>" \
		"Refer-To: <sip:300@$SIP_DOMAIN?Replaces=$rrt>" ||
		{ e2e_log "the REFER got no 202"; rc=1; }
	wait_pid $a || { e2e_log "the transferee did not get the REFER"; rc=1; }
	wait_pid $b || { e2e_log "the transferor did not get the NOTIFY"; rc=1; }
	grep -q "^Refer-To: <sip:300@$SIP_DOMAIN?Replaces=$cid2" "$am" || rc=1

	# A calls the Refer-To URI with Replaces: only 1700, which holds call 2,
	# gets it, although sip:300 would ring 1300 and 2300
	sipp_run replaces-1200 -sf "$SCEN/uac_call_stay.xml" -m 1 -s 300 -au 1200 \
		-ap pw1200 -i $P -p $((PH + 11)) -key caller 1200 \
		-key xhdr "Replaces: $cid2;to-tag=$ttag;from-tag=$ftag" ||
		{ e2e_log "the INVITE with Replaces was not answered"; rc=1; }
	wait_pid $g || { e2e_log "1700 did not answer both calls"; rc=1; }
	stop_bg $c1; stop_bg $c2
	grep -q "^Replaces: $cid2;to-tag=$ttag;from-tag=$ftag" "$gm" ||
		{ e2e_log "1700 did not get the INVITE with Replaces"; rc=1; }
	[ "$(n_received "$gm" INVITE)" = 2 ] || rc=1
	[ "$(n_received "$c1m" INVITE)" = 1 ] && [ "$(n_received "$c2m" INVITE)" = 1 ] ||
		{ e2e_log "the INVITE with Replaces was forked to 300's devices"; rc=1; }
	sql "DELETE FROM rs_followme WHERE extension = '300';
		UPDATE rs_user SET ring_seconds = 20 WHERE extension = '300'"
	kam followme.reload >/dev/null
	return $rc
}
check "attended transfer: unanswered consultation follows follow-me; REFER reaches the transferee; INVITE with Replaces reaches only the device holding the dialog" t_attended

t_replaces_unknown() {
	XHDR="Replaces: no-such-call@x;to-tag=a;from-tag=b" call_end 481 1200 pw1200 $P $((PH + 12)) 300
}
check "an INVITE with Replaces for an unknown dialog gets 481 and rings nobody" t_replaces_unknown

t_pickup() {
	local a am c1 c1m c2 c2m k cid ftag ttag rc=0 CP=$((PH + 9))
	# 1200 calls 300, whose 1300 and 2300 ring; 1400 picks the call up with
	# an INVITE with Replaces naming the caller's early dialog (what a BLF
	# key does with the tags of the early NOTIFY): it must reach 1200's
	# device, never 300's
	phone 1300 $P $P1300 uas_cancel.xml -m 2; c1=$SIPP_PID; c1m=$PHONE_MSG
	phone 2300 $P $P2300 uas_cancel.xml -m 2; c2=$SIPP_PID; c2m=$PHONE_MSG
	phone 1200 $P $CP uas_answer_stay.xml -d 50; a=$SIPP_PID; am=$PHONE_MSG
	sipp_bg ring-1200 -sf "$SCEN/uac_ring_cancel.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $P1200 -mi $P -key caller 1200 -key cip $P -key cport $CP
	k=$SIPP_PID
	wait_log_180() {
		local end=$((SECONDS + 10))
		until grep -q "^SIP/2.0 180" "$SIPP_MSG" 2>/dev/null; do
			[ $SECONDS -lt $end ] || return 1
			sleep 0.02
		done
	}
	wait_log_180 || { e2e_log "the call did not ring"; stop_bg $k; stop_bg $a; stop_bg $c1; stop_bg $c2; return 1; }
	cid=$(call_id "$SIPP_MSG")
	ftag=$(tag_of "$(msg_hdr "$SIPP_MSG" sent '^INVITE' From)")
	ttag=$(tag_of "$(msg_hdr "$SIPP_MSG" received '^SIP/2.0 180' To)")
	sipp_run pickup-1400 -sf "$SCEN/uac_call_stay.xml" -m 1 -s 300 -au 1400 \
		-ap pw1400 -i $P -p $((PH + 16)) -key caller 1400 \
		-key xhdr "Replaces: $cid;to-tag=$ftag;from-tag=$ttag;early-only" ||
		{ e2e_log "the pickup was not answered"; rc=1; }
	wait_pid $a || { e2e_log "1200's device did not get the pickup"; rc=1; }
	wait_pid $k || { e2e_log "the caller did not cancel cleanly"; rc=1; }
	stop_bg $c1; stop_bg $c2
	grep -q "^Replaces: $cid;to-tag=$ftag" "$am" || rc=1
	[ "$(n_received "$c1m" INVITE)" = 1 ] && [ "$(n_received "$c2m" INVITE)" = 1 ] ||
		{ e2e_log "the pickup was forked to 300's devices"; rc=1; }
	return $rc
}
check "BLF call pickup: an INVITE with Replaces for a ringing call reaches only the caller's device" t_pickup

e2e_summary
