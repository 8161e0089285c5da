DESC='GRUB boot disk, quiet; /etc/fstab mounts a data disk by UUID that is not attached with x-systemd.device-timeout=0 (wait forever): "A start job is running for /dev/disk/by-uuid/..." with no limit; QEMU killed 60 s later'
BOOT=grub
APPEND="$PLAIN quiet"
prepare() {
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults,x-systemd.device-timeout=0	0	2"
}
STEPS='wait 900 A start job is running for
sleep 60
kill'
# label: sessions=1 last_stage=systemd-services outcome=boot-stuck
# evidence: last: A start job is running for .*no limit
