/**
 * `watch`: follow a VM's serial log while it boots and say how far the boot got.
 *
 * Every interval the log is read from where the last read stopped (a Range read that starts a few
 * bytes earlier, to check that those bytes are still the same); new lines are handed on, and the
 * current boot session is judged by the analyser (see watch-log-window.ts). The watch ends when
 * - the session reaches the `until` stage (exit 0),
 * - the analyser sees a failure outcome (exit 3): panic, emergency mode, an initramfs or fsck failure,
 *   a boot-loader failure at once; a kernel hang or failed provisioning once it held for a grace period
 *   without further progress (both can recover),
 * - or the timeout passes (exit 5; 3 if the boot is in a failure state at that moment).
 *
 * A log that was replaced (a redeploy or a deallocation moves the VM to a new host: the log is shorter,
 * its last bytes differ, or its ETag changed without growth) is read again from its first byte, and
 * the watch says so. A log that does not exist yet is waited for.
 *
 * Nothing here sleeps or reads the clock by itself, or knows Azure: the clock and the log reader are
 * passed in, so tests run on fake time against a fake log.
 */
import {setTimeout as sleep} from 'node:timers/promises'

import {STAGES, type Finding, type Outcome, type Session, type Stage, isHealthyOutcome} from '../../analysis/index.js'
import {cleanLine} from '../../analysis/line-cleaner.js'
import {ExitCode} from '../../errors.js'
import {formatDuration} from '../../util/duration.js'
import {BootLogWindow} from './log-window.js'

/** One read of the serial log. */
export interface SerialLogRead {
  /** the blob's size now */
  size: number
  etag: string | null
  /** when the blob was created (ms since the epoch), if the service says: a replaced log is a new blob */
  createdOn: number | null
  /** the bytes from the requested offset (empty when the offset is at or past the end) */
  data: Buffer
}

/** Reads the serial log; the Azure one is in watch-log-reader.ts, tests pass their own. */
export interface SerialLogReader {
  /** Up to `maxBytes` from byte `from`; null when the log does not exist (yet). */
  read(from: number, maxBytes: number, signal?: AbortSignal): Promise<SerialLogRead | null>
}

export interface WatchClock {
  /** milliseconds, only differences matter */
  now(): number
  /** resolves after `ms`, rejects when the signal aborts */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** The log as it was before an operation: what follows it is the new boot. */
export interface LogBaseline {
  /** bytes of the old log (up to its last byte that is not NUL padding) */
  bytes: number
  /** how many line ends those bytes hold */
  newlines: number
  /** the old log's last bytes (at most BASELINE_TAIL_BYTES), to recognise it again */
  tail: Buffer
  etag: string | null
  createdOn?: number | null
}

/** What the watch says as it goes: printed as text, or one JSON object per line (--json). */
export type WatchEvent =
  | {
      event: 'watching'
      until: Stage
      timeoutSeconds: number
      intervalSeconds: number
      from: 'start-of-log' | 'before-operation'
      elapsed: number
    }
  | {event: 'waiting'; reason: 'no-log' | 'no-new-boot'; elapsed: number}
  | {event: 'replaced'; reason: LogReplacedReason; previousBytes: number; elapsed: number}
  | {event: 'line'; line: number; text: string; elapsed: number}
  | {event: 'session'; startLine: number; kernel: string | null; partial: boolean; elapsed: number}
  | {event: 'stage'; stage: Stage; line: number; time: number | null; sessionStartLine: number; elapsed: number}
  | ({event: 'finding'; sessionStartLine: number; elapsed: number} & Pick<
      Finding,
      'rule' | 'category' | 'severity' | 'line' | 'text' | 'title' | 'advice'
    >)
  | {event: 'session-end'; startLine: number; outcome: Outcome; summary: string; elapsed: number}
  | ({event: 'done'; elapsed: number} & WatchResult)

export type LogReplacedReason = 'recreated' | 'shorter' | 'content-changed' | 'etag-changed' | 'deleted'

/** Where the watch stands, for a status line. */
export interface WatchStatus {
  elapsedMs: number
  until: Stage
  state: 'no-log' | 'no-new-boot' | 'booting'
  session: {startLine: number; stage: Stage | null} | null
}

export interface WatchResult {
  result: 'reached' | 'failed' | 'timeout'
  exitCode: 0 | 3 | 5
  until: Stage
  /** seconds from the start of the watch to its end */
  seconds: number
  /** one line: "boot reached login-prompt in 41 s", "boot stopped in emergency-mode: … (line 812)" */
  summary: string
  /** the analyser's verdict on the watched session, when there was one */
  verdict: {outcome: Outcome; lastStage: Stage | null; summary: string; startLine: number} | null
}

export interface WatchBootOptions {
  until: Stage
  timeoutMs: number
  intervalMs: number
  /** follow only what comes after this (the log before an operation); without it the whole log counts */
  baseline?: LogBaseline
  /** a name for the log in the analyser's report (the VM's) */
  source: string
  signal?: AbortSignal
  /** how long a kernel hang or failed provisioning must hold before it ends the watch */
  recoverableFailureGraceMs?: number
}

export interface WatchBootDependencies {
  reader: SerialLogReader
  clock: WatchClock
  emit(event: WatchEvent): void
  status?(status: WatchStatus): void
}

/** The real clock: Date.now, and a sleep that Ctrl-C (the signal) ends. */
export const systemClock: WatchClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, {signal}),
}

