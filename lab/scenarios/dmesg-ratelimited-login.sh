DESC='dmesg-style console (systemd.show_status=0 systemd.log_target=kmsg) with the default /dev/kmsg rate limit: many systemd[1] lines are dropped ("output lines suppressed due to ratelimiting"); the boot reaches the login prompt'
APPEND="$APPEND systemd.show_status=0 systemd.log_target=kmsg"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: suppressed due to ratelimiting
# evidence: login: $
