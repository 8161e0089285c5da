DESC='Debian 11 (bullseye) guest: kernel 5.10, systemd 247 (status lines name units by description only), initramfs-tools; healthy boot to the login prompt'
BASE=bullseye.raw
KERNEL=$WORK/vmlinuz-bullseye
INITRD_FILE=$WORK/initrd-bullseye.img
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Linux version 5\.10
# evidence: Reached target .*Multi-User System
# evidence: login: $
