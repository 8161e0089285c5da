DESC='dmesg-style console; a data disk (fsck pass 2) with corrupt ext4 metadata: systemd-fsck fails (exit 4), /data is not mounted, emergency mode'
APPEND="$APPEND $DMESG"
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  corrupt_dup_blocks "$RUN/data.raw" /file1 /file2
  if e2fsck -n "$RUN/data.raw" >/dev/null 2>&1; then die "data disk is not corrupt"; fi
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults	0	2"
}
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=fsck-failure
# evidence: systemd-fsck\[[0-9]+\]: fsck failed with exit status 4
# evidence: systemd\[1\]: Failed to start systemd-fsck@
# evidence: You are in emergency mode
# note: with systemd.show_status=0 e2fsck's own "UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY" is not on the console, only systemd-fsck's "fsck failed with exit status 4" and systemd[1]'s failure lines; exit status 4 is "errors left uncorrected", so fsck-failure by the root-cause rule (it leads to emergency mode)
