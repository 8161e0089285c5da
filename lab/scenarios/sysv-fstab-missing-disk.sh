DESC='sysvinit; /etc/fstab mounts a data disk by UUID that is not attached (no nofail): sysvinit does not wait for devices; mountall reports the mount failed and the boot goes on to the login prompt'
BASE=sysv.raw
prepare() {
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults	0	0"
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: can't find UUID|mount:|failed
# evidence: login: $
# note: under sysvinit a missing fstab disk is a mount failure the boot steps over (finding mount-failure), not emergency mode
