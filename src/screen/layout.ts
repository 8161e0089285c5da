/**
 * Layout analysis of a screenshot, before any text is read: is the screen blank, where are the lines of
 * text (each with its own background and polarity, so white-on-blue and black-on-white text both come
 * out right), does it look like a text console, does it show the Windows logo. Pure: pixels in.
 *
 * Text lines are found the classic way: pixels that stand out from their local background ("ink"),
 * connected components of ink, components of similar height side by side grouped into lines. Pictures
 * (logo panes, QR codes, big clock digits) are left out by size and solidity.
 */
import type {PictureFeature} from './catalogue/index.js'
import type {RgbaImage} from './image.js'

export interface GrayImage {
  width: number
  height: number
  /** one byte a pixel, row-major from the top */
  data: Uint8Array
}

/** A box of text: one line, or one column of a line (the parts of a line far apart are separate boxes). */
export interface TextBox {
  x0: number
  y0: number
  /** exclusive */
  x1: number
  y1: number
  /** luminance of the text and of the background around it */
  ink: number
  background: number
}

export interface Layout {
  width: number
  height: number
  /** near-uniform: nothing on screen */
  blank: boolean
  /** dominant colour */
  background: [number, number, number]
  luminance: GrayImage
  /** text boxes, top to bottom, then left to right */
  boxes: TextBox[]
  /** light neutral text on a dark background in lines of one height: a text console */
  console: boolean
  features: PictureFeature[]
}

/** how far from a text stroke its background is looked for (strokes up to about 2·RADIUS thick) */
const RADIUS = 4
/** least luminance difference from the local background for a pixel to count as ink */
const INK_CONTRAST = 48
/** least difference between a glyph's mean luminance and that of its surroundings */
const RING_CONTRAST = 28
const BLANK_SHARE = 0.995
const BLANK_TOLERANCE = 12
/** share of each side left out when judging a blank screen (a screenshot's frame) */
const EDGE_SHARE = 0.02

export function luminance(image: RgbaImage): GrayImage {
  const {width, height, data} = image
  const out = new Uint8Array(width * height)
  for (let i = 0, o = 0; i < out.length; i++, o += 4)
    out[i] = (data[o] * 299 + data[o + 1] * 587 + data[o + 2] * 114) / 1000
  return {data: out, height, width}
}

export function analyzeLayout(image: RgbaImage): Layout {
  const gray = luminance(image)
  const {width, height} = gray
  const background = dominantColour(image)
  const base = {background, height, luminance: gray, width}

  // Text strokes are thin: within a few pixels of any stroke lies its background. So dark text is what
  // is much darker than the lightest pixel near it, and light text what is much lighter than the darkest.
  const lightest = extremeFilter(gray, RADIUS, true)
  const darkest = extremeFilter(gray, RADIUS, false)
  const maxGlyph = Math.max(24, Math.round(height / 8))
  const boxes: TextBox[] = []
  const features: PictureFeature[] = []
  const logo = windowsLogo(image, gray)
  if (logo) features.push('windows-logo')
  const onLogo = (c: Component) =>
    logo !== null &&
    c.x0 >= logo.x0 - RADIUS &&
    c.x1 <= logo.x1 + RADIUS &&
    c.y0 >= logo.y0 - RADIUS &&
    c.y1 <= logo.y1 + RADIUS
  for (const polarity of ['dark', 'light'] as const) {
    const around = polarity === 'dark' ? lightest : darkest
    const ink = new Uint8Array(width * height)
    for (let i = 0; i < ink.length; i++) ink[i] = Math.abs(around[i] - gray.data[i]) >= INK_CONTRAST ? 1 : 0
    const components = connectedComponents(ink, gray)
    const glyphs = components.filter((c) => {
      const w = c.x1 - c.x0
      const h = c.y1 - c.y0
      if (h > maxGlyph || w > width / 2 || onLogo(c)) return false
      if (w >= 8 && h >= 8 && c.count / (w * h) > 0.8) return false // solid: a logo pane, a button face
      // Ink of the other polarity: the dark background between light strokes is darker than the strokes
      // near it, but not darker than what surrounds the group. A glyph stands out from its surroundings.
      const contrast = c.sum / c.count - ringMean(gray, c)
      return polarity === 'dark' ? contrast <= -RING_CONTRAST : contrast >= RING_CONTRAST
    })
    for (const line of groupIntoLines(glyphs)) boxes.push(withColours(line, gray, around, ink))
  }

  boxes.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0)
  // nearly one colour, and nothing on it that looks like text or a picture (a cursor at most)
  const blank = boxes.length === 0 && features.length === 0 && isBlank(gray)
  return {...base, blank, boxes, console: looksLikeConsole(boxes, background, image, gray, darkest), features}
}

