DESC='dmesg-style console, getty masked; a oneshot unit ordered before multi-user.target never finishes: systemd[1] says it is starting it and then the log goes quiet (no "A start job is running" with show_status=0); QEMU killed 1 min later'
APPEND="$APPEND $DMESG"
prepare() {
  img_mask "$IMG" serial-getty@ttyS0.service
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
STEPS='wait 900 Starting lab-wait-storage.service
sleep 60
kill'
# label: sessions=1 last_stage=systemd-services outcome=boot-stuck
# evidence: systemd\[1\]: Starting lab-wait-storage.service
