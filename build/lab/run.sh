#!/usr/bin/env bash
# The field lab: installs the skaerm package on a booted Debian bookworm in
# QEMU and checks what a technician and a power cut would find.
#
#   bash build/lab/run.sh [--arch amd64|arm64] [--keep]      (or: make lab)
#
# It builds the package twice (version N and N+1, for the upgrade), the
# guest's disk image (cached, see build/lab/rootfs.sh), starts the reference
# backend on the host's loopback behind build/lab/gate, and boots the guest
# once per phase of build/lab/guest.sh, plus the power cuts (cuts.sh). The
# guest reaches nothing but the gate: QEMU's user networking with restrict=on
# and one forward, 10.0.2.100:443 -> the gate on 127.0.0.1 (HTTPS, with a
# certificate authority the lab makes and the guest trusts through ca_file).
#
# Every check prints one line; the run ends with `lab: N passed, M failed,
# K skipped` and exits 0 only when M is 0. When the lab cannot run on this
# machine at all (its packages cannot be installed, QEMU is missing, the
# guest image cannot be built, e.g. Debian's mirror is out of reach), it
# prints `lab: skipped: REASON`, writes the reason to lab-out/skipped and
# exits 77, which .ci/run reports without failing. lab-out/ keeps the result lines,
# the guest's journal and Xorg log of each boot, the serial console,
# screenshots, status and doctor output. --keep also keeps the guest's disk
# (lab-out/disk.qcow2) for a look: boot it with the command in
# lab-out/qemu-*.cmd.
#
# Environment: SKAERM_LAB_CACHE (the image cache, /var/cache/skaerm-lab),
# SKAERM_LAB_CUTS (power cuts, default 20), SKAERM_LAB_PHASES (a subset, e.g.
# "install online"), SKIP_DEPS=1.
#
# QEMU runs without KVM (TCG), under nice and a timeout: on a shared 2-core
# machine the figures are slower than on a Pi's own cores.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$SKAERM_ROOT"

arch=amd64
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) arch="${2:?--arch needs amd64 or arm64}" && shift ;;
	--arch=*) arch="${1#--arch=}" ;;
	--keep) keep=1 ;;
	-h | --help)
		awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
		exit 0
		;;
	*) die "unknown option $1 (use --arch amd64|arm64, --keep)" ;;
	esac
	shift
done
case "$arch" in amd64 | arm64) ;; *) die "unknown architecture $arch (amd64 or arm64)" ;; esac
phases="${SKAERM_LAB_PHASES:-install online cuts offline clock final}"
cuts="${SKAERM_LAB_CUTS:-20}"
lab="$SKAERM_ROOT/build/lab"
out="$SKAERM_ROOT/lab-out"
start=$SECONDS

rm -rf "$out"
mkdir -p "$out"
# skipped REASON: the lab cannot run here (not a failed check).
skipped() {
	printf '%s\n' "$1" >"$out/skipped"
	echo "lab: skipped: $1"
	exit 77
}
if [ "${SKIP_DEPS:-0}" != 1 ]; then
	deps=(--lab)
	[ "$arch" = arm64 ] && deps+=(--cross)
	if ! build/deps.sh "${deps[@]}" 2>&1 | tee "$out/deps.log" >&2; then
		skipped "the lab's packages could not be installed (build/deps.sh ${deps[*]}: $(grep -E 'E:|ERROR' "$out/deps.log" | tail -n 1))"
	fi
fi
ensure_go
for t in qemu-img socat curl jq debugfs e2fsck mmdebstrap "$([ "$arch" = amd64 ] && echo qemu-system-x86_64 || echo qemu-system-aarch64)"; do
	command -v "$t" >/dev/null 2>&1 || skipped "$t is missing (build/deps.sh --lab installs it)"
done
work="$(mktemp -d /var/tmp/skaerm-lab.XXXXXX)"
share="$work/share"
mkdir -p "$share/debs" "$share/req" "$share/rep"
install -m 0755 "$lab/guest.sh" "$share/guest.sh"
mkdir -p "$share/out"
pids=()
cleanup() {
	local p
	for p in ${qpid:-} "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ "$keep" = 1 ] && [ -f "$work/disk.qcow2" ]; then
		mv "$work/disk.qcow2" "$out/disk.qcow2"
	fi
	rm -rf "$work"
}
trap cleanup EXIT
# A timeout or Ctrl-C ends the run through cleanup, QEMU and the backend too.
trap 'exit 143' TERM
trap 'exit 130' INT

