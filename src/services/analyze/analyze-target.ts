/**
 * What `bootdiag analyze` does with what it is given, both witnesses of boot diagnostics included:
 * - a serial log (a file, or `-` for stdin): the analyser's report, as always;
 * - a screenshot (a BMP as Azure serves it, or a PNG — told by its first bytes, not its name): the screen
 *   reader's reading, and the verdict it implies;
 * - a snapshot directory made by `bootdiag fetch` / `archive`: its serial log AND its screenshot, reconciled
 *   into one verdict with evidence from each (services/witness); a Windows VM's verdict comes from its
 *   screen, its empty serial log expected.
 *
 * The result is data: `output` is what `-o json` prints (the log's report with the screen's reading beside
 * it as `screen`, and the verdict of both), with every secret removed from every string.
 */
import {open, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import type {Readable} from 'node:stream'

import {type AnalysisReport, type Session, type Verdict, isHealthyOutcome} from '../../analysis/types.js'
import type {ReconciledVerdict, VerdictEvidence, Witness} from '../../screen/reconcile.js'
import type {ScreenReading} from '../../screen/types.js'
import {BootdiagError, NotFoundError, fileSystemError} from '../../errors.js'
import type {SnapshotManifest} from '../../store/manifest.js'
import {type ScreenReader, screenReaderFor} from '../witness/screen-reader.js'
import {witnessVerdict} from '../witness/verdict.js'
import {type AnalyzeFn, SNAPSHOT_FILES, analyzeLog, redactStrings} from './analyze-log.js'

/** The verdict `analyze` gives: the analyser's fields, and when a screenshot was read too, how both made it. */
export interface AnalyzeVerdict extends Verdict {
  /** a Microsoft troubleshooting article for the verdict (from the screen's kind) */
  docs?: string
  /** which witness gave the verdict: serial-log, screenshot, or both (they agree on a failure) */
  decidedBy?: Witness | 'both'
  /** the lines that prove it, each naming its witness: the log's (1-based line) and the screen's (0-based) */
  evidence?: VerdictEvidence[]
  /** the serial log's own verdict, when a log was read beside the screenshot */
  log?: Pick<Verdict, 'outcome' | 'lastStage' | 'session' | 'summary'>
}

/**
 * `analyze -o json` (docs/schemas/analyze.schema.json). A log alone: the analyser's report, unchanged. With
 * a screenshot: `screen` beside `sessions`, and `verdict` from both. A screenshot alone: no `lines` and
 * no `sessions`.
 */
export interface AnalyzeOutput {
  /** the log's path, '-' for stdin, or the screenshot's path when only a screenshot was read */
  source: string
  /** bytes of the log (of the screenshot when only a screenshot was read) */
  bytes: number
  lines?: number
  sessions?: Session[]
  sessionsOmitted?: number
  verdict: AnalyzeVerdict
  /** what the screenshot shows (the screen object of DESIGN.md; docs/schemas/screen.schema.json) */
  screen?: ScreenReading
  /** why a snapshot's screenshot was not read (the reader is off, it is not an image, OCR failed) */
  screenUnread?: string
  /** the screenshot file read */
  screenshot?: string
}

export interface AnalyzeTargetOptions {
  /** FILE (a log or a screenshot), `-` (stdin) or SNAPSHOT_DIR */
  target: string
  stdin?: Readable
  /** destroys the log's stream when aborted (Ctrl-C) */
  signal?: AbortSignal
  /** the analyser; the real one by default */
  analyzer?: AnalyzeFn
  /** also return the screenshot as PNG bytes (for the HTML report) */
  withScreenshot?: boolean
  /** the screen reader (default: one for this call, closed after; off when the settings say so) */
  screens?: ScreenReader
  /** the run's settings (BOOTDIAG_SCREEN_READER) */
  settings?: {screenReader?: boolean}
}

export interface AnalyzeTargetResult {
  output: AnalyzeOutput
  /** the verdict is healthy (booted, shutdown-complete, reboot): exit 0 */
  healthy: boolean
  /** the log's report, when a log was read */
  report?: AnalysisReport
  /** the screenshot file, when there is one */
  screenshot?: string
  /** its PNG bytes, when asked for and readable */
  screenshotPng?: Buffer
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A screenshot file is read whole; anything larger is not a screenshot (Azure's is about 1 MB). */
export const MAX_SCREENSHOT_BYTES = 64 * 1024 * 1024

/** What a path given to `analyze` is. */
type Target =
  | {kind: 'log'}
  | {kind: 'image'; path: string; bytes: number}
  | {kind: 'snapshot'; dir: string; log?: string; screenshot?: string; osType?: string | null}

export async function analyzeTarget(options: AnalyzeTargetOptions): Promise<AnalyzeTargetResult> {
  const target = await classify(options.target)
  const screens = options.screens ?? screenReaderFor(options.settings ?? {})
  try {
    if (target.kind === 'image') return await analyzeImage(target, screens, options)
    if (target.kind === 'snapshot' && !target.log) return await analyzeSnapshotScreen(target, screens, options)
    const logged = await analyzeLog({
      analyzer: options.analyzer,
      signal: options.signal,
      stdin: options.stdin,
      target: options.target,
      withScreenshot: false,
    })
    const {report} = logged
    if (target.kind !== 'snapshot' || !target.screenshot) {
      const screenshotPng = options.withScreenshot && logged.screenshot ? await pngOf(logged.screenshot) : undefined
      return {
        healthy: isHealthy(report.verdict.outcome),
        output: report,
        report,
        screenshot: logged.screenshot,
        ...(screenshotPng ? {screenshotPng} : {}),
      }
    }

    const read = await screens.readFile(target.screenshot)
    const output = combined(report, read, target.osType, target.screenshot)
    return {
      healthy: isHealthy(output.verdict.outcome),
      output,
      report,
      screenshot: target.screenshot,
      ...(options.withScreenshot ? await pngPart(target) : {}),
    }
  } finally {
    if (!options.screens) await screens.close()
  }
}

/** A screenshot alone: its reading, and the verdict it implies. */
async function analyzeImage(
  target: Extract<Target, {kind: 'image'}>,
  screens: ScreenReader,
  options: AnalyzeTargetOptions,
): Promise<AnalyzeTargetResult> {
  if (target.bytes > MAX_SCREENSHOT_BYTES)
    throw new BootdiagError(
      `${target.path} is ${target.bytes} bytes, too large for a screenshot (Azure's is about 1 MB). Pass a boot diagnostics screenshot (BMP or PNG).`,
      {code: 'UnreadableScreenshot'},
    )
  const bytes = await readFile(target.path).catch((error: unknown) => {
    throw readError(error, target.path)
  })
  const read = await screens.read(bytes)
  if ('unread' in read)
    throw new BootdiagError(
      `${target.path}: ${read.unread}. Pass a boot diagnostics screenshot (BMP or PNG) or a serial log.`,
      {code: 'UnreadableScreenshot'},
    )
  const output = screenOnly(read.reading, target.path, bytes.length)
  const png = options.withScreenshot ? await imageAsPng(bytes) : undefined
  return {
    healthy: isHealthy(output.verdict.outcome),
    output,
    screenshot: target.path,
    ...(png ? {screenshotPng: png} : {}),
  }
}

/** A snapshot without a serial log (a Windows VM's, often): its screenshot decides. */
async function analyzeSnapshotScreen(
  target: Extract<Target, {kind: 'snapshot'}>,
  screens: ScreenReader,
  options: AnalyzeTargetOptions,
): Promise<AnalyzeTargetResult> {
  const path = target.screenshot!
  const read = await screens.readFile(path)
  const size = (await stat(path).catch(() => undefined))?.size ?? 0
  const output: AnalyzeOutput =
    'reading' in read
      ? {...screenOnly(read.reading, path, size, target.osType)}
      : {
          bytes: size,
          screenUnread: read.unread,
          screenshot: path,
          source: path,
          verdict: {
            decidedBy: 'screenshot',
            evidence: [],
            lastStage: null,
            outcome: 'no-output',
            session: null,
            summary: `no serial log, and the screenshot was not read: ${read.unread}`,
          },
        }
  return {
    healthy: isHealthy(output.verdict.outcome),
    output: redactStrings(output),
    screenshot: path,
    ...(options.withScreenshot ? await pngPart(target) : {}),
  }
}

function screenOnly(reading: ScreenReading, path: string, bytes: number, osType?: string | null): AnalyzeOutput {
  const {verdict} = witnessVerdict({log: null, osType, screen: {reading}})
  return redactStrings({
    bytes,
    screen: reading,
    screenshot: path,
    source: path,
    verdict: analyzeVerdict(verdict, null),
  })
}

/** The log's report with the screen's reading beside it, and the verdict of both. */
function combined(
  report: AnalysisReport,
  read: {reading: ScreenReading} | {unread: string},
  osType: string | null | undefined,
  screenshot: string,
): AnalyzeOutput {
  const {verdict} = witnessVerdict({log: report, osType, screen: read})
  return redactStrings({
    ...report,
    screenshot,
    verdict: analyzeVerdict(verdict, report),
    ...('reading' in read ? {screen: read.reading} : {screenUnread: read.unread}),
  })
}

function analyzeVerdict(verdict: ReconciledVerdict, report: AnalysisReport | null): AnalyzeVerdict {
  const fromLog = report !== null && verdict.decidedBy !== 'screenshot' && !verdict.summary.startsWith('screen: ')
  return {
    lastStage: verdict.lastStage,
    outcome: verdict.outcome,
    session: fromLog ? report.verdict.session : null,
    summary: verdict.summary,
    ...(verdict.advice ? {advice: verdict.advice} : {}),
    ...(verdict.docs ? {docs: verdict.docs} : {}),
    decidedBy: verdict.decidedBy,
    evidence: verdict.evidence,
    ...(report
      ? {
          log: {
            lastStage: report.verdict.lastStage,
            outcome: report.verdict.outcome,
            session: report.verdict.session,
            summary: report.verdict.summary,
          },
        }
      : {}),
  }
}

/** FILE, `-` or SNAPSHOT_DIR: a log, a screenshot (by its first bytes) or a snapshot (with what it holds). */
async function classify(path: string): Promise<Target> {
  if (path === '-' || !path) return {kind: 'log'}
  const info = await stat(path).catch(() => undefined)
  if (!info) return {kind: 'log'} // the log reader says what is wrong with it
  if (info.isDirectory()) {
    const [log, bmp, png] = await Promise.all(
      [SNAPSHOT_FILES.log, SNAPSHOT_FILES.screenshotBmp, SNAPSHOT_FILES.screenshot].map(async (name) =>
        (await isFile(join(path, name))) ? join(path, name) : undefined,
      ),
    )
    // the PNG made from the screenshot (what people open), else the BMP as Azure served it
    const screenshot = png ?? bmp
    if (!log && !screenshot) {
      throw new NotFoundError(
        `${path} is a directory without a ${SNAPSHOT_FILES.log} or a screenshot, so it is not a snapshot. Pass a snapshot directory made by 'bootdiag fetch', a serial log, or a screenshot.`,
        {code: 'NotASnapshot'},
      )
    }

    return {dir: path, kind: 'snapshot', log, osType: await osTypeOf(path), screenshot}
  }

  if (info.isFile() && (await isImage(path))) return {bytes: info.size, kind: 'image', path}
  return {kind: 'log'}
}

/** A file that starts like a BMP or a PNG. */
async function isImage(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined)
  if (!handle) return false
  try {
    const head = Buffer.alloc(8)
    const {bytesRead} = await handle.read(head, 0, 8, 0)
    // 'BM' and a plausible header size: a log that happens to start with "BM" is still a log
    if (bytesRead >= 2 && head.toString('latin1', 0, 2) === 'BM') return bytesRead >= 6 && head.readUInt32LE(2) >= 26
    return bytesRead === 8 && head.equals(PNG_SIGNATURE)
  } finally {
    await handle.close()
  }
}

/** The VM's OS type as the snapshot's snapshot.json recorded it, when it did. */
async function osTypeOf(dir: string): Promise<string | null> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, SNAPSHOT_FILES.manifest), 'utf8')) as SnapshotManifest
    return manifest.vm?.osType ?? null
  } catch {
    return null
  }
}

