DESC="Debian's cloud kernel; root logs in and runs poweroff; the shutdown completes"
BASE=cloud.raw
KERNEL=$WORK/vmlinuz-cloud
INITRD_FILE=$WORK/initrd-cloud.img
STEPS="$LOGIN_STEPS
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete
# evidence: Linux version .*cloud-amd64
# evidence: poweroff$
# evidence: reboot: Power down
