/**
 * The shapes of real logs the analyser must read (issue 10), each with small synthetic logs of that kind:
 * excerpts of kernel messages, stages that agree with outcomes, the kernel's own initramfs lines, quiet
 * boots, dmesg-style captures, firmware restarts and reboot loops, provisioning that crashed, and input
 * that is no console log at all. Every log is also read in chunks of several sizes: same report.
 */
import {createReadStream, readdirSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'

import {expect} from 'chai'

import {analyze, type AnalysisReport} from '../../../src/analysis/index.js'
import {assertMatchesSchema} from '../../helpers/schemas.js'
import {analyzeBytes, expectSaneReport, HEALTHY_BOOT, KERNEL_START, log, REBOOT} from './support.js'

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures')

/** Analyse a log whole and in small chunks; the reports must be the same. */
async function read(input: string | Buffer): Promise<AnalysisReport> {
  const whole = await analyzeBytes(input)
  expectSaneReport(whole)
  assertMatchesSchema('analyze', JSON.parse(JSON.stringify(whole)))
  for (const size of [1, 5, 4095]) expect(await analyzeBytes(input, size), `chunks of ${size}`).to.deep.equal(whole)
  return whole
}

const verdict = (report: AnalysisReport) => ({
  sessions: report.sessions.length,
  lastStage: report.verdict.lastStage,
  outcome: report.verdict.outcome,
})

const GRUB = ["  Booting `Debian GNU/Linux'", '', '  Loading Linux 6.1.0-18-amd64 ...', '  Loading initial ramdisk ...']

const HUNG_TASK = [
  '[ 1843.220117] INFO: task kworker/u8:2:2214 blocked for more than 122 seconds.',
  '[ 1843.226013]       Not tainted 6.1.0-18-amd64 #1 Debian 6.1.76-1',
  '[ 1843.231200] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
  '[ 1843.238811] task:kworker/u8:2    state:D stack:0     pid:2214  ppid:2      flags:0x00004000',
  '[ 1843.246001] Call Trace:',
  '[ 1843.248120]  <TASK>',
  '[ 1843.250300]  __schedule+0x351/0xa20',
  '[ 1843.253001]  io_schedule+0x42/0x70',
]

describe('analysis: shapes of real logs', () => {
  describe('1. excerpts: a log that starts mid-run with kernel lines only', () => {
    it('Given a hung-task report, Then one partial session in the kernel stage, kernel-hang, said to be an excerpt', async () => {
      const report = await read(log(...HUNG_TASK))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'kernel', outcome: 'kernel-hang'})
      expect(report.sessions[0].partial).to.equal(true)
      expect(report.input).to.include({kind: 'kernel-log', excerpt: true})
      expect(report.verdict.summary).to.match(/^an excerpt of kernel messages \(no boot start\): /)
    })

    it("Given a log quoted in a mail ('> '), its long lines wrapped by the mail client, Then read as the console's", async () => {
      const report = await read(
        log(
          '> [ 1843.220117] INFO: task kworker/u8:2:2214 blocked for more than 122',
          '> seconds.',
          '> [ 1843.226013]       Not tainted 6.1.0-18-amd64 #1 Debian 6.1.76-1',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'kernel', outcome: 'kernel-hang'})
      expect(report.sessions[0].findings[0]).to.include({rule: 'hung-task', subject: 'kworker/u8:2:2214'})
    })

    it('Given a hung task without any timestamp (a 32-bit board), Then still the kernel stage', async () => {
      const report = await read(log(...HUNG_TASK.map((line) => line.replace(/^\[[ \d.]+\] /, ''))))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'kernel', outcome: 'kernel-hang'})
    })

    it('Given an OOM report of a running system, Then a partial kernel session, boot-stuck with its finding, never no-output', async () => {
      const report = await read(
        log(
          '[ 9120.004410] stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
          '[ 9120.011012] Mem-Info:',
          '[ 9120.013560] active_anon:1843200 inactive_anon:2048 isolated_anon:0',
          '[ 9120.020330] Out of memory: Killed process 4410 (stress) total-vm:7340032kB, anon-rss:7200000kB, file-rss:4kB',
          '[ 9120.031001] oom_reaper: reaped process 4410 (stress), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'kernel', outcome: 'boot-stuck'})
      expect(report.sessions[0].findings.map((finding) => finding.rule)).to.include('oom-kill')
    })

    it('Given plain kernel chatter with no finding at all, Then still a kernel session, not no-output', async () => {
      const report = await read(
        log('[  420.000100] hv_balloon: Balloon request received', '[  421.500200] hv_netvsc 000d3a: VF slot 1 added'),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'kernel', outcome: 'boot-stuck'})
    })

    it('Given the tail of a boot in kernel messages, then a new kernel starting, Then a partial session and the new boot', async () => {
      const report = await read(log(...HUNG_TASK.slice(1), ...KERNEL_START, '[    1.000000] Run /init as init process'))
      expect(report.sessions.map((session) => [session.partial, session.startLine])).to.deep.equal([
        [true, 1],
        [false, HUNG_TASK.length],
      ])
    })

    it('Given a kexec into a new kernel and a soft lockup in it, Then the first session restarted and the second hangs in the kernel', async () => {
      const report = await read(
        log(
          '[ 5120.100200] kexec_core: Starting new kernel',
          ...KERNEL_START,
          '[   45.300100] watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [kworker/1:0:31]',
          '[   45.310000] Modules linked in: hv_netvsc hv_storvsc',
        ),
      )
      expect(report.sessions.map((session) => session.outcome)).to.deep.equal(['reboot', 'kernel-hang'])
      expect(report.verdict.lastStage).to.equal('kernel')
    })

    it('Given hung tasks after login and then the shell answering again, Then the stall cleared: booted, with its findings', async () => {
      const report = await read(
        log(...HEALTHY_BOOT, 'root@bootlab:~# sync; echo synced', ...HUNG_TASK, 'synced', 'root@bootlab:~# '),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'login-prompt', outcome: 'booted'})
      expect(report.sessions[0].findings.map((finding) => finding.rule)).to.include('hung-task')
    })

    it('Given hung tasks after the last shell prompt, Then kernel-hang', async () => {
      const report = await read(log(...HEALTHY_BOOT, 'root@bootlab:~# sync', ...HUNG_TASK))
      expect(report.verdict.outcome).to.equal('kernel-hang')
    })

    it('Given a hang report glued to the login prompt of an excerpt, Then kernel-hang after the login prompt', async () => {
      const report = await read(
        log(
          '',
          'vm-01 login: [ 7001.100200] INFO: rcu_sched self-detected stall on CPU',
          '[ 7001.100300] \t1-...!: (21000 ticks this GP)',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'login-prompt', outcome: 'kernel-hang'})
      expect(report.verdict.summary).to.include('kernel-hang after boot')
    })
  })

  describe('2. a stage and its outcome agree', () => {
    it('Given a quiet boot that drops into emergency mode, Then emergency-mode in systemd-services', async () => {
      const report = await read(
        log(
          ...GRUB,
          '[ TIME ] Timed out waiting for device dev-sdc1.device - /dev/sdc1.',
          '[DEPEND] Dependency failed for /data.',
          'You are in emergency mode. After logging in, type "journalctl -xb" to view',
          'Press Enter for maintenance',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'emergency-mode'})
    })

    it('Given a root shell in emergency mode, Then still emergency-mode (a shell prompt is no boot stage)', async () => {
      const report = await read(
        log(
          ...GRUB,
          '[ TIME ] Timed out waiting for device dev-sdc1.device - /dev/sdc1.',
          'You are in emergency mode. After logging in, type "journalctl -xb" to view',
          'Give root password for maintenance',
          '(or press Control-D to continue): ',
          'root@vm-01:~# cat /etc/fstab',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'emergency-mode'})
    })

    it('Given an excerpt that holds only the emergency prompt, Then systemd-services, not a null stage', async () => {
      const report = await read(log('Give root password for maintenance', '(or press Control-D to continue): '))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'emergency-mode'})
    })

    it("Given SysV rc.sysinit's file-system check failing, Then fsck-failure in the init-scripts stage (systemd-services)", async () => {
      const report = await read(
        log(
          ...KERNEL_START,
          '[    3.100000] dracut: Switching root',
          '                Welcome to CentOS',
          'Starting udev: [  OK  ]',
          'Checking filesystems',
          '/dev/sda1: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.',
          '\t(i.e., without -a or -p options)',
          '',
          'An error occurred during the file system check.',
          'Dropping you to a shell; the system will reboot',
          'Give root password for maintenance',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'fsck-failure'})
    })

    it("Given the initrd's systemd ready to switch root and the switch failing, Then initramfs-failure in initramfs", async () => {
      const report = await read(
        log(
          ...KERNEL_START,
          'Welcome to Fedora Linux 39 (Server Edition) dracut-059-16.fc39 (Initramfs)!',
          '[  OK  ] Reached target initrd-switch-root.target - Switch Root.',
          '         Starting initrd-switch-root.service - Switch Root...',
          '[FAILED] Failed to start initrd-switch-root.service - Switch Root.',
          'Entering emergency mode. Exit the shell to continue.',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'initramfs', outcome: 'initramfs-failure'})
    })

    it('Given the (initramfs) prompt after kernel lines only (a quiet initramfs), Then initramfs-failure in initramfs', async () => {
      const report = await read(log(...KERNEL_START, '[    2.100000] Run /init as init process', '', '(initramfs) '))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'initramfs', outcome: 'initramfs-failure'})
    })

    it('Given a dracut shell alone (an excerpt), Then initramfs-failure in initramfs', async () => {
      const report = await read(log('Generating "/run/initramfs/rdsosreport.txt"', '', 'dracut:/# '))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'initramfs', outcome: 'initramfs-failure'})
    })

    it('Given any fixture log whose outcome is a failure, Then its session has a last stage', async () => {
      for (const folder of ['rules', 'advice']) {
        const dir = join(FIXTURES, folder)
        for (const file of readdirSync(dir)) {
          const report = await analyze(createReadStream(join(dir, file)), {source: file})
          for (const session of report.sessions) {
            if (!['booted', 'shutdown-complete', 'reboot', 'no-output'].includes(session.outcome))
              expect(session.lastStage, `${folder}/${file} session ${session.index}: ${session.summary}`).to.not.equal(
                null,
              )
          }
        }
      }
    })

    it('Given a GRUB error alone, Then bootloader-failure in the bootloader stage', async () => {
      const report = await read(
        log("error: file `/boot/vmlinuz-6.1.0-18-amd64' not found.", 'error: you need to load the kernel first.'),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'bootloader', outcome: 'bootloader-failure'})
    })
  })

  describe("3. the kernel's own initramfs lines are the kernel stage", () => {
    const kernelOnly = [
      ...KERNEL_START,
      '[    0.812000] Trying to unpack rootfs image as initramfs...',
      '[    1.402000] Freeing initrd memory: 31552K',
      '[    2.100000] Run /init as init process',
    ]

    it('Given the kernel unpacking the initramfs and running /init, and nothing after, Then stuck in the kernel stage', async () => {
      const report = await read(log(...kernelOnly))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'kernel', outcome: 'boot-stuck'})
    })

    it('Given initramfs user space printing (initramfs-tools), Then the initramfs stage begins there', async () => {
      const report = await read(
        log(...kernelOnly, 'Loading, please wait...', 'Begin: Loading essential drivers ... done.'),
      )
      expect(report.sessions[0].stages.map((stage) => [stage.stage, stage.line])).to.deep.equal([
        ['kernel', 1],
        ['initramfs', 6],
      ])
    })
  })

  describe('4. quiet boots: no kernel line at all', () => {
    it('Given GRUB, udev and systemd status lines and a getty redrawn with ANSI sequences, Then booted at the login prompt', async () => {
      const report = await read(
        Buffer.from(
          log(
            ...GRUB,
            'Starting version 244.5',
            '[  OK  ] Started Journal Service.',
            '[  OK  ] Reached target Login Prompts.',
            '\x1b[H\x1b[2J\x1b[1;1HFireGate 7.2 fw01 ttyS0',
            '',
            'fw01 login: ',
          ),
          'latin1',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'login-prompt', outcome: 'booted'})
      expect(report.sessions[0].stages.map((stage) => stage.stage)).to.deep.equal([
        'bootloader',
        'systemd-services',
        'login-prompt',
      ])
    })

    it("Given OpenWrt's procd finishing its init scripts, Then booted in the init-scripts stage", async () => {
      const report = await read(
        log(
          'U-Boot 2018.09 (Apr 02 2021 - 10:00:00 +0000)',
          'Starting kernel ...',
          '[    0.000000] Linux version 5.10.176 (builder@buildhost) (mipsel-openwrt-linux-musl-gcc (OpenWrt GCC 12.3.0 r23497-6637af95aa) 12.3.0) #0 SMP Thu Feb 15 2024',
          '[    5.120000] init: Console is alive',
          '[    5.600000] procd: - early -',
          '[    8.100000] procd: - init -',
          'Please press Enter to activate this console.',
          '[   12.400000] procd: - init complete -',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'booted'})
    })

    it('Given an appliance that prompts "login:" with no host name, Then booted at the login prompt', async () => {
      const report = await read(
        log(...GRUB, '[  OK  ] Started Appliance Manager.', '', 'This system is for authorized use only.', 'login: '),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'login-prompt', outcome: 'booted'})
    })

    it('Given a quiet boot whose last line is a start job, Then boot-stuck in systemd-services, naming the unit', async () => {
      const report = await read(
        log(
          ...GRUB,
          '[  OK  ] Started Journal Service.',
          '[ ***  ] A start job is running for Setup Wizard (3min 10s / no limit)',
          '[  *** ] A start job is running for Setup Wizard (3min 11s / no limit)',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'boot-stuck'})
      expect(report.verdict.summary).to.include('Setup Wizard')
    })

    it("Given a quiet boot whose first status lines are the initrd's, Then the initramfs and switch-root stages take them back", async () => {
      const report = await read(
        log(
          ...GRUB,
          '[  OK  ] Started Journal Service.',
          '[  OK  ] Reached target Initrd Root File System.',
          '         Starting Switch Root...',
          '',
          'Welcome to Ubuntu 22.04.3 LTS!',
          '',
          '[  OK  ] Started Journal Service.',
          '[  OK  ] Reached target Multi-User System.',
        ),
      )
      expect(report.sessions[0].stages.map((stage) => stage.stage)).to.deep.equal([
        'bootloader',
        'initramfs',
        'switch-root',
        'systemd-services',
      ])
      expect(report.verdict.outcome).to.equal('booted')
    })

    it('Given a boot loader screen reset into a systemd status line on the same line, Then the status line is read', async () => {
      const report = await read(
        Buffer.from(
          log(
            'SeaBIOS (version 1.16.2-debian-1.16.2-1)',
            'Booting from ROM..\x1bc\x1b[2J[FAILED] Failed to start nbd-server.service.',
          ),
          'latin1',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'boot-stuck'})
    })
  })

  describe("5. dmesg-style captures: systemd's own messages give the stages", () => {
    const DMESG = [
      ...KERNEL_START,
      '[    0.000000] BIOS-provided physical RAM map:',
      '[    1.402000] Freeing initrd memory: 31552K',
      '[    2.100000] Run /init as init process',
      '[    3.900000] systemd[1]: systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX)',
      '[    3.910000] systemd[1]: Hostname set to <vm-01>.',
      '[    4.098569] systemd[1]: Reached target Swaps.',
      '[    4.691546] systemd[1]: Started Journal Service.',
      '[    6.933753] audit: type=1334 audit(1781995614.747:15): prog-id=19 op=LOAD',
    ]

    it('Given kernel lines and systemd[1] messages without status lines, Then systemd-services, said to be kernel messages as dmesg shows them', async () => {
      const report = await read(log(...DMESG))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'boot-stuck'})
      expect(report.input).to.include({kind: 'kernel-log', excerpt: false})
      expect(report.verdict.summary)
        .to.match(/^kernel messages, as dmesg shows them: /)
        .and.include('journald')
    })

    it('Given initramfs-tools, then systemd[1] failing a mount and the emergency prompt, Then emergency-mode in systemd-services', async () => {
      const report = await read(
        log(
          ...KERNEL_START,
          '[    2.100000] Run /init as init process',
          'Loading, please wait...',
          'Begin: Mounting root file system ... done.',
          '[    5.800000] systemd[1]: systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX)',
          '[    5.810000] systemd[1]: Detected virtualization qemu.',
          '[    9.216543] systemd[1]: Failed to mount data.mount - /data.',
          '[    9.229688] systemd[1]: Dependency failed for local-fs.target - Local File Systems.',
          'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'systemd-services', outcome: 'emergency-mode'})
    })

    it("Given systemd starting in a dracut initrd (it says so), Then that start is the initramfs's, not the real root's", async () => {
      const report = await read(
        log(
          ...KERNEL_START,
          '[    2.100000] Run /init as init process',
          '[    2.300000] systemd[1]: systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX)',
          '[    2.310000] systemd[1]: Running in initrd.',
          '[    2.900000] systemd[1]: Reached target initrd-fs.target - Initrd File Systems.',
        ),
      )
      expect(report.sessions[0].stages.map((stage) => stage.stage)).to.deep.equal(['kernel', 'initramfs'])
    })

    it('Given systemd reaching its final target in the kernel log, Then booted', async () => {
      const report = await read(log(...DMESG, '[    9.000000] systemd[1]: Reached target Multi-User System.'))
      expect(report.verdict.outcome).to.equal('booted')
    })
  })

  describe('6. reboot loops and firmware restarts', () => {
    const PANIC_BOOT = [
      'SeaBIOS (version 1.16.2-debian-1.16.2-1)',
      'Booting from Hard Disk...',
      ...GRUB,
      ...KERNEL_START,
      '[    2.870211] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
      '[    2.880000] Rebooting in 10 seconds..',
    ]

    it('Given panic, firmware, panic, firmware, panic, Then three sessions and a verdict that says reboot loop', async () => {
      const report = await read(log(...PANIC_BOOT, ...PANIC_BOOT, ...PANIC_BOOT))
      expect(report.sessions.map((session) => session.outcome)).to.deep.equal([
        'kernel-panic',
        'kernel-panic',
        'kernel-panic',
      ])
      expect(report.verdict.rebootLoop).to.deep.equal({
        boots: 3,
        firstSession: 0,
        outcomes: ['kernel-panic'],
        lastStage: 'kernel',
      })
      expect(report.verdict.summary).to.match(/^reboot loop: 3 boots in a row, each ended in kernel-panic/)
    })

    it('Given a good boot, a reboot and one panic, Then no reboot loop', async () => {
      const report = await read(
        log(
          'SeaBIOS (version 1.16.2-debian-1.16.2-1)',
          ...HEALTHY_BOOT,
          '[   71.100000] reboot: Restarting system',
          ...PANIC_BOOT,
        ),
      )
      expect(report.verdict.rebootLoop).to.equal(undefined)
      expect(report.verdict.outcome).to.equal('kernel-panic')
    })

    it('Given a firmware banner that comes again with no kernel in between, Then a new session each time', async () => {
      const spl = ['U-Boot SPL 2019.04 (Oct 08 2021 - 00:31:50 +0000)', 'already initialized,']
      const report = await read(log(...spl, ...spl, ...spl))
      expect(report.sessions.length).to.equal(3)
      expect(report.verdict).to.include({lastStage: 'bootloader', outcome: 'boot-stuck'})
      expect(report.verdict.rebootLoop?.boots).to.equal(3)
    })

    it('Given a boot loader handing over to a kernel that prints nothing and the board resetting, Then the reset opens a new session', async () => {
      const run = [
        'U-Boot 2018.01 (Jan 14 2020 - 12:47:48 -0800) Allwinner Technology',
        'Hit any key to stop autoboot:  0',
        'Starting kernel ...',
      ]
      const report = await read(log(...run, ...run))
      expect(report.sessions.length).to.equal(2)
    })

    it('Given UEFI loading the same boot option again with no kernel in between, Then a new session', async () => {
      const uefi = [
        'BdsDxe: loading Boot0001 "UEFI QEMU HARDDISK QM00001 " from PciRoot(0x0)/Pci(0x1,0x1)/Ata(Primary,Master,0x0)',
        'BdsDxe: starting Boot0001 "UEFI QEMU HARDDISK QM00001 " from PciRoot(0x0)/Pci(0x1,0x1)/Ata(Primary,Master,0x0)',
      ]
      const report = await read(log(...uefi, ...uefi))
      expect(report.sessions.map((session) => session.lastStage)).to.deep.equal(['firmware', 'firmware'])
    })

    it('Given boot firmware saying "Starting …" before the kernel starts, Then one session (the line was not a service)', async () => {
      const report = await read(
        log(
          'RPi: BOOTLOADER release VERSION:8ba17717 DATE: 2023/01/11',
          'Starting start4.elf @ 0xfec00200 partition 0',
          ...HEALTHY_BOOT,
        ),
      )
      expect(report.sessions.length).to.equal(1)
      expect(report.verdict).to.include({outcome: 'booted', lastStage: 'login-prompt'})
    })

    it('Given a quiet boot stuck on a start job, then GRUB booting the same entry again, Then a new session', async () => {
      const stuck = [...GRUB, '[ ***  ] A start job is running for Setup Wizard (3min 10s / no limit)']
      const report = await read(log(...stuck, ...stuck))
      expect(report.sessions.length).to.equal(2)
    })

    it('Given a panic, then a firmware restart that finds no boot disk, Then a second session that fails in the firmware', async () => {
      const report = await read(
        Buffer.from(
          log(
            ...PANIC_BOOT,
            'SeaBIOS (version 1.16.2-debian-1.16.2-1)',
            'Booting from Hard Disk...',
            'Boot failed: not a bootable disk',
            '',
            'iPXE (http://ipxe.org) 00:03.0 CA00 PCI2.10 PnP PMM+7EFD0F60+7EF30F60 CA00',
            `Press Ctrl-B for the iPXE command line...${'\b \b'.repeat(41)}No bootable device.`,
          ),
          'latin1',
        ),
      )
      expect(report.sessions.map((session) => session.outcome)).to.deep.equal(['kernel-panic', 'bootloader-failure'])
      expect(report.verdict).to.include({lastStage: 'firmware'})
      expect(report.verdict.summary).to.include(': No bootable device (line')
    })

    it('Given one U-Boot chain-loading another version, Then one session', async () => {
      const report = await read(
        log(
          'U-Boot 2013.07 (Mar 12 2024 - 14:08:49)',
          'AST2500EVB> go 0x83000000',
          'U-Boot 2019.04 (Apr 02 2024 - 10:00:00 +0000)',
          'Starting kernel ...',
        ),
      )
      expect(report.sessions.length).to.equal(1)
    })
  })

  describe('7. provisioning that crashed without saying "failed"', () => {
    const daemonCrash = [
      '2026-03-02T10:15:13.123459Z ERROR Daemon Daemon Event: name=WALinuxAgent, op=UnhandledError, message=Traceback (most recent call last):',
      '  File "/usr/lib/python3/dist-packages/azurelinuxagent/pa/provision/default.py", line 97, in run',
      "KeyError: 'UserName'",
      '2026-03-02T10:15:13.200000Z WARNING Daemon Daemon Daemon ended with exception -- Sleep 15 seconds and restart daemon',
    ]

    it('Given the agent daemon dying with an unhandled exception in provisioning, Then provisioning-failed, never booted', async () => {
      const report = await read(log(...HEALTHY_BOOT, ...daemonCrash))
      expect(report.verdict.outcome).to.equal('provisioning-failed')
    })

    it('Given the same crash and then the retried provisioning completing, Then booted', async () => {
      const report = await read(
        log(...HEALTHY_BOOT, ...daemonCrash, '2026-03-02T10:15:30.000000Z INFO Daemon Daemon Finished provisioning'),
      )
      expect(report.verdict).to.include({outcome: 'booted', lastStage: 'agent-provisioned'})
    })

    it("Given the agent's resource-disk and DVD mount failures, Then agent findings with the agent's advice, no fstab failure", async () => {
      const report = await read(
        log(
          ...HEALTHY_BOOT,
          '2026-03-02T10:15:12.123458Z ERROR Daemon Daemon Failed to mount resource disk [ResourceDiskError] unable to detect disk topology',
          '2026-03-02T10:15:13.123458Z WARNING Daemon Daemon Mounting dvd failed [retry 1/5, sleeping 5 sec]',
        ),
      )
      const findings = report.sessions[0].findings
      expect(findings.map((finding) => finding.rule)).to.deep.equal([
        'waagent-resource-disk-failed',
        'waagent-dvd-mount-failed',
      ])
      for (const finding of findings) expect(finding.advice).to.not.include('nofail')
      expect(report.verdict.outcome).to.equal('booted')
    })

    it('Given the wire server unreachable again and again, Then one network finding that counts them, with Azure advice', async () => {
      const report = await read(
        log(
          ...HEALTHY_BOOT,
          ...Array.from(
            {length: 4},
            (_, index) => `2026-03-02T10:16:0${index}.000000Z WARNING Daemon Daemon No route exists to 168.63.129.16`,
          ),
        ),
      )
      const [finding] = report.sessions[0].findings
      expect(finding).to.include({rule: 'wireserver-unreachable', category: 'network', count: 4})
      expect(finding.advice).to.include('168.63.129.16')
    })
  })

  describe('9. not a console log', () => {
    it('Given gzip-compressed data, Then no-output that says what it is and how to read it', async () => {
      const report = await analyzeBytes(gzipSync(log(...HEALTHY_BOOT)))
      assertMatchesSchema('analyze', JSON.parse(JSON.stringify(report)))
      expect(report.input).to.include({kind: 'gzip'})
      expect(report.verdict.outcome).to.equal('no-output')
      expect(report.verdict.summary).to.include('gzip-compressed data').and.include('zcat')
    })

    it('Given random bytes, Then binary data; given a PNG, Then it says it is an image', async () => {
      const random = Buffer.from(Array.from({length: 3000}, (_, index) => (index * 7919 + 13) % 256))
      expect((await analyzeBytes(random)).input).to.include({kind: 'binary'})
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), random])
      const report = await analyzeBytes(png)
      expect(report.verdict.summary).to.include('PNG image')
    })

    it('Given a journal export, Then it says so and reads the stages from its messages', async () => {
      const entry = (message: string, index: number) => [
        `__CURSOR=s=0a1b;i=${index}`,
        `__REALTIME_TIMESTAMP=17093745${String(index).padStart(5, '0')}`,
        '_BOOT_ID=3f2a1c0d9e8b4a7f8c6d5e4f3a2b1c0d',
        `MESSAGE=${message}`,
        '',
      ]
      const report = await read(
        log(
          ...[
            'Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP',
            'Started Journal Service.',
            'Reached target Multi-User System.',
          ].flatMap(entry),
        ),
      )
      expect(report.input).to.include({kind: 'journal-export'})
      expect(report.verdict.outcome).to.equal('booted')
      expect(report.verdict.summary).to.match(
        /^a systemd journal written by journalctl -o export, not a serial console log: /,
      )
    })

    it('Given a journal in JSON, Then it says so', async () => {
      const report = await read(
        log(
          '{"__CURSOR":"s=0a1b;i=1","_BOOT_ID":"3f2a","MESSAGE":"Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP"}',
          '{"__CURSOR":"s=0a1b;i=2","_BOOT_ID":"3f2a","MESSAGE":"Reached target Multi-User System."}',
        ),
      )
      expect(report.input).to.include({kind: 'journal-json'})
      expect(report.verdict.outcome).to.equal('booted')
    })

    it('Given a serial log, Then the input is a console log', async () => {
      const report = await read(log(...HEALTHY_BOOT))
      expect(report.input).to.deep.equal({kind: 'console', excerpt: false, description: 'a serial console log'})
    })
  })

  describe("10. a capture tool's prefix on every line", () => {
    const conserver = (lines: string[]) => lines.map((line) => `[2024-01-02 03:04:05] ${line}\r`)
    const PREVIOUS_BOOT = '[  812.717699] PANIC: double fault, error_code: 0x0'

    it("Given a conserver log that begins with the last kernel line of the boot before, Then the kernel's clock behind the prefix makes it a partial session", async () => {
      const report = await read(log(...conserver([PREVIOUS_BOOT, ...HEALTHY_BOOT])))
      expect(verdict(report)).to.deep.equal({sessions: 2, lastStage: 'login-prompt', outcome: 'booted'})
      expect(report.sessions[0]).to.include({partial: true, lastStage: 'kernel'})
    })

    it('Given the same log without that kernel line, Then one session: the prefix alone shows no boot', async () => {
      const report = await read(log(...conserver(HEALTHY_BOOT)))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'login-prompt', outcome: 'booted'})
    })

    it('Given a few lines that only look like a prefix, Then kernel timestamps further in a line are not read as the clock', async () => {
      const report = await read(log('[2024-01-02 03:04:05] capture started', ...HEALTHY_BOOT, 'echo [  812.717699]'))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'login-prompt', outcome: 'booted'})
    })

    const lava = (level: string, message: string) =>
      `- {"dt": "2024-01-02T03:04:05.123456", "lvl": "${level}", "msg": ${JSON.stringify(message)}}`

    it("Given a LAVA job log (YAML), Then the target's lines give the verdict, escape sequences and all", async () => {
      const report = await read(
        log(
          lava('info', 'start: 2.4.1 auto-login-action (timeout 00:02:30)'),
          ...HEALTHY_BOOT.map((line) => lava('target', line.replace('[  OK  ]', '[\x1b[0;32m  OK  \x1b[0m]'))),
        ),
      )
      expect(report.input).to.include({kind: 'console'})
      expect(report.input?.description).to.include('LAVA')
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'login-prompt', outcome: 'booted'})
    })

    it("Given a LAVA job log whose own lines name a panic it waits for, Then LAVA's lines are not the console's", async () => {
      const report = await read(
        log(
          lava('debug', "Setting prompt string to ['login:', 'Kernel panic - not syncing']"),
          ...HEALTHY_BOOT.map((line) => lava('target', line)),
          lava('info', 'Kernel panic - not syncing: would have failed the job'),
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'login-prompt', outcome: 'booted'})
    })
  })

  describe('11. after a restart, another run whose start the log did not keep', () => {
    const RESTARTED = [...HEALTHY_BOOT, ...REBOOT]

    it('Given a restart, then kernel messages of a run minutes later (a hung task), Then they are a second session', async () => {
      const report = await read(log(...RESTARTED, '[  848.443720] Modules linked in:', ...HUNG_TASK))
      expect(verdict(report)).to.deep.equal({sessions: 2, lastStage: 'kernel', outcome: 'kernel-hang'})
      expect(report.sessions[0].outcome).to.equal('reboot')
      expect(report.sessions[1]).to.include({partial: true})
    })

    it('Given a restart, then only kernel lines with no anchor from another run, Then a second session too', async () => {
      const report = await read(log(...RESTARTED, '[ 5802.007527] EXT4-fs (dm-0): mounted filesystem.', '[ 5803.1] x'))
      expect(verdict(report)).to.deep.equal({sessions: 2, lastStage: 'kernel', outcome: 'boot-stuck'})
    })

    it("Given a restart, then the same kernel's next words (reboot: machine restart), Then one session that restarted", async () => {
      const report = await read(
        log(...RESTARTED, '[   71.100200] reboot: machine restart', '[   71.300000] Restarting system.', ''),
      )
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'shutdown', outcome: 'reboot'})
    })

    it('Given a power-off, then a shutdown again (a quiet boot printed nothing), Then that shutdown is a second session', async () => {
      const report = await read(
        log(
          ...HEALTHY_BOOT,
          '[   71.000000] systemd-shutdown[1]: Powering off.',
          '[   71.100000] reboot: Power down',
          '[   80.117502] systemd-shutdown[1]: All loop devices detached.',
          '[   80.169602] systemd-shutdown[1]: Rebooting.',
          '[   80.213016] reboot: Restarting system',
        ),
      )
      expect(verdict(report)).to.deep.equal({sessions: 2, lastStage: 'shutdown', outcome: 'reboot'})
    })

    it('Given a restart, then the next boot from its start (the clock back at zero), Then that boot is whole, not an excerpt', async () => {
      const report = await read(log(...RESTARTED, ...HEALTHY_BOOT))
      expect(verdict(report)).to.deep.equal({sessions: 2, lastStage: 'login-prompt', outcome: 'booted'})
      expect(report.sessions[1]).to.include({partial: false})
      expect(report.verdict.summary).to.not.match(/excerpt/)
    })

    it('Given a power-off said twice (reboot: Power down, then Power down.), Then one session', async () => {
      const report = await read(log(...HEALTHY_BOOT, '[   71.100000] reboot: Power down', 'Power down.'))
      expect(verdict(report)).to.deep.equal({sessions: 1, lastStage: 'shutdown', outcome: 'shutdown-complete'})
    })
  })
})
