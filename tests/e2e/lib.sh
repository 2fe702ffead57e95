# Ringset end-to-end test helpers: one private stack per test file (its own
# SIP_PORT and VAR_DIR), sipp as phones/peers, kamcmd and SQL for state.
# Every process started here is recorded and stopped by PID on exit.
set -uo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RS_ROOT=$(cd "$E2E_DIR/../.." && pwd)
SCEN=$E2E_DIR/scenarios
: "${SIP_PORT:?set SIP_PORT before sourcing lib.sh}"
export VAR_DIR=${VAR_DIR:-$RS_ROOT/build/e2e/$(basename "$0" .sh)}
# RTPengine on a loopback address of this instance's own, 127.1.x.y from
# SIP_PORT: tests of several checkouts run side by side, and an RTPengine
# media port on 127.0.0.1 could be another instance's SIP or phone port
# (both are bound with SO_REUSEADDR: the later bind takes the packets)
export RTP_ADDR=${RTP_ADDR:-127.1.$((SIP_PORT / 256 % 256)).$((SIP_PORT % 256))}
. "$RS_ROOT/tools/env.sh"
STACK=$RS_ROOT/tools/stack.sh
LOGDIR=$VAR_DIR/sipp
E2E_PIDS=()
E2E_PASS=0
E2E_FAIL=0
E2E_CP=$((SIP_PORT + 2000)) # sipp control ports, one per sipp process
E2E_TIMEOUT=${E2E_TIMEOUT:-30}

e2e_log() { echo "  $*" >&2; }

e2e_cleanup() {
	local p
	for p in "${E2E_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${E2E_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	"$STACK" stop >/dev/null 2>&1
}

# a clean VAR_DIR and the cleanup on exit (e2e_start does this first; a
# test that starts its own database calls it alone)
e2e_prepare() {
	rm -rf "$VAR_DIR"
	mkdir -p "$VAR_DIR" "$LOGDIR"
	trap e2e_cleanup EXIT
	trap 'exit 130' INT TERM
}

e2e_start() {
	e2e_prepare
	"$STACK" db-start && "$STACK" db-init >/dev/null && "$STACK" rtp-start &&
		"$STACK" kam-start ||
		{ echo "e2e: the stack did not start"; exit 1; }
}

# sql "statement": provisioning through the admin's interface
sql() { rs_mysql -N -B -e "$1"; }

# add_user EXT "Display Name" [extra SQL assignments]
add_user() {
	sql "INSERT INTO rs_user (extension, domain, display_name, external_cli)
		VALUES ('$1', '$SIP_DOMAIN', '$2', '${3:-}')"
}

# add_device USERNAME PASSWORD EXT|NULL [kind]
add_device() {
	local ext=$3
	[ "$ext" = NULL ] || ext="'$ext'"
	sql "INSERT INTO subscriber (username, domain, password)
		VALUES ('$1', '$SIP_DOMAIN', '$2');
		INSERT INTO rs_device (username, domain, extension, kind)
		VALUES ('$1', '$SIP_DOMAIN', $ext, '${4:-static}')"
}

# set_pin EXT PIN: the admin's SQL from README "Provisioning"
set_pin() {
	sql "SET @s = HEX(RANDOM_BYTES(8)); UPDATE rs_user SET pin_hash =
		CONCAT('sha256\$', @s, '\$', SHA2(CONCAT(@s, '$2'), 256)) WHERE extension = '$1'"
}
# hotdesk_user EXT NAME PIN
hotdesk_user() { add_user "$1" "$2"; sql "UPDATE rs_user SET hotdesk = 1 WHERE extension = '$1'"; set_pin "$1" "$3"; }
# terminal N: hotdesk-0004f200000N with password tpwN and its MAC
terminal() { add_terminal 0004f200000$1 tpw$1; }

kam() { $KAMCMD "$@"; }

