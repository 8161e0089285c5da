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

# make_grub_efi CFG [PREFIX]
# GRUB 2 for UEFI (grub-efi-amd64-bin) on $RUN/disk.raw: a GPT disk whose FAT EFI system partition
# holds /EFI/BOOT/BOOTX64.EFI, the path OVMF boots from removable media. Without PREFIX it is
# grub-mkstandalone with CFG as its grub.cfg (every module inside); with PREFIX it is a bare core
# (grub-mkimage) that looks for its modules there, as the rescue screens need.
make_grub_efi() {
  local cfg=$1 prefix=${2:-} mods=/usr/lib/grub/x86_64-efi part
  [ -d "$mods" ] || die "no $mods (apt-get install grub-efi-amd64-bin)"
  if [ -z "$prefix" ]; then
    grub-mkstandalone -O x86_64-efi -o "$RUN/BOOTX64.EFI" "boot/grub/grub.cfg=$cfg"
  else
    grub-mkimage -O x86_64-efi -o "$RUN/BOOTX64.EFI" -p "$prefix" part_gpt part_msdos fat
  fi
  truncate -s 64M "$RUN/disk.raw"
  printf 'label: gpt\nstart=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n' | sfdisk -q "$RUN/disk.raw"
  part="$RUN/disk.raw@@1M"
  mformat -i "$part" -F -v ESP ::
  mmd -i "$part" ::/EFI ::/EFI/BOOT
  mcopy -i "$part" "$RUN/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
}

# glyph_echo_cfg OUT — a grub.cfg that clears the console and prints glyphs.txt, line by line, then waits
glyph_echo_cfg() {
  {
    echo 'terminal_output console'
    echo 'clear'
    while IFS= read -r line; do
      printf "echo '%s'\n" "$(printf '%s' "$line" | sed "s/'/'\\\\''/g")"
    done < "$SCREENS/glyphs.txt"
    echo 'sleep 600'
  } > "$1"
}
