DESC='GRUB boot disk, dracut initramfs, kernel command line quiet (as a RHEL-style image boots): healthy boot to the login prompt'
BOOT=grub
INITRD_FILE=$WORK/initrd-dracut.img
APPEND="$PLAIN quiet"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Booting from Hard Disk
# evidence: login: $
