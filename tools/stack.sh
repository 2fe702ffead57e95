#!/usr/bin/env bash
# Ringset: start and stop one instance (MariaDB, RTPengine, NODES Kamailio
# nodes, the media server) on loopback, with its files under VAR_DIR. Used
# by `make run`/`make stop` and by the end-to-end tests, each with its own
# SIP_PORT and VAR_DIR.
#   stack.sh start | stop | status | db-start | db-stop | db-init
#            kam-start [K] | kam-stop [K] | rtp-start | rtp-stop | media-start | media-stop
# K is a node number (default: every node, 1..NODES).
set -euo pipefail
. "$(dirname "$0")/env.sh"

log() { echo "ringset: $*" >&2; }
die() { log "$*"; exit 1; }

private_db() { [ "$DBURL" = "$DBURL_DEFAULT" ]; }

# wait_for SECONDS CMD...: polls a readiness check, which is the event here
wait_for() {
	local secs=$1; shift
	local end=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

# proc_gone PID: the process has exited (gone, or a zombie: a killed
# process that nobody reaped still answers kill -0, under an init that does
# not reap)
proc_gone() {
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ]
}

# pid_alive PIDFILE: its process runs
pid_alive() {
	local pid
	[ -f "$1" ] || return 1
	pid=$(cat "$1" 2>/dev/null)
	[[ "$pid" =~ ^[0-9]+$ ]] && ! proc_gone "$pid"
}

# each part is alive when its process is and it answers
db_ping() { timeout 5 mariadb-admin --no-defaults -S "$DB_SOCK" -u root ping; }
db_alive() { pid_alive "$VAR_DIR/mariadb.pid" && db_ping; }
kam_alive() { pid_alive "$VAR_DIR/kamailio.pid" && $KAM_PING; }
rtp_alive() { pid_alive "$VAR_DIR/rtpengine.pid" && rtp_ping; }
media_alive() { pid_alive "$VAR_DIR/media.pid"; }

# session_pids SID: processes still running in the session a part was
# started in (setsid: its session id is the pid in its pid file)
session_pids() {
	ps -o pid=,stat= --sid "$1" 2>/dev/null | awk '$2 !~ /^Z/ { print $1 }'
}

# kill_session SID NAME: kills by PID what is left of a part: Kamailio's
# children outlive a main process killed with SIGKILL and keep its ports
kill_session() {
	local sid=$1 name=$2 p
	[ -n "$(session_pids "$sid")" ] || return 0
	log "killing what is left of $name (session $sid): $(session_pids "$sid" | tr '\n' ' ')"
	for p in $(session_pids "$sid"); do
		kill -KILL "$p" 2>/dev/null || true
	done
	wait_for 10 bash -c "[ -z \"\$(ps -o stat= --sid $sid | grep -v '^Z')\" ]" || true
}

# stop_pid PIDFILE NAME: TERM, wait for the exit, KILL after 20 s; then
# whatever is left of its session
stop_pid() {
	local pf=$1 name=$2 pid
	[ -f "$pf" ] || return 0
	pid=$(cat "$pf")
	[[ "$pid" =~ ^[0-9]+$ ]] || { rm -f "$pf"; return 0; }
	if ! proc_gone "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		if ! wait_for 20 proc_gone "$pid"; then
			log "$name ($pid) did not stop, killing it"
			kill -KILL "$pid" 2>/dev/null || true
			wait_for 5 proc_gone "$pid" || true
		fi
	fi
	kill_session "$pid" "$name"
	rm -f "$pf"
}

# kill_stale PIDFILE NAME CHECK...: a part that is dead (its main process
# gone or a zombie) or hung (running, but CHECK fails for 10 s) is killed,
# with every process left in its session, and its pid file removed, so
# that a start starts it again
kill_stale() {
	local pf=$1 name=$2 pid
	shift 2
	[ -f "$pf" ] || return 0
	pid=$(cat "$pf" 2>/dev/null)
	if pid_alive "$pf" && wait_for 10 "$@"; then
		return 0
	fi
	log "$name ($pid) is dead or does not answer: killing what is left of it"
	[[ "$pid" =~ ^[0-9]+$ ]] && {
		proc_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
		kill_session "$pid" "$name"
	}
	rm -f "$pf"
}

