DESC='rootfstype=xfs on the kernel command line for an ext4 root: initramfs-tools fails to mount the root and drops to the (initramfs) shell'
APPEND="$APPEND rootfstype=xfs"
STEPS='wait 600 \(initramfs\)
sleep 3'
# label: sessions=1 last_stage=initramfs outcome=initramfs-failure
# evidence: Failed to mount
# evidence: \(initramfs\)
