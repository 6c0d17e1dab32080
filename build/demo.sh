#!/usr/bin/env bash
# Shows the screen with demo data: starts the reference backend
# (`skaerm-backend --demo`) on a free loopback port with a throw-away store,
# and `skaerm run` against it with a throw-away cache. The screen's own
# binary carries no backend; the demo runs the two side by side.
#
# With a display (DISPLAY set): a window, until you close it.
# Without one (SSH, CI): starts its own Xvfb at 1920x1080, lets the screen
# run for DEMO_SECONDS (default 20) writing PNGs of what it shows into
# DEMO_SHOTS (default ./demo-shots), then renders every page once from the
# board it fetched with `skaerm snapshot` into the same folder, and prints
# where the PNGs are.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKAERM_ROOT"

seconds="${DEMO_SECONDS:-20}"
shots="${DEMO_SHOTS:-$SKAERM_ROOT/demo-shots}"
pages=(today roster week bookings news gallery idle pairing login login/pin/p1 me)

"$SKAERM_ROOT/build/deps.sh" --display
ensure_go

work="$(mktemp -d)"
xvfb_pid=""
backend_pid=""
stop() {
	if [ -n "$1" ]; then
		kill "$1" 2>/dev/null || true
		wait "$1" 2>/dev/null || true
	fi
}
cleanup() {
	stop "$backend_pid"
	stop "$xvfb_pid"
	rm -rf "$work"
}
trap cleanup EXIT

# skaerm hands drawing to skaerm-screen, which it looks for beside itself.
log "building skaerm, skaerm-screen and skaerm-backend"
for c in skaerm skaerm-screen skaerm-backend; do
	[ -d "cmd/$c" ] || continue
	CGO_ENABLED=1 go build -ldflags "$(skaerm_ldflags)" -o "$work/bin/$c" "./cmd/$c"
done
skaerm="$work/bin/skaerm"

# The reference backend with the demo care home, on a port the system picks;
# it prints its address on its first line. The files exist before it starts,
# so the loop below never reads one that the shell has not opened yet.
: >"$work/backend.out"
: >"$work/backend.log"
"$work/bin/skaerm-backend" --demo --token demo --listen 127.0.0.1:0 --data "$work/backend" \
	>"$work/backend.out" 2>"$work/backend.log" &
backend_pid=$!
url=""
for _ in $(seq 100); do
	url="$(sed -n 's/^skaerm-backend on //p' "$work/backend.out")"
	[ -n "$url" ] && break
	kill -0 "$backend_pid" 2>/dev/null || { cat "$work/backend.log" >&2; die "skaerm-backend did not start"; }
	sleep 0.1
done
[ -n "$url" ] || die "skaerm-backend did not report its address in 10 s"
log "demo backend on $url (staff preview: $url/preview)"
# The demo residents who can log in on the screen ("Log ind", their picture,
# then the PIN), as the backend printed them.
for _ in $(seq 50); do grep -q 'demo screen login' "$work/backend.log" && break; sleep 0.1; done
sed -n 's/.*msg="demo screen login" profile=\([^ ]*\) name=\([^ ]*\) pin=\([^ ]*\).*/\2 (\1) logs in with PIN \3/p' "$work/backend.log" |
	while read -r line; do log "demo login: $line"; done
run=("$skaerm" run --backend "$url" --token demo --cache "$work/cache.db")

if [ -n "${DISPLAY:-}" ]; then
	log "showing the demo on $DISPLAY; close the window (or press Ctrl+C) to stop"
	"${run[@]}" --windowed
	exit
fi

# No display: our own Xvfb, on the first free display number (Xvfb picks it
# and writes it to the file given by -displayfd), open only to holders of a
# fresh cookie.
command -v Xvfb >/dev/null 2>&1 || die "Xvfb not found (build/deps.sh --display installs it)"
cookie="$(mcookie)"
xauth -q -f "$work/xauth-server" add :0 . "$cookie"
Xvfb -displayfd 3 -auth "$work/xauth-server" -screen 0 1920x1080x24 -nolisten tcp \
	3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do
	[ -s "$work/display" ] && break
	kill -0 "$xvfb_pid" 2>/dev/null || { cat "$work/xvfb.log" >&2; die "Xvfb did not start"; }
	sleep 0.1
done
[ -s "$work/display" ] || die "Xvfb did not report a display number in 10 s"
DISPLAY=":$(head -n 1 "$work/display")"
export DISPLAY
export XAUTHORITY="$work/Xauthority"
xauth -q -f "$XAUTHORITY" add "$DISPLAY" . "$cookie"
unset WAYLAND_DISPLAY
log "no display: started Xvfb on $DISPLAY (1920x1080x24)"

output_dir "$shots"
log "running 'skaerm run --shots $shots' for ${seconds}s"
rc=0
# The cache is in our work folder, so the page snapshots below can read the
# board the demo fetched.
timeout --signal=TERM --kill-after=15 "$seconds" "${run[@]}" --shots "$shots" || rc=$?
# 124: stopped by timeout after running the whole time, as intended.
if [ "$rc" != 0 ] && [ "$rc" != 124 ]; then
	warn "skaerm run stopped with exit code $rc before ${seconds}s"
	run_failed=1
else
	run_failed=0
fi

log "rendering every page with 'skaerm snapshot'"
for page in "${pages[@]}"; do
	extra=()
	# The demo screen is paired; the pairing page is drawn with a made-up code.
	[ "$page" = pairing ] && extra=(--code ABCD-EFGH)
	# Min side of the demo's Karen: logged in through the backend with her
	# PIN for the picture, logged out after it.
	[ "$page" = me ] && extra=(--login pin:p1:2580 --backend "$url" --token demo)
	file="$shots/page-${page//\//-}.png"
	if "$skaerm" snapshot --cache "$work/cache.db" --size 1920x1080 --page "$page" "${extra[@]}" \
		--out "$file" >"$work/snap.log" 2>&1; then
		printf '    %-12s %s\n' "$page" "$file"
	else
		warn "snapshot of page '$page' failed: $(tail -n 3 "$work/snap.log" | tr '\n' ' ')"
	fi
done

mapfile -t pngs < <(find "$shots" -maxdepth 1 -name '*.png' -newer "$work/display" | sort)
if [ "${#pngs[@]}" -eq 0 ]; then
	die "no PNG was written to $shots"
fi
log "${#pngs[@]} PNGs in $shots:"
printf '    %s\n' "${pngs[@]}"
[ "$run_failed" = 0 ] || exit 1
