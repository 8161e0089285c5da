DESC='root triggers a crash (echo c > /proc/sysrq-trigger) after a healthy boot: the oops, call trace and panic fill the framebuffer console'
STEPS="$LOGIN_STEPS
send echo c > /proc/sysrq-trigger
wait 120 end Kernel panic
sleep 3
shot screen"
