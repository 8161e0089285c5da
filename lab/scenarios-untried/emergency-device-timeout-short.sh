DESC='/etc/fstab mounts a data disk by label that is not attached, with x-systemd.device-timeout=15s: "Timed out waiting for device", dependency failures, emergency mode'
prepare() {
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "LABEL=appdata	/data	ext4	defaults,x-systemd.device-timeout=15s	0	2"
}
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: Timed out waiting for device
# evidence: Dependency failed for .*data
# evidence: You are in emergency mode
