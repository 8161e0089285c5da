DESC='a data disk (fsck pass 2) whose free-block and free-inode counts are wrong and that was not cleanly unmounted: systemd-fsck runs e2fsck -p, which fixes it; the boot reaches the login prompt'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  printf 'ssv free_blocks_count 12\nssv free_inodes_count 7\nssv state 0\nset_bg 0 free_blocks_count 3\nset_bg 0 checksum calc\n' | _dbg "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults	0	2"
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: labdata
# evidence: login: $
# note: fsck that fixes what it finds (exit 1) is a finding, not a failure
