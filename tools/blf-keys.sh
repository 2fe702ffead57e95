#!/usr/bin/env bash
# Ringset: the BLF key lines a phone needs for a Fork2Mobile key (README
# "Fork2Mobile and feature codes"): the key watches sip:forkm<ext>@<domain>
# (lit while Fork2Mobile is on) and, pressed, dials forkm<ext>, which
# toggles it. The same for the forward (cfwd<ext>) and do-not-disturb
# (dnd<ext>) lamps (README "Forwarding and do-not-disturb").
#
#   tools/blf-keys.sh [-d domain] [-k key] [-l label] [-w | -f | -n] <ext>
#     -d  SIP domain (default $SIP_DOMAIN or pbx.local)
#     -k  key number: Snom fkey index (from 0), Yealink memorykey (from 1);
#         default 1
#     -l  label on the key (default "Mobile <ext>", "Forward <ext>", "DND <ext>")
#     -w  watch the user or group <ext> itself (BLF of its calls) instead
#     -f  the forward lamp cfwd<ext> (lit while forwarded; pressed: off)
#     -n  the do-not-disturb lamp dnd<ext> (lit while on; pressed: toggle)
#
# Snom: the <fkey> element of the XML settings (<functionKeys>), value
# "blf <uri>". Yealink: memorykey.N.* with type 16 (BLF), value = the user
# part, line 1.
set -euo pipefail

domain=${SIP_DOMAIN:-pbx.local}
key=1
label=
watch_user=0
usage() { sed -n '5,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
lamp=forkm
while getopts "d:k:l:wfnh" o; do
	case $o in
		d) domain=$OPTARG ;;
		k) key=$OPTARG ;;
		l) label=$OPTARG ;;
		w) watch_user=1 ;;
		f) lamp=cfwd ;;
		n) lamp=dnd ;;
		*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
ext=$1
[[ $ext =~ ^[0-9A-Za-z*#+._-]{1,32}$ ]] ||
	{ echo "blf-keys: bad extension '$ext'" >&2; exit 2; }
[[ $key =~ ^[0-9]{1,3}$ ]] && [ "$key" -ge 1 ] ||
	{ echo "blf-keys: key must be a number >= 1" >&2; exit 2; }
[[ $domain =~ ^[0-9A-Za-z.-]+$ ]] || { echo "blf-keys: bad domain '$domain'" >&2; exit 2; }

if [ $watch_user = 1 ]; then
	user=$ext
	: "${label:=$ext}"
else
	user=$lamp$ext
	case $lamp in
		forkm) : "${label:=Mobile $ext}" ;;
		cfwd) : "${label:=Forward $ext}" ;;
		dnd) : "${label:=DND $ext}" ;;
	esac
fi
# XML text: escape what the label may hold
xlabel=$(printf '%s' "$label" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')

echo "# Snom (settings XML, inside <functionKeys>)"
printf '<fkey idx="%d" context="active" label="%s" perm="">blf sip:%s@%s</fkey>\n' \
	$((key - 1)) "$xlabel" "$user" "$domain"
echo "# Yealink (.cfg)"
printf 'memorykey.%d.line = 1\n' "$key"
printf 'memorykey.%d.type = 16\n' "$key"
printf 'memorykey.%d.value = %s\n' "$key" "$user"
printf 'memorykey.%d.label = %s\n' "$key" "$label"
printf 'memorykey.%d.extension = %s\n' "$key" "$user"
