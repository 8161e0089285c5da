DESC='/etc/fstab mounts a data disk by UUID (no nofail) that is not attached: the device job times out after 90 s, local-fs.target fails, emergency mode'
prepare() {
  img_mkdir "$IMG" /data
  { img_cat "$IMG" /etc/fstab; printf 'UUID=%s\t/data\text4\tdefaults\t0\t2\n' "$DATA_UUID"; } | img_put "$IMG" /etc/fstab
}
STEPS='wait 900 Control-D
sleep 5'
