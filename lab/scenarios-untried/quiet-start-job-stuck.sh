DESC='quiet boot; a oneshot unit ordered before user logins never finishes (ExecStart sleeps forever, no start timeout): with quiet, systemd 252 prints nothing at all (no "A start job is running" line even after 10 min), so the log ends at the initramfs fsck line; QEMU killed 3 min after that line'
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
STEPS='wait 900 : clean, 
sleep 180
kill'
# label: sessions=1 last_stage=initramfs outcome=boot-stuck
# evidence: bootlab-root: clean,
# judgement: the boot is in fact stuck in systemd's start jobs, but with quiet the console shows nothing after the initramfs fsck line: by the text, boot-stuck at initramfs (the last stage shown); an analyser cannot see further
