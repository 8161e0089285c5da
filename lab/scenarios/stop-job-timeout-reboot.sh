DESC='root runs reboot while a service whose ExecStop hangs is active, TimeoutStopSec=20s: the stop job times out and is killed, the reboot goes on; QEMU (-no-reboot) exits at the reset'
NOREBOOT=1
prepare() {
  img_unit "$IMG" lab-queue-drain.service <<'U'
[Unit]
Description=Lab queue drain
After=network.target
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
ExecStop=/bin/sleep infinity
TimeoutStopSec=20s
[Install]
WantedBy=multi-user.target
U
}
STEPS="$LOGIN_STEPS
send reboot
eof 300"
# label: sessions=1 last_stage=shutdown outcome=reboot negative=true
# evidence: reboot$
# evidence: stop job is running|lab-queue-drain.service/stop running
# evidence: reboot: Restarting system
