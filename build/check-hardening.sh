#!/usr/bin/env bash
# Checks that each ELF program given is hardened the way Debian builds
# programs: a position-independent executable (ASLR), full RELRO (the
# relocation tables read-only after start) and BIND_NOW (every symbol bound
# at start, so the GOT can be made read-only too).
#
#   build/check-hardening.sh FILE...
#
# Prints one line per file and exits 1 when any file lacks one of them.
# Uses readelf (binutils), which reads programs of any architecture.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$#" -gt 0 ] || die "usage: build/check-hardening.sh FILE..."
command -v readelf >/dev/null 2>&1 || die "readelf not found: install binutils"
bad=0
for f in "$@"; do
	header="$(readelf -hW "$f")" || die "$f is not an ELF file"
	dynamic="$(readelf -dW "$f")"
	segments="$(readelf -lW "$f")"
	missing=()
	# PIE: a shared-object type executable flagged PIE.
	grep -qE '^ *Type: +DYN' <<<"$header" && grep -qE '\(FLAGS_1\).*\bPIE\b' <<<"$dynamic" ||
		missing+=(PIE)
	grep -qE '^ *GNU_RELRO ' <<<"$segments" || missing+=(RELRO)
	grep -qE '\(BIND_NOW\)|\(FLAGS\).*\bBIND_NOW\b|\(FLAGS_1\).*\bNOW\b' <<<"$dynamic" || missing+=(BIND_NOW)
	if [ "${#missing[@]}" -eq 0 ]; then
		printf '%s: PIE, full RELRO, BIND_NOW\n' "$f"
	else
		printf '%s: lacks %s\n' "$f" "${missing[*]}"
		bad=1
	fi
done
exit "$bad"
