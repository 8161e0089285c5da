import {expect} from 'chai'

import {azureShrink, readConsoleText, renderConsole} from '../../../../src/screen/console/index.js'
import {consoleFont} from '../../../../src/screen/fonts/index.js'
import type {RgbaImage} from '../../../../src/screen/image.js'
import {seededRandom} from '../../../helpers/random.js'

const COUNT = Number(process.env.FUZZ_COUNT ?? 60)

function randomImage(next: () => number): RgbaImage {
  const sizes = [640, 480, 720, 400, 1024, 768, 17, 33, 100, 641, 479]
  const width = next() < 0.7 ? sizes[Math.floor(next() * sizes.length)] : 16 + Math.floor(next() * 900)
  const height = next() < 0.7 ? sizes[Math.floor(next() * sizes.length)] : 16 + Math.floor(next() * 700)
  const data = Buffer.alloc(width * height * 4)
  const mode = Math.floor(next() * 4)
  for (let p = 0; p < width * height; p++) {
    const v =
      mode === 0
        ? Math.floor(next() * 256) // noise
        : mode === 1
          ? next() < 0.05
            ? 170
            : 0 // sparse specks on black, like text
          : mode === 2
            ? (p % width) * 3 // stripes
            : 0
    data.set([v & 255, (v * 7) & 255, (v * 13) & 255, 255], p * 4)
  }

  return {data, height, width}
}

describe('screen console: robustness', () => {
  it(`never throws on ${COUNT} random images (noise, specks, stripes, odd sizes), and gives null or a reading`, () => {
    const next = seededRandom(2026)
    for (let i = 0; i < COUNT; i++) {
      const image = randomImage(next)
      const reading = readConsoleText(image)
      if (reading) {
        expect(reading.confidence, `image ${i}`).to.be.within(0, 1)
        for (const line of reading.lines) expect(line.text.trimEnd()).to.equal(line.text)
      }
    }
  })

  it('reads console text with stray pixels scattered over it, and says it is less sure', () => {
    const text = 'EXT4-fs error (device sda1): ext4_find_entry:1456: inode #2: comm systemd: reading directory lblock 0'
    const screen = azureShrink(
      renderConsole({
        background: [0, 0, 0],
        font: consoleFont('vga8x16'),
        foreground: [170, 170, 170],
        height: 768,
        lines: [{row: 20, text}],
        width: 1024,
      }),
    )
    const clean = readConsoleText(screen)!
    const next = seededRandom(7)
    for (let i = 0; i < 40; i++) {
      const x = Math.floor(next() * text.length * 5)
      const y = 200 + Math.floor(next() * 10)
      screen.data.set([255, 255, 255, 255], (y * 640 + x) * 4)
    }

    const noisy = readConsoleText(screen)
    expect(noisy?.lines).to.have.length(1)
    let same = 0
    for (let i = 0; i < text.length; i++) if (noisy!.lines[0].text[i] === text[i]) same++
    expect(same / text.length).to.be.above(0.8)
    expect(noisy!.confidence).to.be.below(clean.confidence)
  })

  it('gives null for an image larger than any screen', () => {
    expect(readConsoleText({data: Buffer.alloc(4096 * 2049 * 4), height: 2049, width: 4096})).to.equal(null)
  })
})
