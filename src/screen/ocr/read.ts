/**
 * Reading the text boxes the layout found with the OCR engine. Each box is cut out with a margin,
 * turned into dark text on white (inverted when the text is lighter than its background, contrast
 * stretched between the text's and the background's luminance), scaled up so that a line is about
 * TARGET_HEIGHT pixels high (the engine reads 8-pixel text badly, 30-pixel text well), and all boxes are
 * stacked on one page that the engine reads in one call. Lines come back in the boxes' order; boxes on
 * the same row of the screen are joined with four spaces.
 */
import type {GrayImage, Layout, TextBox} from '../layout.js'
import type {ScreenLine} from '../types.js'
import type {OcrEngine} from './engine.js'

const TARGET_HEIGHT = 32
const MAX_SCALE = 4
const GAP = 18
const MARGIN = 16
/** lines the engine is less sure of than this are noise (spinner dots, logos, QR codes) */
const MIN_CONFIDENCE = 0.3
/** a page larger than this is read in several calls */
const MAX_PAGE_PIXELS = 6_000_000

interface Crop {
  box: TextBox
  image: GrayImage
  /** where the crop starts on the screen, and how much it was enlarged */
  x0: number
  y0: number
  scale: number
}

interface Placed extends Crop {
  top: number
  bottom: number
}

interface Item {
  box: TextBox
  x: number
  y: number
  height: number
  text: string
  confidence: number
}

/** A line read, with the text boxes it came from (for a second look). */
export interface ReadLine extends ScreenLine {
  boxes: TextBox[]
}

/**
 * Read the boxes. `targetHeight` and `maxScale` set how much the text is enlarged; `oneByOne` reads
 * each box in a call of its own (slower, for a second look at a few lines).
 */
export async function readBoxes(
  layout: Layout,
  engine: OcrEngine,
  options: {boxes?: readonly TextBox[]; targetHeight?: number; maxScale?: number; oneByOne?: boolean} = {},
): Promise<ReadLine[]> {
  const crops = (options.boxes ?? layout.boxes).map((box) =>
    normalizeBox(layout.luminance, box, options.targetHeight ?? TARGET_HEIGHT, options.maxScale ?? MAX_SCALE),
  )
  const items: Item[] = []
  for (const page of options.oneByOne ? crops.map((crop) => [crop]) : paginate(crops)) {
    const {image, placed} = compose(page)
    for (const line of await engine.recognize(image)) {
      const text = cleanLine(line.text)
      if (!text || line.confidence < MIN_CONFIDENCE || !/[A-Za-z0-9]{2}/.test(text)) continue
      const middle = (line.bbox.y0 + line.bbox.y1) / 2
      const crop = placed.find((p) => middle >= p.top - GAP / 2 && middle < p.bottom + GAP / 2)
      if (!crop) continue
      items.push({
        box: crop.box,
        confidence: line.confidence,
        height: (line.bbox.y1 - line.bbox.y0) / crop.scale,
        text,
        x: crop.x0 + (line.bbox.x0 - MARGIN) / crop.scale,
        y: crop.y0 + (middle - crop.top) / crop.scale,
      })
    }
  }

  // one screen line per row: what lies on the same height, left to right, four spaces apart
  const rows: Item[][] = []
  for (const item of items.sort((a, b) => a.y - b.y)) {
    const row = rows.at(-1)
    if (row && Math.abs(item.y - row[0].y) < Math.max(item.height, row[0].height) / 2) row.push(item)
    else rows.push([item])
  }

  return rows.map((row) => {
    const sorted = row.sort((a, b) => a.x - b.x)
    // the same text read twice (two overlapping boxes) counts once
    const kept = sorted.filter(
      (item) =>
        !sorted.some(
          (other) => other !== item && other.text.length > item.text.length && other.text.includes(item.text),
        ),
    )
    const confidence = kept.reduce((sum, item) => sum + item.confidence, 0) / kept.length
    return {
      boxes: [...new Set(kept.map((item) => item.box))],
      confidence: Math.round(confidence * 100) / 100,
      text: kept.map((item) => item.text).join('    '),
    }
  })
}

/** Drop what the spinner dots and logos leave at the start of a line: a lone run of punctuation. */
function cleanLine(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/^[^A-Za-z0-9\\/([{<>"'*=]{1,3}\s+/, '')
    .trim()
}

/** The box cut out with a margin (background beyond the screen's edges), as dark text on white, scaled to TARGET_HEIGHT. */
export function normalizeBox(gray: GrayImage, box: TextBox, targetHeight = TARGET_HEIGHT, maxScale = MAX_SCALE): Crop {
  const height = box.y1 - box.y0
  const pad = Math.max(2, Math.round(height * 0.3))
  const x0 = box.x0 - pad
  const y0 = box.y0 - pad
  const x1 = box.x1 + pad
  const y1 = box.y1 + pad
  const scale = Math.min(maxScale, Math.max(1, targetHeight / height))
  const width = Math.round((x1 - x0) * scale)
  const outHeight = Math.round((y1 - y0) * scale)
  const out = new Uint8Array(width * outHeight)
  const span = box.ink - box.background || 1
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= gray.width || y >= gray.height ? box.background : gray.data[y * gray.width + x]
  for (let y = 0; y < outHeight; y++) {
    const sy = y0 + (y + 0.5) / scale - 0.5
    const yA = Math.floor(sy)
    const fy = sy - yA
    for (let x = 0; x < width; x++) {
      const sx = x0 + (x + 0.5) / scale - 0.5
      const xA = Math.floor(sx)
      const fx = sx - xA
      const value =
        (at(xA, yA) * (1 - fx) + at(xA + 1, yA) * fx) * (1 - fy) +
        (at(xA, yA + 1) * (1 - fx) + at(xA + 1, yA + 1) * fx) * fy
      // 0 at the background, 1 at the ink, whichever is lighter
      const t = Math.max(0, Math.min(1, (value - box.background) / span))
      out[y * width + x] = Math.round(255 * (1 - t))
    }
  }

  return {box, image: {data: out, height: outHeight, width}, scale, x0, y0}
}

function* paginate(crops: Crop[]): Generator<Crop[]> {
  let page: Crop[] = []
  let width = 0
  let height = MARGIN
  for (const crop of crops) {
    const nextWidth = Math.max(width, crop.image.width + 2 * MARGIN)
    const nextHeight = height + crop.image.height + GAP
    if (page.length > 0 && nextWidth * nextHeight > MAX_PAGE_PIXELS) {
      yield page
      page = []
      width = 0
      height = MARGIN
    }

    page.push(crop)
    width = Math.max(width, crop.image.width + 2 * MARGIN)
    height += crop.image.height + GAP
  }

  if (page.length > 0) yield page
}

function compose(crops: Crop[]): {image: GrayImage; placed: Placed[]} {
  const width = Math.max(...crops.map((crop) => crop.image.width)) + 2 * MARGIN
  const height = crops.reduce((sum, crop) => sum + crop.image.height + GAP, 2 * MARGIN - GAP)
  const data = new Uint8Array(width * height).fill(255)
  const placed: Placed[] = []
  let top = MARGIN
  for (const crop of crops) {
    for (let y = 0; y < crop.image.height; y++) {
      data.set(crop.image.data.subarray(y * crop.image.width, (y + 1) * crop.image.width), (top + y) * width + MARGIN)
    }

    placed.push({...crop, bottom: top + crop.image.height, top})
    top += crop.image.height + GAP
  }

  return {image: {data, height, width}, placed}
}
