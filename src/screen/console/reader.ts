/**
 * Read a text console off a screenshot by matching its bitmap font: find the grid (try the geometries a
 * VM screen can have), classify every cell by its nearest glyph template, keep the font and geometry
 * that match best. Exact and fast for console text; graphical screens match badly and give null.
 */
import {type ConsoleFont, consoleFonts} from '../fonts/index.js'
import type {RgbaImage} from '../image.js'
import {type AxisWindow, axisWindows, candidateGeometries, type Geometry} from './geometry.js'
import {CURSOR, type TemplateBank, templateBank} from './templates.js'

export type Rgb = [number, number, number]

export interface ConsoleLine {
  text: string
  /** 0..1 */
  confidence: number
  /** cell row */
  row: number
}

export interface ConsoleReading {
  /** which glyph set matched, e.g. 'vga8x16' */
  font: string
  /** cell size and origin in image pixels */
  cell: {width: number; height: number; x0: number; y0: number}
  columns: number
  rows: number
  /** non-empty text rows, top to bottom: trailing spaces trimmed, leading ones kept (they give the column); rows no glyph matches (a logo) left out */
  lines: ConsoleLine[]
  /** mean over the characters read */
  confidence: number
  background: Rgb
  foreground: Rgb
  /** the screen the text was on before Azure shrank it, e.g. '1024x768' or '720x400 text mode' */
  geometry: string
  /** where the text cursor (an underline in an empty cell) is, when the screenshot caught it lit */
  cursor: {row: number; column: number} | null
}

/** a cell is blank when nothing in it is further than this from its background (RGB distance) */
const INK_THRESHOLD = 40
/** mean squared error (in units of the screen's contrast) at which a character's confidence reaches 0 */
const ERROR_AT_ZERO_CONFIDENCE = 0.06
/** rows read with less confidence than this are left out: a logo or picture drawn over the text */
const MIN_LINE_CONFIDENCE = 0.25
/** below this mean confidence the image is not a text console */
const MIN_CONSOLE_CONFIDENCE = 0.55
const MAX_PIXELS = 2048 * 2048
/** cells sampled to compare geometries, then fonts */
const GEOMETRY_SAMPLE_CELLS = 32
const FONT_SAMPLE_CELLS = 64
/** a sample score above this: the image is not a text console (see readConsoleText) */
const NOT_A_CONSOLE = 0.4
/** a sample score this low: the font explains the cells exactly but for RGB565 rounding */
const EXACT = 0.02

interface Grid {
  geometry: Geometry
  /** per pixel: distance from the screen's background colour */
  ink: Float32Array
  xs: AxisWindow[]
  ys: AxisWindow[]
  /** per cell (row-major): background colour index into `colours`, or -1 when the cell is blank */
  cellBackground: Int32Array
  colours: Rgb[]
  /** per colour: the largest distance from it seen in any cell with that background (the screen's contrast) */
  contrast: number[]
  /** indices of cells with ink */
  inked: number[]
  /** classifications already made, by font, template bank, background and the cell's pixels */
  memo: Map<string, Match>
  /** scratch: the cell's distances from its background */
  scratch: Float32Array
}

interface Match {
  char: string
  /** mean squared error per pixel, in units of the screen's contrast */
  error: number
  /** the share of the cell's ink the glyph leaves unexplained (0: exact, 1: nothing explained) */
  unexplained: number
}

export function readConsoleText(image: RgbaImage): ConsoleReading | null {
  if (image.width < 16 || image.height < 16 || image.data.length < image.width * image.height * 4) return null
  // a screen is at most a few megapixels (Azure's screenshots are 640x480); anything larger is no console
  if (image.width * image.height > MAX_PIXELS) return null
  const background = dominantColour(image)
  const stats = imageStats(image, background)
  const fonts = consoleFonts()
  const grids = candidateGeometries(image.width, image.height).map((g) => buildGrid(image, stats, g, background))
  if (grids.every((g) => g.inked.length === 0)) return null

  // the geometries with the VGA font (the default nearly everywhere) on a few cells; then every font on
  // the best geometry, and on the second best unless the best explains its cells all but exactly (a
  // thin font can make the VGA font prefer a wrong grid)
  // (plus the share of the screen's ink outside the grid: a smaller text mode centred inside a bigger
  // one fits the same cells, but not all of the text)
  const allInk = stats.count(stats.inked, 0, 0, image.width, image.height)
  const ranked = grids
    .map((grid) => ({
      grid,
      score:
        sampleScore(image, grid, firstFitting(fonts, grid.geometry), GEOMETRY_SAMPLE_CELLS) +
        (allInk - inkInside(stats, grid)) / Math.max(1, allInk),
    }))
    .sort((a, b) => a.score - b.score)
  const shortlist = ranked[0].score < EXACT ? ranked.slice(0, 1) : ranked.slice(0, 2)
  let best = {font: fonts[0], grid: ranked[0].grid, score: Number.POSITIVE_INFINITY}
  for (const {grid} of shortlist) {
    for (const font of fonts) {
      if (!fits(font, grid.geometry)) continue
      const score = sampleScore(image, grid, font, FONT_SAMPLE_CELLS)
      if (score < best.score) best = {font, grid, score}
    }
  }

  // console text leaves at most a few percent of its ink unexplained (0.13 for a sheet of block glyphs
  // the fonts leave out); graphical screens, photos and noise 0.6 and more
  if (best.score > NOT_A_CONSOLE) return null
  return readGrid(image, best.grid, best.font)
}

