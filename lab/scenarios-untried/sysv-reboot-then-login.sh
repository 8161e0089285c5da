DESC='sysvinit; root logs in and runs reboot; the second boot reaches the login prompt'
BASE=sysv.raw
STEPS="$LOGIN_STEPS
send reboot
wait 900 $LOGIN_RE
sleep 5"
# label: sessions=2 last_stage=login-prompt outcome=booted
# evidence: reboot: Restarting system
# evidence: INIT: version
# evidence: login: $
