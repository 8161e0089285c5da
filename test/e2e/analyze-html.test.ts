/**
 * The HTML report in a real browser: the built CLI writes it for a snapshot, headless Chromium opens
 * it, and the page must render without console errors, page errors or failed requests, make no
 * network request at all, and show the verdict, the timeline, the evidence and the screenshot. A PNG
 * of the page is saved in a temp dir (its path is printed).
 *
 * Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped with a notice
 * when it is absent.
 */
import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {type BrowserContext, type Page, chromium} from 'playwright-core'

import {renderAnalysisHtml} from '../../src/output/analysis-html.js'
import {HOSTILE_SCRIPT, hostileReport} from '../helpers/analysis-reports.js'
import {repoRoot} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import {PANIC_LOG} from '../helpers/sample-logs.js'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
/** A real log of a VM that stops in emergency mode, read in place when the shared corpus is there. */
const CORPUS_LOG = join(repoRoot, '..', 'shared', 'corpus', 'qemu-05-emergency-mode-fstab.log')

interface PageProblems {
  consoleErrors: string[]
  pageErrors: string[]
  failedRequests: string[]
  requests: string[]
}

/** Open a file in a fresh page and record everything that went wrong or went out. */
async function openReport(context: BrowserContext, file: string): Promise<{page: Page; problems: PageProblems}> {
  const problems: PageProblems = {consoleErrors: [], failedRequests: [], pageErrors: [], requests: []}
  const page = await context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => problems.pageErrors.push(error.message))
  page.on('requestfailed', (request) => problems.failedRequests.push(request.url()))
  page.on('request', (request) => problems.requests.push(request.url()))
  page.on('dialog', (dialog) => {
    problems.pageErrors.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  await page.goto(pathToFileURL(file).href, {waitUntil: 'load'})
  return {page, problems}
}

describe('bootdiag analyze --html in Chromium', function () {
  let context: BrowserContext
  let profile: string

  before(function () {
    if (!existsSync(CHROMIUM)) {
      console.log(
        `  notice: ${CHROMIUM} is absent, so the HTML report is not checked in a browser (apt-get install -y chromium).`,
      )
      this.skip()
    }
  })

  // (no Azure, so no --debug)
  const suite = e2eSuite()

  before(async () => {
    profile = await mkdtemp(join(tmpdir(), 'bootdiag-chromium-profile-'))
    context = await chromium.launchPersistentContext(profile, {
      args: CHROMIUM_ARGS,
      executablePath: CHROMIUM,
      headless: true,
      viewport: {height: 900, width: 1100},
    })
  })

  after(async () => {
    await context?.close()
    if (profile) await rm(profile, {force: true, recursive: true})
  })

  describe('given a snapshot of a VM stuck in emergency mode, with its screenshot', () => {
    let snapshot: string
    let report: string

    beforeEach(async () => {
      snapshot = join(suite.scratch, 'snapshots', 'web-01', '2026-05-04T10-22-31Z')
      report = join(suite.scratch, 'report.html')
      await mkdir(snapshot, {recursive: true})
      const log = existsSync(CORPUS_LOG) ? await readFile(CORPUS_LOG) : Buffer.from(PANIC_LOG)
      await writeFile(join(snapshot, 'serial.log'), log)
      await writeFile(join(snapshot, 'screenshot.png'), await consoleScreenshot(context))
      await writeFile(join(snapshot, 'snapshot.json'), JSON.stringify({vm: 'web-01'}))
    })

    it('when the CLI writes the HTML report and Chromium opens it, then it renders cleanly, offline, with its key content', async () => {
      // When
      const cli = await suite.run(['analyze', snapshot, '--html', report, '-o', 'none'])
      expect(cli.exitCode, cli.stderr).to.equal(3)
      const {page, problems} = await openReport(context, report)

      // Then: no errors of any kind, and the only request is the page itself (no network).
      expect(problems.consoleErrors).to.deep.equal([])
      expect(problems.pageErrors).to.deep.equal([])
      expect(problems.failedRequests).to.deep.equal([])
      expect(problems.requests).to.deep.equal([pathToFileURL(report).href])

      // Then: the verdict, the timeline chart, the evidence and the screenshot are visible.
      const outcome = existsSync(CORPUS_LOG) ? 'emergency-mode' : 'kernel-panic'
      await expectVisible(page.locator('h1 .outcome', {hasText: outcome}))
      await expectVisible(page.locator('figure.timeline svg').first())
      expect(await page.locator('figure.timeline svg rect.bar').count()).to.be.greaterThan(0)
      await expectVisible(page.locator('pre.log').first())
      const shot = page.locator('.screenshot img')
      await expectVisible(shot)
      expect(
        await shot.evaluate(
          (img) =>
            (img as unknown as {complete: boolean; naturalWidth: number}).complete &&
            (img as unknown as {naturalWidth: number}).naturalWidth > 0,
        ),
      ).to.equal(true)

      // (kept after the test, for a person to look at)
      const png = join(await mkdtemp(join(tmpdir(), 'bootdiag-analyze-html-')), 'report.png')
      await page.screenshot({fullPage: true, path: png})
      console.log(`  screenshot of the HTML report: ${png}`)
      await page.close()
    })
  })

  describe('given a report full of hostile log text', () => {
    it('when Chromium opens it, then no script runs and the markup is shown as text', async () => {
      const file = join(suite.scratch, 'hostile.html')
      await writeFile(file, renderAnalysisHtml(hostileReport(), {generatedAt: new Date()}))
      const {page, problems} = await openReport(context, file)

      expect(problems.pageErrors).to.deep.equal([])
      expect(problems.consoleErrors).to.deep.equal([])
      expect(problems.requests).to.deep.equal([pathToFileURL(file).href])
      expect(await page.title()).to.match(/^bootdiag: emergency-mode — /)
      expect(await page.evaluate('document.querySelectorAll("script, iframe, img").length')).to.equal(0)
      expect(await page.locator('pre.log').first().textContent()).to.include(HOSTILE_SCRIPT)
      await page.close()
    })
  })
})

async function expectVisible(locator: ReturnType<Page['locator']>): Promise<void> {
  expect(await locator.isVisible(), `${locator} should be visible`).to.equal(true)
}

/** A stand-in for the VM's screen: a text console, drawn by the browser itself. */
async function consoleScreenshot(context: BrowserContext): Promise<Buffer> {
  const page = await context.newPage()
  await page.setViewportSize({height: 300, width: 640})
  await page.setContent(
    '<body style="margin:0;background:#000"><pre style="margin:0;padding:8px;color:#bbb;font:14px monospace">' +
      '[  OK  ] Reached target Local File Systems (Pre).\n[ TIME ] Timed out waiting for device /dev/disk/by-uuid/…\n' +
      '[DEPEND] Dependency failed for /data.\n\nYou are in emergency mode. After logging in, type "journalctl -xb" to view\n' +
      'system logs, "systemctl reboot" to reboot, "systemctl default" or "exit"\nto boot into default mode.\n' +
      'Give root password for maintenance\n(or press Control-D to continue): _</pre></body>',
  )
  const png = await page.screenshot()
  await page.close()
  return png
}