/** The old log's last bytes kept in a baseline and compared on every read. */
export const BASELINE_TAIL_BYTES = 1024
/** Largest Range read at once (a large log is read in several). */
export const READ_CHUNK_BYTES = 4 * 1024 * 1024
/** The longest line handed on whole; a longer one is handed on in pieces of this size. */
const MAX_LINE_BYTES = 64 * 1024
export const DEFAULT_RECOVERABLE_FAILURE_GRACE_MS = 120_000

const STAGE_RANK = new Map(STAGES.map((stage, rank) => [stage, rank]))
const SHUTDOWN_RANK = STAGES.indexOf('shutdown')
/** Outcomes that mean "not there yet" while the log grows: the boot or its shutdown goes on. */
const STILL_GOING: ReadonlySet<Outcome> = new Set(['boot-stuck', 'no-output', 'shutdown-hung'])
/** Failure outcomes the analyser takes back when the boot makes progress after them. */
const MAY_RECOVER: ReadonlySet<Outcome> = new Set(['kernel-hang', 'provisioning-failed'])
const NEWLINE = 0x0a

/**
 * Whether a session got as far as `until`: that stage or a later boot stage. `login-prompt` counts as
 * reached once the boot completed by the analyser's rule (a login prompt, the Azure agent's or
 * cloud-init's provisioning, or systemd's final target), as docs/DESIGN.md judges `booted`.
 */
export function reachedStage(session: Session, until: Stage): boolean {
  if (until === 'login-prompt' && session.outcome === 'booted') return true
  const wanted = STAGE_RANK.get(until)!
  return session.stages.some((reached) => {
    const rank = STAGE_RANK.get(reached.stage)!
    return reached.stage === until || (rank > wanted && rank < SHUTDOWN_RANK)
  })
}

/** A baseline from the whole old log (e.g. the serial.log of the snapshot taken before an operation). */
export function baselineOf(log: Buffer, etag: string | null, createdOn: number | null = null): LogBaseline {
  const builder = new LogBaselineBuilder()
  builder.add(log)
  return builder.baseline(etag, createdOn)
}

/** Read the whole log as it is now into a baseline (when no snapshot holds it); an absent log is empty. */
export async function captureBaseline(reader: SerialLogReader, signal?: AbortSignal): Promise<LogBaseline> {
  const counter = new LogBaselineBuilder()
  let last: SerialLogRead | undefined
  for (let from = 0; ;) {
    const read = await reader.read(from, READ_CHUNK_BYTES, signal)
    if (!read) return counter.baseline(null, null)
    last = read
    counter.add(read.data)
    from += read.data.length
    if (read.data.length === 0 || from >= read.size) break
  }

  return counter.baseline(last?.etag ?? null, last?.createdOn ?? null)
}

/** Follow the log until the boot reaches `until`, fails, or the time is up. */
export async function watchBoot(deps: WatchBootDependencies, options: WatchBootOptions): Promise<WatchResult> {
  return new BootWatch(deps, options).run()
}

/** Builds a baseline from a log read in pieces: counts its line ends and keeps its last bytes. */
export class LogBaselineBuilder {
  private bytes = 0
  /** bytes up to the last one that is not NUL */
  private contentEnd = 0
  private newlines = 0
  private tail: Buffer = Buffer.alloc(0)

  add(data: Buffer): void {
    for (let index = data.indexOf(NEWLINE); index >= 0; index = data.indexOf(NEWLINE, index + 1)) this.newlines++
    const end = contentLength(data)
    if (end > 0) {
      // NULs between the old content and this are content too (a page blob written further on)
      const nulsBefore = Math.min(this.bytes - this.contentEnd, BASELINE_TAIL_BYTES)
      this.tail = lastBytes(Buffer.concat([this.tail, Buffer.alloc(nulsBefore), lastBytes(data.subarray(0, end))]))
      this.contentEnd = this.bytes + end
    }

    this.bytes += data.length
  }

