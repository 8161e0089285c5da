DESC='no initramfs and root=UUID= (which only an initramfs resolves): VFS: Unable to mount root fs, kernel panic on the screen'
INITRD=0
STEPS='wait 600 end Kernel panic
sleep 3
shot screen'
