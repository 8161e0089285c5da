/**
 * `bootdiag analyze` on the second witness, as a user runs it (the built CLI in a child process): a
 * screenshot alone (BMP or PNG, told by its bytes), and a snapshot directory with both its serial log and
 * its screenshot, reconciled into one verdict. The screens are the project's own (test/fixtures/screens);
 * the HTML report is opened in headless Chromium when it is installed.
 */
import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {PNG} from 'pngjs'
import {type BrowserContext, chromium} from 'playwright-core'

import type {AnalyzeOutput} from '../../src/services/analyze/analyze-target.js'
import {ensureBuilt, expectOneLineError, repoRoot, runBootdiag} from '../helpers/cli.js'
import {assertMatchesSchema} from '../helpers/schemas.js'
import {rgbaToBmp} from '../helpers/screen-images.js'

const SCREENS = join(repoRoot, 'test', 'fixtures', 'screens')
const CHROMIUM = '/usr/bin/chromium'

/** A test screen as Azure serves it: a BMP (24-bit, or 16-bit RGB565). */
async function asBmp(screen: string, bpp: 16 | 24 = 24): Promise<Buffer> {
  const png = PNG.sync.read(await readFile(join(SCREENS, `${screen}.png`)))
  return rgbaToBmp({data: png.data, height: png.height, width: png.width}, bpp)
}

/** A boot that got as far as the kernel and printed nothing more on the serial port. */
const KERNEL_ONLY_LOG = [
  '[    0.000000] Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)',
  '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-26-amd64 root=UUID=0b8e5d47-7f5e-4b8e-9d0a-1a2b3c4d5e6f ro console=tty1 console=ttyS0',
  '[    0.000000] BIOS-provided physical RAM map:',
  '',
].join('\r\n')

