/**
 * Kernel failure signatures: panics, oopses and BUGs, hangs (hung tasks, lockups, RCU stalls), OOM.
 * Strings follow Microsoft's kernel-panic article, the kernel's own messages, LISA and EC2Rescue.
 */
import type {RuleRecord} from './schema.js'

const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'
const PANIC_DOCS = `${LEARN}/linux-kernel-panic-troubleshooting`
const KERNEL_BOOT_DOCS = `${LEARN}/kernel-related-boot-issues`
const REPAIR =
  'Use the Azure serial console to pick an older kernel in GRUB, or attach the OS disk to a repair VM (`az vm repair create`)'

export const KERNEL_RULES: readonly RuleRecord[] = [
  {
    id: 'kernel-panic',
    category: 'panic',
    stage: 'kernel',
    severity: 'critical',
    outcome: 'kernel-panic',
    pattern: '(?<!\\[ end )Kernel panic - not syncing: ?(?<subject>.{0,300})',
    anchors: ['Kernel panic - not syncing'],
    title: 'Kernel panic',
    advice: `The kernel stopped. Read the panic message and the lines just before it for the cause. ${REPAIR}, then fix the cause (kernel update, missing module, memory) before restarting.`,
    docs: PANIC_DOCS,
  },
  {
    id: 'panic-vfs-unable-to-mount-root',
    category: 'panic',
    stage: 'kernel',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic'],
    pattern: '(?<!\\[ end Kernel panic - )not syncing: VFS: Unable to mount root fs on (?<subject>\\S{1,100})',
    anchors: ['VFS: Unable to mount root fs'],
    title: 'Kernel cannot mount the root file system',
    advice:
      'The kernel found no root file system: the initramfs is missing or lacks the disk/file-system driver, or root= points at a disk that is not there. Boot the previous kernel from GRUB (Azure serial console), or on a repair VM (`az vm repair create`) rebuild the initramfs (`dracut -f` / `update-initramfs -u`) and check root= in the GRUB configuration.',
    docs: KERNEL_BOOT_DOCS,
  },
  {
    id: 'panic-attempted-to-kill-init',
    category: 'panic',
    stage: 'switch-root',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic'],
    pattern: '(?<!\\[ end Kernel panic - )not syncing: Attempted to kill init!',
    title: 'Init process died (Attempted to kill init)',
    advice:
      'PID 1 exited: missing or broken /sbin/init or shared libraries (libc), wrong permissions, a missing partition or an SELinux problem. On a repair VM (`az vm repair create`) chroot into the OS disk and check /sbin/init, /lib64 and recent package changes.',
    docs: KERNEL_BOOT_DOCS,
  },
  {
    id: 'panic-no-working-init',
    category: 'panic',
    stage: 'switch-root',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic'],
    pattern: '(?<!\\[ end Kernel panic - )not syncing: No working init found',
    anchors: ['No working init found'],
    title: 'No working init found',
    advice:
      'The kernel could not start any init program on the root file system. Check init= on the kernel command line and that /sbin/init (systemd) exists and runs, from a repair VM (`az vm repair create`).',
    docs: KERNEL_BOOT_DOCS,
  },
  {
    id: 'panic-out-of-memory',
    category: 'oom',
    stage: 'systemd-services',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic'],
    pattern:
      '(?<!\\[ end Kernel panic - )not syncing: (?:Out of memory and no killable processes|out of memory\\. panic_on_oom is selected|System is deadlocked on memory)',
    anchors: ['Out of memory and no killable', 'panic_on_oom is selected', 'deadlocked on memory'],
    title: 'Kernel panic: out of memory',
    advice:
      'Memory ran out and the kernel panicked (panic_on_oom or nothing left to kill). Resize the VM to a size with more memory, or find the process that grows (look for the OOM killer lines before), and check vm.panic_on_oom and hugepages settings.',
    docs: PANIC_DOCS,
  },
  {
    id: 'panic-hung-task',
    category: 'hung-task',
    stage: 'systemd-services',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic'],
    pattern: '(?<!\\[ end Kernel panic - )not syncing: hung_task: blocked tasks',
    anchors: ['hung_task: blocked tasks'],
    title: 'Kernel panic: hung task watchdog',
    advice:
      'A task stayed blocked (usually on disk or network I/O) longer than the hung-task timeout and kernel.hung_task_panic is set. Look at the "blocked for more than" lines for the stuck task and device; check disk health and throttling.',
    docs: PANIC_DOCS,
  },
  {
    id: 'panic-soft-lockup',
    category: 'soft-lockup',
    stage: 'systemd-services',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic'],
    pattern: '(?<!\\[ end Kernel panic - )not syncing: softlockup: hung tasks',
    anchors: ['softlockup: hung tasks'],
    title: 'Kernel panic: soft lockup',
    advice:
      'A CPU was stuck in kernel code and kernel.softlockup_panic is set. Update the kernel; if it follows host maintenance, redeploy the VM (`az vm redeploy`) after keeping this log.',
    docs: PANIC_DOCS,
  },
  {
    id: 'panic-hard-lockup',
    category: 'soft-lockup',
    stage: 'systemd-services',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic', 'hard-lockup'],
    pattern: '(?<!\\[ end Kernel panic - )not syncing: Watchdog detected hard LOCKUP on cpu (?<subject>\\d{1,5})',
    anchors: ['Watchdog detected hard LOCKUP'],
    title: 'Kernel panic: hard lockup',
    advice:
      'A CPU stopped taking interrupts. Update the kernel and check for host events; redeploy the VM (`az vm redeploy`) to move it to another host if it repeats.',
    docs: PANIC_DOCS,
  },
  {
    id: 'panic-nmi',
    category: 'panic',
    stage: 'kernel',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic'],
    pattern:
      '(?<!\\[ end Kernel panic - )not syncing: (?:NMI IOCK error: Not continuing|NMI: Not continuing|nmi watchdog|An NMI occurred)',
    anchors: ['NMI IOCK error', 'NMI: Not continuing', 'nmi watchdog', 'An NMI occurred'],
    title: 'Kernel panic on a non-maskable interrupt',
    advice:
      'An NMI (sent by the platform, e.g. a diagnostic dump, or a hardware error) made the kernel panic. If nobody sent an NMI on purpose, keep this log and redeploy the VM (`az vm redeploy`).',
    docs: PANIC_DOCS,
  },
  {
    id: 'panic-machine-check',
    category: 'panic',
    stage: 'kernel',
    severity: 'critical',
    outcome: 'kernel-panic',
    supersedes: ['kernel-panic'],
    pattern: '(?<!\\[ end Kernel panic - not syncing: )Fatal [Mm]achine check',
    anchors: ['Fatal Machine check', 'Fatal machine check'],
    title: 'Fatal machine check (hardware error)',
    advice:
      'The CPU reported an uncorrectable hardware error. Keep this log and redeploy the VM (`az vm redeploy`) so it starts on another host.',
    docs: PANIC_DOCS,
  },
  {
    id: 'sysrq-crash',
    category: 'panic',
    stage: 'systemd-services',
    severity: 'warning',
    pattern: 'SysRq ?: Trigger a crash',
    anchors: ['Trigger a crash'],
    title: 'Crash requested through SysRq',
    advice:
      'Someone asked for a crash dump (SysRq c, or an NMI sent from the serial console). The panic that follows is deliberate; look for the kdump capture kernel in the next session.',
    docs: PANIC_DOCS,
  },
  {
    id: 'kernel-oops',
    category: 'oops',
    stage: 'kernel',
    severity: 'error',
    pattern: 'Oops: (?<subject>.{1,160}?) ?\\[#\\d{1,4}\\]',
    anchors: ['Oops: '],
    title: 'Kernel oops',
    advice:
      'The kernel hit a fault; the task that caused it was killed and the kernel may now be unstable. Read the call trace after this line, update the kernel or the module named in it.',
    docs: PANIC_DOCS,
  },
  {
    id: 'kernel-bug',
    category: 'oops',
    stage: 'kernel',
    severity: 'error',
    pattern: 'kernel BUG at (?<subject>\\S{1,200})',
    title: 'Kernel BUG',
    advice:
      'The kernel found an internal inconsistency (BUG_ON). Note the file and line, update the kernel, and report it to the distribution if it repeats.',
    docs: PANIC_DOCS,
  },
  {
    id: 'kernel-bad-memory-access',
    category: 'oops',
    stage: 'kernel',
    severity: 'error',
    pattern: 'BUG: unable to handle (?:kernel )?(?<subject>page fault|paging request|NULL pointer dereference)',
    anchors: ['BUG: unable to handle '],
    title: 'Kernel bad memory access',
    advice:
      'Kernel code touched an invalid address (NULL pointer or bad page). The call trace names the function and module; update the kernel or remove the third-party module.',
    docs: PANIC_DOCS,
  },
  {
    id: 'kernel-general-protection-fault',
    category: 'oops',
    stage: 'kernel',
    severity: 'error',
    pattern: 'general protection fault',
    title: 'Kernel general protection fault',
    advice:
      'The kernel (or a module) made an invalid memory access. Read the call trace, update the kernel or the module it names.',
    docs: PANIC_DOCS,
  },
  {
    id: 'kernel-warning',
    category: 'other',
    stage: 'kernel',
    severity: 'warning',
    pattern: 'WARNING: CPU: \\d{1,5} PID: \\d{1,10} at (?<subject>\\S{1,200})',
    anchors: ['WARNING: CPU: '],
    title: 'Kernel warning with a stack trace',
    advice:
      'The kernel reported an unexpected condition but kept running. It is worth reporting if it repeats; it does not stop the boot by itself.',
  },
  {
    id: 'hung-task',
    category: 'hung-task',
    stage: 'systemd-services',
    severity: 'error',
    outcome: 'kernel-hang',
    pattern: 'task (?<subject>\\S{1,100}) blocked for more than \\d{1,8} seconds',
    anchors: [' blocked for more than '],
    title: 'Hung task',
    advice:
      'A task waited more than the hung-task timeout, usually for disk or network I/O. Check the disk (throttling, failing storage, a hung NFS/SMB mount) and the task named; if nothing progresses, restart the VM after keeping this log.',
    docs: PANIC_DOCS,
  },
  {
    id: 'soft-lockup',
    category: 'soft-lockup',
    stage: 'systemd-services',
    severity: 'error',
    outcome: 'kernel-hang',
    pattern: 'BUG: soft lockup - CPU#(?<subject>\\d{1,5}) stuck for',
    anchors: ['soft lockup - CPU#'],
    title: 'Soft lockup',
    advice:
      'A CPU ran kernel code without yielding for too long. Often a host-side stall or a kernel bug: update the kernel; if it follows host maintenance, redeploy the VM (`az vm redeploy`).',
    docs: PANIC_DOCS,
  },
  {
    id: 'hard-lockup',
    category: 'soft-lockup',
    stage: 'systemd-services',
    severity: 'error',
    outcome: 'kernel-hang',
    pattern: 'Watchdog detected hard LOCKUP on cpu (?<subject>\\d{1,5})',
    anchors: ['Watchdog detected hard LOCKUP'],
    title: 'Hard lockup',
    advice:
      'A CPU stopped taking interrupts. Update the kernel and check for host events; redeploy the VM (`az vm redeploy`) if it repeats.',
    docs: PANIC_DOCS,
  },
  {
    id: 'rcu-stall',
    category: 'rcu-stall',
    stage: 'systemd-services',
    severity: 'error',
    outcome: 'kernel-hang',
    pattern: 'INFO: rcu_(?<subject>\\w{1,20}) (?:self-)?detected stall',
    anchors: ['INFO: rcu_'],
    title: 'RCU stall',
    advice:
      'A CPU did not pass through an RCU quiescent state for a long time: a stuck CPU, a starved vCPU or a kernel bug. Check for host events and CPU steal; update the kernel.',
    docs: PANIC_DOCS,
  },
  {
    id: 'oom-kill',
    category: 'oom',
    stage: 'systemd-services',
    severity: 'error',
    pattern: '[Oo]ut of memory: Kill(?:ed)? process \\d{1,10} \\((?<subject>[^)]{1,64})\\)',
    anchors: ['Out of memory: Kill', 'out of memory: Kill'],
    title: 'Out-of-memory killer killed a process',
    advice:
      'The VM ran out of memory and the kernel killed the named process. Resize the VM or limit the process; a booting VM that loses key services this way may never become reachable.',
  },
]
