/**
 * How Azure shrinks a VM's screen into its 640x480 boot-diagnostics screenshot
 * (../shared/research/screenshot-facts.md): the corners of both images are aligned (scale
 * s = (source - 1) / (output - 1), 1.6009 for 1024 → 640), and every output pixel is the mean of 2x2
 * point samples taken half a source pixel inside the edges of its footprint, i.e. at
 * s·X + 0.5 ± (s - 1) / 2 on each axis (1.6009·X + {0.2, 0.8} at 1024x768; + {0.1, 0.9} at 1152x864),
 * then stored as RGB565. Fitted on both raw captures in ../shared/screens/azure-raw with the lab's
 * captured VGA font: RMS error 1.0 and 1.1 on a 0-172 scale, which is RGB565's rounding; a plain 1.6
 * scale drifts by a fifth of a pixel every 200 columns (RMS 7.4). test/unit/screen/console/shrink.test.ts
 * checks it. Pure functions: used by the template builder and by tests that make screens the Azure way.
 */
import type {RgbaImage} from '../image.js'

export const AZURE_WIDTH = 640
export const AZURE_HEIGHT = 480

/**
 * Source coordinates sampled by each output pixel along one axis: `coords[2*X]` and `coords[2*X+1]`.
 * The same function serves the shrink and the reader's templates, so they cannot drift apart.
 */
export function sampleCoordinates(source: number, output: number): Int32Array {
  const scale = output > 1 ? (source - 1) / (output - 1) : 1
  const inset = Math.abs(scale - 1) / 2
  const coords = new Int32Array(output * 2)
  for (let i = 0; i < output; i++) {
    const centre = scale * i + 0.5
    coords[i * 2] = Math.max(0, Math.min(source - 1, Math.floor(centre - inset + 1e-9)))
    coords[i * 2 + 1] = Math.max(0, Math.min(source - 1, Math.floor(centre + inset + 1e-9)))
  }

  return coords
}

/** 8-bit channel → RGB565's 5 or 6 bits → back to 8 bits, as Azure's screenshots store colours */
export function quantize565(value: number, bits: 5 | 6): number {
  const max = (1 << bits) - 1
  const level = Math.round((value * max) / 255)
  return Math.floor((level * 255) / max)
}

/** Shrink a screen (e.g. 1024x768, 1152x864, 720x400) into a boot-diagnostics screenshot. */
export function azureShrink(source: RgbaImage, width = AZURE_WIDTH, height = AZURE_HEIGHT): RgbaImage {
  const xs = sampleCoordinates(source.width, width)
  const ys = sampleCoordinates(source.height, height)
  const out = Buffer.alloc(width * height * 4)
  const src = source.data
  for (let y = 0; y < height; y++) {
    const row0 = ys[y * 2] * source.width
    const row1 = ys[y * 2 + 1] * source.width
    for (let x = 0; x < width; x++) {
      const a = (row0 + xs[x * 2]) * 4
      const b = (row0 + xs[x * 2 + 1]) * 4
      const c = (row1 + xs[x * 2]) * 4
      const d = (row1 + xs[x * 2 + 1]) * 4
      const o = (y * width + x) * 4
      for (let ch = 0; ch < 3; ch++) {
        const mean = (src[a + ch] + src[b + ch] + src[c + ch] + src[d + ch]) / 4
        out[o + ch] = quantize565(mean, ch === 1 ? 6 : 5)
      }

      out[o + 3] = 255
    }
  }

  return {data: out, height, width}
}
