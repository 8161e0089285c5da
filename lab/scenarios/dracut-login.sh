DESC='dracut initramfs (with systemd inside the initrd) instead of initramfs-tools: "Reached target Initrd Root File System", "Starting initrd-switch-root.service", then the real root systemd (a second "Welcome to"); healthy boot to the login prompt'
INITRD_FILE=$WORK/initrd-dracut.img
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Reached target .*Initrd Root File System|Initrd Root File System
# evidence: Starting .*initrd-switch-root.service
# evidence: Welcome to Debian GNU/Linux 12 \(bookworm\)!
# evidence: login: $
# note: two "Welcome to" lines: the initrd's systemd greets "Debian GNU/Linux 12 (bookworm) dracut-059-4 (Initramfs)", the real root's systemd "Debian GNU/Linux 12 (bookworm)"; no "Switching root" line on the console
