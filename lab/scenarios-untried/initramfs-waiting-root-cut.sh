DESC='root=UUID= of a disk that is not attached with rootdelay=600: initramfs-tools waits for the root device; QEMU killed 60 s into the wait (a capture that ends while the boot waits)'
APPEND="root=UUID=0c5e1d2a-7b3f-4a9e-8d6c-1f2e3d4c5b6a ro rootdelay=600 $CONSOLE net.ifnames=0"
STEPS='wait 600 Waiting for root file system
sleep 60
kill'
# label: sessions=1 last_stage=initramfs outcome=boot-stuck
# evidence: Begin: Waiting for root file system
