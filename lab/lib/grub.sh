# GRUB 2 boot disk for the lab (sourced by run-scenario.sh when a scenario sets BOOT=grub).
# shellcheck shell=bash
#
# The disk is what a BIOS VM's OS disk has in front of the kernel: an MBR partition table, GRUB's
# boot.img in the MBR, core.img in the gap after it (sectors 1…), and one ext2 partition holding
# /boot/grub (grub.cfg, modules) and the kernel and initramfs. It is made from files, without loop
# devices or grub-install: grub-mkimage builds core.img with the prefix (hd0,msdos1)/boot/grub
# and the modules to read it; boot.img and diskboot (core.img's first sector) already point at
# sector 1 onwards, which is where grub-install would embed it. Needs the host's grub-pc-bin.
GRUB_LIB=${GRUB_LIB:-/usr/lib/grub/i386-pc}

# grub.cfg for one menu entry that boots the kernel with the given command line, GRUB on the serial
# port only (GRUB_TERMINAL, default "serial"; "serial console" also draws on the VGA console, which
# SeaBIOS mirrors to the serial port under -nographic, so every GRUB line prints twice), a 2 s menu.
# Prints the file's path.
grub_cfg_linux() { # append initrd(0/1)
  local cfg=$RUN/grub.cfg
  {
    echo 'serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1'
    echo "terminal_input ${GRUB_TERMINAL:-serial}"
    echo "terminal_output ${GRUB_TERMINAL:-serial}"
    echo 'set timeout=2'
    echo 'set default=0'
    echo "menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os {"
    echo '	insmod ext2'
    echo "	echo	'Loading Linux ...'"
    echo "	linux	/boot/vmlinuz $1"
    if [ "$2" = 1 ]; then
      echo "	echo	'Loading initial ramdisk ...'"
      echo '	initrd	/boot/initrd.img'
    fi
    echo '}'
  } > "$cfg"
  echo "$cfg"
}

make_grub_disk() { # out.raw grub.cfg|none kernel [initrd] [prefix]
  local out=$1 cfg=$2 kernel=$3 initrd=${4:-} prefix=${5:-'(hd0,msdos1)/boot/grub'} d
  [ -d "$GRUB_LIB" ] || die "no $GRUB_LIB (apt-get install grub-pc-bin)"
  d=$(mktemp -d)
  mkdir -p "$d/boot/grub/i386-pc"
  [ "$cfg" = none ] || cp "$cfg" "$d/boot/grub/grub.cfg"
  cp "$GRUB_LIB"/*.mod "$GRUB_LIB"/*.lst "$d/boot/grub/i386-pc/"
  cp "$kernel" "$d/boot/vmlinuz"
  [ -n "$initrd" ] && cp "$initrd" "$d/boot/initrd.img"
  rm -f "$out"
  truncate -s 128M "$out"
  printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$out"
  mke2fs -q -t ext2 -F -L boot -E offset=$((2048 * 512)) -d "$d" "$out" $(((128 - 1) * 1024))k
  grub-mkimage -O i386-pc -o "$d/core.img" -p "$prefix" biosdisk part_msdos ext2
  [ "$(stat -c %s "$d/core.img")" -lt $((2047 * 512)) ] || die "core.img does not fit the post-MBR gap"
  dd if="$GRUB_LIB/boot.img" of="$out" bs=440 count=1 conv=notrunc status=none
  dd if="$d/core.img" of="$out" bs=512 seek=1 conv=notrunc status=none
  rm -rf "$d"
}
