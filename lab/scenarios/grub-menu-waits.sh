DESC='GRUB menu with timeout=-1 (waits for a key, as with GRUB_TIMEOUT=-1 or a recordfail after an unclean boot): the menu is drawn on the serial port and nothing else happens; QEMU killed 30 s later'
BOOT=grub
prepare() {
  cat > "$RUN/grub-wait.cfg" <<C
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=-1
set default=0
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os {
	insmod ext2
	linux	/boot/vmlinuz $PLAIN quiet
	initrd	/boot/initrd.img
}
menuentry 'Debian GNU/Linux (recovery mode)' --class debian --class gnu-linux --class gnu --class os {
	insmod ext2
	linux	/boot/vmlinuz $PLAIN single
	initrd	/boot/initrd.img
}
C
}
GRUB_CFG=$RUN/grub-wait.cfg
STEPS='wait 300 GNU GRUB
sleep 30
kill'
# label: sessions=1 last_stage=bootloader outcome=boot-stuck
# evidence: GNU GRUB
# judgement: a boot menu waiting for a key: boot-stuck in the boot loader (nothing failed) vs bootloader-failure
