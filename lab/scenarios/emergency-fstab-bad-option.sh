DESC='/etc/fstab mounts a data disk with a typo in its options (defautls): the mount fails, local-fs.target fails, emergency mode'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  img_mkdir "$IMG" /data
  { img_cat "$IMG" /etc/fstab; printf 'UUID=%s\t/data\text4\tdefautls\t0\t2\n' "$DATA_UUID"; } | img_put "$IMG" /etc/fstab
}
STEPS='wait 900 Control-D
sleep 5'
