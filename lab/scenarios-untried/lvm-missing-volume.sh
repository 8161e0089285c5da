DESC="cloud kernel, lvm2 installed; /etc/fstab mounts /dev/mapper/vg_data-lv_app (an LVM logical volume whose disk is not attached): the device job times out after 90 s, the mount's dependencies fail, emergency mode"
BASE=cloud.raw
KERNEL=$WORK/vmlinuz-cloud
INITRD_FILE=$WORK/initrd-cloud.img
prepare() {
  img_mkdir "$IMG" /srv
  img_mkdir "$IMG" /srv/app
  fstab_add "$IMG" "/dev/mapper/vg_data-lv_app	/srv/app	ext4	defaults	0	2"
}
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: Timed out waiting for device .*vg_data
# evidence: Dependency failed for .*srv/app|Dependency failed for .*srv-app
# evidence: You are in emergency mode
