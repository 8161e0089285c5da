DESC='GRUB menu entry whose kernel file is not a kernel (a truncated, zero-filled vmlinuz, as after a full /boot during an upgrade): "error: invalid magic number." / "you need to load the kernel first"; QEMU killed 20 s after'
BOOT=grub
prepare() { head -c 4096 /dev/zero > "$RUN/vmlinuz-broken"; }
KERNEL=$RUN/vmlinuz-broken
STEPS='wait 300 you need to load the kernel first
sleep 20
kill'
# label: sessions=1 last_stage=bootloader outcome=bootloader-failure
# evidence: error: 
# evidence: you need to load the kernel first
