DESC='healthy boot, tty0 named last, 30 s after the kernel starts the initramfs: systemd start-up status lines, still in VGA text mode (the DRM driver is not loaded yet); the console shows the ellipsis systemd writes as ■'
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE_TTY_LAST net.ifnames=0"
STEPS='wait 900 Run /init as init process
sleep 30
shot screen'
