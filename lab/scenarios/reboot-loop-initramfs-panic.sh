DESC='reboot loop in the initramfs: root=UUID= of a disk that is not attached, rootdelay=5 and panic=5: initramfs-tools gives up ("ALERT! ... does not exist"), and because of panic= it reboots instead of opening a shell; QEMU killed during the third countdown'
APPEND="root=UUID=0c5e1d2a-7b3f-4a9e-8d6c-1f2e3d4c5b6a ro rootdelay=5 panic=5 $CONSOLE net.ifnames=0"
STEPS='waitn 900 3 Rebooting automatically due to panic
sleep 2
kill'
# label: sessions=3 last_stage=initramfs outcome=initramfs-failure
# evidence: ALERT!
# evidence: Rebooting automatically due to panic
# evidence: Linux version
# evidence: Linux version
# evidence: last: ALERT!
# evidence: last: Rebooting automatically due to panic
# note: initramfs-tools' panic() with panic= set sleeps and reboots instead of dropping to a shell; each session is an initramfs failure; the last one ends in its countdown
