DESC="Debian's cloud kernel (linux-image-cloud-amd64) with its initramfs-tools initramfs, root image with lvm2 (cloud.raw): healthy boot to the login prompt"
BASE=cloud.raw
KERNEL=$WORK/vmlinuz-cloud
INITRD_FILE=$WORK/initrd-cloud.img
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Linux version .*cloud-amd64
# evidence: login: $
