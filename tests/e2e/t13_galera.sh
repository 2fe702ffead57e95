#!/usr/bin/env bash
# Several nodes on a Galera cluster (issue 13, README "Several nodes"): two
# database nodes plus garbd (tools/galera.sh) on loopback; Kamailio node A
# uses database node 1, B database node 2. Database node 1 is killed
# (SIGKILL) while calls go through B, and calls go through A while it is
# gone: the calls go on, the state changes and CDRs written through B are
# kept, and node 1, started again, catches up (IST) with everything
# written while it was gone.
SIP_PORT=${SIP_PORT:-$((26760 + ${RS_PORT_OFFSET:-0}))}
export NODES=2
. "$(dirname "$0")/lib.sh"
. "$RS_ROOT/tools/galera.sh"

e2e_prepare
galera_start || { echo "e2e: the Galera cluster did not start"; tail -20 "$VAR_DIR"/galera*/mariadb.log; exit 1; }
E2E_PIDS+=("${GALERA_PIDS[@]}")
"$STACK" db-init >/dev/null && "$STACK" rtp-start &&
	NODE_DB_SOCKS="$(galera_sock 1) $(galera_sock 2)" "$STACK" kam-start ||
	{ echo "e2e: the stack did not start"; exit 1; }

P=127.0.0.1
PH=$((SIP_PORT + 300))

add_user 200 "Alice Able" 4940111200
add_device 1200 pw1200 200
add_device 2200 pw2200 200
add_user 300 "Carol Cole" 4940111300
add_device 1300 pw1300 300
add_user 600 "Frank Follow" 4940111600
add_device 1600 pw1600 600
sql "UPDATE rs_user SET mobile = '01701234567' WHERE extension = '600'"
kam_node 1 userdev.reload >/dev/null
kam_node 2 userdev.reload >/dev/null

# count_on K "SQL": a count on database node K
count_on() { galera_sql "$1" "$2"; }
# one row per answered call, written with its BYE
cdrs() { count_on "$1" "SELECT COUNT(*) FROM acc WHERE method = 'BYE' AND sip_code = '200' AND src_user = '200'"; }
cdrs_are() { [ "$(cdrs "$1")" = "$2" ]; }
cdrs_at_least() { [ "$(cdrs "$1")" -ge "$2" ]; }
a_writes() { kam_node 1 fork2mobile.set 600 off 2>/dev/null | grep -q "state: off"; }
f2m_on() { [ "$(count_on "$1" "SELECT fork2mobile FROM rs_user WHERE extension = '600'")" = 1 ]; }

t_cluster() {
	galera_size 1 3 10 && galera_size 2 3 10 &&
		[ "$(count_on 2 "SELECT COUNT(*) FROM rs_user")" = 3 ]
}
check "Galera: two database nodes and garbd, the schema and users on both" t_cluster

N=20
a_sees_db_down() { kam_node 1 userdev.status | grep -q "database: down"; }
t_db_node_lost() {
	local rc=0 ph ca cb
	# the callers authenticate through each node once (credentials cached
	# and replicated), and 1300 registers through B
	on_node 2 register 1300 pw1300 $P $((PH + 1)) || return 1
	on_node 1 register 1200 pw1200 $P $((PH + 2)) && on_node 2 register 2200 pw2200 $P $((PH + 3)) ||
		return 1
	phone 1300 $P $((PH + 1)) uas_answer.xml -m $((2 * N)); ph=$SIPP_PID
	# N calls through B (database node 2), 4/s, across the loss of node 1
	on_node 2 sipp_bg calls-b -sf "$SCEN/uac_call.xml" -m $N -r 4 -l 4 -s 300 \
		-au 2200 -ap pw2200 -i $P -p $((PH + 3)) -key caller 2200 -key xhdr "X-Test: b" -d 200
	cb=$SIPP_PID
	wait_until 10 bash -c "[ \$(grep -c '^SIP/2.0 200' '$SIPP_MSG') -ge 4 ]" || rc=1
	galera_kill 1
	e2e_log "database node 1 killed after $(grep -c '^SIP/2.0 200' "$SIPP_MSG") answers through B"
	# A knows its database is gone within userdev's poll tick; from then on
	# N calls through A authenticate from the cached credentials
	wait_until 5 a_sees_db_down || { e2e_log "A did not notice its database is gone"; rc=1; }
	on_node 1 sipp_bg calls-a -sf "$SCEN/uac_call.xml" -m $N -r 4 -l 4 -s 300 \
		-au 1200 -ap pw1200 -i $P -p $((PH + 2)) -key caller 1200 -key xhdr "X-Test: a" -d 200
	ca=$SIPP_PID
	wait_pid $ca || { e2e_log "calls through A (its database gone) failed: $(grep -E 'Successful call|Failed call' "$LOGDIR"/calls-a-*.out | tr -s ' ' | tr '\n' ' ')"; rc=1; }
	wait_pid $cb || { e2e_log "calls through B failed"; rc=1; }
	wait_pid $ph || { e2e_log "1300 did not take all $((2 * N)) calls"; rc=1; }
	galera_size 2 2 10 || { e2e_log "database node 2 does not see the cluster shrink"; rc=1; }
	# a state change through B is kept; through A it fails and changes nothing
	kam_node 2 fork2mobile.set 600 on | grep -q "state: on" || { e2e_log "fork2mobile.set through B failed"; rc=1; }
	kam_node 1 fork2mobile.set 600 off 2>&1 | grep -q "500 - database unreachable" ||
		{ e2e_log "fork2mobile.set through A did not fail cleanly"; rc=1; }
	f2m_on 2 || { e2e_log "database node 2 lost the change"; rc=1; }
	# every CDR of B's calls is on node 2 (acc writes asynchronously)
	wait_until 10 cdrs_at_least 2 $N ||
		{ e2e_log "CDRs on database node 2: $(cdrs 2), want >= $N"; rc=1; }
	e2e_log "CDRs on database node 2: $(cdrs 2) of $((2 * N)) calls (A's, made while its database was gone, went to its log: route[ACC])"
	return $rc
}
check "database node 1 killed during calls through B, then calls through A: all go on, B's state changes and CDRs are kept" t_db_node_lost

t_db_node_back() {
	local rc=0 t0 want
	want=$(cdrs 2)
	t0=$(($(date +%s%N) / 1000000))
	galera_node 1 || { e2e_log "database node 1 did not start again"; return 1; }
	E2E_PIDS+=("${GALERA_PIDS[1]}")
	galera_size 1 3 30 || { e2e_log "node 1 did not rejoin"; rc=1; }
	e2e_log "database node 1 back and synced after $(($(date +%s%N) / 1000000 - t0)) ms ($(grep -c 'IST received' "$(galera_dir 1)/mariadb.log") IST)"
	f2m_on 1 || { e2e_log "node 1 lacks the change made through B"; rc=1; }
	cdrs_are 1 "$want" || { e2e_log "CDRs on node 1: $(cdrs 1), on node 2: $want"; rc=1; }
	# A works from its database again (its first statement may meet the
	# dead connection and reconnect): a change through A reaches node 2
	wait_until 10 a_writes || { e2e_log "A cannot write again"; rc=1; }
	[ "$(count_on 2 "SELECT fork2mobile FROM rs_user WHERE extension = '600'")" = 0 ] ||
		{ e2e_log "A's change did not reach node 2"; rc=1; }
	return $rc
}
check "database node 1 restarted: it has B's changes and CDRs (IST), and A writes through it again" t_db_node_back

e2e_summary
