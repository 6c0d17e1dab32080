#!/usr/bin/env bash
# Builds (once) the lab's Debian bookworm disk image and prints the folder
# that holds it:
#
#   build/lab/rootfs.sh [amd64|arm64]
#
# The folder, under $SKAERM_LAB_CACHE (default /var/cache/skaerm-lab), is
# named after a hash of build/lab/packages, build/lab/image/ and the
# architecture, so a second run with the same list finds it and does nothing.
# It holds root.qcow2 (an ext4 file system made with `mkfs.ext4 -d`, no loop
# mounts), and the image's own kernel (vmlinuz) and initrd (initrd.img).
#
# mmdebstrap fetches Debian's packages from deb.debian.org; building the
# arm64 image on a PC runs the packages' scripts through qemu-user.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/../lib.sh"

arch="${1:-amd64}"
lab="$SKAERM_ROOT/build/lab"
cache="${SKAERM_LAB_CACHE:-/var/cache/skaerm-lab}"
mirror="${SKAERM_LAB_MIRROR:-http://deb.debian.org/debian}"

# build/lab/packages, plus the package's own Depends and Recommends from
# build/nfpm.yaml, so that `apt install ./skaerm.deb` works in the guest,
# which reaches no mirror.
pkgs="$( (
	sed 's/#.*//; s/ARCH/'"$arch"'/' "$lab/packages"
	awk '/^(depends|recommends):/ { on = 1; next } /^[a-z]/ { on = 0 } on && /^  - / { print $2 }' \
		"$SKAERM_ROOT/build/nfpm.yaml" | grep -v '[$]'
) | tr -s ' \n' '\n' | grep . | sort -u | paste -sd, -)"
key="$( (
	echo "$arch $mirror"
	echo "$pkgs"
	cd "$lab/image" && for f in *; do echo "== $f" && cat "$f"; done
) | sha256sum | cut -c1-16)"
dir="$cache/bookworm-$arch-$key"
if [ -f "$dir/root.qcow2" ] && [ -f "$dir/vmlinuz" ] && [ -f "$dir/initrd.img" ]; then
	log "lab image: $dir (cached)"
	printf '%s\n' "$dir"
	exit 0
fi

need=(mmdebstrap mkfs.ext4 qemu-img)
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
	need+=(qemu-aarch64-static)
	# The foreign packages' scripts run through binfmt_misc.
	if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	fi
	update-binfmts --enable >/dev/null 2>&1 || true
fi
for t in "${need[@]}"; do
	command -v "$t" >/dev/null 2>&1 || die "$t is missing: run build/lab/deps.sh"
done

mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.build-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log "building the lab image for $arch with mmdebstrap (a few minutes; cached in $dir)"
start=$SECONDS
nice mmdebstrap --quiet --variant=apt --architectures="$arch" --include="$pkgs" \
	--customize-hook="$lab/image/setup.sh \"\$1\"" \
	bookworm "$tmp/root" "deb $mirror bookworm main"
cp -L "$tmp/root/vmlinuz" "$tmp/vmlinuz"
ls "$tmp/root/usr/lib/modules" | head -n 1 >"$tmp/kernel-version"
cp -L "$tmp/root/initrd.img" "$tmp/initrd.img"
# The disk: 4 GB of ext4 made straight from the tree, then compacted into a
# qcow2 that every run overlays (the base is never written).
nice mkfs.ext4 -q -L skaerm-lab -E root_owner=0:0 -d "$tmp/root" "$tmp/root.img" 4G
nice qemu-img convert -O qcow2 "$tmp/root.img" "$tmp/root.qcow2"
rm -rf "$tmp/root" "$tmp/root.img"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
log "lab image built in $((SECONDS - start)) s: $dir"
printf '%s\n' "$dir"