/** Mean luminance of the pixels just outside a component's box (a ring 2 px out). */
function ringMean(gray: GrayImage, c: Component): number {
  const x0 = Math.max(0, c.x0 - 2)
  const y0 = Math.max(0, c.y0 - 2)
  const x1 = Math.min(gray.width - 1, c.x1 + 1)
  const y1 = Math.min(gray.height - 1, c.y1 + 1)
  let sum = 0
  let count = 0
  for (let x = x0; x <= x1; x++) {
    sum += gray.data[y0 * gray.width + x] + gray.data[y1 * gray.width + x]
    count += 2
  }

  for (let y = y0 + 1; y < y1; y++) {
    sum += gray.data[y * gray.width + x0] + gray.data[y * gray.width + x1]
    count += 2
  }

  return sum / Math.max(1, count)
}

function dominantColour(image: RgbaImage): [number, number, number] {
  const counts = new Map<number, number>()
  const {data} = image
  const step = Math.max(1, Math.floor(data.length / 4 / 50_000)) * 4
  for (let o = 0; o < data.length; o += step) {
    const key = ((data[o] >> 3) << 10) | ((data[o + 1] >> 3) << 5) | (data[o + 2] >> 3)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }

  let best = 0
  let bestCount = -1
  for (const [key, count] of counts) {
    if (count > bestCount) [best, bestCount] = [key, count]
  }

  return [((best >> 10) & 31) * 8 + 4, ((best >> 5) & 31) * 8 + 4, (best & 31) * 8 + 4]
}

/**
 * Nearly one luminance. The outer 2% on each side is left out: a documentation screenshot's frame or
 * border is not on the screen.
 */
function isBlank(gray: GrayImage): boolean {
  const histogram = new Uint32Array(256)
  const mx = Math.floor(gray.width * EDGE_SHARE)
  const my = Math.floor(gray.height * EDGE_SHARE)
  let total = 0
  for (let y = my; y < gray.height - my; y++) {
    for (let x = mx; x < gray.width - mx; x++) histogram[gray.data[y * gray.width + x]]++
  }

  for (const count of histogram) total += count
  let mode = 0
  for (let v = 1; v < 256; v++) if (histogram[v] > histogram[mode]) mode = v
  let near = 0
  for (let v = Math.max(0, mode - BLANK_TOLERANCE); v <= Math.min(255, mode + BLANK_TOLERANCE); v++)
    near += histogram[v]
  return near >= total * BLANK_SHARE
}

/**
 * The maximum (or minimum) luminance in a (2r+1)² square around each pixel: two 1-D passes, each a
 * running window (van Herk / Gil-Werman: prefix and suffix extremes per block), linear in the pixels.
 */
function extremeFilter(gray: GrayImage, radius: number, max: boolean): Uint8Array {
  const {width, height, data} = gray
  const rows = new Uint8Array(width * height)
  const line = new Uint8Array(Math.max(width, height))
  const out = new Uint8Array(Math.max(width, height))
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) line[x] = data[y * width + x]
    runningExtreme(line, width, radius, max, out)
    rows.set(out.subarray(0, width), y * width)
  }

  const result = new Uint8Array(width * height)
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = rows[y * width + x]
    runningExtreme(line, height, radius, max, out)
    for (let y = 0; y < height; y++) result[y * width + x] = out[y]
  }

  return result
}