db_start() {
	private_db || return 0
	kill_stale "$VAR_DIR/mariadb.pid" MariaDB db_ping
	pid_alive "$VAR_DIR/mariadb.pid" && return 0
	# its own temporary directory: installs running side by side (other
	# checkouts' tests) must not share /tmp's #sql-temptable files
	mkdir -p "$VAR_DIR/mysql-tmp"
	if [ ! -d "$VAR_DIR/mysql/mysql" ]; then
		log "creating a private MariaDB in $VAR_DIR/mysql"
		mariadb-install-db --no-defaults --datadir="$VAR_DIR/mysql" \
			--tmpdir="$VAR_DIR/mysql-tmp" \
			--user="$(id -un)" --auth-root-authentication-method=socket \
			--skip-test-db >"$VAR_DIR/mariadb-install.log" 2>&1 ||
			die "mariadb-install-db failed, see $VAR_DIR/mariadb-install.log"
	fi
	# socket only: no TCP port is opened to anyone
	setsid mariadbd --no-defaults --datadir="$VAR_DIR/mysql" \
		--tmpdir="$VAR_DIR/mysql-tmp" --socket="$DB_SOCK" --skip-networking --user="$(id -un)" \
		--pid-file="$VAR_DIR/mariadb.pid" --log-error="$VAR_DIR/mariadb.log" \
		--innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
		--skip-log-bin --character-set-server=utf8mb4 \
		</dev/null >/dev/null 2>&1 &
	wait_for 60 db_ping ||
		die "MariaDB did not start, see $VAR_DIR/mariadb.log"
	wait_for 10 test -s "$VAR_DIR/mariadb.pid" || die "no MariaDB pid file"
}

db_init() {
	private_db || { log "DBURL is external: create its schema with db-schema/"; return 0; }
	if rs_mysql -e 'SELECT 1 FROM rs_user LIMIT 1' >/dev/null 2>&1; then
		# a database made before these columns existed: the file that adds
		# each one
		local m
		for m in "rs_user anchor_media 60-rs_user-anchor_media.sql" \
			"rs_user incall_services 61-incall_services.sql" \
			"rs_device prov_secret 71-rs_device-prov_secret.sql" \
			"rs_user blf_private 72-rs_user-blf_private.sql" \
			"acc call_start 21-acc-call.sql" \
			"rs_change counter 75-rs_change-create.sql" \
			"rs_lease holder 78-rs_lease-create.sql"; do
			set -- $m
			if ! rs_mysql -e "SELECT $2 FROM $1 LIMIT 0" >/dev/null 2>&1; then
				log "adding $1.$2"
				rs_mysql <"$RS_ROOT/db-schema/$3" || die "schema $3 failed"
			fi
		done
		# a database made when state changes had a counter of their own
		if rs_mysql -e 'SELECT gen FROM rs_generation LIMIT 0' >/dev/null 2>&1; then
			log "one change counter: dropping rs_generation"
			rs_mysql <"$RS_ROOT/db-schema/77-rs_generation-drop.sql" ||
				die "schema 77-rs_generation-drop.sql failed"
		fi
		# a database made before groups, permissions, forwarding and DND
		if ! rs_mysql -e 'SELECT dnd FROM rs_user LIMIT 0' >/dev/null 2>&1; then
			log "adding groups, permission sets, forwarding, DND and schedules"
			local f
			for f in 15-rs_permission_set-create.sql 16-rs_group-create.sql \
				73-pbx-features.sql; do
				rs_mysql <"$RS_ROOT/db-schema/$f" || die "schema $f failed"
			done
		fi
		# groups, permission sets and subscriber bump the change counter too
		for m in "rs_group_ai 76-pbx-rs_change-triggers.sql groups and permission sets" \
			"subscriber_ai 79-subscriber-rs_change-triggers.sql subscriber"; do
			set -- $m
			if [ -z "$(rs_mysql -N -B -e "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
				WHERE TRIGGER_SCHEMA = '$DB_NAME' AND TRIGGER_NAME = '$1'")" ]; then
				log "adding the change-counter triggers of ${*:3}"
				rs_mysql <"$RS_ROOT/db-schema/$2" || die "schema $2 failed"
			fi
		done
		# a database made before usernames compared exactly
		if [ "$(rs_mysql -N -B -e "SELECT COLLATION_NAME FROM information_schema.COLUMNS
			WHERE TABLE_SCHEMA = '$DB_NAME' AND TABLE_NAME = 'subscriber'
			AND COLUMN_NAME = 'username'")" != utf8mb4_bin ]; then
			log "usernames: binary collation"
			rs_mysql <"$RS_ROOT/db-schema/70-usernames-binary.sql" ||
				die "schema 70-usernames-binary.sql failed"
		fi
		# the columns are all there now: rs_user version 5, rs_device 2 (a
		# database made when columns were added without a version bump, or
		# before 61-incall_services.sql bumped it: its 3 and 4 were 4 and 5)
		rs_mysql -e "UPDATE version SET table_version = '5'
			WHERE table_name = 'rs_user' AND table_version + 0 < 5" ||
			die "cannot update the version of rs_user"
		rs_mysql -e "UPDATE version SET table_version = '2'
			WHERE table_name = 'rs_device' AND table_version = '1'" ||
			die "cannot update the version of rs_device"
		return 0
	fi
	log "creating database $DB_NAME"
	mysql --no-defaults -S "$DB_SOCK" -u root <<SQL
CREATE DATABASE IF NOT EXISTS $DB_NAME;
CREATE USER IF NOT EXISTS 'ringset'@'localhost' IDENTIFIED BY 'ringset';
GRANT ALL ON $DB_NAME.* TO 'ringset'@'localhost';
SQL
	local f
	for f in standard auth_db registrar usrloc acc dialog dialplan \
		permissions presence; do
		rs_mysql </usr/share/kamailio/mysql/$f-create.sql ||
			die "stock schema $f failed"
	done
	for f in "$RS_ROOT"/db-schema/[0-9][0-9]-*.sql; do
		rs_mysql <"$f" || die "schema $f failed"
	done
}