# --- The packages: N and N+1.
version="$(skaerm_version)"
for v in N1 N; do
	ver="$version"
	[ "$v" = N1 ] && ver="$version.lab1"
	log "package $ver ($arch)"
	deb="$(VERSION="$ver" SKIP_DEPS=1 build/deb.sh "$arch" | tail -n 1)"
	cp "$deb" "$share/debs/"
	ln -s "$(basename "$deb")" "$share/debs/skaerm_${arch}_$v.deb"
done
ls -l "$share/debs" >"$out/debs.txt"

# --- The disk image (cached).
if ! image="$(build/lab/rootfs.sh "$arch" 2> >(tee "$out/rootfs.log" >&2) | tail -n 1)" || [ ! -f "$image/root.qcow2" ]; then
	skipped "the guest image could not be built (mmdebstrap from ${SKAERM_LAB_MIRROR:-http://deb.debian.org/debian}: $(grep -E 'E:|ERROR|error' "$out/rootfs.log" | tail -n 1))"
fi
qemu-img create -q -f qcow2 -b "$image/root.qcow2" -F qcow2 "$work/disk.qcow2"
# The gpio-sim module for check 5 (cached with the image); without it the
# check is a skip with the reason.
mkdir -p "$share/modules"
if ko="$(build/lab/module.sh "$arch" "$image" 2> >(tee "$out/module.log" >&2) | tail -n 1)" && [ -s "$ko" ]; then
	cp "$ko" "$share/modules/"
else
	printf 'build/lab/module.sh failed: %s\n' "$(grep -E 'E:|ERROR|error' "$out/module.log" | tail -n 1)" >"$share/modules/why"
fi

# --- The backend behind the gate, on loopback only.
log "building the reference backend and the gate"
go build -o "$work/skaerm-backend" ./cmd/skaerm-backend
go build -o "$work/gate" ./build/lab/gate
# Where to tap, from the screen's own layout, run inside the guest.
CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build -o "$share/skaerm-lab-touch" ./build/lab/touch
"$work/skaerm-backend" --listen 127.0.0.1:0 --demo --data "$work/backend" >"$work/backend.out" 2>"$out/backend.log" &
pids+=($!)
for _ in $(seq 100); do grep -q '^skaerm-backend on ' "$work/backend.out" 2>/dev/null && break; sleep 0.1; done
backend="$(sed -n 's/^skaerm-backend on //p' "$work/backend.out")"
[ -n "$backend" ] || die "the backend did not start: $(cat "$out/backend.log")"
"$work/gate" --backend "$backend" --codes "$work/codes" --port-file "$work/gate.port" --ca-out "$share/ca.pem" 2>"$out/gate.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/gate.port" ] && break; sleep 0.1; done
gate_port="$(cat "$work/gate.port")"
admin() { # METHOD PATH [JSON]
	curl -fsS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$backend$2"
}
department="$(admin GET /admin/v1/departments | jq -r '.[0].id')"
# Every name the demo care home knows (first names, last names, aliases),
# for the journal check: the screen's logs carry ids and counts only.
admin GET /admin/v1/profiles | jq -r '.[] | .first_name, .last_name, .alias' |
	tr ' ' '\n' | awk 'length($0) >= 3' | sort -u >"$share/names"
log "backend $backend (department $department), gate 127.0.0.1:$gate_port, $(wc -l <"$share/names") names"

# lab_activity: the lab's activity for tomorrow at 06:00 in the
# department's time zone (the demo's, Copenhagen), open for sign-up, no
# limit: at every hour the lab may run, the screen offers it (on its Week
# page) and the backend takes sign-ups to it until it starts, hours after
# the run (it closes sign-ups at the start; the demo's own activities of
# the day may be over, full or closed). Made once a day, then "sync now".
# Prints its id.
lab_activity() {
	local day z id
	day="$(TZ=Europe/Copenhagen date -d tomorrow +%Y-%m-%d)"
	z="$(TZ=Europe/Copenhagen date -d "$day 06:00" +%:z)"
	id="lab-touch-${day//-/}"
	if ! admin GET "/admin/v1/activities/$id" >/dev/null 2>&1; then
		admin PUT "/admin/v1/activities/$id" "{\"id\":\"$id\",\"title\":\"Prøvetryk\",\"description\":\"Feltlaboratoriets aktivitet: tryk på et ansigt.\",\"location\":\"Dagligstuen\",\"start\":\"${day}T06:00:00$z\",\"end\":\"${day}T06:45:00$z\",\"capacity\":0,\"signup_open\":true,\"pictogram\":\"games\",\"signups\":[],\"department_id\":\"$department\"}" >/dev/null || return 1
	fi
	admin POST /admin/v1/sync "{\"department_id\":\"$department\"}" >/dev/null || return 1
	echo "$id"
}

