/**
 * Glyph templates: each glyph of a font as a cell of the screenshot shows it, i.e. rendered into its
 * cell and sampled the way the shrink samples (shrink.ts), per distinct sampling pattern (a 1024x768
 * screen has one pattern; 1152x864 and text mode a few). Built on first use and kept for the process.
 */
import type {ConsoleFont} from '../fonts/index.js'
import type {AxisWindow} from './geometry.js'

/** VGA text mode repeats the eighth column into the ninth for these (CP437 0xC0-0xDF) */
const LINE_GRAPHICS = new Set([...'└┴┬├─┼╚╔╩╦╠═╬┘┌█'])

/** the text cursor's "character": an underline the console draws over an empty cell */
export const CURSOR = '\u0000'

/** underline cursors, as rows of the cell, by cell height: fbcon's and VGA text mode's; the UEFI console's */
const CURSOR_ROWS: Record<number, number[][]> = {
  16: [
    [14, 15],
    [13, 14],
  ],
  19: [[16, 17, 18]],
}

export interface TemplateBank {
  /** the characters, ' ' first; CURSOR for the cursor shapes */
  chars: string[]
  /** window size in pixels */
  width: number
  height: number
  /** chars.length * width * height ink values 0..1 */
  ink: Float32Array
  /** ink times weight, for the matcher's dot products */
  weightedInk: Float32Array
  /** per pixel: how much of its samples fall in this cell (0.25..1): pixels shared with a neighbour weigh less */
  weight: Float32Array
  /** per template: sum of weight * ink^2 */
  energy: Float32Array
}

const banks = new Map<string, TemplateBank>()

export function templateBank(font: ConsoleFont, cellWidth: number, x: AxisWindow, y: AxisWindow): TemplateBank {
  const key = `${font.name}/${cellWidth}/${x.key}/${y.key}`
  let bank = banks.get(key)
  if (!bank) {
    bank = buildBank(font, cellWidth, x, y)
    banks.set(key, bank)
  }

  return bank
}

function buildBank(font: ConsoleFont, cellWidth: number, xw: AxisWindow, yw: AxisWindow): TemplateBank {
  const width = xw.samples.length / 2
  const height = yw.samples.length / 2
  const size = width * height
  const cursors = CURSOR_ROWS[font.height] ?? []
  const chars = [' ', ...font.chars, ...cursors.map(() => CURSOR)]
  const glyphs = [
    ...font.glyphs,
    ...cursors.map((rows) => {
      const glyph = new Uint8Array(font.width * font.height)
      for (const y of rows) glyph.fill(1, y * font.width, (y + 1) * font.width)
      return glyph
    }),
  ]
  const ink = new Float32Array(chars.length * size)
  const weight = new Float32Array(size)
  const energy = new Float32Array(chars.length)
  const inX = (s: number) => s >= 0 && s < cellWidth
  const inY = (s: number) => s >= 0 && s < font.height
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let inside = 0
      for (let a = 0; a < 2; a++) {
        for (let b = 0; b < 2; b++) if (inX(xw.samples[px * 2 + a]) && inY(yw.samples[py * 2 + b])) inside++
      }

      weight[py * width + px] = inside / 4
    }
  }

  // per window pixel, the glyph column of each sample (-1: outside the cell, or the blank ninth column)
  const columnOf = (sx: number, ninth: boolean): number =>
    sx < 0 || sx >= cellWidth ? -1 : sx < font.width ? sx : ninth ? font.width - 1 : -1
  const rowsOf = Int32Array.from(yw.samples, (sy) => (inY(sy) ? sy * font.width : -1))
  const plain = Int32Array.from(xw.samples, (sx) => columnOf(sx, false))
  const extended = Int32Array.from(xw.samples, (sx) => columnOf(sx, true))
  for (let g = 1; g < chars.length; g++) {
    const glyph = glyphs[g - 1]
    const cols = cellWidth > font.width && (LINE_GRAPHICS.has(chars[g]) || chars[g] === CURSOR) ? extended : plain
    const base = g * size
    let e = 0
    for (let py = 0; py < height; py++) {
      const r0 = rowsOf[py * 2]
      const r1 = rowsOf[py * 2 + 1]
      for (let px = 0; px < width; px++) {
        const c0 = cols[px * 2]
        const c1 = cols[px * 2 + 1]
        let sum = 0
        if (r0 >= 0) {
          if (c0 >= 0) sum += glyph[r0 + c0]
          if (c1 >= 0) sum += glyph[r0 + c1]
        }

        if (r1 >= 0) {
          if (c0 >= 0) sum += glyph[r1 + c0]
          if (c1 >= 0) sum += glyph[r1 + c1]
        }

        const v = sum / 4
        ink[base + py * width + px] = v
        e += weight[py * width + px] * v * v
      }
    }

    energy[g] = e
  }

  const weightedInk = ink.map((v, i) => v * weight[i % size])
  return {chars, energy, height, ink, weight, weightedInk, width}
}
