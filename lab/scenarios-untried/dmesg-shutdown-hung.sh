DESC='dmesg-style console; lab-data-sync.service (ExecStop never returns, no stop timeout) active; root runs poweroff; the shutdown waits on it silently (no status lines); QEMU killed 1 min later'
APPEND="$APPEND $DMESG"
prepare() { img_enable "$IMG" lab-data-sync.service; }
STEPS="$LOGIN_STEPS
send poweroff
wait 300 Stopping lab-data-sync.service
sleep 60
kill"
# label: sessions=1 last_stage=shutdown outcome=shutdown-hung
# evidence: poweroff$
# evidence: systemd\[1\]: Stopping lab-data-sync.service
