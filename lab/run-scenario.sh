#!/bin/bash
# Boot one lab scenario under QEMU (software emulation) and keep its serial console log.
#
#   lab/run-scenario.sh <name>          # writes test/corpus/lab/<name>.log
#   lab/run-scenario.sh --list
#
# A scenario is lab/scenarios/<name>.sh. It may set (defaults below):
#   DESC        one line: what the scenario does (printed, and kept in lab/work/run/<name>/meta)
#   MEM SMP     guest memory (MiB) and CPUs
#   APPEND      kernel command line (the default boots the base root from its UUID)
#   INITRD      1 = boot with the guest's initramfs, 0 = without
#   BASE        root image in lab/work to copy (default base.raw; build-variants.sh makes sysv.raw, cloud.raw)
#   KERNEL INITRD_FILE  kernel and initramfs (default lab/work/vmlinuz, initrd.img; build-variants.sh
#               adds initrd-dracut.img and vmlinuz-cloud/initrd-cloud.img)
#   BOOT        kernel = QEMU -kernel/-initrd (default); grub = a GRUB boot disk (MBR, GRUB 2 in the
#               post-MBR gap, /boot on ext2) made by lib/grub.sh from GRUB_CFG (default: one entry
#               that boots KERNEL/INITRD_FILE with APPEND), first in the firmware's boot order
#   NOREBOOT    1 = QEMU exits when the guest resets (-no-reboot): a log that ends at "Restarting system"
#   EXTRA_QEMU  array of extra QEMU arguments (disks, -no-reboot, ...)
#   STEPS       the console script for lib/drive.exp (wait/send/sleep/eof/kill)
# and define prepare() to change its private copy of the root image ($IMG) with the img_*
# helpers of lib/common.sh, or to make extra disks in $RUN.
# The log is copied to test/corpus/lab only when every step of STEPS happened as expected.
# The scenario's disk images are deleted after the run; KEEP_DISKS=1 keeps them (for debugfs/e2fsck).
set -euo pipefail

LAB=$(cd "$(dirname "$0")" && pwd)
. "$LAB/lib/common.sh"