/** how many ink pixels the grid's cells cover */
function inkInside(stats: ImageStats, grid: Grid): number {
  const first = {x: grid.xs[0], y: grid.ys[0]}
  const last = {x: grid.xs.at(-1)!, y: grid.ys.at(-1)!}
  const x0 = first.x.start
  const y0 = first.y.start
  const x1 = last.x.start + last.x.samples.length / 2
  const y1 = last.y.start + last.y.samples.length / 2
  return stats.count(stats.inked, x0, y0, x1 - x0, y1 - y0)
}

/** a font fits a grid whose cells are as high as its glyphs and at least as wide (VGA text mode adds a column) */
function fits(font: ConsoleFont, geometry: Geometry): boolean {
  return font.height === geometry.cellHeight && font.width <= geometry.cellWidth
}

function firstFitting(fonts: ConsoleFont[], geometry: Geometry): ConsoleFont {
  return fonts.find((font) => fits(font, geometry)) ?? fonts[0]
}

function readGrid(image: RgbaImage, grid: Grid, font: ConsoleFont): ConsoleReading | null {
  const {geometry} = grid
  const rows: string[][] = Array.from({length: geometry.rows}, () => Array.from({length: geometry.columns}, () => ' '))
  const confidence: number[][] = Array.from({length: geometry.rows}, () => [])
  let sum = 0
  let count = 0
  let cursor: ConsoleReading['cursor'] = null
  for (const cell of grid.inked) {
    const match = classify(image, grid, font, cell)
    const r = Math.floor(cell / geometry.columns)
    if (match.char === CURSOR) {
      // an underline that only roughly fits is a piece of a picture, not the cursor
      if (match.error < ERROR_AT_ZERO_CONFIDENCE / 4) cursor ??= {column: cell % geometry.columns, row: r}
      continue
    }

    rows[r][cell % geometry.columns] = match.char
    if (match.char === ' ') continue
    const c = Math.max(0, Math.min(1, 1 - match.error / ERROR_AT_ZERO_CONFIDENCE))
    confidence[r].push(c)
    sum += c
    count++
  }

  if (count === 0) return null
  const mean = sum / count
  if (mean < MIN_CONSOLE_CONFIDENCE) return null
  const lines: ConsoleLine[] = []
  for (let r = 0; r < geometry.rows; r++) {
    const text = rows[r].join('').trimEnd()
    if (!text) continue
    const cs = confidence[r]
    const lineConfidence = cs.reduce((a, b) => a + b, 0) / cs.length
    // a row no glyph matches is a picture on the text (a firmware logo), not text
    if (lineConfidence < MIN_LINE_CONFIDENCE) continue
    lines.push({confidence: round(lineConfidence), row: r, text})
  }

  const scaleX = image.width / geometry.sourceWidth
  const scaleY = image.height / geometry.sourceHeight
  return {
    background: grid.colours[0],
    cell: {
      height: round(geometry.cellHeight * scaleY),
      width: round(geometry.cellWidth * scaleX),
      x0: round(geometry.originX * scaleX),
      y0: round(geometry.originY * scaleY),
    },
    columns: geometry.columns,
    confidence: round(mean),
    cursor,
    font: font.name,
    foreground: foregroundColour(image, grid),
    geometry: geometry.name,
    lines,
    rows: geometry.rows,
  }
}

