DESC='a unit that must succeed fails with OnFailure=rescue.target: systemd isolates rescue mode ("You are in rescue mode")'
prepare() {
  img_unit "$IMG" lab-app-volume.service <<'U'
[Unit]
Description=Lab application volume check
Before=systemd-user-sessions.service
OnFailure=rescue.target
OnFailureJobMode=isolate
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "lab-app-volume: /srv/app is not a mount point" >&2; exit 1'
[Install]
WantedBy=multi-user.target
U
}
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: FAILED.*Failed to start .*lab-app-v
# evidence: You are in rescue mode
