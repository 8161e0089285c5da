DESC='cloud-init with a NoCloud seed whose bootcmd runs a command that exits 1 (a missing disk-setup script): cloud-init reports the bootcmd module failed; the rest of provisioning runs'
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  mkdir -p "$RUN/seed"
  printf 'instance-id: iid-lab-bootcmd\nlocal-hostname: lab-ci-bootcmd\n' > "$RUN/seed/meta-data"
  cat > "$RUN/seed/user-data" <<'UD'
#cloud-config
bootcmd:
  - [ sh, -c, 'test -x /opt/lab/prepare-disks.sh && /opt/lab/prepare-disks.sh' ]
UD
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
STEPS="wait 1500 Cloud-init v\\. \\S+ finished at.*\\n[a-z0-9-]+ login: |\\n[a-z0-9-]+ login: .*Cloud-init v\\. \\S+ finished at
sleep 10"
# label: sessions=1 last_stage=login-prompt outcome=provisioning-failed
# evidence: Failed to run module bootcmd|bootcmd.*WARNING
# evidence: finished at
