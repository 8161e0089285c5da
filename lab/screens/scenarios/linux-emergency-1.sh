DESC='a data disk in /etc/fstab with the option typo defautls, tty0 named last so /dev/console is the screen: the mount fails, systemd emergency mode on screen'
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE_TTY_LAST net.ifnames=0 video=1024x768"
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  img_mkdir "$IMG" /data
  { img_cat "$IMG" /etc/fstab; printf 'UUID=%s\t/data\text4\tdefautls\t0\t2\n' "$DATA_UUID"; } | img_put "$IMG" /etc/fstab
}
# sulogin asks for the root password on every console, the serial one too
STEPS='wait 900 Control-D
sleep 5
shot screen'
