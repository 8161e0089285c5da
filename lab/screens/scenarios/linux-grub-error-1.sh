DESC="GRUB (BIOS, VGA text mode): the menu's default entry is chosen (Enter) but its kernel file is gone: error: file not found, you need to load the kernel first, Press any key to continue"
BOOT=grub
SERIAL=0
prepare() {
  cat > "$RUN/grub.cfg" <<'CFG'
set default=0
set timeout=-1
menuentry 'Debian GNU/Linux' {
  echo 'Loading Linux 6.1.0-57-amd64 ...'
  linux /boot/vmlinuz-6.1.0-57-amd64 root=UUID=3f6c2a1e-8b4d-4c2f-9e7a-5d1b0c9a7e11 ro quiet
  echo 'Loading initial ramdisk ...'
  initrd /boot/initrd.img-6.1.0-57-amd64
}
CFG
  make_grub '(hd0,msdos1)/boot/grub' "$RUN/grub.cfg"
}
# GRUB shows the errors for 10 s after the entry fails, then the menu again
STEPS='sleep 30
qmp {"execute":"send-key","arguments":{"keys":[{"type":"qcode","data":"ret"}]}}
sleep 3
shot screen'
