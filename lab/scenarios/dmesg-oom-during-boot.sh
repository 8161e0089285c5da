DESC='dmesg-style console, 384 MiB guest, lab-memory-hog.service (tail /dev/zero before user logins): the OOM killer kills it, the unit fails, the boot reaches the login prompt'
APPEND="$APPEND $DMESG"
MEM=384
prepare() { img_enable "$IMG" lab-memory-hog.service; }
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: invoked oom-killer
# evidence: Out of memory: Killed process
# evidence: systemd\[1\]: Failed to start lab-memory-hog.service
# evidence: login: $
# note: an OOM kill of a non-critical boot unit is a finding (oom, unit-failure); the boot reached the prompt
