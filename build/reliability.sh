#!/usr/bin/env bash
# Runs the long reliability and security proof and prints a summary table:
#   1. the tests of internal/testkit/reliability with SKAERM_LONG=1: crash safety
#      (200 SIGKILLs of `skaerm sync`), the backend faults table, full and
#      read-only disks, the privacy audit, the security checks and a soak of
#      30 simulated days
#   2. each fuzz target for FUZZTIME (default 60s): sync's board decoder,
#      SSE parser and media check, the configuration parser, the cache's Open
#   3. a summary: every test's result, the crash, fault, disk and privacy
#      tables, fuzz executions and findings, and the soak curve per day
# Exits non-zero when a test or a fuzz target fails. Needs root for the disk
# tests (tmpfs and bind mounts); without it they skip and say so.
#
# Usage: bash build/reliability.sh [--quick] [--no-fuzz]
#   --quick    the quick versions (what `go test ./...` runs) instead of the long ones
#   --no-fuzz  skip step 2
# Environment: FUZZTIME (default 60s); SKAERM_KILLS, SKAERM_SOAK_DAYS and
# SKAERM_SEED override the harness; RELIABILITY_OUT keeps the logs, tables
# and soak.csv in that directory (default: a temporary one, removed).
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKAERM_ROOT"
ensure_go

long=1
fuzz=1
for arg in "$@"; do
	case "$arg" in
	--quick) long=0 ;;
	--no-fuzz) fuzz=0 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*) die "unknown argument $arg (try --help)" ;;
	esac
done
fuzztime="${FUZZTIME:-60s}"

if [ -n "${RELIABILITY_OUT:-}" ]; then
	out="$RELIABILITY_OUT"
	mkdir -p "$out"
	rm -f "$out"/{crash,faults,disk,privacy,soak}.txt "$out/soak.csv"
else
	out="$(mktemp -d)"
	trap 'rm -rf "$out"' EXIT
fi
export SKAERM_RELIABILITY_OUT="$out"
if [ "$long" = 1 ]; then
	export SKAERM_LONG=1
fi
failed=0

log "reliability tests (long=$long), logs in $out"
tests='^(TestCrashSafety|TestBackendFaults|TestDiskFull|TestDiskReadOnly|TestPrivacyAudit|TestTokenFileMode|TestTLSVerificationAlwaysOn|TestRedirectsStayHome|TestAdminAPILoopbackOnly|TestNoListeningPort|TestSoak)$'
if ! go test -count=1 -v -timeout 90m -run "$tests" ./internal/testkit/reliability >"$out/tests.log" 2>&1; then
	failed=1
fi

# target package
targets=(
	"FuzzDecode ./sync"
	"FuzzSSEParser ./sync"
	"FuzzPrepareMedia ./sync"
	"FuzzParse ./internal/config"
	"FuzzOpen ./cache"
)
fuzzrows=()
if [ "$fuzz" = 1 ]; then
	for t in "${targets[@]}"; do
		read -r name pkg <<<"$t"
		log "fuzzing $name in $pkg for $fuzztime"
		result=PASS
		# A short minimization: the cache's inputs are 32 KiB files, and
		# minimizing one byte at a time would take the whole budget.
		if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" -fuzzminimizetime=5s "$pkg" >"$out/fuzz-$name.log" 2>&1; then
			result=FAIL
			failed=1
		fi
		execs="$(grep -oE 'execs: [0-9]+' "$out/fuzz-$name.log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)"
		inter="$(grep -oE 'new interesting: [0-9]+' "$out/fuzz-$name.log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)"
		finding="$(grep -oE 'Failing input written to [^ ]+' "$out/fuzz-$name.log" | sed 's/Failing input written to //' || true)"
		fuzzrows+=("$(printf '%-18s %-18s %12s %16s  %s %s' "$name" "$pkg" "$execs" "$inter" "$result" "$finding")")
	done
fi

section() { printf '\n== %s\n' "$*"; }
show() { if [ -s "$out/$1" ]; then cat "$out/$1"; else echo "(no $1: see $out/tests.log)"; fi; }

printf '\n######## skaerm reliability summary (%s) ########\n' "$([ "$long" = 1 ] && echo long || echo quick)"
section "tests"
printf '%-28s %-6s %s\n' test result time
grep -E '^--- (PASS|FAIL|SKIP): ' "$out/tests.log" | sed -E 's/^--- (PASS|FAIL|SKIP): ([^ ]+) \(([^)]*)\)/\2 \1 \3/' |
	awk '{printf "%-28s %-6s %s\n", $1, $2, $3}'
grep -E -A3 '^--- SKIP' "$out/tests.log" | grep -vE '^--- SKIP|^--$' | sed 's/^ */  skipped: /' || true
if grep -qE '^--- FAIL' "$out/tests.log"; then
	section "failures"
	grep -E '^\s+[a-z_]+_test\.go:[0-9]+: ' "$out/tests.log" | grep -vE 'summary|^\s+[a-z_]+_test\.go:[0-9]+: $' | head -n 40
fi
section "crash safety"
show crash.txt
section "backend faults"
show faults.txt
section "disk trouble"
show disk.txt
section "privacy"
show privacy.txt
if [ "$fuzz" = 1 ]; then
	section "fuzzing ($fuzztime each)"
	printf '%-18s %-18s %12s %16s  %s\n' target package execs "new interesting" result
	printf '%s\n' "${fuzzrows[@]}"
fi
section "soak"
show soak.txt
if [ -s "$out/soak.csv" ]; then
	echo
	echo "per simulated day (means of the hourly samples; heap after a forced GC):"
	awk -F, 'NR > 1 {
		d = substr($2, 1, 10)
		if (!(d in n)) order[++days] = d
		n[d]++; ha[d] += $3; hi[d] += $4; g[d] += $5; f[d] += $6; cb[d] += $7; s[d] = $11
	}
	END {
		printf "%-10s  %9s  %9s  %10s  %4s  %9s  %6s\n", "day", "heap MiB", "inuse MiB", "goroutines", "fds", "cache KiB", "syncs"
		for (i = 1; i <= days; i++) {
			d = order[i]
			printf "%-10s  %9.2f  %9.2f  %10.1f  %4.1f  %9.0f  %6d\n", d, ha[d]/n[d]/1048576, hi[d]/n[d]/1048576, g[d]/n[d], f[d]/n[d], cb[d]/n[d]/1024, s[d]
		}
	}' "$out/soak.csv"
fi

passed="$(grep -cE '^--- PASS: ' "$out/tests.log" || true)"
fails="$(grep -cE '^--- FAIL: ' "$out/tests.log" || true)"
skipped="$(grep -cE '^--- SKIP: ' "$out/tests.log" || true)"
for r in "${fuzzrows[@]}"; do
	case "$r" in
	*" FAIL"*) fails=$((fails + 1)) ;;
	*) passed=$((passed + 1)) ;;
	esac
done
printf '\nreliability: %d passed, %d failed, %d skipped\n' "$passed" "$fails" "$skipped"
exit "$failed"
