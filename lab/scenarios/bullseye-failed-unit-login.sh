DESC='Debian 11 (bullseye) guest; one enabled service fails at start: [FAILED] Failed to start <description>, the boot reaches the login prompt'
BASE=bullseye.raw
KERNEL=$WORK/vmlinuz-bullseye
INITRD_FILE=$WORK/initrd-bullseye.img
prepare() {
  img_unit "$IMG" lab-metrics-agent.service <<'U'
[Unit]
Description=Lab metrics agent
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "lab-metrics-agent: error: no collector configured" >&2; exit 1'
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: FAILED.*Failed to start Lab metrics agent
# evidence: login: 
# note: a failed non-critical unit (finding unit-failure); booted
