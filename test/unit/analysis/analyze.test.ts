import {createReadStream} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {analyze} from '../../../src/analysis/index.js'
import {
  analyzeBytes,
  expectSaneReport,
  HEALTHY_BOOT,
  INITRAMFS,
  KERNEL_START,
  log,
  LOGIN,
  REBOOT,
  SYSTEMD,
} from './support.js'

describe('analysis: analyze()', () => {
  describe('reading', () => {
    let dir: string
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bootdiag-analysis-'))
    })
    afterEach(() => rm(dir, {force: true, recursive: true}))

    it('Given an empty file, When analysed, Then the verdict is no-output and advises the screenshot', async () => {
      const path = join(dir, 'serial.log')
      await writeFile(path, '')
      const report = await analyze(createReadStream(path), {source: path})
      expect(report).to.include({source: path, bytes: 0, lines: 0})
      expect(report.sessions).to.deep.equal([])
      expect(report.verdict).to.include({outcome: 'no-output', lastStage: null, session: null})
      expect(report.verdict.summary).to.include('screenshot')
      expect(report.verdict.advice)
        .to.match(/screenshot/i)
        .and.match(/GRUB rescue/)
    })

    it('Given a log file on disk, When analysed as a stream, Then it reports bytes, lines and the booted verdict', async () => {
      const path = join(dir, 'serial.log')
      const text = log(...HEALTHY_BOOT)
      await writeFile(path, text)
      const report = await analyze(createReadStream(path, {highWaterMark: 16}), {source: path})
      expectSaneReport(report)
      expect(report.bytes).to.equal(Buffer.byteLength(text))
      expect(report.lines).to.equal(HEALTHY_BOOT.length)
      expect(report.verdict).to.include({outcome: 'booted', lastStage: 'login-prompt', session: 0})
      expect(report.verdict.summary).to.equal(`booted: reached login-prompt (line ${HEALTHY_BOOT.length})`)
    })

    it('Given string chunks, When analysed, Then they are read as UTF-8', async () => {
      async function* chunks() {
        yield HEALTHY_BOOT.slice(0, 5).join('\n') + '\n'
        yield HEALTHY_BOOT.slice(5).join('\n')
      }

      const report = await analyze(chunks(), {source: '-'})
      expect(report.verdict.outcome).to.equal('booted')
    })

    it('Given only noise, When analysed, Then no session is opened and the verdict is no-output', async () => {
      const report = await analyzeBytes(log('random text', 'root@vm:~# ls', 'more noise'))
      expect(report.sessions).to.have.length(0)
      expect(report.verdict.outcome).to.equal('no-output')
      expect(report.lines).to.equal(3)
    })
  })

  describe('input as it really comes', () => {
    it('Given CRLF line ends, ANSI colours, NUL padding and invalid UTF-8, Then the same verdict and clean JSON text', async () => {
      const dirty = Buffer.concat([
        Buffer.from(
          HEALTHY_BOOT.map((line) => line.replace('[  OK  ]', '[\x1b[0;32m  OK  \x1b[0m]')).join('\r\r\n'),
          'utf8',
        ),
        Buffer.from([0xff, 0xfe, 0x0a]),
        Buffer.alloc(8192),
      ])
      const report = await analyzeBytes(dirty, 333)
      expectSaneReport(report)
      expect(report.verdict).to.include({outcome: 'booted', lastStage: 'login-prompt'})
      expect(report.lines).to.equal(HEALTHY_BOOT.length)
      const evidence = report.sessions[0].evidence.map((line) => line.text)
      expect(evidence).to.include('[  OK  ] Reached target multi-user.target - Multi-User System.')
    })

    it('Given the same log fed in chunks of any size, Then the report is the same', async () => {
      const text = log(...HEALTHY_BOOT, ...REBOOT, ...HEALTHY_BOOT)
      const whole = await analyzeBytes(text)
      for (const size of [1, 5, 97]) expect(await analyzeBytes(text, size)).to.deep.equal(whole)
    })

    it('Given a line of several megabytes, Then analysis goes on and the line count stays right', async () => {
      const huge = Buffer.alloc(3 * 1024 * 1024, 'A')
      const report = await analyzeBytes(
        Buffer.concat([Buffer.from(log(...KERNEL_START) + '\n'), huge, Buffer.from('\n' + log(...INITRAMFS))]),
      )
      expectSaneReport(report)
      expect(report.lines).to.equal(KERNEL_START.length + 1 + INITRAMFS.length)
      expect(report.verdict.lastStage).to.equal('initramfs')
    })

    it('Given early output doubled by two consoles, Then the kernel stage is still recognised', async () => {
      const report = await analyzeBytes(
        log('PPrroobbiinngg  EEDDDD  ((eedddd==ooffff  ttoo  ddiissaabbllee))......  ook', ...KERNEL_START.slice(1)),
      )
      expect(report.sessions[0].stages[0]).to.deep.include({stage: 'kernel', line: 1})
      expect(report.sessions[0].partial).to.equal(false)
    })
  })

  describe('sessions', () => {
    it('Given a boot, a reboot and a second boot, Then two sessions split at the kernel start and the verdict is the last one', async () => {
      const lines = [
        ...HEALTHY_BOOT,
        ...REBOOT,
        'SeaBIOS (version 1.16.2-debian-1.16.2-1)',
        'Booting from Hard Disk...',
        'Welcome to GRUB!',
        ...HEALTHY_BOOT,
      ]
      const report = await analyzeBytes(log(...lines))
      expectSaneReport(report)
      expect(report.sessions.map((session) => [session.outcome, session.lastStage, session.startLine])).to.deep.equal([
        ['reboot', 'shutdown', 1],
        ['booted', 'login-prompt', HEALTHY_BOOT.length + REBOOT.length + 1],
      ])
      expect(report.sessions[1].stages.map((stage) => stage.stage)).to.deep.equal([
        'firmware',
        'bootloader',
        'kernel',
        'initramfs',
        'switch-root',
        'systemd-services',
        'login-prompt',
      ])
      expect(report.verdict).to.include({outcome: 'booted', session: 1})
    })

    it('Given a log that begins in the middle of a boot, Then the first session is partial and starts at line 1', async () => {
      const report = await analyzeBytes(log('[   12.000000] random: crng init done', ...SYSTEMD, ...LOGIN))
      expect(report.sessions).to.have.length(1)
      expect(report.sessions[0]).to.include({partial: true, startLine: 1, kernel: null})
      expect(report.verdict.outcome).to.equal('booted')
    })

    it('Given a panic, then a new boot that comes up, Then the earlier failure is still reported', async () => {
      const panic = '[    3.100000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)'
      const report = await analyzeBytes(log(...KERNEL_START, panic, ...HEALTHY_BOOT))
      expect(report.sessions.map((session) => session.outcome)).to.deep.equal(['kernel-panic', 'booted'])
      expect(report.sessions[0].findings.map((finding) => finding.rule)).to.deep.equal([
        'panic-vfs-unable-to-mount-root',
      ])
      expect(report.sessions[0].kernel).to.equal('6.1.0-50-amd64')
    })

    it('Given user space printing /proc/version after boot, Then no new session starts', async () => {
      const report = await analyzeBytes(
        log(...HEALTHY_BOOT, 'root', 'Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP'),
      )
      expect(report.sessions).to.have.length(1)
    })

    it("Given the kernel clock going back to zero without a banner, Then a new session starts (stuck in the kernel: running /init is the kernel's line)", async () => {
      const report = await analyzeBytes(
        log(
          ...HEALTHY_BOOT,
          '[  300.000000] something',
          '[    0.000000] BIOS-provided physical RAM map:',
          '[    1.000000] Run /init as init process',
        ),
      )
      expect(report.sessions).to.have.length(2)
      expect(report.verdict).to.include({outcome: 'boot-stuck', lastStage: 'kernel'})
    })
  })

  describe('outcomes', () => {
    it('Given a clean power-off, Then shutdown-complete; given a shutdown that never ends, Then shutdown-hung', async () => {
      const poweroff = await analyzeBytes(
        log(
          ...HEALTHY_BOOT,
          '[  OK  ] Stopped target multi-user.target - Multi-User System.',
          '[   80.000000] reboot: Power down',
        ),
      )
      expect(poweroff.verdict).to.include({outcome: 'shutdown-complete', lastStage: 'shutdown'})
      const hung = await analyzeBytes(
        log(
          ...HEALTHY_BOOT,
          '[  OK  ] Stopped target multi-user.target - Multi-User System.',
          '[ ***  ] Job app.service/stop running (4min 59s / 1h)',
        ),
      )
      expect(hung.verdict).to.include({outcome: 'shutdown-hung', lastStage: 'shutdown'})
      expect(hung.verdict.summary).to.equal('shutdown hung: Job app.service/stop running (4min 59s / 1h) (line 16)')
    })

    it('Given a missing fstab disk and the emergency prompt, Then emergency-mode, quoting the failed dependency', async () => {
      const lines = [
        ...KERNEL_START,
        ...INITRAMFS,
        ...SYSTEMD,
        '[ TIME ] Timed out waiting for device dev-disk-by\\x2duuid-3f0e.device - /dev/disk/by-uuid/3f0e.',
        '[DEPEND] Dependency failed for srv-data.mount - /srv/data.',
        '[DEPEND] Dependency failed for local-fs.target - Local File Systems.',
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        'Give root password for maintenance',
      ]
      const report = await analyzeBytes(log(...lines))
      expect(report.verdict).to.include({outcome: 'emergency-mode', lastStage: 'systemd-services'})
      expect(report.verdict.summary).to.equal(
        'boot stopped in emergency-mode: Dependency failed for srv-data.mount - /srv/data (line 11)',
      )
      expect(report.sessions[0].evidence.map((line) => line.line)).to.include.members([10, 11, 12, 13])
      expect(
        report.sessions[0].findings.find((finding) => finding.rule === 'dependency-failed-local-fs')?.docs,
      ).to.match(/fstab-errors$/)
    })

    it('Given an fsck failure that drops into emergency mode, Then the outcome names the root cause: fsck-failure', async () => {
      const report = await analyzeBytes(
        log(
          ...KERNEL_START,
          ...INITRAMFS,
          ...SYSTEMD,
          '[FAILED] Failed to start systemd-fsck@dev-vdb1.service - File System Check on /dev/vdb1.',
          '[DEPEND] Dependency failed for data.mount - /data.',
          'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        ),
      )
      expect(report.verdict.outcome).to.equal('fsck-failure')
      expect(report.verdict.summary).to.include('File System Check on /dev/vdb1')
    })

    it('Given an emergency shell inside the initramfs, Then initramfs-failure', async () => {
      const report = await analyzeBytes(
        log(
          ...KERNEL_START,
          ...INITRAMFS,
          'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        ),
      )
      expect(report.verdict).to.include({outcome: 'initramfs-failure', lastStage: 'initramfs'})
    })

    it('Given a hung task and no progress after it, Then kernel-hang; given progress after it, Then the boot goes on', async () => {
      const hang = '[  242.000000] INFO: task systemd-udevd:201 blocked for more than 120 seconds.'
      const stuck = await analyzeBytes(log(...KERNEL_START, ...INITRAMFS, ...SYSTEMD, hang))
      expect(stuck.verdict.outcome).to.equal('kernel-hang')
      const recovered = await analyzeBytes(
        log(
          ...KERNEL_START,
          ...INITRAMFS,
          ...SYSTEMD,
          hang,
          '[  OK  ] Started ssh.service - OpenBSD Secure Shell server.',
          ...LOGIN,
        ),
      )
      expect(recovered.verdict.outcome).to.equal('booted')
      expect(recovered.sessions[0].findings.map((finding) => finding.rule)).to.include('hung-task')
    })

    it('Given an emergency mode that was left for a normal boot, Then the boot counts as booted', async () => {
      const report = await analyzeBytes(
        log(
          ...KERNEL_START,
          ...INITRAMFS,
          ...SYSTEMD,
          'You are in emergency mode. After logging in, type "journalctl -xb" to view',
          ...LOGIN,
        ),
      )
      expect(report.verdict.outcome).to.equal('booted')
    })

    it('Given the agent reporting provisioning failed after the login prompt, Then provisioning-failed', async () => {
      const report = await analyzeBytes(
        log(
          ...HEALTHY_BOOT,
          '2026-11-25T20:00:00.000000Z ERROR Daemon Daemon Provisioning failed: [ProvisionError] no ovf-env.xml',
        ),
      )
      expect(report.verdict).to.include({outcome: 'provisioning-failed', lastStage: 'login-prompt'})
      expect(report.verdict.summary).to.match(/^provisioning failed: /)
    })

    it('Given a cloud-init module failing before cloud-init\'s "finished" line, Then provisioning-failed and that line is not provisioning done', async () => {
      const report = await analyzeBytes(
        log(
          ...HEALTHY_BOOT,
          '[   62.363798] cloud-init[402]: 2026-11-25 21:41:46,905 - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)',
          '[   63.627154] cloud-init[402]: Cloud-init v. 22.4.2 finished at Wed, 25 Nov 2026 21:41:48 +0000. Datasource DataSourceNoCloud [seed=/dev/vdb][dsmode=net].  Up 63.58 seconds',
        ),
      )
      expect(report.verdict).to.include({outcome: 'provisioning-failed', lastStage: 'login-prompt'})
    })

    it('Given the agent reporting provisioning done, Then agent-provisioned is the last stage and the VM booted', async () => {
      const report = await analyzeBytes(
        log(...HEALTHY_BOOT, '2026-11-25T20:00:00.000000Z INFO Daemon Daemon Provisioning complete'),
      )
      expect(report.verdict).to.include({outcome: 'booted', lastStage: 'agent-provisioned'})
    })

    it("Given a boot that reached systemd's final target without a login prompt, Then booted", async () => {
      const report = await analyzeBytes(
        log(
          ...KERNEL_START,
          ...INITRAMFS,
          ...SYSTEMD,
          '[  OK  ] Reached target graphical.target - Graphical Interface.',
        ),
      )
      expect(report.verdict).to.include({outcome: 'booted', lastStage: 'systemd-services'})
      expect(report.verdict.summary).to.equal("booted: reached systemd's final target (line 10)")
    })

    it('Given a boot that just stops, Then boot-stuck in the last stage reached', async () => {
      const report = await analyzeBytes(log(...KERNEL_START, ...INITRAMFS))
      expect(report.verdict).to.include({outcome: 'boot-stuck', lastStage: 'initramfs'})
    })
  })

  describe('findings and timeline', () => {
    it('Given repeated lines of one failure, Then one finding with a count and the last line', async () => {
      const report = await analyzeBytes(
        log(
          ...HEALTHY_BOOT,
          '[  100.000000] blk_update_request: I/O error, dev sdc, sector 2048 op 0x0:(READ)',
          '[  101.000000] blk_update_request: I/O error, dev sdc, sector 4096 op 0x0:(READ)',
          '[  102.000000] blk_update_request: I/O error, dev sdd, sector 8 op 0x0:(READ)',
        ),
      )
      const findings = report.sessions[0].findings.filter((finding) => finding.rule === 'block-io-error')
      expect(findings.map((finding) => [finding.line, finding.count, finding.lastLine])).to.deep.equal([
        [15, 2, 16],
        [17, 1, 17],
      ])
      expect(findings[0]).to.include({category: 'io-error', severity: 'error'})
      expect(findings[0].lastText).to.include('sector 4096')
    })

    it('Given a start job redrawn with its unit name shortened differently, Then one finding counts them all', async () => {
      const report = await analyzeBytes(
        log(
          ...KERNEL_START,
          ...INITRAMFS,
          ...SYSTEMD,
          '[*     ] (1 of 2) Job dev-disk-by\\x2duuid-3f…vice/start running (9s / 1min 30s)',
          '[**    ] Job dev-disk-by\\x2duuid-3f0e8a52\\x2…ice/start running (12s / 1min 30s)',
          '[***   ] Job dev-disk-by\\x2duuid-3f0e8a52\\x2…ce/start running (1min / 1min 30s)',
          '[ ***  ] Job ssh.service/start running (1min / 1min 30s)',
        ),
      )
      const findings = report.sessions[0].findings.filter((finding) => finding.rule === 'start-job-running-v2')
      expect(findings.map((finding) => finding.count)).to.deep.equal([3, 1])
      expect(findings[0].lastText).to.include('(1min / 1min 30s)')
    })

    it('Given a stop job redrawn hundreds of times with its spinner and timer, Then one finding with the last redraw as its last text', async () => {
      const spinner = [
        '\x1b[0;31m*\x1b[0;1;31m*\x1b[0m\x1b[0;31m*   \x1b[0m',
        ' \x1b[0;31m*\x1b[0;1;31m*\x1b[0m\x1b[0;31m*  \x1b[0m',
        '\x1b[0;1;31m*\x1b[0m\x1b[0;31m*    \x1b[0m',
      ]
      const redraws = Array.from(
        {length: 300},
        (_, index) => `\x1bM\r\x1b[K[${spinner[index % 3]}] Job app.service/stop running (${index}s / 1h)\r\r`,
      )
      const report = await analyzeBytes(
        log(
          ...HEALTHY_BOOT,
          '[  OK  ] Stopped target multi-user.target - Multi-User System.',
          ...redraws,
          '[ ***  ] Job other.service/stop running (1s / 1h)',
        ),
        4096,
      )
      const findings = report.sessions[0].findings.filter((finding) => finding.rule === 'stop-job-running-v2')
      expect(findings.map((finding) => [finding.count, finding.lastLine])).to.deep.equal([
        [300, 315],
        [1, 316],
      ])
      expect(findings[0].text).to.equal('[***   ] Job app.service/stop running (0s / 1h)')
      expect(findings[0].lastText).to.equal('[**    ] Job app.service/stop running (299s / 1h)')
      expect(report.verdict.summary).to.equal('shutdown hung: Job other.service/stop running (1s / 1h) (line 316)')
    })

    it('Given kernel timestamps, Then each stage has its start time and a duration', async () => {
      const report = await analyzeBytes(log(...HEALTHY_BOOT))
      const session = report.sessions[0]
      expect(session.stages.find((stage) => stage.stage === 'kernel')).to.include({line: 1, time: 0})
      expect(session.durations.kernel).to.equal(2.5)
      expect(session.durations.initramfs).to.be.a('number')
      expect(session.stages.find((stage) => stage.stage === 'login-prompt')?.time).to.equal(null)
    })
  })
})
