DESC='GRUB boot disk whose core image looks for its files on a partition that does not exist ((hd0,msdos5), as after a partition table change): "error: no such partition." and the grub rescue> prompt (GRUB 2.06 prints no "Entering rescue mode..."); no kernel'
BOOT=grub
GRUB_PREFIX='(hd0,msdos5)/boot/grub'
STEPS='wait 300 grub rescue>
sleep 5'
# label: sessions=1 last_stage=bootloader outcome=bootloader-failure
# evidence: no such partition
# evidence: grub rescue>
