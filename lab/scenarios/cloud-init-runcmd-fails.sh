DESC='cloud-init with a NoCloud seed whose runcmd mounts an application disk that is not there and starts a unit that does not exist: the runcmd script fails, cloud-init reports the scripts-user module failed'
EXTRA_QEMU=(-drive "file=$RUN/seed.iso,format=raw,if=virtio,readonly=on")
prepare() {
  enable_cloud_init "$IMG"
  mkdir -p "$RUN/seed"
  cat > "$RUN/seed/meta-data" <<'MD'
instance-id: iid-bootdiag-lab-fail
local-hostname: lab-ci-fail
MD
  cat > "$RUN/seed/user-data" <<'UD'
#cloud-config
runcmd:
  - mkdir -p /srv/app
  - mount /dev/disk/by-label/appdata /srv/app
  - systemctl start app.service
UD
  make_seed "$RUN/seed.iso" "$RUN/seed"
}
STEPS="wait 1500 Cloud-init v\\. \\S+ finished at.*\\n[a-z0-9-]+ login: |\\n[a-z0-9-]+ login: .*Cloud-init v\\. \\S+ finished at
sleep 10"
