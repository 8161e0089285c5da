DESC='dracut initramfs with rd.retry=10 rd.timeout=40; root=UUID= of a disk that is not attached: dracut-initqueue warns "timeout, still waiting for following initqueue hooks", gives up and drops to the dracut emergency shell'
INITRD_FILE=$WORK/initrd-dracut.img
APPEND="root=UUID=0c5e1d2a-7b3f-4a9e-8d6c-1f2e3d4c5b6a ro rd.retry=10 rd.timeout=40 $CONSOLE net.ifnames=0"
STEPS='wait 900 dracut:/#|Press Enter for maintenance|Control-D|emergency shell
sleep 5'
# label: sessions=1 last_stage=initramfs outcome=initramfs-failure
# evidence: dracut-initqueue.*timeout|Timed out waiting for device
# evidence: emergency
