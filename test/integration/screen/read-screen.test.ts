/**
 * readScreen's paths: a blank screen and a text console never start the OCR engine; a console reading
 * is classified as console text; what the console reader refuses goes to OCR; the shared engine works
 * offline and writes nothing (no model cache in the working directory) and can be ended at once.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {closeSharedOcrEngine, readScreen, type ConsoleReader, type OcrEngine} from '../../../src/screen/index.js'

const rendered = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'screens', 'rendered')
const screen = (name: string) => readFileSync(join(rendered, name))

/** An OCR engine that fails the test when used. */
const noOcr: OcrEngine = {
  recognize: () => Promise.reject(new Error('OCR was started for a screen that does not need it')),
  terminate: async () => {},
}

const consoleShowing =
  (...texts: string[]): ConsoleReader =>
  () => ({
    background: [0, 0, 0],
    cell: {height: 10, width: 5, x0: 0, y0: 0},
    columns: 128,
    confidence: 0.97,
    cursor: null,
    font: 'vga8x16',
    foreground: [172, 170, 172],
    geometry: '1024x768',
    lines: texts.map((text, row) => ({confidence: 0.97, row, text})),
    rows: 48,
  })

describe('readScreen', function () {
  this.timeout(60_000)

  it('a blank screen is blank, read without OCR', async () => {
    const reading = await readScreen(screen('blank-black.png'), {console: null, ocr: noOcr})
    expect(reading).to.include({kind: 'blank', os: 'unknown', reader: 'none', state: 'unknown'})
    expect(reading.summary).to.match(/^Blank screen \(all rgb\(/)
  })

  it('the Windows logo alone is Windows booting, read without OCR', async () => {
    const reading = await readScreen(screen('win-booting-logo.png'), {console: null, ocr: noOcr})
    expect(reading).to.include({kind: 'win-booting', reader: 'none', state: 'in-progress'})
  })

  it('a text console is classified from the console reader’s text, without OCR', async () => {
    const reading = await readScreen(screen('linux-kernel-panic-vfs.png'), {
      console: consoleShowing(
        '[    1.914410] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
      ),
      ocr: noOcr,
    })
    expect(reading).to.include({kind: 'linux-kernel-panic', reader: 'console-font', state: 'failed'})
    expect(reading.evidence?.map((item) => item.match)).to.include('panic-vfs-unable-to-mount-root')
  })

  it('what the console reader refuses is read by OCR', async () => {
    let pages = 0
    const counting: OcrEngine = {
      recognize: async () => {
        pages++
        return []
      },
      terminate: async () => {},
    }
    const reading = await readScreen(screen('win-bitlocker-recovery.png'), {console: () => null, ocr: counting})
    expect(pages).to.equal(1)
    expect(reading).to.include({kind: 'unknown', reader: 'ocr'})
  })

  it('the shared engine reads offline and writes no model cache in the working directory', async () => {
    const cache = join(process.cwd(), 'eng.traineddata')
    const reading = await readScreen(screen('win-bootmgr-missing.png'), {console: null})
    expect(reading.kind).to.equal('win-bootmgr-missing')
    await closeSharedOcrEngine()
    expect(existsSync(cache)).to.equal(false)
  })
})
