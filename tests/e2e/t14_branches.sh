#!/usr/bin/env bash
# Follow-me's per-call record keyed by branch index (issue 13, item 2): two
# branches of one step to the same contact URI (two devices registered with
# one Contact, as a softphone with two accounts does) keep their own ring
# time: each INVITE carries its own Expires and is cancelled at its own
# time. With the record found by the R-URI both got the first one's.
SIP_PORT=${SIP_PORT:-$((26860 + ${RS_PORT_OFFSET:-0}))}
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
PH=$((SIP_PORT + 300))
TOL=${RING_TOLERANCE_MS:-400} # on a loaded 2-core machine
add_user 200 "Alice Able" 4940111200
add_device 1200 pw1200 200
add_user 600 "Frank Follow" 4940111600
add_device 1600 pw1600 600
add_user 800 "Henry Hill"
add_device 1800 pw1800 800
# step 1 of 600: its device 1600 for 3 s and, in parallel, device 1800 for 1 s
sql "UPDATE rs_user SET ring_seconds = 3 WHERE extension = '600';
	INSERT INTO rs_followme (extension, position, target, mode, ring_seconds)
	VALUES ('600', 1, '1800', 'parallel', 1)"
kam followme.reload >/dev/null

# reg_shared DEVICE PASSWORD PORT: DEVICE registers Contact sip:shared@P:PH+1
reg_shared() {
	local sc=$LOGDIR/register_contact_200.xml
	sed -e "s/@CODE@/200/g" "$SCEN/register_contact.xml.in" >"$sc"
	sipp_run "reg-shared-$1" -sf "$sc" -m 1 -s "$1" -au "$1" -ap "$2" -i $P -p "$3" \
		-key contact "<sip:shared@$P:$((PH + 1))>" -key expires 3600
}

# the phone's log (tests/e2e/fork_uas.py): "<ms> <METHOD> <branch> <Expires>"
# expires_of LOG: the Expires of each INVITE, sorted
expires_of() { awk '$2 == "INVITE" { print $4 }' "$1" | sort -n | tr '\n' ' '; }
# cancel_after LOG EXPIRES: ms from the INVITE with that Expires to its CANCEL
cancel_after() {
	awk -v e="$2" '$2 == "INVITE" && $4 == e { t[$3] = $1; b = $3 }
		$2 == "CANCEL" { c[$3] = $1 }
		END { if (b in c) print c[b] - t[b]; else print -1 }' "$1"
}

t_same_contact() {
	local rc=0 ph log short long sc
	reg_shared 1600 pw1600 $((PH + 2)) && reg_shared 1800 pw1800 $((PH + 3)) ||
		{ e2e_log "the two devices did not register the shared Contact"; return 1; }
	kam followme.plan 600 | grep -q "sip:1800@$SIP_DOMAIN?expires=1" ||
		{ e2e_log "plan: $(kam followme.plan 600 | tr '\n' ' ')"; return 1; }
	# one phone at the shared Contact takes both INVITEs (one Call-ID)
	log=$LOGDIR/fork_uas.log
	python3 "$E2E_DIR/fork_uas.py" $P $((PH + 1)) 12 "$log" &
	ph=$!
	E2E_PIDS+=("$ph")
	wait_bound $P $((PH + 1)) || { e2e_log "the phone is not listening"; return 1; }
	# the caller hears both branches ring (two 180s), then 480
	sc=$LOGDIR/uac_ringing_480.xml
	sed -e "s/@CODE@/480/g" -e '51i\  <recv response="180" optional="true"/>\n  <recv response="180" optional="true"/>' \
		"$SCEN/uac_reject.xml.in" >"$sc"
	sipp_run uac-1200-600 -sf "$sc" -m 1 -s 600 -au 1200 -ap pw1200 -i $P -p $((PH + 4)) \
		-key caller 1200 || { e2e_log "the call to 600 did not end with 480"; rc=1; }
	e2e_log "INVITEs to sip:shared@$P:$((PH + 1)), their Expires: $(expires_of "$log")"
	[ "$(expires_of "$log")" = "1 3 " ] ||
		{ e2e_log "each branch must carry its own ring time (1 and 3)"; rc=1; }
	# each is cancelled at its own time
	short=$(cancel_after "$log" 1) long=$(cancel_after "$log" 3)
	e2e_log "cancelled after $short ms (Expires 1) and $long ms (Expires 3)"
	within "$short" 1000 $TOL && within "$long" 3000 $TOL ||
		{ e2e_log "a branch was not cancelled at its own ring time"; rc=1; }
	stop_bg $ph
	return $rc
}
check "two branches to one contact URI keep their own ring time (record by branch index)" t_same_contact

e2e_summary
