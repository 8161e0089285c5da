DESC='kernel command line "quiet splash" (no plymouth installed, no earlyprintk): healthy boot to the login prompt with almost no kernel lines'
APPEND="$PLAIN quiet splash"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: login: $
# note: the whole log is the SeaBIOS banner, one fsck line from the initramfs, and the getty's prompt: no kernel line, no systemd line
