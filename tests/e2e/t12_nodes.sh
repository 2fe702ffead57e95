#!/usr/bin/env bash
# Several nodes on one database (issue 13, README "Several nodes"): two Kamailio
# nodes, A (SIP_PORT) and B (SIP_PORT + 100), on one MariaDB and one
# RTPengine, sharing registrations, dialogs, presence and htables through
# DMQ. A phone registered on A is reached through B; a BLF key on B sees a
# code dialled on A within 1 s and the calls routed by A; the busy level
# counts calls on both nodes; A killed with SIGKILL: B goes on, a phone that
# re-registers on B is reached, B takes over publishing the forkm<ext>
# states (one publisher: the lease rs_lease 'forkm'); A restarted takes a
# full sync from B.
SIP_PORT=${SIP_PORT:-$((26260 + ${RS_PORT_OFFSET:-0}))}
export NODES=2
. "$(dirname "$0")/lib.sh"

e2e_start

P=127.0.0.1
PH=$((SIP_PORT + 300)) # phones PH+1 ...; node 2 is SIP_PORT+100..
rs_node 1
NODE_KAMCMD_1=$NODE_KAMCMD
rs_node 2
NODE_KAMCMD_2=$NODE_KAMCMD
B_PORT=$NODE_SIP_PORT
MEDIA_IP=$(rs_uri_host "$MEDIA_URI")
MEDIA_PORT=$(rs_uri_port "$MEDIA_URI")

add_user 200 "Alice Able" 4940111200
add_device 1200 pw1200 200
add_user 300 "Carol Cole" 4940111300
add_device 1300 pw1300 300
add_device 2300 pw2300 300
add_user 400 "Dora Busy" 4940111400
add_device 1400 pw1400 400
add_user 600 "Frank Follow" 4940111600
add_device 1600 pw1600 600
add_device 2600 pw2600 600
# hunt group 710 (500, then 300) and pickup group sales (300, 500)
add_user 500 "Eve Hunt" 4940111500
add_device 1500 pw1500 500
sql "INSERT INTO rs_group (extension, domain, strategy, ring_seconds, last_destination)
		VALUES ('710', '$SIP_DOMAIN', 'hunt', 3, '');
	INSERT INTO rs_group_member (group_extension, extension, position) VALUES ('710', '500', 1), ('710', '300', 2);
	UPDATE rs_user SET pickup_group = 'sales' WHERE extension IN ('300', '500')"
sql "UPDATE rs_user SET max_calls = 1 WHERE extension = '400';
	UPDATE rs_user SET mobile = '01701234567' WHERE extension = '600'"
# hot desking: user 620 and two terminals
PIN620=551055105510
hotdesk_user 620 "Hugo Race" $PIN620
TA=hotdesk-0004f2000101; TB=hotdesk-0004f2000102
add_terminal 0004f2000101 tpwa
add_terminal 0004f2000102 tpwb
kam_node 1 userdev.reload >/dev/null
kam_node 2 userdev.reload >/dev/null

# contacts_on K DEVICE PORT: node K routes DEVICE to the phone at P:PORT
contacts_on() { kam_node "$1" userdev.show "$2" | grep -q "sip:$2@$P:$3"; }

# hops FILE: the Via/Record-Route ports a phone saw on its INVITE
rr_ports() { tr -d '\r' <"$1" | grep -m1 '^Record-Route:' | grep -o "$P:[0-9]*" | sort -u; }

# publisher_is K WHAT: fork2mobile.status of node K says "publisher: WHAT"
publisher_is() { kam_node "$1" fork2mobile.status | grep -q "^[[:space:]]*publisher: $2\$"; }

# the media server's announce service, for feature codes
code() {
	local node=$1 dev=$2 pw=$3 num=$4 port=$5 m
	sipp_bg media -sf "$SCEN/uas_announce.xml" -m 1 -i "$MEDIA_IP" -p "$MEDIA_PORT"
	m=$SIPP_PID
	wait_bound "$MEDIA_IP" "$MEDIA_PORT"
	on_node "$node" sipp_run "code-$dev" -sf "$SCEN/uac_announced.xml" -m 1 -s "$num" \
		-au "$dev" -ap "$pw" -i $P -p "$port" -key caller "$dev" ||
		{ e2e_log "$num on node $node: no announcement"; stop_bg $m; return 1; }
	wait_pid $m
}

