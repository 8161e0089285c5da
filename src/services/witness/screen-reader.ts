/**
 * Reading screenshots for a run: a bounded pool around the screen reader (src/screen) with ONE OCR engine
 * for the whole run, started only when a graphical screen needs it and terminated by `close()`.
 *
 * - At most `concurrency` screenshots are being read at once (a decoded 640x480 screen is 1.2 MB; the font
 *   matching and the layout are CPU work on this thread, the OCR runs in the engine's worker thread and
 *   takes one page at a time), so a fleet run with a thousand new screenshots never holds a thousand.
 * - A screenshot that cannot be read never fails its snapshot: the result then says why (`unread`): not an
 *   image, the OCR engine could not start (then not tried again in this run), a reading that failed.
 * - The screen module (and tesseract.js behind it) is imported on first use only.
 */
import {readFile} from 'node:fs/promises'

import type {OcrEngine, ReadScreenOptions, ScreenReading} from '../../screen/index.js'

/** A screenshot's reading, or why there is none. */
export type ScreenRead = {reading: ScreenReading} | {unread: string}

export interface ScreenReader {
  /** Read a screenshot's bytes (BMP or PNG). Never throws. */
  read(bytes: Uint8Array): Promise<ScreenRead>
  /** Read a screenshot file. Never throws (a file that cannot be read is `unread`). */
  readFile(path: string): Promise<ScreenRead>
  /** Terminate the OCR engine, if one was started. */
  close(): Promise<void>
}

export interface ScreenReaderOptions {
  /** screenshots read at once (default: SCREEN_READ_CONCURRENCY) */
  concurrency?: number
  /** start the run's OCR engine (default: the screen module's createOcrEngine); tests pass their own */
  startEngine?: () => Promise<OcrEngine>
  /** the reader (default: the screen module's readScreen); tests pass their own */
  readScreen?: (bytes: Uint8Array, options: ReadScreenOptions) => Promise<ScreenReading>
}

/** Screenshots read at once by one run. */
export const SCREEN_READ_CONCURRENCY = 2

export function createScreenReader(options: ScreenReaderOptions = {}): ScreenReader {
  const gate = limiter(options.concurrency ?? SCREEN_READ_CONCURRENCY)
  let engine: Promise<OcrEngine> | undefined
  let closed = false
  const startEngine = async (): Promise<OcrEngine> =>
    options.startEngine ? options.startEngine() : (await import('../../screen/index.js')).createOcrEngine()
  // The run's engine, started by the first graphical screen; a failed start is kept (not retried per screen).
  const lazyEngine: OcrEngine = {
    async recognize(image) {
      if (closed) throw new Error('the run is over: its OCR engine was closed')
      engine ??= startEngine()
      return (await engine).recognize(image)
    },
    async terminate() {},
  }

  const read = async (bytes: Uint8Array): Promise<ScreenRead> =>
    gate.run(async () => {
      try {
        const readScreen = options.readScreen ?? (await import('../../screen/index.js')).readScreen
        return {reading: await readScreen(bytes, {ocr: lazyEngine})}
      } catch (error) {
        return {unread: `the screenshot could not be read: ${firstLine(error)}`}
      }
    })

  return {
    async close() {
      closed = true
      const started = engine
      engine = undefined
      await (await started?.catch(() => undefined))?.terminate()
    },
    read,
    async readFile(path) {
      let bytes: Buffer
      try {
        bytes = await readFile(path)
      } catch (error) {
        return {unread: `the screenshot could not be read: ${firstLine(error)}`}
      }

      return read(bytes)
    },
  }
}

/** A run with the reader off (BOOTDIAG_SCREEN_READER=off): every screenshot is kept, none is read. */
export const screenReaderOff: ScreenReader = {
  async close() {},
  async read() {
    return {unread: 'the screen reader is off (BOOTDIAG_SCREEN_READER=off)'}
  },
  async readFile() {
    return {unread: 'the screen reader is off (BOOTDIAG_SCREEN_READER=off)'}
  },
}

/** The run's reader as its settings ask: on unless BOOTDIAG_SCREEN_READER=off. */
export function screenReaderFor(settings: {screenReader?: boolean}, options?: ScreenReaderOptions): ScreenReader {
  return settings.screenReader === false ? screenReaderOff : createScreenReader(options)
}

/** At most `slots` calls of `run` in flight; the others wait their turn, first come first served. */
function limiter(slots: number): {run<T>(work: () => Promise<T>): Promise<T>} {
  let free = Math.max(1, slots)
  const waiting: Array<() => void> = []
  return {
    async run(work) {
      if (free > 0) free--
      else await new Promise<void>((resolve) => waiting.push(resolve))
      try {
        return await work()
      } finally {
        const next = waiting.shift()
        if (next) next()
        else free++
      }
    },
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return (text.split('\n')[0] ?? '').replace(/\.$/, '')
}
