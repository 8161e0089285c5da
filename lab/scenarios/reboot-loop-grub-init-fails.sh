DESC='reboot loop behind GRUB: init=/bin/false and panic=3; each boot goes firmware, GRUB menu, kernel, initramfs, panic (Attempted to kill init), restart; QEMU killed as the firmware starts its fourth boot ("Booting from Hard Disk...")'
BOOT=grub
APPEND="$PLAIN init=/bin/false panic=3"
STEPS='waitn 900 3 Rebooting in 3 seconds
wait 120 Booting from Hard Disk
kill'
# label: sessions=4 last_stage=firmware outcome=boot-stuck
# evidence: Attempted to kill init
# evidence: Attempted to kill init
# evidence: last: Attempted to kill init
# evidence: last: Booting from Hard Disk
# judgement: three panics (init exits) each followed by a restart, then the log ends in the fourth firmware run before GRUB: counted as a 4th session (firmware lines only, as public-47) ending boot-stuck at firmware; alternatives: 3 sessions with trailing noise (kernel-panic), or firmware/bootloader stage naming
# note: the fourth session holds only the SeaBIOS/iPXE banner and a cut "Booting from Hard Disk.." (QEMU killed mid-line)
