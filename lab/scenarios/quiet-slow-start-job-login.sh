DESC='quiet boot; a oneshot unit ordered before user logins takes 45 s: systemd shows "A start job is running for ..." then finishes it, and the boot reaches the login prompt'
APPEND="$PLAIN quiet"
prepare() {
  img_unit "$IMG" lab-cache-warmup.service <<'U'
[Unit]
Description=Lab cache warm-up
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/sleep 45
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: start running|A start job is running
# evidence: login: $
# note: a slow start job that finishes is not a stuck boot
