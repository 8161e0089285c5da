DESC='cloud-init with a NoCloud seed (ISO labelled cidata as a second disk): sets the hostname, writes a file, runs a command; provisioning succeeds'
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  mkdir -p "$RUN/seed"
  cat > "$RUN/seed/meta-data" <<'MD'
instance-id: iid-bootdiag-lab-ok
local-hostname: lab-ci-ok
MD
  cat > "$RUN/seed/user-data" <<'UD'
#cloud-config
write_files:
  - path: /etc/bootdiag-lab/provisioned
    content: |
      provisioned by cloud-init (NoCloud)
runcmd:
  - [ sh, -c, 'echo "lab: runcmd ran on $(hostname)"' ]
UD
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
# wait for both cloud-init's final line and the login prompt, in either order
STEPS="wait 1500 Cloud-init v\\. \\S+ finished at.*\\n[a-z0-9-]+ login: |\\n[a-z0-9-]+ login: .*Cloud-init v\\. \\S+ finished at
sleep 10"
