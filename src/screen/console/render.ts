/**
 * Draw console text with a bitmap font into a framebuffer, as the Linux framebuffer console (8-pixel
 * cells) or VGA text mode (9-pixel cells: the ninth column repeats the eighth for the line-drawing
 * characters, blank otherwise) would. Used to build the reader's templates and, in tests, to make
 * screens whose text is known.
 */
import type {ConsoleFont} from '../fonts/index.js'
import type {RgbaImage} from '../image.js'

export type Rgb = [number, number, number]

export interface ConsoleText {
  text: string
  row: number
  column?: number
  foreground?: Rgb
  background?: Rgb
}

export interface ConsoleScreen {
  /** framebuffer size in pixels */
  width: number
  height: number
  font: ConsoleFont
  /** cell width in pixels: the font's width, or 9 for VGA text mode */
  cellWidth?: number
  /** where the first cell starts (EFI consoles centre their text area) */
  originX?: number
  originY?: number
  foreground: Rgb
  background: Rgb
  lines: ConsoleText[]
}

/** VGA text mode repeats the eighth column into the ninth for these (CP437 0xC0-0xDF) */
const LINE_GRAPHICS = new Set([...'└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀'])

export function renderConsole(screen: ConsoleScreen): RgbaImage {
  const {font, height, width} = screen
  const cellWidth = screen.cellWidth ?? font.width
  const originX = screen.originX ?? 0
  const originY = screen.originY ?? 0
  const data = Buffer.alloc(width * height * 4)
  fill(data, 0, 0, width, height, width, screen.background)
  for (const line of screen.lines) {
    const fg = line.foreground ?? screen.foreground
    const bg = line.background ?? screen.background
    const y0 = originY + line.row * font.height
    let x0 = originX + (line.column ?? 0) * cellWidth
    for (const ch of line.text) {
      if (x0 + cellWidth > width || y0 + font.height > height) break
      fill(data, x0, y0, cellWidth, font.height, width, bg)
      const glyph = ch === ' ' ? undefined : (font.glyphOf(ch) ?? font.glyphOf('?'))
      if (glyph) {
        const ninth = cellWidth > font.width && LINE_GRAPHICS.has(ch)
        for (let y = 0; y < font.height; y++) {
          for (let x = 0; x < cellWidth; x++) {
            const gx = x < font.width ? x : ninth ? font.width - 1 : -1
            if (gx >= 0 && glyph[y * font.width + gx]) setPixel(data, x0 + x, y0 + y, width, fg)
          }
        }
      }

      x0 += cellWidth
    }
  }

  return {data, height, width}
}

function fill(data: Buffer, x0: number, y0: number, w: number, h: number, stride: number, color: Rgb): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) setPixel(data, x, y, stride, color)
}

function setPixel(data: Buffer, x: number, y: number, stride: number, [r, g, b]: Rgb): void {
  const o = (y * stride + x) * 4
  data[o] = r
  data[o + 1] = g
  data[o + 2] = b
  data[o + 3] = 255
}