# --- registrations ----------------------------------------------------------

t_register_a_call_b() {
	local rc=0 ph
	on_node 1 register 1300 pw1300 $P $((PH + 1)) || { e2e_log "REGISTER on A failed"; return 1; }
	local t0=$(($(date +%s%N) / 1000000))
	wait_until 2 contacts_on 2 1300 $((PH + 1)) ||
		{ e2e_log "B does not know the registration made on A"; return 1; }
	e2e_log "registration on A routable on B after $(($(date +%s%N) / 1000000 - t0)) ms"
	phone 1300 $P $((PH + 1)) uas_answer.xml; ph=$SIPP_PID
	on_node 2 call 1200 pw1200 $P $((PH + 2)) 300 || { e2e_log "call 1200 -> 300 through B failed"; rc=1; }
	wait_pid $ph || { e2e_log "1300 did not take the call"; rc=1; }
	# the phone got it from B: B's address in the Record-Route
	rr_ports "$PHONE_MSG" | grep -qx "$P:$B_PORT" ||
		{ e2e_log "Record-Route seen by 1300: $(rr_ports "$PHONE_MSG")"; rc=1; }
	return $rc
}
check "a phone registered on A rings for a call routed by B" t_register_a_call_b

# callid_on K DEVICE: the Call-ID of DEVICE's binding on node K
callid_on() { kam_node "$1" ul.lookup location "s:$2" 2>/dev/null | sed -n 's/^[[:space:]]*Call-ID: //p' | head -n 1; }
# the Call-ID of the REGISTERs a sipp run sent
sent_callid() { call_id "$1"; }

t_refresh_from_memory() {
	local rc=0 c0 c1 c2
	c0=$(callid_on 1 1300)
	[ -n "$c0" ] && [ "$(callid_on 2 1300)" = "$c0" ] ||
		{ e2e_log "1300's binding: A '$c0', B '$(callid_on 2 1300)'"; return 1; }
	# the same phone refreshes (same Contact, same socket, a new Call-ID as
	# sipp makes one per run): answered from memory, nothing saved on A,
	# nothing sent to B
	on_node 1 register 1300 pw1300 $P $((PH + 1)) || { e2e_log "refresh on A failed"; return 1; }
	c1=$(sent_callid "$SIPP_MSG")
	tr -d '\r' <"$SIPP_MSG" | grep -A12 '^SIP/2.0 200' | grep -qi "^Contact: <sip:1300@$P:$((PH + 1));transport=udp>;expires=[0-9]*$" ||
		{ e2e_log "the refresh's 200 lacks the binding with the time it has left"; rc=1; }
	[ "$(callid_on 1 1300)" = "$c0" ] && [ "$c1" != "$c0" ] ||
		{ e2e_log "the refresh was saved on A (binding Call-ID $(callid_on 1 1300), sent $c1)"; rc=1; }
	# a REGISTER that asks for less than is left is saved, and replicated
	on_node 1 sipp_run reg-short -sf "$SCEN/register.xml" -m 1 -s 1300 -au 1300 \
		-ap pw1300 -i $P -p $((PH + 1)) -key expires 1000 || { e2e_log "REGISTER (1000 s) on A failed"; return 1; }
	c2=$(sent_callid "$SIPP_MSG")
	[ "$(callid_on 1 1300)" = "$c2" ] || { e2e_log "the shorter REGISTER was not saved on A"; rc=1; }
	wait_until 2 bash -c "[ \"\$($NODE_KAMCMD_2 ul.lookup location s:1300 | sed -n 's/^[[:space:]]*Call-ID: //p' | head -n 1)\" = '$c2' ]" ||
		{ e2e_log "B did not get the saved registration"; rc=1; }
	e2e_log "refresh answered from memory (binding Call-ID kept: $c0); Expires 1000 saved on A and on B"
	return $rc
}
check "an unchanged refresh is answered from memory (no save, no DMQ); a changed one is saved and replicated" t_refresh_from_memory

# --- presence ----------------------------------------------------------------

