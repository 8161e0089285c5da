DESC='a capture that ends during the kernel stage: healthy boot, QEMU killed as soon as the kernel starts probing PCI (the log simply stops)'
STEPS='wait 300 PCI: Using configuration type
sleep 1
kill'
# label: sessions=1 last_stage=kernel outcome=boot-stuck
# evidence: Linux version
# evidence: PCI: Using configuration type
# judgement: nothing failed: the log was cut during the kernel stage; by the rules boot-stuck at kernel
