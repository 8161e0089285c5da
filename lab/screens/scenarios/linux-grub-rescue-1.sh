DESC='GRUB (BIOS, VGA text mode) whose prefix names a partition the disk does not have: error: no such partition, grub rescue>'
BOOT=grub
SERIAL=0
prepare() { make_grub '(hd0,msdos5)/boot/grub'; }
STEPS='sleep 25
shot screen'
