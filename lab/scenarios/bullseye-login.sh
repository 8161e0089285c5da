DESC='Debian 11 (bullseye) guest: kernel 5.10, systemd 247 (status lines name units by description only), initramfs-tools; healthy boot to the login prompt'
BASE=bullseye.raw
KERNEL=$WORK/vmlinuz-bullseye
INITRD_FILE=$WORK/initrd-bullseye.img
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Linux version 5\.10
# evidence: login: 
# note: a kernel line (powernow_k8) lands on the prompt line: "bootdiag-lab login: [  107.720829] powernow_k8: ..."; systemd 247 names units by description only ("Reached target Login Prompts.")
