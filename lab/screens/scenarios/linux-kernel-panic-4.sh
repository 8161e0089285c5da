DESC='no initramfs and root=UUID= on a VESA framebuffer from the first line (vga=0x318, 1024x768, like efifb on a UEFI VM): VFS: Unable to mount root fs, kernel panic'
INITRD=0
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE net.ifnames=0 vga=0x318"
STEPS='wait 600 end Kernel panic
sleep 3
shot screen'
