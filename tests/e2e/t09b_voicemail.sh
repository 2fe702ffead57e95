#!/usr/bin/env bash
# Voicemail and message waiting with the real media server (issue 11,
# README "Voicemail and message waiting"): an unanswered call is recorded (the caller's tone is in
# the WAV file), indexed in rs_voicemail and published as message-summary;
# a device subscribed to itself gets Messages-Waiting; *97 plays the
# messages, 7 deletes, 9 saves, and the lamp follows. Bad input: a message
# too short, the recording limit, a mailbox that cannot be written.
SIP_PORT=${SIP_PORT:-$((26360 + ${RS_PORT_OFFSET:-0}))}
# a 5 s recording limit, so that reaching it takes 5 s, not 120
export MEDIA_REC_MAX=5
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_e2e_start

P=127.0.0.1
B=$((SIP_PORT + 1000))
add_user 640 "Vera Voice" 4940111640
add_device 1640 pw1640 640
add_user 650 "Walt Full" 4940111650
add_user 200 "Alice Able" 4940111200
add_device 200 pw200 200
sql "UPDATE rs_user SET voicemail = 1, ring_seconds = 2 WHERE extension IN ('640', '650')"
kam userdev.reload >/dev/null
register 1640 pw1640 $P $((B + 1)) || e2e_log "1640 did not register"

# what a caller of 640 hears before the beep ends
GREET=$(($(prompt_ms vm-greeting) + $(prompt_ms 6) + $(prompt_ms 4) + $(prompt_ms 0) + $(prompt_ms vm-beep)))
vm_rows() { sql "SELECT COUNT(*) FROM rs_voicemail WHERE extension = '$1'"; }

# the lamp: 1640 watches message-summary of itself, all along
E2E_TIMEOUT=600 sipp_bg mwi-1640 -sf "$SCEN/watcher_mwi.xml" -m 1 -s 1640 -au 1640 -ap pw1640 -i $P \
	-p $((B + 2)) -key caller 1640
MWI_MSG=$SIPP_MSG

# mwi_body_has TEXT...: the last NOTIFY of the lamp has every TEXT (polled)
mwi_last() {
	awk '/^NOTIFY /{b=""; n=1; next} n && /^(UDP|TCP) message|^-+ [0-9]{4}-/{n=0} n{b=b $0 "\n"} END{printf "%s", b}' "$MWI_MSG"
}
mwi_wait() {
	local end=$((SECONDS + 5)) t ok
	while :; do
		ok=1
		for t in "$@"; do mwi_last | grep -q "^$t" || ok=0; done
		[ $ok = 1 ] && return 0
		[ $SECONDS -lt $end ] || { e2e_log "last NOTIFY: $(mwi_last | grep -E 'Messages|Voice' | tr '\n' ' ')"; return 1; }
		sleep 0.05
	done
}

# leave_message NAME SCENARIO [sipp args]: 200 calls 640; nobody answers;
# its RTP peer hears the greeting and the beep, then sends $TONE Hz (600)
leave_message() {
	local name=$1 sc=$2 d
	shift 2
	phone 1640 $P $((B + 1)) uas_cancel.xml; d=$SIPP_PID
	next_rtp_port
	peer_start "vm-$name" $RTP_PORT -i 60000 -e "$PROMPTS_DIR/vm-greeting.wav" \
		-e "$PROMPTS_DIR/vm-beep.wav" -t "${TONE:-600}" -T $((GREET + 200))
	sipp_run "vm-$name" -sf "$SCEN/$sc" -m 1 -s 640 -au 200 -ap pw200 -i $P \
		-p $((B + 20)) -key caller 200 -key rtpip $P -key rtpport $RTP_PORT "$@"
	local rc=$?
	peer_stop
	wait_pid $d || e2e_log "the desk phone was not rung and cancelled"
	return $rc
}