# several nodes (NODES > 1, README "Several nodes"): kam_node K CMD... asks node K;
# on_node K FUNCTION ARGS... runs a helper (register, call, phone, ...)
# with its sipp aimed at node K
kam_node() { local k=$1; shift; rs_node "$k"; $NODE_KAMCMD "$@"; }
on_node() {
	local k=$1; shift
	rs_node "$k"
	SIPP_TARGET=$SIP_ADDR:$NODE_SIP_PORT "$@"
}

# prov_secret MAC: the device's provisioning secret, once Ringset made it
# (5 s); empty for a MAC no device has
prov_secret() {
	local end=$((SECONDS + 5)) s
	[ "$(sql "SELECT COUNT(*) FROM rs_device WHERE mac = '$1'")" -gt 0 ] || return 0
	while :; do
		s=$(sql "SELECT prov_secret FROM rs_device WHERE mac = '$1' AND prov_secret IS NOT NULL")
		[ -n "$s" ] && { echo "$s"; return 0; }
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

# ha1 USER PASSWORD: the digest HA1 in the SIP domain, as the credential
# cache keeps it
ha1() { printf '%s' "$1:$SIP_DOMAIN:$2" | md5sum | cut -d' ' -f1; }

# wait until the directory copy holds NAME (user or device); fails after S s
wait_directory() {
	local name=$1 secs=${2:-5} end
	end=$(($(date +%s%N) / 1000000 + secs * 1000))
	until kam userdev.show "$name" 2>/dev/null | grep -q "type:"; do
		[ $(($(date +%s%N) / 1000000)) -lt $end ] || return 1
		sleep 0.02
	done
}

# wait_until SECS CMD...: polls CMD (every 20 ms) until it succeeds; fails
# after SECS seconds
wait_until() {
	local secs=$1 end
	shift
	end=$(($(date +%s%N) / 1000000 + secs * 1000))
	until "$@" >/dev/null 2>&1; do
		[ $(($(date +%s%N) / 1000000)) -lt $end ] || return 1
		sleep 0.02
	done
}

# sipp_prep NAME: a control port, log names and the common arguments
# (SIPP_ARGS) for the next sipp, which talks to Ringset (or $SIPP_TARGET)
sipp_prep() {
	E2E_CP=$((E2E_CP + 1))
	# with RS_PORT_OFFSET the control ports fall in the kernel's ephemeral
	# range, where any client socket may hold one: skip those in use
	while ss -Huan "sport = :$E2E_CP" 2>/dev/null | grep -q .; do
		E2E_CP=$((E2E_CP + 1))
	done
	SIPP_NAME=$1-$E2E_CP
	SIPP_MSG=$LOGDIR/$SIPP_NAME.msg
	SIPP_ARGS=("${SIPP_TARGET:-$SIP_ADDR:$SIP_PORT}" -nostdin -timeout "$E2E_TIMEOUT"
		-timeout_error -cp "$E2E_CP" -trace_err
		-error_file "$LOGDIR/$SIPP_NAME.err" -trace_msg -message_file "$SIPP_MSG"
		-t "${SIPP_T:-u1}" -key domain "$SIP_DOMAIN")
}

# sipp_run NAME ARGS...: runs sipp to the end, in the foreground
sipp_run() {
	sipp_prep "$1"
	shift
	sipp "${SIPP_ARGS[@]}" "$@" >"$LOGDIR/$SIPP_NAME.out" 2>&1
}

# sipp_bg NAME ARGS...: the same in the background; $SIPP_PID is sipp's own
# PID, so that the cleanup stops sipp itself
sipp_bg() {
	sipp_prep "$1"
	shift
	sipp "${SIPP_ARGS[@]}" "$@" >"$LOGDIR/$SIPP_NAME.out" 2>&1 &
	SIPP_PID=$!
	E2E_PIDS+=("$SIPP_PID")
}

# free_rtp_port PORT: PORT, or the next even port whose pair (RTP, RTCP)
# nothing binds on UDP: the machine's other stacks (other checkouts' tests,
# their RTPengine control ports) may hold one of ours
free_rtp_port() {
	local p=$(($1 + ($1 % 2)))
	while ss -Huan "sport = :$p or sport = :$((p + 1))" 2>/dev/null | grep -q .; do
		p=$((p + 2))
	done
	echo "$p"
}

# wait for a background sipp to be bound to udp IP:PORT (its readiness)
wait_bound() {
	local ip=$1 port=$2 i
	for i in $(seq 1 400); do
		ss -Hlun "src $ip:$port" 2>/dev/null | grep -q . && return 0
		ss -Hltn "src $ip:$port" 2>/dev/null | grep -q . && return 0
		sleep 0.01
	done
	return 1
}

# register DEVICE PASSWORD IP PORT: the phone at IP:PORT registers
register() {
	sipp_run "reg-$1-$4" -sf "$SCEN/register.xml" -m 1 -s "$1" -au "$1" \
		-ap "$2" -i "$3" -p "$4" -key expires 3600
}

# phone DEVICE IP PORT SCENARIO [sipp args]: a device answering calls, in the
# background (PID in $SIPP_PID)
phone() {
	local dev=$1 ip=$2 port=$3 sc=$4; shift 4
	sipp_bg "uas-$dev-$port" -sf "$SCEN/$sc" -m 1 -s "$dev" -i "$ip" -p "$port" "$@"
	PHONE_MSG=$SIPP_MSG
	wait_bound "$ip" "$port"
}

# call CALLER PASSWORD IP PORT DEST [sipp args]: an answered call
call() {
	local dev=$1 pw=$2 ip=$3 port=$4 dst=$5; shift 5
	sipp_run "uac-$dev-$dst-$port" -sf "$SCEN/uac_call.xml" -m 1 -s "$dst" \
		-au "$dev" -ap "$pw" -i "$ip" -p "$port" -key caller "$dev" \
		-key xhdr "${XHDR:-X-Test: ringset}" -d 200 "$@"
}

# call_refused CODE CALLER PASSWORD IP PORT DEST
call_refused() {
	local code=$1 dev=$2 pw=$3 ip=$4 port=$5 dst=$6 sc
	sc=$LOGDIR/uac_reject_$code.xml
	sed "s/@CODE@/$code/g" "$SCEN/uac_reject.xml.in" >"$sc"
	sipp_run "uac-$dev-$dst-$code" -sf "$sc" -m 1 -s "$dst" -au "$dev" \
		-ap "$pw" -i "$ip" -p "$port" -key caller "$dev"
}

# wait_pid PID: its exit code
wait_pid() { wait "$1"; }

# a test: `check NAME CMD...` counts a pass when CMD succeeds
check() {
	local name=$1; shift
	if "$@"; then
		E2E_PASS=$((E2E_PASS + 1))
		echo "  ok    $name"
	else
		E2E_FAIL=$((E2E_FAIL + 1))
		echo "  FAIL  $name"
		echo "        logs: $VAR_DIR" >&2
	fi
}

e2e_summary() {
	echo "e2e $(basename "$0" .sh): $E2E_PASS passed, $E2E_FAIL failed"
	[ "$E2E_FAIL" -eq 0 ]
}


kam_alive() { kill -0 "$(cat "$VAR_DIR/kamailio.pid")" 2>/dev/null && kam core.uptime >/dev/null; }

# msg_time FILE PATTERN [N]: the time (ms since the epoch) at which the N-th
# (default 1st) message whose first line matches PATTERN was logged by sipp
msg_time() {
	local ts
	ts=$(awk -v pat="$2" -v want="${3:-1}" '
		/^-+ [0-9]{4}-[0-9]{2}-[0-9]{2} / { ts = $2 " " $3; next }
		/^(UDP|TCP) message/ { first = 1; next }
		first && NF { first = 0; if ($0 ~ pat && ++n == want) { print ts; exit } }
	' "$1")
	[ -n "$ts" ] || return 1
	echo $(($(date -d "$ts" +%s%N) / 1000000))
}

# call_end CODE CALLER PASSWORD IP PORT DEST [sipp args]: a call that rings
# through a plan and ends with CODE
call_end() {
	local code=$1 dev=$2 pw=$3 ip=$4 port=$5 dst=$6 sc
	shift 6
	sc=$LOGDIR/uac_call_end_$code.xml
	sed "s/@CODE@/$code/g" "$SCEN/uac_call_end.xml.in" >"$sc"
	sipp_run "uac-$dev-$dst-$code" -sf "$sc" -m 1 -s "$dst" -au "$dev" \
		-ap "$pw" -i "$ip" -p "$port" -key caller "$dev" \
		-key xhdr "${XHDR:-X-Test: ringset}" "$@"
}

# invite_gap MSG1 MSG2: ms between the INVITEs two phones' logs show
invite_gap() {
	local i1 i2
	i1=$(msg_time "$1" '^INVITE') && i2=$(msg_time "$2" '^INVITE') || return 1
	echo $((i2 - i1))
}

# within A B TOL: |A - B| <= TOL
within() { local d=$(($1 - $2)); [ ${d#-} -le "$3" ]; }

# stop_bg PID: ends a background sipp that is not expected to finish
stop_bg() { kill -TERM "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 0; }

# --- BLF watchers (scenarios/watcher.xml) ---

# notify_n FILE: NOTIFYs received so far
notify_n() { local n; n=$(grep -c '^NOTIFY ' "$1" 2>/dev/null); echo "${n:-0}"; }

# wait_notify FILE N SECS: until the N-th NOTIFY is logged
wait_notify() {
	local f=$1 n=$2 end=$(($(date +%s%N) / 1000000 + $3 * 1000))
	until [ "$(notify_n "$f")" -ge "$n" ]; do
		[ $(($(date +%s%N) / 1000000)) -lt $end ] || return 1
		sleep 0.02
	done
}

# state_of FILE N: the dialog state in the N-th NOTIFY body
# (none: a body without a dialog, which is how "off" is published)
state_of() {
	awk -v want="$2" '/^NOTIFY /{n++; if (n > want) exit} n==want && /<state/ {
		sub(/.*<state[^>]*>/, ""); sub(/<\/state>.*/, ""); s = $0; exit }
		END { print (s == "" ? "none" : s) }' "$1"
}

# last_state_is FILE STATE: the latest NOTIFY shows STATE
last_state_is() { [ "$(state_of "$1" "$(notify_n "$1")")" = "$2" ]; }

# dialogs_of FILE N: how many <dialog> elements the N-th NOTIFY body holds
dialogs_of() {
	awk -v want="$2" '/^NOTIFY /{n++; if (n > want) exit} n==want { d += gsub(/<dialog[ >]/, "&") }
		END { print d + 0 }' "$1"
}

# notify_states FILE: one line per NOTIFY body: "<dialogs> <states...>"
# (0 none: a body without a dialog)
notify_states() {
	tr -d '\r' <"$1" | awk '
		/^NOTIFY / { if (n) print d, (st == "" ? "none" : st); n++; d = 0; st = ""; next }
		/<dialog[ >]/ && !/<dialog-info/ { d++ }
		/<state[ >]/ { x = $0; sub(/.*<state[^>]*>/, "", x); sub(/<\/state>.*/, "", x); st = st (st == "" ? "" : ",") x }
		END { if (n) print d, (st == "" ? "none" : st) }'
}

# notify_at FILE MS: the last NOTIFY the watcher received before MS (ms
# since the epoch, sipp's own time stamps) as "<dialogs> <states>
# <call-ids>", each list comma-separated ("0 none -": no dialog); empty
# when none had come
notify_at() {
	tr -d '\r' <"$1" | awk -v t="$2" '
		function flush() { if (n && at < t) last = d " " (st == "" ? "none" : st) " " (ci == "" ? "-" : ci) }
		/^-+ [0-9]{4}-[0-9]{2}-[0-9]{2} / { split($2, y, "-"); split($3, h, ":")
			ms = mktime(y[1] " " y[2] " " y[3] " " h[1] " " h[2] " " int(h[3])) * 1000 + int((h[3] - int(h[3])) * 1000); next }
		/^NOTIFY / { flush(); n++; at = ms; d = 0; st = ""; ci = ""; next }
		/<dialog[ >]/ && !/<dialog-info/ { d++; x = $0
			if (sub(/.* call-id="/, "", x)) { sub(/".*/, "", x); ci = ci (ci == "" ? "" : ",") x } }
		/<state[ >]/ { x = $0; sub(/.*<state[^>]*>/, "", x); sub(/<\/state>.*/, "", x); st = st (st == "" ? "" : ",") x }
		END { flush(); print last }'
}

# --- hot desking (README "Hot desking") ---

# add_terminal MAC PASSWORD: the hot-desk terminal hotdesk-<mac>
add_terminal() {
	sql "INSERT INTO subscriber (username, domain, password)
		VALUES ('hotdesk-$1', '$SIP_DOMAIN', '$2');
		INSERT INTO rs_device (username, domain, extension, kind, mac)
		VALUES ('hotdesk-$1', '$SIP_DOMAIN', NULL, 'hotdesk_terminal', '$1')"
}
# terminal_listen PORT N: a terminal that takes N check-sync NOTIFYs
terminal_listen() {
	sipp_bg "ts-$1" -sf "$SCEN/uas_checksync.xml" -m "$2" -i "${P:-127.0.0.1}" -p "$1"
	LISTEN_PID=$SIPP_PID; LISTEN_MSG=$SIPP_MSG
	wait_bound "${P:-127.0.0.1}" "$1"
}

# --- sipp message logs ---------------------------------------------------

# msg_hdr FILE sent|received FIRSTLINE-REGEX HEADER: the value of HEADER in
# the first message of that direction whose first line matches
msg_hdr() {
	tr -d '\r' <"$1" | awk -v dir="$2" -v pat="$3" -v h="$4" '
		/^(UDP|TCP) message (sent|received)/ { d = ($3 == dir); first = 1; m = 0; next }
		first && NF { first = 0; m = (d && $0 ~ pat); next }
		m && index($0, h ":") == 1 { sub("^" h ": *", ""); print; exit }'
}
tag_of() { sed -n 's/.*;tag=\([^;>]*\).*/\1/p' <<<"$1"; }
# n_received FILE METHOD-REGEX: count of requests a sipp received
n_received() {
	tr -d '\r' <"$1" | awk -v pat="^$2 " '
		/^(UDP|TCP) message (sent|received)/ { d = ($3 == "received"); first = 1; next }
		first && NF { first = 0; if (d && $0 ~ pat) n++ }
		END { print n + 0 }'
}

# in_dialog NAME CODE METHOD CALLID RURI ROUTE FROM TO CONTACT XHDR: one
# request in an existing dialog, on behalf of one of its devices, sent from
# INDLG_PORT (default SIP_PORT + 120) on 127.0.0.1
in_dialog() {
	local name=$1 code=$2 sc
	sc=$LOGDIR/uac_indialog_$3_$code.xml
	sed -e "s/@CODE@/$code/g" -e "s/@METHOD@/$3/g" "$SCEN/uac_indialog.xml.in" >"$sc"
	sipp_run "$name" -sf "$sc" -m 1 -s x -i 127.0.0.1 \
		-p "${INDLG_PORT:-$((SIP_PORT + 120))}" -cid_str "$4" \
		-key ruri "$5" -key route "$6" -key from "$7" \
		-key to "$8" -key contact "$9" -key xhdr "${10}"
}

# --- media: RTPengine's sessions, calls with RTP (P: the phones' address) ---

RTPCTL=(rtpengine-ctl -ip 127.0.0.1 -port "$RTP_CLI")

rtp_sessions() {
	"${RTPCTL[@]}" list numsessions | sed -n 's/^Current sessions own: *\([0-9]*\).*/\1/p'
}

# wait_sessions N [SECS]: RTPengine holds N sessions (polled, deadline)
wait_sessions() {
	local want=$1 end=$((SECONDS + ${2:-10})) n
	while :; do
		n=$(rtp_sessions)
		[ "$n" = "$want" ] && return 0
		[ $SECONDS -lt $end ] || { e2e_log "RTPengine sessions: $n, expected $want"; return 1; }
		sleep 0.05
	done
}

# first Call-ID in a sipp message log
call_id() { sed -n 's/^Call-ID: *//p' "$1" | head -n 1 | tr -d '\r'; }

# wait_log FILE PATTERN [SECS]: a sipp log shows PATTERN (the event)
wait_log() {
	local end=$((SECONDS + ${3:-15}))
	until grep -q "$2" "$1" 2>/dev/null; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.02
	done
}

# media_call NAME CALLER PW PORT DEST MEDIAPORT CIP [sipp args]: an answered
# call that plays the pcap, in the background ($SIPP_PID, $SIPP_MSG)
media_call() {
	local name=$1 dev=$2 pw=$3 port=$4 dst=$5 mp=$6 cip=$7
	shift 7
	sipp_bg "$name" -sf "$SCEN/uac_media.xml" -m 1 -s "$dst" -au "$dev" -ap "$pw" \
		-i $P -p "$port" -mi $P -mp "$mp" -key caller "$dev" -key cip "$cip" \
		-d 4000 "$@"
}

# media_peer NAME IP PORT MEDIAPORT CIP [scenario] [sipp args]: a phone,
# the gateway or the media server answering with media
media_peer() {
	local name=$1 ip=$2 port=$3 mp=$4 cip=$5 sc=${6:-uas_media.xml}
	shift 5; [ $# -gt 0 ] && shift
	sipp_bg "$name" -sf "$SCEN/$sc" -m 1 -i "$ip" -p "$port" -mi "$ip" \
		-mp "$mp" -key cip "$cip" -d 10 "$@"
	wait_bound "$ip" "$port"
}

in_rtp_range() { [ "$1" -ge "$RTP_MIN" ] && [ "$1" -le "$RTP_MAX" ]; }

# received_sdp FILE: port of the first SDP the sipp received (not sent)
received_sdp_port() {
	tr -d '\r' <"$1" | awk '/message received/ { r = 1; next }
		/message sent/ { r = 0; next } r && /^m=audio / { print $2; exit }'
}
received_sdp_addr() {
	tr -d '\r' <"$1" | awk '/message received/ { r = 1; next }
		/message sent/ { r = 0; next } r && /^c=IN IP4 / { print $3; exit }'
}

# anchored FILE: the first SDP this sipp received names RTPengine
anchored() {
	local port addr
	port=$(received_sdp_port "$1") addr=$(received_sdp_addr "$1")
	[ -n "$port" ] && [ "$addr" = "$RTP_ADDR" ] && in_rtp_range "$port" ||
		{ e2e_log "$(basename "$1"): SDP received $addr:$port, not RTPengine ($RTP_MIN-$RTP_MAX)"; return 1; }
}

# direct FILE ADDR PORT: the first SDP this sipp received is the peer's own
direct() {
	local port addr
	port=$(received_sdp_port "$1") addr=$(received_sdp_addr "$1")
	[ "$addr:$port" = "$2:$3" ] ||
		{ e2e_log "$(basename "$1"): SDP received $addr:$port, expected the peer's $2:$3"; return 1; }
}

