DESC='a corrected machine-check error: root logs in, sets the MCE poll interval to 5 s, QEMU injects a corrected (UC=0) memory error into bank 1 (QMP human-monitor-command mce); the kernel logs "Machine check events logged"; root then runs poweroff and the shutdown completes'
STEPS="$LOGIN_STEPS
send echo 5 > /sys/devices/system/machinecheck/machinecheck0/check_interval
sleep 2
qmp {\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"mce 0 1 0x9000000000000080 0x0 0x12345000 0x0\"}}
wait 120 Machine check events logged|Hardware Error
sleep 5
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete negative=true
# evidence: Machine check events logged|Hardware Error
# evidence: reboot: Power down
# note: a corrected hardware error is logged and nothing stops
