DESC='Debian 11 (bullseye) guest; lab-data-sync.service (ExecStop never returns, no stop timeout) active; root runs poweroff; the shutdown waits on the stop job; QEMU killed 1 min later'
BASE=bullseye.raw
KERNEL=$WORK/vmlinuz-bullseye
INITRD_FILE=$WORK/initrd-bullseye.img
prepare() { img_enable "$IMG" lab-data-sync.service; }
STEPS="$LOGIN_STEPS
send poweroff
wait 300 stop job is running
sleep 60
kill"
# label: sessions=1 last_stage=shutdown outcome=shutdown-hung
# evidence: poweroff$
# evidence: last: stop job is running
