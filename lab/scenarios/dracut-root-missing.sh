DESC='dracut initramfs; root=UUID= of a disk that is not attached: systemd in the initrd waits for the device, times out, dracut-initqueue gives up and dracut drops to its emergency shell'
INITRD_FILE=$WORK/initrd-dracut.img
APPEND="root=UUID=0c5e1d2a-7b3f-4a9e-8d6c-1f2e3d4c5b6a ro $CONSOLE net.ifnames=0"
STEPS='wait 900 dracut:/#|Press Enter for maintenance|Control-D|emergency shell
sleep 5'
# label: sessions=1 last_stage=initramfs outcome=initramfs-failure
# evidence: dracut-initqueue.*timeout|Timed out waiting for device
# evidence: does not exist
# evidence: emergency
# note: under TCG the initqueue ran ~7 min before its timeout; the "timeout, still waiting" warning repeats about every 2 s until dracut gives up
