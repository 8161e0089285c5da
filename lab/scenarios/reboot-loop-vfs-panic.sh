DESC='reboot loop: no initramfs (-kernel only) and panic=5: the kernel cannot mount root (no virtio disk driver built in), panics, reboots after 5 s, and does it again; QEMU killed 2 s into the third panic countdown'
INITRD=0
APPEND="$APPEND panic=5"
STEPS='waitn 900 3 Rebooting in 5 seconds
sleep 2
kill'
# label: sessions=3 last_stage=kernel outcome=kernel-panic
# evidence: Kernel panic - not syncing: VFS: Unable to mount root fs
# evidence: Rebooting in 5 seconds
# evidence: Linux version
# evidence: Linux version
# evidence: last: Kernel panic - not syncing: VFS: Unable to mount root fs
# note: three kernel starts, each ending in the same panic and a firmware restart; the log ends in the third panic's countdown
