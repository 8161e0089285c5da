DESC='root runs poweroff while a service whose ExecStop never returns (TimeoutStopSec=infinity) is active; the shutdown waits on it; QEMU killed 2 min later'
prepare() {
  img_enable "$IMG" lab-data-sync.service
}
STEPS="$LOGIN_STEPS
send poweroff
wait 300 lab-data-sync.service/stop running|stop job is running
sleep 120
kill"
