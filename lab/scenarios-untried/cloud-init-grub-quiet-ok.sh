DESC='GRUB boot disk, quiet; cloud-init with a NoCloud seed (hostname, write_files, runcmd) succeeds'
BOOT=grub
APPEND="$PLAIN quiet"
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  mkdir -p "$RUN/seed"
  printf 'instance-id: iid-lab-quiet\nlocal-hostname: lab-ci-quiet\n' > "$RUN/seed/meta-data"
  printf '#cloud-config\nwrite_files:\n  - path: /etc/lab/ok\n    content: ok\nruncmd:\n  - [ sh, -c, "echo lab: runcmd ok" ]\n' > "$RUN/seed/user-data"
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
STEPS="wait 1500 Cloud-init v\\. \\S+ finished at.*\\n[a-z0-9-]+ login: |\\n[a-z0-9-]+ login: .*Cloud-init v\\. \\S+ finished at
sleep 10"
# label: sessions=1 last_stage=agent-provisioned outcome=booted
# evidence: login: 
# evidence: finished at
