DESC='the network interface eth0 is configured "auto" in /etc/network/interfaces but the VM has no NIC: networking.service fails ([FAILED] Failed to start networking.service); the boot reaches the login prompt'
EXTRA_QEMU=(-nic none)
prepare() { printf 'auto eth0\niface eth0 inet dhcp\n' | img_put "$IMG" /etc/network/interfaces.d/eth0; }
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: FAILED.*Failed to start .*networking.service
# evidence: login: $
# note: a network failure is a finding (network); the console boot finished
