DESC='sysvinit; a data disk (fsck pass 2) with corrupt ext4 metadata: checkfs.sh reports the failure ("File system check failed", "Please repair the file system manually") and sulogin asks for the maintenance password'
BASE=sysv.raw
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  corrupt_dup_blocks "$RUN/data.raw" /file1 /file2
  if e2fsck -n "$RUN/data.raw" >/dev/null 2>&1; then die "data disk is not corrupt"; fi
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults	0	2"
}
STEPS='wait 900 Control-D|maintenance
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=fsck-failure
# evidence: RUN fsck MANUALLY
# evidence: File system check failed|fsck died|failed
# evidence: Control-D|maintenance
