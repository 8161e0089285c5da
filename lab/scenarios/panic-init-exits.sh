DESC='init=/bin/false: the initramfs hands over to an init that exits at once; kernel panics (Attempted to kill init)'
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE net.ifnames=0 init=/bin/false"
STEPS="wait 600 end Kernel panic
sleep 3"
