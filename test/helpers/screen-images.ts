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
