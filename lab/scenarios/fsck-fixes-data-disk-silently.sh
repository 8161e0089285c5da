DESC='a data disk (fsck pass 2) whose free-block and free-inode counts are wrong and that was not cleanly unmounted: systemd-fsck runs e2fsck -p, which fixes it without a word on the console (only systemd's job spinner and systemd-fsckd's "Checking in progress on 1 disk (N% complete)"); /data is mounted and the boot reaches the login prompt'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  printf 'ssv free_blocks_count 12\nssv free_inodes_count 7\nssv state 0\nset_bg 0 free_blocks_count 3\nset_bg 0 checksum calc\n' | _dbg "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults	0	2"
}
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Checking in progress on 1 disk
# evidence: EXT4-fs \(vdb\): mounted filesystem
# evidence: login: $
# note: fsck fixed the disk silently; nothing on the console says anything was wrong (not marked negative: no scary line)
