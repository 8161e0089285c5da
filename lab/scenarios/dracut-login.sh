DESC='dracut initramfs (with systemd inside the initrd) instead of initramfs-tools: "Reached target Initrd Root File System", "Switching root.", then the real root systemd; healthy boot to the login prompt'
INITRD_FILE=$WORK/initrd-dracut.img
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Reached target .*Initrd Root File System|Initrd Root File System
# evidence: Switching root
# evidence: login: $
