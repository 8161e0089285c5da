DESC='a VM with too little memory for its initramfs (-m 80): while the kernel unpacks the 38 MB initramfs a kernel worker runs out of memory ("invoked oom-killer", "Out of memory and no killable processes...") and the kernel panics ("System is deadlocked on memory")'
MEM=80
STEPS='wait 600 end Kernel panic|Kernel panic
sleep 5'
# label: sessions=1 last_stage=kernel outcome=kernel-panic
# evidence: Linux version
# evidence: invoked oom-killer
# evidence: Out of memory and no killable processes
# evidence: Kernel panic - not syncing: System is deadlocked on memory
