DESC='/etc/fstab mounts an ext4 data disk as xfs (wrong file system type; no xfs module loaded for it): the mount fails, emergency mode'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	xfs	defaults	0	0"
}
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: Failed to mount .*data.mount
# evidence: You are in emergency mode
