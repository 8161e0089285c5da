/**
 * The OCR engine for graphical screens: Tesseract (tesseract.js, WebAssembly) with the English LSTM
 * model from @tesseract.js-data/eng, both read from node_modules, so nothing is fetched: the language
 * path is a local directory, the core and worker scripts are the package's own, and the model cache is
 * off (nothing is written either). tesseract.js is imported only when a screen needs OCR.
 *
 * One engine per process is enough (`sharedOcrEngine`): starting it costs a few hundred milliseconds.
 * Its worker thread keeps the process alive, so the shared engine ends itself after a short idle time;
 * a caller that reads many screens creates its own (`createOcrEngine`) and terminates it when done.
 */
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import type * as Tesseract from 'tesseract.js'

import type {GrayImage} from '../layout.js'

export interface OcrLine {
  text: string
  /** 0..1 */
  confidence: number
  /** in the recognised image's pixels; x1, y1 exclusive */
  bbox: {x0: number; y0: number; x1: number; y1: number}
}

export interface OcrEngine {
  /** Read the text of a grey image (dark text on a light background), line by line. */
  recognize(image: GrayImage): Promise<OcrLine[]>
  terminate(): Promise<void>
}

/** The traineddata the engine loads: the integer-quantised "best" LSTM model (3 MB, the fast and accurate one). */
const MODEL_DIR = '4.0.0_best_int'

export class OcrUnavailableError extends Error {
  constructor(reason: string) {
    super(`the OCR engine could not start: ${reason}`)
    this.name = 'OcrUnavailableError'
  }
}

/** Start a Tesseract engine (a worker thread). */
export async function createOcrEngine(): Promise<OcrEngine> {
  const require = createRequire(import.meta.url)
  let langPath: string
  let tesseract: typeof Tesseract
  try {
    langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), MODEL_DIR)
    tesseract = await import('tesseract.js')
  } catch (error) {
    throw new OcrUnavailableError((error as Error).message.split('\n')[0])
  }

  const createWorker =
    tesseract.createWorker ?? (tesseract as unknown as {default: typeof tesseract}).default.createWorker
  const worker = await createWorker('eng', tesseract.OEM?.LSTM_ONLY ?? 1, {
    cacheMethod: 'none',
    gzip: true,
    langPath,
    logger: () => {},
  })
  await worker.setParameters({
    preserve_interword_spaces: '1',
    tessedit_pageseg_mode: '6' as never,
    user_defined_dpi: '300',
  })
  let queue: Promise<unknown> = Promise.resolve()
  let broken: Error | null = null
  return {
    async recognize(image: GrayImage): Promise<OcrLine[]> {
      // one job at a time: the worker is single-threaded anyway
      const job = queue.then(async () => {
        if (broken) throw broken
        const {data} = await withTimeout(worker.recognize(toPgm(image), {}, {blocks: true, text: false}), () => {
          // a worker that does not answer is ended, so that the process can exit
          broken = new OcrUnavailableError(`no answer in ${RECOGNIZE_TIMEOUT_MS / 1000} s`)
          void worker.terminate()
          return broken
        })
        const lines: OcrLine[] = []
        for (const block of data.blocks ?? []) {
          for (const paragraph of block.paragraphs) {
            for (const line of paragraph.lines) {
              lines.push({
                bbox: {x0: line.bbox.x0, x1: line.bbox.x1, y0: line.bbox.y0, y1: line.bbox.y1},
                confidence: Math.max(0, Math.min(1, line.confidence / 100)),
                text: line.text.replace(/\s+$/, ''),
              })
            }
          }
        }

        return lines
      })
      queue = job.catch(() => {})
      return job
    },
    async terminate() {
      await worker.terminate()
    },
  }
}

/** A page that takes longer than this is not a screenshot the engine will ever finish. */
const RECOGNIZE_TIMEOUT_MS = 60_000

function withTimeout<T>(promise: Promise<T>, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), RECOGNIZE_TIMEOUT_MS)
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Portable graymap (binary): the simplest format Tesseract's image library reads. */
function toPgm(image: GrayImage): Buffer {
  const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1')
  return Buffer.concat([header, Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)])
}

let shared: Promise<OcrEngine> | null = null
let users = 0
let idleTimer: NodeJS.Timeout | null = null
/** how long the shared engine stays up after its last use */
const IDLE_MS = 1500

/**
 * Run `use` with the process's shared engine (started on first use). The engine terminates itself
 * after IDLE_MS without use, so a short-lived process can exit; `closeSharedOcrEngine` ends it at once.
 */
export async function withSharedOcrEngine<T>(use: (engine: OcrEngine) => Promise<T>): Promise<T> {
  if (idleTimer) clearTimeout(idleTimer)
  idleTimer = null
  users++
  shared ??= createOcrEngine().catch((error: unknown) => {
    shared = null
    throw error
  })
  try {
    return await use(await shared)
  } finally {
    users--
    if (users === 0) {
      idleTimer = setTimeout(() => void closeSharedOcrEngine(), IDLE_MS)
      idleTimer.unref()
    }
  }
}

/** Terminate the shared engine now (when nothing uses it). */
export async function closeSharedOcrEngine(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer)
  idleTimer = null
  if (users > 0 || !shared) return
  const engine = shared
  shared = null
  await (await engine.catch(() => null))?.terminate()
}
