#!/usr/bin/env bash
# Runs `make test` (build/test.sh) with the wall clock of every Go program
# set to each of the dates where a date bomb goes off: the two
# daylight-saving changes, a leap day and a year's end. No test may depend
# on the day it runs on; this proves it.
#
#   build/test-dates.sh                    the four dates below
#   build/test-dates.sh '2029-06-01 12:00' one date (date(1) syntax, Copenhagen time)
#
# Go reads the clock through the vDSO, so LD_PRELOAD tools such as faketime
# do not move it. Instead every Go program of the run (the test binaries
# and what they build and start) is built with build/dates/clock.go.in
# added to the standard library's time package (go build -overlay): time.Now
# starts at the date under test in each test binary and runs on from there,
# and the programs a test starts inherit its offset. The monotonic clock,
# the kernel's file times and programs that are not Go (Xvfb, espeak-ng)
# keep the real clock. TZ is Europe/Copenhagen, the care homes' zone.
#
# Writes the summary to docs/test-dates.md (DATES_DOC=path to change it) and
# the full logs to DATES_LOGS (default test-dates-out/). Exits non-zero when
# any date fails.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKAERM_ROOT"
ensure_go

dates=("$@")
if [ "${#dates[@]}" = 0 ]; then
	dates=(
		"2027-03-28 01:59:30" # spring: 02:00 CET becomes 03:00 CEST
		"2027-10-31 02:30:00 +0100" # autumn: 02:30 comes twice; this is the second, CET
		"2028-02-29 12:00:00" # a leap day
		"2030-12-31 23:59:30" # a year's end
	)
fi
doc="${DATES_DOC:-docs/test-dates.md}"
logs="${DATES_LOGS:-test-dates-out}"
mkdir -p "$logs"

# The overlay: time.go with its Now moved by the offset, and the file that
# computes the offset.
goroot="$(go env GOROOT)"
ov="$(mktemp -d)"
trap 'rm -rf "$ov"' EXIT
line='	sec, nsec, mono := runtimeNow()'
grep -qxF "$line" "$goroot/src/time/time.go" || die "this Go's time.Now is not the one build/dates expects ($(go version))"
awk -v line="$line" '{ print } $0 == line && !done { print "\tsec += skaermOffset"; done = 1 }' \
	"$goroot/src/time/time.go" >"$ov/time.go"
cp build/dates/clock.go.in "$ov/skaerm_clock.go"
printf '{"Replace":{"%s":"%s","%s":"%s"}}\n' \
	"$goroot/src/time/time.go" "$ov/time.go" \
	"$goroot/src/time/skaerm_clock.go" "$ov/skaerm_clock.go" >"$ov/overlay.json"

# The probe: a program built the same way must see the date.
mkdir -p "$ov/probe"
printf 'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() { fmt.Println(time.Now().Unix()) }\n' >"$ov/probe/main.go"
(cd "$ov/probe" && GOFLAGS= go mod init probe >/dev/null 2>&1 && GOFLAGS= go build -overlay="$ov/overlay.json" -o probe .)

results=()
bad=0
for d in "${dates[@]}"; do
	at="$(TZ=Europe/Copenhagen date -d "$d" +%s)" || die "not a date: $d"
	shown="$(TZ=Europe/Copenhagen date -d "@$at" '+%Y-%m-%d %H:%M:%S %Z')"
	seen="$(SKAERM_CLOCK_AT="$at" "$ov/probe/probe")"
	[ $((seen - at)) -ge 0 ] && [ $((seen - at)) -le 5 ] || die "the moved clock reads $seen, not $at"
	name="$(TZ=Europe/Copenhagen date -d "@$at" +%Y%m%dT%H%M%S)"
	log "make test with the clock at $shown (log: $logs/$name.log)"
	rc=0
	SKAERM_CLOCK_AT="$at" TZ=Europe/Copenhagen GOFLAGS="-overlay=$ov/overlay.json -count=1" \
		build/test.sh >"$logs/$name.log" 2>&1 || rc=$?
	summary="$(grep -E '^tests: [0-9]+ passed' "$logs/$name.log" | tail -n 1 || true)"
	failed="$(grep -E '^\s*--- FAIL: ' "$logs/$name.log" | sed -E 's/^\s*--- FAIL: ([^ ]+).*/\1/' | sort -u | tr '\n' ' ' || true)"
	[ "$rc" = 0 ] || bad=1
	result="passed"
	[ "$rc" = 0 ] || result="FAILED"
	results+=("| $shown | $result | ${summary#tests: } | ${failed:-none} |")
	log "$shown: $result: ${summary:-no summary} ${failed:+(failed: $failed)}"
done

{
	echo "# The suite on other dates"
	echo
	echo "\`make test-dates\` (build/test-dates.sh) runs \`make test\` with the wall clock of every Go"
	echo "program moved to each date below, TZ=Europe/Copenhagen. See the script's header for how the"
	echo "clock is moved and what it does not move."
	echo
	echo "Last run: $(date -u '+%Y-%m-%d %H:%M UTC') (real time), commit $(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- . ':!docs' 2>/dev/null || echo ' with changes'), $(go version | cut -d' ' -f3), $(nproc) cores."
	echo
	echo "| clock at the start of each test binary | result | tests | failed |"
	echo "| --- | --- | --- | --- |"
	printf '%s\n' "${results[@]}"
} >"$doc"
cat "$doc"
exit "$bad"
