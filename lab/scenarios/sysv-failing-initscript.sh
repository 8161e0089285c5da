DESC='sysvinit; an init script for a service that fails to start prints "Starting lab app server: labappd", its error, and "failed!" (rc scripts run in link order: .legacy-bootordering); the boot reaches the login prompt'
BASE=sysv.raw
prepare() {
  img_sysv_script "$IMG" lab-appd 03 01 <<'S'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          lab-appd
# Required-Start:    $remote_fs $syslog
# Required-Stop:     $remote_fs $syslog
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: Lab app server
### END INIT INFO
. /lib/lsb/init-functions
case "$1" in
  start)
    log_daemon_msg "Starting lab app server" "labappd"
    echo "labappd: error: /etc/lab/appd.conf: No such file or directory" >&2
    log_end_msg 1
    exit 1 ;;
  stop) log_daemon_msg "Stopping lab app server" "labappd"; log_end_msg 0 ;;
  *) echo "Usage: $0 {start|stop}"; exit 3 ;;
esac
S
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: Starting lab app server: labappd
# evidence: failed!
# evidence: login: $
# note: a failed rc script is a finding (unit-failure); the boot reached the prompt