t_blf_code_a_watch_b() {
	local rc=0 w wm n t0 t1 got
	sql "UPDATE rs_user SET fork2mobile = 0 WHERE extension = '600'"
	kam_node 1 userdev.reload >/dev/null
	kam_node 2 userdev.reload >/dev/null
	# one node publishes the forkm<ext> states: A, which started first
	wait_until 5 publisher_is 1 "this node" && publisher_is 2 "another node" ||
		{ e2e_log "publishers: A $(kam_node 1 fork2mobile.status | grep publisher), B $(kam_node 2 fork2mobile.status | grep publisher)"; rc=1; }
	on_node 2 sipp_bg watch -sf "$SCEN/watcher.xml" -aa -m 1 -s forkm600 -au 2600 \
		-ap pw2600 -i $P -p $((PH + 10)) -key caller 2600 -timeout 60
	w=$SIPP_PID; wm=$SIPP_MSG
	wait_notify "$wm" 1 5 || { e2e_log "no first NOTIFY from B"; stop_bg $w; return 1; }
	for want in confirmed none; do
		n=$(notify_n "$wm")
		t0=$(($(date +%s%N) / 1000000))
		if [ $want = confirmed ]; then
			code 1 1600 pw1600 '*501' $((PH + 11)) || rc=1
		else
			code 1 1600 pw1600 '*500' $((PH + 12)) || rc=1
		fi
		# the last NOTIFY within 1 s shows the new state
		wait_until 1 last_state_is "$wm" $want ||
			{ e2e_log "B's watcher: no NOTIFY with $want within 1 s of the code on A"; rc=1; continue; }
		got=$(state_of "$wm" "$(notify_n "$wm")")
		t1=$(msg_time "$wm" '^NOTIFY' "$(notify_n "$wm")") &&
			e2e_log "code on A -> NOTIFY from B with $got $((t1 - t0)) ms after the code was dialled"
		# one publication: one dialog while on, none while off (with a
		# publisher per node it was one dialog per node)
		n=$(dialogs_of "$wm" "$(notify_n "$wm")")
		[ "$n" = "$([ $want = confirmed ] && echo 1 || echo 0)" ] ||
			{ e2e_log "the NOTIFY with $want carries $n dialogs"; rc=1; }
	done
	# the watcher heard only node B
	tr -d '\r' <"$wm" | grep -A3 '^NOTIFY ' | grep '^Via:' | grep -vq ":$B_PORT;" &&
		{ e2e_log "a NOTIFY came from elsewhere than B"; rc=1; }
	stop_bg $w
	return $rc
}
check "BLF key on B sees *501/*500 dialled on A within 1 s" t_blf_code_a_watch_b

# --- one write path: hot-desk logins racing on A and B -----------------------

