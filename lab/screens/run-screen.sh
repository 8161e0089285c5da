#!/bin/bash
# Boot one screen scenario under QEMU with a real display (std VGA: bochs-drm, a 1024x768 framebuffer
# console; or VGA text mode for SeaBIOS/GRUB) and keep what the screen showed: QEMU's screendump (PNG,
# the screen as the VM drew it), the same screen shrunk the way Azure shrinks it into its 640x480
# boot-diagnostics screenshot, and the serial log of the same boot (the ground truth for kernel text).
#
#   lab/screens/run-screen.sh <name>      # writes test/fixtures/screens/lab/<name>.png, .full.png, .serial.log
#   lab/screens/run-screen.sh --list
#
# A scenario is lab/screens/scenarios/<name>.sh. Besides what lab/run-scenario.sh scenarios set
# (DESC, MEM, APPEND, INITRD, EXTRA_QEMU, STEPS, prepare), it may set
#   BOOT=kernel|grub|uefi  kernel: -kernel/-initrd of the lab root (default); grub: GRUB (i386-pc) made
#                      by prepare with make_grub (lib.sh) as $RUN/grub.lnx, booted by SeaBIOS with the
#                      disk $RUN/disk.raw: GRUB in VGA text mode, as on a BIOS (Gen1) VM; uefi: OVMF
#                      (UEFI firmware, ovmf package) with $RUN/disk.raw if prepare made one (make_grub_efi),
#                      as on a UEFI (Gen2) VM; UEFI_RES=WxH picks the display's preferred mode
#   SERIAL=0           do not keep the serial log (glyph sheets: their ground truth is glyphs.txt)
# and use `shot <name>` in STEPS: a QMP screendump to $RUN/<name>.png (`screen` gives <name>.png,
# any other <shot> gives <name>-<shot>.png).
# Needs what lab/README.md lists, plus grub-pc-bin, mtools and kbd (for the GRUB and setfont scenarios).
set -euo pipefail

SCREENS=$(cd "$(dirname "$0")" && pwd)
LAB=$(cd "$SCREENS/.." && pwd)
. "$LAB/lib/common.sh"
. "$SCREENS/lib.sh"
FIXTURES=${FIXTURES:-$REPO/test/fixtures/screens/lab}

