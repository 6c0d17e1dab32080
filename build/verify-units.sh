#!/usr/bin/env bash
# Checks skaerm's systemd units with `systemd-analyze verify` and prints the
# exposure score of skaerm.service from `systemd-analyze security --offline`.
#
#   build/verify-units.sh [UNIT_DIR]     (default: systemd/ in the repository)
#
# verify also checks that every ExecStart= program exists. The programs the
# package installs (/usr/bin/skaerm...) and the X server are usually not
# installed on the build machine, so the units are checked as copies in which
# each missing program is replaced by an executable stand-in; each
# replacement is printed. Fails on any message from verify, and when the
# exposure of skaerm.service is above MAX_EXPOSURE (default 2.0).
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"

dir="${1:-$SKAERM_ROOT/systemd}"
max="${MAX_EXPOSURE:-2.0}"
command -v systemd-analyze >/dev/null 2>&1 || die "systemd-analyze not found: apt-get install systemd"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/units" "$work/stubs"

shopt -s nullglob
units=("$dir"/*.service "$dir"/*.target)
[ "${#units[@]}" -gt 0 ] || die "no units in $dir"
for u in "${units[@]}"; do
	out="$work/units/$(basename "$u")"
	cp "$u" "$out"
	# The program of each Exec*= line: its first word, without the prefixes
	# systemd allows (-, @, :, +, !).
	while read -r prog; do
		[ -n "$prog" ] || continue
		if [ ! -x "$prog" ]; then
			stub="$work/stubs$prog"
			mkdir -p "$(dirname "$stub")"
			printf '#!/bin/sh\nexit 0\n' >"$stub"
			chmod +x "$stub"
			sed -i "s#\\(^Exec[A-Za-z]*=[-@:+!]*\\)$prog\\([[:space:]]\\|\$\\)#\\1$stub\\2#" "$out"
			log "$(basename "$u"): $prog is not installed here; checked with a stand-in"
		fi
	done < <(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^[:space:]]*\).*/\1/p' "$u" | sort -u)
done

log "systemd-analyze verify ${units[*]##*/}"
verify_out="$(cd "$work/units" && systemd-analyze verify ./*.service 2>&1)" || rc=$?
if [ -n "$verify_out" ] || [ "${rc:-0}" != 0 ]; then
	printf '%s\n' "$verify_out" >&2
	die "systemd-analyze verify found problems (exit ${rc:-0})"
fi
log "verify: no problems"

rc=0
for u in "$work"/units/*.service; do
	name="$(basename "$u")"
	score="$(systemd-analyze security --offline=true "$u" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
	printf 'exposure %-24s %s\n' "$name" "${score:-?}"
	if [ "$name" = skaerm.service ]; then
		if [ -z "$score" ]; then
			warn "could not read the exposure level of skaerm.service"
			rc=1
		elif awk -v s="$score" -v m="$max" 'BEGIN { exit !(s > m) }'; then
			warn "skaerm.service exposure $score is above $max"
			systemd-analyze security --offline=true "$u" 2>&1 | grep '✗' >&2 || true
			rc=1
		fi
	fi
done
exit "$rc"
