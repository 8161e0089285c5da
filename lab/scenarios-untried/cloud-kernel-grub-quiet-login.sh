DESC="GRUB boot disk, Debian's cloud kernel, quiet: healthy boot to the login prompt"
BASE=cloud.raw
BOOT=grub
KERNEL=$WORK/vmlinuz-cloud
INITRD_FILE=$WORK/initrd-cloud.img
APPEND="$PLAIN quiet"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Booting from Hard Disk
# evidence: login: $
