DESC='GRUB boot disk whose core image looks for its modules in /boot/grub2 (a directory the disk does not have, as after a half-done upgrade): "error: file .../normal.mod not found.", rescue mode'
BOOT=grub
GRUB_PREFIX='(hd0,msdos1)/boot/grub2'
STEPS='wait 300 grub rescue>
sleep 5'
# label: sessions=1 last_stage=bootloader outcome=bootloader-failure
# evidence: normal.mod. not found
# evidence: grub rescue>
