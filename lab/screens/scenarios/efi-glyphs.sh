DESC='UEFI (OVMF) text console: GRUB for UEFI prints every character the reader knows through the firmware console (EDK2 GraphicsConsole font, 8x19 cells)'
BOOT=uefi
SERIAL=0
prepare() {
  glyph_echo_cfg "$RUN/grub.cfg"
  make_grub_efi "$RUN/grub.cfg"
}
STEPS='sleep 40
shot screen'
