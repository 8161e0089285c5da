DESC='Debian 11 (bullseye) guest; root logs in on ttyS0 and runs poweroff; the shutdown completes'
BASE=bullseye.raw
KERNEL=$WORK/vmlinuz-bullseye
INITRD_FILE=$WORK/initrd-bullseye.img
STEPS="$LOGIN_STEPS
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete
# evidence: poweroff$
# evidence: reboot: Power down
