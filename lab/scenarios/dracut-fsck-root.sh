DESC='dracut initramfs; the root ext4 file system is corrupt (two files claim the same blocks): systemd-fsck-root in the initrd fails and the initrd goes to emergency mode'
INITRD_FILE=$WORK/initrd-dracut.img
prepare() {
  corrupt_dup_blocks "$IMG" /etc/issue /etc/issue.net
  if e2fsck -n "$IMG" >/dev/null 2>&1; then die "root image is not corrupt"; fi
}
STEPS='wait 900 dracut:/#|Press Enter for maintenance|Control-D|emergency shell|Switching root
sleep 10'
# label: sessions=1 last_stage=initramfs outcome=fsck-failure
# evidence: Starting .*systemd-fsck-root
# evidence: FAILED.*Failed to start .*systemd-fs
# evidence: Entering emergency mode
# note: e2fsck's own words are not on the console, only its "fsck N% complete" progress, systemd's job spinner and the unit name cut by the status-line width ("systemd-fs…"); fsck-failure by the root-cause rule (it puts the initrd into emergency mode)