# --- Requests from the guest (req/ID holds the verb), answered in rep/.
serve_requests() {
	local f id verb rc reply code
	for f in "$share"/req/*; do
		[ -f "$f" ] || continue
		case "$f" in *.tmp) continue ;; esac
		id="$(basename "$f")"
		verb="$(cat "$f")"
		rm -f "$f"
		rc=0
		case "$verb" in
		approve)
			# The code the screen shows, as staff would read it off it.
			reply="no pairing code seen"
			rc=1
			for _ in $(seq 60); do
				code="$(tail -n 1 "$work/codes" 2>/dev/null || true)"
				if [ -n "$code" ]; then
					reply="$(admin POST "/admin/v1/pairings/$code/approve" "{\"department_id\":\"$department\"}" 2>&1)" && rc=0
					reply="$code $reply"
					break
				fi
				sleep 1
			done
			;;
		shot\ *)
			# What the display shows, from QEMU (the guest converts it).
			reply="$(hmp "screendump $out/${verb#shot }.ppm")"
			for _ in $(seq 20); do [ -s "$out/${verb#shot }.ppm" ] && break; sleep 0.5; done
			[ -s "$out/${verb#shot }.ppm" ] || rc=1
			;;
		sync) reply="$(admin POST /admin/v1/sync "{\"department_id\":\"$department\"}" 2>&1)" || rc=1 ;;
		signups) reply="$(admin GET /admin/v1/signups 2>&1)" || rc=1 ;;
		signups\ *)
			# One line a sign-up the backend received for the item:
			# profile, action, result, times received, id.
			reply="$(admin GET /admin/v1/signups 2>&1 | jq -r --arg i "${verb#signups }" \
				'.[] | select(.item_id == $i) | "\(.profile_id) \(.action) \(.result) \(.received) \(.id)"' 2>&1)" || rc=1
			;;
		bookings\ *)
			# One line a booking request the backend received for the
			# resource: profile, action, result, times received, id.
			reply="$(admin GET /admin/v1/booking-requests 2>&1 | jq -r --arg r "${verb#bookings }" \
				'.[] | select(.resource_id == $r) | "\(.profile_id) \(.action) \(.result) \(.received) \(.id)"' 2>&1)" || rc=1
			;;
		notice\ *)
			# An urgent notice that wakes the display, for the seconds given
			# ("notice ID SECONDS"), or "notice ID end" to end it.
			local nid nfor
			read -r nid nfor <<<"${verb#notice }"
			if [ "$nfor" = end ]; then
				reply="$(admin DELETE "/admin/v1/notices/$nid" 2>&1)" || rc=1
			else
				reply="$(admin PUT "/admin/v1/notices/$nid" "$(jq -nc --arg id "$nid" --arg d "$department" \
					--arg from "$(date -u -d '-5 sec' +%Y-%m-%dT%H:%M:%SZ)" --arg until "$(date -u -d "+${nfor:-60} sec" +%Y-%m-%dT%H:%M:%SZ)" \
					'{id: $id, level: "urgent", title: "Brandøvelse i aften", from: $from, until: $until, wake: true, department_id: $d}')" 2>&1)" || rc=1
			fi
			;;
		activity) reply="$(lab_activity 2>&1)" || rc=1 ;;
		now) reply="$(date +%s)" ;;
		*) reply="unknown request $verb" rc=1 ;;
		esac
		printf '%s\n' "$reply" >"$share/rep/$id"
		echo "$rc" >"$share/rep/$id.done"
	done
}

# --- Booting the guest.
if [ "$arch" = amd64 ]; then
	qemu=(qemu-system-x86_64 -M pc -device virtio-vga)
	console=ttyS0
else
	qemu=(qemu-system-aarch64 -M virt -cpu cortex-a72 -device virtio-gpu-pci)
	console=ttyAMA0
fi
# Emulated arm64 runs slower than emulated amd64 on a PC: every time limit,
# the host's and the guest's, is multiplied by SKAERM_LAB_SLOW (2 for arm64).
slow="${SKAERM_LAB_SLOW:-$([ "$arch" = arm64 ] && echo 2 || echo 1)}"
qemu+=(-accel tcg,thread=multi -smp 2 -m 1536 -nodefaults -no-user-config -display none
	-kernel "$image/vmlinuz" -initrd "$image/initrd.img")

# qemu_cmd PHASE NET: the QEMU command line (in the array cmd) for a boot
# running PHASE of guest.sh, with the backend reachable (online) or not
# (offline), without its serial console.
qemu_cmd() {
	local phase="$1" net="$2" fwd
	if [ "$net" = online ]; then
		fwd="cmd:socat - TCP:127.0.0.1:$gate_port"
	else
		# Nothing listens on port 1: the guest's connections are refused.
		fwd="cmd:socat - TCP:127.0.0.1:1"
	fi
	cmd=("${qemu[@]}"
		-append "root=/dev/vda rw console=$console quiet skaerm.lab=$phase skaerm.lab.slow=$slow"
		-drive "file=$work/disk.qcow2,if=virtio,format=qcow2"
		-netdev "user,id=net0,restrict=on,guestfwd=tcp:10.0.2.100:443-$fwd"
		-device virtio-net-pci,netdev=net0
		-virtfs "local,path=$share,mount_tag=lab,security_model=none,id=lab"
		-virtfs "local,path=$out,mount_tag=labout,security_model=none,id=labout"
		-pidfile "$work/qemu.pid"
		-monitor "unix:$work/monitor.sock,server=on,wait=off")
}

# boot PHASE SECONDS NET [QEMU ARGS...]: one boot of the guest running PHASE
# of guest.sh; returns when the guest powers off (or the time is up, then
# QEMU is killed).
boot() {
	local phase="$1" limit="$(($2 * slow))" net="$3" t0=$SECONDS
	shift 3
	qemu_cmd "$phase" "$net"
	cmd+=(-serial "file:$out/serial-$phase.log" "$@")
	printf '%q ' "${cmd[@]}" >"$out/qemu-$phase.cmd"
	log "boot: $phase ($net, at most $limit s)"
	nice timeout -k 10 "$limit" "${cmd[@]}" &
	qpid=$!
	while kill -0 "$qpid" 2>/dev/null; do
		serve_requests
		sleep 0.5
	done
	wait "$qpid" || warn "QEMU ended with status $? in phase $phase"
	qpid=""
	log "boot $phase took $((SECONDS - t0)) s"
}

# hmp COMMAND: one command to QEMU's monitor; prints its answer.
hmp() {
	printf '%s\n' "$1" | socat -t 2 - "UNIX-CONNECT:$work/monitor.sock" 2>/dev/null | tr -d '\r' || true
}

# missing PHASE N NAME...: a FAIL line for each check the phase should have
# reported but did not (the guest hung or died).
missing() {
	local phase="$1" n
	shift
	while [ $# -gt 0 ]; do
		n="$1"
		grep -qE "^(ok|FAIL|skip) $n $2:" "$out/results" 2>/dev/null ||
			echo "FAIL $n $2: no result (phase $phase did not finish; see lab-out/serial-$phase.log)" >>"$out/results"
		shift 2
	done
}

# shellcheck source=build/lab/cuts.sh
. "$lab/cuts.sh"

touch "$out/results"
read -r -a order <<<"$phases"
for i in "${!order[@]}"; do
	phase="${order[$i]}"
	# The boot before the clock check leaves no saved time behind (guest.sh
	# finish), as on a Pi that never shut down cleanly.
	rm -f "$share/clear-clock"
	[ "${order[$((i + 1))]:-}" = clock ] && touch "$share/clear-clock"
	case "$phase" in
	install)
		boot install 600 online
		missing install 1 install
		;;
	online)
		boot online 1200 online
		missing online 2 boot 3 pairing 4 touch 5 motion-sensor 6 display-power 7 watchdog 12 security
		;;
	offline)
		boot offline 600 offline
		missing offline 9 offline-boot
		;;
	final)
		# Sign-ups are taken again (the power cuts refused them).
		admin DELETE /admin/v1/fault >/dev/null || true
		boot final 900 online
		missing final 11 upgrade-purge
		[ -f "$out/cut-signup" ] && missing final 8 queued-sign-up
		;;
	cuts) power_cuts ;;
	clock)
		touch "$share/clear-clock" # and none after this one either
		boot clock-1970 600 online -rtc base=1970-01-01T08:00:00
		missing clock-1970 10 clock-1970
		rm -f "$share/clear-clock"
		boot clock-behind 600 online -rtc "base=$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%S)"
		missing clock-behind 10 clock-behind
		;;
	*) die "unknown phase $phase" ;;
	esac
done

# --- The summary.
echo
echo "==== skaerm lab ($arch, skaerm $version) in $((SECONDS - start)) s"
sort -t' ' -k2,2n "$out/results" | tee "$out/summary.txt"
passed="$(grep -c '^ok ' "$out/results" || true)"
failed="$(grep -c '^FAIL ' "$out/results" || true)"
skipped="$(grep -c '^skip ' "$out/results" || true)"
echo "lab: $passed passed, $failed failed, $skipped skipped" | tee -a "$out/summary.txt"
[ "$failed" = 0 ]
