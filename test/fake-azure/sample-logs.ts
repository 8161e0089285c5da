/**
 * Serial console text the fake's VMs "print": a Linux boot that reaches the login prompt and the Azure
 * agent's provisioning, a graceful shutdown ending in `reboot: Restarting system` or `reboot: Power down`.
 * Shaped like real Azure serial logs (kernel timestamps, systemd `[  OK  ]` with ANSI colour, CRLF line
 * ends from the tty, cloud-init and waagent lines) so the analyser sees realistic input. Each boot carries
 * its number in the kernel command line and the hostname line, so a test can count boots.
 */

export interface BootLogOptions {
  hostname: string
  /** 1 for the first boot of the VM, 2 for the next, … */
  bootNumber?: number
  /** end of line; the serial tty writes CRLF (default '\r\n') */
  eol?: string
  kernel?: string
  distro?: string
}

const GREEN_OK = '\u001B[0;32m  OK  \u001B[0m'

function stamp(seconds: number): string {
  return `[${seconds.toFixed(6).padStart(12, ' ')}]`
}

/** A healthy boot from the first kernel line to the login prompt and the agent's provisioning. */
export function sampleBootLog(options: BootLogOptions): string {
  const eol = options.eol ?? '\r\n'
  const boot = options.bootNumber ?? 1
  const kernel = options.kernel ?? '6.8.0-1015-azure'
  const distro = options.distro ?? 'Ubuntu 24.04.1 LTS'
  const host = options.hostname
  const lines = [
    `${stamp(0)} Linux version ${kernel} (buildd@lcy02-amd64-080) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #15-Ubuntu SMP Tue Sep 17 17:01:01 UTC 2024 (Ubuntu ${kernel}.15-azure 6.8.12)`,
    `${stamp(0)} Command line: BOOT_IMAGE=/boot/vmlinuz-${kernel} root=PARTUUID=9a1c4cf2-0b6c-4a4e-a1b5-5d5b0f1e0a01 ro console=tty1 console=ttyS0 earlyprintk=ttyS0 panic=-1 bootdiag.boot=${boot}`,
    `${stamp(0)} BIOS-provided physical RAM map:`,
    `${stamp(0)} BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable`,
    `${stamp(0)} Hypervisor detected: Microsoft Hyper-V`,
    `${stamp(0.412345)} Unpacking initramfs...`,
    `${stamp(1.204511)} Freeing initrd memory: 27012K`,
    `${stamp(2.331201)} EXT4-fs (sda1): mounted filesystem 2e4b1d6c-4c1a-4f55-9f63-3c0f7a0d9f11 ro with ordered data mode. Quota mode: none.`,
    `${stamp(2.6)} systemd[1]: systemd 255.4-1ubuntu8.4 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)`,
    `${stamp(2.61)} systemd[1]: Detected virtualization microsoft.`,
    `${stamp(2.62)} systemd[1]: Hostname set to <${host}>.`,
    '',
    `Welcome to \u001B[1m${distro}\u001B[0m!`,
    '',
    `[${GREEN_OK}] Reached target \u001B[0;1;39mLocal File Systems\u001B[0m.`,
    `[${GREEN_OK}] Started \u001B[0;1;39msystemd-journald.service\u001B[0m - Journal Service.`,
    `[${GREEN_OK}] Reached target \u001B[0;1;39mNetwork\u001B[0m.`,
    `${stamp(8.104233)} cloud-init[612]: Cloud-init v. 24.3.1-0ubuntu0~24.04.2 running 'init' at Mon, 18 Nov 2024 09:12:0${boot % 10} +0000. Up 8.10 seconds.`,
    `[${GREEN_OK}] Started \u001B[0;1;39mssh.service\u001B[0m - OpenBSD Secure Shell server.`,
    `[${GREEN_OK}] Started \u001B[0;1;39mwalinuxagent.service\u001B[0m - Azure Linux Agent.`,
    `[${GREEN_OK}] Reached target \u001B[0;1;39mMulti-User System\u001B[0m.`,
    '',
    `${distro} ${host} ttyS0`,
    '',
    `${host} login: ${stamp(14.551932)} cloud-init[901]: Cloud-init v. 24.3.1-0ubuntu0~24.04.2 finished at Mon, 18 Nov 2024 09:12:1${boot % 10} +0000. Datasource DataSourceAzure [seed=/dev/sr0].  Up 14.55 seconds`,
    `${stamp(16.2)} waagent[1032]: 2024-11-18T09:12:16.200000Z INFO Daemon Daemon Finished provisioning`,
  ]
  return lines.join(eol) + eol
}

