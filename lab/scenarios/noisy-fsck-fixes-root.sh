DESC='the root ext4 filesystem was not cleanly unmounted and its free counts are wrong: the initramfs fsck (e2fsck -p) says "was not cleanly unmounted, check forced", draws a progress bar, fixes it ("fsck exited with status code 1") and the boot goes on to the login prompt'
prepare() {
  printf 'ssv free_blocks_count 1000\nssv state 0\nset_bg 1 free_blocks_count 5\nset_bg 1 checksum calc\n' | _dbg "$IMG"
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: bootlab-root was not cleanly unmounted, check forced
# evidence: fsck exited with status code 1
# evidence: login: $
# note: root fsck fixed the file system in the initramfs; booted
