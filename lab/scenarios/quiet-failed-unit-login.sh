DESC='quiet boot; one enabled service fails at start (ExecStart=/bin/false): systemd shows the [FAILED] line even with quiet, the boot goes on to the login prompt'
APPEND="$PLAIN quiet"
prepare() {
  img_unit "$IMG" lab-app-config.service <<'U'
[Unit]
Description=Lab application configuration
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/false
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: FAILED.*Failed to start
# evidence: login: $
# note: a failed non-critical unit is a finding (unit-failure); the boot reached the prompt