describe('bootdiag analyze: the screenshot (built CLI)', function () {
  this.timeout(180_000)
  let dir: string

  before(() => {
    ensureBuilt()
  })

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bootdiag-analyze-screen-'))
  })

  afterEach(() => rm(dir, {force: true, recursive: true}))

  describe('given a screenshot alone', () => {
    it('a Windows stop error as a 16-bit BMP named .png: read by its bytes, kernel-panic, exit 3, the JSON contract', async () => {
      const file = join(dir, 'screenshot.png')
      await writeFile(file, await asBmp('rendered/win-stop-error-critical-process-died', 16))

      const run = await runBootdiag(['analyze', file, '-o', 'json'])

      expect(run.exitCode, run.stderr).to.equal(3)
      const output = JSON.parse(run.stdout) as AnalyzeOutput
      assertMatchesSchema('analyze', output)
      expect(output.screen).to.deep.include({codes: ['CRITICAL_PROCESS_DIED'], kind: 'win-stop-error', state: 'failed'})
      expect(output.verdict).to.deep.include({decidedBy: 'screenshot', outcome: 'kernel-panic', session: null})
      expect(output).not.to.have.any.keys('sessions', 'lines')
      expect(output.source).to.equal(file)
    })

    it('a GRUB rescue prompt (a lab capture) for people: the kind, state, codes and the lines read', async () => {
      const run = await runBootdiag(['analyze', join(SCREENS, 'lab', 'linux-grub-rescue-1.png'), '-o', 'table'])

      expect(run.exitCode, run.stderr).to.equal(3)
      const lines = run.stdout.split('\n')
      expect(lines[0]).to.match(/^✗ bootloader-failure — screen: GRUB rescue prompt: no such partition/)
      expect(run.stdout).to.match(/\nScreen {2}linux-grub-rescue · failed · linux · read by the console's font\n/)
      expect(run.stdout).to.include('  Codes     no such partition')
      expect(run.stdout).to.match(/\n {4}\d+ │ grub rescue>/)
      expect(run.stdout).to.include('verdict from the screenshot')
    })

    it('a healthy Windows lock screen exits 0; a screen still installing updates is boot-stuck, exit 3', async () => {
      const lock = await runBootdiag(['analyze', join(SCREENS, 'rendered', 'win-login-healthy-lock-screen.png')])
      expect(lock.exitCode, lock.stderr).to.equal(0)
      expect((JSON.parse(lock.stdout) as AnalyzeOutput).verdict.outcome).to.equal('booted')

      const updating = await runBootdiag(['analyze', join(SCREENS, 'rendered', 'win-updating-working-on-updates.png')])
      expect(updating.exitCode, updating.stderr).to.equal(3)
      const output = JSON.parse(updating.stdout) as AnalyzeOutput
      expect(output.screen).to.include({kind: 'win-updating', state: 'in-progress'})
      expect(output.verdict.outcome).to.equal('boot-stuck')
    })

    it('-o tsv: one line for the screen', async () => {
      const run = await runBootdiag(['analyze', join(SCREENS, 'lab', 'linux-grub-rescue-1.png'), '-o', 'tsv'])
      expect(run.stdout).to.equal('linux-grub-rescue\tfailed\tlinux\tbootloader-failure\tno such partition\t\n')
    })

    it('a truncated BMP is one line on stderr and exit 1, never a crash', async () => {
      const file = join(dir, 'cut.bmp')
      await writeFile(file, (await asBmp('rendered/win-stop-error-critical-process-died')).subarray(0, 4000))
      const run = await runBootdiag(['analyze', file])
      expectOneLineError(run, 1, /^Error: .*cut\.bmp: the screenshot could not be read: not a supported BMP image: /)
      expect(run.stdout).to.equal('')
    })
  })

  describe('given a snapshot with both witnesses', () => {
    let snapshot: string

    beforeEach(async () => {
      snapshot = join(dir, 'archive', 'sub', 'rg', 'web-01', '20261208T090000Z')
      await mkdir(snapshot, {recursive: true})
      await writeFile(join(snapshot, 'serial.log'), KERNEL_ONLY_LOG)
      await writeFile(join(snapshot, 'screenshot.bmp'), await asBmp('lab/linux-kernel-panic-1'))
      await writeFile(join(snapshot, 'snapshot.json'), JSON.stringify({vm: {name: 'web-01', osType: 'Linux'}}))
    })

    it('a log that stops in the kernel and a panic on screen: kernel-panic, with evidence from each witness', async () => {
      const run = await runBootdiag(['analyze', snapshot, '-o', 'json'])

      expect(run.exitCode, run.stderr).to.equal(3)
      const output = JSON.parse(run.stdout) as AnalyzeOutput
      assertMatchesSchema('analyze', output)
      expect(output.sessions).to.have.length(1)
      expect(output.verdict).to.deep.include({decidedBy: 'screenshot', outcome: 'kernel-panic'})
      expect(output.verdict.log).to.include({lastStage: 'kernel', outcome: 'boot-stuck'})
      expect(output.screen).to.include({kind: 'linux-kernel-panic', reader: 'console-font'})
      const witnesses = new Set(output.verdict.evidence!.map((item) => item.witness))
      expect([...witnesses].sort()).to.deep.equal(['screenshot', 'serial-log'])
      expect(output.verdict.evidence!.find((item) => item.witness === 'screenshot')!.text).to.match(/Kernel panic/)
    })

    it('for people: the verdict of both, the screen, then the session', async () => {
      const run = await runBootdiag(['analyze', snapshot, '-o', 'table'])
      expect(run.stdout.split('\n')[0]).to.match(/^✗ kernel-panic — screen: Linux kernel panic: /)
      const screenAt = run.stdout.indexOf('\nScreen  linux-kernel-panic · failed')
      const sessionAt = run.stdout.indexOf('\nSession 1 of 1')
      expect(screenAt).to.be.greaterThan(0)
      expect(sessionAt).to.be.greaterThan(screenAt)
    })

    it('a Windows snapshot with no serial log at all: the screenshot decides', async () => {
      const windows = join(dir, 'win-01')
      await mkdir(windows)
      await writeFile(
        join(windows, 'screenshot.png'),
        await readFile(join(SCREENS, 'rendered', 'win-login-healthy-lock-screen.png')),
      )
      await writeFile(join(windows, 'snapshot.json'), JSON.stringify({vm: {name: 'win-01', osType: 'Windows'}}))
      const run = await runBootdiag(['analyze', windows, '-o', 'json'])
      expect(run.exitCode, run.stderr).to.equal(0)
      const output = JSON.parse(run.stdout) as AnalyzeOutput
      assertMatchesSchema('analyze', output)
      expect(output.verdict).to.deep.include({decidedBy: 'screenshot', outcome: 'booted'})
    })

    describe('--html in Chromium', () => {
      let context: BrowserContext
      let profile: string

      before(async function () {
        if (!existsSync(CHROMIUM)) {
          console.log(`  notice: ${CHROMIUM} is absent, so the screen in the HTML report is not checked in a browser.`)
          this.skip()
        }

        profile = await mkdtemp(join(tmpdir(), 'bootdiag-chromium-profile-'))
        context = await chromium.launchPersistentContext(profile, {
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
          executablePath: CHROMIUM,
          headless: true,
          viewport: {height: 900, width: 1300},
        })
      })

      after(async () => {
        await context?.close()
        if (profile) await rm(profile, {force: true, recursive: true})
      })

      it("shows the screenshot beside the text read from it and the screen's verdict, offline", async () => {
        const report = join(dir, 'report.html')
        const run = await runBootdiag(['analyze', snapshot, '--html', report, '-o', 'none'])
        expect(run.exitCode, run.stderr).to.equal(3)

        const page = await context.newPage()
        const requests: string[] = []
        const errors: string[] = []
        page.on('request', (request) => requests.push(request.url()))
        page.on('pageerror', (error) => errors.push(error.message))
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text())
        })
        await page.goto(pathToFileURL(report).href, {waitUntil: 'load'})

        expect(errors).to.deep.equal([])
        expect(requests).to.deep.equal([pathToFileURL(report).href])
        expect(await page.locator('h1 .outcome').textContent()).to.equal('kernel-panic')
        const image = page.locator('.screenshot img')
        expect(await image.isVisible()).to.equal(true)
        expect(await image.evaluate((img) => (img as unknown as {naturalWidth: number}).naturalWidth)).to.equal(640)
        expect(await page.locator('.screen-reading .badge').first().textContent()).to.equal('linux-kernel-panic')
        expect(await page.locator('pre.screen-text').textContent()).to.match(/Kernel panic - not syncing/)
        expect(await page.locator('.screen-summary').isVisible()).to.equal(true)
        const png = join(tmpdir(), `bootdiag-screen-report-${process.pid}.png`)
        await page.screenshot({fullPage: true, path: png})
        console.log(`  screenshot of the HTML report: ${png}`)
        await page.close()
      })
    })
  })
})
