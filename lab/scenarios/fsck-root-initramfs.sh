DESC='the root ext4 filesystem is corrupt (two files claim the same blocks, error flag set): the initramfs fsck of root exits 4 and drops to the (initramfs) shell'
prepare() {
  corrupt_dup_blocks "$IMG" /etc/issue /etc/issue.net
  if e2fsck -n "$IMG" >/dev/null 2>&1; then die "root image is not corrupt"; fi
}
STEPS='wait 900 \(initramfs\)
sleep 3'
