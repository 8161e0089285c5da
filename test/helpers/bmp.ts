/** Builds small, valid BMP files for tests: 24-bit bottom-up (the common case) and other variants. */

export interface BmpOptions {
  bpp?: 24 | 32
  topDown?: boolean
}

/** Pixel (x, y) from the top-left: a deterministic colour pattern tests can check after decoding. */
export function pixelAt(x: number, y: number): [number, number, number] {
  return [(x * 40) % 256, (y * 80) % 256, ((x + y) * 20) % 256]
}

export function smallBmp(width: number, height: number, options: BmpOptions = {}): Buffer {
  const bpp = options.bpp ?? 24
  const rowBytes = Math.ceil((width * bpp) / 32) * 4
  const pixelOffset = 14 + 40
  const file = Buffer.alloc(pixelOffset + rowBytes * height)
  file.write('BM', 0, 'latin1')
  file.writeUInt32LE(file.length, 2)
  file.writeUInt32LE(pixelOffset, 10)
  file.writeUInt32LE(40, 14)
  file.writeInt32LE(width, 18)
  file.writeInt32LE(options.topDown ? -height : height, 22)
  file.writeUInt16LE(1, 26)
  file.writeUInt16LE(bpp, 28)
  file.writeUInt32LE(0, 30)
  file.writeUInt32LE(rowBytes * height, 34)
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (options.topDown ? y : height - 1 - y) * rowBytes
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixelAt(x, y)
      const p = row + x * (bpp / 8)
      file[p] = b
      file[p + 1] = g
      file[p + 2] = r
      if (bpp === 32) file[p + 3] = 0
    }
  }

  return file
}
