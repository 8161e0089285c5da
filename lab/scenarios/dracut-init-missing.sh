DESC='dracut initramfs; init=/sbin/lab-init on the kernel command line, a file the root does not have: the initrd mounts the root but cannot switch to the requested init'
INITRD_FILE=$WORK/initrd-dracut.img
APPEND="$APPEND init=/sbin/lab-init"
STEPS='wait 900 dracut:/#|Press Enter for maintenance|Control-D|emergency shell|end Kernel panic
sleep 5'
# label: sessions=1 last_stage=initramfs outcome=initramfs-failure
# evidence: lab-init
# judgement: see the log
