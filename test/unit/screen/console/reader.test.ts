import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {azureShrink, readConsoleText, renderConsole, type Rgb} from '../../../../src/screen/console/index.js'
import {consoleFont, consoleFonts} from '../../../../src/screen/fonts/index.js'
import type {RgbaImage} from '../../../../src/screen/image.js'
import {seededRandom} from '../../../helpers/random.js'
import {
  characterErrorRate,
  GLYPHS_TXT,
  LAB_SCREENS,
  linesOf,
  loadImage,
  needsSharedScreens,
  SHARED_SCREENS,
} from './helpers.js'

const GREY: Rgb = [170, 170, 170]
const BLACK: Rgb = [0, 0, 0]

function solid(width: number, height: number, [r, g, b]: Rgb): RgbaImage {
  const data = Buffer.alloc(width * height * 4)
  for (let p = 0; p < width * height; p++) data.set([r, g, b, 255], p * 4)
  return {data, height, width}
}

describe('screen console: reading a text console', () => {
  describe('the raw Azure captures (../shared/screens/azure-raw)', function () {
    needsSharedScreens(this)
    const labels = () =>
      JSON.parse(readFileSync(join(SHARED_SCREENS, 'azure-raw', 'labels.json'), 'utf8')) as Array<{
        file: string
        transcript_last_lines: string[]
      }>

    it('reads the Debian 11 login prompt of a 1024x768 framebuffer (5x10 cells) without an error', () => {
      const label = labels().find((l) => l.file === 'linux-login-debian11-tty1.png')!
      const reading = readConsoleText(loadImage(join(SHARED_SCREENS, 'azure-raw', label.file)))
      expect(reading?.font).to.equal('vga8x16')
      expect(reading?.cell).to.deep.equal({height: 10, width: 5, x0: 0, y0: 0})
      expect([reading?.columns, reading?.rows]).to.deep.equal([128, 48])
      expect(characterErrorRate(label.transcript_last_lines, linesOf(reading).slice(-2)).rate).to.equal(0)
      expect(reading!.confidence).to.be.above(0.95)
    })

    it('reads the appliance console of a 1152x864 framebuffer (4.44x8.89 cells), its inverse-video status bar included', () => {
      const label = labels().find((l) => l.file === 'linux-appliance-sonicwall-console.png')!
      const reading = readConsoleText(loadImage(join(SHARED_SCREENS, 'azure-raw', label.file)))
      expect(reading?.geometry).to.equal('1152x864')
      expect([reading?.columns, reading?.rows]).to.deep.equal([144, 54])
      const read = linesOf(reading).slice(-5)
      expect(characterErrorRate(label.transcript_last_lines, read).rate).to.be.at.most(0.02)
      expect(read.at(-1)).to.match(
        /^SonicWall \(c\) 2024 \| Uptime 2 minutes {20,}\[Ctrl-s spacebar\] to switch console$/,
      )
    })
  })

  describe('graphical screens (../shared/screens, Windows) stretched to a 640x480 screenshot', function () {
    needsSharedScreens(this)

    it('are not text consoles: every one gives null', () => {
      const files = readdirSync(SHARED_SCREENS).filter((f) => f.startsWith('win-') && f.endsWith('.png'))
      expect(files.length).to.be.above(10)
      for (const file of files) {
        const src = loadImage(join(SHARED_SCREENS, file))
        const data = Buffer.alloc(640 * 480 * 4)
        for (let y = 0; y < 480; y++) {
          for (let x = 0; x < 640; x++) {
            const from = (Math.floor((y * src.height) / 480) * src.width + Math.floor((x * src.width) / 640)) * 4
            src.data.copy(data, (y * 640 + x) * 4, from, from + 4)
          }
        }

        expect(readConsoleText({data, height: 480, width: 640}), file).to.equal(null)
        expect(readConsoleText(src), `${file} as published`).to.equal(null)
      }
    })
  })

  describe('glyph sheets captured on lab consoles, shrunk the Azure way', () => {
    const sheet = readFileSync(GLYPHS_TXT, 'utf8').trimEnd().split('\n')
    // the UEFI console prints nothing for ▒, ■, ● and •, which it has no glyphs for
    for (const [file, font, geometry, skipped] of [
      ['fb-glyphs-vga.png', 'vga8x16', '1024x768', ''],
      ['fb-glyphs-fixed.png', 'fixed8x16', '1024x768', ''],
      ['fb-glyphs-terminus.png', 'terminus8x16', '1024x768', ''],
      ['text-glyphs.png', 'vga9x16', '720x400 text mode', ''],
      ['efi-glyphs.png', 'efi8x19', '1024x768 UEFI 100x31', '▒■●•'],
    ] as const) {
      it(`tells the ${font} font on a ${geometry} screen and reads back every character it can show`, () => {
        const reading = readConsoleText(loadImage(join(LAB_SCREENS, file)))
        expect(reading?.font).to.equal(font)
        expect(reading?.geometry).to.equal(geometry)
        // cell for cell; what the font cannot show (Fixed draws ═ as ─) and what the reader does not
        // match (blocks, shades) is left out
        const known = new Set(consoleFont(font).chars)
        const rows = reading!.lines
        let cells = 0
        let errors = 0
        sheet.forEach((line, r) => {
          const read = [...(rows.find((l) => l.row === r)?.text ?? '')]
          ;[...line]
            .filter((ch) => !skipped.includes(ch))
            .forEach((ch, c) => {
              if (!known.has(ch)) return
              cells++
              if (read[c] !== ch) errors++
            })
        })
        expect(cells).to.be.above(100)
        expect(errors / cells).to.be.at.most(0.02)
      })
    }
  })

  describe('screens rendered with the shipped fonts', () => {
    it('reads white on blue, the colours of a Boot Manager-like text screen, on a VGA text mode screen', () => {
      const lines = ['Windows Boot Manager', 'Status: 0xc000000f', 'Info: The boot selection failed.']
      const screen = renderConsole({
        background: [0, 0, 170],
        cellWidth: 9,
        font: consoleFont('vga9x16'),
        foreground: [255, 255, 255],
        height: 400,
        lines: lines.map((text, i) => ({column: 2, row: 3 + i * 2, text})),
        width: 720,
      })
      const reading = readConsoleText(azureShrink(screen))
      expect(reading?.geometry).to.equal('720x400 text mode')
      expect(linesOf(reading).map((l) => l.trim())).to.deep.equal(lines)
      expect(reading?.background).to.deep.equal([0, 0, 172])
    })

    it('reads a GRUB-like menu whose highlighted entry is inverse video, box drawing included', () => {
      const width = 60
      const menu = [
        {text: '┌' + '─'.repeat(width) + '┐'},
        {background: GREY, foreground: BLACK, text: '*Debian GNU/Linux'.padEnd(width)},
        {text: ' Advanced options for Debian GNU/Linux'.padEnd(width)},
        {text: '└' + '─'.repeat(width) + '┘'},
      ]
      const screen = renderConsole({
        background: BLACK,
        cellWidth: 9,
        font: consoleFont('vga9x16'),
        foreground: GREY,
        height: 400,
        lines: [
          {column: 27, row: 1, text: 'GNU GRUB  version 2.06'},
          {column: 2, row: 3, text: menu[0].text},
          {background: GREY, column: 3, foreground: BLACK, row: 4, text: menu[1].text},
          {column: 3, row: 5, text: menu[2].text},
          {column: 2, row: 6, text: menu[3].text},
        ],
        width: 720,
      })
      const reading = readConsoleText(azureShrink(screen))
      const read = linesOf(reading).map((l) => l.trim())
      expect(read).to.deep.equal([
        'GNU GRUB  version 2.06',
        menu[0].text,
        '*Debian GNU/Linux',
        'Advanced options for Debian GNU/Linux',
        menu[3].text,
      ])
    })

    for (const [width, height] of [
      [1024, 768],
      [1152, 864],
      [800, 600],
    ] as const) {
      it(`finds the cell grid of a ${width}x${height} console in the 640x480 screenshot`, () => {
        const lines = ['[    2.456789] EXT4-fs (sda1): mounted filesystem with ordered data mode.', 'localhost login: ']
        const screen = renderConsole({
          background: BLACK,
          font: consoleFont('vga8x16'),
          foreground: GREY,
          height,
          lines: lines.map((text, i) => ({row: 10 + i, text})),
          width,
        })
        const reading = readConsoleText(azureShrink(screen))
        expect(reading?.geometry).to.equal(`${width}x${height}`)
        expect(linesOf(reading)).to.deep.equal(lines.map((l) => l.trimEnd()))
        expect(reading?.lines.map((l) => l.row)).to.deep.equal([10, 11])
      })
    }

    it('reads the UEFI console (8x19 cells, the text mode centred on the display) on a 1024x768 screen', () => {
      const lines = [
        'BdsDxe: failed to load Boot0001 "UEFI QEMU HARDDISK QM00001 ": Not Found',
        '>>Start PXE over IPv4.',
      ]
      const screen = renderConsole({
        background: BLACK,
        font: consoleFont('efi8x19'),
        foreground: GREY,
        height: 768,
        lines: lines.map((text, i) => ({row: 1 + i, text})),
        originX: 112,
        originY: 89,
        width: 1024,
      })
      const reading = readConsoleText(azureShrink(screen))
      expect(reading?.geometry).to.equal('1024x768 UEFI 100x31')
      expect(reading?.font).to.equal('efi8x19')
      expect(linesOf(reading)).to.deep.equal(lines)
      expect(reading?.lines.map((l) => l.row)).to.deep.equal([1, 2])
    })

    it("tells the console's underline cursor from an underscore, and says where it is", () => {
      const screen = renderConsole({
        background: BLACK,
        font: consoleFont('vga8x16'),
        foreground: GREY,
        height: 768,
        lines: [{row: 5, text: 'grub rescue> ls_'}],
        width: 1024,
      })
      // fbcon's cursor: the cell's two bottom rows, after the prompt's space
      for (let y = 5 * 16 + 14; y < 5 * 16 + 16; y++) {
        for (let x = 17 * 8; x < 18 * 8; x++) screen.data.set([...GREY, 255], (y * 1024 + x) * 4)
      }

      const reading = readConsoleText(azureShrink(screen))
      expect(linesOf(reading)).to.deep.equal(['grub rescue> ls_'])
      expect(reading?.cursor).to.deep.equal({column: 17, row: 5})
    })

    it('reads a BIOS text screen drawn with the IBM VGA shapes in 9-pixel cells (line graphics in the ninth column)', () => {
      const lines = ['BOOTMGR is missing', 'Press Ctrl+Alt+Del to restart', '╔══════╗', '║ MENU ║', '╚══════╝']
      const screen = renderConsole({
        background: BLACK,
        cellWidth: 9,
        font: consoleFont('vga8x16'),
        foreground: GREY,
        height: 400,
        lines: lines.map((text, row) => ({row, text})),
        width: 720,
      })
      const reading = readConsoleText(azureShrink(screen))
      expect(reading?.geometry).to.equal('720x400 text mode')
      expect(reading?.font).to.equal('vga8x16')
      expect(linesOf(reading)).to.deep.equal(lines)
    })

    it('reads a screen that was not shrunk (a 1024x768 screendump) cell for cell', () => {
      const text = 'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)'
      const screen = renderConsole({
        background: BLACK,
        font: consoleFont('vga8x16'),
        foreground: GREY,
        height: 768,
        lines: [{row: 47, text}],
        width: 1024,
      })
      const reading = readConsoleText(screen)
      expect(reading?.cell).to.deep.equal({height: 16, width: 8, x0: 0, y0: 0})
      expect(linesOf(reading)).to.deep.equal([text])
    })

    it('every shipped font reads itself back at 1024x768', () => {
      for (const font of consoleFonts().filter((f) => f.width === 8 && f.height === 16)) {
        const text = font.chars.filter((ch) => ch.charCodeAt(0) < 128).join('')
        const screen = renderConsole({
          background: BLACK,
          font,
          foreground: GREY,
          height: 768,
          lines: [{row: 0, text}],
          width: 1024,
        })
        const reading = readConsoleText(azureShrink(screen))
        expect(reading?.font, font.name).to.equal(font.name)
        expect(characterErrorRate([text], linesOf(reading)).rate, font.name).to.be.at.most(0.02)
      }
    })
  })

  describe('what is not a text console', () => {
    it('gives null for a blank screen', () => {
      expect(readConsoleText(solid(640, 480, BLACK))).to.equal(null)
      expect(readConsoleText(solid(640, 480, [0, 0, 170]))).to.equal(null)
    })

    it('gives null for noise and for a smooth photo-like gradient', () => {
      const next = seededRandom(13)
      const noise = solid(640, 480, BLACK)
      for (let i = 0; i < noise.data.length; i++) if (i % 4 !== 3) noise.data[i] = Math.floor(next() * 256)
      expect(readConsoleText(noise)).to.equal(null)
      const gradient = solid(640, 480, BLACK)
      for (let y = 0; y < 480; y++) {
        for (let x = 0; x < 640; x++)
          gradient.data.set([(x * 255) / 640, (y * 255) / 480, ((x + y) * 255) / 1120, 255], (y * 640 + x) * 4)
      }

      expect(readConsoleText(gradient)).to.equal(null)
    })

    it('gives null for images too small to hold a cell, and for short pixel buffers', () => {
      expect(readConsoleText(solid(4, 4, GREY))).to.equal(null)
      expect(readConsoleText({data: Buffer.alloc(10), height: 480, width: 640})).to.equal(null)
    })
  })
})
