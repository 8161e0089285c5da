DESC='GRUB boot disk with no grub.cfg (as after a failed update-grub): GRUB starts its command line ("Minimal BASH-like line editing is supported", grub>) and waits'
BOOT=grub
GRUB_CFG=none
STEPS='wait 300 grub>
sleep 5'
# label: sessions=1 last_stage=bootloader outcome=bootloader-failure
# evidence: Minimal BASH-like line editing
# evidence: grub>
# judgement: GRUB is healthy but has nothing to boot and sits at its prompt: bootloader-failure (no kernel started because of the boot loader's configuration) vs boot-stuck at bootloader
