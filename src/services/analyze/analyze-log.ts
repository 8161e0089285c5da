/**
 * What `bootdiag analyze` does, without oclif: open the log the user named (a file, `-` for stdin, or a
 * snapshot directory made by `bootdiag fetch`) as a stream, hand it to the analyser, and return the
 * report (the command renders it). The log is streamed, never read whole: serial logs kept by Azure can
 * be a gigabyte.
 *
 * Every failure a user can meet (missing file, unreadable file, a directory that is not a snapshot)
 * becomes a one-line BootdiagError that says what to do.
 */
import {constants, openSync} from 'node:fs'
import {open, readFile, stat} from 'node:fs/promises'
import {Socket} from 'node:net'
import {basename, dirname, join} from 'node:path'
import {Readable, addAbortSignal} from 'node:stream'
import {createGunzip} from 'node:zlib'

import {analyze} from '../../analysis/index.js'
import {isGzip} from '../../analysis/input-kind.js'
import type {AnalysisReport} from '../../analysis/types.js'
import {BootdiagError, NotFoundError, UsageError, fileSystemError, isAbortError, isBootdiagError} from '../../errors.js'
import {printable} from '../../util/printable.js'
import {redact} from '../../util/redact.js'

/** The files of a snapshot directory (see `bootdiag fetch`). */
export const SNAPSHOT_FILES = {
  log: 'serial.log',
  manifest: 'snapshot.json',
  screenshot: 'screenshot.png',
  screenshotBmp: 'screenshot.bmp',
} as const

/** The analyser's entry point, as a type, so tests can pass their own. */
export type AnalyzeFn = (
  input: AsyncIterable<Uint8Array | string>,
  options: {source: string},
) => Promise<AnalysisReport>

/** A log opened for reading. */
export interface LogInput {
  /** what the report calls the log: the path given, '-' for stdin, or the snapshot's serial.log */
  source: string
  stream: Readable
  /** the snapshot's screenshot.png, when the log belongs to a snapshot that has one */
  screenshot?: string
  /** the snapshot directory, when the log belongs to one */
  snapshotDir?: string
  /** release the file (a no-op for stdin) */
  close(): Promise<void>
}

export interface OpenLogOptions {
  /** what `-` reads; process.stdin by default */
  stdin?: Readable
  /** destroys the stream when aborted (Ctrl-C) */
  signal?: AbortSignal
}

/** Open FILE, `-` or SNAPSHOT_DIR as a stream. Throws a BootdiagError the user can act on. */
export async function openLog(target: string, options: OpenLogOptions = {}): Promise<LogInput> {
  if (target === '-') {
    const stream = options.stdin ?? process.stdin
    if (options.signal) addAbortSignal(options.signal, stream)
    return {close: async () => {}, source: '-', stream}
  }

  if (!target) throw new UsageError('No log given. Pass a log file, a snapshot directory, or - to read stdin.')

  const info = await stat(target).catch((error: unknown) => {
    throw readError(error, target)
  })

  if (info.isFIFO()) return openPipe(target, options)
  if (!info.isFile() && !info.isDirectory()) {
    const kind = info.isCharacterDevice()
      ? 'a character device'
      : info.isBlockDevice()
        ? 'a block device'
        : info.isSocket()
          ? 'a socket'
          : 'not a regular file'
    throw new BootdiagError(
      `${printable(target)} is ${kind}, not a log file. Pass a log file or a snapshot directory, or give the device's output on stdin: bootdiag analyze - < ${printable(target)}`,
      {code: 'NotReadable'},
    )
  }

  let path = target
  let snapshotDir: string | undefined
  if (info.isDirectory()) {
    snapshotDir = target
    path = join(target, SNAPSHOT_FILES.log)
    const log = await stat(path).catch(() => undefined)
    if (!log?.isFile()) {
      throw new NotFoundError(
        `${target} is a directory without a ${SNAPSHOT_FILES.log}, so it is not a snapshot. Pass a snapshot directory made by 'bootdiag fetch', or the log file itself.`,
        {code: 'NotASnapshot'},
      )
    }
  } else if (
    basename(target) === SNAPSHOT_FILES.log &&
    (await isFile(join(dirname(target), SNAPSHOT_FILES.manifest)))
  ) {
    // The serial.log of a snapshot, named directly: still link its screenshot.
    snapshotDir = dirname(target)
  }

  const handle = await open(path, 'r').catch((error: unknown) => {
    throw readError(error, path)
  })
  const stream = handle.createReadStream({autoClose: true, highWaterMark: 256 * 1024})
  if (options.signal) addAbortSignal(options.signal, stream)
  const screenshot = snapshotDir ? join(snapshotDir, SNAPSHOT_FILES.screenshot) : undefined
  return {
    async close() {
      stream.destroy()
      await handle.close().catch(() => {})
    },
    screenshot: screenshot && (await isFile(screenshot)) ? screenshot : undefined,
    snapshotDir,
    source: path,
    stream,
  }
}

