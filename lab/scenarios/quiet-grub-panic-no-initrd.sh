DESC='GRUB boot disk, quiet, and no initrd line in the GRUB entry: the kernel has no virtio disk driver built in, cannot mount root and panics (VFS: Unable to mount root fs)'
BOOT=grub
INITRD=0
APPEND="$PLAIN quiet"
STEPS='wait 600 end Kernel panic
sleep 3'
# label: sessions=1 last_stage=kernel outcome=kernel-panic
# evidence: Loading Linux
# evidence: Kernel panic - not syncing: VFS: Unable to mount root fs
# note: quiet and no earlyprintk: the panic is the only kernel text in the log (no "Linux version" line); the session starts at the firmware banner and GRUB
