DESC='GRUB (BIOS, VGA text mode) whose /boot/grub partition has no file system left: error: unknown filesystem, grub rescue>'
BOOT=grub
SERIAL=0
prepare() { make_grub '(hd0,msdos1)/boot/grub' nofs; }
STEPS='sleep 25
shot screen'
