/**
 * The run's screen reader: a bounded pool, ONE OCR engine per run (started by the first graphical screen,
 * terminated by close), a screenshot that cannot be read reported rather than thrown, and the switch that
 * turns it off. The reader itself is a stand-in here; the real one is read in the integration tier.
 */
import {expect} from 'chai'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {readSettings} from '../../../../src/context/settings.js'
import type {OcrEngine} from '../../../../src/screen/index.js'
import type {ScreenReading} from '../../../../src/screen/types.js'
import {createScreenReader, screenReaderFor, screenReaderOff} from '../../../../src/services/witness/screen-reader.js'

const READING: ScreenReading = {
  codes: [],
  kind: 'win-login-healthy',
  lines: [],
  os: 'windows',
  outcome: 'booted',
  percent: null,
  stage: 'login-prompt',
  state: 'healthy',
  summary: 'Windows is up: lock screen',
}

/** An engine that counts its starts, recognitions and terminations. */
function countingEngine() {
  const counts = {recognized: 0, started: 0, terminated: 0}
  return {
    counts,
    start: async (): Promise<OcrEngine> => {
      counts.started++
      return {
        async recognize() {
          counts.recognized++
          return [{bbox: {x0: 0, x1: 1, y0: 0, y1: 1}, confidence: 1, text: 'Press Ctrl+Alt+Delete to unlock.'}]
        },
        async terminate() {
          counts.terminated++
        },
      }
    },
  }
}

/** A reader that, like readScreen on a graphical screen, asks the engine once per screenshot. */
const graphicalReader = async (_bytes: Uint8Array, options: {ocr?: OcrEngine}): Promise<ScreenReading> => {
  await options.ocr!.recognize({data: new Uint8Array(1), height: 1, width: 1})
  return READING
}

describe('services/witness: the screen reader of a run', () => {
  it('many graphical screens share one OCR engine, started on first need and terminated by close', async () => {
    const engine = countingEngine()
    const reader = createScreenReader({readScreen: graphicalReader, startEngine: engine.start})
    expect(engine.counts.started).to.equal(0)

    const reads = await Promise.all(Array.from({length: 10}, () => reader.read(new Uint8Array(8))))
    await reader.close()

    expect(reads.every((read) => 'reading' in read && read.reading.kind === 'win-login-healthy')).to.equal(true)
    expect(engine.counts).to.deep.equal({recognized: 10, started: 1, terminated: 1})
  })

  it('a console screen that needs no OCR starts no engine at all', async () => {
    const engine = countingEngine()
    const reader = createScreenReader({readScreen: async () => READING, startEngine: engine.start})
    await reader.read(new Uint8Array(8))
    await reader.close()
    expect(engine.counts).to.deep.equal({recognized: 0, started: 0, terminated: 0})
  })

  it('reads at most `concurrency` screenshots at once; the others wait their turn', async () => {
    let inFlight = 0
    let most = 0
    const releases: Array<() => void> = []
    const reader = createScreenReader({
      concurrency: 2,
      readScreen: async () => {
        most = Math.max(most, ++inFlight)
        await new Promise<void>((resolve) => releases.push(resolve))
        inFlight--
        return READING
      },
    })
    const all = Promise.all(Array.from({length: 5}, () => reader.read(new Uint8Array(8))))
    // release the readings one by one as they start
    for (let released = 0; released < 5; released++) {
      while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve))
      releases.shift()!()
    }

    await all
    expect(most).to.equal(2)
  })

  it('an engine that cannot start: every graphical screen is unread with the reason, and it is not retried', async () => {
    let starts = 0
    const reader = createScreenReader({
      readScreen: graphicalReader,
      startEngine: async () => {
        starts++
        throw new Error('the OCR engine could not start: no worker')
      },
    })
    const reads = await Promise.all([reader.read(new Uint8Array(8)), reader.read(new Uint8Array(8))])
    await reader.close()
    expect(reads).to.deep.equal([
      {unread: 'the screenshot could not be read: the OCR engine could not start: no worker'},
      {unread: 'the screenshot could not be read: the OCR engine could not start: no worker'},
    ])
    expect(starts).to.equal(1)
  })

  it('bytes that are not an image, and a file that is not there, are unread, never thrown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bootdiag-reader-'))
    try {
      const reader = createScreenReader()
      await writeFile(join(dir, 'random.bin'), Buffer.from('certainly not a screenshot'))
      const fromFile = await reader.readFile(join(dir, 'random.bin'))
      const missing = await reader.readFile(join(dir, 'gone.bmp'))
      const truncated = await reader.read(Buffer.from('BM\u0036\u0000\u0000\u0000'))
      await reader.close()
      expect(fromFile).to.deep.equal({
        unread: 'the screenshot could not be read: not a supported image: neither a BMP nor a PNG signature',
      })
      expect(missing)
        .to.have.property('unread')
        .that.match(/^the screenshot could not be read: ENOENT/)
      expect(truncated)
        .to.have.property('unread')
        .that.match(/^the screenshot could not be read: not a supported/)
    } finally {
      await rm(dir, {force: true, recursive: true})
    }
  })

  it('BOOTDIAG_SCREEN_READER=off turns it off (screenshots kept, not read); a bad value is a usage error', async () => {
    expect(readSettings({BOOTDIAG_SCREEN_READER: 'off'}).screenReader).to.equal(false)
    expect(readSettings({BOOTDIAG_SCREEN_READER: 'ON'}).screenReader).to.equal(true)
    expect(readSettings({}).screenReader).to.equal(undefined)
    expect(() => readSettings({BOOTDIAG_SCREEN_READER: 'maybe'})).to.throw(
      "BOOTDIAG_SCREEN_READER must be on or off (got 'maybe').",
    )
    expect(screenReaderFor({screenReader: false})).to.equal(screenReaderOff)
    expect(screenReaderFor({})).not.to.equal(screenReaderOff)
    expect(await screenReaderOff.read(new Uint8Array(0))).to.deep.equal({
      unread: 'the screen reader is off (BOOTDIAG_SCREEN_READER=off)',
    })
  })
})
