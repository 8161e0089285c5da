DESC='quiet; root=UUID= of a disk that is not attached, rootdelay=10: initramfs-tools gives up and drops to the (initramfs) shell'
APPEND="root=UUID=0c5e1d2a-7b3f-4a9e-8d6c-1f2e3d4c5b6a ro rootdelay=10 console=tty0 console=ttyS0,115200n8 net.ifnames=0 quiet"
STEPS='wait 600 \(initramfs\)
sleep 3'
# label: sessions=1 last_stage=initramfs outcome=initramfs-failure
# evidence: ALERT!
# evidence: \(initramfs\)
