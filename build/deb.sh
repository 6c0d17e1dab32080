#!/usr/bin/env bash
# Builds the skaerm Debian package for a Raspberry Pi (or a PC):
#
#   build/deb.sh [arm64|armhf|amd64] [--binaries-only]
#
# The default is arm64 (Raspberry Pi OS 64-bit); --binaries-only stops after
# building dist/<arch>/.
#
# Cross-compiles the programs in cmd/ that go on a screen (skaerm and, when
# present, skaerm-screen) with cgo against the target's libraries (multiarch),
# stages them with the systemd units and the example configuration under
# dist/stage/, and packages dist/skaerm_<version>_<arch>.deb with nfpm.
#
# nfpm is installed once from the Go module proxy, at the pinned version
# below, into build/.tools/bin (ignored by git); nothing else is downloaded.
#
# Environment: VERSION overrides the version (see build/version.sh);
# SKAERM_MAINTAINER and SKAERM_HOMEPAGE fill the package's
# control fields; SKIP_DEPS=1 skips build/deps.sh.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SKAERM_ROOT"

# v2.44.1 is the newest nfpm whose dependencies all come from the Go module
# proxy (later releases need modules hosted elsewhere).
NFPM_VERSION=v2.44.1

arch=arm64
binaries_only=0
for arg in "$@"; do
	case "$arg" in
	--binaries-only) binaries_only=1 ;;
	-*) die "unknown option $arg" ;;
	*) arch="$arg" ;;
	esac
done
case "$arch" in
arm64)
	goarch=arm64 goarm="" cc=aarch64-linux-gnu-gcc deps_flag=--cross objdump=aarch64-linux-gnu-objdump
	file_expect='ELF 64-bit LSB .*ARM aarch64'
	;;
armhf)
	# Raspberry Pi OS 32-bit (Pi 2, 3, Zero 2 W): ARMv7 with hardware floats.
	goarch=arm goarm=7 cc=arm-linux-gnueabihf-gcc deps_flag=--cross-armhf objdump=arm-linux-gnueabihf-objdump
	file_expect='ELF 32-bit LSB .*ARM, EABI5'
	;;
amd64)
	goarch=amd64 goarm="" cc=gcc deps_flag="" objdump=objdump
	file_expect='ELF 64-bit LSB .*x86-64'
	;;
*) die "unknown architecture '$arch' (use arm64, armhf or amd64)" ;;
esac
# On the target itself, build natively.
if [ "$(dpkg --print-architecture 2>/dev/null || true)" = "$arch" ]; then
	cc=gcc deps_flag="" objdump=objdump
fi

if [ "${SKIP_DEPS:-0}" != 1 ]; then
	# --display: Xvfb, in which skaerm-screen prints its help for the man page.
	# shellcheck disable=SC2086 # deps_flag is one word or none
	"$SKAERM_ROOT/build/deps.sh" --display $deps_flag
fi
ensure_go

version="$(skaerm_version)"
commit="$(skaerm_commit)"
ldflags="$(skaerm_ldflags)"
log "skaerm $version (commit $commit) for $arch"

# The programs that go on a screen: skaerm always; skaerm-screen (which
# draws) when the tree has it.
[ -d cmd/skaerm ] || die "cmd/skaerm not found in $SKAERM_ROOT"
progs=(skaerm)
[ -d cmd/skaerm-screen ] && progs+=(skaerm-screen)

output_dir dist
bindir="dist/$arch"
mkdir -p "$bindir"
# Hardened as Debian builds programs: position-independent (ASLR), linked by
# the C toolchain with full RELRO and BIND_NOW, the C parts with a stack
# protector and fortified libc calls.
hardening_cflags="-O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2"
hardening_ldflags="-linkmode=external -extldflags '-Wl,-z,relro -Wl,-z,now'"
for p in "${progs[@]}"; do
	log "go build ./cmd/$p (GOARCH=$goarch${goarm:+ GOARM=$goarm} CC=$cc)"
	CGO_ENABLED=1 GOOS=linux GOARCH="$goarch" GOARM="$goarm" CC="$cc" CGO_CFLAGS="$hardening_cflags" \
		go build -trimpath -buildmode=pie -ldflags "$ldflags $hardening_ldflags" -o "$bindir/$p" "./cmd/$p"
	desc="$(file -b "$bindir/$p")"
	printf '    %s: %s\n' "$p" "$desc"
	[[ "$desc" =~ $file_expect ]] || die "$bindir/$p is not a $arch executable: $desc"
