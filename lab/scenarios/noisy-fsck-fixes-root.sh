DESC='the root ext4 filesystem was not cleanly unmounted and its free counts are wrong: the initramfs fsck (e2fsck -p) fixes it and the boot goes on to the login prompt'
prepare() {
  printf 'ssv free_blocks_count 1000\nssv state 0\nset_bg 1 free_blocks_count 5\nset_bg 1 checksum calc\n' | _dbg "$IMG"
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: bootlab-root
# evidence: login: $
# note: root fsck fixed the file system in the initramfs; booted