/**
 * A named pipe (`mkfifo`, or `<(command)` in bash): opened without blocking, then read as a pipe, so that
 * waiting for a writer never ties up a thread — Ctrl-C and SIGTERM stop it at once. (A blocking open would
 * wait in one of libuv's worker threads, which no signal can interrupt and process exit waits for.)
 */
function openPipe(path: string, options: OpenLogOptions): LogInput {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    throw readError(error, path)
  }

  const stream = new Socket({fd, readable: true, writable: false})
  if (options.signal) addAbortSignal(options.signal, stream)
  return {
    async close() {
      stream.destroy()
    },
    source: path,
    stream,
  }
}

export interface AnalyzeLogOptions extends OpenLogOptions {
  /** FILE, `-` (stdin) or SNAPSHOT_DIR */
  target: string
  /** the analyser; the real one by default */
  analyzer?: AnalyzeFn
  /** also read the snapshot's screenshot.png (for the HTML report) */
  withScreenshot?: boolean
}

export interface AnalyzeLogResult {
  /** the analysis, with secrets (SAS signatures, tokens) removed from every string */
  report: AnalysisReport
  /** the snapshot's screenshot.png, if the log came from a snapshot that has one */
  screenshot?: string
  /** its bytes, when asked for (withScreenshot) and readable */
  screenshotPng?: Buffer
}

/** Open the log, stream it through the analyser, and return its report. */
export async function analyzeLog(options: AnalyzeLogOptions): Promise<AnalyzeLogResult> {
  const input = await openLog(options.target, options)
  try {
    const report = await (options.analyzer ?? analyze)(gunzipIfGzip(input.stream), {source: input.source})
    const screenshotPng =
      options.withScreenshot && input.screenshot ? await readFile(input.screenshot).catch(() => undefined) : undefined
    return {report: redactStrings(report), screenshot: input.screenshot, ...(screenshotPng ? {screenshotPng} : {})}
  } catch (error) {
    if (isBootdiagError(error) || isAbortError(error) || options.signal?.aborted) throw error
    const code = (error as NodeJS.ErrnoException)?.code
    if (code) throw readError(error, input.source === '-' ? 'stdin' : input.source)
    throw error
  } finally {
    await input.close()
  }
}

/** The log's bytes, decompressed when its first bytes say gzip (a `.gz` is read as `zcat` would). */
async function* gunzipIfGzip(stream: Readable): AsyncGenerator<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const rest = {[Symbol.asyncIterator]: () => chunks}
  let head = Buffer.alloc(0)
  while (head.length < 2) {
    const next = await chunks.next()
    if (next.done) break
    head = Buffer.concat([head, next.value])
  }

  if (!isGzip(head)) {
    if (head.length > 0) yield head
    yield* rest
    return
  }

  const compressed = Readable.from(
    (async function* () {
      yield head
      yield* rest
    })(),
  )
  const gunzip = createGunzip()
  compressed.on('error', (error) => gunzip.destroy(error))
  yield* compressed.pipe(gunzip)
}

/** The same report with secrets removed from every string (the shape is unchanged). */
export function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map((item: unknown) => redactStrings(item)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item)])) as T
  }

  return value
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false
}

function readError(error: unknown, path: string): BootdiagError {
  return (
    fileSystemError(error, {
      missingFix: "Pass the path of a serial log, a snapshot directory made by 'bootdiag fetch', or - to read stdin.",
      what: path,
      writing: false,
    }) ??
    new BootdiagError(`Cannot read ${path}: ${firstLine(error)}. Check the file and run again.`, {
      cause: error,
      code: 'NotReadable',
    })
  )
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)
}
