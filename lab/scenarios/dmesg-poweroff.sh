DESC='dmesg-style console; root logs in on ttyS0 and runs poweroff: systemd[1] and systemd-shutdown[1] lines, then reboot: Power down'
APPEND="$APPEND $DMESG"
STEPS="$LOGIN_STEPS
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete
# evidence: poweroff$
# evidence: systemd-shutdown\[1\]:
# evidence: reboot: Power down
