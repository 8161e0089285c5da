/**
 * The fleet run's screen reader: worker threads read the screenshots (the real reader, on the project's
 * own screens) and send graphical screens' text boxes back to the run's ONE OCR engine on this thread.
 */
import {expect} from 'chai'
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {createOcrEngine, type OcrEngine, readScreen} from '../../../../src/screen/index.js'
import {createScreenReader} from '../../../../src/services/witness/screen-reader.js'

const SCREENS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'screens')

describe('services/witness: screenshots read by worker threads with one OCR engine', function () {
  this.timeout(300_000)

  it('reads console and graphical screens as readScreen does, starting one engine for all of them', async () => {
    let starts = 0
    let pages = 0
    const reader = createScreenReader({
      startEngine: async (): Promise<OcrEngine> => {
        starts++
        const engine = await createOcrEngine()
        return {
          recognize: (image) => {
            pages++
            return engine.recognize(image)
          },
          terminate: () => engine.terminate(),
        }
      },
      workers: 2,
    })
    const files = [
      join(SCREENS, 'lab', 'linux-grub-rescue-1.png'),
      join(SCREENS, 'lab', 'linux-kernel-panic-2.png'),
      join(SCREENS, 'rendered', 'win-stop-error-critical-process-died.png'),
      join(SCREENS, 'rendered', 'win-login-healthy-lock-screen.png'),
    ]
    try {
      const fromFiles = await Promise.all(files.map((file) => reader.readFile(file)))
      const fromBytes = await reader.read(await readFile(files[0]))
      const kinds = fromFiles.map((read) => ('reading' in read ? read.reading.kind : read.unread))
      expect(kinds).to.deep.equal(['linux-grub-rescue', 'linux-kernel-panic', 'win-stop-error', 'win-login-healthy'])
      expect(fromBytes).to.deep.equal(fromFiles[0])
      // the same reading as in this thread
      expect(fromFiles[0]).to.deep.equal({reading: await readScreen(await readFile(files[0]))})
      expect(starts).to.equal(1)
      expect(pages).to.be.greaterThan(0)
    } finally {
      await reader.close()
    }
  })

  it('bytes that are no image come back unread from a worker, and the pool goes on', async () => {
    const reader = createScreenReader({workers: 1})
    try {
      const bad = await reader.read(Buffer.from('not a screenshot at all'))
      const good = await reader.readFile(join(SCREENS, 'lab', 'linux-login-prompt-1.png'))
      expect(bad).to.deep.equal({
        unread: 'the screenshot could not be read: not a supported image: neither a BMP nor a PNG signature',
      })
      expect(good).to.have.nested.property('reading.kind', 'linux-login-prompt')
    } finally {
      await reader.close()
    }
  })
})