t_race_nodes() {
	local rc=0 la lb ma mb oa ob win lose lm wm ka kb
	# the account hotdesk-620 exists (made by a node's accounts process) and
	# both nodes know it
	wait_until 5 bash -c "$KAMCMD userdev.show hotdesk-620 | grep -q type:" ||
		{ e2e_log "no hotdesk-620 account on A"; return 1; }
	on_node 1 register $TA tpwa $P $((PH + 50)) && on_node 2 register $TB tpwb $P $((PH + 51)) ||
		{ e2e_log "terminals did not register"; return 1; }
	terminal_listen $((PH + 50)) 2; la=$LISTEN_PID; ma=$LISTEN_MSG
	terminal_listen $((PH + 51)) 2; lb=$LISTEN_PID; mb=$LISTEN_MSG
	oa=$VAR_DIR/race-a.out; ob=$VAR_DIR/race-b.out
	kam_node 1 hotdesk.login $TA 620 s:$PIN620 >"$oa" 2>&1 &
	ka=$!
	kam_node 2 hotdesk.login $TB 620 s:$PIN620 >"$ob" 2>&1 &
	kb=$!
	wait $ka; wait $kb
	grep -q "status: logged-in" "$oa" && grep -q "status: logged-in" "$ob" ||
		{ e2e_log "A: $(tr '\n' ' ' <"$oa") B: $(tr '\n' ' ' <"$ob")"; rc=1; }
	[ "$(sql "SELECT COUNT(*) FROM rs_hotdesk WHERE extension = '620'")" = 1 ] ||
		{ e2e_log "rs_hotdesk rows for 620: $(sql "SELECT COUNT(*) FROM rs_hotdesk WHERE extension = '620'")"; rc=1; }
	win=$(sql "SELECT terminal FROM rs_hotdesk WHERE extension = '620'")
	if [ "$win" = $TA ]; then lose=$TB; lm=$mb; wm=$ma; else lose=$TA; lm=$ma; wm=$mb; fi
	e2e_log "winner $win (the later commit), loser $lose"
	# the winner's login took 620 over from the loser
	grep -q "logged_out_of: $lose" "$([ "$win" = $TA ] && echo "$oa" || echo "$ob")" ||
		{ e2e_log "the winner did not take 620 over from the loser"; rc=1; }
	# the loser's terminal: check-sync for its own login and for losing it;
	# the winner's: one
	wait_notify "$lm" 2 10 || { e2e_log "loser's check-syncs: $(notify_n "$lm")"; rc=1; }
	wait_notify "$wm" 1 10 || { e2e_log "winner's check-syncs: $(notify_n "$wm")"; rc=1; }
	# both nodes list the one session
	kam_node 1 hotdesk.list | grep -q "$win" && kam_node 2 hotdesk.list | grep -q "$win" &&
		! kam_node 2 hotdesk.list | grep -q "terminal: $lose" || { e2e_log "hotdesk.list differs"; rc=1; }
	stop_bg $la; stop_bg $lb
	kam_node 2 hotdesk.logout 620 >/dev/null
	return $rc
}
check "hot-desk logins for 620 racing on A and B: one session, the loser's terminal gets check-sync" t_race_nodes

t_lockout_nodes() {
	local i rc=0 out
	# five wrong PINs for 620 through A lock 620 on B too
	for i in 1 2 3 4 5; do
		kam_node 1 hotdesk.login $TA 620 s:100200300400 | grep -q "status: wrong-pin" ||
			{ e2e_log "wrong PIN $i on A: not wrong-pin"; rc=1; }
	done
	# B has counted them (it logs the lock, as A does)
	wait_until 5 grep -q "logins of ext:620 locked after 5 wrong PINs (counted on another node)" \
		"$VAR_DIR/node2/kamailio.log" || { e2e_log "B did not count A's failures"; rc=1; }
	out=$(kam_node 2 hotdesk.login $TB 620 s:$PIN620)
	grep -q "status: locked" <<<"$out" || { e2e_log "right PIN on B after 5 wrong on A: $(tr '\n' ' ' <<<"$out")"; rc=1; }
	# hotdesk.unlock on B (of 620, and of terminal TA, which the five
	# failures locked too) lifts it on A as well
	kam_node 2 hotdesk.unlock 620 >/dev/null && kam_node 2 hotdesk.unlock $TA >/dev/null
	wait_until 2 bash -c "$NODE_KAMCMD_1 hotdesk.login $TA 620 s:$PIN620 | grep -q 'status: logged-in'" ||
		{ e2e_log "A still locked after hotdesk.unlock on B"; rc=1; }
	kam_node 1 hotdesk.logout 620 >/dev/null
	return $rc
}
check "wrong PINs count on every node: 5 on A lock 620 on B; hotdesk.unlock on B lifts it on A" t_lockout_nodes

