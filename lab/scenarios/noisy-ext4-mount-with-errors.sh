DESC='a data disk whose ext4 superblock state says neither clean nor checked (state 2, no real damage) and fsck pass 0 in /etc/fstab: the kernel mounts it with "warning: mounting unchecked fs, running e2fsck is recommended"; the boot reaches the login prompt'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  printf 'ssv state 2\n' | _dbg "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults	0	0"
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: EXT4-fs \(vdb\): warning: mounting unchecked fs
# evidence: login: $
# note: an ext4 warning at mount time is a finding (fs-error); nothing failed