t_record() {
	local path dur row cm lat
	leave_message first uac_rtp_bye.xml -d $((GREET + 200 + 2500)) || return 1
	cm=$SIPP_MSG
	[ "$(rval "$PEER_REPORT" heard_vm-greeting)" = 1 ] && [ "$(rval "$PEER_REPORT" heard_vm-beep)" = 1 ] ||
		{ e2e_log "the caller did not hear greeting and beep"; return 1; }
	row=$(sql "SELECT caller, state, duration_ms, path FROM rs_voicemail WHERE extension = '640'")
	e2e_log "rs_voicemail: $row"
	read -r caller state dur path <<<"$row"
	MSG1=$path
	[ "$caller" = 200 ] && [ "$state" = new ] && [ "$dur" -ge 2000 ] && [ "$dur" -le 3300 ] &&
		[ -f "$path" ] || return 1
	"$PEER_BIN" -A "$path" -f 600 >"$LOGDIR/msg1.txt"
	e2e_log "the message file: $(tr '\n' ' ' <"$LOGDIR/msg1.txt")"
	[ "$(rval "$LOGDIR/msg1.txt" tone_600_ms)" -ge 1800 ] &&
		mwi_wait "Messages-Waiting: yes" "Voice-Message: 1/0" || return 1
	# the lamp's second NOTIFY (the first was the initial state)
	lat=$(($(msg_time "$MWI_MSG" '^NOTIFY' 2) - $(msg_time "$cm" '^BYE')))
	e2e_log "the lamp's NOTIFY came $lat ms after the caller's BYE"
	[ $lat -ge 0 ] && [ $lat -le 1000 ]
}
check "an unanswered call is recorded: WAV with the caller's 600 Hz, an rs_voicemail row, the lamp: Messages-Waiting: yes, 1/0" t_record

t_too_short() {
	leave_message short uac_rtp_bye.xml -d $((GREET + 300)) &&
		[ "$(vm_rows 640)" = 1 ] && grep -q "voicemail 640: [0-9]* ms, dropped" "$VAR_DIR/media.log"
}
check "a message shorter than 1 s is dropped" t_too_short

t_limit() {
	local dur
	# 900 Hz: this message must not sound like the first
	TONE=900 leave_message limit uac_rtp.xml || return 1
	dur=$(sql "SELECT duration_ms FROM rs_voicemail WHERE extension = '640' ORDER BY id DESC LIMIT 1")
	e2e_log "the caller kept talking: the recording stopped at $dur ms (limit 5 s), the server hung up"
	[ "$(vm_rows 640)" = 2 ] && [ "$dur" -ge 4700 ] && [ "$dur" -le 5300 ] &&
		mwi_wait "Messages-Waiting: yes" "Voice-Message: 2/0"
}
check "the recording limit: the message ends at the limit and the media server hangs up" t_limit

t_refused() {
	local rep
	# the mailbox's folder cannot be made: a file is in its way
	touch "$VAR_DIR/voicemail/650"
	next_rtp_port
	peer_start vm-refused $RTP_PORT -e "$PROMPTS_DIR/not-allowed.wav"; rep=$PEER_REPORT
	sipp_run vm-refused -sf "$SCEN/uac_rtp.xml" -m 1 -s 650 -au 200 -ap pw200 -i $P \
		-p $((B + 20)) -key caller 200 -key rtpip $P -key rtpport $RTP_PORT || return 1
	peer_stop
	[ "$(rval "$rep" heard_not-allowed)" = 1 ] && [ "$(vm_rows 650)" = 0 ] &&
		grep -q "voicemail 650: cannot" "$VAR_DIR/media.log"
}
check "a mailbox that cannot be written: the caller hears not-allowed, nothing is indexed, nothing crashes" t_refused

