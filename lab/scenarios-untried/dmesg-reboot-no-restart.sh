DESC='dmesg-style console; root logs in and runs reboot; QEMU runs with -no-reboot, so it exits when the guest resets and the log ends at "reboot: Restarting system"'
APPEND="$APPEND $DMESG"
NOREBOOT=1
STEPS="$LOGIN_STEPS
send reboot
eof 300"
# label: sessions=1 last_stage=shutdown outcome=reboot
# evidence: reboot$
# evidence: systemd-shutdown\[1\]:
# evidence: reboot: Restarting system