# PROV_NET as address and mask: "10.1.0.0/16", or one address ("/32")
prov_net_addr() { echo "${PROV_NET%%/*}"; }
prov_net_mask() {
	case "$PROV_NET" in */*) echo "${PROV_NET##*/}" ;; *) echo 32 ;; esac
}

prov_net_check() {
	[[ "$(prov_net_addr)" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] &&
		[[ "$(prov_net_mask)" =~ ^[0-9]{1,2}$ ]] && [ "$(prov_net_mask)" -le 32 ] ||
		die "PROV_NET must be an IPv4 network like 127.0.0.0/8, not '$PROV_NET'"
}

# the gateway and the media server are trusted SIP peers by address and
# port; the provisioning network may fetch phone configurations; the media
# server's host may call JSON-RPC; the Ringset nodes alone may send DMQ
# (permissions address groups 1, 2, 3, 4, 5). A file, written from the
# settings before every start, so that a start without the database trusts
# them too (kamailio.cfg TRUSTED_FILE)
trusted_file() { echo "$VAR_DIR/trusted-peers.list"; }
db_trust() {
	prov_net_check
	local f
	f=$(trusted_file)
	cat >"$f.tmp" <<TXT
# group address mask port tag (tools/stack.sh writes this file)
1 $(rs_uri_host "$GATEWAY_URI") 32 $(rs_uri_port "$GATEWAY_URI") gateway
2 $(rs_uri_host "$MEDIA_URI") 32 $(rs_uri_port "$MEDIA_URI") media
3 $(prov_net_addr) $(prov_net_mask) 0 provisioning
4 $(rs_uri_host "$MEDIA_URI") 32 0 media-http
5 $SIP_ADDR 32 0 ringset-nodes
TXT
	# TRUSTED_EXTRA: more lines of the same form (other nodes' hosts, a
	# second gateway), one per line
	[ -z "${TRUSTED_EXTRA:-}" ] || printf '%s\n' "$TRUSTED_EXTRA" >>"$f.tmp"
	mv -f "$f.tmp" "$f"
}

# what a start without the database reads (kamailio.cfg WITH_DB_AWAY):
# userdev writes its directory (userdir.snap) at every load; this writes,
# at every start with the database, the db_text copies of the tables the
# other modules read at start (dialplan's rules, the version rows)
snap_dir() { echo "$NODE_DIR/snapshot"; }
db_text_col() { echo "REPLACE(REPLACE(REPLACE(IFNULL($1, ''), '\\\\', '\\\\\\\\'), ':', '\\\\:'), '\\n', '\\\\n')"; }
snap_write() {
	local sock=$1 d t=/usr/share/kamailio/dbtext/kamailio
	d=$(snap_dir)/dbtext
	mkdir -p "$d"
	# the dialplan rules, in db_text's format (':' separated, escaped)
	{
		head -n 1 "$t/dialplan"
		mysql --no-defaults -S "$sock" -u root "$DB_NAME" -N -B -r -e "SELECT CONCAT_WS(':', id, dpid, pr, match_op,
			$(db_text_col match_exp), match_len, $(db_text_col subst_exp),
			$(db_text_col repl_exp), $(db_text_col attrs)) FROM dialplan ORDER BY id"
	} >"$d/dialplan.tmp" && mv -f "$d/dialplan.tmp" "$d/dialplan" ||
		{ log "cannot write the dialplan snapshot"; rm -f "$d/dialplan.tmp"; return 1; }
	# pua's table (db_mode 0 reads none) and auth_db's (empty: the phones
	# authenticate from the directory snapshot's credentials)
	cp "$t/version" "$t/pua" "$t/subscriber" "$d/"
}

