/** Screenshot bytes for the screen reader's tests: BMP files as Azure serves them, made from RGBA pixels. */
import type {RgbaImage} from '../../src/screen/image.js'

/** A bottom-up BMP: 24-bit BI_RGB, or 16-bit RGB565 with BI_BITFIELDS masks. */
export function rgbaToBmp(image: RgbaImage, bpp: 16 | 24 = 24): Buffer {
  const {width, height, data} = image
  const rowBytes = Math.ceil((width * bpp) / 32) * 4
  const headerBytes = 14 + 40 + (bpp === 16 ? 12 : 0)
  const file = Buffer.alloc(headerBytes + rowBytes * height)
  file.write('BM', 0, 'latin1')
  file.writeUInt32LE(file.length, 2)
  file.writeUInt32LE(headerBytes, 10)
  file.writeUInt32LE(40, 14)
  file.writeInt32LE(width, 18)
  file.writeInt32LE(height, 22)
  file.writeUInt16LE(1, 26)
  file.writeUInt16LE(bpp, 28)
  file.writeUInt32LE(bpp === 16 ? 3 : 0, 30)
  file.writeUInt32LE(rowBytes * height, 34)
  if (bpp === 16) {
    file.writeUInt32LE(0xf800, 54)
    file.writeUInt32LE(0x07e0, 58)
    file.writeUInt32LE(0x001f, 62)
  }

  for (let y = 0; y < height; y++) {
    const row = headerBytes + (height - 1 - y) * rowBytes
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      if (bpp === 24) {
        file[row + x * 3] = data[o + 2]
        file[row + x * 3 + 1] = data[o + 1]
        file[row + x * 3 + 2] = data[o]
      } else {
        file.writeUInt16LE(((data[o] >> 3) << 11) | ((data[o + 1] >> 2) << 5) | (data[o + 2] >> 3), row + x * 2)
      }
    }
  }

  return file
}

/** Character error rate: edit distance between the texts (whitespace runs as one space) over the reference length. */
export function characterErrors(reference: string, read: string): {errors: number; length: number} {
  const a = reference.replace(/\s+/g, ' ').trim()
  const b = read.replace(/\s+/g, ' ').trim()
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), previous[j] + 1, current[j - 1] + 1)
    previous = current
  }

  return {errors: previous[b.length], length: a.length}
}

/**
 * Realistic changes to a screenshot, in memory, for the robustness tests: the ways other captures of the
 * same screen differ (Azure's 640x480 RGB565 fit, documentation screenshots scaled, cropped, framed,
 * brightened). Each returns a new image; none writes anything.
 */

/** Resize: the mean of the source footprint when shrinking (area), bilinear when enlarging. */
export function resizeImage(image: RgbaImage, width: number, height: number): RgbaImage {
  const out = Buffer.alloc(width * height * 4)
  const sx = image.width / width
  const sy = image.height / height
  const src = image.data
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      if (sx > 1 || sy > 1) {
        // area: every source pixel the output pixel covers, weighted by the part covered
        const x0 = x * sx
        const x1 = x0 + sx
        const y0 = y * sy
        const y1 = y0 + sy
        const sums = [0, 0, 0]
        let total = 0
        for (let yy = Math.floor(y0); yy < Math.min(image.height, Math.ceil(y1)); yy++) {
          const wy = Math.min(y1, yy + 1) - Math.max(y0, yy)
          for (let xx = Math.floor(x0); xx < Math.min(image.width, Math.ceil(x1)); xx++) {
            const w = wy * (Math.min(x1, xx + 1) - Math.max(x0, xx))
            const i = (yy * image.width + xx) * 4
            sums[0] += src[i] * w
            sums[1] += src[i + 1] * w
            sums[2] += src[i + 2] * w
            total += w
          }
        }

        for (let ch = 0; ch < 3; ch++) out[o + ch] = Math.round(sums[ch] / total)
      } else {
        const fx = Math.max(0, Math.min(image.width - 1, (x + 0.5) * sx - 0.5))
        const fy = Math.max(0, Math.min(image.height - 1, (y + 0.5) * sy - 0.5))
        const xa = Math.floor(fx)
        const ya = Math.floor(fy)
        const xb = Math.min(image.width - 1, xa + 1)
        const yb = Math.min(image.height - 1, ya + 1)
        const tx = fx - xa
        const ty = fy - ya
        for (let ch = 0; ch < 3; ch++) {
          const at = (px: number, py: number) => src[(py * image.width + px) * 4 + ch]
          const top = at(xa, ya) * (1 - tx) + at(xb, ya) * tx
          const bottom = at(xa, yb) * (1 - tx) + at(xb, yb) * tx
          out[o + ch] = Math.round(top * (1 - ty) + bottom * ty)
        }
      }

      out[o + 3] = 255
    }
  }

  return {data: out, height, width}
}

