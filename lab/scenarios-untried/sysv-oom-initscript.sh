DESC='sysvinit, 384 MiB guest; an rc script runs tail /dev/zero at boot: the OOM killer kills it, the script reports failure, the boot reaches the login prompt'
BASE=sysv.raw
MEM=384
prepare() {
  img_sysv_script "$IMG" lab-preload 03 01 <<'S'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          lab-preload
# Required-Start:    $remote_fs
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:
# Short-Description: Lab cache preloader
### END INIT INFO
. /lib/lsb/init-functions
case "$1" in
  start) log_daemon_msg "Preloading lab cache" "lab-preload"; tail /dev/zero; log_end_msg $? ;;
  *) exit 0 ;;
esac
S
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: Out of memory: Killed process
# evidence: login: $
# note: OOM kill of a boot script (finding oom); booted
