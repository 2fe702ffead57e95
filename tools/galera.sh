# Ringset: a two-node Galera cluster plus garbd on loopback, for trying the
# several-nodes set-up (README, Several nodes) and for tests/e2e. Sourced
# after tools/env.sh; the daemons are children of the sourcing shell, their
# PIDs in GALERA_PIDS[1], [2] and [3] (garbd).
#
# Node K keeps its files in VAR_DIR/galera<K> (its socket mysql.sock there);
# VAR_DIR/mysql.sock, what tools/stack.sh and rs_mysql use, is a link to
# node 1's. Ports (TCP, loopback) derive from
# SIP_PORT: group communication SIP_PORT+3030, +3031 (garbd +3032), IST
# +3033, +3034, SST (rsync) +3035, +3036. Debian packages: galera-4,
# galera-arbitrator-4, rsync. The data directories belong to the mysql user
# (the rsync SST runs as that user).

GALERA_PIDS=()
GALERA_PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
GALERA_NAME=${GALERA_NAME:-ringset}

galera_port() { echo $((SIP_PORT + 3030 + $1)); }

galera_dir() { echo "$VAR_DIR/galera$1"; }
galera_sock() { echo "$(galera_dir "$1")/mysql.sock"; }

# nodes not seen for 3 s are suspected, evicted after 6 s
GALERA_EVS="evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S"

galera_ping() { mariadb-admin --no-defaults -S "$(galera_sock "$1")" -u root ping >/dev/null 2>&1; }

# galera_sql K "statement": on database node K
galera_sql() { mysql --no-defaults -S "$(galera_sock "$1")" -u root -N -B "$DB_NAME" -e "$2"; }

# galera_status K VARIABLE: a wsrep status value of node K
galera_status() {
	mysql --no-defaults -S "$(galera_sock "$1")" -u root -N -B \
		-e "SHOW STATUS LIKE '$2'" 2>/dev/null | awk '{ print $2 }'
}

# galera_node K [--wsrep-new-cluster]: starts database node K (1 or 2)
galera_node() {
	local k=$1 dir g ist sst i
	shift
	dir=$(galera_dir "$k")
	g=$(galera_port $((k - 1)))
	ist=$(galera_port $((k + 2)))
	sst=$(galera_port $((k + 4)))
	# its own temporary directory, as tools/stack.sh's private MariaDB
	mkdir -p "$dir/data" "$dir/tmp"
	chown mysql: "$dir" "$dir/data" "$dir/tmp"
	if [ ! -d "$dir/data/mysql" ]; then
		mariadb-install-db --no-defaults --datadir="$dir/data" --user=mysql \
			--tmpdir="$dir/tmp" \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$dir/install.log" 2>&1 || return 1
	fi
	setsid mariadbd --no-defaults --datadir="$dir/data" --user=mysql \
		--tmpdir="$dir/tmp" \
		--socket="$(galera_sock "$k")" --skip-networking \
		--pid-file="$dir/mariadb.pid" --log-error="$dir/mariadb.log" \
		--innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
		--skip-log-bin --binlog-format=ROW --innodb-autoinc-lock-mode=2 \
		--character-set-server=utf8mb4 \
		--wsrep-on=ON --wsrep-provider="$GALERA_PROVIDER" \
		--wsrep-cluster-name="$GALERA_NAME" \
		--wsrep-cluster-address="gcomm://127.0.0.1:$(galera_port 0),127.0.0.1:$(galera_port 1),127.0.0.1:$(galera_port 2)" \
		--wsrep-node-address="127.0.0.1:$g" \
		--wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$ist;$GALERA_EVS" \
		--wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$sst" \
		"$@" </dev/null >/dev/null 2>&1 &
	GALERA_PIDS[$k]=$!
	for i in $(seq 1 600); do
		galera_ping "$k" && [ "$(galera_status "$k" wsrep_ready)" = ON ] && return 0
		kill -0 "${GALERA_PIDS[$k]}" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

galera_garbd() {
	setsid garbd --address "gcomm://127.0.0.1:$(galera_port 0),127.0.0.1:$(galera_port 1)" \
		--group "$GALERA_NAME" \
		--options "gmcast.listen_addr=tcp://127.0.0.1:$(galera_port 2);$GALERA_EVS" \
		--log "$VAR_DIR/garbd.log" </dev/null >/dev/null 2>&1 &
	GALERA_PIDS[3]=$!
}

# galera_size K N SECS: until node K sees a cluster of N members
galera_size() {
	local end=$((SECONDS + $3))
	until [ "$(galera_status "$1" wsrep_cluster_size)" = "$2" ]; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# the cluster: node 1 founds it, node 2 joins (SST), garbd is the third vote
galera_start() {
	mkdir -p "$VAR_DIR"
	chmod 755 "$VAR_DIR"
	galera_node 1 --wsrep-new-cluster || return 1
	ln -sfn "$(galera_sock 1)" "$VAR_DIR/mysql.sock"
	galera_node 2 || return 1
	galera_garbd
	galera_size 1 3 30
}

# galera_kill K: SIGKILL to database node K
galera_kill() {
	kill -KILL "${GALERA_PIDS[$1]}" 2>/dev/null
	wait "${GALERA_PIDS[$1]}" 2>/dev/null
	return 0
}

galera_stop() {
	local k
	for k in 3 2 1; do
		[ -n "${GALERA_PIDS[$k]:-}" ] || continue
		kill -TERM "${GALERA_PIDS[$k]}" 2>/dev/null
	done
	for k in 3 2 1; do
		[ -n "${GALERA_PIDS[$k]:-}" ] || continue
		wait "${GALERA_PIDS[$k]}" 2>/dev/null
	done
	return 0
}