# the database answers on the socket SOCK (a DBURL elsewhere is taken to
# answer unless RS_DB_AWAY=1 says otherwise)
db_reachable() {
	[ "${RS_DB_AWAY:-0}" = 1 ] && return 1
	private_db || return 0
	timeout 5 mariadb-admin --no-defaults -S "$1" -u root ping >/dev/null 2>&1
}

db_stop() {
	private_db || return 0
	stop_pid "$VAR_DIR/mariadb.pid" MariaDB
}

rtp_start() {
	kill_stale "$VAR_DIR/rtpengine.pid" RTPengine rtp_ping
	pid_alive "$VAR_DIR/rtpengine.pid" && return 0
	local ng=${RTPENGINE_NG#udp:}
	# a media port on one of Kamailio's would take its packets (env.sh)
	[ "$RTP_ADDR" = "$SIP_ADDR" ] &&
		rs_overlap "$RTP_MIN" "$RTP_MAX" "$RS_BAND_MIN" "$RS_BAND_MAX" &&
		die "RTP_MIN-RTP_MAX ($RTP_MIN-$RTP_MAX) overlaps this instance's SIP ports ($RS_BAND_MIN-$RS_BAND_MAX): RTPengine would take Kamailio's packets"
	setsid rtpengine --foreground --log-stderr --table=-1 \
		--interface="$RTP_ADDR" --listen-ng="$ng" --listen-cli="127.0.0.1:$RTP_CLI" \
		--port-min="$RTP_MIN" --port-max="$RTP_MAX" \
		--pidfile="$VAR_DIR/rtpengine.pid" --log-level=5 --config-file=none \
		--delete-delay=0 --num-threads=2 \
		</dev/null >"$VAR_DIR/rtpengine.log" 2>&1 &
	# ready when it answers an ng ping
	wait_for 20 rtp_ping || die "RTPengine did not start, see $VAR_DIR/rtpengine.log"
}

rtp_ping() {
	timeout 3 rtpengine-ctl -ip 127.0.0.1 -port "$RTP_CLI" list numsessions | grep -q sessions
}

rtp_stop() { stop_pid "$VAR_DIR/rtpengine.pid" RTPengine; }

# the media server: ringset-media on MEDIA_URI's address, ready when it has
# written its pid file (prompts loaded, SIP bound); MEDIA_SERVER=external
# starts none
media_start() {
	if [ "$MEDIA_SERVER" != builtin ]; then
		log "MEDIA_SERVER=$MEDIA_SERVER: no media server started, $MEDIA_URI answers"
		return 0
	fi
	pid_alive "$VAR_DIR/media.pid" && return 0
	[ -x "$MEDIA_BIN" ] || die "media server not built ($MEDIA_BIN): run make"
	mkdir -p "$VAR_DIR/voicemail"
	rm -f "$VAR_DIR/media.pid"
	# MEDIA_RT_PRIO: real-time (SCHED_FIFO) priority for the RTP pacing on
	# a busy machine, as media servers are run
	setsid ${MEDIA_RT_PRIO:+chrt -f "$MEDIA_RT_PRIO"} \
		"$MEDIA_BIN" -l "$(rs_uri_host "$MEDIA_URI"):$(rs_uri_port "$MEDIA_URI")" \
		-r "$SIP_ADDR:$SIP_PORT" -d "$SIP_DOMAIN" \
		-j "http://$SIP_ADDR:$PROV_PORT/RPC" -p "$PROMPTS_DIR" \
		-v "$VAR_DIR/voicemail" -R "$MEDIA_RTP_MIN-$MEDIA_RTP_MAX" \
		-b "$DBURL" -S "$DB_SOCK" -L "$MEDIA_REC_MAX" -Z "$MEDIA_REC_SILENCE" \
		-P "$VAR_DIR/media.pid" ${MEDIA_ARGS:-} \
		</dev/null >>"$VAR_DIR/media.log" 2>&1 &
	local launcher=$! end=$((SECONDS + 20))
	# ready: the pid file is there; a process that died will not write it
	until [ -s "$VAR_DIR/media.pid" ]; do
		if ! kill -0 $launcher 2>/dev/null || [ $SECONDS -ge $end ]; then
			tail -n 5 "$VAR_DIR/media.log" >&2
			die "the media server did not start, see $VAR_DIR/media.log"
		fi
		sleep 0.05
	done
}

media_stop() { stop_pid "$VAR_DIR/media.pid" "media server"; }

# the -A defines of node $NODE (rs_node), NUL-separated
kam_defines() {
	local db=$DBURL
	printf -- '-A\0SIP_PORT=%s\0-A\0SIP_ADDR=%s\0-A\0SIP_DOMAIN=%s\0' \
		"$NODE_SIP_PORT" "$SIP_ADDR" "$SIP_DOMAIN"
	printf -- '-A\0SIP_DOMAIN_S="%s"\0' "$SIP_DOMAIN"
	printf -- '-A\0DBURL="%s"\0-A\0RTPENGINE_NG="%s"\0' "$db" "$RTPENGINE_NG"
	printf -- '-A\0MEDIA_URI="%s"\0-A\0GATEWAY_URI="%s"\0' "$MEDIA_URI" "$GATEWAY_URI"
	printf -- '-A\0PROV_PORT=%s\0' "$NODE_PROV_PORT"
	printf -- '-A\0TRUSTED_FILE="%s"\0-A\0USERDIR_SNAP="%s"\0' \
		"$(trusted_file)" "$(snap_dir)/userdir.snap"
	printf -- '-A\0SNAP_DBTEXT="text://%s"\0' "$(snap_dir)/dbtext"
	[ "${KAM_DB_AWAY:-0}" = 1 ] && printf -- '-A\0WITH_DB_AWAY\0'
	printf -- '-A\0SIP_SERVER_S="%s:%s"\0' "$SIP_ADDR" "$NODE_SIP_PORT"
	# Ringset's own SIP URI: pua sends its PUBLISHes there, presence names
	# itself with it
	printf -- '-A\0SELF_URI="sip:%s:%s"\0' "$SIP_ADDR" "$NODE_SIP_PORT"
	if [ "$NODES" -gt 1 ]; then
		# DMQ: this node's own address, and up to two other nodes it
		# announces itself to at start (they tell it the rest)
		printf -- '-A\0WITH_DMQ\0-A\0DMQ_PORT=%s\0' "$NODE_DMQ_PORT"
		printf -- '-A\0DMQ_SERVER="sip:%s:%s"\0' "$SIP_ADDR" "$NODE_DMQ_PORT"
		local k n=0 port
		for k in $(seq 1 "$NODES"); do
			[ "$k" -eq "$NODE" ] && continue
			n=$((n + 1))
			port=$((SIP_PORT + NODE_STEP * (k - 1) + DMQ_OFFSET))
			if [ $n -eq 1 ]; then
				printf -- '-A\0DMQ_NOTIFY="sip:%s:%s"\0' "$SIP_ADDR" "$port"
			else
				printf -- '-A\0DMQ_NOTIFY2="sip:%s:%s"\0' "$SIP_ADDR" "$port"
				break
			fi
		done
	fi
	local d
	for d in ${KAM_EXTRA_DEFINES:-}; do printf -- '-A\0%s\0' "$d"; done
}

# the node numbers an argument names: K, or every node
node_list() {
	if [ -n "${1:-}" ]; then
		[[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] || die "bad node number '$1'"
		echo "$1"
	else
		seq 1 "$NODES"
	fi
}

# ul_dump_sql: usrloc's ul.dump (kamcmd's text) on stdin, one REPLACE into
# location per live contact on stdout, the row usrloc's write-back makes;
# a row of the same user and contact from before the outage (another ruid)
# goes first, or usrloc would load that binding twice
ul_dump_sql() {
	awk '
		function q(v) { gsub(/\\/, "\\\\", v); gsub(/\047/, "\\\047", v); return "\047" v "\047" }
		function qn(v) { return v == "" ? "NULL" : q(v) }
		{ sub(/^[ \t]+/, "") }
		/^AoR: / { aor = substr($0, 6); next }
		/^[A-Za-z-]+: / || /^[A-Za-z-]+:$/ {
			k = $0; sub(/:.*/, "", k); v = $0; sub(/^[A-Za-z-]+: ?/, "", v)
			c[k] = (v == "[not set]" ? "" : v)
			if (k != "Last-Modified") next
			if (c["Expires"] !~ /^[0-9]+$/ || aor == "" || c["Ruid"] == "") { delete c; next }
			printf "DELETE FROM location WHERE username = %s AND contact = %s;\n", q(aor), q(c["Address"])
			printf "REPLACE INTO location (ruid, username, contact, received, path, expires, q, callid, cseq, last_modified, flags, cflags, user_agent, socket, methods, instance, reg_id, server_id, connection_id, keepalive) VALUES (%s, %s, %s, %s, %s, FROM_UNIXTIME(UNIX_TIMESTAMP() + %d), %s, %s, %d, FROM_UNIXTIME(%d), %d, %d, %s, %s, %s, %s, %d, %d, %d, %d);\n",
				q(c["Ruid"]), q(aor), q(c["Address"]), qn(c["Received"]), qn(c["Path"]), c["Expires"],
				c["Q"] + 0, q(c["Call-ID"]), c["CSeq"], c["Last-Modified"], c["Flags"], c["CFlags"],
				q(c["User-Agent"]), qn(c["Socket"]), c["Methods"] ~ /^-?[0-9]+$/ ? c["Methods"] : "NULL",
				qn(c["Instance"]), c["Reg-Id"], c["Server-Id"], c["Tcpconn-Id"], c["Keepalive"]
			delete c
		}'
}

# A Kamailio started without its database (kamailio.cfg WITH_DB_AWAY)
# keeps its registrations, dialogs and presence in memory and authenticates
# from the snapshot until its next start: auth_db, usrloc and dialog open
# their connection at start only. Once the database answers, a start
# (make run, stack.sh kam-start) writes its registrations into location
# (usrloc reads them back when it starts) and starts it again with the
# database. Dialogs and subscriptions of the outage are not carried over.
kam_rejoin() {
	local sock=$1 name=$2 n
	log "$name ($(cat "$NODE_DIR/kamailio.pid")) runs without its database, which answers now: its registrations go to location and it starts again with the database"
	$NODE_KAMCMD ul.dump >"$NODE_DIR/ul.dump" 2>&1 || die "ul.dump failed: $(head -c 300 "$NODE_DIR/ul.dump")"
	ul_dump_sql <"$NODE_DIR/ul.dump" >"$NODE_DIR/ul-rejoin.sql"
	n=$(grep -c '^REPLACE' "$NODE_DIR/ul-rejoin.sql")
	mysql --no-defaults -S "$sock" -u root "$DB_NAME" <"$NODE_DIR/ul-rejoin.sql" ||
		die "the registrations could not be written to location (see $NODE_DIR/ul-rejoin.sql)"
	log "$n registrations written to location"
	stop_pid "$NODE_DIR/kamailio.pid" "$name"
}

kam_start_node() {
	rs_node "$1"
	mkdir -p "$NODE_DIR"
	local ping="timeout 3 $NODE_KAMCMD core.version" name=Kamailio
	[ "$NODE" -eq 1 ] || name="Kamailio node $NODE"
	kill_stale "$NODE_DIR/kamailio.pid" "$name" $ping
	# NODE_DB_SOCKS="sock1 sock2 ...": node k's database socket (one node
	# of a Galera cluster each, tools/galera.sh), else DB_SOCK for all
	local sock=$DB_SOCK
	if [ -n "${NODE_DB_SOCKS:-}" ]; then
		sock=$(echo $NODE_DB_SOCKS | cut -d' ' -f"$NODE")
		[ -n "$sock" ] || sock=$DB_SOCK
	fi
	if pid_alive "$NODE_DIR/kamailio.pid"; then
		private_db && [ -f "$NODE_DIR/kamailio.db-away" ] && db_reachable "$sock" || return 0
		kam_rejoin "$sock" "$name"
	fi
	[ -f "$RS_MODULES_DIR/userdev.so" ] || die "modules not built: run make"
	db_trust
	mkdir -p "$(snap_dir)"
	KAM_DB_AWAY=0
	if db_reachable "$sock"; then
		snap_write "$sock" || true
	elif [ -s "$(snap_dir)/userdir.snap" ] && [ -s "$(snap_dir)/dbtext/dialplan" ]; then
		log "the database does not answer: $name starts from the snapshot in $(snap_dir)"
		KAM_DB_AWAY=1
	else
		die "the database does not answer and $(snap_dir) holds no snapshot: $name cannot start"
	fi
	# the mode it runs in, for the start after this one (kam_rejoin)
	if [ "$KAM_DB_AWAY" = 1 ]; then
		touch "$NODE_DIR/kamailio.db-away"
	else
		rm -f "$NODE_DIR/kamailio.db-away"
	fi
	local args=()
	mapfile -d '' args < <(kam_defines)
	# KAM_WRAP: a command Kamailio runs under (the bench's callgrind mode:
	# "valgrind --tool=callgrind ..."), on the nodes KAM_WRAP_NODES lists
	# ("1": node 1 only; default every node); KAM_START_WAIT: how long it
	# may take to answer (s)
	local wrap=${KAM_WRAP:-}
	[ -z "${KAM_WRAP_NODES:-}" ] || [[ " $KAM_WRAP_NODES " == *" $NODE "* ]] || wrap=
	LD_PRELOAD=$KAM_PRELOAD \
		ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1:log_path=$NODE_DIR/asan} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:log_path=$NODE_DIR/asan} \
		MYSQL_UNIX_PORT=$sock setsid $wrap kamailio -f "$KAM_CFG" -L "$KAM_MODULES" \
		-Y "$NODE_DIR" -P "$NODE_DIR/kamailio.pid" -DD -E -a no \
		-m "$SHM_MB" -M "$PKG_MB" -x "$MEM_MANAGER" \
		"${args[@]}" </dev/null >>"$NODE_DIR/kamailio.log" 2>&1 &
	local launcher=$!
	if ! wait_for "${KAM_START_WAIT:-60}" $ping; then
		kill -0 $launcher 2>/dev/null || log "kamailio (node $NODE) exited:"
		tail -n 30 "$NODE_DIR/kamailio.log" >&2
		die "Kamailio node $NODE did not start, see $NODE_DIR/kamailio.log"
	fi
}