  /** Trailing NULs are a page blob's padding, not content: the baseline ends before them. */
  baseline(etag: string | null, createdOn: number | null): LogBaseline {
    return {bytes: this.contentEnd, createdOn, etag, newlines: this.newlines, tail: Buffer.from(this.tail)}
  }
}

function lastBytes(data: Buffer): Buffer {
  return data.length > BASELINE_TAIL_BYTES ? data.subarray(data.length - BASELINE_TAIL_BYTES) : data
}

/** Length of a log without its trailing NUL bytes (a page blob pads its last page with NULs). */
function contentLength(data: Buffer): number {
  let end = data.length
  while (end > 0 && data[end - 1] === 0) end--
  return end
}

class BootWatch {
  private readonly window: BootLogWindow
  private readonly started: number
  private readonly grace: number
  /** bytes of the log taken in (content, without trailing NUL padding) */
  private offset: number
  private tail: Buffer
  private etag: string | null
  private createdOn: number | null
  private logSeen: boolean
  /** line numbering of the `line` events: the number of the unfinished line and its bytes so far */
  private lineNumber: number
  private pendingLine: Buffer[] = []
  private pendingLength = 0
  /** print lines from the first read on (false: the first read is the log's past, not printed) */
  private printLines: boolean
  /** on the first judgement of a whole log, earlier sessions are its history: not announced */
  private announceHistory: boolean
  private readonly announced = new Set<string>()
  /** sessions that ended before the watch began (a whole log's past): never announced */
  private readonly history = new Set<string>()
  private failingSince: {key: string; at: number} | null = null
  private lastWaiting: WatchStatus['state'] | null = null
  private current: Session | null = null
  private judged = false
  /** new bytes came after the first read */
  private grewSinceStart = false

  constructor(
    private readonly deps: WatchBootDependencies,
    private readonly options: WatchBootOptions,
  ) {
    const {baseline} = options
    this.started = deps.clock.now()
    this.grace = options.recoverableFailureGraceMs ?? DEFAULT_RECOVERABLE_FAILURE_GRACE_MS
    this.offset = baseline?.bytes ?? 0
    this.tail = baseline?.tail ?? Buffer.alloc(0)
    this.etag = baseline?.etag ?? null
    this.createdOn = baseline?.createdOn ?? null
    this.logSeen = baseline !== undefined && baseline.bytes > 0
    this.lineNumber = (baseline?.newlines ?? 0) + 1
    this.printLines = baseline !== undefined
    this.announceHistory = baseline !== undefined
    this.window = new BootLogWindow({firstLine: this.lineNumber, startsInOldSession: this.offset > 0})
  }

  async run(): Promise<WatchResult> {
    const {options} = this
    this.emit({
      event: 'watching',
      from: options.baseline ? 'before-operation' : 'start-of-log',
      intervalSeconds: options.intervalMs / 1000,
      timeoutSeconds: options.timeoutMs / 1000,
      until: options.until,
    })
    for (;;) {
      const grew = await this.readNewBytes()
      if (grew && this.printLines) this.grewSinceStart = true
      // what the first read found is the log's past; from now on every line is new
      this.printLines = true
      const decided = grew || !this.judged ? this.judge() : this.decide()
      if (decided) return this.finish(decided)
      const elapsed = this.elapsed()
      if (elapsed >= options.timeoutMs) return this.finish(this.timedOut())
      this.reportStatus()
      await this.deps.clock.sleep(Math.min(options.intervalMs, options.timeoutMs - elapsed), options.signal)
    }
  }

  // --- reading --------------------------------------------------------------------------------------

  /** Read what was added since the last read; true when there was something. */
  private async readNewBytes(): Promise<boolean> {
    let grew = false
    for (;;) {
      const from = this.offset - this.tail.length
      const read = await this.deps.reader.read(from, READ_CHUNK_BYTES + this.tail.length, this.options.signal)
      if (!read) {
        if (this.logSeen) this.replaced('deleted')
        this.waiting('no-log')
        return grew
      }

      const replacedBecause = this.replacementIn(read)
      if (replacedBecause) {
        this.replaced(replacedBecause)
        continue
      }

      const added = read.data.subarray(this.tail.length)
      const content = added.subarray(0, contentLength(added))
      this.logSeen = true
      this.etag = read.etag
      this.createdOn = read.createdOn
      if (content.length > 0) {
        this.take(content)
        grew = true
      }

      if (content.length === 0 || from + read.data.length >= read.size) return grew
    }
  }

