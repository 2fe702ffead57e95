#!/usr/bin/env bash
# Ringset: install what is missing on a Debian bookworm machine, fetch the
# kamailio source that our modules build against, and configure it.
# Idempotent: a second run costs a few dpkg queries.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
KVER=5.6.3
KDEB=5.6.3-2
KSRC=$BUILD/kamailio-$KVER

PKGS="kamailio kamailio-mysql-modules kamailio-presence-modules
	kamailio-extra-modules kamailio-utils-modules kamailio-xml-modules
	mariadb-server mariadb-client rtpengine-daemon sip-tester
	libcunit1-dev libxml2-dev libmariadb-dev libmariadb-dev-compat
	dpkg-dev gcc make pkg-config curl valgrind libssl-dev iproute2 procps
	rtpengine-utils socat python3 libre-dev librem-dev espeak-ng sox"

say() { echo "deps: $*"; }

sudo_run() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

updated=0
apt_update() {
	[ $updated -eq 1 ] && return 0
	say "apt-get update"
	sudo_run apt-get update -qq
	updated=1
}

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	apt_update
	say "installing$missing"
	# keep package scripts from starting system-wide daemons we do not use
	policy=/usr/sbin/policy-rc.d
	made_policy=0
	if [ ! -e $policy ]; then
		printf '#!/bin/sh\nexit 101\n' | sudo_run tee $policy >/dev/null
		sudo_run chmod 755 $policy
		made_policy=1
	fi
	DEBIAN_FRONTEND=noninteractive sudo_run apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
	[ $made_policy -eq 1 ] && sudo_run rm -f $policy
fi

if [ ! -f "$KSRC/src/Makefile.defs" ]; then
	if ! apt-cache showsrc kamailio 2>/dev/null | grep -q "^Version: $KDEB\$"; then
		list=/etc/apt/sources.list.d/ringset-deb-src.sources
		say "adding a deb-src entry ($list)"
		sudo_run tee $list >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		updated=0
		apt_update
	fi
	say "apt-get source kamailio=$KDEB"
	mkdir -p "$BUILD/ksrc-dl"
	(cd "$BUILD/ksrc-dl" && apt-get source -qq "kamailio=$KDEB" >/dev/null)
	rm -rf "$KSRC"
	mv "$BUILD/ksrc-dl/kamailio-$KVER" "$KSRC"
	rm -rf "$BUILD/ksrc-dl"
fi

if [ ! -f "$KSRC/src/config.mak" ]; then
	say "configuring the kamailio tree like Debian's build"
	make -s -C "$KSRC/src" cfg prefix=/usr cfg_target=/etc/kamailio/ \
		FLAVOUR=kamailio \
		CC_EXTRA_OPTS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS) -DVERSION_NODATE" \
		LD_EXTRA_OPTS="$(dpkg-buildflags --get LDFLAGS)" >/dev/null
fi
say "ok"
