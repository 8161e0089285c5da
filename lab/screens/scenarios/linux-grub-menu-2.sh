DESC='GRUB for UEFI (OVMF, 1024x768) on the firmware text console with a Debian-style grub.cfg and no timeout: the boot menu, as on a Gen2 VM'
BOOT=uefi
UEFI_RES=1024x768
SERIAL=0
prepare() {
  cat > "$RUN/grub.cfg" <<'CFG'
terminal_output console
set default=0
set timeout=-1
menuentry 'Debian GNU/Linux' {
  linux /boot/vmlinuz-6.1.0-57-amd64 root=UUID=3f6c2a1e-8b4d-4c2f-9e7a-5d1b0c9a7e11 ro quiet
  initrd /boot/initrd.img-6.1.0-57-amd64
}
submenu 'Advanced options for Debian GNU/Linux' {
  menuentry 'Debian GNU/Linux, with Linux 6.1.0-57-amd64' { true; }
}
menuentry 'UEFI Firmware Settings' { fwsetup; }
CFG
  make_grub_efi "$RUN/grub.cfg"
}
STEPS='sleep 40
shot screen'
