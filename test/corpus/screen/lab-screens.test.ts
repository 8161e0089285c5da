import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {readConsoleText} from '../../../src/screen/console/index.js'
import {
  characterErrorRate,
  kernelRows,
  kernelTextOnScreen,
  LAB_SCREENS,
  linesOf,
  loadImage,
} from '../../unit/screen/console/helpers.js'

interface Sidecar {
  kind: string
  os: string
  codes: string[]
  healthy: boolean | 'unknown'
  transcript: string[]
  ground_truth: 'serial' | 'screendump'
  geometry: string
  font: string
  made_by: string
  cursor: {row: number; column: number} | null
}

const screens = readdirSync(LAB_SCREENS)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    name: file.replace(/\.json$/, ''),
    sidecar: JSON.parse(readFileSync(join(LAB_SCREENS, file), 'utf8')) as Sidecar,
  }))

describe('screen console: the lab screens (test/fixtures/screens/lab), shrunk the Azure way', () => {
  it('has a screen of every Linux console kind', () => {
    const kinds = new Set(screens.map((s) => s.sidecar.kind))
    for (const kind of [
      'linux-login-prompt',
      'linux-kernel-panic',
      'linux-emergency',
      'linux-initramfs-shell',
      'linux-grub-menu',
      'linux-grub-rescue',
      'linux-grub-shell',
      'linux-grub-error',
      'linux-console',
    ]) {
      expect([...kinds], kind).to.include(kind)
    }
  })

  for (const {name, sidecar} of screens) {
    describe(`${name} (${sidecar.kind}, ${sidecar.geometry})`, () => {
      const read = () => readConsoleText(loadImage(join(LAB_SCREENS, `${name}.png`)))

      it('is read in the font and geometry it was made with, with at most 2% character errors against its transcript', () => {
        const reading = read()
        expect(reading?.font).to.equal(sidecar.font)
        expect(reading?.geometry).to.equal(sidecar.geometry)
        const {errors, length, rate} = characterErrorRate(
          sidecar.transcript,
          linesOf(reading).filter((l) => l.trim()),
        )
        expect(rate, `${errors} errors in ${length} characters`).to.be.at.most(0.02)
        expect(reading?.cursor, 'the cursor').to.deep.equal(sidecar.cursor)
      })

      const serial = join(LAB_SCREENS, `${name}.serial.log`)
      if (sidecar.ground_truth === 'serial' && existsSync(serial)) {
        it('shows the kernel messages of the same boot as its serial log, with at most 2% character errors', () => {
          const reading = read()!
          const onScreen = kernelRows(reading.lines)
          const expected = kernelTextOnScreen(readFileSync(serial, 'utf8'), reading.columns, onScreen.length)
          const {errors, length, rate} = characterErrorRate(expected, onScreen)
          expect(length).to.be.above(500)
          expect(rate, `${errors} errors in ${length} characters`).to.be.at.most(0.02)
        })
      }
    })
  }
})