async function pngPart(target: Extract<Target, {kind: 'snapshot'}>): Promise<{screenshotPng?: Buffer}> {
  const png = join(target.dir, SNAPSHOT_FILES.screenshot)
  const bytes = (await isFile(png)) ? await pngOf(png) : target.screenshot ? await pngOf(target.screenshot) : undefined
  return bytes ? {screenshotPng: bytes} : {}
}

/** A screenshot file's bytes as PNG (a BMP is converted), or undefined when it cannot be. */
async function pngOf(path: string): Promise<Buffer | undefined> {
  const bytes = await readFile(path).catch(() => undefined)
  return bytes ? imageAsPng(bytes) : undefined
}

async function imageAsPng(bytes: Buffer): Promise<Buffer | undefined> {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return bytes
  try {
    return (await import('../../screen/image.js')).bmpToPng(bytes)
  } catch {
    return undefined
  }
}

const isHealthy = isHealthyOutcome

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false
}

function readError(error: unknown, path: string): BootdiagError {
  return (
    fileSystemError(error, {
      missingFix: 'Pass the path of a serial log, a screenshot, or a snapshot directory made by bootdiag fetch.',
      what: path,
      writing: false,
    }) ?? new BootdiagError(`Cannot read ${path}. Check the file and run again.`, {cause: error, code: 'NotReadable'})
  )
}