/** how much of the ink the best matches leave unexplained, over a sample of inked cells (lower is better) */
function sampleScore(image: RgbaImage, grid: Grid, font: ConsoleFont, cells: number): number {
  const n = grid.inked.length
  if (n === 0) return Number.POSITIVE_INFINITY
  const step = Math.max(1, n / cells)
  let sum = 0
  let count = 0
  for (let i = 0; i < n; i += step) {
    sum += classify(image, grid, font, grid.inked[Math.floor(i)]).unexplained
    count++
  }

  return sum / count
}

function buildGrid(image: RgbaImage, stats: ImageStats, geometry: Geometry, background: Rgb): Grid {
  const {ink} = stats
  const xs = axisWindows(geometry.sourceWidth, image.width, geometry.originX, geometry.cellWidth, geometry.columns)
  const ys = axisWindows(geometry.sourceHeight, image.height, geometry.originY, geometry.cellHeight, geometry.rows)
  const {columns, rows} = geometry
  const cells = columns * rows
  const colours: Rgb[] = [background]
  const contrast: number[] = [0]
  const cellBackground = new Int32Array(cells).fill(-1)
  /** per cell: how many of its pixels are the screen's background, and the largest distance from it (0: blank) */
  const same = new Int32Array(cells)
  const maxInk = new Float32Array(cells)
  /** per cell: the colour it is filled with when it is one colour other than the background (a bar), else -1 */
  const filled = new Int32Array(cells).fill(-1)
  const colourIndex = (rgb: Rgb): number => {
    let index = colours.findIndex((k) => k[0] === rgb[0] && k[1] === rgb[1] && k[2] === rgb[2])
    if (index < 0) {
      index = colours.length
      colours.push(rgb)
      contrast.push(0)
    }

    return index
  }

  const window = (cell: number) => {
    const xw = xs[cell % columns]
    const yw = ys[Math.floor(cell / columns)]
    return {h: yw.samples.length / 2, w: xw.samples.length / 2, x0: xw.start, y0: yw.start}
  }

  /** the pixels that see only this cell */
  const core = (cell: number) => {
    const xw = xs[cell % columns]
    const yw = ys[Math.floor(cell / columns)]
    return {
      h: yw.coreEnd - yw.coreStart,
      w: xw.coreEnd - xw.coreStart,
      x0: xw.start + xw.coreStart,
      y0: yw.start + yw.coreStart,
    }
  }

  for (let cell = 0; cell < cells; cell++) {
    const {h, w, x0, y0} = window(cell)
    if (stats.count(stats.inked, x0, y0, w, h) === 0) continue
    same[cell] = stats.count(stats.plain, x0, y0, w, h)
    maxInk[cell] = stats.maxInk
    const c = core(cell)
    if (c.w > 0 && c.h > 0 && stats.count(stats.plain, c.x0, c.y0, c.w, c.h) === 0) {
      const first = pixel(image, c.x0, c.y0)
      if (largestDistance(image, c.x0, c.y0, c.w, c.h, first) < INK_THRESHOLD / 2) filled[cell] = colourIndex(first)
    }
  }

  const rowHasFill = Array.from({length: rows}, (_, r) =>
    filled.subarray(r * columns, (r + 1) * columns).some((f) => f >= 0),
  )
  // A cell's background is the screen's unless the cell sits in a bar of another colour (inverse video,
  // a highlighted menu entry, a title bar): then it is the bar's colour, found in the nearest filled
  // cell of its row, when that colour is common in the cell too.
  const inked: number[] = []
  for (let cell = 0; cell < cells; cell++) {
    if (maxInk[cell] < INK_THRESHOLD || filled[cell] >= 0) continue
    const {h, w, x0, y0} = window(cell)
    let index = 0
    let max = maxInk[cell]
    // the bar's colour: the nearest filled cell's, else (a bar as wide as its text) the cell's commonest
    // colour when that is not the background and covers much of the cell
    let bar = rowHasFill[Math.floor(cell / columns)] ? nearestFilled(filled, cell, columns) : -1
    const c = core(cell)
    if (bar < 0 && c.w > 0 && c.h > 0 && same[cell] * 2 < w * h) {
      const [colour, count] = commonestColour(image, c.x0, c.y0, c.w, c.h, background)
      if (count >= 0.4 * c.w * c.h) bar = colourIndex(colour)
    }

    // on the bar when more of the cell is the bar's colour than the screen's background, and the cell's
    // top or bottom row is that colour nearly throughout, as a bar is above and below its glyphs (a
    // dense glyph such as ╬ beside a block █ is not inverse video)
    if (
      bar >= 0 &&
      c.w > 0 &&
      c.h > 0 &&
      share(image, x0, y0, w, h, colours[bar]) > same[cell] / (w * h) &&
      Math.max(
        share(image, c.x0, c.y0, c.w, 1, colours[bar]),
        share(image, c.x0, c.y0 + c.h - 1, c.w, 1, colours[bar]),
      ) >= 0.75
    ) {
      index = bar
      max = largestDistance(image, x0, y0, w, h, colours[bar])
    }

    contrast[index] = Math.max(contrast[index], max)
    if (max >= INK_THRESHOLD) {
      cellBackground[cell] = index
      inked.push(cell)
    }
  }

  return {
    cellBackground,
    colours,
    contrast,
    geometry,
    ink,
    inked,
    memo: new Map(),
    scratch: new Float32Array(1024),
    xs,
    ys,
  }
}