function runningExtreme(values: Uint8Array, n: number, radius: number, max: boolean, out: Uint8Array): void {
  const size = 2 * radius + 1
  const prefix = new Uint8Array(n)
  const suffix = new Uint8Array(n)
  const better = max ? (a: number, b: number) => (a > b ? a : b) : (a: number, b: number) => (a < b ? a : b)
  for (let i = 0; i < n; i++) prefix[i] = i % size === 0 ? values[i] : better(prefix[i - 1], values[i])
  for (let i = n - 1; i >= 0; i--)
    suffix[i] = i === n - 1 || (i + 1) % size === 0 ? values[i] : better(suffix[i + 1], values[i])
  for (let i = 0; i < n; i++) {
    const lo = i - radius
    const hi = i + radius
    if (lo >= 0 && hi < n) {
      out[i] = better(suffix[lo], prefix[hi])
    } else {
      // a window cut by the edge: the plain way
      let value = values[i]
      for (let j = Math.max(0, lo); j <= Math.min(n - 1, hi); j++) value = better(value, values[j])
      out[i] = value
    }
  }
}

interface Component {
  x0: number
  y0: number
  x1: number
  y1: number
  count: number
  /** sum of its pixels' luminance */
  sum: number
  /** its first pixel (top left) */
  first: number
  /** its index in the list */
  id: number
}

/** 8-connected components of the ink mask, by union-find over pixels. */
function connectedComponents(ink: Uint8Array, gray: GrayImage): Component[] {
  const {width, height} = gray
  const parent = new Int32Array(width * height).fill(-1)
  const find = (i: number): number => {
    let root = i
    while (parent[root] !== root) root = parent[root]
    while (parent[i] !== root) {
      const next = parent[i]
      parent[i] = root
      i = next
    }

    return root
  }

  const union = (a: number, b: number) => {
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      if (!ink[i]) continue
      parent[i] = i
      if (x > 0 && ink[i - 1]) union(i, i - 1)
      if (y > 0) {
        const up = i - width
        if (ink[up]) union(i, up)
        if (x > 0 && ink[up - 1]) union(i, up - 1)
        if (x + 1 < width && ink[up + 1]) union(i, up + 1)
      }
    }
  }

  const byRoot = new Map<number, Component>()
  const components: Component[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      if (!ink[i]) continue
      const root = find(i)
      let c = byRoot.get(root)
      if (!c) {
        c = {count: 0, first: i, id: components.length, sum: 0, x0: x, x1: x + 1, y0: y, y1: y + 1}
        byRoot.set(root, c)
        components.push(c)
      }

      c.count++
      c.sum += gray.data[i]
      if (x < c.x0) c.x0 = x
      if (x + 1 > c.x1) c.x1 = x + 1
      if (y + 1 > c.y1) c.y1 = y + 1
    }
  }

  return components
}

/**
 * The Windows logo of Windows 8 and later: four solid panes of one size in a square, light blue (or
 * white), found on their own colour mask (text strokes never make solid squares).
 */
function windowsLogo(image: RgbaImage, gray: GrayImage): Box | null {
  const {data} = image
  const mask = new Uint8Array(gray.width * gray.height)
  for (let i = 0, o = 0; i < mask.length; i++, o += 4) {
    const [r, g, b] = [data[o], data[o + 1], data[o + 2]]
    mask[i] = (b >= 150 && b - r >= 60 && g >= 60) || (r > 200 && g > 200 && b > 200) ? 1 : 0
  }

  const panes = connectedComponents(mask, gray).filter((c) => {
    const w = c.x1 - c.x0
    const h = c.y1 - c.y0
    return w >= 6 && h >= 6 && w <= gray.width / 4 && c.count / (w * h) >= 0.75 && w / h <= 1.6 && h / w <= 1.6
  })
  for (const pane of panes) {
    const w = pane.x1 - pane.x0
    const near = panes.filter(
      (other) =>
        Math.abs(other.x1 - other.x0 - w) <= w * 0.4 &&
        Math.abs(other.x0 - pane.x0) <= w * 1.6 &&
        Math.abs(other.y0 - pane.y0) <= w * 1.6,
    )
    if (near.length >= 4) {
      return {
        x0: Math.min(...near.map((c) => c.x0)),
        x1: Math.max(...near.map((c) => c.x1)),
        y0: Math.min(...near.map((c) => c.y0)),
        y1: Math.max(...near.map((c) => c.y1)),
      }
    }
  }

  return null
}

interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

interface Line {
  x0: number
  y0: number
  x1: number
  y1: number
  heights: number[]
}

/** Components side by side, overlapping vertically and of comparable height, become one line box. */
function groupIntoLines(glyphs: readonly Component[]): Line[] {
  const sorted = [...glyphs].sort((a, b) => a.x0 - b.x0)
  const open: Line[] = []
  for (const c of sorted) {
    const h = c.y1 - c.y0
    let target: Line | undefined
    for (const line of open) {
      const lineHeight = median(line.heights)
      const overlap = Math.min(line.y1, c.y1) - Math.max(line.y0, c.y0)
      if (overlap < Math.min(h, line.y1 - line.y0) * 0.5) continue
      if (h > lineHeight * 2.5) continue
      // a much smaller mark (a dot, a comma, a hyphen) joins a line of glyphs, never a lone picture
      if (lineHeight > h * 2.5 && (line.heights.length < 2 || c.y0 < line.y0 - 1 || c.y1 > line.y1 + 1)) continue
      if (c.x0 - line.x1 > Math.max(2.5 * lineHeight, 8)) continue
      target = line
      break
    }

    if (target) {
      target.x1 = Math.max(target.x1, c.x1)
      target.y0 = Math.min(target.y0, c.y0)
      target.y1 = Math.max(target.y1, c.y1)
      target.heights.push(h)
    } else {
      open.push({heights: [h], x0: c.x0, x1: c.x1, y0: c.y0, y1: c.y1})
    }
  }

  return open
    .filter(
      (line) => line.y1 - line.y0 >= 4 && line.x1 - line.x0 >= 4 && (line.heights.length > 1 || line.y1 - line.y0 >= 6),
    )
    .sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0)
}

function withColours(line: Line, gray: GrayImage, around: Uint8Array, ink: Uint8Array): TextBox {
  let inkSum = 0
  let backgroundSum = 0
  let count = 0
  for (let y = line.y0; y < line.y1; y++) {
    for (let x = line.x0; x < line.x1; x++) {
      const i = y * gray.width + x
      if (!ink[i]) continue
      inkSum += gray.data[i]
      backgroundSum += around[i]
      count++
    }
  }

  return {
    background: Math.round(backgroundSum / Math.max(1, count)),
    ink: Math.round(inkSum / Math.max(1, count)),
    x0: line.x0,
    x1: line.x1,
    y0: line.y0,
    y1: line.y1,
  }
}

function looksLikeConsole(
  boxes: readonly TextBox[],
  background: readonly number[],
  image: RgbaImage,
  gray: GrayImage,
  darkest: Uint8Array,
): boolean {
  if (boxes.length === 0 || background[0] + background[1] + background[2] > 3 * 48) return false
  // most text light on the dark background (a status bar in inverse video may be the exception, even
  // when its items make more boxes than the lines above it: boxes count by their width)
  const width = (list: readonly TextBox[]) => list.reduce((sum, box) => sum + box.x1 - box.x0, 0)
  const light = boxes.filter((box) => box.ink > box.background)
  if (width(light) < width(boxes) * 0.6) return false
  const heights = light.map((box) => box.y1 - box.y0)
  const typical = median(heights)
  if (heights.filter((h) => Math.abs(h - typical) <= 2).length < light.length * 0.8) return false
  let neutral = 0
  let total = 0
  for (let i = 0, o = 0; i < gray.data.length; i++, o += 4) {
    if (gray.data[i] - darkest[i] < INK_CONTRAST) continue
    total++
    const [r, g, b] = [image.data[o], image.data[o + 1], image.data[o + 2]]
    if (Math.max(r, g, b) - Math.min(r, g, b) <= 24) neutral++
  }

  return total > 0 && neutral / total >= 0.9
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
