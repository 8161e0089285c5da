# Helpers for lab/screens scenarios (sourced by run-screen.sh).
# shellcheck shell=bash

# make_grub PREFIX [CFG|none|nofs]
# GRUB 2 for BIOS (grub-pc-bin's i386-pc modules) whose core looks for its modules and grub.cfg in
# PREFIX, e.g. '(hd0,msdos1)/boot/grub'. Writes $RUN/grub.lnx (lnxboot.img + core.img: a kernel image
# QEMU's -kernel loads, so no MBR has to be written) and $RUN/disk.raw, a 64 MiB disk with one FAT
# partition holding /boot/grub with every module and, when CFG is a file, it as grub.cfg; with `nofs`
# the partition is left without a file system.
make_grub() {
  local prefix=$1 cfg=${2:-none} mods=/usr/lib/grub/i386-pc part
  command -v grub-mkimage >/dev/null || die "grub-mkimage missing (apt-get install grub-pc-bin)"
  command -v mformat >/dev/null || die "mtools missing (apt-get install mtools)"
  grub-mkimage -O i386-pc -o "$RUN/core.img" -p "$prefix" biosdisk part_msdos fat
  cat "$mods/lnxboot.img" "$RUN/core.img" > "$RUN/grub.lnx"
  truncate -s 64M "$RUN/disk.raw"
  printf 'label: dos\nstart=2048, type=c, bootable\n' | sfdisk -q "$RUN/disk.raw"
  [ "$cfg" = nofs ] && return 0
  part="$RUN/disk.raw@@1M"
  mformat -i "$part" -F -v LABGRUB ::
  mmd -i "$part" ::/boot ::/boot/grub ::/boot/grub/i386-pc
  mcopy -i "$part" "$mods"/*.mod "$mods"/*.lst ::/boot/grub/i386-pc/
  [ "$cfg" = none ] || mcopy -i "$part" "$cfg" ::/boot/grub/grub.cfg
}
