/**
 * Disk and file-system signatures: file-system checks that need a person, ext4/XFS corruption, block
 * I/O errors, full disks and read-only file systems. Strings follow Microsoft's file-system-errors and
 * full-disk articles and the kernel's own messages.
 */
import type {RuleRecord} from './schema.js'

const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'
const FS_DOCS = `${LEARN}/linux-recovery-cannot-start-file-system-errors`
const FULL_DISK_DOCS = `${LEARN}/linux-fulldisk-boot-error`
const FSCK_ADVICE =
  'Run the check by hand: from the emergency shell in the Azure serial console (`fsck -y /dev/<device>`, `xfs_repair /dev/<device>`), or on a repair VM (`az vm repair create`, then `az vm repair run --run-id linux-alar2 --parameters corrupt`). Keep a snapshot of the disk first.'

export const STORAGE_RULES: readonly RuleRecord[] = [
  {
    id: 'fsck-unit-failed',
    category: 'fsck',
    stage: 'systemd-services',
    implies: 'systemd-services',
    severity: 'error',
    supersedes: ['unit-failed'],
    pattern:
      'Failed to start (?:systemd-fsck\\S{0,200} - )?(?<subject>File System Check on .{1,300}?)\\.?$|Failed to start systemd-fs(?:ck|…)|See \'systemctl status "?systemd-fsck',
    anchors: ['Failed to start ', "See 'systemctl status "],
    title: 'File system check failed',
    advice: `systemd-fsck found errors it would not repair on its own; the mount waits for it, and when the file system is required the boot drops to emergency mode. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'fsck-run-manually',
    category: 'fsck',
    stage: 'systemd-services',
    implies: 'systemd-services',
    severity: 'critical',
    outcome: 'fsck-failure',
    pattern: 'UNEXPECTED INCONSISTENCY;? RUN fsck MANUALLY',
    anchors: ['UNEXPECTED INCONSISTENCY'],
    title: 'fsck asks for a manual run',
    advice: `The file system has errors that fsck will not fix unattended. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'fsck-root-failed',
    category: 'fsck',
    stage: 'initramfs',
    implies: 'initramfs',
    severity: 'critical',
    outcome: 'fsck-failure',
    pattern: 'File system check of the root filesystem failed|requires a manual fsck',
    anchors: ['File system check of the root filesystem failed', 'requires a manual fsck'],
    title: 'The root file system needs a manual fsck',
    advice: `The check of the root file system failed before it was mounted. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'fsck-exit-status',
    category: 'fsck',
    stage: 'initramfs',
    severity: 'error',
    pattern:
      'fsck (?:exited with status code|failed with (?:exit )?(?:status|error code)|died with exit status) (?<subject>[4-9]|[1-9]\\d{1,2})\\b',
    anchors: ['fsck exited with status code', 'fsck failed with', 'fsck died with exit status'],
    title: 'fsck failed',
    advice: `fsck returned an error status (4 or more: errors left uncorrected). ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'xfs-run-repair',
    category: 'fsck',
    stage: 'systemd-services',
    implies: 'kernel',
    severity: 'critical',
    outcome: 'fsck-failure',
    supersedes: ['xfs-corruption'],
    pattern:
      'XFS \\((?<subject>[^)]{1,64})\\): .{0,120}(?:Unmount and run xfs_repair|Please u(?:n)?mount the filesystem and rectify the problem)',
    anchors: ['Unmount and run xfs_repair', 'rectify the problem'],
    title: 'XFS asks for xfs_repair',
    advice: `XFS found corruption and will not mount (or shut the file system down) until it is repaired. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'xfs-corruption',
    category: 'fs-error',
    stage: 'systemd-services',
    implies: 'kernel',
    severity: 'error',
    pattern:
      'XFS \\((?<subject>[^)]{1,64})\\): (?:Corruption|Metadata CRC error|metadata I/O error|Internal error|Log inconsistent|log I/O error|Filesystem has been shut down)',
    anchors: ['XFS ('],
    title: 'XFS file-system error',
    advice: `XFS reported damaged metadata or I/O errors on the device. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'ext4-error',
    category: 'fs-error',
    stage: 'systemd-services',
    implies: 'kernel',
    severity: 'error',
    pattern: 'EXT[234]-fs error \\(device (?<subject>[^)]{1,64})\\)',
    anchors: ['-fs error (device '],
    title: 'ext4 file-system error',
    advice: `ext4 found inconsistent metadata or could not read it. Check the disk and run fsck on it at the next opportunity. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'ext4-needs-check',
    category: 'fs-error',
    stage: 'systemd-services',
    implies: 'kernel',
    severity: 'warning',
    pattern:
      'EXT[234]-fs .{0,120}(?:Filesystem error recorded from previous mount|Marking fs in need of filesystem check|recovery required on readonly filesystem|warning: mounting fs with errors)',
    anchors: [
      'Filesystem error recorded',
      'Marking fs in need of filesystem check',
      'recovery required on readonly filesystem',
      'mounting fs with errors',
    ],
    title: 'ext4 file system needs a check',
    advice: `ext4 recorded errors earlier and wants a full check. Let the boot-time fsck run, or run it from a repair VM. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'fs-not-found',
    category: 'fs-error',
    stage: 'systemd-services',
    implies: 'kernel',
    severity: 'error',
    pattern:
      "VFS: Can't find (?<subject>\\w{2,10}) filesystem|EXT[234]-fs \\([^)]{1,64}\\): no journal found|bad geometry: block count",
    anchors: ["VFS: Can't find ", 'no journal found', 'bad geometry: block count'],
    title: 'No valid file system on the device',
    advice: `The device does not hold the expected file system (wrong device in fstab, damaged superblock, or a changed disk order). Check /etc/fstab by UUID. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'fs-remounted-read-only',
    category: 'fs-error',
    stage: 'systemd-services',
    implies: 'kernel',
    severity: 'error',
    pattern: 'Remounting filesystem read-only',
    title: 'A file system was remounted read-only after errors',
    advice: `The kernel made the file system read-only after an error (errors=remount-ro), so services that write to it will fail. ${FSCK_ADVICE}`,
    docs: FS_DOCS,
  },
  {
    id: 'read-only-file-system',
    category: 'fs-error',
    stage: 'systemd-services',
    severity: 'warning',
    pattern: 'Read-only file system',
    title: 'A write failed on a read-only file system',
    advice:
      'Something tried to write to a file system that is mounted read-only (often after an error remounted it). Look for the file-system error before it.',
  },
  {
    id: 'block-io-error',
    category: 'io-error',
    stage: 'kernel',
    implies: 'kernel',
    severity: 'error',
    pattern: 'I/O error,? dev (?<subject>[\\w-]{1,32}), sector',
    anchors: ['I/O error, dev ', 'I/O error dev '],
    title: 'Block device I/O error',
    advice:
      'Reads or writes to the disk failed. On Azure check the disk in the portal (throttling, detached or failed disk); keep this log and a snapshot before restarting.',
  },
  {
    id: 'buffer-io-error',
    category: 'io-error',
    stage: 'kernel',
    implies: 'kernel',
    severity: 'error',
    pattern: 'Buffer I/O error on dev(?:ice)? (?<subject>[\\w-]{1,32})',
    anchors: ['Buffer I/O error on dev'],
    title: 'Buffer I/O error',
    advice:
      'The kernel could not read or write a block of the named device. Check the disk health and whether it is still attached.',
  },
  {
    id: 'ata-error',
    category: 'io-error',
    stage: 'kernel',
    implies: 'kernel',
    severity: 'warning',
    pattern: '(?<subject>ata\\d{1,3}(?:\\.\\d{1,3})?): (?:exception Emask|failed command|error: \\{)',
    anchors: ['exception Emask', ': failed command', ': error: {'],
    title: 'ATA error',
    advice:
      'The (virtual) disk controller reported an error on the named port. Repeated errors mean failing or throttled storage.',
  },
  {
    id: 'mmc-recovery-failed',
    category: 'io-error',
    stage: 'kernel',
    implies: 'kernel',
    severity: 'error',
    pattern: '(?<subject>mmcblk\\d{1,3}): recovery failed!',
    anchors: [': recovery failed!'],
    title: 'SD/eMMC card recovery failed',
    advice:
      'The card stopped responding and the kernel could not reset it. Replace the card or check its power and wiring.',
  },
  {
    id: 'auditd-disk-full',
    category: 'disk-full',
    stage: 'systemd-services',
    implies: 'systemd-services',
    severity: 'critical',
    pattern:
      'Audit daemon (?:is low on disk space for logging|has no space left on logging partition)|[Tt]he audit daemon is now (?:halting the system|changing the system to single user mode)',
    anchors: ['Audit daemon is low on disk space', 'Audit daemon has no space left', 'audit daemon is now '],
    title: 'auditd: the audit log partition is (almost) full',
    advice:
      'auditd is running out of space for its log; with admin_space_left_action or disk_full_action = HALT (or SINGLE) in /etc/audit/auditd.conf it shuts the VM down (or to single-user mode) right after boot, every boot. Free space on the partition holding /var/log/audit and change the HALT actions to SYSLOG, from a repair VM.',
    docs: FULL_DISK_DOCS,
  },
  {
    id: 'no-space-left',
    category: 'disk-full',
    stage: 'systemd-services',
    severity: 'error',
    pattern: 'No space left on device',
    title: 'Disk full (No space left on device)',
    advice:
      'A file system is full, which breaks services, cloud-init and the Azure agent. Free space or grow the disk: from the serial console, or on a repair VM (`az vm repair create`), or resize the OS disk and extend the partition.',
    docs: FULL_DISK_DOCS,
  },
]
