DESC='GRUB boot disk, quiet: root logs in and runs reboot; firmware and GRUB run again and the second boot reaches the login prompt'
BOOT=grub
APPEND="$PLAIN quiet"
STEPS="$LOGIN_STEPS
send reboot
wait 900 $LOGIN_RE
sleep 5"
# label: sessions=2 last_stage=login-prompt outcome=booted
# evidence: reboot$
# evidence: reboot: Restarting system
# evidence: Booting from Hard Disk
# evidence: login: $
# note: quiet without earlyprintk: no "Linux version" line in either boot; each session starts at the firmware banner (SeaBIOS, "Booting from Hard Disk...", GRUB)
