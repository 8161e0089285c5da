DESC='sysvinit; root logs in and runs reboot; QEMU (-no-reboot) exits at the reset, so the log ends at "reboot: Restarting system"'
BASE=sysv.raw
NOREBOOT=1
STEPS="$LOGIN_STEPS
send reboot
eof 300"
# label: sessions=1 last_stage=shutdown outcome=reboot
# evidence: reboot$
# evidence: Switching to runlevel: 6
# evidence: reboot: Restarting system