function classify(image: RgbaImage, grid: Grid, font: ConsoleFont, cell: number): Match {
  const {columns} = grid.geometry
  const xw = grid.xs[cell % columns]
  const yw = grid.ys[Math.floor(cell / columns)]
  const bank: TemplateBank = templateBank(font, grid.geometry.cellWidth, xw, yw)
  const colourIndex = grid.cellBackground[cell]
  const bg = grid.colours[colourIndex]
  const contrast = Math.max(grid.contrast[colourIndex], INK_THRESHOLD)
  const {data, width} = image
  const size = bank.width * bank.height
  if (grid.scratch.length < size) grid.scratch = new Float32Array(size)
  const d = grid.scratch
  let dd = 0
  let wsum = 0
  // cells that look alike pixel for pixel (the same character, the same sampling) are classified once
  let h1 = 0x811c9dc5
  let h2 = 0
  const onScreenBackground = colourIndex === 0
  for (let y = 0; y < bank.height; y++) {
    const row = (yw.start + y) * width + xw.start
    for (let x = 0; x < bank.width; x++) {
      const i = y * bank.width + x
      const v = onScreenBackground ? grid.ink[row + x] : distance(data, (row + x) * 4, bg)
      d[i] = v
      dd += bank.weight[i] * v * v
      wsum += bank.weight[i]
      const q = Math.round(v)
      h1 = Math.imul(h1 ^ q, 0x01000193)
      h2 = (Math.imul(h2, 31) + q) | 0
    }
  }

  const key = `${font.name}|${bankId(bank)}|${colourIndex}|${h1}|${h2}`
  const known = grid.memo.get(key)
  if (known) return known

  const lo = 0.45 * contrast
  const hi = 1.1 * contrast
  let bestError = dd
  let bestIndex = 0
  for (let g = 1; g < bank.chars.length; g++) {
    const e = bank.energy[g]
    if (e === 0) continue
    const base = g * size
    const weighted = bank.weightedInk
    let dot = 0
    for (let i = 0; i < size; i++) dot += weighted[base + i] * d[i]
    const gain = Math.min(hi, Math.max(lo, dot / e))
    // sum w (d - gain t)^2 = dd - 2 gain dot + gain^2 e
    const err = dd - 2 * gain * dot + gain * gain * e
    if (err < bestError) {
      bestError = err
      bestIndex = g
    }
  }

  const match = {
    char: bank.chars[bestIndex],
    error: Math.max(0, bestError) / (contrast * contrast * wsum),
    unexplained: dd > 0 ? Math.max(0, bestError) / dd : 0,
  }
  grid.memo.set(key, match)
  return match
}

const bankIds = new WeakMap<TemplateBank, number>()
let nextBankId = 0
function bankId(bank: TemplateBank): number {
  let id = bankIds.get(bank)
  if (id === undefined) {
    id = nextBankId++
    bankIds.set(bank, id)
  }

  return id
}

interface ImageStats {
  /** per pixel: distance from the screen's background colour */
  ink: Float32Array
  maxInk: number
  /** summed-area tables ((width + 1) x (height + 1)) of the pixels that are background, and that are ink */
  plain: Int32Array
  inked: Int32Array
  /** how many pixels of a window a summed-area table counts */
  count(table: Int32Array, x0: number, y0: number, w: number, h: number): number
}

