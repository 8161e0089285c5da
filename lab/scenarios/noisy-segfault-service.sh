DESC='healthy boot; a boot-time service segfaults (python3 reads address 0 through ctypes): the kernel prints the segfault line, systemd reports the unit failed (SEGV), the boot reaches the login prompt'
prepare() {
  img_unit "$IMG" lab-report-uploader.service <<'U'
[Unit]
Description=Lab report uploader
Before=systemd-user-sessions.service
[Service]
Type=oneshot
ExecStart=/usr/bin/python3 -c "import ctypes; ctypes.string_at(0)"
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: segfault at 0
# evidence: FAILED.*Failed to start .*lab-repor
# evidence: login: $
# note: a service that segfaults is a finding (unit-failure); the kernel's "segfault at" line is user space, not an oops
