DESC='a VM with too little memory for its initramfs (-m 80): the kernel cannot unpack the 38 MB initramfs ("Initramfs unpacking failed") and then cannot mount root: kernel panic'
MEM=80
STEPS='wait 600 end Kernel panic|Kernel panic
sleep 5'
# label: sessions=1 last_stage=kernel outcome=kernel-panic
# evidence: Linux version
# evidence: Kernel panic - not syncing
# judgement: see the log for where the small memory bit first
