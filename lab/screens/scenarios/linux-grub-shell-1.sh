DESC='GRUB (BIOS, VGA text mode) that finds its modules but no grub.cfg: the normal-mode command line, grub>'
BOOT=grub
SERIAL=0
prepare() { make_grub '(hd0,msdos1)/boot/grub'; }
STEPS='sleep 30
shot screen'