t_lockout_node_start() {
	local i rc=0 out
	for i in 1 2 3 4 5; do
		kam_node 1 hotdesk.login $TA 620 s:100200300400 | grep -q "status: wrong-pin" ||
			{ e2e_log "wrong PIN $i on A: not wrong-pin"; rc=1; }
	done
	# B restarts after them: its table starts empty and takes A's
	"$STACK" kam-stop 2 >/dev/null && "$STACK" kam-start 2 >/dev/null ||
		{ e2e_log "B did not restart"; return 1; }
	wait_until 10 grep -q "hot-desk logins of ext:620 locked for [0-9]* s more (taken from another node at start)" \
		"$VAR_DIR/node2/kamailio.log" || { e2e_log "B did not take A's lockouts at start"; rc=1; }
	out=$(kam_node 2 hotdesk.login $TB 620 s:$PIN620)
	grep -q "status: locked" <<<"$out" ||
		{ e2e_log "right PIN on B, started after 5 wrong on A: $(tr '\n' ' ' <<<"$out")"; rc=1; }
	e2e_log "B started after 5 wrong PINs on A: $(grep -m1 retry_after <<<"$out" | tr -d '\t')"
	# hotdesk.unlock on A lifts it on B (and the terminal TA's lock too)
	kam_node 1 hotdesk.unlock 620 >/dev/null && kam_node 1 hotdesk.unlock $TA >/dev/null
	rs_node 2
	wait_until 2 bash -c "$NODE_KAMCMD hotdesk.login $TB 620 s:$PIN620 | grep -q 'status: logged-in'" ||
		{ e2e_log "B still locked after hotdesk.unlock on A"; rc=1; }
	kam_node 2 hotdesk.logout 620 >/dev/null
	return $rc
}
check "a node that starts knows the lockouts: 5 wrong PINs on A, then B restarts: the right PIN on B is locked" t_lockout_node_start

# --- dialogs: the busy level --------------------------------------------------

# calls_on K EXT N: node K counts N calls of EXT (dialog profile "calls")
calls_on() { kam_node "$1" dlg.profile_get_size calls "$2" 2>/dev/null | grep -q "^$3\$"; }

t_busy_across_nodes() {
	local rc=0 ph
	on_node 2 register 1400 pw1400 $P $((PH + 20)) || return 1
	phone 1400 $P $((PH + 20)) uas_answer_stay.xml; ph=$SIPP_PID
	# a call to 400 (max_calls 1) through A stays up
	on_node 1 sipp_run busy-1200 -sf "$SCEN/uac_call_stay.xml" -m 1 -s 400 -au 1200 \
		-ap pw1200 -i $P -p $((PH + 21)) -key caller 1200 -key xhdr "X-Test: busy" ||
		{ e2e_log "the first call to 400 (through A) failed"; stop_bg $ph; return 1; }
	wait_pid $ph
	wait_until 2 calls_on 2 400 1 || { e2e_log "B does not count A's call to 400"; rc=1; }
	# the second, through B: 400 is busy
	on_node 2 call_refused 486 1300 pw1300 $P $((PH + 22)) 400 ||
		{ e2e_log "a second call to 400 through B was not refused busy"; rc=1; }
	return $rc
}
check "busy level: a call to 400 up on A makes 400 busy (486) through B" t_busy_across_nodes

# --- hunt groups and pickup: their state on every node -----------------------

# hunt_seen K EXT: node K's plan of 710 starts after EXT
hunt_seen() { kam_node "$1" followme.plan 710 | grep -q "last answered by $2"; }
# ringing_seen K CALLID: node K can pick CALLID up (pickup group sales)
ringing_seen() { kam_node "$1" htable.get ringing g:sales | grep -q "$2"; }

t_hunt_nodes() {
	local rc=0 a b am
	on_node 1 register 1500 pw1500 $P $((PH + 40)) || return 1
	wait_until 2 contacts_on 2 1500 $((PH + 40)) || return 1
	# through A: 500 (first) answers; B starts the next call after it
	phone 1500 $P $((PH + 40)) uas_answer.xml; a=$SIPP_PID
	on_node 1 call 1200 pw1200 $P $((PH + 41)) 710 || { e2e_log "710 through A not answered"; rc=1; }
	wait_pid $a || rc=1
	wait_until 2 hunt_seen 2 500 ||
		{ e2e_log "B: $(kam_node 2 followme.plan 710 | head -1)"; rc=1; }
	kam_node 2 followme.plan 710 | sed 's/^/        B: /' >&2
	phone 1300 $P $((PH + 1)) uas_answer.xml; b=$SIPP_PID
	phone 1500 $P $((PH + 40)) uas_cancel.xml; a=$SIPP_PID; am=$PHONE_MSG
	on_node 2 call 1200 pw1200 $P $((PH + 42)) 710 || { e2e_log "710 through B not answered"; rc=1; }
	wait_pid $b || rc=1
	stop_bg $a
	[ "$(n_received "$am" INVITE)" = 0 ] || { e2e_log "B rang 500 first again"; rc=1; }
	wait_until 2 hunt_seen 1 300 || { e2e_log "A: $(kam_node 1 followme.plan 710 | head -1)"; rc=1; }
	return $rc
}
check "hunt group: the last answerer on A is B's starting point, B's is A's (htable hunt over DMQ)" t_hunt_nodes