export interface ShutdownLogOptions {
  /** what the kernel prints last: a restart or a power-off */
  ending: 'restart' | 'power-down'
  eol?: string
  /** seconds since boot printed in the kernel lines */
  uptimeSeconds?: number
}

/** What a graceful shutdown prints, ending in `reboot: Restarting system` or `reboot: Power down`. */
export function sampleShutdownLog(options: ShutdownLogOptions): string {
  const eol = options.eol ?? '\r\n'
  const up = options.uptimeSeconds ?? 3601.25
  const lines = [
    `[${GREEN_OK}] Stopped target \u001B[0;1;39mMulti-User System\u001B[0m.`,
    '         Stopping \u001B[0;1;39mssh.service\u001B[0m - OpenBSD Secure Shell server...',
    '         Stopping \u001B[0;1;39mwalinuxagent.service\u001B[0m - Azure Linux Agent...',
    `[${GREEN_OK}] Stopped \u001B[0;1;39mwalinuxagent.service\u001B[0m - Azure Linux Agent.`,
    '         Unmounting \u001B[0;1;39mboot-efi.mount\u001B[0m - /boot/efi...',
    `[${GREEN_OK}] Reached target \u001B[0;1;39mShutdown\u001B[0m.`,
    `[${GREEN_OK}] Reached target \u001B[0;1;39mFinal Step\u001B[0m.`,
    `${stamp(up)} systemd-shutdown[1]: Syncing filesystems and block devices.`,
    `${stamp(up + 0.1)} systemd-shutdown[1]: Sending SIGTERM to remaining processes...`,
    `${stamp(up + 0.3)} systemd-shutdown[1]: Unmounting file systems.`,
    options.ending === 'restart'
      ? `${stamp(up + 0.9)} reboot: Restarting system`
      : `${stamp(up + 0.9)} reboot: Power down`,
  ]
  return lines.join(eol) + eol
}

/**
 * A boot that fails in the initramfs: the root device named on the command line never appears, and the
 * kernel panics when init exits (as Ubuntu's initramfs-tools prints it, on a VM whose disk was detached).
 */
export function samplePanicBootLog(options: BootLogOptions & {rootUuid?: string}): string {
  const eol = options.eol ?? '\r\n'
  const boot = options.bootNumber ?? 1
  const kernel = options.kernel ?? '6.8.0-1015-azure'
  const uuid = options.rootUuid ?? '9a1c4cf2-0b6c-4a4e-a1b5-5d5b0f1e0a01'
  const lines = [
    `${stamp(0)} Linux version ${kernel} (buildd@lcy02-amd64-080) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #15-Ubuntu SMP Tue Sep 17 17:01:01 UTC 2024 (Ubuntu ${kernel}.15-azure 6.8.12)`,
    `${stamp(0)} Command line: BOOT_IMAGE=/boot/vmlinuz-${kernel} root=PARTUUID=${uuid} ro console=tty1 console=ttyS0 earlyprintk=ttyS0 panic=-1 bootdiag.boot=${boot}`,
    `${stamp(0)} BIOS-provided physical RAM map:`,
    `${stamp(0)} Hypervisor detected: Microsoft Hyper-V`,
    `${stamp(0.412345)} Unpacking initramfs...`,
    `${stamp(1.204511)} Freeing initrd memory: 27012K`,
    `${stamp(1.3)} Run /init as init process`,
    'Loading, please wait...',
    'Starting systemd-udevd version 255.4-1ubuntu8.4',
    'Begin: Loading essential drivers ... done.',
    'Begin: Running /scripts/init-premount ... done.',
    'Begin: Mounting root file system ... Begin: Running /scripts/local-top ... done.',
    'Begin: Running /scripts/local-premount ... done.',
    'Begin: Waiting for root file system ... Begin: Running /scripts/local-block ... done.',
    'done.',
    'Gave up waiting for root file system device.  Common problems:',
    ' - Boot args (cat /proc/cmdline)',
    '   - Check rootdelay= (did the system wait long enough?)',
    ' - Missing modules (cat /proc/modules; ls /dev)',
    `ALERT!  PARTUUID=${uuid} does not exist.  Dropping to a shell!`,
    '',
    '',
    'BusyBox v1.36.1 (Ubuntu 1:1.36.1-6ubuntu3.1) built-in shell (ash)',
    "Enter 'help' for a list of built-in commands.",
    '',
    '(initramfs) ',
  ]
  return lines.join(eol) + eol
}
