#!/usr/bin/env bash
# Installs what building and testing skaerm needs on Debian 12 (bookworm) or
# Raspberry Pi OS Bookworm, and nothing that is already there.
#
#   build/deps.sh              compiler and the X11/GL headers Ebitengine builds against
#   build/deps.sh --display    also Xvfb and Mesa's software GL, for headless tests and the demo,
#                              and espeak-ng and aplay, the voice that reads the screen aloud
#   build/deps.sh --cross      also the arm64 cross compiler and arm64 headers (for the Pi .deb)
#   build/deps.sh --cross-armhf  the same for 32-bit Raspberry Pi OS (armhf)
#   build/deps.sh --package    also lintian and man, to check a built package
#   build/deps.sh --bench      also Xvfb and Debian's chromium, the browser kiosk the screen is
#                              measured against (build/bench: kiosk, footprint -browser, tap -browser)
#   build/deps.sh --lab        also QEMU, mmdebstrap and the tools of the field lab (build/lab);
#                              with --cross, the arm64 emulator and qemu-user for its image
#
# It asks dpkg what is installed first, so a second run does no apt work at
# all. It runs `apt-get update` at most once, and only when something is
# missing. It uses sudo when not run as root. It cannot install Go: it checks
# that Go >= 1.26 is there and says how to get it if not.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"

display=0
cross=0
cross_armhf=0
package=0
lab=0
bench=0
for arg in "$@"; do
	case "$arg" in
	--display) display=1 ;;
	--cross) cross=1 ;;
	--cross-armhf) cross_armhf=1 ;;
	--package) package=1 ;;
	--lab) lab=1 ;;
	--bench) bench=1 ;;
	-h | --help)
		awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
		exit 0
		;;
	*) die "unknown option $arg (use --display, --cross, --cross-armhf, --package, --bench and/or --lab)" ;;
	esac
done

# Build: cgo, the headers GLFW (inside Ebitengine) compiles against, and
# libjpeg-turbo's TurboJPEG (the sync's scaled photo decoding).
pkgs=(gcc libc6-dev pkg-config make libgl1-mesa-dev libxcursor-dev libxi-dev libxinerama-dev
	libxrandr-dev libxxf86vm-dev libturbojpeg0-dev)
# Display: the GL runtime, Mesa's software renderer and a virtual X server.
if [ "$display" = 1 ]; then
	pkgs+=(libgles2 libegl1 libgl1-mesa-dri xvfb xauth)
	# Speech: the tests and the demo read cards aloud with the real voice,
	# and play it with aplay (to a file PCM when there is no sound card).
	pkgs+=(espeak-ng alsa-utils)
fi
# Bench: the browser kiosk of the comparisons and the X server both run on,
# GNU time (the photo bench reads the sync's peak RSS) and cjpeg.
if [ "$bench" = 1 ]; then
	pkgs+=(xvfb xauth chromium time libjpeg-turbo-progs)
fi
# Cross: an arm64 C toolchain plus the arm64 GL/X11 headers and libraries
# (multiarch), and `file` to check what was built.
if [ "$cross" = 1 ]; then
	pkgs+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross libgl1-mesa-dev:arm64 libx11-dev:arm64
		libxrandr-dev:arm64 libxcursor-dev:arm64 libxi-dev:arm64 libxinerama-dev:arm64
		libxxf86vm-dev:arm64 libturbojpeg0-dev:arm64 file)
fi
# Lab: QEMU, the disk image tools, and what the lab's host side runs.
if [ "$lab" = 1 ]; then
	pkgs+=(qemu-system-x86 qemu-utils mmdebstrap e2fsprogs socat curl jq)
	if [ "$cross" = 1 ]; then
		pkgs+=(qemu-system-arm qemu-user-static binfmt-support arch-test)
	fi
fi
if [ "$cross_armhf" = 1 ]; then
	pkgs+=(gcc-arm-linux-gnueabihf libc6-dev-armhf-cross libgl1-mesa-dev:armhf libx11-dev:armhf
		libxrandr-dev:armhf libxcursor-dev:armhf libxi-dev:armhf libxinerama-dev:armhf
		libxxf86vm-dev:armhf libturbojpeg0-dev:armhf file)
fi

# Package: Debian's package checker, and man to render the man pages.
if [ "$package" = 1 ]; then
	pkgs+=(lintian man-db)
fi

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run: $* (run as root, or install sudo)"
	fi
}

