/**
 * `bootdiag report --html` in a real browser: the built CLI writes the page for an archive, headless
 * Chromium opens it, and it must render without console errors, page errors or any request but the page
 * itself, and show the overview, the signature groups, a row per VM with its screenshot thumbnail, state
 * and since when, and each VM's timeline. Archive text is untrusted: a hostile verdict runs no script.
 * A PNG of the page is saved in a temp dir (its path is printed).
 *
 * Needs Debian's chromium at /usr/bin/chromium; skipped with a notice when it is absent.
 */
import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {expect} from 'chai'
import {PNG} from 'pngjs'
import {type BrowserContext, chromium} from 'playwright-core'

import {LocalArchiveStore} from '../../src/store/local-store.js'
import {ensureBuilt, runBootdiag} from '../helpers/cli.js'
import {BOOTED, PANIC, type TestVm, commitSnapshot} from '../helpers/snapshots.js'

const CHROMIUM = '/usr/bin/chromium'
const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333'
const HOSTILE = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'

/** A 640x480 screen of one colour with a bar: stands in for a boot diagnostics screenshot. */
function screen(r: number, g: number, b: number): Buffer {
  const png = new PNG({height: 480, width: 640})
  for (let i = 0; i < 640 * 480; i++) {
    const bar = i % 640 < 320 && Math.floor(i / 640) < 40
    png.data.set(bar ? [255, 255, 255, 255] : [r, g, b, 255], i * 4)
  }

  return PNG.sync.write(png)
}

describe('bootdiag report --html in Chromium', function () {
  this.timeout(120_000)
  let context: BrowserContext
  let dir: string
  let profile: string

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`  notice: ${CHROMIUM} is absent, so the fleet report page is not checked in a browser.`)
      this.skip()
    }

    ensureBuilt()
    profile = await mkdtemp(join(tmpdir(), 'bootdiag-chromium-profile-'))
    context = await chromium.launchPersistentContext(profile, {
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      executablePath: CHROMIUM,
      headless: true,
      viewport: {height: 900, width: 1280},
    })
    dir = await mkdtemp(join(tmpdir(), 'bootdiag-report-html-'))
  })

  after(async () => {
    await context?.close()
    if (profile) await rm(profile, {force: true, recursive: true})
    if (dir) await rm(dir, {force: true, recursive: true})
  })

  it('given an archive of a small fleet, when the CLI writes the page and Chromium opens it, then it renders cleanly, offline, with its content', async () => {
    // Given three VMs: one that turned to a panic, one healthy, one whose verdict text is hostile
    const archive = join(dir, 'archive')
    const store = new LocalArchiveStore(archive)
    const vm = (name: string): TestVm => ({name, resourceGroup: 'rg-web', subscriptionId: SUB})
    const lock = await store.lock({})
    await commitSnapshot(store, vm('web-01'), {
      analysis: BOOTED,
      log: 'a\n',
      png: screen(0, 0, 0),
      screenshot: 'a',
      takenAt: '2026-11-25T10:00:00Z',
    })
    await commitSnapshot(store, vm('web-01'), {
      analysis: PANIC,
      log: 'a\nb\n',
      png: screen(120, 0, 0),
      screenshot: 'b',
      takenAt: '2026-11-25T10:30:00Z',
    })
    await commitSnapshot(store, vm('web-02'), {
      analysis: PANIC,
      log: 'c\n',
      png: screen(120, 0, 0),
      screenshot: 'b',
      takenAt: '2026-11-25T10:30:00Z',
    })
    await commitSnapshot(store, vm('db-01'), {
      analysis: BOOTED,
      log: 'd\n',
      png: screen(0, 0, 90),
      screenshot: 'c',
      takenAt: '2026-11-25T10:00:00Z',
    })
    await commitSnapshot(store, vm('evil-01'), {
      analysis: {lastStage: 'kernel', outcome: 'kernel-panic', signature: `kernel-panic: ${HOSTILE}`, summary: HOSTILE},
      log: 'e\n',
      takenAt: '2026-11-25T10:30:00Z',
    })
    await lock.release()

    // When the CLI writes the page
    const page = join(dir, 'fleet.html')
    const cli = await runBootdiag(['report', '--html', page, '-o', 'none'], {env: {BOOTDIAG_ARCHIVE: archive}})
    expect(cli.exitCode, cli.stderr).to.equal(0)
    expect(cli.stderr).to.equal(`HTML report written to ${page}\n`)

    // And Chromium opens it
    const problems = {console: [] as string[], errors: [] as string[], requests: [] as string[]}
    const tab = await context.newPage()
    tab.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.console.push(m.text()))
    tab.on('pageerror', (e) => problems.errors.push(e.message))
    tab.on('request', (r) => problems.requests.push(r.url()))
    tab.on('dialog', (d) => {
      problems.errors.push(`dialog: ${d.message()}`)
      void d.dismiss()
    })
    await tab.goto(pathToFileURL(page).href, {waitUntil: 'load'})

    // Then nothing went wrong and nothing was fetched
    expect(problems).to.deep.equal({console: [], errors: [], requests: [pathToFileURL(page).href]})
    expect(await tab.title()).to.equal('bootdiag fleet report — 4 VMs')
    expect(await tab.evaluate('document.querySelectorAll("script").length')).to.equal(0)

    // And the overview, the groups, a row per VM with its thumbnail, state, since, and a timeline show
    expect(await tab.locator('section.overview li').allTextContents()).to.deep.equal(['3 kernel-panic', '1 booted'])
    expect(await tab.locator('section.groups tbody tr').count()).to.equal(2)
    expect(await tab.locator('section.groups tbody tr').first().locator('td').allTextContents()).to.deep.equal([
      PANIC.signature,
      '2',
      '2026-11-25 10:30Z',
      'web-01 (rg-web), web-02 (rg-web)',
    ])
    const rows = tab.locator('table.vms tr.vm')
    expect(await rows.count()).to.equal(4)
    const web = rows.filter({has: tab.locator('strong', {hasText: /^web-01$/})})
    expect(await web.locator('.state').textContent()).to.equal('kernel-panic')
    expect(await web.locator('td').nth(3).textContent()).to.equal('2026-11-25 10:30Z')
    expect(await web.locator('svg.timeline rect').count()).to.equal(2)
    const thumb = web.locator('td.thumb img')
    expect(await thumb.isVisible()).to.equal(true)
    expect(
      await thumb.evaluate((img) => [
        (img as unknown as {complete: boolean}).complete,
        (img as unknown as {naturalWidth: number}).naturalWidth,
      ]),
    ).to.deep.equal([true, 160])
    expect(await tab.locator('td.thumb img').count()).to.equal(3)
    // the hostile text is shown as text
    expect(
      await rows
        .filter({has: tab.locator('strong', {hasText: /^evil-01$/})})
        .locator('.sig')
        .textContent(),
    ).to.equal(`kernel-panic: ${HOSTILE}`)

    const png = join(dir, 'fleet.png')
    await tab.screenshot({fullPage: true, path: png})
    console.log(`  screenshot of the fleet report: ${png}`)
    await tab.close()
  })
})
