/**
 * Small valid BMP files for fake screenshots: 24-bit, BITMAPINFOHEADER, bottom-up rows padded to 4 bytes,
 * pixels in BGR order — the format Azure's `*.screenshot.bmp` blobs use (a BMP; exact variant UNVERIFIED).
 */

export interface BmpOptions {
  width?: number
  height?: number
  /** pixel colour as [r, g, b] at (x, y), y = 0 at the top; default: a dark console with a light bar */
  pixel?: (x: number, y: number) => [number, number, number]
  /** vary the default picture so two VMs' screenshots differ */
  seed?: number
}

/** A 24-bit bottom-up BMP. Default 64×48. Odd widths exercise row padding. */
export function makeBmp(options: BmpOptions = {}): Buffer {
  const width = options.width ?? 64
  const height = options.height ?? 48
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`BMP size must be positive integers, got ${width}×${height}`)
  }

  const seed = options.seed ?? 0
  const pixel =
    options.pixel ??
    ((x: number, y: number): [number, number, number] => {
      // A black "console" with a few grey text-like bars whose lengths depend on the seed.
      const row = Math.floor(y / 6)
      const barLength = ((row * 7 + seed * 13) % Math.max(1, width - 4)) + 2
      if (y % 6 < 3 && x >= 2 && x < barLength) return [200, 200, 200]
      return [(seed * 37) % 40, (seed * 17) % 40, 32]
    })

  const rowSize = Math.ceil((width * 3) / 4) * 4
  const imageSize = rowSize * height
  const fileSize = 14 + 40 + imageSize
  const bmp = Buffer.alloc(fileSize)
  // BITMAPFILEHEADER
  bmp.write('BM', 0, 'ascii')
  bmp.writeUInt32LE(fileSize, 2)
  bmp.writeUInt32LE(54, 10)
  // BITMAPINFOHEADER
  bmp.writeUInt32LE(40, 14)
  bmp.writeInt32LE(width, 18)
  bmp.writeInt32LE(height, 22) // positive: bottom-up
  bmp.writeUInt16LE(1, 26)
  bmp.writeUInt16LE(24, 28)
  bmp.writeUInt32LE(0, 30) // BI_RGB
  bmp.writeUInt32LE(imageSize, 34)
  bmp.writeInt32LE(2835, 38) // 72 dpi
  bmp.writeInt32LE(2835, 42)
  for (let y = 0; y < height; y++) {
    const rowStart = 54 + (height - 1 - y) * rowSize
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y)
      const at = rowStart + x * 3
      bmp[at] = b
      bmp[at + 1] = g
      bmp[at + 2] = r
    }
  }

  return bmp
}
