DESC='Debian 11 (bullseye) guest with init=/bin/false: the kernel panics (Attempted to kill init)'
BASE=bullseye.raw
KERNEL=$WORK/vmlinuz-bullseye
INITRD_FILE=$WORK/initrd-bullseye.img
APPEND="$APPEND init=/bin/false"
STEPS='wait 600 end Kernel panic
sleep 3'
# label: sessions=1 last_stage=initramfs outcome=kernel-panic
# evidence: Kernel panic - not syncing: Attempted to kill init
