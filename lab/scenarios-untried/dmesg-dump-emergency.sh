DESC='a dmesg dump from emergency mode: kernel console on tty0 only; /etc/fstab has the option typo defautls for a data disk; a unit wanted by emergency.target prints `dmesg` to ttyS0; sulogin prompts on tty0, not on the serial port'
APPEND="root=UUID=$ROOT_UUID ro console=tty0 net.ifnames=0 $DMESG"
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defautls	0	2"
  img_mask "$IMG" serial-getty@ttyS0.service
  img_unit "$IMG" lab-dmesg-dump.service emergency.target <<'U'
[Unit]
Description=Lab: copy the kernel log to the serial port
DefaultDependencies=no
After=emergency.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'sleep 10; dmesg > /dev/ttyS0'
[Install]
WantedBy=emergency.target
U
}
STEPS='wait 900 Reached target emergency.target|Started emergency.service
sleep 10'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: systemd\[1\]: Failed to mount data.mount
# evidence: systemd\[1\]: .*emergency
# judgement: only the dmesg listing is on the serial port: emergency mode is shown by systemd[1]'s own lines (Dependency failed for local-fs.target, Started emergency.service / Reached target emergency.target), not by a sulogin prompt
