/**
 * Security and platform signatures: SELinux stopping or slowing a boot, and console or paravirtual
 * driver trouble that EC2Rescue and LISA look for.
 */
import type {RuleRecord} from './schema.js'

const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'
const SELINUX_DOCS = `${LEARN}/linux-selinux-troubleshooting`

export const PLATFORM_RULES: readonly RuleRecord[] = [
  {
    id: 'selinux-policy-load-failed',
    category: 'selinux',
    stage: 'switch-root',
    implies: 'switch-root',
    severity: 'critical',
    pattern: 'Failed to load SELinux policy',
    title: 'SELinux policy failed to load',
    advice:
      'systemd could not load the SELinux policy and froze. Usually SELINUXTYPE in /etc/selinux/config names a policy that is not installed (e.g. SELINUXTYPE=disabled). Boot with `selinux=0` from GRUB in the serial console, then fix /etc/selinux/config.',
    docs: SELINUX_DOCS,
  },
  {
    id: 'selinux-relabel',
    category: 'selinux',
    stage: 'systemd-services',
    severity: 'info',
    pattern: 'SELinux (?<subject>\\S{1,40}) policy relabel is required|Relabeling /|autorelabel',
    anchors: ['policy relabel is required', 'Relabeling /', 'autorelabel'],
    title: 'SELinux is relabelling the file system',
    advice:
      'A full SELinux relabel runs at boot (after /.autorelabel or a policy change); on large disks it takes many minutes and then reboots. Let it finish rather than restarting the VM.',
    docs: SELINUX_DOCS,
  },
  {
    id: 'selinux-denied',
    category: 'selinux',
    stage: 'systemd-services',
    implies: 'kernel',
    severity: 'warning',
    pattern: 'avc: {1,2}denied {1,2}\\{ ?(?<subject>[\\w ]{1,80}?) ?\\}',
    anchors: ['avc:  denied', 'avc: denied'],
    title: 'SELinux denied an access',
    advice:
      'SELinux blocked an access; in enforcing mode this can stop a service or a login. Check the labels (`restorecon -Rv`) or the policy; `ausearch -m avc -ts boot` lists the denials.',
    docs: SELINUX_DOCS,
  },
  {
    id: 'serial-console-overload',
    category: 'other',
    stage: 'kernel',
    implies: 'kernel',
    severity: 'warning',
    pattern: 'too much work for irq(?<subject>\\d{1,4})',
    anchors: ['too much work for irq'],
    title: 'Serial console overloaded',
    advice:
      'The serial port cannot keep up with console output and CPU time goes into it. Lower the console log level (loglevel=, `dmesg -n`) or stop writing verbose output to the console.',
  },
  {
    id: 'xen-netfront-skb-rides-the-rocket',
    category: 'network',
    stage: 'systemd-services',
    implies: 'kernel',
    severity: 'warning',
    pattern: 'xennet: skb rides the rocket',
    title: 'Xen network driver dropped an oversized packet',
    advice:
      'The Xen netfront driver dropped a packet with too many fragments. Disable scatter-gather on the interface (`ethtool -K eth0 sg off`) or update the kernel.',
  },
  {
    id: 'network-unit-failed',
    category: 'network',
    stage: 'systemd-services',
    implies: 'systemd-services',
    severity: 'error',
    supersedes: ['unit-failed'],
    pattern:
      'Failed to start (?:\\S{1,60} - )?(?<subject>Raise network interfaces|Network Manager|Network Service|Network Configuration|LSB: Bring up/down networking|Wait for Network to be Configured|Network Manager Wait Online)',
    anchors: ['Failed to start '],
    title: 'Networking failed to start',
    advice:
      'The network did not come up, so SSH and the Azure agent cannot work. Check the interface configuration (netplan, ifcfg, NetworkManager) from the serial console; a MAC address pinned in the configuration breaks after a resize or redeploy.',
    docs: `${LEARN}/cannot-connect-linux-network`,
  },
]
