DESC='a NIC on a network with no DHCP server (QEMU user networking with IPv4 off): dhclient sends DHCPDISCOVER until it gives up ("No DHCPOFFERS received"), ifup@eth0 fails; the boot reaches the login prompt'
EXTRA_QEMU=(-nic "user,model=virtio-net-pci,ipv4=off")
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: DHCPDISCOVER on eth0
# evidence: login: $
# note: no DHCP lease is a network finding; the boot finished
