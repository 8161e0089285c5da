DESC='dmesg-style console (systemd.show_status=0 systemd.log_target=kmsg); one service fails at start: systemd[1] logs "Failed to start", the boot reaches the login prompt'
APPEND="$APPEND $DMESG"
prepare() {
  img_unit "$IMG" lab-metrics-agent.service <<'U'
[Unit]
Description=Lab metrics agent
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "lab-metrics-agent: fatal: collector unreachable" >&2; exit 1'
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: systemd\[1\]: Failed to start lab-metrics-agent.service
# evidence: login: $
# note: a failed non-critical unit (finding unit-failure); booted
