DESC='GRUB menu entry for a kernel file that is not on the disk (/boot/vmlinuz-6.1.0-99-amd64, as after a removed kernel package): "error: file ... not found.", "you need to load the kernel first", back to the menu, again; QEMU killed 40 s after the first error'
BOOT=grub
prepare() {
  cat > "$RUN/grub-missing.cfg" <<'C'
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=3
set default=0
menuentry 'Debian GNU/Linux, with Linux 6.1.0-99-amd64' --class debian --class gnu-linux --class gnu --class os {
	insmod ext2
	echo	'Loading Linux 6.1.0-99-amd64 ...'
	linux	/boot/vmlinuz-6.1.0-99-amd64 root=UUID=3f6c2a1e-8b4d-4c2f-9e7a-5d1b0c9a7e11 ro console=tty0 console=ttyS0,115200n8 quiet
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-6.1.0-99-amd64
}
C
}
GRUB_CFG=$RUN/grub-missing.cfg
STEPS='wait 300 you need to load the kernel first
sleep 40
kill'
# label: sessions=1 last_stage=bootloader outcome=bootloader-failure
# evidence: vmlinuz-6.1.0-99-amd64.? not found
# evidence: you need to load the kernel first
