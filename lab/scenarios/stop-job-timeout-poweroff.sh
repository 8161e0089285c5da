DESC='root runs poweroff while a service whose ExecStop hangs is active, with TimeoutStopSec=30s: "A stop job is running ..." for 30 s, systemd kills it, and the shutdown completes (reboot: Power down)'
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
TimeoutStopSec=30s
[Install]
WantedBy=multi-user.target
U
}
STEPS="$LOGIN_STEPS
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete negative=true
# evidence: poweroff$
# evidence: stop job is running|lab-queue-drain.service/stop running
# evidence: reboot: Power down
# note: a stop job that times out and is killed delays the shutdown but does not stop it
