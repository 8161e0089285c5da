/**
 * The advice catalogue: what to do next, for a finding of a rule or for a session's outcome, chosen from
 * the evidence. An entry applies only where its conditions hold (the unit or mount the finding names,
 * what caused the outcome), names what it is about (`{subject}`), links the article for that failure,
 * and names the Azure Linux Auto Repair action that fixes it, where one does (its exact commands are
 * added by advice.ts). The first entry that applies wins; where none does, a finding keeps its rule's
 * own advice and a session the advice of the rule that decided it.
 *
 * Every entry has two fixtures in test/fixtures/advice/: `<id>.log`, a log that shows it, and
 * `<id>.not.log`, a near miss that must not get it (test/unit/analysis/advice.test.ts).
 */
import type {AdviceRecord} from './schema.js'

const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'
const FSTAB_DOCS = `${LEARN}/linux-virtual-machine-cannot-start-fstab-errors`
const FS_DOCS = `${LEARN}/linux-recovery-cannot-start-file-system-errors`
const KERNEL_BOOT_DOCS = `${LEARN}/kernel-related-boot-issues`
const PANIC_DOCS = `${LEARN}/linux-kernel-panic-troubleshooting`
const DRACUT_DOCS = `${LEARN}/linux-no-boot-dracut`
const GRUB_DOCS = `${LEARN}/troubleshoot-vm-boot-error`

/** A systemd unit or path that comes from /etc/fstab: a device, a mount, a swap, or a mount point. */
const FSTAB_SUBJECT =
  '(?:\\.device|\\.mount|\\.swap)$|^dev-|^/(?!run\\b)|\\.mount …|…(?:ice|unt|ap)$|^(?:dev|mnt|data|boot)-\\S*…'

