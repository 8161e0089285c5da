DESC='a slow start job that finishes: a boot-time scrub service reads a whole 64 MiB data disk with O_DIRECT 4 KiB reads (under emulation: 6 min of "Job lab-disk-scrub.service/start running"), then the boot reaches the login prompt. The disk sits behind QEMU blkdebug with two read-error rules meant to inject EIO, which did not fire (no I/O error line in the log)'
EXTRA_QEMU=(-drive "driver=raw,if=none,id=data,file.driver=blkdebug,file.config=$RUN/blkdebug.conf,file.image.filename=$RUN/data.raw" -device virtio-blk-pci,drive=data)
prepare() {
  make_data_disk "$RUN/data.raw"
  cat > "$RUN/blkdebug.conf" <<'C'
[inject-error]
event = "read_aio"
errno = "5"
sector = "100000"

[inject-error]
event = "read_aio"
errno = "5"
sector = "100008"
C
  img_unit "$IMG" lab-disk-scrub.service <<'U'
[Unit]
Description=Lab data disk read check
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'for d in /dev/vd?; do [ "$d" = /dev/vda ] && continue; dd if=$d of=/dev/null bs=4k conv=noerror iflag=direct 2>&1 | tail -n 3; done; true'
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: Job lab-disk-scrub.service/start running
# evidence: Finished .*lab-disk-scrub
# evidence: login: $
# note: a start job that ran for minutes and then finished is not a stuck boot
