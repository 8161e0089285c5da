DESC='a data disk whose ext4 superblock is flagged "contains errors" (no real damage) and fsck pass 0 in /etc/fstab: the kernel mounts it with "warning: mounting fs with errors, running e2fsck is recommended"; the boot reaches the login prompt'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  printf 'ssv state 2\n' | _dbg "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults	0	0"
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: mounting fs with errors
# evidence: login: $
# note: an ext4 warning at mount time is a finding (fs-error); nothing failed
