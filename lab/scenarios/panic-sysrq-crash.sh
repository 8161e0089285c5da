DESC='healthy boot; root triggers a crash with echo c > /proc/sysrq-trigger; kernel panics (panic timeout 0: it stays there)'
STEPS="$LOGIN_STEPS
send echo c > /proc/sysrq-trigger
wait 120 end Kernel panic
sleep 3"
