DESC='healthy boot with one enabled service that fails at start (ExecStart exits 1 after printing an error): [FAILED] Failed to start ..., then the login prompt'
prepare() {
  img_unit "$IMG" lab-metrics-agent.service <<'U'
[Unit]
Description=Lab metrics agent
After=network.target
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "lab-metrics-agent: error: cannot connect to collector 10.0.0.5:8125" >&2; exit 1'
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: FAILED.*Failed to start .*lab-metri
# evidence: Reached target .*multi-user.target
# evidence: login: $
# note: a failed non-critical unit is a finding (unit-failure); the boot reached the prompt