kam_start() {
	local k
	for k in $(node_list "${1:-}"); do kam_start_node "$k"; done
}

kam_check() {
	local args=()
	rs_node 1
	mapfile -d '' args < <(kam_defines)
	MYSQL_UNIX_PORT=$DB_SOCK kamailio -c -f "$KAM_CFG" -L "$KAM_MODULES" \
		"${args[@]}" 2>&1
}

# every node that has a pid file, also beyond NODES (a smaller restart)
kam_stop() {
	local k pf
	if [ -n "${1:-}" ]; then
		rs_node "$(node_list "$1")"
		stop_pid "$NODE_DIR/kamailio.pid" "Kamailio node $NODE"
		return 0
	fi
	for pf in "$VAR_DIR"/node*/kamailio.pid; do
		[ -f "$pf" ] && stop_pid "$pf" "Kamailio ${pf%/kamailio.pid}"
	done
	stop_pid "$VAR_DIR/kamailio.pid" Kamailio
}

node_lines() {
	local k
	for k in $(seq 1 "$NODES"); do
		rs_node "$k"
		echo "  node $k     SIP udp+tcp $SIP_ADDR:$NODE_SIP_PORT  HTTP $NODE_PROV_PORT$([ "$NODES" -gt 1 ] && echo "  DMQ $NODE_DMQ_PORT")  kamcmd $NODE_KAMCMD <command>"
	done
}

