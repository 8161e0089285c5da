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
import type {OcrEngine, OcrLine} from './engine.js'

const TARGET_HEIGHT = Number(process.env.OCR_TARGET ?? 36)
const MAX_SCALE = 4
const GAP = 18
const MARGIN = 16
/** lines the engine is less sure of than this are noise (spinner dots, logos, QR codes) */
const MIN_CONFIDENCE = 0.3
/** a page larger than this is read in several calls */
const MAX_PAGE_PIXELS = 6_000_000

interface Placed {
  box: TextBox
  top: number
  bottom: number
}

export async function readBoxes(layout: Layout, engine: OcrEngine): Promise<ScreenLine[]> {
  const crops = layout.boxes.map((box) => ({box, image: normalizeBox(layout.luminance, box)}))
  const texts = new Map<TextBox, {parts: OcrLine[]}>()
  for (const page of paginate(crops)) {
    const {image, placed} = compose(page)
    const lines = await engine.recognize(image)
    for (const line of lines) {
      const middle = (line.bbox.y0 + line.bbox.y1) / 2
      const target = placed.find((p) => middle >= p.top - GAP / 2 && middle < p.bottom + GAP / 2)
      if (!target) continue
      const entry = texts.get(target.box) ?? {parts: []}
      entry.parts.push(line)
      texts.set(target.box, entry)
    }
  }

  // one screen line per row of boxes
  const rows: Array<{y0: number; y1: number; items: Array<{x0: number; text: string; confidence: number}>}> = []
  for (const box of layout.boxes) {
    const entry = texts.get(box)
    if (!entry) continue
    const parts = entry.parts.sort((a, b) => a.bbox.x0 - b.bbox.x0)
    const text = cleanLine(parts.map((part) => part.text).join(' '))
    const confidence =
      parts.reduce((sum, part) => sum + part.confidence * part.text.length, 0) /
      Math.max(
        1,
        parts.reduce((sum, part) => sum + part.text.length, 0),
      )
    if (!text || confidence < MIN_CONFIDENCE || !/[A-Za-z0-9]{2}/.test(text)) continue
    const middle = (box.y0 + box.y1) / 2
    const row = rows.find((r) => middle >= r.y0 && middle < r.y1)
    if (row) row.items.push({confidence, text, x0: box.x0})
    else rows.push({items: [{confidence, text, x0: box.x0}], y0: box.y0, y1: box.y1})
  }

  return rows
    .sort((a, b) => a.y0 - b.y0)
    .map((row) => {
      const items = row.items.sort((a, b) => a.x0 - b.x0)
      const confidence = items.reduce((sum, item) => sum + item.confidence, 0) / items.length
      return {confidence: Math.round(confidence * 100) / 100, text: items.map((item) => item.text).join('    ')}
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

/** The box cut out with a margin, as dark text on white, scaled to TARGET_HEIGHT. */
export function normalizeBox(gray: GrayImage, box: TextBox): GrayImage {
  const height = box.y1 - box.y0
  const pad = Math.max(2, Math.round(height * 0.3))
  const x0 = Math.max(0, box.x0 - pad)
  const y0 = Math.max(0, box.y0 - pad)
  const x1 = Math.min(gray.width, box.x1 + pad)
  const y1 = Math.min(gray.height, box.y1 + pad)
  const scale = Math.min(MAX_SCALE, Math.max(1, TARGET_HEIGHT / height))
  const width = Math.round((x1 - x0) * scale)
  const outHeight = Math.round((y1 - y0) * scale)
  const out = new Uint8Array(width * outHeight)
  const span = box.ink - box.background || 1
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(y1 - 1, Math.max(y0, y0 + (y + 0.5) / scale - 0.5))
    const yA = Math.floor(sy)
    const yB = Math.min(y1 - 1, yA + 1)
    const fy = sy - yA
    for (let x = 0; x < width; x++) {
      const sx = Math.min(x1 - 1, Math.max(x0, x0 + (x + 0.5) / scale - 0.5))
      const xA = Math.floor(sx)
      const xB = Math.min(x1 - 1, xA + 1)
      const fx = sx - xA
      const value =
        (gray.data[yA * gray.width + xA] * (1 - fx) + gray.data[yA * gray.width + xB] * fx) * (1 - fy) +
        (gray.data[yB * gray.width + xA] * (1 - fx) + gray.data[yB * gray.width + xB] * fx) * fy
      // 0 at the background, 1 at the ink, whichever is lighter
      const t = Math.max(0, Math.min(1, (value - box.background) / span))
      out[y * width + x] = Math.round(255 * (1 - t))
    }
  }

  return {data: out, height: outHeight, width}
}

function* paginate(crops: Array<{box: TextBox; image: GrayImage}>): Generator<Array<{box: TextBox; image: GrayImage}>> {
  let page: Array<{box: TextBox; image: GrayImage}> = []
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

function compose(crops: Array<{box: TextBox; image: GrayImage}>): {image: GrayImage; placed: Placed[]} {
  const width = Math.max(...crops.map((crop) => crop.image.width)) + 2 * MARGIN
  const height = crops.reduce((sum, crop) => sum + crop.image.height + GAP, 2 * MARGIN - GAP)
  const data = new Uint8Array(width * height).fill(255)
  const placed: Placed[] = []
  let top = MARGIN
  for (const crop of crops) {
    for (let y = 0; y < crop.image.height; y++) {
      data.set(crop.image.data.subarray(y * crop.image.width, (y + 1) * crop.image.width), (top + y) * width + MARGIN)
    }

    placed.push({bottom: top + crop.image.height, box: crop.box, top})
    top += crop.image.height + GAP
  }

  return {image: {data, height, width}, placed}
}
