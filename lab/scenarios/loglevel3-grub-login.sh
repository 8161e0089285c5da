DESC='GRUB boot disk in front, kernel command line loglevel=3 (errors only on the console, systemd status still shown): healthy boot to the login prompt'
BOOT=grub
APPEND="$PLAIN loglevel=3"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Reached target .*multi-user.target
# evidence: login: $
# note: loglevel=3 without earlyprintk: no kernel line, but systemd's status lines are all there
