DESC='root triggers a crash (echo c > /proc/sysrq-trigger) after a healthy boot on a VESA framebuffer (vga=0x318: 1024x768, drawn directly): the oops, call trace and panic fill the console'
# bochs-drm's console is flushed by a worker that no longer runs after a panic: use vesafb, which is
# drawn in place (as hyperv_fb flushes itself on panic)
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE net.ifnames=0 vga=0x318 modprobe.blacklist=bochs"
STEPS="$LOGIN_STEPS
send echo c > /proc/sysrq-trigger
wait 120 end Kernel panic
sleep 3
shot screen"
