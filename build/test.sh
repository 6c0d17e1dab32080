#!/usr/bin/env bash
# Runs every check a change must pass, the same way on a laptop and in CI:
#   1. build/deps.sh --display (installs only what is missing)
#   2. gofmt -l must print nothing
#   3. go vet ./..., the clock check, go mod tidy -diff, which packages may
#      link what
#   4. go test for the packages that need no display
#   5. go test for the packages that draw (their test binaries link Ebitengine,
#      which needs an X server), under Xvfb at 1920x1080, one package at a time
# Exits non-zero when any step fails; ends with a go test summary per package
# and a "tests: N passed, N failed, N skipped" line.
#
# Environment: TEST_TIMEOUT (default 15m) per go test run; RACE=1 adds -race
# to the packages that need no display; GOTESTFLAGS adds flags to both runs
# (e.g. GOTESTFLAGS='-run TestCache -count=1').
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKAERM_ROOT"

"$SKAERM_ROOT/build/deps.sh" --display
ensure_go

timeout="${TEST_TIMEOUT:-15m}"
read -r -a extra <<<"${GOTESTFLAGS:-}"
failed=0
failures=() # what failed, for the last line
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "gofmt"
unformatted="$(gofmt -l . 2>&1 || true)"
if [ -n "$unformatted" ]; then
	printf 'these files need gofmt -w:\n%s\n' "$unformatted" >&2
	failed=1
	failures+=(gofmt)
fi

# Nothing a build makes belongs in the repository: no tracked ELF file, and
# nothing over 2 MB outside testdata/.
log "tracked files: no programs, nothing over 2 MB outside testdata"
if ! build/check-tree.sh; then
	failed=1
	failures+=("tracked files")
fi

log "go vet ./..."
if ! go vet ./...; then
	failed=1
	failures+=("go vet")
fi

# No test depends on the day it runs on: every part a test starts gets the
# test's clock, and product code reads the time through the injected clock
# (build/clockcheck says how; make test-dates proves it on other dates).
log "clocks: every part a test starts gets its clock"
if ! go run ./build/clockcheck .; then
	failed=1
	failures+=("clocks")
fi

# go.mod says what the code imports: direct dependencies are not marked
# indirect, and nothing unused is listed.
log "go mod tidy -diff"
if ! go mod tidy -diff; then
	printf 'go.mod or go.sum is not tidy: run go mod tidy\n' >&2
	failed=1
	failures+=("go mod tidy")
fi

# Only the drawing packages may link Ebitengine: board data, sync, cache and
# the command-line tools must build and test without a display. The tap
# bench's screen (build/bench/tap/screen) is a screen program like
# cmd/skaerm-screen.
log "Ebitengine only in display/, cmd/skaerm-screen and the tap bench's screen"
drawing="$(go list -f '{{.ImportPath}} {{join .Deps " "}}' ./... |
	grep -E ' github\.com/hajimehoshi/ebiten/v2( |$)' | cut -d' ' -f1 |
	grep -vE '/display(/|$)|/cmd/skaerm-screen$|/build/bench/tap/screen$' || true)"
if [ -n "$drawing" ]; then
	printf 'these packages link Ebitengine but do not draw:\n%s\n' "$drawing" >&2
	failed=1
	failures+=("ebiten imports")
fi

