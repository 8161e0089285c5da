DESC='root runs reboot while lab-data-sync.service (ExecStop never returns, TimeoutStopSec=infinity) is active: the reboot waits on the stop job; QEMU killed 1 min later'
prepare() { img_enable "$IMG" lab-data-sync.service; }
STEPS="$LOGIN_STEPS
send reboot
wait 300 lab-data-sync.service/stop running|stop job is running
sleep 60
kill"
# label: sessions=1 last_stage=shutdown outcome=shutdown-hung
# evidence: reboot$
# evidence: last: lab-data-sync.service/stop running|stop job is running
