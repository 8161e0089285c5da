DESC='cloud-init NoCloud seed whose write_files entry says encoding: b64 but holds text that is not base64: the write_files module raises and cloud-init reports it failed'
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  mkdir -p "$RUN/seed"
  printf 'instance-id: iid-lab-wf\nlocal-hostname: lab-ci-wf\n' > "$RUN/seed/meta-data"
  cat > "$RUN/seed/user-data" <<'UD'
#cloud-config
write_files:
  - path: /etc/lab/app.conf
    encoding: b64
    content: this is not base64!
UD
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
STEPS="wait 1500 Cloud-init v\\. \\S+ finished at.*\\n[a-z0-9-]+ login: |\\n[a-z0-9-]+ login: .*Cloud-init v\\. \\S+ finished at
sleep 10"
# label: sessions=1 last_stage=login-prompt outcome=provisioning-failed
# evidence: Failed to run module write.files|write_files.*WARNING
# evidence: finished at
