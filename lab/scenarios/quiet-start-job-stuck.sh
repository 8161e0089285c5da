DESC='quiet boot; a oneshot unit ordered before user logins never finishes (ExecStart sleeps forever, no start timeout): systemd shows "A start job is running for ..." and the boot never reaches the prompt; QEMU killed 60 s after the first such line'
APPEND="$PLAIN quiet"
prepare() {
  img_unit "$IMG" lab-wait-storage.service <<'U'
[Unit]
Description=Lab wait for application storage
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/sleep infinity
TimeoutStartSec=infinity
[Install]
WantedBy=multi-user.target
U
}
STEPS='wait 900 A start job is running for
sleep 60
kill'
# label: sessions=1 last_stage=systemd-services outcome=boot-stuck
# evidence: last: A start job is running for
