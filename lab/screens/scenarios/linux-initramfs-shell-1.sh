DESC='root=UUID= of a disk that is not attached (rootdelay=10), tty0 named last so /dev/console is the screen: initramfs-tools gives up, ALERT!, the (initramfs) prompt on screen'
APPEND="root=UUID=0c5e1d2a-7b3f-4a9e-8d6c-1f2e3d4c5b6a ro rootdelay=10 $CONSOLE_TTY_LAST net.ifnames=0 video=1024x768"
# the initramfs writes to /dev/console (tty0 here): the serial log has only the kernel's lines
STEPS='wait 600 Run /init as init process
sleep 75
shot screen'
