DESC='healthy boot on a 1152x864 framebuffer (hyperv_fb default size: 144x54 cells, 4.44x8.89 in the screenshot): the login prompt, then a kernel message printed on tty1 after it'
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE net.ifnames=0 video=1152x864"
STEPS="$LOGIN_STEPS
send echo '<2>bootdiag lab: a 1152x864 console, 144 columns by 54 rows' > /dev/kmsg
sleep 4
shot screen"
