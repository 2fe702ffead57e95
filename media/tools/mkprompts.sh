#!/usr/bin/env bash
# Ringset media server: make the prompt WAV files (8 kHz, mono, 16-bit) of
# one language from media/prompts/<lang>.txt with espeak-ng and sox.
#   mkprompts.sh <lang> <out dir>
set -euo pipefail
lang=$1 out=$2
src=$(cd "$(dirname "$0")/.." && pwd)/prompts/$lang.txt
[ -f "$src" ] || { echo "mkprompts: no prompt texts for '$lang' ($src)" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS='|' read -r name text; do
	case "$name" in '' | '#'*) continue ;; esac
	if [ "${text:0:1}" = '!' ]; then
		# shellcheck disable=SC2086 # the synth arguments are words
		sox -q -n -r 8000 -c 1 -b 16 "$tmp/$name.wav" ${text:1}
	else
		espeak-ng -v "$lang" -s 160 -w "$tmp/raw.wav" "$text"
		sox -q "$tmp/raw.wav" -r 8000 -c 1 -b 16 "$tmp/$name.wav"
	fi
	mv "$tmp/$name.wav" "$out/$name.wav"
done <"$src"
