#!/usr/bin/env bash
# Builds (once) the gpio-sim kernel module for the lab image's kernel and
# prints its path:
#
#   build/lab/module.sh ARCH IMAGE_DIR
#
# Check 5 (motion sensor) needs a GPIO line the lab can raise and lower
# under a real kernel GPIO character device, which is what periph's
# gpioioctl driver opens on a Pi. Debian's kernels carry no simulator for
# that (CONFIG_GPIO_SIM and CONFIG_GPIO_MOCKUP are off, and with them the
# IRQ simulator gpio-sim needs), so the module is built out of tree from the
# kernel's own sources (Debian's linux-source-6.1): gpio-sim.c and the IRQ
# simulator, kernel/irq/irq_sim.c, linked into one module, gpio-sim-lab.ko.
# One line of irq_sim.c calls irq_to_desc(), which the kernel does not
# export to modules; it is replaced by generic_handle_irq(), which does the
# same through exported code.
#
# The build runs in a throwaway Debian chroot (mmdebstrap) of the host's
# architecture from the same mirror as the image, with the headers of the
# image's exact kernel (linux-headers-VERSION); an arm64 module is cross-
# compiled there (gcc-aarch64-linux-gnu, the arm64 headers unpacked). The
# module lands in IMAGE_DIR/gpio-sim-lab.ko, so it is cached with the image
# it belongs to. It is not signed: the kernel loads it and marks itself
# tainted, which is fine in a lab guest.
set -euo pipefail
# shellcheck source=build/lib.sh
. "$(dirname "$0")/../lib.sh"

arch="${1:?usage: module.sh ARCH IMAGE_DIR}"
image="${2:?usage: module.sh ARCH IMAGE_DIR}"
mirror="${SKAERM_LAB_MIRROR:-http://deb.debian.org/debian}"
ko="$image/gpio-sim-lab.ko"
if [ -s "$ko" ]; then
	log "gpio-sim module: $ko (cached)"
	printf '%s\n' "$ko"
	exit 0
fi

# The image's kernel version: written by rootfs.sh, else read from the
# disk image's /lib/modules.
kver=""
if [ -s "$image/kernel-version" ]; then
	kver="$(cat "$image/kernel-version")"
else
	raw="$(mktemp /var/tmp/skaerm-lab-raw.XXXXXX)"
	trap 'rm -f "$raw"' EXIT
	qemu-img convert -O raw "$image/root.qcow2" "$raw"
	kver="$(debugfs -R 'ls -p /usr/lib/modules' "$raw" 2>/dev/null | awk -F/ '$6 ~ /^[0-9]/ { print $6 }' | head -n 1)"
	rm -f "$raw"
	trap - EXIT
	[ -n "$kver" ] || die "cannot tell the image's kernel version"
	printf '%s\n' "$kver" >"$image/kernel-version"
fi
log "building the gpio-sim module for $arch, kernel $kver"

host="$(dpkg --print-architecture)"
tmp="$(mktemp -d /var/tmp/skaerm-lab-module.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
inc=(make xz-utils linux-source-6.1 linux-kbuild-6.1)
archs="$host"
{
	echo 'set -e'
	echo 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin'
	echo 'cd /tmp'
	if [ "$arch" = "$host" ]; then
		inc+=("linux-headers-$kver")
		echo "make_args=''"
		echo "headers=/usr/src/linux-headers-$kver"
	else
		[ "$arch" = arm64 ] || die "no cross compiler known for $arch"
		archs="$host,$arch"
		inc+=(gcc-aarch64-linux-gnu libc6-dev)
		# The arm64 headers' own programs would be arm64 programs: only
		# their files are unpacked; the host's linux-kbuild-6.1 builds.
		echo "apt-get download linux-headers-$kver:arm64 linux-headers-${kver%-*}-common"
		# Unpacked apart: the headers carry /lib/modules/VERSION/build, and
		# unpacking onto / would put a directory where /lib is a symlink.
		echo 'for d in ./*.deb; do dpkg-deb -x "$d" /tmp/h; done'
		echo 'cp -a /tmp/h/usr/src/. /usr/src/'
		echo "headers=/usr/src/linux-headers-$kver"
		echo "make_args='ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-'"
	fi
	cat <<'EOF'
mkdir -p /tmp/m
tar -xJf /usr/src/linux-source-6.1.tar.xz --strip-components=1 -C /tmp/m \
	linux-source-6.1/drivers/gpio/gpio-sim.c linux-source-6.1/drivers/gpio/gpiolib.h \
	linux-source-6.1/kernel/irq/irq_sim.c
cd /tmp/m
mv drivers/gpio/gpio-sim.c drivers/gpio/gpiolib.h kernel/irq/irq_sim.c .
sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' irq_sim.c
grep -q 'generic_handle_irq(irqnum);' irq_sim.c
printf 'obj-m := gpio-sim-lab.o\ngpio-sim-lab-y := gpio-sim.o irq_sim.o\n' >Makefile
EOF
	echo 'make -C "$headers" M=/tmp/m $make_args modules'
} >"$tmp/build.sh"
start=$SECONDS
nice mmdebstrap --quiet --variant=apt --architectures="$archs" --include="$(
	IFS=,
	echo "${inc[*]}"
)" \
	--customize-hook="upload $tmp/build.sh /tmp/build.sh" \
	--customize-hook='chroot "$1" sh /tmp/build.sh' \
	--customize-hook="copy-out /tmp/m/gpio-sim-lab.ko $tmp" \
	bookworm "$tmp/root" "deb $mirror bookworm main"
[ -s "$tmp/gpio-sim-lab.ko" ] || die "the module was not built"
mv "$tmp/gpio-sim-lab.ko" "$ko"
log "gpio-sim module built in $((SECONDS - start)) s: $ko"
printf '%s\n' "$ko"