done
"$SKAERM_ROOT/build/check-hardening.sh" "${progs[@]/#/$bindir/}" >&2

if [ "$binaries_only" = 1 ]; then
	exit 0
fi

# The newest glibc symbol version the binaries use is the least libc6 the
# package can run with.
glibc="$(for p in "${progs[@]}"; do "$objdump" -T "$bindir/$p" 2>/dev/null; done |
	grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1 || true)"
export SKAERM_LIBC_DEPENDS="libc6${glibc:+ (>= $glibc)}"

# Stage the package's files.
stage="dist/stage"
rm -rf "$stage"
install -d "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/etc/skaerm" \
	"$stage/usr/share/doc/skaerm/examples"
install -m 0755 "$bindir/skaerm" "$stage/usr/bin/skaerm"
if [ -f "$bindir/skaerm-screen" ] && [[ " ${progs[*]} " == *" skaerm-screen "* ]]; then
	install -d "$stage/usr/lib/skaerm"
	install -m 0755 "$bindir/skaerm-screen" "$stage/usr/lib/skaerm/skaerm-screen"
fi
install -m 0644 systemd/skaerm.service systemd/skaerm-kiosk.service "$stage/lib/systemd/system/"
install -d "$stage/usr/share/skaerm"
install -m 0644 systemd/skaerm-kiosk.xorg.conf "$stage/usr/share/skaerm/"
install -d "$stage/usr/lib/udev/rules.d"
install -m 0644 systemd/60-skaerm-gpio.rules "$stage/usr/lib/udev/rules.d/"
install -m 0644 systemd/skaerm-backend.service "$stage/usr/share/doc/skaerm/examples/"
example=internal/config/config.example.toml
if [ -f "$example" ]; then
	install -m 0644 "$example" "$stage/etc/skaerm/config.toml"
	install -m 0644 "$example" "$stage/usr/share/doc/skaerm/examples/config.example.toml"
else
	warn "$example is missing: packaging a placeholder configuration"
	cat >"$stage/etc/skaerm/config.toml" <<-'TOML'
		# skaerm configuration (placeholder: the full example was not in this build).
		[backend]
		url = "https://manager.example.dk"
	TOML
fi
if [ -f README.md ]; then
	install -m 0644 README.md "$stage/usr/share/doc/skaerm/README.md"
fi
install -m 0644 build/README.md "$stage/usr/share/doc/skaerm/BUILDING.md"
export SKAERM_MAINTAINER="${SKAERM_MAINTAINER:-skaerm maintainers <skaerm@example.invalid>}"
# copyright, changelog and man pages, made from the programs and the history.
staged=("$stage/usr/bin/skaerm")
[ -f "$stage/usr/lib/skaerm/skaerm-screen" ] && staged+=("$stage/usr/lib/skaerm/skaerm-screen")
"$SKAERM_ROOT/build/package-docs.sh" "$stage" "${staged[@]}"

# nfpm, pinned, built once into build/.tools.
tools="$SKAERM_ROOT/build/.tools"
nfpm="$tools/bin/nfpm"
if [ ! -x "$nfpm" ] || [ "$(cat "$tools/nfpm.version" 2>/dev/null)" != "$NFPM_VERSION" ]; then
	log "installing nfpm $NFPM_VERSION into build/.tools/bin"
	mkdir -p "$tools/bin"
	(cd "$tools" && GOBIN="$tools/bin" GOFLAGS='' CGO_ENABLED=0 \
		go install "github.com/goreleaser/nfpm/v2/cmd/nfpm@$NFPM_VERSION")
	echo "$NFPM_VERSION" >"$tools/nfpm.version"
fi

export SKAERM_VERSION="$version"
export SKAERM_DEB_ARCH="$arch"
export SKAERM_HOMEPAGE="${SKAERM_HOMEPAGE:-https://example.invalid/skaerm}"
deb="dist/skaerm_${version}_${arch}.deb"
rm -f "$deb"
"$nfpm" package --config build/nfpm.yaml --packager deb --target "$deb" >&2
[ -f "$deb" ] || die "nfpm did not write $deb"
log "built $deb ($(du -h "$deb" | cut -f1))"
printf '%s\n' "$deb"
