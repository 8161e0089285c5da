DESC='healthy boot; root logs in, then the root disk stops serving I/O (QEMU throttles it to 1 byte/s over QMP) and root writes a file and runs sync: tasks block in D state and the kernel reports hung tasks; no progress after'
STEPS="$LOGIN_STEPS
qmp {\"execute\":\"block_set_io_throttle\",\"arguments\":{\"device\":\"root\",\"bps\":1,\"bps_rd\":0,\"bps_wr\":0,\"iops\":0,\"iops_rd\":0,\"iops_wr\":0}}
send date > /root/stall-test; sync
waitn 900 3 blocked for more than
sleep 150
kill"