# The screen's programs carry no server: the reference backend (admin API,
# fault injection, the demo's made-up people) is linked only by its own
# command, so a privacy audit of the screen never has to read it.
log "the reference backend not in cmd/skaerm or cmd/skaerm-screen"
module="$(go list -m)"
for cmd in cmd/skaerm cmd/skaerm-screen; do
	[ -d "$cmd" ] || continue
	linked="$(go list -deps "./$cmd" | grep -E "^${module//./\\.}/backend(/|\$)" || true)"
	if [ -n "$linked" ]; then
		printf '%s links the reference backend:\n%s\n' "$cmd" "$linked" >&2
		failed=1
		failures+=("backend imports")
	fi
done

# The flow: board data goes backend -> sync -> cache -> display, and the
# reference backend is a product of its own. Among the module's packages
# (their own code, not their tests):
#   - only display/, cmd/skaerm-screen and build/ (the tools that drive the
#     screen's own layout) import display/...;
#   - backend/ imports nothing of the screen (display, sync, cache,
#     personal, cmd), and only its command and build/'s benches import it;
#   - words/ (every language's words) imports only board/;
#   - display/ never drives the loudspeaker: it does not import the voice's
#     aloud (it hands cards to the Voice its command gives it).
log "the flow: who may import display/... and backend/"
go list -f '{{.ImportPath}}{{range .Imports}} {{.}}{{end}}' ./... |
	awk -v m="$module" '{ for (i = 2; i <= NF; i++) if (index($i, m "/") == 1) print $1, $i }' >"$work/edges"
against="$(awk -v m="$module" '
	function under(p, dir) { return p == m "/" dir || index(p, m "/" dir "/") == 1 }
	(under($2, "display") && !under($1, "display") && $1 != m "/cmd/skaerm-screen" && !under($1, "build")) ||
	(under($1, "backend") && (under($2, "display") || under($2, "sync") || under($2, "cache") || under($2, "personal") || under($2, "cmd"))) ||
	(under($2, "backend") && !under($1, "backend") && $1 != m "/cmd/skaerm-backend" && !under($1, "build")) ||
	(under($1, "words") && !under($2, "board")) ||
	(under($1, "display") && under($2, "internal/voice/aloud")) { print }
' "$work/edges" | sort -u)"
if [ -n "$against" ]; then
	printf 'these imports run against the flow:\n%s\n' "$against" >&2
	failed=1
	failures+=("flow imports")
fi

# Personal data (a logged-in resident's Min side) lives in memory only: the
# cache cannot take it because it never links the personal package, and the
# personal package links no store.
log "personal data never reaches the cache"
for pair in "cache personal" "personal cache" "personal go.etcd.io/bbolt"; do
	read -r from want <<<"$pair"
	pkg="$module/$from"
	[ -d "$from" ] || continue
	[[ "$want" == */* ]] || want="$module/$want"
	if go list -deps "./$from" | grep -qxF "$want"; then
		printf '%s links %s\n' "$pkg" "$want" >&2
		failed=1
		failures+=("personal imports")
	fi
done

# A package belongs to the display group when it lives under display/ or its
# test binary links Ebitengine (which cannot start without an X server): the
# .test entries of `go list -test` carry every dependency of the test binary.
log "sorting packages into headless and display groups"
go list -e -test -f '{{.ImportPath}}{{range .Deps}} {{.}}{{end}}' ./... >"$work/deps"
all=()
mapfile -t all < <(go list -e ./...)
display=()
headless=()
for pkg in "${all[@]}"; do
	if [[ "$pkg" == */display || "$pkg" == */display/* ]] ||
		grep -E "^${pkg//./\\.}\.test( |$)" "$work/deps" | grep -q ' github.com/hajimehoshi/ebiten/v2\( \|$\)'; then
		display+=("$pkg")
	else
		headless+=("$pkg")
	fi
done
log "headless: ${#headless[@]} packages; display: ${#display[@]} packages (${display[*]:-none})"

# run_tests NAME LOG CMD... runs go test -v, keeps the full output in LOG
# and shows the package lines and any failure output.
run_tests() {
	local name="$1" logf="$2"
	shift 2
	local rc=0
	"$@" >"$logf" 2>&1 || rc=$?
	# Per-package result lines and compile errors; on failure, the rest below.
	grep -E '^(ok|FAIL|\?|panic:|--- FAIL|# )|^[^[:space:]]+\.go:[0-9]+:[0-9]+: ' "$logf" || true
	if [ "$rc" != 0 ]; then
		printf -- '--- go test failed (exit %s); its output without passing tests:\n' "$rc"
		grep -vE '^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|SKIP))' "$logf" | tail -n 400
		failed=1
		failures+=("$name")
	fi
}

if [ "${#headless[@]}" -gt 0 ]; then
	race=()
	[ "${RACE:-0}" = 1 ] && race=(-race)
	log "go test (headless) ${race[*]:-}"
	run_tests "go test (headless)" "$work/headless.log" go test -v "${race[@]}" -timeout "$timeout" "${extra[@]}" "${headless[@]}"
fi

if [ "${#display[@]}" -gt 0 ]; then
	log "go test (display, under Xvfb 1920x1080x24, one package at a time)"
	# Tests must not touch a real screen, even on a developer's desktop.
	run_tests "go test (display)" "$work/display.log" env -u WAYLAND_DISPLAY \
		xvfb-run -a -s "-screen 0 1920x1080x24" \
		go test -v -p 1 -timeout "$timeout" "${extra[@]}" "${display[@]}"
fi

count() { cat "$work"/*.log 2>/dev/null | grep -cE "^\s*--- $1:" || true; }
passed="$(count PASS)"
nfailed="$(count FAIL)"
skipped="$(count SKIP)"
echo
echo "tests: ${passed} passed, ${nfailed} failed, ${skipped} skipped"
if [ "$failed" != 0 ]; then
	what="$(printf '%s, ' "${failures[@]}")"
	printf 'FAIL: %s (see above)\n' "${what%, }" >&2
	exit 1
fi
echo "all checks passed"
