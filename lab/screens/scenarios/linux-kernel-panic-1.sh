DESC='init=/bin/false: the kernel panics (Attempted to kill init!) and the framebuffer console shows the last kernel messages and the panic'
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE net.ifnames=0 video=1024x768 init=/bin/false"
STEPS='wait 600 end Kernel panic
sleep 3
shot screen'
