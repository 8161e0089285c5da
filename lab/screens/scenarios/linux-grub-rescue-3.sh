DESC='GRUB for UEFI (OVMF, 1024x768) whose core looks for its modules on a partition the disk does not have: error: no such partition, grub rescue> on the firmware console'
BOOT=uefi
UEFI_RES=1024x768
SERIAL=0
prepare() { make_grub_efi /dev/null '(hd0,gpt9)/boot/grub'; }
STEPS='sleep 40
shot screen'
