DESC='dmesg-style console: systemd.show_status=0 systemd.log_target=kmsg (systemd writes "systemd[1]: ..." kernel-log lines, no [  OK  ] status lines) and the serial getty masked: healthy boot; the log ends at "Startup finished" with no login prompt'
APPEND="$APPEND $DMESG"
prepare() { img_mask "$IMG" serial-getty@ttyS0.service; }
STEPS='wait 900 Startup finished in
sleep 10'
# label: sessions=1 last_stage=systemd-services outcome=booted
# evidence: systemd\[1\]: Reached target multi-user.target
# evidence: systemd\[1\]: Startup finished in
# note: no login prompt on ttyS0 (getty masked): booted by systemd's final target (multi-user/graphical reached, "Startup finished")
