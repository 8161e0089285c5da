DESC='a data disk (fsck pass 2, nofail) with corrupt ext4 metadata: systemd-fsck fails ([FAILED] Failed to start systemd-fs…, [DEPEND] for data.mount) and /data is not mounted, but nofail keeps the boot going to the login prompt'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  corrupt_dup_blocks "$RUN/data.raw" /file1 /file2
  if e2fsck -n "$RUN/data.raw" >/dev/null 2>&1; then die "data disk is not corrupt"; fi
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults,nofail	0	2"
}
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Job systemd-fsck@dev-disk-.*start running
# evidence: FAILED.*Failed to start .*systemd-fs
# evidence: DEPEND.*Dependency failed for .*data.mount
# evidence: login: $
# judgement: fsck of a nofail data disk failed (e2fsck's own words are not on the console this time, only the failed unit), but the boot went on to the login prompt: booted (the VM is up, /data missing) vs fsck-failure (the check failed and needs a manual fsck)
