/**
 * Firmware screens of Hyper-V Generation 2 VMs (UEFI): shown when no operating system loads.
 */
import type {ScreenRecord} from './schema.js'

const DOCS = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/azure-linux-vm-uefi-boot-failures'

export const FIRMWARE_SCREENS: readonly ScreenRecord[] = [
  {
    kind: 'uefi-boot-summary',
    os: 'firmware',
    state: 'failed',
    outcome: 'bootloader-failure',
    stage: 'firmware',
    strings: [
      'Virtual Machine Boot Summary',
      'No Operating System was Loaded',
      'The boot loader did not load an operating system',
      'Press a key to retry the boot sequence',
      'Your virtual machine may be configured incorrectly',
    ],
    summary: 'UEFI boot summary: no operating system was loaded',
    advice:
      'The Generation 2 firmware found no boot loader on the OS disk (a damaged EFI system partition, a missing \\EFI\\…\\*.efi, or a Generation 1 image on a Generation 2 VM). Repair the EFI partition from a repair VM (`az vm repair run --run-id linux-alar2 --parameters efifix`, or bcdboot /f UEFI for Windows).',
    docs: DOCS,
  },
  {
    kind: 'uefi-pxe-boot',
    os: 'firmware',
    state: 'failed',
    outcome: 'bootloader-failure',
    stage: 'firmware',
    strings: ['Start PXE over IPv4', 'Start PXE over IPv6', 'Station IP address is'],
    summary: 'UEFI network boot (PXE): the firmware found nothing to boot on the disk',
    advice:
      'The firmware fell back to network boot because the OS disk held no boot loader it could start. Repair the EFI system partition from a repair VM, and check that the image matches the VM generation.',
    docs: DOCS,
  },
]