export function scaleImage(image: RgbaImage, factor: number): RgbaImage {
  return resizeImage(image, Math.round(image.width * factor), Math.round(image.height * factor))
}

/** Cut the given number of pixels off each edge. */
export function cropImage(
  image: RgbaImage,
  edges: {left: number; top: number; right: number; bottom: number},
): RgbaImage {
  const width = image.width - edges.left - edges.right
  const height = image.height - edges.top - edges.bottom
  const out = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    const from = ((y + edges.top) * image.width + edges.left) * 4
    image.data.copy(out, y * width * 4, from, from + width * 4)
  }

  return {data: out, height, width}
}

/** The colour of the image's corners (its background, as a documentation frame continues it). */
export function cornerColour(image: RgbaImage): [number, number, number] {
  const {width, height, data} = image
  const corners = [0, width - 1, (height - 1) * width, height * width - 1].map((p) => [
    data[p * 4],
    data[p * 4 + 1],
    data[p * 4 + 2],
  ])
  // the middle value of each channel: one odd corner (a clock, a logo) does not decide
  return [0, 1, 2].map((ch) => corners.map((c) => c[ch]).sort((a, b) => a - b)[1]) as [number, number, number]
}

/**
 * A border around the image: `margin` pixels of `fill` (default: the corners' colour), then a line of
 * `frame` pixels in `frameColour` (a documentation screenshot's outline), when given.
 */
export function padImage(
  image: RgbaImage,
  margin: number,
  options: {fill?: readonly number[]; frame?: number; frameColour?: readonly number[]} = {},
): RgbaImage {
  const fill = options.fill ?? cornerColour(image)
  const frame = options.frame ?? 0
  const frameColour = options.frameColour ?? [128, 128, 128]
  const border = margin + frame
  const width = image.width + 2 * border
  const height = image.height + 2 * border
  const out = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      const inFrame = x < frame || y < frame || x >= width - frame || y >= height - frame
      const colour = inFrame ? frameColour : fill
      out[o] = colour[0]
      out[o + 1] = colour[1]
      out[o + 2] = colour[2]
      out[o + 3] = 255
    }
  }

  for (let y = 0; y < image.height; y++)
    image.data.copy(out, ((y + border) * width + border) * 4, y * image.width * 4, (y + 1) * image.width * 4)
  return {data: out, height, width}
}

/** Brightness and contrast: v' = (v - 128)·contrast + 128 + brightness, clamped. */
export function adjustImage(image: RgbaImage, brightness: number, contrast: number): RgbaImage {
  const out = Buffer.from(image.data)
  for (let o = 0; o < out.length; o += 4) {
    for (let ch = 0; ch < 3; ch++)
      out[o + ch] = Math.max(0, Math.min(255, Math.round((image.data[o + ch] - 128) * contrast + 128 + brightness)))
  }

  return {data: out, height: image.height, width: image.width}
}

/**
 * The screenshot the way Azure would serve it: fitted into 640x480 (stretched when its shape is close
 * to 4:3, as Azure stretches the VM's screen; otherwise scaled to fit and the rest filled with its
 * background), as a 16-bit RGB565 BMP.
 */
export function azureFit(image: RgbaImage, width = 640, height = 480): Buffer {
  const aspect = image.width / image.height / (width / height)
  let fitted: RgbaImage
  if (aspect > 0.9 && aspect < 1.1) {
    fitted = resizeImage(image, width, height)
  } else {
    const scale = Math.min(width / image.width, height / image.height)
    const inner = resizeImage(image, Math.round(image.width * scale), Math.round(image.height * scale))
    const padded = padImage(inner, Math.ceil(Math.max(width - inner.width, height - inner.height) / 2))
    const left = Math.floor((padded.width - width) / 2)
    const top = Math.floor((padded.height - height) / 2)
    fitted = cropImage(padded, {
      bottom: padded.height - height - top,
      left,
      right: padded.width - width - left,
      top,
    })
  }

  return rgbaToBmp(fitted, 16)
}
