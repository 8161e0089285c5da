DESC='the root disk stalls during boot: 8 s after QEMU starts, QMP throttles it to 1 byte/s (kernel.hung_task_timeout_secs=20 on the command line); the boot stops and the kernel reports hung tasks; QEMU killed after the third report'
APPEND="$APPEND sysctl.kernel.hung_task_timeout_secs=20"
STEPS="wait 300 Run /init as init process|Loading, please wait
sleep 8
qmp {\"execute\":\"block_set_io_throttle\",\"arguments\":{\"device\":\"root\",\"bps\":1,\"bps_rd\":0,\"bps_wr\":0,\"iops\":0,\"iops_rd\":0,\"iops_wr\":0}}
waitn 900 3 blocked for more than 20 seconds
sleep 10
kill"
# label: sessions=1 last_stage=systemd-services outcome=kernel-hang
# evidence: INFO: task .*blocked for more than 20 seconds
# evidence: last: INFO: task .*blocked for more than 20 seconds
# judgement: the last stage depends on how far the boot got before the disk stalled (see the log)