case "${1:-}" in
start)
	mkdir -p "$VAR_DIR"
	db_start
	db_init
	db_trust
	rtp_start
	kam_start
	media_start
	cat <<TXT
Ringset is running (VAR_DIR=$VAR_DIR), $NODES Kamailio node(s), domain $SIP_DOMAIN:
$(node_lines)
  MariaDB    $(private_db && echo "socket $DB_SOCK (mysql -S $DB_SOCK -u root $DB_NAME)" || echo "$DBURL")
  RTPengine  ng $RTPENGINE_NG, media ports $RTP_ADDR:$RTP_MIN-$RTP_MAX
  media      $MEDIA_URI ($([ "$MEDIA_SERVER" = builtin ] && echo "ringset-media, prompts $PROMPTS_DIR" || echo external))   gateway $GATEWAY_URI
  HTTP       http://$SIP_ADDR:<node HTTP port>/provision/{snom/<mac>.xml,yealink/<mac>.cfg} for $PROV_NET, /RPC for the media server
  kamcmd     node 1: make kamcmd ARGS="..."
  logs       $VAR_DIR/*.log$([ "$NODES" -gt 1 ] && echo ", $VAR_DIR/node<k>/kamailio.log")
Stop it with: make stop
TXT
	;;
stop)
	media_stop
	kam_stop
	rtp_stop
	db_stop
	;;
status)
	for p in mariadb:db rtpengine:rtp kamailio:kam media:media; do
		pf=$VAR_DIR/${p%:*}.pid
		if ${p#*:}_alive >/dev/null 2>&1; then
			echo "${p%:*}: running, pid $(cat "$pf")"
		elif pid_alive "$pf"; then
			echo "${p%:*}: not answering, pid $(cat "$pf")"
		elif [ -f "$pf" ]; then
			echo "${p%:*}: dead (pid $(cat "$pf")$(n=$(session_pids "$(cat "$pf")" | wc -l); [ "$n" = 0 ] || echo ", $n of its processes left")); start starts it again"
		else
			echo "${p%:*}: stopped"
		fi
	done
	for pf in "$VAR_DIR"/node*/kamailio.pid; do
		[ -f "$pf" ] || continue
		n=${pf%/kamailio.pid}
		if pid_alive "$pf"; then
			echo "kamailio ${n##*/}: running, pid $(cat "$pf")"
		else
			echo "kamailio ${n##*/}: stopped"
		fi
	done
	;;
db-start) mkdir -p "$VAR_DIR"; db_start ;;
db-init) db_init; db_trust ;;
db-stop) db_stop ;;
rtp-start) mkdir -p "$VAR_DIR"; rtp_start ;;
rtp-stop) rtp_stop ;;
kam-start) mkdir -p "$VAR_DIR"; kam_start "${2:-}" ;;
kam-stop) kam_stop "${2:-}" ;;
kam-check) kam_check ;;
media-start) mkdir -p "$VAR_DIR"; media_start ;;
media-stop) media_stop ;;
*) die "usage: stack.sh start|stop|status|db-start|db-init|db-stop|rtp-start|rtp-stop|kam-start [K]|kam-stop [K]|kam-check|media-start|media-stop" ;;
esac
