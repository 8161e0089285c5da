/**
 * systemd failure signatures: failed units and mounts, dependency failures, start/stop jobs that
 * time out or run on, emergency and rescue mode. Strings follow Microsoft's fstab article and
 * systemd's console status lines (with their colours removed).
 */
import type {RuleRecord} from './schema.js'

const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'
const FSTAB_DOCS = `${LEARN}/linux-virtual-machine-cannot-start-fstab-errors`
const FSTAB_ADVICE =
  'Fix /etc/fstab: correct the UUID or device, or add `nofail` to entries of data disks that may be absent. Use the Azure serial console (emergency shell) or `az vm repair create` / `az vm repair run --run-id linux-alar2 --parameters fstab`.'

export const SYSTEMD_RULES: readonly RuleRecord[] = [
  {
    id: 'unit-failed',
    category: 'unit-failure',
    stage: 'systemd-services',
    severity: 'error',
    pattern: 'Failed to start (?<subject>.{1,300}?)\\.?$',
    anchors: ['Failed to start '],
    title: 'A unit failed to start',
    advice:
      'Run `systemctl status <unit>` and `journalctl -u <unit> -b` (serial console) to see why. A failed service does not stop the boot unless other units depend on it.',
  },
  {
    id: 'mount-failed',
    category: 'mount-failure',
    stage: 'systemd-services',
    severity: 'error',
    pattern: 'Failed to mount (?<subject>.{1,300}?)\\.?$',
    anchors: ['Failed to mount '],
    title: 'A file system failed to mount',
    advice: `The mount failed (missing disk, wrong UUID, wrong type or a damaged file system). ${FSTAB_ADVICE}`,
    docs: FSTAB_DOCS,
  },
  {
    id: 'mount-command-failed',
    category: 'mount-failure',
    stage: 'systemd-services',
    severity: 'warning',
    pattern:
      'mount: (?:mounting (?<subject>\\S{1,200}) on \\S{1,200} failed|wrong fs type, bad option, bad superblock)',
    anchors: ['mount: mounting ', 'mount: wrong fs type'],
    title: 'mount reported a failure',
    advice:
      'A mount command failed; if it is the root or a required file system, check the device and run a file-system check from a repair VM (`az vm repair create`).',
    docs: FSTAB_DOCS,
  },
  {
    id: 'mount-command-error',
    category: 'mount-failure',
    stage: 'systemd-services',
    severity: 'warning',
    pattern:
      "mount: (?<subject>/\\S{0,200}): (?:special device \\S{1,200} does not exist|wrong fs type|can't find in /etc/fstab|unknown filesystem type|mount\\(2\\) system call failed|cannot mount)",
    anchors: ['mount: /'],
    title: 'mount reported a failure',
    advice:
      'A mount command (from a script, cloud-init runcmd or fstab) failed: the device is missing, or the file-system type or options are wrong. Check the device name or label (`blkid`) and the options.',
    docs: FSTAB_DOCS,
  },
  {
    id: 'unmount-failed',
    category: 'mount-failure',
    stage: 'shutdown',
    severity: 'warning',
    pattern: 'Failed unmounting (?<subject>.{1,300}?)\\.?$',
    anchors: ['Failed unmounting '],
    title: 'A file system failed to unmount at shutdown',
    advice:
      'Something kept the file system busy at shutdown. Usually harmless; if the next boot needs a file-system check, let it run.',
  },
  {
    id: 'dependency-failed',
    category: 'dependency-failure',
    stage: 'systemd-services',
    severity: 'error',
    pattern: 'Dependency failed for (?<subject>.{1,300}?)\\.?$',
    anchors: ['Dependency failed for '],
    title: 'A unit was not started because a dependency failed',
    advice: `A unit this one needs failed first (often a mount or a device from /etc/fstab). Look above for the failed or timed-out unit. ${FSTAB_ADVICE}`,
    docs: FSTAB_DOCS,
  },
  {
    id: 'dependency-failed-local-fs',
    category: 'dependency-failure',
    stage: 'systemd-services',
    severity: 'error',
    supersedes: ['dependency-failed'],
    pattern: 'Dependency failed for (?:\\S{1,40} - )?(?:Local [Ff]ile [Ss]ystems|local-fs\\.target)',
    anchors: ['Dependency failed for '],
    title: 'Local File Systems failed: an /etc/fstab entry could not be mounted',
    advice: `local-fs.target failed because an fstab mount failed, and systemd goes to emergency mode. ${FSTAB_ADVICE}`,
    docs: FSTAB_DOCS,
  },
  {
    id: 'device-timeout',
    category: 'start-job-timeout',
    stage: 'systemd-services',
    severity: 'error',
    pattern: 'Timed out waiting for device (?<subject>.{1,300}?)\\.?$',
    anchors: ['Timed out waiting for device'],
    title: 'Timed out waiting for a device',
    advice: `A device listed in /etc/fstab (or crypttab) never appeared: a detached data disk or a changed UUID. ${FSTAB_ADVICE}`,
    docs: FSTAB_DOCS,
  },
  {
    id: 'start-job-running',
    category: 'start-job-timeout',
    stage: 'systemd-services',
    severity: 'warning',
    pattern: 'A start job is running for (?<subject>.{1,200}?) \\(',
    anchors: ['A start job is running for '],
    title: 'A start job is taking long',
    advice:
      'systemd is waiting for the named unit (often a device from /etc/fstab or a network mount). If it never finishes, check the disk or add `nofail`/`x-systemd.device-timeout=` to its fstab entry.',
    docs: FSTAB_DOCS,
  },
  {
    id: 'start-job-running-v2',
    category: 'start-job-timeout',
    stage: 'systemd-services',
    severity: 'warning',
    pattern: 'Job (?<subject>\\S{1,200})/start running \\(',
    anchors: ['/start running ('],
    title: 'A start job is taking long',
    advice:
      'systemd is waiting for the named unit (often a device from /etc/fstab or a network mount). If it never finishes, check the disk or add `nofail`/`x-systemd.device-timeout=` to its fstab entry.',
    docs: FSTAB_DOCS,
  },
  {
    id: 'start-operation-timed-out',
    category: 'start-job-timeout',
    stage: 'systemd-services',
    severity: 'error',
    pattern: ': (?:start|start-pre|start-post) operation timed out',
    anchors: [' operation timed out'],
    title: 'A service took too long to start and was stopped',
    advice:
      'The service exceeded its start timeout (TimeoutStartSec). Look at `journalctl -u <unit> -b` for what it waited on.',
  },
  {
    id: 'stop-job-running',
    category: 'start-job-timeout',
    stage: 'shutdown',
    severity: 'warning',
    pattern: 'A stop job is running for (?<subject>.{1,200}?) \\(',
    anchors: ['A stop job is running for '],
    title: 'A stop job is holding up the shutdown',
    advice:
      "systemd waits for the named unit to stop (up to its TimeoutStopSec). If the shutdown never finishes, lower the unit's TimeoutStopSec or fix its stop command; a forced restart loses nothing more than this wait.",
  },
  {
    id: 'stop-job-running-v2',
    category: 'start-job-timeout',
    stage: 'shutdown',
    severity: 'warning',
    pattern: 'Job (?<subject>\\S{1,200})/stop running \\(',
    anchors: ['/stop running ('],
    title: 'A stop job is holding up the shutdown',
    advice:
      "systemd waits for the named unit to stop (up to its TimeoutStopSec). If the shutdown never finishes, lower the unit's TimeoutStopSec or fix its stop command; a forced restart loses nothing more than this wait.",
  },
  {
    id: 'emergency-prompt',
    category: 'emergency',
    stage: 'systemd-services',
    severity: 'critical',
    outcome: 'emergency-mode',
    outcomeInInitramfs: 'initramfs-failure',
    pattern:
      'You are in emergency mode|Welcome to emergency mode|Give root password for maintenance|Press Enter for maintenance',
    anchors: [
      'You are in emergency mode',
      'Welcome to emergency mode',
      'Give root password for maintenance',
      'Press Enter for maintenance',
    ],
    title: 'Emergency mode',
    advice: `systemd gave up on a required unit (usually a file system from /etc/fstab) and waits in the emergency shell. Log in through the Azure serial console and run \`journalctl -xb\`, or: ${FSTAB_ADVICE}`,
    docs: FSTAB_DOCS,
  },
  {
    id: 'rescue-prompt',
    category: 'emergency',
    stage: 'systemd-services',
    severity: 'critical',
    outcome: 'emergency-mode',
    outcomeInInitramfs: 'initramfs-failure',
    pattern: 'You are in rescue mode|Welcome to rescue mode',
    anchors: ['You are in rescue mode', 'Welcome to rescue mode'],
    title: 'Rescue mode',
    advice:
      'The system booted to rescue (single-user) mode, usually because `single`, `1` or `systemd.unit=rescue.target` is on the kernel command line. Remove it from GRUB, or continue with `systemctl default` from the serial console.',
    docs: `${LEARN}/boot-error-troubleshoot-linux`,
  },
  {
    id: 'emergency-root-locked',
    category: 'emergency',
    stage: 'systemd-services',
    severity: 'critical',
    outcome: 'emergency-mode',
    outcomeInInitramfs: 'initramfs-failure',
    pattern: 'Cannot open access to console, the root account is locked',
    anchors: ['the root account is locked'],
    title: 'Emergency mode with a locked root account',
    advice: `The boot stopped in emergency mode and the root account is locked, so even the serial console cannot log in. Fix the cause from a repair VM (\`az vm repair create\`), usually /etc/fstab: ${FSTAB_ADVICE}`,
    docs: FSTAB_DOCS,
  },
  {
    id: 'emergency-target',
    category: 'emergency',
    stage: 'systemd-services',
    severity: 'error',
    pattern:
      'Reached target (?:\\S{1,40} - )?(?:Emergency Mode|emergency\\.target)|Started (?:emergency\\.service - )?Emergency Shell',
    anchors: ['Emergency Mode', 'emergency.target', 'Emergency Shell'],
    title: 'systemd started the emergency shell',
    advice: `A required unit failed and systemd switched to emergency.target. Look above for the failed mount or device. ${FSTAB_ADVICE}`,
    docs: FSTAB_DOCS,
  },
  {
    id: 'systemd-freezing',
    category: 'other',
    stage: 'switch-root',
    severity: 'critical',
    pattern: '[Ff]reezing(?: execution)?\\.',
    anchors: ['Freezing', 'freezing'],
    title: 'systemd froze',
    advice:
      'PID 1 hit an unrecoverable error and froze; nothing more will happen in this boot. The text before "Freezing" names the cause (SELinux policy, mounting API file systems, a crash).',
  },
  {
    id: 'segfault',
    category: 'other',
    stage: 'systemd-services',
    severity: 'warning',
    pattern: '(?<subject>[\\w.@:/-]{1,64})\\[\\d{1,10}\\]: segfault at ',
    anchors: ['segfault at '],
    title: 'A program crashed (segfault)',
    advice: 'A user-space program crashed. If it is a service the boot needs, check its package and recent updates.',
  },
]
