DESC='break=premount on the kernel command line: initramfs-tools stops before mounting root and opens its debug shell ("Spawning shell within the initramfs", (initramfs) prompt)'
APPEND="$APPEND break=premount"
STEPS='wait 600 \(initramfs\)
sleep 3'
# label: sessions=1 last_stage=initramfs outcome=initramfs-failure
# evidence: Spawning shell within the initramfs
# evidence: \(initramfs\)
# judgement: a debug break asked for on the command line, not a missing root: the boot stopped at the (initramfs) prompt all the same; initramfs-failure by the prompt vs boot-stuck (nothing failed)