# installed PKG succeeds when dpkg has PKG installed. A name without an
# architecture means the machine's own architecture, or an Architecture: all
# package; an arm64 copy of a library does not count for the native one.
native_arch=""
installed() {
	local pkg="$1" status
	case "$pkg" in
	*:*) status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)" ;;
	*)
		status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg:$native_arch" 2>/dev/null ||
			dpkg-query -W -f='${db:Status-Status}' "$pkg:all" 2>/dev/null || true)"
		;;
	esac
	[ "$status" = installed ]
}

PATH_BEFORE="$PATH"
check_go() {
	if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
		export PATH="/usr/local/go/bin:$PATH"
	fi
	local want_major=1 want_minor=26 v
	if ! command -v go >/dev/null 2>&1; then
		cat >&2 <<-MSG
			ERROR: Go is not installed (looked on PATH and in /usr/local/go/bin).
			skaerm needs Go ${want_major}.${want_minor} or newer, and this script cannot download it.
			Install it from the official archive for your machine (linux-amd64 on a PC,
			linux-arm64 on a Pi), e.g.:
			    sudo tar -C /usr/local -xzf go1.26.x.linux-amd64.tar.gz
			    export PATH=/usr/local/go/bin:\$PATH   # add this line to ~/.profile too
			then run this script again.
		MSG
		exit 1
	fi
	v="$(go env GOVERSION)" # e.g. go1.26.8
	if [[ ! "$v" =~ ^go([0-9]+)\.([0-9]+) ]]; then
		warn "cannot read the Go version from '$v'; skaerm needs Go >= ${want_major}.${want_minor}"
		return
	fi
	local major="${BASH_REMATCH[1]}" minor="${BASH_REMATCH[2]}"
	if [ "$major" -lt "$want_major" ] || { [ "$major" -eq "$want_major" ] && [ "$minor" -lt "$want_minor" ]; }; then
		die "$(command -v go) is $v; skaerm needs Go >= ${want_major}.${want_minor}: install a newer Go into /usr/local/go (see https://go.dev/doc/install) and put /usr/local/go/bin first on PATH"
	fi
	if ! printf ':%s:' "$PATH_BEFORE" | grep -q ":$(dirname "$(command -v go)"):"; then
		log "Go $v found in $(dirname "$(command -v go)"), which is not on your PATH; the build scripts add it, but for your shell: export PATH=$(dirname "$(command -v go)"):\$PATH"
	else
		log "Go $v OK"
	fi
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	warn "this is not a Debian-like system (no dpkg/apt-get): install the equivalents of these yourself:"
	warn "  ${pkgs[*]}"
	check_go
	exit 0
fi
native_arch="$(dpkg --print-architecture)"

add_arch() {
	if [ "$native_arch" != "$1" ] && ! dpkg --print-foreign-architectures | grep -qx "$1"; then
		log "adding $1 as a foreign architecture (multiarch) for the cross build"
		as_root dpkg --add-architecture "$1"
	fi
}
[ "$cross" = 1 ] && add_arch arm64
[ "$cross_armhf" = 1 ] && add_arch armhf
if [ "$cross" = 1 ] && [ "$native_arch" = arm64 ]; then
	# On a Pi the native toolchain already builds for arm64.
	pkgs=("${pkgs[@]/%:arm64/}")
	filtered=()
	for p in "${pkgs[@]}"; do
		case "$p" in gcc-aarch64-linux-gnu | libc6-dev-arm64-cross) ;; *) filtered+=("$p") ;; esac
	done
	pkgs=("${filtered[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
	log "all ${#pkgs[@]} packages already installed"
else
	log "installing ${#missing[@]} missing packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# One update, then one install: apt's lists may be absent or stale on a
	# fresh machine, and arm64 lists appear only after an update.
	# A mirror in the middle of a sync can fail an update; try again, and
	# if it keeps failing go on with the lists apt has (the install says
	# clearly if a package cannot be found).
	for try in 1 2 3; do
		if as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q; then
			break
		fi
		if [ "$try" = 3 ]; then
			warn "apt-get update failed 3 times; trying the install with the package lists apt has"
		else
			warn "apt-get update failed; trying again in $((try * 10))s"
			sleep $((try * 10))
		fi
	done
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
	for p in "${missing[@]}"; do
		installed "$p" || die "apt-get finished but $p is still not installed"
	done
	log "installed: ${missing[*]}"
fi

check_go
