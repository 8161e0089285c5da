DESC='healthy boot; root logs in, lifts the real-time throttle (kernel.sched_rt_runtime_us=-1) and starts a SCHED_FIFO 99 busy loop on the only CPU: RCU grace-period kthreads starve, the kernel reports RCU stalls and nothing else runs; QEMU killed after the second report'
STEPS="$LOGIN_STEPS
send sysctl -w kernel.sched_rt_runtime_us=-1; chrt -f 99 sh -c 'while :; do :; done'
waitn 600 2 detected stalls on CPUs|self-detected stall
sleep 30
kill"
# label: sessions=1 last_stage=login-prompt outcome=kernel-hang
# evidence: chrt -f 99
# evidence: rcu: INFO: .*detected stall
# evidence: last: rcu: INFO: .*detected stall
