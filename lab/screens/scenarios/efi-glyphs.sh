DESC="UEFI (OVMF) text console on a 1024x768 display: GRUB for UEFI prints every character the reader knows"
BOOT=uefi
UEFI_RES=1024x768
SERIAL=0
prepare() {
  glyph_echo_cfg "$RUN/grub.cfg"
  make_grub_efi "$RUN/grub.cfg"
}
STEPS='sleep 40
shot screen'