t_pickup_nodes() {
	local rc=0 c cm a am k km cid ftag end CP=$((PH + 43))
	# 1200 calls 300 through A (1300 rings); 500 (pickup group sales)
	# dials *8 through B: the INVITE with Replaces reaches 1200's device
	phone 1300 $P $((PH + 1)) uas_cancel.xml; c=$SIPP_PID; cm=$PHONE_MSG
	phone 1200 $P $CP uas_answer_stay.xml -d 50; a=$SIPP_PID; am=$PHONE_MSG
	on_node 1 sipp_bg ring-1200 -sf "$SCEN/uac_ring_cancel.xml" -m 1 -s 300 -au 1200 \
		-ap pw1200 -i $P -p $((PH + 44)) -mi $P -key caller 1200 -key cip $P -key cport $CP
	k=$SIPP_PID; km=$SIPP_MSG
	wait_until 10 grep -q "^SIP/2.0 180" "$km" || { e2e_log "the call did not ring"; stop_bg $k; stop_bg $a; stop_bg $c; return 1; }
	cid=$(call_id "$km")
	ftag=$(tag_of "$(msg_hdr "$km" sent '^INVITE' From)")
	wait_until 2 ringing_seen 2 "$cid" ||
		{ e2e_log "B has no ringing entry for the call on A"; rc=1; }
	on_node 2 sipp_run pickup-1500 -sf "$SCEN/uac_call_stay.xml" -m 1 -s '*8' -au 1500 \
		-ap pw1500 -i $P -p $((PH + 45)) -key caller 1500 -key xhdr "X-Test: pickup" ||
		{ e2e_log "the pickup through B was not answered"; rc=1; }
	wait_pid $a || { e2e_log "1200's device did not get the pickup"; rc=1; }
	wait_pid $k || { e2e_log "the caller did not cancel cleanly"; rc=1; }
	stop_bg $c
	grep -m1 "^Replaces:" "$am" | sed 's/^/        /' >&2
	grep -q "^Replaces: $cid;to-tag=$ftag;from-tag=[^;]*;early-only" "$am" || rc=1
	return $rc
}
check "pickup: *8 through B takes a call ringing through A (htable ringing over DMQ)" t_pickup_nodes

# --- node A lost ------------------------------------------------------------

