DESC='a storage stall that recovers: root logs in, sets kernel.hung_task_timeout_secs=20, the root disk is throttled to 1 byte/s (QMP) while root runs sync; after the hung-task reports the throttle is lifted, sync returns, and root runs poweroff: the shutdown completes'
STEPS="$LOGIN_STEPS
send sysctl -w kernel.hung_task_timeout_secs=20
sleep 2
qmp {\"execute\":\"block_set_io_throttle\",\"arguments\":{\"device\":\"root\",\"bps\":1,\"bps_rd\":0,\"bps_wr\":0,\"iops\":0,\"iops_rd\":0,\"iops_wr\":0}}
send date > /root/stall-test; sync; echo lab-sync-done
waitn 600 2 blocked for more than 20 seconds
sleep 5
qmp {\"execute\":\"block_set_io_throttle\",\"arguments\":{\"device\":\"root\",\"bps\":0,\"bps_rd\":0,\"bps_wr\":0,\"iops\":0,\"iops_rd\":0,\"iops_wr\":0}}
wait 300 \\nlab-sync-done
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete negative=true
# evidence: INFO: task .*blocked for more than 20 seconds
# evidence: poweroff$
# evidence: reboot: Power down
# note: hung-task reports (finding hung-task) during a storage stall that then cleared; the system went on and powered off cleanly
