/**
 * Firmware and boot-loader signatures: GRUB errors and prompts, no bootable disk. On Azure most of
 * these show only in the screenshot (GRUB writes to the screen, not the serial port, unless it is
 * configured for serial), so a log without them does not rule them out.
 */
import type {RuleRecord} from './schema.js'

const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'
const GRUB_DOCS = `${LEARN}/troubleshoot-vm-boot-error`
const GRUB_ADVICE =
  'Repair GRUB from a repair VM (`az vm repair create`, then `az vm repair run --run-id linux-alar2 --parameters grubfix`, or `efifix` for UEFI VMs), or reinstall grub2 from a chroot.'

export const BOOTLOADER_RULES: readonly RuleRecord[] = [
  {
    id: 'grub-rescue',
    category: 'bootloader',
    stage: 'bootloader',
    severity: 'critical',
    outcome: 'bootloader-failure',
    pattern: 'grub rescue>',
    title: 'GRUB rescue prompt',
    advice: `GRUB could not load its modules or find /boot (deleted or moved partition, changed UUID, missing normal.mod). ${GRUB_ADVICE}`,
    docs: GRUB_DOCS,
  },
  {
    id: 'grub-prompt',
    category: 'bootloader',
    stage: 'bootloader',
    severity: 'critical',
    outcome: 'bootloader-failure',
    pattern: '^grub> ?$',
    anchors: ['grub>'],
    title: 'GRUB command prompt',
    advice: `GRUB started but found no usable configuration (grub.cfg missing or empty). Regenerate it with grub2-mkconfig / update-grub from a repair VM. ${GRUB_ADVICE}`,
    docs: GRUB_DOCS,
  },
  {
    id: 'grub-file-not-found',
    category: 'bootloader',
    stage: 'bootloader',
    severity: 'error',
    outcome: 'bootloader-failure',
    pattern: "error: file '(?<subject>[^']{1,300})' not found",
    anchors: ["error: file '"],
    title: 'GRUB cannot find a file',
    advice: `GRUB could not find the named file (kernel, initramfs or a module), typically after an interrupted kernel update or a full /boot. Boot another entry from the GRUB menu in the serial console, or rebuild it on a repair VM. ${GRUB_ADVICE}`,
    docs: GRUB_DOCS,
  },
  {
    id: 'grub-partition-error',
    category: 'bootloader',
    stage: 'bootloader',
    severity: 'critical',
    outcome: 'bootloader-failure',
    pattern:
      "error: (?<subject>no such partition|unknown filesystem|no such device|disk `[^`]{1,100}' not found|attempt to read or write outside of disk)",
    anchors: [
      'error: no such partition',
      'error: unknown filesystem',
      'error: no such device',
      'error: disk `',
      'error: attempt to read or write outside',
    ],
    title: 'GRUB cannot read the boot partition',
    advice: `GRUB looks for /boot on a partition or file system it cannot find (partitions changed, disk resized or replaced). ${GRUB_ADVICE}`,
    docs: GRUB_DOCS,
  },
  {
    id: 'grub-symbol-not-found',
    category: 'bootloader',
    stage: 'bootloader',
    severity: 'critical',
    outcome: 'bootloader-failure',
    pattern: "error: symbol '(?<subject>[^']{1,100})' not found",
    anchors: ["error: symbol '"],
    title: 'GRUB modules do not match its core image',
    advice: `GRUB's core image and modules come from different versions (a half-finished grub2 update). Reinstall GRUB (grub2-install / grub-install) from a repair VM. ${GRUB_ADVICE}`,
    docs: GRUB_DOCS,
  },
  {
    id: 'grub-load-kernel-first',
    category: 'bootloader',
    stage: 'bootloader',
    severity: 'critical',
    outcome: 'bootloader-failure',
    pattern: 'error: you need to load the kernel first',
    anchors: ['you need to load the kernel first'],
    title: 'GRUB has no kernel to boot',
    advice: `The GRUB entry points at a kernel that is missing. Pick another entry in the serial console, or regenerate grub.cfg on a repair VM. ${GRUB_ADVICE}`,
    docs: GRUB_DOCS,
  },
  {
    id: 'grub-legacy-error',
    category: 'bootloader',
    stage: 'bootloader',
    severity: 'critical',
    outcome: 'bootloader-failure',
    pattern: '(?:^|\\s)Error (?<subject>15|17|18|21|22|24|25): [A-Z]',
    anchors: ['Error 15: ', 'Error 17: ', 'Error 18: ', 'Error 21: ', 'Error 22: ', 'Error 24: ', 'Error 25: '],
    title: 'GRUB legacy error',
    advice: `GRUB legacy could not find or read the kernel (Error 15: file not found, Error 17: cannot mount partition). ${GRUB_ADVICE}`,
    docs: GRUB_DOCS,
  },
  {
    id: 'no-bootable-device',
    category: 'bootloader',
    stage: 'firmware',
    severity: 'critical',
    outcome: 'bootloader-failure',
    pattern: 'No bootable device|No boot device available|Operating System not found|Missing operating system',
    anchors: [
      'No bootable device',
      'No boot device available',
      'Operating System not found',
      'Missing operating system',
    ],
    title: 'The firmware found no bootable disk',
    advice: `The OS disk has no boot loader or partition table the firmware can use (damaged MBR/GPT, a Gen2 image on a Gen1 VM or the reverse). ${GRUB_ADVICE}`,
    docs: `${LEARN}/azure-linux-vm-uefi-boot-failures`,
  },
  {
    id: 'boot-device-failed',
    category: 'bootloader',
    stage: 'firmware',
    severity: 'warning',
    pattern: 'Boot failed: (?<subject>not a bootable disk|could not read the boot disk)',
    anchors: ['Boot failed: '],
    title: 'The firmware could not boot from one device',
    advice:
      'The firmware tried a device that holds nothing bootable (often an empty floppy or CD before the disk) and moved on. It matters only if no kernel starts after it.',
  },
]