  /** Why the log read is not the continuation of what was read before, or undefined. */
  private replacementIn(read: SerialLogRead): LogReplacedReason | undefined {
    if (!this.logSeen) return undefined
    if (this.createdOn !== null && read.createdOn !== null && read.createdOn !== this.createdOn) return 'recreated'
    if (this.offset === 0) return undefined
    if (read.size < this.offset) return 'shorter'
    if (!read.data.subarray(0, this.tail.length).equals(this.tail)) return 'content-changed'
    const added = read.data.subarray(this.tail.length)
    if (contentLength(added) === 0 && this.etag !== null && read.etag !== null && read.etag !== this.etag)
      return 'etag-changed'
    return undefined
  }

  private replaced(reason: LogReplacedReason): void {
    this.emit({event: 'replaced', previousBytes: this.offset, reason})
    this.offset = 0
    this.tail = Buffer.alloc(0)
    this.etag = null
    this.createdOn = null
    this.logSeen = false
    this.lineNumber = 1
    this.pendingLine = []
    this.pendingLength = 0
    this.printLines = true
    this.announceHistory = true
    this.announced.clear()
    this.history.clear()
    this.failingSince = null
    this.lastWaiting = null
    this.current = null
    this.judged = false
    this.window.reset()
  }

  /** New content: to the window, to the line printer, and remembered for the next read's check. */
  private take(content: Buffer): void {
    this.window.append(content)
    if (this.printLines) this.printNewLines(content)
    else this.countLines(content)
    this.offset += content.length
    this.tail = Buffer.from(lastBytes(Buffer.concat([this.tail, lastBytes(content)])))
  }

  private countLines(content: Buffer): void {
    let last = -1
    for (let index = content.indexOf(NEWLINE); index >= 0; index = content.indexOf(NEWLINE, index + 1)) {
      this.lineNumber++
      last = index
    }

    if (last >= 0) {
      this.pendingLine = []
      this.pendingLength = 0
    }

    this.keepPending(content.subarray(last + 1))
  }

  private printNewLines(content: Buffer): void {
    let start = 0
    for (let index = content.indexOf(NEWLINE); index >= 0; index = content.indexOf(NEWLINE, start)) {
      this.keepPending(content.subarray(start, index))
      this.flushLine()
      this.lineNumber++
      start = index + 1
    }

    this.keepPending(content.subarray(start))
  }

  private keepPending(piece: Buffer): void {
    if (piece.length === 0) return
    this.pendingLine.push(Buffer.from(piece))
    this.pendingLength += piece.length
    if (this.pendingLength <= MAX_LINE_BYTES) return
    if (this.printLines) {
      // a very long line is handed on in pieces (with the same number)
      this.flushLine()
    } else {
      this.pendingLine = [Buffer.concat(this.pendingLine).subarray(-MAX_LINE_BYTES)]
      this.pendingLength = MAX_LINE_BYTES
    }
  }

  /** Hand on the line read so far (complete, or the unfinished last one when the watch ends). */
  private flushLine(): void {
    if (this.pendingLength === 0) {
      this.emit({event: 'line', line: this.lineNumber, text: ''})
      return
    }

    const bytes = Buffer.concat(this.pendingLine, this.pendingLength)
    this.pendingLine = []
    this.pendingLength = 0
    this.emit({event: 'line', line: this.lineNumber, text: cleanLine(bytes).replaceAll('\r', ' ')})
  }

  // --- judging --------------------------------------------------------------------------------------

  /** Judge the watched sessions after new bytes; a result when the watch is over. */
  private judge(): WatchResult | undefined {
    this.judged = true
    const {sessions, current} = this.window.judge(this.options.source)
    if (!this.announceHistory) for (const session of sessions.slice(0, -1)) this.history.add(sessionKey(session))
    this.announceHistory = true
    for (const [index, session] of sessions.entries()) {
      if (!this.history.has(sessionKey(session))) this.announce(session, index < sessions.length - 1)
    }
    this.current = current
    return this.decide()
  }

