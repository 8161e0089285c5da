DESC='root logs in and runs reboot; QEMU runs with -no-reboot, so it exits when the guest resets and the log ends at "reboot: Restarting system"'
NOREBOOT=1
STEPS="$LOGIN_STEPS
send reboot
eof 300"
# label: sessions=1 last_stage=shutdown outcome=reboot
# evidence: reboot$
# evidence: Reached target .*reboot.target
# evidence: reboot: Restarting system