function imageStats(image: RgbaImage, background: Rgb): ImageStats {
  const {height, width} = image
  const ink = new Float32Array(width * height)
  const stride = width + 1
  const plain = new Int32Array(stride * (height + 1))
  const inked = new Int32Array(stride * (height + 1))
  let maxInk = 0
  for (let y = 0; y < height; y++) {
    let rowPlain = 0
    let rowInked = 0
    for (let x = 0; x < width; x++) {
      const d = distance(image.data, (y * width + x) * 4, background)
      ink[y * width + x] = d
      if (d > maxInk) maxInk = d
      if (d < INK_THRESHOLD / 2) rowPlain++
      if (d >= INK_THRESHOLD) rowInked++
      plain[(y + 1) * stride + x + 1] = plain[y * stride + x + 1] + rowPlain
      inked[(y + 1) * stride + x + 1] = inked[y * stride + x + 1] + rowInked
    }
  }

  return {
    count: (table, x0, y0, w, h) =>
      table[(y0 + h) * stride + x0 + w] -
      table[y0 * stride + x0 + w] -
      table[(y0 + h) * stride + x0] +
      table[y0 * stride + x0],
    ink,
    inked,
    maxInk,
    plain,
  }
}

function distance(data: Buffer, o: number, [r, g, b]: Rgb): number {
  const dr = data[o] - r
  const dg = data[o + 1] - g
  const db = data[o + 2] - b
  return Math.sqrt(dr * dr + dg * dg + db * db)
}

function dominantColour(image: RgbaImage): Rgb {
  const counts = new Map<number, number>()
  const {data} = image
  const step = Math.max(1, Math.floor((image.width * image.height) / 20_000))
  for (let p = 0; p < image.width * image.height; p += step) {
    const key = (data[p * 4] << 16) | (data[p * 4 + 1] << 8) | data[p * 4 + 2]
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }

  let best = 0
  let bestCount = -1
  for (const [key, n] of counts) {
    if (n > bestCount) {
      best = key
      bestCount = n
    }
  }

  return [(best >> 16) & 255, (best >> 8) & 255, best & 255]
}

/** the commonest colour of a window other than `except`, and how many pixels have it */
function commonestColour(image: RgbaImage, x0: number, y0: number, w: number, h: number, except: Rgb): [Rgb, number] {
  const counts = new Map<number, number>()
  const skip = (except[0] << 16) | (except[1] << 8) | except[2]
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const o = (y * image.width + x) * 4
      const key = (image.data[o] << 16) | (image.data[o + 1] << 8) | image.data[o + 2]
      if (key !== skip) counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  }

  let best = 0
  let bestCount = 0
  for (const [key, n] of counts) {
    if (n > bestCount) {
      best = key
      bestCount = n
    }
  }

  return [[(best >> 16) & 255, (best >> 8) & 255, best & 255], bestCount]
}

function pixel(image: RgbaImage, x: number, y: number): Rgb {
  const o = (y * image.width + x) * 4
  return [image.data[o], image.data[o + 1], image.data[o + 2]]
}

function largestDistance(image: RgbaImage, x0: number, y0: number, w: number, h: number, from: Rgb): number {
  let max = 0
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) max = Math.max(max, distance(image.data, (y * image.width + x) * 4, from))
  }

  return max
}

/** the share of a window's pixels that are (nearly) a colour */
function share(image: RgbaImage, x0: number, y0: number, w: number, h: number, colour: Rgb): number {
  let n = 0
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++)
      if (distance(image.data, (y * image.width + x) * 4, colour) < INK_THRESHOLD / 2) n++
  }

  return n / (w * h)
}

/** the fill colour of the nearest filled cell in the same row, or -1 */
function nearestFilled(filled: Int32Array, cell: number, columns: number): number {
  const rowStart = cell - (cell % columns)
  for (let k = 1; k < columns; k++) {
    const left = cell - k
    const right = cell + k
    if (left >= rowStart && filled[left] >= 0) return filled[left]
    if (right < rowStart + columns && filled[right] >= 0) return filled[right]
    if (left < rowStart && right >= rowStart + columns) break
  }

  return -1
}

/** the colour of the strongest ink on the commonest background */
function foregroundColour(image: RgbaImage, grid: Grid): Rgb {
  const bg = grid.colours[0]
  const limit = grid.contrast[0] * 0.9
  const counts = new Map<number, number>()
  const {data} = image
  for (let p = 0; p < image.width * image.height; p++) {
    if (grid.ink[p] < limit) continue
    const key = (data[p * 4] << 16) | (data[p * 4 + 1] << 8) | data[p * 4 + 2]
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }

  let best = -1
  let bestCount = -1
  for (const [key, n] of counts) {
    if (n > bestCount) {
      best = key
      bestCount = n
    }
  }

  return best < 0 ? bg : [(best >> 16) & 255, (best >> 8) & 255, best & 255]
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
