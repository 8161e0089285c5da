DESC='dracut initramfs; root logs in and runs poweroff; the shutdown completes'
INITRD_FILE=$WORK/initrd-dracut.img
STEPS="$LOGIN_STEPS
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete
# evidence: poweroff$
# evidence: reboot: Power down
