DESC='sysvinit; root logs in and crashes the kernel (echo c > /proc/sysrq-trigger)'
BASE=sysv.raw
STEPS="$LOGIN_STEPS
send echo c > /proc/sysrq-trigger
wait 120 end Kernel panic
sleep 3"
# label: sessions=1 last_stage=login-prompt outcome=kernel-panic
# evidence: sysrq: Trigger a crash
# evidence: Kernel panic - not syncing: sysrq triggered crash
