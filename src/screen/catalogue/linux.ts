/**
 * Linux screens: GRUB (menu, shell, rescue, errors) and the text console (login prompt, kernel panic,
 * emergency mode, initramfs shells). Console text that matches none of these is `linux-console`, and its
 * lines also go through the log analyser's catalogue (classify.ts).
 */
import type {ScreenRecord} from './schema.js'

const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'
const GRUB_FIX =
  'Repair GRUB from a repair VM (`az vm repair create`, then `az vm repair run --run-id linux-alar2 --parameters grubfix`, or `efifix` for UEFI VMs), or reinstall grub2 from a chroot.'

export const LINUX_SCREENS: readonly ScreenRecord[] = [
  {
    kind: 'linux-grub-rescue',
    os: 'linux',
    state: 'failed',
    outcome: 'bootloader-failure',
    stage: 'bootloader',
    strings: ['Entering rescue mode'],
    patterns: ['grub rescue'],
    priority: 1,
    codes: ['grub-error'],
    summary: 'GRUB rescue prompt{codes}',
    advice: `GRUB could not find its modules or /boot (a deleted or moved partition, a changed UUID, a missing normal.mod). ${GRUB_FIX}`,
    docs: `${LEARN}/troubleshoot-vm-boot-error`,
  },
  {
    kind: 'linux-grub-error',
    os: 'linux',
    state: 'failed',
    outcome: 'bootloader-failure',
    stage: 'bootloader',
    strings: ['you need to load the kernel first'],
    patterns: [
      '(?:^|\\s)Error \\d{1,2}: [A-Z]',
      "error: file [`'‘]?/[^ ]* not found",
      'error: (?:no such partition|unknown filesystem|no such device|invalid magic number|out of disk|disk .* not found)',
    ],
    codes: ['grub-legacy', 'grub-error'],
    summary: 'GRUB error{codes}',
    advice: `GRUB could not load the kernel or its configuration (Error 15: file not found, Error 17: cannot mount the partition; a missing kernel or initramfs). Boot another entry from the Serial Console, or ${GRUB_FIX}`,
    docs: `${LEARN}/troubleshoot-vm-boot-error`,
  },
  {
    kind: 'linux-grub-shell',
    os: 'linux',
    state: 'failed',
    outcome: 'bootloader-failure',
    stage: 'bootloader',
    strings: ['Minimal BASH-like line editing is supported'],
    patterns: ['^\\s*grub\\s*>'],
    codes: ['grub-error'],
    summary: 'GRUB command prompt: no usable configuration{codes}',
    advice: `GRUB started but found no grub.cfg it could use. Regenerate it (grub2-mkconfig / update-grub) from a repair VM. ${GRUB_FIX}`,
    docs: `${LEARN}/troubleshoot-vm-boot-error`,
  },
  {
    kind: 'linux-grub-menu',
    os: 'linux',
    state: 'in-progress',
    stage: 'bootloader',
    strings: [
      'GNU GRUB version',
      'Use the and keys to select which entry is highlighted',
      'Press enter to boot the selected OS',
      "'e' to edit the commands before booting",
      'The highlighted entry will be executed automatically in',
    ],
    summary: 'GRUB menu: waiting for a choice or its timeout',
    advice:
      'GRUB shows its menu. If the VM stays here, the menu has no timeout (GRUB_TIMEOUT=-1 or a saved failed-boot flag): pick an entry from the Serial Console and set a timeout in /etc/default/grub.',
    docs: `${LEARN}/troubleshoot-vm-boot-error`,
  },
  {
    kind: 'linux-kernel-panic',
    os: 'linux',
    state: 'failed',
    outcome: 'kernel-panic',
    stage: 'kernel',
    strings: ['Kernel panic - not syncing', 'end Kernel panic - not syncing'],
    summary: 'Linux kernel panic: {line}',
    advice:
      'The kernel stopped. The panic line says why (VFS: unable to mount root fs, attempted to kill init, out of memory). Boot an older kernel from GRUB in the Serial Console, or fix the cause from a repair VM (`az vm repair create`): rebuild the initramfs, check root= and /etc/fstab.',
    docs: `${LEARN}/linux-kernel-panic-troubleshooting`,
  },
  {
    kind: 'linux-emergency',
    os: 'linux',
    state: 'failed',
    outcome: 'emergency-mode',
    stage: 'systemd-services',
    strings: [
      'You are in emergency mode',
      'You are in rescue mode',
      'Give root password for maintenance',
      'Cannot open access to console, the root account is locked',
      'Welcome to emergency mode',
    ],
    summary: 'Linux emergency mode: systemd could not reach its target',
    advice:
      'systemd stopped in emergency mode, usually a failed mount (a wrong /etc/fstab entry or a missing data disk: add nofail) or a file system that needs fsck. Log in on the Serial Console with the root password, or fix /etc/fstab from a repair VM.',
    docs: `${LEARN}/linux-virtual-machine-cannot-start-fstab-errors`,
  },
  {
    kind: 'linux-initramfs-shell',
    os: 'linux',
    state: 'failed',
    outcome: 'initramfs-failure',
    stage: 'initramfs',
    strings: [
      'Dropping to debug shell',
      'does not exist. Dropping to a shell',
      'Gave up waiting for root',
      'Could not boot',
      'Generating /run/initramfs/rdsosreport.txt',
      'Entering emergency mode. Exit the shell to continue',
    ],
    patterns: ['\\(initramfs\\)', 'dracut:/#'],
    summary: 'Linux initramfs shell: the root file system was not found',
    advice:
      'The initramfs never found the root device (root= points at a missing disk or UUID, or the initramfs lacks the disk driver, e.g. hv_storvsc or nvme). Boot an older kernel from GRUB, or rebuild the initramfs and check root= from a repair VM.',
    docs: `${LEARN}/linux-no-boot-dracut`,
  },
  {
    kind: 'linux-login-prompt',
    os: 'linux',
    state: 'healthy',
    outcome: 'booted',
    stage: 'login-prompt',
    strings: [],
    // "host login:", also as OCR reads it ("logis:", "log1n;")
    patterns: ['^\\s*\\S+ log[i1l][nmrs]\\s*[:;]'],
    summary: 'Linux is up: login prompt',
    advice:
      'Linux started and shows its login prompt. If you cannot connect, the problem is after boot (sshd, firewall, network security group, credentials, the Azure agent).',
    docs: `${LEARN}/troubleshoot-ssh-connection`,
  },
]
