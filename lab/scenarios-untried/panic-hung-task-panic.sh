DESC='healthy boot; root logs in, sets kernel.hung_task_timeout_secs=20 and kernel.hung_task_panic=1, then the root disk stops serving I/O (QMP throttle to 1 byte/s) and root runs sync: the hung task detector fires and panics the kernel'
STEPS="$LOGIN_STEPS
send sysctl -w kernel.hung_task_timeout_secs=20 kernel.hung_task_panic=1
sleep 2
qmp {\"execute\":\"block_set_io_throttle\",\"arguments\":{\"device\":\"root\",\"bps\":1,\"bps_rd\":0,\"bps_wr\":0,\"iops\":0,\"iops_rd\":0,\"iops_wr\":0}}
send date > /root/stall-test; sync
wait 600 end Kernel panic
sleep 3"
# label: sessions=1 last_stage=login-prompt outcome=kernel-panic
# evidence: blocked for more than 20 seconds
# evidence: Kernel panic - not syncing: hung_task: blocked tasks
# judgement: a hung task escalated to a panic by hung_task_panic: the panic line says kernel-panic, the root-cause rule could argue kernel-hang (as public-30)
