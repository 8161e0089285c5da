/**
 * Screenshots in and out: boot diagnostics serves BMP files, snapshots also keep a PNG that any viewer
 * and browser shows, and the screen reader reads either. This decodes the uncompressed BMP variants
 * (1/4/8-bit paletted, 16/24/32-bit, BI_RGB and BI_BITFIELDS, bottom-up and top-down rows) and PNG into
 * RGBA, and encodes a PNG with pngjs. Pure: bytes in, pixels out.
 */
import {PNG} from 'pngjs'

export class UnsupportedBmpError extends Error {
  constructor(reason: string) {
    super(`not a supported BMP image: ${reason}`)
    this.name = 'UnsupportedBmpError'
  }
}

export interface RgbaImage {
  width: number
  height: number
  /** width * height * 4 bytes, row-major from the top */
  data: Buffer
}

const BI_RGB = 0
const BI_BITFIELDS = 3
const BI_ALPHABITFIELDS = 6
const MAX_PIXELS = 64 * 1024 * 1024

export function decodeBmp(file: Uint8Array): RgbaImage {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength)
  if (buf.length < 26 || buf.toString('latin1', 0, 2) !== 'BM') throw new UnsupportedBmpError('no BM signature')
  const pixelOffset = buf.readUInt32LE(10)
  const headerSize = buf.readUInt32LE(14)
  let width: number
  let rawHeight: number
  let bpp: number
  let compression = BI_RGB
  let paletteSize = 0
  if (headerSize === 12) {
    width = buf.readUInt16LE(18)
    rawHeight = buf.readInt16LE(20)
    bpp = buf.readUInt16LE(24)
  } else if (headerSize >= 40 && buf.length >= 14 + 40) {
    width = buf.readInt32LE(18)
    rawHeight = buf.readInt32LE(22)
    bpp = buf.readUInt16LE(28)
    compression = buf.readUInt32LE(30)
    paletteSize = buf.readUInt32LE(46)
  } else {
    throw new UnsupportedBmpError(`header of ${headerSize} bytes`)
  }

  const topDown = rawHeight < 0
  const height = Math.abs(rawHeight)
  if (width <= 0 || height === 0 || width * height > MAX_PIXELS)
    throw new UnsupportedBmpError(`size ${width}x${height}`)
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    throw new UnsupportedBmpError(`compression ${compression}`)
  }

  const masks = channelMasks(buf, headerSize, bpp, compression)
  const palette =
    bpp <= 8
      ? readPalette(
          buf,
          14 + headerSize + (compression === BI_BITFIELDS && headerSize === 40 ? 12 : 0),
          headerSize === 12 ? 3 : 4,
          paletteSize || 2 ** bpp,
        )
      : []
  const rowBytes = Math.ceil((width * bpp) / 32) * 4
  if (pixelOffset + rowBytes * height > buf.length) throw new UnsupportedBmpError('pixel data is truncated')
  const out = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * rowBytes
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      if (bpp <= 8) {
        const bit = x * bpp
        const byte = buf[row + (bit >> 3)]
        const index = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1)
        const color = palette[index] ?? [0, 0, 0]
        out[o] = color[0]
        out[o + 1] = color[1]
        out[o + 2] = color[2]
        out[o + 3] = 255
      } else if (bpp === 24) {
        const p = row + x * 3
        out[o] = buf[p + 2]
        out[o + 1] = buf[p + 1]
        out[o + 2] = buf[p]
        out[o + 3] = 255
      } else {
        const value = bpp === 32 ? buf.readUInt32LE(row + x * 4) : buf.readUInt16LE(row + x * 2)
        out[o] = scale(value, masks.r)
        out[o + 1] = scale(value, masks.g)
        out[o + 2] = scale(value, masks.b)
        out[o + 3] = masks.a ? scale(value, masks.a) : 255
      }
    }
  }

  return {data: out, height, width}
}

/** PNG's signature: \x89PNG\r\n\x1a\n */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export class UnsupportedImageError extends Error {
  constructor(reason: string) {
    super(`not a supported image: ${reason}`)
    this.name = 'UnsupportedImageError'
  }
}

/** Decode a BMP or a PNG (told apart by their signatures) into RGBA pixels. */
export function decodeImage(file: Uint8Array): RgbaImage {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength)
  if (buf.length >= 2 && buf.toString('latin1', 0, 2) === 'BM') return decodeBmp(buf)
  if (buf.subarray(0, 8).equals(PNG_SIGNATURE)) return decodePng(buf)
  throw new UnsupportedImageError('neither a BMP nor a PNG signature')
}

export function decodePng(file: Uint8Array): RgbaImage {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength)
  // the size from the header first: a forged size must not make the decoder allocate gigabytes
  if (buf.length < 24 || buf.toString('latin1', 12, 16) !== 'IHDR')
    throw new UnsupportedImageError('PNG without a header')
  const width = buf.readUInt32BE(16)
  const height = buf.readUInt32BE(20)
  if (width === 0 || height === 0 || width * height > MAX_PIXELS)
    throw new UnsupportedImageError(`size ${width}x${height}`)
  let png: PNG
  try {
    png = PNG.sync.read(buf)
  } catch (error) {
    throw new UnsupportedImageError(`broken PNG (${(error as Error).message})`)
  }

  if (png.width * png.height > MAX_PIXELS) throw new UnsupportedImageError(`size ${png.width}x${png.height}`)
  return {data: png.data, height: png.height, width: png.width}
}

export function bmpToPng(file: Uint8Array): Buffer {
  const image = decodeBmp(file)
  const png = new PNG({height: image.height, width: image.width})
  image.data.copy(png.data)
  return PNG.sync.write(png)
}

interface Masks {
  r: number
  g: number
  b: number
  a: number
}

function channelMasks(buf: Buffer, headerSize: number, bpp: number, compression: number): Masks {
  if (bpp !== 16 && bpp !== 32) return {a: 0, b: 0, g: 0, r: 0}
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const at = 14 + 40
    return {
      a: headerSize >= 56 || compression === BI_ALPHABITFIELDS ? buf.readUInt32LE(at + 12) : 0,
      b: buf.readUInt32LE(at + 8),
      g: buf.readUInt32LE(at + 4),
      r: buf.readUInt32LE(at),
    }
  }

  // BI_RGB: 16-bit is 5-5-5, 32-bit is 8-8-8 with the top byte unused
  return bpp === 16 ? {a: 0, b: 0x001f, g: 0x03e0, r: 0x7c00} : {a: 0, b: 0xff, g: 0xff00, r: 0xff0000}
}

function scale(value: number, mask: number): number {
  if (mask === 0) return 0
  const shift = 31 - Math.clz32(mask & -mask) // index of the lowest set bit
  const bits = 32 - Math.clz32(mask >>> shift)
  const channel = (value & mask) >>> shift
  const max = 2 ** bits - 1
  return max === 255 ? channel : Math.round((channel * 255) / max)
}

function readPalette(buf: Buffer, at: number, entrySize: number, count: number): Array<[number, number, number]> {
  const colors: Array<[number, number, number]> = []
  for (let i = 0; i < Math.min(count, 256) && at + i * entrySize + 2 < buf.length; i++) {
    const p = at + i * entrySize
    colors.push([buf[p + 2], buf[p + 1], buf[p]])
  }

  return colors
}
