DESC='GRUB configuration that looks its boot file system up by a UUID no disk has (as after a restored or re-created /boot): "error: no such device: ...", then "file not found" and "you need to load the kernel first"; QEMU killed 20 s after'
BOOT=grub
prepare() {
  cat > "$RUN/grub-search.cfg" <<C
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=1
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os {
	insmod part_msdos
	insmod ext2
	search --no-floppy --fs-uuid --set=root 5e2c9a41-7d3b-4f0e-9a6c-2b8d1e4f7a90
	echo	'Loading Linux ...'
	linux	/boot/vmlinuz $PLAIN
	initrd	/boot/initrd.img
}
C
}
GRUB_CFG=$RUN/grub-search.cfg
STEPS='wait 300 you need to load the kernel first
sleep 20
kill'
# label: sessions=1 last_stage=bootloader outcome=bootloader-failure
# evidence: no such device
# evidence: you need to load the kernel first
