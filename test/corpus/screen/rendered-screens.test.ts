/**
 * The project's own rendered screens (test/fixtures/screens/rendered, made by generate.ts beside them)
 * for the kinds no shared screenshot shows: each gives its labelled kind, codes, state and percent, read
 * from PNG as the archive keeps it; a few also from BMP as Azure serves it (24-bit and RGB565). The OCR's
 * character errors on the rendered text are measured against the text drawn.
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {createOcrEngine, decodeImage, readScreen, type OcrEngine} from '../../../src/screen/index.js'
import {characterErrors, rgbaToBmp} from '../../helpers/screen-images.js'

interface Label {
  file: string
  kind: string
  codes: string[]
  healthy: boolean | 'unknown'
  percent: number | null
  text: string[]
}

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'screens', 'rendered')
const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Label[]
/** measured on these screens: OCR of rendered text, the fallback for what the console reader does not read */
const MAX_CHARACTER_ERROR_RATE = 0.05

describe('screen reader: rendered screens of every kind', function () {
  this.timeout(120_000)
  let engine: OcrEngine
  const errors = {errors: 0, length: 0}
  before(async () => {
    engine = await createOcrEngine()
  })
  after(async () => engine.terminate())

  for (const label of labels) {
    it(`${label.file}: ${label.kind}${label.codes.length > 0 ? `, ${label.codes.join(' ')}` : ''}`, async () => {
      const screen = await readScreen(readFileSync(join(dir, label.file)), {ocr: engine})
      const read = `read: ${JSON.stringify(screen.lines.map((line) => line.text))}`
      expect(screen.kind, read).to.equal(label.kind)
      expect(screen.codes, read).to.deep.equal(label.codes)
      expect(screen.percent, read).to.equal(label.percent)
      if (label.healthy === true) expect(screen.state).to.equal('healthy')
      else if (label.healthy === false) expect(screen.state).to.equal('failed')
      else expect(screen.state).to.be.oneOf(['in-progress', 'unknown'])
      const measured = characterErrors(label.text.join('\n'), screen.lines.map((line) => line.text).join('\n'))
      errors.errors += measured.errors
      errors.length += measured.length
    })
  }

  it(`reads the rendered text with at most ${MAX_CHARACTER_ERROR_RATE * 100}% character errors overall`, function () {
    if (errors.length === 0) this.skip()
    const rate = errors.errors / errors.length
    console.log(
      `      OCR character errors on rendered screens: ${errors.errors} / ${errors.length} = ${(rate * 100).toFixed(2)}%`,
    )
    expect(rate).to.be.at.most(MAX_CHARACTER_ERROR_RATE)
  })

  for (const bpp of [24, 16] as const) {
    it(`reads the same screen from a ${bpp}-bit BMP as from its PNG`, async () => {
      const png = readFileSync(join(dir, 'win-bootmgr-missing.png'))
      const fromPng = await readScreen(png, {ocr: engine})
      const fromBmp = await readScreen(rgbaToBmp(decodeImage(png), bpp), {ocr: engine})
      expect(fromBmp.kind).to.equal('win-bootmgr-missing')
      expect(fromBmp.lines.map((line) => line.text)).to.deep.equal(fromPng.lines.map((line) => line.text))
    })
  }
})
