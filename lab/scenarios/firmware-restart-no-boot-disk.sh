DESC='firmware restart with no kernel after it: GRUB boot disk, init=/bin/false panic=3; after the panic the boot disk MBR is wiped from the host (as a lost or overwritten OS disk would be); on restart SeaBIOS finds nothing bootable, iPXE tries the network, "No bootable device"'
BOOT=grub
APPEND="$PLAIN init=/bin/false panic=3"
STEPS="wait 900 Rebooting in 3 seconds
host dd if=/dev/zero of=\$RUN_DIR/boot.raw bs=512 count=1 conv=notrunc status=none
wait 300 No bootable device
sleep 5
kill"
# label: sessions=2 last_stage=firmware outcome=bootloader-failure
# evidence: Attempted to kill init
# evidence: Rebooting in 3 seconds
# evidence: Boot failed
# evidence: No bootable device
# judgement: the second session is firmware only (no boot loader, no kernel): "No bootable device" reads as a boot-loader failure at the firmware stage; alternatives: boot-stuck (firmware) or no-output for that session
# note: SeaBIOS says "Boot failed: not a bootable disk", iPXE tries the network (DHCP, "Nothing to boot", "No more network devices"), and "No bootable device." lands on iPXE's "Press Ctrl-B" line after a run of backspaces
