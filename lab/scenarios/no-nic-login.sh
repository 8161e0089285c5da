DESC='the network interface eth0 is configured "auto" in /etc/network/interfaces but the VM has no NIC: ifupdown says nothing on the console and networking.service finishes; the boot reaches the login prompt (a quiet way to have no network)'
EXTRA_QEMU=(-nic none)
prepare() { printf 'auto eth0\niface eth0 inet dhcp\n' | img_put "$IMG" /etc/network/interfaces.d/eth0; }
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Finished .*networking.service
# evidence: login: $
# note: not marked negative: the console shows no error for the missing NIC
