/**
 * Stage markers: the lines that show how far a boot or a shutdown got. A session moves forward only
 * (a marker of an earlier stage than the one reached changes nothing, but for a tentative stage: see
 * `initrdToo`); `role` marks session starts, systemd's final target and the last words of a shutdown.
 * See schema.ts for the record's fields.
 */
import type {StageMarkerRecord} from './schema.js'

export const STAGE_MARKERS: readonly StageMarkerRecord[] = [
  // firmware: a banner printed once per start (the same banner again means the machine was reset)
  {
    id: 'seabios',
    stage: 'firmware',
    role: 'firmware-start',
    pattern: '(?<banner>SeaBIOS \\(version [^)]{1,100}\\))',
    anchors: ['SeaBIOS (version '],
  },
  {
    id: 'coreboot-bootblock',
    stage: 'firmware',
    role: 'firmware-start',
    pattern: '(?<banner>coreboot-\\S{1,100} .{0,80}bootblock starting)',
    anchors: ['bootblock starting'],
  },
  {
    id: 'coreboot-stage',
    stage: 'firmware',
    pattern: 'coreboot-\\S{1,100} .{0,80}(?:verstage|romstage|postcar|ramstage) starting \\(log level',
    anchors: ['starting (log level'],
  },
  {
    id: 'opensbi',
    stage: 'firmware',
    role: 'firmware-start',
    pattern: '^(?<banner>OpenSBI v\\S{1,40})',
    anchors: ['OpenSBI v'],
  },
  {
    id: 'opal-firmware',
    stage: 'firmware',
    role: 'firmware-start',
    pattern: '(?<banner>OPAL v\\S{1,40} starting)',
    anchors: ['OPAL v'],
  },
  {id: 'ipxe', stage: 'firmware', role: 'prelude', pattern: '^iPXE \\(http'},
  {
    // UEFI (EDK2/OVMF) starting a boot option: the same option loaded again means the machine was reset
    id: 'ovmf-boot-option',
    stage: 'firmware',
    role: 'firmware-start',
    pattern: '(?<banner>BdsDxe: (?:loading|starting) Boot[0-9A-Fa-f]{4})',
    anchors: ['BdsDxe: '],
  },

  // boot loader. U-Boot's SPL and U-Boot proper are two banners of one start (the SPL loads U-Boot); a
  // U-Boot banner of another version is a chain-loaded U-Boot, not a reset.
  {
    id: 'u-boot-spl',
    stage: 'bootloader',
    role: 'firmware-start',
    pattern: '^\\W{0,8}(?<banner>U-Boot SPL \\d{4}\\.\\d{2}\\S{0,60}(?: \\([^)]{1,60}\\))?)',
    anchors: ['U-Boot SPL '],
  },
  {
    id: 'u-boot',
    stage: 'bootloader',
    role: 'firmware-start',
    pattern: '^\\W{0,8}(?<banner>U-Boot (?:\\d{4}\\.\\d{2}|\\d\\.\\d\\.\\d)\\S{0,60}(?: \\([^)]{1,60}\\))?)',
    anchors: ['U-Boot '],
  },
  {
    // the firmware saying where it boots from: the boot loader has not run yet ("Boot failed" may follow)
    id: 'seabios-booting-from',
    stage: 'firmware',
    role: 'prelude',
    pattern: '^Booting from (?:Hard Disk|ROM|DVD/CD|Floppy)',
    anchors: ['Booting from '],
  },
  {id: 'depthcharge', stage: 'bootloader', role: 'prelude', pattern: 'Starting depthcharge on '},
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
    // printed once per boot, when GRUB boots an entry: the same entry again is the next boot
    id: 'grub-booting-entry',
    stage: 'bootloader',
    role: 'firmware-start',
    pattern: "^\\s{0,8}(?<banner>Booting [`'].{1,200}')",
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
  // the kernel's own initramfs lines: it unpacks the image and runs its /init, but initramfs user
  // space has not printed anything yet
  {
    id: 'kernel-unpacks-initramfs',
    stage: 'kernel',
    pattern: 'Trying to unpack rootfs image as initramfs|Unpacking initramfs|Freeing initrd memory',
    anchors: ['Trying to unpack rootfs image', 'Unpacking initramfs', 'Freeing initrd memory'],
  },
  {
    id: 'kernel-freeing-init-memory',
    stage: 'kernel',
    pattern: 'Freeing unused kernel (?:image )?(?:\\(initmem\\) )?memory',
    anchors: ['Freeing unused kernel '],
  },
  {id: 'kernel-mounted-root', stage: 'kernel', pattern: 'VFS: Mounted root \\('},
  {id: 'kernel-runs-init', stage: 'kernel', pattern: 'Run /\\S{0,100} as init process', anchors: ['Run /']},

  // initramfs user space (dracut, initramfs-tools, systemd in the initrd)
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
  {
    // systemd in the initrd ready to switch: the switch itself comes next ("Switching root.")
    id: 'initrd-switch-root-unit',
    stage: 'initramfs',
    pattern: 'Reached target (?:\\S{1,40} - )?Switch Root|Starting (?:initrd-switch-root\\.service - )?Switch Root',
    anchors: ['Switch Root'],
  },
  {id: 'initramfs-shell', stage: 'initramfs', pattern: '^\\(initramfs\\) ?', anchors: ['(initramfs)']},
  {id: 'dracut-shell', stage: 'initramfs', pattern: '^dracut:/#', anchors: ['dracut:/#']},

  // the real root takes over
  {id: 'switch-root', stage: 'switch-root', pattern: 'Switching root'},
  {id: 'run-init', stage: 'switch-root', pattern: '\\brun-init\\b', anchors: ['run-init']},
  // systemd starting as PID 1 (its own message, in the kernel log): the real root's, after an
  // initramfs-tools initramfs; an initrd's own systemd says "Running in initrd" right after, which
  // takes it back
  {
    id: 'systemd-pid1-starts',
    stage: 'switch-root',
    mayBeInitrd: true,
    pattern: 'systemd \\d{2,3}(?:\\.\\d{1,4})?\\S{0,40} running in system mode',
    anchors: ['running in system mode'],
  },
  {
    id: 'distro-welcome',
    stage: 'switch-root',
    pattern: '^Welcome to (?!GRUB|emergency mode|rescue mode)(?!.{0,300}(?:\\(Initramfs\\)|dracut-)).{1,200}!$',
    anchors: ['Welcome to '],
  },

  // services (systemd, SysV init and its rc scripts, OpenRC, BusyBox init, other inits)
  {
    id: 'systemd-status-ok',
    stage: 'systemd-services',
    initrdToo: true,
    pattern: '\\[(?:  OK  | OK )\\] [A-Z]',
    anchors: ['  OK  ', '[ OK ]'],
  },
  {
    // systemd's "Starting <unit>...", udev's "Starting version 252", rc scripts' "Starting sshd: OK";
    // not U-Boot's "Starting kernel ..." nor coreboot's "Starting depthcharge"
    id: 'service-starting',
    stage: 'systemd-services',
    initrdToo: true,
    pattern: '^\\s{0,12}Starting (?!kernel \\.|depthcharge )\\S',
    anchors: ['Starting '],
  },
  {
    // systemd's own messages as the kernel log has them (dmesg, or a console without status lines)
    id: 'systemd-journal-unit',
    stage: 'systemd-services',
    initrdToo: true,
    pattern:
      'systemd\\[1\\]: (?:Started|Starting|Finished|Reached target|Mounted|Mounting|Listening on|Queued start job for default target)\\b',
    anchors: ['systemd[1]: '],
  },
  {
    // sysvinit writes to the console itself, at the start of a line (OPAL firmware's "INIT:" lines have a timestamp)
    id: 'sysvinit',
    stage: 'systemd-services',
    pattern: '^INIT: \\S|INIT: version \\S{1,20} booting|INIT: Entering runlevel: ?[1-5]',
    anchors: ['INIT: '],
  },
  {
    // rc.sysinit's banner (RHEL/CentOS 5 and 6); systemd's "Welcome to …!" is the switch-root marker
    id: 'sysv-rc-welcome',
    stage: 'systemd-services',
    pattern:
      '^\\s{0,40}Welcome to (?:CentOS|Red Hat Enterprise Linux|Oracle Linux|Scientific Linux|Fedora)[\\w .()-]{0,80}$',
    anchors: ['Welcome to '],
  },
  {
    id: 'sysv-checking-file-systems',
    stage: 'systemd-services',
    pattern: '^Checking (?:filesystems|file systems|root filesystem|root file system)',
    anchors: ['Checking filesystems', 'Checking file systems', 'Checking root file'],
  },
  {id: 'openrc-starting', stage: 'systemd-services', pattern: 'OpenRC \\S{1,20} is starting up', anchors: ['OpenRC ']},
  {id: 'busybox-init', stage: 'systemd-services', pattern: 'init started: BusyBox v', anchors: ['BusyBox v']},
  // OpenWrt's procd: "- init -" runs the init scripts, "- init complete -" when they are done
  {id: 'procd-init', stage: 'systemd-services', pattern: 'procd: - init -', anchors: ['- init -']},
  {
    id: 'procd-init-complete',
    stage: 'systemd-services',
    role: 'booted',
    pattern: 'procd: - init complete -',
    anchors: ['- init complete -'],
  },
  {id: 'erlinit', stage: 'systemd-services', pattern: 'erlinit: Starting erlinit'},
  {
    id: 'systemd-final-target',
    stage: 'systemd-services',
    role: 'booted',
    pattern:
      'Reached target (?:\\S{1,40} - )?(?:Multi-User System|Graphical Interface|multi-user\\.target|graphical\\.target)',
    anchors: ['Multi-User System', 'Graphical Interface', 'multi-user.target', 'graphical.target'],
  },
  // BusyBox init's askfirst console: the system is up, a shell waits for Enter (no login prompt)
  {
    id: 'busybox-console-ready',
    stage: 'systemd-services',
    role: 'booted',
    pattern: 'Please press Enter to activate this console',
  },

  // the login prompt
  // agetty's prompt; what follows on the same line is the user's name or console output (kernel, waagent)
  {
    id: 'getty-login',
    stage: 'login-prompt',
    pattern: '^(?!Last login)[A-Za-z0-9][\\w.-]{0,62} login:(?: |$)',
    anchors: [' login:'],
  },

  // a prompt without a host name (appliances, BusyBox login)
  {
    id: 'bare-login',
    stage: 'login-prompt',
    pattern: '^(?:[Ll]ogin|Username): ?$',
    anchors: ['ogin:', 'Username:'],
  },

  // a shell prompt (bash's user@host:dir# , RHEL's [user@host dir]# ): user space answers
  {
    id: 'shell-prompt',
    stage: 'login-prompt',
    role: 'alive',
    pattern: '^(?:[\\w.-]{1,32}@[\\w.-]{1,64}:\\S{0,200}|\\[[\\w.-]{1,32}@[\\w.-]{1,64} [^\\]]{1,200}\\])[#$](?: |$)',
    anchors: [':~# ', ':~$ ', ':/# ', ' ~]# ', ' ~]$ ', ' /]# '],
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
    role: 'powering-off',
    pattern: 'systemd-shutdown\\[\\d{1,8}\\]: (?:Powering off|Halting system)',
    anchors: ['systemd-shutdown['],
  },
  {
    id: 'systemd-shutdown-rebooting',
    stage: 'shutdown',
    role: 'restarting',
    pattern: 'systemd-shutdown\\[\\d{1,8}\\]: Rebooting',
    anchors: ['systemd-shutdown['],
  },
  {
    // the disk driver flushes and stops disks at shutdown, and when a disk goes away: after the boot
    // completed, user space announces a shutdown first, so there a lone flush is a disk being removed
    id: 'kernel-disk-shutdown',
    stage: 'shutdown',
    inertIn: ['login-prompt', 'agent-provisioned'],
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
    id: 'userspace-powering-off',
    stage: 'shutdown',
    role: 'powering-off',
    pattern: 'Will now (?:halt|power ?off)|Requesting system (?:poweroff|halt)',
    anchors: ['Will now halt', 'Will now power', 'Requesting system poweroff', 'Requesting system halt'],
  },
  {
    id: 'userspace-restarting',
    stage: 'shutdown',
    role: 'restarting',
    pattern: 'Will now restart|Requesting system reboot',
    anchors: ['Will now restart', 'Requesting system reboot'],
  },
  {
    id: 'kernel-power-down',
    stage: 'shutdown',
    role: 'powered-off',
    pattern: 'reboot: (?:Power down|System halted)|^(?:\\[[ \\d.]{1,20}\\] )?(?:Power down|System halted)\\.?$',
    anchors: ['Power down', 'System halted'],
  },
  {
    id: 'kernel-restart',
    stage: 'shutdown',
    role: 'restarted',
    pattern:
      'reboot: Restarting system|^(?:\\[[ \\d.]{1,20}\\] )?Restarting system\\.?$|kexec(?:_core)?: Starting new kernel',
    anchors: ['Restarting system', 'Starting new kernel'],
  },
]
