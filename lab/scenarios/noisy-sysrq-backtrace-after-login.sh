DESC='kernel stack traces that stop nothing: root logs in and asks the kernel for backtraces (sysrq l: all CPUs, sysrq w: blocked tasks), then runs poweroff: the shutdown completes'
STEPS="$LOGIN_STEPS
send echo l > /proc/sysrq-trigger; echo w > /proc/sysrq-trigger
sleep 5
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete negative=true
# evidence: sysrq: Show backtrace of all active CPUs
# evidence: Call Trace:
# evidence: reboot: Power down
# note: operator-requested backtraces (NMI backtrace, Call Trace) are not an oops or a hang
