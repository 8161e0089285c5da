DESC='dmesg-style console (systemd.show_status=0 systemd.log_target=kmsg): kernel lines and systemd[1] messages, then the serial login prompt'
APPEND="$APPEND $DMESG"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: systemd\[1\]: Reached target multi-user.target
# evidence: login: $