  /** Tell what is new about a session: that it started, its stages, its findings, how it ended. */
  private announce(session: Session, complete: boolean): void {
    const key = sessionKey(session)
    if (complete && this.announced.has(`${key}:end`)) return
    if (!this.announced.has(key)) {
      this.announced.add(key)
      this.emit({event: 'session', kernel: session.kernel, partial: session.partial, startLine: session.startLine})
    }

    for (const stage of session.stages) {
      const stageKey = `${key}:stage:${stage.stage}`
      if (this.announced.has(stageKey)) continue
      this.announced.add(stageKey)
      this.emit({
        event: 'stage',
        line: stage.line,
        sessionStartLine: session.startLine,
        stage: stage.stage,
        time: stage.time,
      })
    }

    for (const finding of session.findings) {
      const findingKey = `${key}:finding:${finding.rule}:${finding.line}`
      if (this.announced.has(findingKey)) continue
      this.announced.add(findingKey)
      const {advice, category, line, rule, severity, text, title} = finding
      this.emit({
        advice,
        category,
        event: 'finding',
        line,
        rule,
        sessionStartLine: session.startLine,
        severity,
        text,
        title,
      })
    }

    if (complete) {
      this.announced.add(`${key}:end`)
      this.emit({
        event: 'session-end',
        outcome: session.outcome,
        startLine: session.startLine,
        summary: session.summary ?? session.outcome,
      })
    }
  }

  /** Whether the current session decides the watch. */
  private decide(): WatchResult | undefined {
    const session = this.current
    if (!session) {
      this.waiting(this.logSeen ? 'no-new-boot' : 'no-log')
      return undefined
    }

    if (reachedStage(session, this.options.until)) return this.result('reached', session)
    const outcome = session.outcome
    if (STILL_GOING.has(outcome) || isHealthyOutcome(outcome)) {
      this.failingSince = null
      return undefined
    }

    if (!MAY_RECOVER.has(outcome)) return this.result('failed', session)
    const key = `${sessionKey(session)}:${outcome}`
    if (this.failingSince?.key !== key) this.failingSince = {at: this.deps.clock.now(), key}
    return this.deps.clock.now() - this.failingSince.at >= this.grace ? this.result('failed', session) : undefined
  }

  private timedOut(): WatchResult {
    const session = this.current
    if (session && !STILL_GOING.has(session.outcome) && !isHealthyOutcome(session.outcome))
      return this.result('failed', session)
    return this.result('timeout', session)
  }

  private result(result: WatchResult['result'], session: Session | null): WatchResult {
    const ms = this.elapsed()
    const seconds = Math.round(ms / 100) / 10
    const {until} = this.options
    const verdict = session
      ? {
          lastStage: session.lastStage,
          outcome: session.outcome,
          startLine: session.startLine,
          summary: session.summary ?? session.outcome,
        }
      : null
    const exitCode =
      result === 'reached' ? ExitCode.ok : result === 'failed' ? ExitCode.failureOutcome : ExitCode.partial
    // a VM that was there before anything new was read: say so rather than "in 0 s"
    const already = result === 'reached' && !this.options.baseline && !this.grewSinceStart
    const summary = already
      ? `boot had already reached ${until} when the watch began`
      : summaryOf(result, until, ms, session, this.lastWaiting)
    return {exitCode, result, seconds, summary, until, verdict}
  }

  private finish(result: WatchResult): WatchResult {
    // a boot waiting at a prompt ends without a newline: show that last line too
    if (this.printLines && this.pendingLength > 0) this.flushLine()
    this.emit({event: 'done', ...result})
    return result
  }

  // --- telling --------------------------------------------------------------------------------------

  private waiting(reason: 'no-log' | 'no-new-boot'): void {
    if (this.lastWaiting === reason) return
    this.lastWaiting = reason
    this.emit({event: 'waiting', reason})
  }

  private reportStatus(): void {
    const session = this.current
    this.deps.status?.({
      elapsedMs: this.elapsed(),
      session: session ? {stage: session.lastStage, startLine: session.startLine} : null,
      state: session ? 'booting' : this.logSeen ? 'no-new-boot' : 'no-log',
      until: this.options.until,
    })
  }

  private emit(event: DistributiveOmit<WatchEvent, 'elapsed'>): void {
    this.deps.emit({...event, elapsed: Math.round(this.elapsed() / 100) / 10})
  }

  private elapsed(): number {
    return this.deps.clock.now() - this.started
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

function sessionKey(session: Session): string {
  return String(session.startLine)
}

function summaryOf(
  result: WatchResult['result'],
  until: Stage,
  ms: number,
  session: Session | null,
  waiting: WatchStatus['state'] | null,
): string {
  const after = formatDuration(ms)
  if (result === 'reached') return `boot reached ${until} in ${after}`
  if (result === 'failed') return session?.summary ?? `boot failed: ${session?.outcome}`
  if (!session)
    return waiting === 'no-log' ? `no serial log after ${after}` : `no new boot in the serial log after ${after}`
  return `not at ${until} after ${after}: ${session.summary ?? `boot at ${session.lastStage}`}`
}
