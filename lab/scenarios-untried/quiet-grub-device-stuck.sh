DESC='GRUB boot disk, quiet; /etc/fstab mounts a data disk by UUID that is not attached with x-systemd.device-timeout=0 (wait forever); QEMU killed 3 min after the initramfs fsck line'
BOOT=grub
APPEND="$PLAIN quiet"
prepare() {
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults,x-systemd.device-timeout=0	0	2"
}
STEPS='wait 900 : clean, 
sleep 180
kill'
# label: sessions=1 last_stage=initramfs outcome=boot-stuck
# evidence: bootlab-root: clean,
# judgement: see the log: if systemd printed no start-job line under quiet, the last stage the text shows is the initramfs fsck
