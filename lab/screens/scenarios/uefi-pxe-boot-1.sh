DESC='UEFI firmware (OVMF, 1024x768) with no disk and a network card: no boot device, it tries PXE over IPv4 (the firmware text console)'
BOOT=uefi
UEFI_RES=1024x768
UEFI_NIC=1
SERIAL=0
STEPS='sleep 25
shot screen'
