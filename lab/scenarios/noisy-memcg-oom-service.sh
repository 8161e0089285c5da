DESC='healthy boot; a service limited to MemoryMax=48M reads /dev/zero into memory: the memory cgroup OOM killer kills it ("Memory cgroup out of memory"), the unit fails, the boot reaches the login prompt'
prepare() {
  img_unit "$IMG" lab-index-builder.service <<'U'
[Unit]
Description=Lab search index builder
Before=systemd-user-sessions.service
[Service]
Type=oneshot
MemoryMax=48M
MemorySwapMax=0
ExecStart=/usr/bin/tail /dev/zero
[Install]
WantedBy=multi-user.target
U
}
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: Memory cgroup out of memory: Killed process
# evidence: FAILED.*Failed to start .*lab-index
# evidence: login: $
# note: a cgroup OOM kill of one service is a finding (oom); the system was not out of memory and booted
