DESC='GRUB 2 boot disk in front, kernel command line "quiet" (no earlyprintk): the console shows GRUB, almost no kernel lines, fsck and the getty; healthy boot to the login prompt'
BOOT=grub
GRUB_TERMINAL="serial console"
APPEND="$PLAIN quiet"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: Booting from Hard Disk
# evidence: login: $
# note: no kernel line at all (quiet, no earlyprintk): the session is firmware, GRUB, the initramfs' fsck line and the getty
