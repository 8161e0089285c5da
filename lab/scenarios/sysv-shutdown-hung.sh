DESC='sysvinit; an init script whose stop never returns (it waits forever for a sync that never ends); root runs poweroff; the shutdown stops at "Stopping lab data sync"; QEMU killed 1 min later'
BASE=sysv.raw
STEPS="$LOGIN_STEPS
send poweroff
wait 300 Stopping lab data sync
sleep 60
kill"
prepare() {
  img_sysv_script "$IMG" lab-datasync 03 01 <<'S'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          lab-datasync
# Required-Start:    $remote_fs
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: Lab data sync
### END INIT INFO
. /lib/lsb/init-functions
case "$1" in
  start) log_daemon_msg "Starting lab data sync" "lab-datasync"; log_end_msg 0 ;;
  stop) log_daemon_msg "Stopping lab data sync" "lab-datasync"; sleep infinity ;;
  *) exit 3 ;;
esac
S
}
# label: sessions=1 last_stage=shutdown outcome=shutdown-hung
# evidence: poweroff$
# evidence: Switching to runlevel: 0
# evidence: Stopping lab data sync
