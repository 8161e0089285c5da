import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {consoleFont} from '../../../../src/screen/fonts/index.js'
import {azureShrink, quantize565, renderConsole} from '../../../../src/screen/console/index.js'
import {sampleCoordinates} from '../../../../src/screen/console/shrink.js'
import type {RgbaImage} from '../../../../src/screen/image.js'
import {loadImage, needsSharedScreens, SHARED_SCREENS} from './helpers.js'

const VGA_GREY: [number, number, number] = [170, 170, 170]

/** root mean square difference of the red channel over rows [y0, y1), on the 0..255 scale */
function rms(a: RgbaImage, b: RgbaImage, y0: number, y1: number): number {
  let sum = 0
  let n = 0
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < a.width; x++) {
      const d = a.data[(y * a.width + x) * 4] - b.data[(y * b.width + x) * 4]
      sum += d * d
      n++
    }
  }

  return Math.sqrt(sum / n)
}

/** the first image row with any ink at or below y */
function firstInkRow(image: RgbaImage, from: number): number {
  for (let y = from; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) if (image.data[(y * image.width + x) * 4] > 40) return y
  }

  return -1
}

describe('screen console: Azure shrink', () => {
  it('keeps RGB565 colours as Azure stores them: VGA grey 170 becomes (172, 170, 172)', () => {
    expect([quantize565(170, 5), quantize565(170, 6), quantize565(170, 5)]).to.deep.equal([172, 170, 172])
    expect([quantize565(0, 5), quantize565(255, 6)]).to.deep.equal([0, 255])
  })

  it('samples 1024 columns into 640 two points a pixel, half a source pixel inside its footprint', () => {
    const xs = sampleCoordinates(1024, 640)
    // 1.6009·X + {0.2, 0.8}: every 8 source columns become 5 image columns (one character cell)
    expect([...xs.slice(0, 10)]).to.deep.equal([0, 0, 1, 2, 3, 4, 5, 5, 6, 7])
    expect([xs[1278], xs[1279]]).to.deep.equal([1023, 1023])
  })

  it('makes a 1024x768 console 640x480 with 5x10-pixel cells', () => {
    const font = consoleFont('vga8x16')
    const screen = renderConsole({
      background: [0, 0, 0],
      font,
      foreground: VGA_GREY,
      height: 768,
      lines: [{row: 2, text: '#'}],
      width: 1024,
    })
    const small = azureShrink(screen)
    expect([small.width, small.height]).to.deep.equal([640, 480])
    // the '#' of row 2 stays inside image rows 20..29 and columns 0..4
    for (let y = 0; y < 480; y++) {
      for (let x = 0; x < 640; x++) {
        if (small.data[(y * 640 + x) * 4] > 0) {
          expect(y).to.be.within(20, 29)
          expect(x).to.be.within(0, 4)
        }
      }
    }
  })

  describe('against the raw Azure captures (../shared/screens/azure-raw)', function () {
    needsSharedScreens(this)

    it('reproduces the Debian 11 login screen from the kernel VGA font at 1024x768, up to RGB565 rounding', () => {
      const capture = loadImage(join(SHARED_SCREENS, 'azure-raw', 'linux-login-debian11-tty1.png'))
      const labels = JSON.parse(readFileSync(join(SHARED_SCREENS, 'azure-raw', 'labels.json'), 'utf8')) as Array<{
        file: string
        transcript_last_lines: string[]
      }>
      const [issue, login] = labels.find((l) => l.file === 'linux-login-debian11-tty1.png')!.transcript_last_lines
      // the two lines sit in the text rows where the capture has ink (cells are 10 pixels high)
      const row1 = Math.floor(firstInkRow(capture, 0) / 10)
      const row2 = Math.floor(firstInkRow(capture, (row1 + 1) * 10) / 10)
      const screen = renderConsole({
        background: [0, 0, 0],
        font: consoleFont('vga8x16'),
        foreground: VGA_GREY,
        height: 768,
        lines: [
          {row: row1, text: issue},
          {row: row2, text: login},
        ],
        width: 1024,
      })
      const made = azureShrink(screen)
      expect(rms(made, capture, 0, 480)).to.be.below(1.5)
      expect(rms(made, capture, row1 * 10, row2 * 10 + 10)).to.be.below(3)
    })

    it('reproduces the 1152x864 appliance console (cells 4.44x8.89, pitch 4/5 and 8/9), up to RGB565 rounding', () => {
      const capture = loadImage(join(SHARED_SCREENS, 'azure-raw', 'linux-appliance-sonicwall-console.png'))
      // the four centred lines of the label, each placed where its ink starts
      const lines = [
        'Verifying Image',
        'Image Verification Done',
        'NSv requires a minimum of 2 ethernet adapters, currently 1 are configured',
        'Power down the virtual machine and attach the additional network adapters',
      ]
      const top = firstInkRow(capture, 0)
      const firstRow = Math.floor((top * 863) / 479 / 16)
      const placed = lines.map((text, i) => {
        const y = Math.floor(((firstRow + i) * 16 * 479) / 863) + 2
        let x = 0
        while (x < 640 && ![0, 1, 2, 3, 4, 5].some((dy) => capture.data[((y + dy) * 640 + x) * 4] > 40)) x++
        return {column: Math.floor((x * 1151) / 639 / 8), row: firstRow + i, text}
      })
      const made = azureShrink(
        renderConsole({
          background: [0, 0, 0],
          font: consoleFont('vga8x16'),
          foreground: VGA_GREY,
          height: 864,
          lines: placed,
          width: 1152,
        }),
      )
      const y0 = Math.floor((firstRow * 16 * 479) / 863)
      expect(rms(made, capture, y0, y0 + 36)).to.be.below(3)
    })
  })
})