if [ "${1:-}" = --list ] || [ -z "${1:-}" ]; then
  for f in "$SCREENS"/scenarios/*.sh; do
    n=$(basename "$f" .sh); d=$(sed -n 's/^DESC=["'\'']\(.*\)["'\'']$/\1/p' "$f" | head -1)
    printf '%-28s %s\n' "$n" "$d"
  done
  [ -n "${1:-}" ] && exit 0 || exit 2
fi

NAME=$1
SCN=$SCREENS/scenarios/$NAME.sh
[ -f "$SCN" ] || die "no screen scenario $NAME (see --list)"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"

DESC=""
MEM=768
SMP=1
BOOT=kernel
# kernel messages on both consoles; /dev/console (userspace: systemd, initramfs) is the last one named
CONSOLE="console=tty0 console=ttyS0,115200n8"
CONSOLE_TTY_LAST="console=ttyS0,115200n8 console=tty0"
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE net.ifnames=0 video=1024x768"
INITRD=1
SERIAL=1
EXTRA_QEMU=()
LOGIN_RE='(^|\n)[a-z0-9-]+ login: '
LOGIN_STEPS="wait 900 $LOGIN_RE
send root
wait 60 Password:
send lab
wait 120 :~# "
STEPS="wait 900 $LOGIN_RE
sleep 5
shot screen"
prepare() { :; }

RUN=$WORK/screens/$NAME
rm -rf "$RUN"; mkdir -p "$RUN"
IMG=$RUN/root.raw
. "$SCN"

log "$NAME: $DESC"
if [ "$BOOT" = kernel ]; then
  [ -f "$WORK/base.raw" ] || die "no $WORK/base.raw: run lab/build-root.sh first"
  cp --sparse=always "$WORK/base.raw" "$IMG"
fi
prepare

VGA=(-vga std)
[ -n "${UEFI_RES:-}" ] && VGA=(-vga none -device "VGA,edid=on,xres=${UEFI_RES%x*},yres=${UEFI_RES#*x}")
QEMU=(qemu-system-x86_64 -accel tcg -machine pc -m "$MEM" -smp "$SMP"
  -display none "${VGA[@]}" -monitor none -parallel none
  -chardev "stdio,id=ser0,signal=off,logfile=$RUN/serial.log"
  -serial chardev:ser0
  -qmp "unix:$RUN/qmp.sock,server=on,wait=off")
if [ "$BOOT" = kernel ]; then
  QEMU+=(-kernel "$WORK/vmlinuz")
  [ "$INITRD" = 1 ] && QEMU+=(-initrd "$WORK/initrd.img")
  QEMU+=(-append "$APPEND" -drive "file=$IMG,format=raw,if=virtio,id=root" -nic user,model=virtio-net-pci)
elif [ "$BOOT" = grub ]; then
  QEMU+=(-kernel "$RUN/grub.lnx" -drive "file=$RUN/disk.raw,format=raw,if=ide,id=disk" -nic none)
else
  cp /usr/share/OVMF/OVMF_VARS_4M.fd "$RUN/vars.fd"
  QEMU+=(-drive "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"
    -drive "if=pflash,format=raw,file=$RUN/vars.fd")
  [ -f "$RUN/disk.raw" ] && QEMU+=(-drive "file=$RUN/disk.raw,format=raw,if=ide,id=disk")
  [ -n "${UEFI_NIC:-}" ] && QEMU+=(-nic "user,model=virtio-net-pci") || QEMU+=(-nic none)
fi
QEMU+=("${EXTRA_QEMU[@]}")

# `shot <name>`: a screendump of the screen as QEMU shows it
STEPS=$(printf '%s\n' "$STEPS" | sed -E "s#^shot ([a-z0-9-]+)\$#qmp {\"execute\":\"screendump\",\"arguments\":{\"filename\":\"$RUN/\\1.png\",\"format\":\"png\"}}#")
{
  echo "scenario: $NAME"
  echo "desc: $DESC"
  echo "kernel: $(cat "$WORK/kernel-version" 2>/dev/null)"
  echo "qemu: $(qemu-system-x86_64 --version | head -1)"
  printf 'cmd:'; printf ' %q' "${QEMU[@]}"; echo
  echo "steps:"; printf '%s\n' "$STEPS" | sed 's/^/  /'
} > "$RUN/meta"

export QMP_SOCK=$RUN/qmp.sock
start=$(date +%s)
set +e
expect -f "$LAB/lib/drive.exp" "$STEPS" -- "${QEMU[@]}" 2> >(tee "$RUN/drive.log" >&2)
rc=$?
set -e
secs=$(( $(date +%s) - start ))
echo "wall: ${secs}s rc=$rc" >> "$RUN/meta"
[ "${KEEP_DISKS:-0}" = 1 ] || rm -f "$IMG" "$RUN"/*.raw "$RUN"/*.fd
[ "$rc" = 0 ] || die "$NAME: the console did not go as the scenario expects; see $RUN (nothing copied)"

mkdir -p "$FIXTURES"
NODE=$REPO/node_modules/.bin/node
for shot in "$RUN"/*.png; do
  base=$(basename "$shot" .png)
  out=$NAME; [ "$base" = screen ] || out=$NAME-$base
  cp "$shot" "$FIXTURES/$out.full.png"
  "$NODE" --import tsx "$SCREENS/shrink.ts" "$shot" "$FIXTURES/$out.png"
  log "wrote $FIXTURES/$out.png (640x480, shrunk the Azure way) and $out.full.png"
done
if [ "$SERIAL" = 1 ]; then
  cp "$RUN/serial.log" "$FIXTURES/$NAME.serial.log"
  log "wrote $FIXTURES/$NAME.serial.log"
fi
log "$NAME: done in ${secs}s"