export const ADVICE_RECORDS: readonly AdviceRecord[] = [
  // findings
  {
    id: 'start-job-fstab',
    rules: ['start-job-running', 'start-job-running-v2'],
    subject: FSTAB_SUBJECT,
    text: 'systemd is waiting for {subject}, a disk or mount listed in /etc/fstab. If the disk is gone (a detached data disk, a changed UUID), the boot stops here or in emergency mode: fix its /etc/fstab entry, and add `nofail` to data disks that may be absent.',
    docs: FSTAB_DOCS,
    repair: 'fstab',
  },
  {
    id: 'start-job-service',
    rules: ['start-job-running', 'start-job-running-v2'],
    notSubject: FSTAB_SUBJECT,
    text: 'systemd is waiting for {subject} to finish starting; "no limit" means it waits until the unit is done, however long. It is a service, not a disk or a mount: look at what {subject} waits for (`journalctl -b -u <its unit>` from the serial console), and give it a TimeoutStartSec if it must not hold the boot.',
  },
  {
    id: 'device-never-appeared',
    rules: ['device-timeout'],
    text: 'The device {subject} never appeared, so the mounts that need it failed. It is listed in /etc/fstab (or crypttab): a detached data disk or a changed UUID. Fix or remove its entry, and add `nofail` to data disks that may be absent.',
    docs: FSTAB_DOCS,
    repair: 'fstab',
  },
  {
    id: 'efi-partition-not-mounted',
    rules: ['mount-failed'],
    subject: '/boot/efi|boot-efi',
    text: 'The EFI system partition ({subject}) could not be mounted, usually because the vfat file-system module is disabled (an `install vfat /bin/true` line in /etc/modprobe.d, often from a hardening script). Remove that line and rebuild the initramfs from a repair VM.',
    docs: `${LEARN}/vfat-disabled-boot-issues`,
  },
  {
    id: 'mount-failed-fstab',
    rules: ['mount-failed'],
    notSubject: '/boot/efi|boot-efi',
    text: '{subject} could not be mounted: a missing disk, a wrong UUID or device name, a wrong file-system type or option in its /etc/fstab entry, or a damaged file system. Fix the entry (add `nofail` to data disks that may be absent), or check the file system.',
    docs: FSTAB_DOCS,
    repair: 'fstab',
  },
  {
    id: 'local-file-systems-failed',
    rules: ['dependency-failed-local-fs'],
    text: 'Local File Systems failed because a mount from /etc/fstab failed just before (see the finding above it), and systemd goes to emergency mode. Fix or remove that entry, and add `nofail` to data disks that may be absent.',
    docs: FSTAB_DOCS,
    repair: 'fstab',
  },
  {
    id: 'stop-job-unit',
    rules: ['stop-job-running', 'stop-job-running-v2'],
    text: 'The shutdown waits for {subject} to stop, up to its TimeoutStopSec ("no limit": forever). A forced restart loses nothing more than this wait; then fix the unit\'s stop command or give it a TimeoutStopSec.',
  },
  {
    id: 'unit-failed-named',
    rules: ['unit-failed'],
    text: '{subject} failed to start. From the serial console, `systemctl status {subject}` and `journalctl -u {subject} -b` say why. A failed unit stops the boot only when others depend on it.',
  },
  {
    id: 'oom-killed-process',
    rules: ['oom-kill'],
    text: 'The VM ran out of memory and the kernel killed {subject}. Resize the VM to a size with more memory, or limit {subject} (MemoryMax=, its own settings); a booting VM that loses a key service this way may never become reachable.',
    docs: PANIC_DOCS,
  },
  {
    id: 'disk-io-errors',
    rules: ['block-io-error', 'buffer-io-error'],
    text: 'Reads or writes to {subject} failed. On Azure, look at that disk in the portal (throttling, a detached or failed disk) and at host events; keep this log and a snapshot of the disk before restarting.',
  },
  {
    id: 'auditd-halts-system',
    rules: ['auditd-disk-full'],
    text: "auditd shuts the VM down (or to single-user mode) when its log partition fills up: admin_space_left_action or disk_full_action is HALT (or SINGLE) in /etc/audit/auditd.conf. Free space on the partition that holds /var/log/audit and change those actions to SYSLOG; the repair's auditd action does both from a repair VM.",
    docs: `${LEARN}/linux-fulldisk-boot-error`,
    repair: 'auditd',
  },
  {
    id: 'initramfs-cannot-find-root',
    rules: ['panic-vfs-unable-to-mount-root', 'panic-no-working-init', 'initramfs-unpack-failed'],
    text: 'The kernel could not start the system from its initramfs: the image is missing, corrupt, or lacks the drivers for the OS disk (on Azure: hv_vmbus, hv_storvsc, and nvme on NVMe sizes), or root= points at a disk that is not there. Boot the previous kernel from the GRUB menu (serial console), or rebuild the initramfs from a repair VM.',
    docs: KERNEL_BOOT_DOCS,
    repair: 'initrd',
  },

  // outcomes (the session's cause decides which applies)
  {
    id: 'emergency-mode-fstab',
    outcomes: ['emergency-mode'],
    causeCategories: ['mount-failure', 'dependency-failure', 'start-job-timeout'],
    text: 'systemd went to emergency mode because {subject} could not be brought up, an /etc/fstab entry. Fix it from the emergency shell in the serial console (`journalctl -xb`, then edit /etc/fstab and reboot), or from a repair VM; add `nofail` to data disks that may be absent.',
    docs: FSTAB_DOCS,
    repair: 'fstab',
  },
  {
    id: 'fsck-needs-repair',
    outcomes: ['fsck-failure'],
    text: 'A file-system check failed ({subject}): it found errors it would not fix on its own. Keep a snapshot of the disk, then run the check by hand: from the emergency shell in the serial console (`fsck -y <device>`, `xfs_repair <device>`), or from a repair VM.',
    docs: FS_DOCS,
    repair: 'corrupt',
  },
  {
    id: 'initramfs-root-missing',
    outcomes: ['initramfs-failure'],
    text: 'The initramfs never found or mounted the root file system ({subject}). Check that root=, rd.lvm.* and the UUIDs agree with the disks the VM has; if the image lacks the Azure storage drivers (hv_storvsc, nvme), rebuild the initramfs with them from a repair VM.',
    docs: DRACUT_DOCS,
    repair: 'initrd',
  },
  {
    id: 'panic-during-boot',
    outcomes: ['kernel-panic'],
    beforeBoot: true,
    text: 'The kernel panicked before the boot completed ({subject}). If this follows a kernel update, boot the previous kernel: from the GRUB menu in the serial console, or make it the default from a repair VM; then fix the new kernel (its initramfs, a module) before going back to it.',
    docs: KERNEL_BOOT_DOCS,
    repair: 'kernel',
  },
  {
    id: 'boot-loader-broken',
    outcomes: ['bootloader-failure'],
    text: "The boot loader could not start a kernel ({subject}). Reinstall GRUB and regenerate grub.cfg from a repair VM: the repair's grubfix action does it for a generation 1 VM, efifix for a generation 2 (UEFI) VM.",
    docs: GRUB_DOCS,
    repair: 'grubfix',
  },
  {
    id: 'no-serial-output',
    outcomes: ['no-output'],
    text: "The serial log shows no boot at all. Look at the boot-diagnostics screenshot first (a GRUB rescue prompt or a firmware error shows only there); if the VM boots but writes nothing here, the kernel and GRUB do not use the serial console (console=ttyS0 missing): the repair's serialconsole action sets both up.",
    docs: `${LEARN}/serial-console-linux`,
    repair: 'serialconsole',
  },
]
