DESC="Debian's cloud kernel booted without its initramfs: no virtio disk driver built in, VFS: Unable to mount root fs, kernel panic"
BASE=cloud.raw
KERNEL=$WORK/vmlinuz-cloud
INITRD=0
STEPS='wait 600 end Kernel panic
sleep 3'
# label: sessions=1 last_stage=kernel outcome=kernel-panic
# evidence: Linux version .*cloud-amd64
# evidence: Kernel panic - not syncing: VFS: Unable to mount root fs