t_main() {
	local rep t1 t2 m1 m2 msg2
	msg2=$(sql "SELECT path FROM rs_voicemail WHERE extension = '640' ORDER BY id DESC LIMIT 1")
	m1=$((($(stat -c %s "$MSG1") - 44) / 16)); m2=$((($(stat -c %s "$msg2") - 44) / 16))
	# 7 after the first message and the menu; 9 after the second
	t1=$(($(prompt_ms vm-messages) + $(prompt_ms 2) + m1 + $(prompt_ms vm-menu) + 500))
	t2=$((t1 + 300 + $(prompt_ms vm-deleted) + m2 + $(prompt_ms vm-menu) + 700))
	# the peer compares at its end, when the first message is deleted
	cp "$MSG1" "$LOGDIR/msg1.wav"; cp "$msg2" "$LOGDIR/msg2.wav"
	next_rtp_port
	peer_start vm-main $RTP_PORT -i 60000 -e "$PROMPTS_DIR/vm-messages.wav" \
		-e "$LOGDIR/msg1.wav" -e "$LOGDIR/msg2.wav" \
		-e "$PROMPTS_DIR/vm-menu.wav" -e "$PROMPTS_DIR/vm-deleted.wav" -e "$PROMPTS_DIR/vm-saved.wav" \
		-k 7 -K $t1 -k 9 -K $t2
	rep=$PEER_REPORT
	sipp_run vm-main -sf "$SCEN/uac_rtp.xml" -m 1 -s '*97' -au 1640 -ap pw1640 -i $P \
		-p $((B + 21)) -key caller 1640 -key rtpip $P -key rtpport $RTP_PORT ||
		{ e2e_log "*97 did not end with the server's BYE"; peer_stop; return 1; }
	peer_stop
	e2e_log "*97 heard: $(grep '^heard_' "$rep" | tr '\n' ' ')"
	[ "$(rval "$rep" heard_vm-messages)" = 1 ] && [ "$(rval "$rep" heard_vm-menu)" = 2 ] &&
		[ "$(rval "$rep" heard_vm-deleted)" = 1 ] && [ "$(rval "$rep" heard_vm-saved)" = 1 ] &&
		[ "$(rval "$rep" heard_msg1)" = 1 ] && [ "$(rval "$rep" heard_msg2)" = 1 ] &&
		[ ! -f "$MSG1" ] && [ -f "$msg2" ] &&
		[ "$(sql "SELECT state FROM rs_voicemail WHERE extension = '640'")" = saved ] &&
		mwi_wait "Messages-Waiting: no" "Voice-Message: 0/1"
}
check "*97: vm-messages 2, the first message, vm-menu, 7 deletes it (file and row), 9 saves the second; the lamp goes off (0/1)" t_main

t_mwi_others() {
	local sc
	sc=$LOGDIR/watcher_refused_403.xml
	sed "s/@CODE@/403/g; s/Event: dialog/Event: message-summary/" "$SCEN/watcher_refused.xml.in" >"$sc"
	# another user's mailbox: refused
	sipp_run mwi-other -sf "$sc" -m 1 -s 200 -au 1640 -ap pw1640 -i $P -p $((B + 3)) -key caller 1640
}
check "a device may not watch another user's mailbox (403)" t_mwi_others

# a restarted media server publishes the mailboxes that have messages
t_restart_publish() {
	local n0 end
	n0=$(grep -c '^NOTIFY' "$MWI_MSG")
	media_clean || return 1
	"$STACK" media-start || return 1
	end=$((SECONDS + 5))
	until [ "$(grep -c '^NOTIFY' "$MWI_MSG")" -gt "$n0" ]; do
		[ $SECONDS -lt $end ] || { e2e_log "no NOTIFY after the restart"; return 1; }
		sleep 0.05
	done
	mwi_wait "Messages-Waiting: no" "Voice-Message: 0/1"
}
check "after a restart the media server publishes the mailboxes again (the lamp gets 0/1)" t_restart_publish

check "the media server stops on SIGTERM; ASan reports nothing" media_clean
e2e_summary
