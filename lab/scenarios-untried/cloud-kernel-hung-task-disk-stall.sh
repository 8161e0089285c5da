DESC="Debian's cloud kernel; root logs in, the root disk is throttled to 1 byte/s (QMP) and root runs sync: hung-task reports (timeout 30 s set by sysctl), no progress; QEMU killed after the third report"
BASE=cloud.raw
KERNEL=$WORK/vmlinuz-cloud
INITRD_FILE=$WORK/initrd-cloud.img
STEPS="$LOGIN_STEPS
send sysctl -w kernel.hung_task_timeout_secs=30
sleep 2
qmp {\"execute\":\"block_set_io_throttle\",\"arguments\":{\"device\":\"root\",\"bps\":1,\"bps_rd\":0,\"bps_wr\":0,\"iops\":0,\"iops_rd\":0,\"iops_wr\":0}}
send date > /root/stall-test; sync
waitn 600 3 blocked for more than 30 seconds
sleep 10
kill"
# label: sessions=1 last_stage=login-prompt outcome=kernel-hang
# evidence: INFO: task .*blocked for more than 30 seconds
# evidence: last: INFO: task .*blocked for more than 30 seconds
