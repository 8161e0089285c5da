DESC='an ext4 error at run time on a data disk: a directory of /data points at a block that is not a directory block; a boot-time unit lists it and the kernel reports "EXT4-fs error (device vdb)" (errors=continue); the boot reaches the login prompt'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  local d; d=$(mktemp -d); mkdir -p "$d/reports/2026"; for i in 1 2 3; do head -c 40000 /dev/urandom > "$d/reports/r$i"; done
  mke2fs -q -t ext4 -F -L labdata -U "$DATA_UUID" -E root_owner=0:0 -d "$d" "$RUN/data.raw" 64M; rm -rf "$d"
  local blk; blk=$(first_block "$RUN/data.raw" /reports/r1)
  printf 'sif /reports/2026 block[5] %s\n' "$blk" | _dbg "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults,errors=continue	0	0"
  img_unit "$IMG" lab-report-index.service <<'U'
[Unit]
Description=Lab report indexer
RequiresMountsFor=/data
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'ls -R /data/reports > /dev/null; true'
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: EXT4-fs error
# evidence: login: $
# note: a file-system error on a data disk (finding fs-error) with errors=continue; the boot went on
