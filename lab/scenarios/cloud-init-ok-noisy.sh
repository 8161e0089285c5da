DESC='cloud-init NoCloud seed that succeeds but is noisy: a runcmd that prints "error:" and "warning:" text and exits 0, a write_files entry with a deprecated-style key; cloud-init finishes'
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  mkdir -p "$RUN/seed"
  printf 'instance-id: iid-lab-noisy\nlocal-hostname: lab-ci-noisy\n' > "$RUN/seed/meta-data"
  cat > "$RUN/seed/user-data" <<'UD'
#cloud-config
write_files:
  - path: /etc/lab/app.conf
    content: "mode=prod\n"
    permissions: '0644'
runcmd:
  - [ sh, -c, 'echo "error: optional plugin lab-metrics not found, continuing" >&2; echo "warning: retrying mirror (1/3)"; exit 0' ]
UD
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
STEPS="wait 1500 Cloud-init v\\. \\S+ finished at.*\\n[a-z0-9-]+ login: |\\n[a-z0-9-]+ login: .*Cloud-init v\\. \\S+ finished at
sleep 10"
# label: sessions=1 last_stage=agent-provisioned outcome=booted negative=true
# evidence: error: optional plugin
# evidence: finished at
# note: the runcmd's own "error:"/"warning:" output is not a cloud-init failure: every module ran, cloud-init finished
