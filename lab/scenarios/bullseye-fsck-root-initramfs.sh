DESC='Debian 11 (bullseye) guest whose root ext4 file system is corrupt (two files claim the same blocks): the initramfs fsck exits 4 and drops to the (initramfs) shell'
BASE=bullseye.raw
KERNEL=$WORK/vmlinuz-bullseye
INITRD_FILE=$WORK/initrd-bullseye.img
prepare() {
  corrupt_dup_blocks "$IMG" /etc/issue /etc/issue.net
  if e2fsck -n "$IMG" >/dev/null 2>&1; then die "root image is not corrupt"; fi
}
STEPS='wait 900 \(initramfs\)
sleep 3'
# label: sessions=1 last_stage=initramfs outcome=fsck-failure
# evidence: RUN fsck MANUALLY
# evidence: \(initramfs\)
