DESC='init=/sbin/lab-init on the kernel command line, a file the root does not have: initramfs-tools mounts the root, finds no such init ("Target filesystem does not have requested /sbin/lab-init", "No init found") and drops to the (initramfs) shell'
APPEND="$APPEND init=/sbin/lab-init"
STEPS='wait 600 \(initramfs\)
sleep 3'
# label: sessions=1 last_stage=initramfs outcome=initramfs-failure
# evidence: lab-init
# evidence: No init found
# evidence: \(initramfs\)
