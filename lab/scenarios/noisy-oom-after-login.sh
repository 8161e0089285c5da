DESC='a global OOM after the login prompt in a 384 MiB guest: 15 s after boot a job reads /dev/zero into memory, the OOM killer kills it; the kernel lines follow the prompt; QEMU stopped 60 s after the prompt'
MEM=384
prepare() {
  img_unit "$IMG" lab-late-hog.service <<'U'
[Unit]
Description=Lab late memory hog
After=getty.target
[Service]
Type=simple
ExecStart=/bin/sh -c 'sleep 15; exec tail /dev/zero'
[Install]
WantedBy=multi-user.target
U
}
STEPS="wait 900 $LOGIN_RE
wait 300 Out of memory: Killed process
sleep 30"
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: login: 
# evidence: invoked oom-killer
# evidence: Out of memory: Killed process
# note: an OOM kill of a non-critical job after boot (finding oom); the system stayed up
