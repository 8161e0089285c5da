DESC='GRUB 2 boot disk in front (MBR, menu on the serial port); quiet and earlyprintk on the kernel command line, so the early kernel lines print until the boot console is handed over and then nothing but fsck and the getty: healthy boot to the serial login prompt'
BOOT=grub
GRUB_TERMINAL="serial console"
APPEND="$APPEND quiet"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: GRUB loading
# evidence: Linux version
# evidence: login: $
