DESC='dracut initramfs; after switch-root, /etc/fstab mounts a data disk with the option typo defautls: the mount fails and the real root systemd enters emergency mode'
INITRD_FILE=$WORK/initrd-dracut.img
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defautls	0	2"
}
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: Starting .*initrd-switch-root.service
# evidence: Welcome to Debian GNU/Linux 12 \(bookworm\)!
# evidence: Failed to mount .*data.mount
# evidence: You are in emergency mode
