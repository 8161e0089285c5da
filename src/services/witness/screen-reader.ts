/**
 * Reading screenshots for a run: a bounded pool around the screen reader (src/screen) with ONE OCR engine
 * for the whole run, started only when a graphical screen needs it and terminated by `close()`.
 *
 * - In process (the default; `fetch`, `analyze`): at most `concurrency` screenshots are read at once.
 * - With `workers` (a fleet run): worker threads read the screenshots (decoding, console font matching,
 *   layout and classification are CPU work that would hold up the run's requests on the main thread),
 *   each at most `concurrency` at a time; their graphical screens' text boxes come back to the main
 *   thread's one engine. A worker that cannot start or dies leaves its work to the others, or to this
 *   thread when none is left.
 * - A screenshot that cannot be read never fails its snapshot: the result says why (`unread`): not an
 *   image, the OCR engine could not start (then not tried again in this run), a reading that failed.
 * - The screen module (and tesseract.js behind it) is imported on first use only.
 */
import {readFile} from 'node:fs/promises'
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import type {OcrEngine, ReadScreenOptions, ScreenReading} from '../../screen/index.js'
import type {WorkerReply, WorkerRequest} from './screen-worker.js'

/** A screenshot's reading, or why there is none. */
export type ScreenRead = {reading: ScreenReading} | {unread: string}

export interface ScreenReader {
  /** Read a screenshot's bytes (BMP or PNG). Never throws. */
  read(bytes: Uint8Array): Promise<ScreenRead>
  /** Read a screenshot file. Never throws (a file that cannot be read is `unread`). */
  readFile(path: string): Promise<ScreenRead>
  /** Terminate the workers and the OCR engine, if they were started. */
  close(): Promise<void>
}

export interface ScreenReaderOptions {
  /** screenshots read at once (in process), or per worker (default: SCREEN_READ_CONCURRENCY) */
  concurrency?: number
  /** worker threads to read in (default 0: in process); see fleetScreenWorkers() */
  workers?: number
  /** start the run's OCR engine (default: the screen module's createOcrEngine); tests pass their own */
  startEngine?: () => Promise<OcrEngine>
  /** the reader, in process (default: the screen module's readScreen); tests pass their own */
  readScreen?: (bytes: Uint8Array, options: ReadScreenOptions) => Promise<ScreenReading>
}

/** Screenshots read at once in process, or by one worker (one can wait for OCR while another is matched). */
export const SCREEN_READ_CONCURRENCY = 2

/** Worker threads for a fleet run: the cores the main thread leaves, at most 4, at least 1. */
export function fleetScreenWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1))
}

export function createScreenReader(options: ScreenReaderOptions = {}): ScreenReader {
  const slots = options.concurrency ?? SCREEN_READ_CONCURRENCY
  const gate = limiter(slots)
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

  const readHere = async (source: {bytes: Uint8Array} | {path: string}): Promise<ScreenRead> =>
    gate.run(async () => {
      try {
        const bytes = 'bytes' in source ? source.bytes : await readFile(source.path)
        const readScreen = options.readScreen ?? (await import('../../screen/index.js')).readScreen
        return {reading: await readScreen(bytes, {ocr: lazyEngine})}
      } catch (error) {
        return {unread: `the screenshot could not be read: ${firstLine(error)}`}
      }
    })
  const pool = options.workers ? new WorkerPool(options.workers, slots, lazyEngine, readHere) : undefined
  const read = pool ? (source: {bytes: Uint8Array} | {path: string}) => pool.read(source) : readHere

  return {
    async close() {
      closed = true
      await pool?.close()
      const started = engine
      engine = undefined
      await (await started?.catch(() => undefined))?.terminate()
    },
    read: (bytes) => read({bytes}),
    readFile: (path) => read({path}),
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

type Source = {bytes: Uint8Array} | {path: string}

interface PoolWorker {
  worker: Worker
  busy: number
  /** this worker's readings in flight, by id */
  tasks: Map<number, Task>
  /** readings it finished */
  finished: number
  dead: boolean
}

interface Task {
  source: Source
  done: (result: ScreenRead) => void
}

/** Worker threads that read screenshots, `perWorker` at a time each; OCR comes back to `engine`. */
class WorkerPool {
  private readonly workers: PoolWorker[] = []
  private readonly queue: Task[] = []
  private nextId = 0

  constructor(
    count: number,
    private readonly perWorker: number,
    private readonly engine: OcrEngine,
    private readonly fallback: (source: Source) => Promise<ScreenRead>,
  ) {
    // the worker's own module beside this one: .js when built, .ts when run from the sources (tsx)
    const url = new URL(`./screen-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
    for (let i = 0; i < count; i++) {
      try {
        this.workers.push(this.start(url))
      } catch {
        // no worker threads here: this thread reads instead (fallback)
      }
    }
  }

  read(source: Source): Promise<ScreenRead> {
    return new Promise((done) => {
      this.queue.push({done, source})
      this.dispatch()
    })
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (entry) => {
        entry.dead = true
        await entry.worker.terminate()
      }),
    )
  }

  private start(url: URL): PoolWorker {
    const entry: PoolWorker = {busy: 0, dead: false, finished: 0, tasks: new Map(), worker: new Worker(url)}
    entry.worker.on('message', (message: WorkerReply) => {
      if (message.type === 'ocr') {
        this.engine.recognize(message.image).then(
          (lines) => entry.worker.postMessage({id: message.id, lines, type: 'ocr-result'} satisfies WorkerRequest),
          (error: unknown) =>
            entry.worker.postMessage({
              error: firstLine(error),
              id: message.id,
              type: 'ocr-result',
            } satisfies WorkerRequest),
        )
        return
      }

      const task = entry.tasks.get(message.id)
      entry.tasks.delete(message.id)
      entry.busy--
      entry.finished++
      task?.done(message.result)
      this.dispatch()
    })
    const lost = (why: string) => {
      if (entry.dead) return
      entry.dead = true
      // A worker that never read anything could not start: its work goes to the others (or this thread).
      // One that died reading is not given the same screenshots again.
      if (entry.finished === 0) this.queue.unshift(...entry.tasks.values())
      else for (const task of entry.tasks.values()) task.done({unread: `the screenshot could not be read: ${why}`})
      entry.tasks.clear()
      this.dispatch()
    }

    entry.worker.on('error', (error) => lost(`the screen reader's worker failed: ${firstLine(error)}`))
    entry.worker.on('exit', (code) => lost(`the screen reader's worker stopped (exit code ${code})`))
    return entry
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const alive = this.workers.filter((entry) => !entry.dead)
      if (alive.length === 0) {
        // no worker left: read here
        const {done, source} = this.queue.shift()!
        void this.fallback(source).then(done)
        continue
      }

      const free = alive.filter((entry) => entry.busy < this.perWorker).sort((a, b) => a.busy - b.busy)[0]
      if (!free) return
      const task = this.queue.shift()!
      const {source} = task
      const id = this.nextId++
      free.busy++
      free.tasks.set(id, task)
      const request: WorkerRequest =
        'path' in source ? {id, path: source.path, type: 'read'} : {bytes: source.bytes, id, type: 'read'}
      free.worker.postMessage(request)
    }
  }
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