t_kill_a() {
	local rc=0 pid ph up upm tk w wm
	pid=$(cat "$VAR_DIR/kamailio.pid")
	# a call through B that is up while A dies: its BYE goes through B
	phone 1300 $P $((PH + 1)) uas_answer.xml; ph=$SIPP_PID
	on_node 2 sipp_bg up-1200 -sf "$SCEN/uac_call.xml" -m 1 -s 300 -au 1200 -ap pw1200 \
		-i $P -p $((PH + 34)) -key caller 1200 -key xhdr "X-Test: up" -d 3000
	up=$SIPP_PID; upm=$SIPP_MSG
	wait_until 10 grep -q '^SIP/2.0 200' "$upm" || { e2e_log "the call through B was not answered"; rc=1; }
	# SIGKILL to A's whole process group (tools/stack.sh starts it with setsid)
	tk=$(($(date +%s%N) / 1000000))
	kill -KILL -- "-$pid"
	wait_until 5 bash -c "! kill -0 $pid" || { e2e_log "A did not die"; return 1; }
	# B takes over publishing forkm<ext> once A's lease (3 s) has run out
	if wait_until 8 publisher_is 2 "this node"; then
		e2e_log "B publishes the forkm<ext> states $(($(date +%s%N) / 1000000 - tk)) ms after A was killed"
	else
		e2e_log "B did not take over publishing forkm<ext>"; rc=1
	fi
	wait_until 5 bash -c "! ss -Hlun 'src $P:$SIP_PORT' | grep -q ." || return 1
	wait_pid $up || { e2e_log "the call up through B did not end well (BYE) after A died"; rc=1; }
	wait_pid $ph || rc=1
	# 1300 registered on A: B still reaches it
	phone 1300 $P $((PH + 1)) uas_answer.xml; ph=$SIPP_PID
	on_node 2 call 1200 pw1200 $P $((PH + 30)) 300 || { e2e_log "call through B after A died failed"; rc=1; }
	wait_pid $ph || rc=1
	# 2300 registers anew on B and is reached through B
	on_node 2 register 2300 pw2300 $P $((PH + 31)) || { e2e_log "REGISTER on B failed"; return 1; }
	phone 2300 $P $((PH + 31)) uas_answer.xml; ph=$SIPP_PID
	on_node 2 call 1200 pw1200 $P $((PH + 32)) 2300 || { e2e_log "call to 2300 through B failed"; rc=1; }
	wait_pid $ph || rc=1
	# a state change while A is gone: Fork2Mobile of 600 on, through B,
	# seen by a key on B within 1 s
	on_node 2 sipp_bg watch -sf "$SCEN/watcher.xml" -aa -m 1 -s forkm600 -au 2600 \
		-ap pw2600 -i $P -p $((PH + 35)) -key caller 2600 -timeout 60
	w=$SIPP_PID; wm=$SIPP_MSG
	wait_notify "$wm" 1 5 || { e2e_log "no first NOTIFY from B after A died"; rc=1; }
	code 2 1600 pw1600 '*501' $((PH + 33)) || rc=1
	wait_until 1 last_state_is "$wm" confirmed ||
		{ e2e_log "B's watcher: no confirmed within 1 s of *501 on B (A dead)"; rc=1; }
	stop_bg $w
	return $rc
}
check "A killed (SIGKILL): a call up through B ends well, B routes to phones registered on A and on B" t_kill_a

dlgdev_keys() { kam_node "$1" htable.dump dlgdev | sed -n 's/^[[:space:]]*name: //p' | sort; }
# every key of B's dlgdev is on A too
same_dlgdev() {
	local b
	b=$(dlgdev_keys 2)
	[ -n "$b" ] && [ -z "$(comm -13 <(dlgdev_keys 1) <(echo "$b"))" ]
}

# any_state FILE STATE: a NOTIFY body so far holds a dialog in STATE
any_state() { grep -q "<state>$2</state>" "$1"; }

t_restart_a() {
	local rc=0 w wm
	"$STACK" kam-start 1 || { e2e_log "A did not start again"; return 1; }
	# registrations: the one made on B while A was down
	wait_until 5 contacts_on 1 2300 $((PH + 31)) ||
		{ e2e_log "A does not know 2300's registration on B"; rc=1; }
	# dialogs: the call to 400 that A had before it died, kept by B
	wait_until 5 calls_on 1 400 1 || { e2e_log "A did not take the dialogs from B"; rc=1; }
	on_node 1 call_refused 486 1300 pw1300 $P $((PH + 40)) 400 ||
		{ e2e_log "400 is not busy through A after its restart"; rc=1; }
	# htables: the device map of that call (INVITE with Replaces)
	wait_until 5 same_dlgdev ||
		{ e2e_log "A's dlgdev ($(dlgdev_keys 1 | wc -l) keys) differs from B's ($(dlgdev_keys 2 | wc -l))"; rc=1; }
	# presence: a key that subscribes on A sees what was published on B
	on_node 1 sipp_bg watch -sf "$SCEN/watcher.xml" -aa -m 1 -s forkm600 -au 2600 \
		-ap pw2600 -i $P -p $((PH + 41)) -key caller 2600 -timeout 60
	w=$SIPP_PID; wm=$SIPP_MSG
	wait_notify "$wm" 1 5 || { e2e_log "no NOTIFY from A"; stop_bg $w; return 1; }
	# the sync may still be under way when the key subscribes: its end
	# brings a NOTIFY (the publication A made before it died lingers for up
	# to publish_expires beside B's: see README, Several nodes)
	wait_until 5 any_state "$wm" confirmed ||
		{ e2e_log "A's NOTIFYs for forkm600 lack B's confirmed dialog"; rc=1; }
	stop_bg $w
	return $rc
}
check "A restarted: takes registrations, dialogs, htables and presence from B (B not restarted)" t_restart_a

e2e_summary
