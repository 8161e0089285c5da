DESC='GRUB menu entry whose initrd file is missing (/boot/initrd.img-6.1.0-99-amd64): GRUB reports the file not found, then boots the kernel without an initramfs, which cannot mount root and panics'
BOOT=grub
prepare() {
  cat > "$RUN/grub-noinitrd.cfg" <<C
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=1
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os {
	insmod ext2
	echo	'Loading Linux ...'
	linux	/boot/vmlinuz $PLAIN
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-6.1.0-99-amd64
}
C
}
GRUB_CFG=$RUN/grub-noinitrd.cfg
STEPS='wait 600 end Kernel panic
sleep 3'
# label: sessions=1 last_stage=kernel outcome=kernel-panic
# evidence: initrd.img-6.1.0-99-amd64.? not found
# evidence: Linux version
# evidence: Kernel panic - not syncing: VFS: Unable to mount root fs
# note: the boot loader error is a finding (bootloader); the session's outcome is the panic it led to
