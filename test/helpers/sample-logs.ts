/**
 * Small serial console logs for the analyze command's tests, written into temp directories by the
 * tests themselves. They follow the real output of a Debian 12 VM (see corpus/qemu-01 and qemu-04a).
 */

/** A short, healthy boot as a Debian 12 VM prints it on ttyS0. */
export const HEALTHY_LOG = [
  '[    0.000000] Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)',
  '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-50-amd64 root=UUID=6b1c1c3e-5a7e-4c3e-9a52-b007ab1ab001 ro console=ttyS0,115200n8',
  '[    0.000000] BIOS-provided physical RAM map:',
  '[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
  '[    1.203344] Run /init as init process',
  'Loading, please wait...',
  'Starting systemd-udevd version 252.39-1~deb12u1',
  'Begin: Mounting root file system ... Begin: Running /scripts/local-top ... done.',
  '[    2.842147] EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.',
  '[    3.120005] systemd[1]: systemd 252.39-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX)',
  '',
  'Welcome to Debian GNU/Linux 12 (bookworm)!',
  '',
  '[  OK  ] Started systemd-journald.service - Journal Service.',
  '[  OK  ] Reached target network.target - Network.',
  '[  OK  ] Started ssh.service - OpenBSD Secure Shell server.',
  '[  OK  ] Reached target multi-user.target - Multi-User System.',
  '',
  'Debian GNU/Linux 12 bootlab ttyS0',
  '',
  'bootlab login: ',
].join('\n')

/** A kernel that cannot mount its root file system. */
export const PANIC_LOG = [
  '[    0.000000] Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)',
  '[    0.000000] Command line: root=/dev/vdz ro console=ttyS0,115200n8',
  '[    0.000000] BIOS-provided physical RAM map:',
  '[    6.067842] VFS: Cannot open root device "vdz" or unknown-block(0,0): error -6',
  '[    6.067842] No filesystem could mount root, tried: ',
  '[    6.068257] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
  '[    6.069000] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
].join('\n')
