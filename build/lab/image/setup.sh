#!/bin/sh
# mmdebstrap customize hook: turns the bootstrapped tree ($1) into the lab's
# guest. Runs on the host, as root.
set -eu
root="$1"
here="$(dirname "$0")"
echo skaerm-lab >"$root/etc/hostname"
printf '127.0.1.1 skaerm-lab\n10.0.2.100 backend.lab\n' >>"$root/etc/hosts"
printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' >"$root/etc/fstab"
# The lab's network: QEMU's user networking, DHCP from it; the only address
# reachable beyond the guest is the lab's backend at 10.0.2.100.
mkdir -p "$root/etc/systemd/network"
printf '[Match]\nName=en*\n\n[Network]\nDHCP=ipv4\n' >"$root/etc/systemd/network/20-lab.network"
chroot "$root" systemctl enable systemd-networkd.service
# No login on the serial console: the driver writes there.
chroot "$root" systemctl mask serial-getty@ttyS0.service serial-getty@ttyAMA0.service
# Root without a password, for a look with --keep.
chroot "$root" passwd -d root
install -m 0755 "$here/skaerm-lab-boot" "$root/usr/local/sbin/skaerm-lab-boot"
install -m 0644 "$here/skaerm-lab.service" "$root/etc/systemd/system/skaerm-lab.service"
chroot "$root" systemctl enable skaerm-lab.service
# apt inside the guest installs only local files: no lists, no network.
rm -rf "$root/var/lib/apt/lists/"*
