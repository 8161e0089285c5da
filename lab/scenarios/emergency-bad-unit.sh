DESC='a boot-critical unit fails: lab-root-keys.service (before sysinit.target, OnFailure=emergency.target, as systemd-fsck-root does it) exits 1; systemd drops into emergency mode'
prepare() {
  img_unit "$IMG" lab-root-keys.service sysinit.target <<'U'
[Unit]
Description=Lab unlock keys for the root volume
DefaultDependencies=no
Before=sysinit.target
OnFailure=emergency.target
OnFailureJobMode=replace-irreversibly
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "lab-root-keys: key file /etc/lab/root.key missing" >&2; exit 1'
[Install]
WantedBy=sysinit.target
U
}
STEPS='wait 900 Control-D
sleep 5'
# label: sessions=1 last_stage=systemd-services outcome=emergency-mode
# evidence: FAILED.*Failed to start .*lab-root-
# evidence: You are in emergency mode
