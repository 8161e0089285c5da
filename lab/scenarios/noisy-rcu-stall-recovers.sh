DESC='an RCU stall that recovers: root logs in, lifts the RT throttle and runs a SCHED_FIFO 98 busy loop for 100 s under `timeout` (FIFO 99); the kernel reports an RCU stall, the loop is killed, and root runs poweroff: the shutdown completes'
STEPS="$LOGIN_STEPS
send sysctl -w kernel.sched_rt_runtime_us=-1; chrt -f 99 timeout 100 chrt -f 98 sh -c 'while :; do :; done'; echo lab-spin-done
wait 600 \\nlab-spin-done
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete negative=true
# evidence: rcu: INFO: .*detected stall
# evidence: poweroff$
# evidence: reboot: Power down
# note: an RCU stall report (finding rcu-stall) from a real-time task that was then stopped; the system recovered and powered off cleanly
