DESC='GRUB boot disk, quiet: root logs in on ttyS0 and runs poweroff; QEMU exits when the guest powers off'
BOOT=grub
APPEND="$PLAIN quiet"
STEPS="$LOGIN_STEPS
send poweroff
eof 300"
# label: sessions=1 last_stage=shutdown outcome=shutdown-complete
# evidence: poweroff$
# evidence: reboot: Power down
# note: quiet: after "poweroff" the only shutdown line is the kernel's "reboot: Power down", glued to the next shell prompt
