# Ringset: settings of one instance, from the environment (README "Running it").
# Sourced by tools/stack.sh and the tests. Every port not given derives from
# SIP_PORT, so instances with other SIP_PORT and VAR_DIR run side by side.
RS_ROOT=${RS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
RS_BUILD=${RS_BUILD:-$RS_ROOT/build}
SIP_PORT=${SIP_PORT:-5060}
SIP_ADDR=${SIP_ADDR:-127.0.0.1}
SIP_DOMAIN=${SIP_DOMAIN:-pbx.local}
VAR_DIR=${VAR_DIR:-var}
case "$VAR_DIR" in /*) ;; *) VAR_DIR=$RS_ROOT/$VAR_DIR ;; esac
DB_SOCK=$VAR_DIR/mysql.sock
DB_NAME=${DB_NAME:-ringset}
DBURL_DEFAULT="mysql://ringset:ringset@localhost/$DB_NAME"
DBURL=${DBURL:-$DBURL_DEFAULT}
PROV_PORT=${PROV_PORT:-$((SIP_PORT + 3020))}
PROV_NET=${PROV_NET:-127.0.0.0/8}
RTPENGINE_NG=${RTPENGINE_NG:-udp:127.0.0.1:$((SIP_PORT + 3010))}
RTP_CLI=${RTP_CLI:-$((SIP_PORT + 3011))}
MEDIA_URI=${MEDIA_URI:-sip:127.0.0.3:$((SIP_PORT + 40))}
GATEWAY_URI=${GATEWAY_URI:-sip:127.0.0.4:$((SIP_PORT + 50))}
# the media server (README "The media server", "Running it"): builtin = ringset-media on the
# host and port of MEDIA_URI; external = whatever answers there
MEDIA_SERVER=${MEDIA_SERVER:-builtin}
PROMPT_LANG=${PROMPT_LANG:-en}
PROMPTS_DIR=${PROMPTS_DIR:-$RS_BUILD/prompts/$PROMPT_LANG}
MEDIA_BIN=${MEDIA_BIN:-$RS_BUILD/media/ringset-media}
MEDIA_RTP_MIN=${MEDIA_RTP_MIN:-$((40000 + (SIP_PORT % 10) * 2000))}
MEDIA_RTP_MAX=${MEDIA_RTP_MAX:-$((MEDIA_RTP_MIN + 1999))}
# voicemail: the longest message and the silence that ends one, s
MEDIA_REC_MAX=${MEDIA_REC_MAX:-120}
MEDIA_REC_SILENCE=${MEDIA_REC_SILENCE:-10}
KAM_CFG=${KAM_CFG:-$RS_ROOT/kamailio.cfg}
# Kamailio's shared and per-process memory, MB: every ringing call holds
# its transaction and dialog in shm for a while after it ends
SHM_MB=${SHM_MB:-256}
PKG_MB=${PKG_MB:-16}
# tlsf: shm allocation was a third of the call path's time with q_malloc
# (perf, tests/bench/README.md)
MEM_MANAGER=${MEM_MANAGER:-tlsf}
# RS_ASAN=1 (make test-asan): our modules built with ASan/UBSan, kamailio
# started with libasan preloaded; reports go to VAR_DIR/asan.<pid>
if [ "${RS_ASAN:-0}" = 1 ]; then
	RS_MODULES_DIR=$RS_BUILD/asan/modules
	KAM_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
else
	RS_MODULES_DIR=$RS_BUILD/modules
	KAM_PRELOAD=
fi
KAM_MODULES=/usr/lib/x86_64-linux-gnu/kamailio/modules:$RS_MODULES_DIR
KAMCMD="kamcmd -s unix:$VAR_DIR/kamailio_ctl"
# several Kamailio nodes on one database (README "Several nodes"): node k takes
# SIP_PORT + 100*(k-1), and every port derived from it moves with it; node
# 1 keeps its files in VAR_DIR, node k in VAR_DIR/node<k>. DMQ (replication
# between the nodes) listens on the node's SIP_PORT + 5.
NODES=${NODES:-1}
NODE_STEP=100
DMQ_OFFSET=5

# the ports this instance binds on SIP_ADDR: SIP_PORT (each node's, its DMQ
# port) up to the tests' phones, sipp control ports and RTPengine's own
# control, SIP_PORT + 3099
RS_BAND_MIN=$SIP_PORT
RS_BAND_MAX=$((SIP_PORT + 3099 + NODE_STEP * (NODES - 1)))
# RTPengine's media ports, 100 of them: 20000 + (SIP_PORT % 400) * 100, so
# instances side by side get their own; never in this instance's own band.
# RTPengine binds each media port with SO_REUSEADDR, as Kamailio binds its
# SIP port, so Linux lets both hold one port and gives its packets to the
# later bind: with SIP_PORT 26060 the range was 26000-26099, and a call
# that drew 26060 took every reply the gateway sent to Kamailio until the
# port was freed (t10_groups' flake). Such a range takes the slot 200
# further (20000 ports away).
rs_overlap() { [ "$1" -le "$4" ] && [ "$3" -le "$2" ]; }
# the address RTPengine's media ports are on (its --interface); the tests
# give each instance one of its own (tests/e2e/lib.sh), so that no media
# port can take a SIP port of any instance on the machine
RTP_ADDR=${RTP_ADDR:-$SIP_ADDR}
if [ -z "${RTP_MIN:-}" ]; then
	RTP_MIN=$((20000 + (SIP_PORT % 400) * 100))
	if rs_overlap "$RTP_MIN" $((RTP_MIN + 99)) "$RS_BAND_MIN" "$RS_BAND_MAX"; then
		RTP_MIN=$((20000 + ((SIP_PORT % 400 + 200) % 400) * 100))
	fi
fi
RTP_MAX=${RTP_MAX:-$((RTP_MIN + 99))}

# rs_node K: the settings of node K (NODE, NODE_SIP_PORT, NODE_PROV_PORT,
# NODE_DMQ_PORT, NODE_DIR, NODE_KAMCMD)
rs_node() {
	NODE=$1
	NODE_SIP_PORT=$((SIP_PORT + NODE_STEP * (NODE - 1)))
	NODE_PROV_PORT=$((${PROV_PORT:-$((SIP_PORT + 3020))} + NODE_STEP * (NODE - 1)))
	NODE_DMQ_PORT=$((NODE_SIP_PORT + DMQ_OFFSET))
	if [ "$NODE" -eq 1 ]; then NODE_DIR=$VAR_DIR; else NODE_DIR=$VAR_DIR/node$NODE; fi
	NODE_KAMCMD="kamcmd -s unix:$NODE_DIR/kamailio_ctl"
}
# a liveness check of Kamailio: kamcmd waits forever on a hung instance
KAM_PING="timeout 3 $KAMCMD core.version"

# host part of a sip: URI
rs_uri_host() { local h=${1#sip:}; h=${h#*@}; echo "${h%%[:;]*}"; }
rs_uri_port() {
	local h=${1#sip:}; h=${h#*@}; h=${h%%;*}
	case "$h" in *:*) echo "${h##*:}" ;; *) echo 5060 ;; esac
}

rs_mysql() { mysql --no-defaults -S "$DB_SOCK" -u root "$DB_NAME" "$@"; }

export SIP_PORT SIP_ADDR RTP_ADDR SIP_DOMAIN VAR_DIR DBURL PROV_PORT PROV_NET \
	RTPENGINE_NG MEDIA_URI GATEWAY_URI MEDIA_SERVER PROMPT_LANG PROMPTS_DIR NODES
