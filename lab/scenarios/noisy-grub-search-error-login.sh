DESC='GRUB menu entry that first looks its boot file system up by a UUID no disk has (a stale search --fs-uuid line): "error: no such device: ...", "Press any key to continue...", but root stays the boot disk, so GRUB loads the kernel anyway and the boot reaches the login prompt'
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
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: error: no such device
# evidence: Press any key to continue
# evidence: Linux version
# evidence: login: $
# note: a GRUB error that does not stop the boot (finding bootloader). The committed log comes from a run whose console script still waited for "you need to load the kernel first" (it timed out after 300 s); the guest printed nothing after the prompt, so it is the log this script makes, with a longer idle tail