if [ "${1:-}" = --list ] || [ -z "${1:-}" ]; then
  for f in "$LAB"/scenarios/*.sh; do
    n=$(basename "$f" .sh); d=$(sed -n 's/^DESC=["'\'']\(.*\)["'\'']$/\1/p' "$f" | head -1)
    printf '%-28s %s\n' "$n" "$d"
  done
  [ -n "${1:-}" ] && exit 0 || exit 2
fi

NAME=$1
SCN=$LAB/scenarios/$NAME.sh
[ -f "$SCN" ] || die "no scenario $NAME (see --list)"
[ -f "$WORK/base.raw" ] || die "no $WORK/base.raw: run lab/build-root.sh first"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
command -v expect >/dev/null || die "expect missing (apt-get install expect)"

# ---- defaults ----
DESC=""
MEM=768
SMP=1
CONSOLE="console=tty0 console=ttyS0,115200n8 earlyprintk=ttyS0,115200"
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE net.ifnames=0"
# the same without earlyprintk (as a distribution's GRUB entry has it), for quiet and dmesg-style boots
PLAIN="root=UUID=$ROOT_UUID ro console=tty0 console=ttyS0,115200n8 net.ifnames=0"
# systemd's messages to the kernel log only, no status lines on the console
DMESG="systemd.show_status=0 systemd.log_target=kmsg printk.devkmsg=on"
INITRD=1
BASE=base.raw
KERNEL=$WORK/vmlinuz
INITRD_FILE=$WORK/initrd.img
BOOT=kernel
GRUB_CFG=""
GRUB_PREFIX=""
NOREBOOT=0
EXTRA_QEMU=()
# the getty prompt at the start of a line ("bootdiag-lab login: "; not "Last login: ...")
LOGIN_RE='(^|\n)[a-z0-9-]+ login: '
STEPS="wait 900 $LOGIN_RE
sleep 5"
# log in on the serial console as root (password "lab") and wait for the shell prompt
LOGIN_STEPS="wait 900 $LOGIN_RE
send root
wait 60 Password:
send lab
wait 120 :~# "
prepare() { :; }

RUN=$WORK/run/$NAME
rm -rf "$RUN"; mkdir -p "$RUN"
IMG=$RUN/root.raw
. "$SCN"

log "$NAME: $DESC"
[ -f "$WORK/$BASE" ] || die "no $WORK/$BASE: run lab/build-variants.sh"
cp --sparse=always "$WORK/$BASE" "$IMG"
prepare

QEMU=(qemu-system-x86_64 -accel tcg -machine pc -m "$MEM" -smp "$SMP"
  -nographic -monitor none -parallel none
  -chardev "stdio,id=ser0,signal=off,logfile=$RUN/serial.log"
  -serial chardev:ser0)
if [ "$BOOT" = grub ]; then
  . "$LAB/lib/grub.sh"
  if [ -z "$GRUB_CFG" ]; then
    GRUB_CFG=$(grub_cfg_linux "$APPEND" "$INITRD")
  fi
  make_grub_disk "$RUN/boot.raw" "$GRUB_CFG" "$KERNEL" "$([ "$INITRD" = 1 ] && echo "$INITRD_FILE")" "$GRUB_PREFIX"
  QEMU+=(-drive "file=$RUN/boot.raw,format=raw,if=none,id=boot" -device virtio-blk-pci,drive=boot,bootindex=0)
else
  QEMU+=(-kernel "$KERNEL")
  [ "$INITRD" = 1 ] && QEMU+=(-initrd "$INITRD_FILE")
  QEMU+=(-append "$APPEND")
fi
[ "$NOREBOOT" = 1 ] && QEMU+=(-no-reboot)
QEMU+=(-drive "file=$IMG,format=raw,if=virtio,id=root"
  -qmp "unix:$RUN/qmp.sock,server=on,wait=off"
  -nic user,model=virtio-net-pci
  "${EXTRA_QEMU[@]}")

{
  echo "scenario: $NAME"
  echo "desc: $DESC"
  echo "kernel: $KERNEL ($(cat "$WORK/kernel-version" 2>/dev/null)) initrd: $([ "$INITRD" = 1 ] && echo "$INITRD_FILE" || echo none) base: $BASE boot: $BOOT"
  echo "qemu: $(qemu-system-x86_64 --version | head -1)"
  printf 'cmd:'; printf ' %q' "${QEMU[@]}"; echo
  echo "steps:"; printf '%s\n' "$STEPS" | sed 's/^/  /'
} > "$RUN/meta"

export QMP_SOCK=$RUN/qmp.sock RUN_DIR=$RUN
start=$(date +%s)
set +e
expect -f "$LAB/lib/drive.exp" "$STEPS" -- "${QEMU[@]}" 2> >(tee "$RUN/drive.log" >&2)
rc=$?
set -e
secs=$(( $(date +%s) - start ))
echo "wall: ${secs}s rc=$rc" >> "$RUN/meta"
size=$(stat -c %s "$RUN/serial.log" 2>/dev/null || echo 0)
log "$NAME: ${secs}s, ${size} bytes, drive rc=$rc"
# the scenario's disk copies are ~1.4 GB each: drop them unless asked to keep them
[ "${KEEP_DISKS:-0}" = 1 ] || rm -f "$IMG" "$RUN"/*.raw
if [ "$rc" != 0 ]; then
  die "$NAME: the console did not go as the scenario expects; log kept in $RUN/serial.log (not copied)"
fi
mkdir -p "$OUTDIR"
cp "$RUN/serial.log" "$OUTDIR/$NAME.log"
log "wrote $OUTDIR/$NAME.log"
