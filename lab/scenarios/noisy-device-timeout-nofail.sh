DESC='/etc/fstab mounts a data disk by label that is not attached, with nofail and x-systemd.device-timeout=10s: "[ TIME ] Timed out waiting for device", "[DEPEND] Dependency failed for /data", and the boot goes on to the login prompt'
prepare() {
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "LABEL=scratch	/data	ext4	defaults,nofail,x-systemd.device-timeout=10s	0	2"
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: Timed out waiting for device
# evidence: Dependency failed for .*data
# evidence: login: $
# note: nofail: the missing disk's mount fails without stopping the boot (findings start-job-timeout, dependency-failure)
