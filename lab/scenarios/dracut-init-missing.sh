DESC='dracut initramfs; init=/sbin/lab-init on the kernel command line, a file the root does not have: the initrd mounts the root, initrd-switch-root.service fails ([FAILED] Failed to start initrd-switch-root.service - Switch Root.) and the initrd enters emergency mode'
INITRD_FILE=$WORK/initrd-dracut.img
APPEND="$APPEND init=/sbin/lab-init"
STEPS='wait 900 dracut:/#|Press Enter for maintenance|Control-D|emergency shell|end Kernel panic
sleep 5'
# label: sessions=1 last_stage=initramfs outcome=initramfs-failure
# evidence: Starting .*initrd-switch-root.service
# evidence: FAILED.*Failed to start .*initrd-switch-root.service
# evidence: Entering emergency mode
# judgement: the root was found and mounted; the switch to it failed because the requested init is missing, and the initrd's emergency shell follows: initramfs-failure by where it stopped (dracut's emergency shell) vs kernel-panic-like "no working init"; the console never names lab-init after the command line
