/**
 * Provisioning signatures: the Azure Linux Agent (waagent) and cloud-init failing to provision the VM
 * or to report it ready, and the delays Microsoft documents. A failed cloud-init module counts as
 * failed provisioning: the VM is not what the user data asked for (cloud-init status: error), and
 * cloud-init's "finished" line that follows does not undo it. waagent writes its log to the console
 * (Logs.Console=y); cloud-init's warnings and its stage banners reach the console through systemd.
 */
import type {RuleRecord} from './schema.js'

const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'
const AGENT_DOCS = `${LEARN}/linux-azure-guest-agent`
const CLOUD_INIT_DOCS = `${LEARN}/cloud-init-deployment-delay`
const PROVISIONING_DOCS = `${LEARN}/linux-custom-image-provisioning-errors`

export const PROVISIONING_RULES: readonly RuleRecord[] = [
  {
    id: 'waagent-provisioning-failed',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'critical',
    outcome: 'provisioning-failed',
    pattern: 'Provisioning (?:with cloud-init )?failed: (?<subject>.{1,300})',
    anchors: ['Provisioning failed: ', 'Provisioning with cloud-init failed: '],
    title: 'The Azure Linux Agent reports provisioning failed',
    advice:
      'The agent could not finish provisioning (user, SSH keys, hostname, or waiting for cloud-init), so Azure will report OSProvisioningTimedOut. Read the reason after "failed:"; for custom images check that the image was generalized (`waagent -deprovision+user`) and that only one of waagent provisioning and cloud-init is enabled.',
    docs: PROVISIONING_DOCS,
  },
  {
    id: 'waagent-report-failed',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'error',
    pattern: 'Reporting (?:Not)?Ready failed',
    anchors: ['Ready failed'],
    title: 'The Azure Linux Agent could not report its status',
    advice:
      'The agent could not reach the Azure wire server (168.63.129.16) to report. Check the network configuration, firewall rules and DNS inside the VM.',
    docs: AGENT_DOCS,
  },
  {
    id: 'waagent-no-routes',
    category: 'network',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'warning',
    pattern: '/proc/net/route contains no routes',
    title: 'The Azure Linux Agent finds no network routes',
    advice:
      'The VM has no network route. Many of these lines in a row often mean a full OS disk broke networking; otherwise check the network configuration (DHCP, NetworkManager/netplan).',
    docs: `${LEARN}/linux-fulldisk-boot-error`,
  },
  {
    id: 'cloud-init-no-datasource',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'critical',
    outcome: 'provisioning-failed',
    pattern: 'Datasource DataSourceNone|Used fallback datasource',
    anchors: ['DataSourceNone', 'Used fallback datasource'],
    title: 'cloud-init found no datasource',
    advice:
      "cloud-init could not find the cloud's metadata (on Azure: the provisioning ISO or the wire server), so the VM was not provisioned and not reported ready. Check datasource_list in /etc/cloud/cloud.cfg(.d) and the network in the early boot.",
    docs: PROVISIONING_DOCS,
  },
  {
    id: 'cloud-init-unit-failed',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'critical',
    outcome: 'provisioning-failed',
    supersedes: ['unit-failed'],
    pattern:
      'Failed to start (?:cloud-init(?:-local)?\\.service - )?(?<subject>Initial cloud-init job.{0,100}|Cloud-init: (?:Local|Network) Stage)',
    anchors: ['Failed to start '],
    title: 'cloud-init failed',
    advice:
      "cloud-init's main stage failed, so users, SSH keys and the hostname may not be set and the VM may never report ready. Look at /var/log/cloud-init.log (repair VM or serial console) and run `cloud-init status --long`.",
    docs: CLOUD_INIT_DOCS,
  },
  {
    id: 'cloud-init-late-stage-failed',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'error',
    outcome: 'provisioning-failed',
    supersedes: ['unit-failed'],
    pattern:
      'Failed to start (?:cloud-(?:config|final)\\.service - )?(?<subject>Apply the settings specified in cloud-config|Execute cloud user/final scripts|Cloud-init: (?:Config|Final) Stage)',
    anchors: ['Failed to start '],
    title: 'cloud-init configuration or user scripts failed',
    advice:
      'A cloud-config module or a custom-data script failed, so the VM is not configured as asked (cloud-init status: error), even if it reported ready to the platform. Check /var/log/cloud-init-output.log and `cloud-init status --long`, fix the user data, and redeploy.',
    docs: CLOUD_INIT_DOCS,
  },
  {
    id: 'cloud-init-module-failed',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'error',
    outcome: 'provisioning-failed',
    pattern: 'Running module (?<subject>[\\w-]{1,64}) \\(.{0,300}\\) failed|Failed to run module [\\w-]{1,64}',
    anchors: ['Running module ', 'Failed to run module '],
    title: 'A cloud-init module failed',
    advice:
      'A cloud-init module (often scripts-user: your runcmd or custom-data script) failed, so the VM is not configured as asked (cloud-init status: error); cloud-init still prints "finished". See /var/log/cloud-init.log for the traceback and /var/log/cloud-init-output.log for the script\'s output, fix the user data, and redeploy.',
    docs: CLOUD_INIT_DOCS,
  },
  {
    id: 'waagent-daemon-crashed',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'critical',
    outcome: 'provisioning-failed',
    unless: 'agent-provisioned',
    pattern:
      'Daemon (?:Daemon )?Event: name=[\\w.-]{1,40}, op=UnhandledError|Daemon ended with exception|File "[^"]{0,200}azurelinuxagent/pa/provision/[^"]{1,100}", line \\d',
    anchors: ['UnhandledError', 'Daemon ended with exception', '/azurelinuxagent/pa/provision/'],
    title: "The Azure Linux Agent's provisioning daemon crashed",
    advice:
      "The agent's daemon, which provisions the VM, died with an unhandled exception (the traceback follows this line) and restarts every 15 seconds, so the VM is not provisioned and Azure will report OSProvisioningTimedOut. The traceback names the failing step: a missing Python module or a broken agent package (reinstall or update walinuxagent), or the network (see the wire-server findings). For a custom image, check it was generalized (`waagent -deprovision+user`).",
    docs: AGENT_DOCS,
  },
  {
    id: 'cloud-init-module-raised',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'error',
    outcome: 'provisioning-failed',
    pattern: 'File "[^"]{0,200}/cloudinit/(?:config/cc_(?<subject>\\w{1,60})|cmd/main)\\.py", line \\d',
    anchors: ['/cloudinit/config/cc_', '/cloudinit/cmd/main.py'],
    title: 'cloud-init raised an exception',
    advice:
      'A cloud-init module (or cloud-init itself) raised an exception; its traceback is here, so the VM is not configured as the user data asked (cloud-init status: error) even if cloud-init goes on and says "finished". Read the last lines of the traceback for the error, fix the user data or the image, and redeploy; /var/log/cloud-init.log has the whole run.',
    docs: CLOUD_INIT_DOCS,
  },
  {
    id: 'waagent-resource-disk-failed',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'warning',
    supersedes: ['mount-failed', 'mount-command-failed', 'mount-command-error'],
    pattern: 'Failed to (?:mount|format|partition|activate) (?:the )?resource disk',
    anchors: ['Failed to mount ', 'Failed to format ', 'Failed to partition ', 'Failed to activate '],
    title: 'The Azure Linux Agent could not set up the resource disk',
    advice:
      "The agent could not find, format or mount the temporary resource disk (usually on /mnt): VM sizes without a local temp disk have none, and sizes with an NVMe temp disk need a recent agent. This is the agent's own mount, not an /etc/fstab entry, and it does not stop the boot: update walinuxagent, or set ResourceDisk.Format=n in /etc/waagent.conf when the VM needs no resource disk.",
    docs: AGENT_DOCS,
  },
  {
    id: 'waagent-dvd-mount-failed',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'warning',
    supersedes: ['mount-failed', 'mount-command-failed', 'mount-command-error'],
    pattern: 'Mounting dvd failed|Failed to mount dvd|Error mounting dvd',
    anchors: ['Mounting dvd failed', 'Failed to mount dvd', 'Error mounting dvd'],
    title: 'The Azure Linux Agent could not mount the provisioning DVD',
    advice:
      "The agent reads its provisioning data (ovf-env.xml) from a virtual DVD and could not mount it: the udf file-system module is missing or blacklisted in the image, or the DVD was not attached. This is the agent's own mount, not an /etc/fstab entry: make sure the image can load udf (`modprobe udf`, no `install udf /bin/true` in /etc/modprobe.d), or let cloud-init provision instead.",
    docs: PROVISIONING_DOCS,
  },
  {
    id: 'wireserver-unreachable',
    category: 'network',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'error',
    // the agent's own words: an anchor such as "168.63…" alone would wake the scanner at every "1"
    pattern: 'No route exists to 168\\.63\\.129\\.16',
    title: 'The Azure wire server (168.63.129.16) is unreachable',
    advice:
      'The VM cannot reach the Azure wire server, 168.63.129.16, which the agent needs to provision the VM, report it ready and run extensions. The network did not come up (DHCP failed, a static address or a MAC address pinned in netplan/ifcfg/NetworkManager after a resize or redeploy) or a firewall, proxy or route blocks that address. From the serial console: `ip addr`, `ip route`, renew DHCP, and look for 168.63.129.16 in iptables/nftables rules.',
    docs: AGENT_DOCS,
  },
  {
    id: 'cloud-init-ephemeral-disk-delay',
    category: 'provisioning',
    stage: 'agent-provisioned',
    implies: 'systemd-services',
    severity: 'warning',
    pattern: "ephemeral device '(?<subject>[^']{1,200})' did not appear after \\d{1,6} seconds",
    anchors: ['did not appear after'],
    title: 'cloud-init waited for the resource disk',
    advice:
      'cloud-init waited for the temporary (resource) disk that this VM size may not have, delaying provisioning. Follow the article to drop the ephemeral-disk configuration from the image.',
    docs: CLOUD_INIT_DOCS,
  },
]
