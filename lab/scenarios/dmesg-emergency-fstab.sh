DESC='dmesg-style console; /etc/fstab mounts a data disk with the option typo defautls: the mount fails and systemd enters emergency mode (systemd[1] lines, then sulogin on the console)'
APPEND="$APPEND $DMESG"
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defautls	0	2"
}
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: systemd\[1\]: Failed to mount data.mount
# evidence: You are in emergency mode
