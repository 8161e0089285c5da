DESC='/etc/fstab mounts a data disk (fsck pass 2) whose ext4 metadata is corrupt (two files claim the same blocks, error flag set): systemd-fsck fails (exit 4, RUN fsck MANUALLY), /data is not mounted, emergency mode'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  corrupt_dup_blocks "$RUN/data.raw" /file1 /file2
  if e2fsck -n "$RUN/data.raw" >/dev/null 2>&1; then die "data disk is not corrupt"; fi
  img_mkdir "$IMG" /data
  { img_cat "$IMG" /etc/fstab; printf 'UUID=%s\t/data\text4\tdefaults\t0\t2\n' "$DATA_UUID"; } | img_put "$IMG" /etc/fstab
}
STEPS='wait 900 Control-D
sleep 5'
