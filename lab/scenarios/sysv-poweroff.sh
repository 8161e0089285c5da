DESC='sysvinit; root logs in on ttyS0 and runs poweroff: "INIT: Switching to runlevel: 0", rc stop scripts, "Will now halt", reboot: Power down'
BASE=sysv.raw
STEPS="$LOGIN_STEPS
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete
# evidence: poweroff$
# evidence: Switching to runlevel: 0
# evidence: reboot: Power down
