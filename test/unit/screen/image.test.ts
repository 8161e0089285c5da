import {expect} from 'chai'
import {PNG} from 'pngjs'

import {bmpToPng, decodeBmp, decodeImage} from '../../../src/screen/image.js'
import {pixelAt, smallBmp} from '../../helpers/bmp.js'

function expectPattern(rgba: Buffer, width: number, height: number) {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      expect([rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]], `pixel ${x},${y}`).to.deep.equal([...pixelAt(x, y), 255])
    }
  }
}

describe('screenshot: BMP to PNG', () => {
  for (const [label, options] of [
    ['24-bit bottom-up, odd width (row padding)', {bpp: 24 as const}],
    ['24-bit top-down', {bpp: 24 as const, topDown: true}],
    ['32-bit', {bpp: 32 as const}],
  ] as const) {
    it(`decodes ${label} pixel for pixel`, () => {
      const image = decodeBmp(smallBmp(7, 5, options))
      expect([image.width, image.height]).to.deep.equal([7, 5])
      expectPattern(image.data, 7, 5)
    })
  }

  it('decodes an 8-bit paletted image', () => {
    // 2x2, palette of 4 colours (blue, green, red, white), rows bottom-up, padded to 4 bytes
    const palette = Buffer.from([255, 0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 255, 255, 255, 0])
    const pixels = Buffer.from([2, 3, 0, 0, 0, 1, 0, 0])
    const header = Buffer.alloc(54)
    header.write('BM', 0, 'latin1')
    header.writeUInt32LE(54 + palette.length + pixels.length, 2)
    header.writeUInt32LE(54 + palette.length, 10)
    header.writeUInt32LE(40, 14)
    header.writeInt32LE(2, 18)
    header.writeInt32LE(2, 22)
    header.writeUInt16LE(1, 26)
    header.writeUInt16LE(8, 28)
    header.writeUInt32LE(4, 46)
    const image = decodeBmp(Buffer.concat([header, palette, pixels]))
    expect([...image.data]).to.deep.equal([0, 0, 255, 255, 0, 255, 0, 255, 255, 0, 0, 255, 255, 255, 255, 255])
  })

  it('writes a PNG that decodes to the same pixels', () => {
    const png = PNG.sync.read(bmpToPng(smallBmp(9, 4)))
    expect([png.width, png.height]).to.deep.equal([9, 4])
    expectPattern(png.data, 9, 4)
  })

  it('refuses what is not a BMP, or is truncated, with a reason', () => {
    expect(() => decodeBmp(Buffer.from('GIF89a....................................'))).to.throw(
      'not a supported BMP image: no BM signature',
    )
    expect(() => decodeBmp(smallBmp(50, 50).subarray(0, 200))).to.throw(/pixel data is truncated/)
  })

  it('decodes a PNG or a BMP by its signature, and refuses anything else with a reason', () => {
    const bmp = smallBmp(7, 5, {bpp: 24})
    expectPattern(decodeImage(bmp).data, 7, 5)
    expectPattern(decodeImage(bmpToPng(bmp)).data, 7, 5)
    expect(() => decodeImage(Buffer.from('GIF89a....'))).to.throw(/neither a BMP nor a PNG/)
    const png = bmpToPng(bmp)
    expect(() => decodeImage(png.subarray(0, 40))).to.throw(/not a supported image: broken PNG/)
  })
})
