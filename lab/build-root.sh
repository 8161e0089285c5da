#!/bin/bash
# Build the boot lab's Debian 12 (bookworm) root and its disk image.
#
#   lab/build-root.sh            # debootstrap (if not done yet) + configure + image
#   lab/build-root.sh --force    # start again from an empty lab/work/root
#
# Output (all under lab/work/, which is gitignored):
#   root/         the debootstrap tree (kernel + initramfs in root/boot)
#   base.raw      3 GiB sparse raw image, one ext4 filesystem (no partition table),
#                 UUID $ROOT_UUID, made with `mke2fs -d` from root/ (no loop device, no mount)
#   vmlinuz, initrd.img   copies of the guest's own kernel and initramfs, booted with -kernel/-initrd
#
# Needs (as root): debootstrap, e2fsprogs (mke2fs >= 1.43 for -d), and the Debian mirror.
set -euo pipefail

LAB=$(cd "$(dirname "$0")" && pwd)
. "$LAB/lib/common.sh"

MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
ROOT=$WORK/root

[ "$(id -u)" = 0 ] || die "run as root (debootstrap, chroot)"
if [ "${1:-}" = --force ]; then rm -rf "$ROOT" "$WORK/base.raw"; fi
mkdir -p "$WORK"

# The guest's packages. Everything the scenarios need is installed once; scenarios switch
# pieces on and off in a copy of the image (see lib/common.sh: img_* helpers).
# debootstrap cannot resolve virtual packages (python3-cryptography needs python3-cffi-backend-api-*),
# so it installs the base system and apt-get in the chroot adds cloud-init, waagent and the rest.
BASE_PKGS=systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,e2fsprogs,util-linux,\
ifupdown,isc-dhcp-client,iproute2,netbase,procps
EXTRA_PKGS="openssh-server cloud-init waagent zstd"

if [ ! -e "$ROOT/.debootstrap-done" ]; then
  rm -rf "$ROOT"
  log "debootstrap $SUITE into $ROOT (a few minutes)"
  debootstrap --arch=amd64 --include="$BASE_PKGS" "$SUITE" "$ROOT" "$MIRROR"
  touch "$ROOT/.debootstrap-done"
fi
if [ ! -e "$ROOT/.extra-done" ]; then
  log "apt-get install $EXTRA_PKGS (in the chroot)"
  # bookworm + its security and point-release updates, as an up-to-date Debian 12 VM has them
  cat > "$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${SECURITY_MIRROR:-http://deb.debian.org/debian-security} $SUITE-security main
EOF
  mount -t proc proc "$ROOT/proc"
  mount -t devpts devpts "$ROOT/dev/pts"
  trap 'umount "$ROOT/dev/pts" "$ROOT/proc" 2>/dev/null || true' EXIT
  chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get update
  chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get -y dist-upgrade
  chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $EXTRA_PKGS
  chroot "$ROOT" apt-get clean
  umount "$ROOT/dev/pts" "$ROOT/proc"; trap - EXIT
  touch "$ROOT/.extra-done"
fi

log "configure the guest"
echo "$GUEST_HOSTNAME" > "$ROOT/etc/hostname"
cat > "$ROOT/etc/hosts" <<EOF
127.0.0.1	localhost
127.0.1.1	$GUEST_HOSTNAME

::1	localhost ip6-localhost ip6-loopback
ff02::1	ip6-allnodes
ff02::2	ip6-allrouters
EOF
cat > "$ROOT/etc/fstab" <<EOF
# <file system>	<mount point>	<type>	<options>	<dump>	<pass>
UUID=$ROOT_UUID	/	ext4	errors=remount-ro	0	1
EOF
# initramfs-tools' fsck hook cannot resolve the root UUID inside a chroot: name the type.
echo 'FSTYPE=ext4' > "$ROOT/etc/initramfs-tools/conf.d/lab-fstype"
# Network: QEMU user networking (DHCP from slirp); net.ifnames=0 on the kernel command line
# keeps the name eth0, as on Azure. The cloud-init scenarios delete this file and let
# cloud-init write its own (50-cloud-init).
cat > "$ROOT/etc/network/interfaces" <<EOF
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback
EOF
mkdir -p "$ROOT/etc/network/interfaces.d"
cat > "$ROOT/etc/network/interfaces.d/eth0" <<EOF
allow-hotplug eth0
iface eth0 inet dhcp
EOF

# A generated default locale (en_US.UTF-8): without it cloud-init's locale module fails on
# Debian (locale-gen only builds what /etc/locale.gen lists; update-locale then rejects LANG).
sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' "$ROOT/etc/locale.gen"
chroot "$ROOT" locale-gen
echo 'LANG=en_US.UTF-8' > "$ROOT/etc/default/locale"

# root's password is "lab" (the expect driver logs in with it for poweroff/reboot scenarios).
echo 'root:lab' | chroot "$ROOT" chpasswd

# Serial getty on ttyS0 (the generator would add it for console=ttyS0 anyway; be explicit).
chroot "$ROOT" systemctl enable serial-getty@ttyS0.service

# cloud-init and waagent are installed but off in the base image; the scenarios that need them
# turn them on. cloud-init: /etc/cloud/cloud-init.disabled (honoured by its systemd generator).
touch "$ROOT/etc/cloud/cloud-init.disabled"
for u in walinuxagent.service waagent.service; do
  if [ -e "$ROOT/lib/systemd/system/$u" ]; then chroot "$ROOT" systemctl disable "$u" || true; fi
done

# Lab units, installed disabled; scenarios enable them by adding the wants/ symlink.
install -m 0644 "$LAB"/guest/*.service "$ROOT/etc/systemd/system/"

# initramfs again now that /etc/fstab names the root (initramfs-tools' fsck hook reads it).
log "update-initramfs"
chroot "$ROOT" update-initramfs -u -k all

KVER=$(basename "$(ls -1 "$ROOT"/boot/vmlinuz-* | sort -V | tail -1)" | sed 's/^vmlinuz-//')
cp "$ROOT/boot/vmlinuz-$KVER" "$WORK/vmlinuz"
cp "$ROOT/boot/initrd.img-$KVER" "$WORK/initrd.img"
echo "$KVER" > "$WORK/kernel-version"
log "kernel $KVER"

log "make $WORK/base.raw (ext4 from $ROOT)"
rm -f "$WORK/base.raw"
mke2fs -q -t ext4 -F -L bootlab-root -U "$ROOT_UUID" -d "$ROOT" "$WORK/base.raw" 3G
log "done: $(du -h --apparent-size "$WORK/base.raw" | cut -f1) apparent, $(du -h "$WORK/base.raw" | cut -f1) used"
