DESC='I/O errors that do not stop anything: a data disk behind QEMU blkdebug that fails reads of a few sectors (EIO); a boot-time scrub service reads the whole disk (dd conv=noerror): the kernel prints I/O error / Buffer I/O error lines and the boot reaches the login prompt'
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
# evidence: I/O error, dev vd
# evidence: login: $
# note: read errors on a data disk (findings io-error) while the boot goes on
