/**
 * What `bootdiag analyze` does, without oclif: open the log the user named (a file, `-` for stdin, or a
 * snapshot directory made by `bootdiag fetch`) as a stream, hand it to the analyser, and write the HTML
 * report. The log is streamed, never read whole: serial logs kept by Azure can be a gigabyte.
 *
 * Every failure a user can meet (missing file, unreadable file, a directory that is not a snapshot, an
 * HTML destination that cannot be written) becomes a one-line BootdiagError that says what to do.
 */
import {constants as fsConstants} from 'node:fs'
import {access, mkdtemp, open, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {Readable, addAbortSignal} from 'node:stream'
import {createGunzip} from 'node:zlib'

import {analyze} from '../analysis/index.js'
import {isGzip} from '../analysis/input-kind.js'
import type {AnalysisReport} from '../analysis/types.js'
import {BootdiagError, NotFoundError, UsageError, isAbortError, isBootdiagError} from '../errors.js'
import {renderAnalysisHtml} from '../output/analysis-html.js'
import {redact} from '../util/redact.js'

/** The files of a snapshot directory (see `bootdiag fetch`). */
export const SNAPSHOT_FILES = {
  log: 'serial.log',
  manifest: 'snapshot.json',
  screenshot: 'screenshot.png',
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

export interface AnalyzeLogOptions extends OpenLogOptions {
  /** FILE, `-` (stdin) or SNAPSHOT_DIR */
  target: string
  /** the analyser; the real one by default */
  analyzer?: AnalyzeFn
}

export interface AnalyzeLogResult {
  /** the analysis, with secrets (SAS signatures, tokens) removed from every string */
  report: AnalysisReport
  /** the snapshot's screenshot.png, if the log came from a snapshot that has one */
  screenshot?: string
}

/** Open the log, stream it through the analyser, and return its report. */
export async function analyzeLog(options: AnalyzeLogOptions): Promise<AnalyzeLogResult> {
  const input = await openLog(options.target, options)
  try {
    const report = await (options.analyzer ?? analyze)(gunzipIfGzip(input.stream), {source: input.source})
    return {report: redactStrings(report), screenshot: input.screenshot}
  } catch (error) {
    if (isBootdiagError(error) || isAbortError(error) || options.signal?.aborted) throw error
    const code = (error as NodeJS.ErrnoException)?.code
    if (code) throw readError(error, input.source === '-' ? 'stdin' : input.source)
    throw error
  } finally {
    await input.close()
  }
}

/**
 * Check, before a long analysis, that the HTML report can be written to `path`: its folder exists and
 * is writable, and it is not a directory.
 */
export async function checkHtmlTarget(path: string): Promise<void> {
  if (path === '-' || path === '') throw new UsageError('--html needs a file path, for example --html report.html.')
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory())
    throw new UsageError(
      `--html ${path} is a directory. Give a file path, for example --html ${join(path, 'report.html')}.`,
    )
  await access(dirname(resolve(path)), fsConstants.W_OK).catch((error: unknown) => {
    throw htmlWriteError(error, path)
  })
}

export interface HtmlReportOptions {
  /** the snapshot's screenshot.png, embedded in the page */
  screenshot?: string
  generatedAt?: Date
  version?: string
}

/**
 * Write the HTML report to `path`, atomically: a reader never sees half a page, and a failed write
 * leaves nothing behind.
 */
export async function writeHtmlReport(
  path: string,
  report: AnalysisReport,
  options: HtmlReportOptions = {},
): Promise<void> {
  const screenshotPng = options.screenshot ? await readFile(options.screenshot).catch(() => undefined) : undefined
  const html = renderAnalysisHtml(report, {
    generatedAt: options.generatedAt ?? new Date(),
    screenshotPng,
    version: options.version,
  })
  const folder = dirname(resolve(path))
  let temp: string | undefined
  try {
    temp = await mkdtemp(join(folder, `.${basename(path)}.`))
    const file = join(temp, 'report.html')
    await writeFile(file, html, {encoding: 'utf8', mode: 0o644})
    await rename(file, path)
  } catch (error) {
    throw htmlWriteError(error, path)
  } finally {
    if (temp) await rm(temp, {force: true, recursive: true}).catch(() => {})
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
  if (isBootdiagError(error)) return error
  const code = (error as NodeJS.ErrnoException)?.code
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR': {
      return new NotFoundError(
        `No such file or directory: ${path}. Pass the path of a serial log, a snapshot directory made by 'bootdiag fetch', or - to read stdin.`,
        {cause: error},
      )
    }

    case 'EACCES':
    case 'EPERM': {
      return new BootdiagError(
        `Cannot read ${path}: permission denied. Check its permissions, or copy it somewhere you can read.`,
        {
          cause: error,
          code: 'NotReadable',
        },
      )
    }

    default: {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
      return new BootdiagError(`Cannot read ${path}: ${reason}. Check the file and run again.`, {
        cause: error,
        code: 'NotReadable',
      })
    }
  }
}

function htmlWriteError(error: unknown, path: string): BootdiagError {
  if (isBootdiagError(error)) return error
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new BootdiagError(
      `Cannot write the HTML report ${path}: its folder does not exist. Create it, or choose another path for --html.`,
      {
        cause: error,
        code: 'NotWritable',
      },
    )
  }

  if (code === 'ENOSPC') {
    return new BootdiagError(
      `No space left to write the HTML report ${path}; nothing partial was kept. Free some space and run again.`,
      {
        cause: error,
        code: 'DiskFull',
      },
    )
  }

  return new BootdiagError(
    `Cannot write the HTML report ${path} (${code ?? 'error'}). Choose a writable path for --html.`,
    {
      cause: error,
      code: 'NotWritable',
    },
  )
}
