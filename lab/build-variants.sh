#!/bin/bash
# Variants of the lab guest, made from the root that build-root.sh left in lab/work/root
# (run build-root.sh first). Each variant is a copy of that tree changed in a chroot:
#
#   initrd-dracut.img        dracut (with systemd in the initrd) instead of initramfs-tools, for the
#                            same kernel; it boots base.raw (scenarios: INITRD_FILE=$WORK/initrd-dracut.img)
#   sysv.raw                 sysvinit-core instead of systemd-sysv (SysV rc scripts, "INIT: version"),
#                            a getty on ttyS0 in /etc/inittab; same root UUID, base initramfs
#   cloud.raw, vmlinuz-cloud, initrd-cloud.img
#                            Debian's cloud kernel (linux-image-cloud-amd64) with its own
#                            initramfs-tools initramfs, plus lvm2 (for the LVM scenarios)
#
#   bullseye.raw, vmlinuz-bullseye, initrd-bullseye.img
#                            a second, smaller guest: Debian 11 (bullseye) from debootstrap, its
#                            kernel 5.10 and systemd 247 (status lines without unit names), no
#                            cloud-init or waagent; same host name, password, root UUID and fstab
#
#   lab/build-variants.sh            # dracut, sysv, cloud
#   lab/build-variants.sh bullseye   # one (dracut | sysv | cloud | bullseye)
set -euo pipefail

LAB=$(cd "$(dirname "$0")" && pwd)
. "$LAB/lib/common.sh"
ROOT=$WORK/root
[ "$(id -u)" = 0 ] || die "run as root (chroot)"
[ -e "$ROOT/.extra-done" ] && [ -f "$WORK/base.raw" ] || die "run lab/build-root.sh first"
KVER=$(cat "$WORK/kernel-version")

copy_root() { # name -> $WORK/root-<name>, a fresh copy of the base tree
  local dst=$WORK/root-$1
  rm -rf "$dst"
  log "copy the base tree to $dst"
  cp -a "$ROOT" "$dst"
  echo "$dst"
}
in_chroot() { # dir cmd...
  local dir=$1; shift
  mount -t proc proc "$dir/proc"
  mount -t devpts devpts "$dir/dev/pts"
  local rc=0
  chroot "$dir" env DEBIAN_FRONTEND=noninteractive "$@" || rc=$?
  umount "$dir/dev/pts" "$dir/proc"
  return $rc
}
make_image() { # dir out.raw
  log "make $2 (ext4 from $1)"
  rm -f "$2"
  mke2fs -q -t ext4 -F -L bootlab-root -U "$ROOT_UUID" -d "$1" "$2" 3G
}

build_dracut() {
  local r; r=$(copy_root dracut)
  log "dracut: apt-get install dracut (replaces initramfs-tools)"
  in_chroot "$r" apt-get update
  in_chroot "$r" apt-get install -y --no-install-recommends dracut dracut-core 2>&1 | tail -5
  # a generic (not host-only) initramfs, as distributions ship in their images
  in_chroot "$r" dracut --force --no-hostonly --add-drivers "virtio_blk virtio_pci virtio_net ext4" \
    /boot/initrd-dracut.img "$KVER"
  cp "$r/boot/initrd-dracut.img" "$WORK/initrd-dracut.img"
  rm -rf "$r"
  log "wrote $WORK/initrd-dracut.img"
}

build_sysv() {
  local r; r=$(copy_root sysv)
  log "sysv: apt-get install sysvinit-core (replaces systemd-sysv)"
  in_chroot "$r" apt-get update
  in_chroot "$r" apt-get install -y --no-install-recommends sysvinit-core systemd-sysv- 2>&1 | tail -5
  # cloud-init is off, as in the base image: its systemd generator honours cloud-init.disabled,
  # but under sysvinit its rc scripts would run it (and wait minutes for a datasource)
  local u
  for u in cloud-init-local cloud-init cloud-config cloud-final; do in_chroot "$r" update-rc.d "$u" disable || true; done
  grep -q "^T0:.*ttyS0" "$r/etc/inittab" ||
    echo 'T0:2345:respawn:/sbin/getty -L ttyS0 115200 vt100' >> "$r/etc/inittab"
  in_chroot "$r" apt-get clean
  make_image "$r" "$WORK/sysv.raw"
  rm -rf "$r"
}

build_cloud() {
  local r; r=$(copy_root cloud)
  log "cloud: apt-get install linux-image-cloud-amd64 lvm2"
  in_chroot "$r" apt-get update
  in_chroot "$r" apt-get install -y --no-install-recommends linux-image-cloud-amd64 lvm2 2>&1 | tail -5
  local ck
  ck=$(basename "$(ls -1 "$r"/boot/vmlinuz-*cloud* | sort -V | tail -1)" | sed 's/^vmlinuz-//')
  in_chroot "$r" update-initramfs -u -k "$ck"
  cp "$r/boot/vmlinuz-$ck" "$WORK/vmlinuz-cloud"
  cp "$r/boot/initrd.img-$ck" "$WORK/initrd-cloud.img"
  echo "$ck" > "$WORK/kernel-version-cloud"
  in_chroot "$r" apt-get clean
  make_image "$r" "$WORK/cloud.raw"
  rm -rf "$r"
  log "cloud kernel $ck"
}

build_bullseye() {
  local r=$WORK/root-bullseye mirror=${MIRROR:-http://deb.debian.org/debian}
  rm -rf "$r"
  log "debootstrap bullseye into $r"
  debootstrap --arch=amd64 --include=systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,e2fsprogs,ifupdown,isc-dhcp-client,iproute2,netbase,procps \
    bullseye "$r" "$mirror" > "$WORK/debootstrap-bullseye.out" 2>&1
  echo "$GUEST_HOSTNAME" > "$r/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "$GUEST_HOSTNAME" > "$r/etc/hosts"
  printf 'UUID=%s\t/\text4\terrors=remount-ro\t0\t1\n' "$ROOT_UUID" > "$r/etc/fstab"
  echo 'FSTYPE=ext4' > "$r/etc/initramfs-tools/conf.d/lab-fstype"
  printf 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n' > "$r/etc/network/interfaces"
  mkdir -p "$r/etc/network/interfaces.d"
  printf 'allow-hotplug eth0\niface eth0 inet dhcp\n' > "$r/etc/network/interfaces.d/eth0"
  echo 'root:lab' | chroot "$r" chpasswd
  chroot "$r" systemctl enable serial-getty@ttyS0.service
  install -m 0644 "$LAB"/guest/*.service "$r/etc/systemd/system/"
  in_chroot "$r" update-initramfs -u -k all
  local k
  k=$(basename "$(ls -1 "$r"/boot/vmlinuz-* | sort -V | tail -1)" | sed 's/^vmlinuz-//')
  cp "$r/boot/vmlinuz-$k" "$WORK/vmlinuz-bullseye"
  cp "$r/boot/initrd.img-$k" "$WORK/initrd-bullseye.img"
  echo "$k" > "$WORK/kernel-version-bullseye"
  in_chroot "$r" apt-get clean
  make_image "$r" "$WORK/bullseye.raw"
  rm -rf "$r"
  log "bullseye kernel $k"
}

for v in "${@:-dracut sysv cloud}"; do
  for w in $v; do "build_$w"; done
done
log "variants done"
