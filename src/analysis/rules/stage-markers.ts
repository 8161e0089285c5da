/**
 * Stage markers: the lines that show how far a boot or a shutdown got. A session moves forward only
 * (a marker of an earlier stage than the one reached changes nothing); `role` marks session starts,
 * systemd's final target and the last words of a shutdown. See schema.ts for the record's fields.
 */
import type {StageMarkerRecord} from './schema.js'

export const STAGE_MARKERS: readonly StageMarkerRecord[] = [
  // firmware
  {id: 'seabios', stage: 'firmware', role: 'prelude', pattern: '^SeaBIOS \\(version '},
  {id: 'ipxe', stage: 'firmware', role: 'prelude', pattern: '^iPXE \\(http'},
  {
    id: 'ovmf-boot-option',
    stage: 'firmware',
    role: 'prelude',
    pattern: 'BdsDxe: (?:loading|starting) Boot',
    anchors: ['BdsDxe: '],
  },
  {id: 'u-boot', stage: 'firmware', role: 'prelude', pattern: '^U-Boot (?:SPL )?\\d{4}\\.\\d{2}', anchors: ['U-Boot ']},
  {id: 'opal-firmware', stage: 'firmware', role: 'prelude', pattern: 'OPAL v\\S{1,40} starting', anchors: ['OPAL v']},

  // boot loader
  {
    id: 'seabios-booting-from',
    stage: 'bootloader',
    role: 'prelude',
    pattern: '^Booting from (?:Hard Disk|ROM|DVD/CD|Floppy)',
    anchors: ['Booting from '],
  },
  {id: 'grub-banner', stage: 'bootloader', role: 'prelude', pattern: 'GNU GRUB {1,4}version ', anchors: ['GNU GRUB ']},
  {id: 'grub-welcome', stage: 'bootloader', role: 'prelude', pattern: '^Welcome to GRUB!'},
  {
    id: 'grub-loading-kernel',
    stage: 'bootloader',
    role: 'prelude',
    pattern: '^\\s{0,8}Loading (?:Linux|Xen) \\S{1,100} \\.\\.\\.',
    anchors: ['Loading Linux ', 'Loading Xen '],
  },
  {
    id: 'grub-loading-initrd',
    stage: 'bootloader',
    role: 'prelude',
    pattern: '^\\s{0,8}Loading initial ramdisk \\.\\.\\.',
  },
  {
    id: 'grub-booting-entry',
    stage: 'bootloader',
    role: 'prelude',
    pattern: "^\\s{0,8}Booting [`'].{1,200}'",
    anchors: ['Booting `', "Booting '"],
  },
  {id: 'u-boot-autoboot', stage: 'bootloader', role: 'prelude', pattern: 'Hit any key to stop autoboot'},
  {id: 'u-boot-starting-kernel', stage: 'bootloader', role: 'prelude', pattern: '^Starting kernel \\.\\.\\.'},

  // kernel
  {
    id: 'kernel-banner',
    stage: 'kernel',
    role: 'kernel-banner',
    pattern: 'Linux version (?<release>\\S{1,100}) \\(',
    anchors: ['Linux version '],
  },
  {
    id: 'kernel-setup-code',
    stage: 'kernel',
    role: 'kernel-start',
    pattern: '^early console in (?:setup|extract_kernel|decompress)',
    anchors: ['early console in '],
  },
  {
    id: 'kernel-probing-edd',
    stage: 'kernel',
    role: 'kernel-start',
    pattern: '^Probing EDD \\(edd=off to disable\\)',
    anchors: ['Probing EDD'],
  },
  {
    id: 'kernel-efi-stub',
    stage: 'kernel',
    role: 'kernel-start',
    pattern: 'EFI stub: Booting Linux Kernel',
    anchors: ['EFI stub: Booting'],
  },
  {
    id: 'kernel-decompressing',
    stage: 'kernel',
    role: 'kernel-start',
    pattern: '^(?:Decompressing|Uncompressing) Linux',
    anchors: ['ompressing Linux'],
  },
  {id: 'kernel-zimage', stage: 'kernel', role: 'kernel-start', pattern: '^zImage starting'},
  // Windows with EMS/SAC on the serial port (Azure's serial console): the one line its kernel writes per
  // boot, so each is a new boot (the role of a kernel's banner)
  {
    id: 'windows-sac-started',
    stage: 'kernel',
    role: 'kernel-banner',
    pattern: 'Computer is booting, SAC started and initialized',
    anchors: ['SAC started and initialized'],
  },
  {id: 'kernel-arm-boot-cpu', stage: 'kernel', role: 'kernel-start', pattern: 'Booting Linux on physical CPU'},
  {id: 'kernel-e820-map', stage: 'kernel', role: 'kernel-start', pattern: 'BIOS-provided physical RAM map'},
  {
    id: 'kernel-zero-timestamp',
    stage: 'kernel',
    role: 'kernel-start',
    pattern: '^\\[ {0,4}0\\.000000\\]',
    anchors: ['[    0.000000]'],
  },
  {
    id: 'kernel-command-line',
    stage: 'kernel',
    pattern: '(?:^|\\] )(?:Kernel c|C)ommand line: ',
    anchors: ['ommand line: '],
  },
  {
    id: 'kernel-freeing-init-memory',
    stage: 'kernel',
    pattern: 'Freeing unused kernel (?:image )?(?:\\(initmem\\) )?memory',
    anchors: ['Freeing unused kernel '],
  },
  {id: 'kernel-mounted-root', stage: 'kernel', pattern: 'VFS: Mounted root \\('},

  // initramfs (dracut, initramfs-tools, systemd in the initrd)
  {id: 'initramfs-run-init', stage: 'initramfs', pattern: 'Run /init as init process'},
  {id: 'initramfs-tools-loading', stage: 'initramfs', pattern: '^Loading, please wait\\.\\.\\.'},
  {id: 'initramfs-tools-begin', stage: 'initramfs', pattern: '^Begin: \\S'},
  {id: 'dracut-hook', stage: 'initramfs', pattern: 'dracut-[a-z-]{2,40}\\[\\d{1,8}\\]: ', anchors: ['dracut-']},
  {
    id: 'dracut-unit',
    stage: 'initramfs',
    pattern: '(?:Starting|Started|Finished) dracut ',
    anchors: ['ing dracut ', 'Started dracut ', 'Finished dracut '],
  },
  {
    id: 'initrd-welcome',
    stage: 'initramfs',
    pattern: '^Welcome to .{1,200}(?:\\(Initramfs\\)|dracut-)',
    anchors: ['Welcome to '],
  },
  {
    id: 'initrd-systemd',
    stage: 'initramfs',
    pattern: 'Running in (?:initial RAM disk|initrd)',
    anchors: ['Running in initial RAM disk', 'Running in initrd'],
  },
  {
    id: 'initrd-target',
    stage: 'initramfs',
    pattern: 'Reached target (?:Initrd|initrd)',
    anchors: ['Reached target Initrd', 'Reached target initrd'],
  },
  {
    id: 'initrd-sysroot',
    stage: 'initramfs',
    pattern: 'Mount(?:ing|ed) /sysroot',
    anchors: ['ing /sysroot', 'Mounted /sysroot'],
  },
  {id: 'initramfs-shell', stage: 'initramfs', pattern: '^\\(initramfs\\) ?', anchors: ['(initramfs)']},
  {id: 'dracut-shell', stage: 'initramfs', pattern: '^dracut:/#', anchors: ['dracut:/#']},

  // the real root takes over
  {
    id: 'switch-root',
    stage: 'switch-root',
    pattern: 'Switching root|Starting Switch Root|Reached target (?:\\S{1,40} - )?Switch Root',
    anchors: ['Switching root', 'Starting Switch Root', 'Switch Root'],
  },
  {id: 'run-init', stage: 'switch-root', pattern: '\\brun-init\\b', anchors: ['run-init']},
  {
    id: 'distro-welcome',
    stage: 'switch-root',
    pattern: '^Welcome to (?!GRUB|emergency mode|rescue mode)(?!.{0,300}(?:\\(Initramfs\\)|dracut-)).{1,200}!$',
    anchors: ['Welcome to '],
  },

  // services (systemd, SysV init, OpenRC, busybox rc scripts)
  {
    id: 'systemd-status-ok',
    stage: 'systemd-services',
    inertIn: ['firmware', 'bootloader', 'initramfs'],
    pattern: '\\[(?:  OK  | OK )\\] [A-Z]',
    anchors: ['  OK  ', '[ OK ]'],
  },
  {
    id: 'service-starting',
    stage: 'systemd-services',
    inertIn: ['firmware', 'bootloader', 'initramfs'],
    pattern: '^\\s{0,12}Starting \\S',
    anchors: ['Starting '],
  },
  {
    id: 'systemd-journal-unit',
    stage: 'systemd-services',
    inertIn: ['firmware', 'bootloader', 'initramfs'],
    pattern: 'systemd\\[1\\]: (?:Started|Starting|Reached target|Mounted|Listening on) ',
    anchors: ['systemd[1]: '],
  },
  {
    id: 'sysvinit-booting',
    stage: 'systemd-services',
    pattern: 'INIT: version \\S{1,20} booting|INIT: Entering runlevel: ?[1-5]',
    anchors: ['INIT: version ', 'INIT: Entering runlevel'],
  },
  {id: 'openrc-starting', stage: 'systemd-services', pattern: 'OpenRC \\S{1,20} is starting up', anchors: ['OpenRC ']},
  {
    id: 'systemd-final-target',
    stage: 'systemd-services',
    role: 'booted',
    pattern:
      'Reached target (?:\\S{1,40} - )?(?:Multi-User System|Graphical Interface|multi-user\\.target|graphical\\.target)',
    anchors: ['Multi-User System', 'Graphical Interface', 'multi-user.target', 'graphical.target'],
  },

  // the login prompt
  // agetty's prompt; what follows on the same line is the user's name or console output (kernel, waagent)
  {
    id: 'getty-login',
    stage: 'login-prompt',
    pattern: '^(?!Last login)[A-Za-z0-9][\\w.-]{0,62} login:(?: |$)',
    anchors: [' login:'],
  },

  // provisioning done (Azure Linux Agent, cloud-init)
  {
    id: 'waagent-provisioned',
    stage: 'agent-provisioned',
    pattern: 'Provisioning complete|Finished provisioning|Provisioning already completed',
    anchors: ['Provisioning complete', 'Finished provisioning', 'Provisioning already completed'],
  },
  {id: 'cloud-init-reported-ready', stage: 'agent-provisioned', pattern: 'Reported ready to Azure fabric'},
  {
    id: 'cloud-init-finished',
    stage: 'agent-provisioned',
    pattern: 'Cloud-init v\\. \\S{1,60} finished at (?!.{0,300}DataSourceNone)',
    anchors: ['Cloud-init v. '],
  },

  // shutdown
  {
    id: 'systemd-stopped-final-target',
    stage: 'shutdown',
    pattern:
      'Stopped target (?:\\S{1,40} - )?(?:Multi-User System|Graphical Interface|multi-user\\.target|graphical\\.target)',
    anchors: ['Stopped target '],
  },
  {
    id: 'systemd-shutdown-target',
    stage: 'shutdown',
    pattern:
      'Reached target (?:\\S{1,40} - )?(?:System Shutdown|Shutdown|shutdown\\.target|System Power Off|poweroff\\.target|System Reboot|reboot\\.target|System Halt|halt\\.target|Unmount All Filesystems|umount\\.target|Late Shutdown Services|final\\.target)',
    anchors: [
      'System Shutdown',
      'Reached target Shutdown',
      'shutdown.target',
      'System Power Off',
      'poweroff.target',
      'System Reboot',
      'reboot.target',
      'System Halt',
      'halt.target',
      'Unmount All Filesystems',
      'umount.target',
      'Late Shutdown Services',
      'final.target',
    ],
  },
  {
    id: 'systemd-shutdown',
    stage: 'shutdown',
    pattern: 'systemd-shutdown\\[\\d{1,8}\\]: ',
    anchors: ['systemd-shutdown['],
  },
  {
    id: 'systemd-shutdown-powering-off',
    stage: 'shutdown',
    role: 'powered-off',
    pattern: 'systemd-shutdown\\[\\d{1,8}\\]: (?:Powering off|Halting system)',
    anchors: ['systemd-shutdown['],
  },
  {
    id: 'systemd-shutdown-rebooting',
    stage: 'shutdown',
    role: 'restarted',
    pattern: 'systemd-shutdown\\[\\d{1,8}\\]: Rebooting',
    anchors: ['systemd-shutdown['],
  },
  {
    id: 'kernel-disk-shutdown',
    stage: 'shutdown',
    pattern: '\\] (?:Synchronizing SCSI cache|Stopping disk)',
    anchors: ['Synchronizing SCSI cache', 'Stopping disk'],
  },
  {id: 'acpi-s5', stage: 'shutdown', pattern: 'Preparing to enter system sleep state S5'},
  {id: 'kvm-exiting', stage: 'shutdown', pattern: 'kvm: exiting hardware virtualization'},
  {
    id: 'sysvinit-shutdown',
    stage: 'shutdown',
    pattern:
      'INIT: Switching to runlevel: ?[06]|INIT: Sending processes the (?:TERM|KILL) signal|The system is going down|Sent SIG(?:TERM|KILL) to all processes',
    anchors: ['INIT: Switching to runlevel', 'INIT: Sending processes', 'The system is going down', 'to all processes'],
  },
  {
    id: 'kernel-power-down',
    stage: 'shutdown',
    role: 'powered-off',
    pattern:
      'reboot: (?:Power down|System halted)|^(?:\\[[ \\d.]{1,20}\\] )?(?:Power down|System halted)\\.?$|Will now (?:halt|power ?off)|Requesting system (?:poweroff|halt)',
    anchors: [
      'Power down',
      'System halted',
      'Will now halt',
      'Will now power',
      'Requesting system poweroff',
      'Requesting system halt',
    ],
  },
  {
    id: 'kernel-restart',
    stage: 'shutdown',
    role: 'restarted',
    pattern:
      'reboot: Restarting system|^(?:\\[[ \\d.]{1,20}\\] )?Restarting system\\.?$|Will now restart|Requesting system reboot',
    anchors: ['Restarting system', 'Will now restart', 'Requesting system reboot'],
  },
]
