/**
 * The screen reader on what is not a screenshot: random bytes, truncated and corrupted BMP and PNG
 * files, forged huge sizes, noise and photo-like pictures. Every input gets a reading (kind unknown or
 * blank, never healthy) or a one-line error; nothing crashes or hangs. Seeded, so a failure repeats.
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'
import {PNG} from 'pngjs'

import {createOcrEngine, decodeImage, readScreen, type OcrEngine, type ScreenReading} from '../../src/screen/index.js'
import {seededRandom} from '../helpers/random.js'
import {rgbaToBmp} from '../helpers/screen-images.js'

const rendered = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'screens', 'rendered')
const stopScreen = readFileSync(join(rendered, 'win-stop-error-critical-process-died.png'))

/** Read, and return the reading or the error's message; fail the test on anything else. */
async function attempt(bytes: Uint8Array, engine: OcrEngine): Promise<ScreenReading | string> {
  try {
    return await readScreen(bytes, {ocr: engine})
  } catch (error) {
    expect(error).to.be.instanceOf(Error)
    const message = (error as Error).message
    expect(message).to.match(/^not a supported (BMP )?image: /)
    expect(message).to.not.contain('\n')
    return message
  }
}

function pngOf(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const png = new PNG({height, width})
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      ;[png.data[o], png.data[o + 1], png.data[o + 2]] = pixel(x, y)
      png.data[o + 3] = 255
    }
  }

  return PNG.sync.write(png)
}

describe('screen reader: fuzz', function () {
  this.timeout(300_000)
  let engine: OcrEngine
  before(async () => {
    engine = await createOcrEngine()
  })
  after(async () => engine.terminate())

  it('random bytes, with and without an image signature, give a one-line error', async () => {
    const random = seededRandom(13)
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.alloc(Math.floor(random() * 4096))
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256)
      if (i % 3 === 1) bytes.write('BM', 0, 'latin1')
      if (i % 3 === 2 && bytes.length >= 8) Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes)
      expect(await attempt(bytes, engine)).to.be.a('string')
    }
  })

  it('a truncated or corrupted screenshot is an error or an unknown reading, never healthy', async () => {
    const random = seededRandom(14)
    const bmp = rgbaToBmp(decodeImage(stopScreen))
    for (const file of [stopScreen, bmp]) {
      for (let i = 0; i < 12; i++) {
        const cut = file.subarray(0, Math.floor(random() * file.length))
        const result = await attempt(cut, engine)
        if (typeof result !== 'string') expect(result.state).to.not.equal('healthy')
      }

      for (let i = 0; i < 6; i++) {
        const corrupt = Buffer.from(file)
        for (let j = 0; j < 50; j++) corrupt[Math.floor(random() * corrupt.length)] = Math.floor(random() * 256)
        const result = await attempt(corrupt, engine)
        if (typeof result !== 'string') expect(result.state).to.not.equal('healthy')
      }
    }
  })

  it('a forged huge size is refused before anything is allocated', async () => {
    const png = Buffer.from(stopScreen)
    png.writeUInt32BE(100_000, 16)
    png.writeUInt32BE(100_000, 20)
    expect(await attempt(png, engine)).to.equal('not a supported image: size 100000x100000')
    const bmp = rgbaToBmp({data: Buffer.alloc(16 * 4), height: 4, width: 4})
    bmp.writeInt32LE(70_000, 18)
    bmp.writeInt32LE(70_000, 22)
    expect(await attempt(bmp, engine)).to.equal('not a supported BMP image: size 70000x70000')
  })

  it('noise, gradients and photo-like pictures are unknown or blank', async () => {
    const random = seededRandom(15)
    const pictures = [
      pngOf(640, 480, () => [Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 256)]),
      pngOf(640, 480, (x, y) => [x % 256, y % 256, (x + y) % 256]),
      pngOf(640, 480, (x, y) => {
        const v = 128 + 60 * Math.sin(x / 23) * Math.cos(y / 17) + 40 * random()
        return [v, v * 0.8, v * 0.6]
      }),
      pngOf(1, 1, () => [0, 0, 0]),
      pngOf(3000, 2, () => [255, 255, 255]),
    ]
    for (const picture of pictures) {
      const reading = await attempt(picture, engine)
      expect(reading).to.not.be.a('string')
      expect((reading as ScreenReading).state).to.equal('unknown')
    }
  })
})
