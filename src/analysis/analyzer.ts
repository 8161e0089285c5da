/**
 * The engine: reader (line-scanner) -> decoding (line-cleaner) -> stage markers and rules (catalogue)
 * -> sessions (session-tracker) -> outcomes (verdict). Feed it chunks with `push`, then `finish`.
 * Per line the work is bounded: lines without an anchor cost one automaton step per byte; lines whose
 * only anchors are progress markers of a stage already reached are not even decoded.
 */
import {builtinCatalogue, type Catalogue, type CompiledMarker, type CompiledRule} from './catalogue.js'
import {detectInputKind, HEAD_BYTES, looksLikeKernelLog, type HeadKind} from './input-kind.js'
import {InputFilter} from './input-filter.js'
import {cleanLine, kernelTime, mostlyCapturePrefixed, PIECE_SEPARATOR, withoutCapturePrefix} from './line-cleaner.js'
import {LineScanner, MAX_ANCHORS_PER_LINE} from './line-scanner.js'
import {
  MAX_REPEAT_BYTES,
  SessionTracker,
  type MatchedMarker,
  type MatchedRule,
  type SessionState,
} from './session-tracker.js'
import type {AnalysisReport, Finding, InputDescription, Session} from './types.js'
import {completeSession, verdictOf} from './verdict.js'

/** Sessions kept in the report; older ones are counted in `sessionsOmitted`. */
export const MAX_SESSIONS = 500

const byIndex = (a: {index: number}, b: {index: number}) => a.index - b.index

/**
 * A hash of a line's bytes that ignores what changes from one redraw of a systemd status line to the
 * next: escape sequences (colours, cursor moves), carriage returns, digits (the timer), spaces and '*'
 * (the spinner).
 */
function lineShape(source: Buffer, start: number, end: number): number {
  let hash = 0x811c9dc5
  for (let index = start; index < end; index++) {
    const byte = source[index]
    if (byte === 0x1b) {
      if (source[index + 1] === 0x5b) {
        index += 2
        while (index < end && source[index] >= 0x20 && source[index] <= 0x3f) index++
      } else {
        index++
      }

      continue
    }

    if ((byte >= 0x30 && byte <= 0x39) || byte === 0x20 || byte === 0x2a || byte === 0x0d) continue
    hash = Math.imul(hash ^ byte, 0x01000193)
  }

  return hash >>> 0
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
}

function sameAnchors(anchors: Int32Array, count: number, previous: Int32Array, previousCount: number): boolean {
  if (count !== previousCount) return false
  for (let index = 0; index < count; index++) if (anchors[index] !== previous[index]) return false
  return true
}

/** The last candidate line, when a repeat of it only needs counting (see SessionTracker.repeatable). */
interface Repeatable {
  /** null: the last candidate line cannot be repeated this way */
  finding: Finding | null
  shape: number
  session: SessionState | null
  anchors: Int32Array
  anchorCount: number
}

export class Analyzer {
  private readonly scanner: LineScanner
  private readonly tracker: SessionTracker
  private readonly sessions: Session[] = []
  private sessionsOmitted = 0
  private readonly markerSeen: Uint32Array
  private readonly ruleSeen: Uint32Array
  private stamp = 0
  private progressState = -1
  /** progress-only anchors for each tracker state seen (few distinct states) */
  private readonly progressOnlyByState = new Map<number, Uint8Array>()
  private readonly markers: CompiledMarker[] = []
  private readonly rules: CompiledRule[] = []
  private readonly matchedMarkers: MatchedMarker[] = []
  private readonly matchedRules: MatchedRule[] = []
  private finished = false
  /** the first chunks, held back until the input's kind is known (null once it is) */
  private head: Uint8Array[] | null = []
  private headBytes = 0
  private inputKind: HeadKind = {kind: 'console', description: 'a serial console log'}
  /** for a journal: the message of one of its lines, or null for a line that holds none */
  private messageOf: ((line: string) => string | null) | null = null
  private readonly filter = new InputFilter()
  /** bytes of the log as given (the filter takes escape sequences out) */
  private inputBytes = 0
  private readonly repeat: Repeatable = {
    finding: null,
    shape: 0,
    session: null,
    anchors: new Int32Array(MAX_ANCHORS_PER_LINE),
    anchorCount: 0,
  }

  constructor(private readonly catalogue: Catalogue = builtinCatalogue()) {
    this.markerSeen = new Uint32Array(catalogue.markers.length)
    this.ruleSeen = new Uint32Array(catalogue.rules.length)
    this.scanner = new LineScanner(catalogue.automaton, {
      candidate: (number, source, start, end, anchors, anchorCount) =>
        this.onCandidate(number, source, start, end, anchors, anchorCount),
    })
    this.tracker = new SessionTracker({
      sessionClosed: (state) => {
        const progress = this.scanner.lastProgressLine
        if (progress >= state.startLine) state.lastProgressLine = Math.max(state.lastProgressLine, progress)
        const clock = this.scanner.lastKernelTime
        if (
          clock !== null &&
          clock.line >= Math.max(state.startLine, state.lastTimeLine) &&
          clock.line <= state.endLine
        )
          state.lastTime = clock.time
        this.keep(completeSession(state, this.catalogue.outcomeAdvice))
      },
      timeBefore: (minLine) => this.timeBefore(minLine),
      watchKernelLines: (fromLine, ignoreFrom, ignoreTo) =>
        this.scanner.watchKernelTime(fromLine, ignoreFrom, ignoreTo),
      kernelLineSeen: () => this.scanner.watchedKernelLine,
    })
    this.scanner.watchKernelTime(1)
  }

  /** Feed the next piece of the log. */
  push(chunk: Uint8Array | string): void {
    if (this.finished) throw new Error('Analyzer: push after finish')
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk)
    this.inputBytes += bytes.length
    // escape sequences out, bare carriage returns as line ends where the log has no newline (input-filter.ts)
    for (const piece of this.filter.push(bytes)) this.feed(piece)
  }

  /** A filtered piece: held back with the head until the input's kind is known, then scanned. */
  private feed(piece: Uint8Array): void {
    if (this.head === null) {
      this.scanner.push(piece)
      return
    }

    // copied: the filter hands on views of a buffer it reuses on the next push
    this.head.push(Buffer.from(piece))
    this.headBytes += piece.length
    if (this.headBytes >= HEAD_BYTES) this.readHead()
  }

  /** The input ended: the report. */
  finish(source: string): AnalysisReport {
    for (const piece of this.filter.end()) this.feed(piece)
    if (this.head !== null) this.readHead()
    this.finished = true
    const {lines} = this.scanner.end()
    const bytes = this.inputBytes
    this.tracker.finish(lines)
    const input = this.describeInput(lines)
    return {
      source,
      bytes,
      lines,
      sessions: this.sessions,
      verdict: verdictOf(this.sessions, lines, input, this.catalogue.outcomeAdvice),
      sessionsOmitted: this.sessionsOmitted,
      input,
    }
  }

  /** Tell what the input is from its first bytes, then read them. */
  private readHead(): void {
    const chunks = this.head!
    this.head = null
    const head = Buffer.concat(chunks).subarray(0, HEAD_BYTES)
    this.inputKind = detectInputKind(head)
    if (this.inputKind.kind === 'journal-export') this.messageOf = exportMessage
    if (this.inputKind.kind === 'journal-json') this.messageOf = jsonMessage
    if (this.inputKind.wrapping === 'lava-yaml') this.messageOf = lavaMessage
    // a capture tool's prefix on every line: the scanner finds the kernel's timestamps behind it
    this.scanner.capturePrefixed =
      this.inputKind.wrapping === 'lava-yaml' ||
      (this.inputKind.kind === 'console' && mostlyCapturePrefixed(head.toString('latin1').split('\n').slice(0, 40)))
    for (const chunk of chunks) this.scanner.push(chunk)
  }

  private describeInput(lines: number): InputDescription {
    const excerpt = (this.sessions[0]?.partial ?? false) && this.sessionsOmitted === 0
    const {kind, description} = this.inputKind
    // firmware or boot-loader output is a console's, whatever else the log holds
    const firmware = this.sessions.some((session) =>
      session.stages.some((stage) => stage.stage === 'firmware' || stage.stage === 'bootloader'),
    )
    if (
      kind === 'console' &&
      !firmware &&
      looksLikeKernelLog(this.scanner.kernelLikeLines, this.scanner.crLfLines, lines)
    ) {
      return {
        kind: 'kernel-log',
        excerpt,
        description: excerpt ? 'an excerpt of kernel messages (no boot start)' : 'kernel messages, as dmesg shows them',
      }
    }

    // bytes that only look binary (line noise at the start of a real log) when boots were found in it
    if (kind === 'binary' && description === 'binary data' && this.sessions.length > 0)
      return {kind: 'console', excerpt, description: 'a serial console log'}
    return {kind, excerpt, description}
  }

  private onCandidate(
    number: number,
    source: Buffer,
    start: number,
    end: number,
    anchors: Int32Array,
    anchorCount: number,
  ): void {
    const eligible = end - start <= MAX_REPEAT_BYTES
    const repeat = this.repeat
    let shape = -1
    if (
      repeat.finding !== null &&
      eligible &&
      repeat.session === this.tracker.session &&
      sameAnchors(anchors, anchorCount, repeat.anchors, repeat.anchorCount)
    ) {
      shape = lineShape(source, start, end)
      if (shape === repeat.shape) {
        this.tracker.repeatFinding(repeat.finding, number, source, start, end)
        return
      }
    }

    repeat.finding = null
    const events = this.tracker.lineEvents
    const doubled = this.collectRecords(anchors, anchorCount)
    const text = cleanLine(source, start, end, doubled)
    if (text.includes(PIECE_SEPARATOR)) {
      for (const piece of text.split(PIECE_SEPARATOR)) this.onPiece(number, piece.trimEnd())
    } else {
      this.onPiece(number, text)
    }

    if (this.tracker.progressState !== this.progressState) this.refreshProgressOnly()
    const finding = this.tracker.repeatable
    if (eligible && finding !== null && this.tracker.lineEvents === events + 1) {
      repeat.finding = finding
      repeat.shape = shape === -1 ? lineShape(source, start, end) : shape
      repeat.session = this.tracker.session
      repeat.anchors.set(anchors.subarray(0, anchorCount))
      repeat.anchorCount = anchorCount
    }
  }

  /** Match one (redrawn piece of a) line against the records collected for it. */
  private onPiece(number: number, line: string): void {
    let text = withoutCapturePrefix(line)
    let shown = line
    if (this.messageOf !== null) {
      const message = this.messageOf(text)
      if (message === null) return
      // the wrapped line may carry a capture tool's prefix of its own (a grabserial capture kept by LAVA)
      text = withoutCapturePrefix(message)
      shown = message
    }

    const time = kernelTime(text)
    const {markers, rules, matchedMarkers, matchedRules} = this
    matchedMarkers.length = 0
    matchedRules.length = 0
    if (markers.length > 1) markers.sort(byIndex)
    for (const marker of markers) {
      if (marker.groupsUsed) {
        const match = marker.regex.exec(text)
        if (match) matchedMarkers.push({marker, groups: match.groups})
      } else if (marker.regex.test(text)) {
        matchedMarkers.push({marker, groups: undefined})
      }
    }

    for (const rule of rules) {
      if (rule.groupsUsed) {
        const match = rule.regex.exec(text)
        if (match) matchedRules.push({rule, subject: match.groups?.subject})
      } else if (rule.regex.test(text)) {
        matchedRules.push({rule, subject: undefined})
      }
    }

    // a more specific rule matching the same line replaces the generic one
    const kept =
      matchedRules.length > 1
        ? matchedRules.filter(({rule}) => !matchedRules.some((other) => other.rule.supersedes?.includes(rule.id)))
        : matchedRules
    if (matchedMarkers.length > 0 || kept.length > 0)
      this.tracker.onLine({line: number, text: shown, time}, matchedMarkers, kept)
    if (time !== null) this.tracker.noteTime(time, number)
  }

  /** Gather the distinct markers and rules behind a line's anchors into the reused arrays; true when the line is doubled. */
  private collectRecords(anchors: Int32Array, anchorCount: number): boolean {
    const stamp = ++this.stamp
    const {markers, rules} = this
    markers.length = 0
    rules.length = 0
    let doubled = false
    for (let index = 0; index < anchorCount; index++) {
      const target = this.catalogue.targets[anchors[index]]
      if (target.doubled) doubled = true
      for (const marker of target.markers) {
        if (this.markerSeen[marker.index] !== stamp) {
          this.markerSeen[marker.index] = stamp
          markers.push(marker)
        }
      }

      for (const rule of target.rules) {
        if (this.ruleSeen[rule.index] !== stamp) {
          this.ruleSeen[rule.index] = stamp
          rules.push(rule)
        }
      }
    }

    return doubled
  }

  /**
   * Tell the scanner which anchors only show progress in the current state (their lines then need no
   * decoding at all). Recomputed only when the state they depend on changes.
   */
  private refreshProgressOnly(): void {
    const state = this.tracker.progressState
    if (state === this.progressState) return
    this.progressState = state
    let flags = this.progressOnlyByState.get(state)
    if (!flags) {
      flags = new Uint8Array(this.catalogue.targets.length)
      for (const [id, target] of this.catalogue.targets.entries()) {
        flags[id] =
          target.rules.length === 0 && target.markers.every((marker) => this.tracker.onlyProgress(marker)) ? 1 : 0
      }

      this.progressOnlyByState.set(state, flags)
    }

    this.scanner.setProgressOnly(flags)
  }

  /** The last kernel timestamp on a line before the current one, not before `minLine`. */
  private timeBefore(minLine: number): number | null {
    const last = this.scanner.lastKernelTime
    return last !== null && last.line >= minLine ? last.time : null
  }

  private keep(session: Session): void {
    this.sessions.push(session)
    if (this.sessions.length > MAX_SESSIONS) {
      this.sessions.shift()
      this.sessionsOmitted++
    }
  }
}

/** `journalctl -o export`: one field per line; the console's text is in MESSAGE=. */
function exportMessage(line: string): string | null {
  return line.startsWith('MESSAGE=') ? line.slice('MESSAGE='.length) : null
}

const JSON_MESSAGE = /"MESSAGE"\s*:\s*"((?:[^"\\]|\\.){0,8000})"/

/** `journalctl -o json`: one object per line; the console's text is its "MESSAGE" string. */
function jsonMessage(line: string): string | null {
  const match = JSON_MESSAGE.exec(line)
  if (!match) return null
  try {
    return JSON.parse(`"${match[1]}"`) as string
  } catch {
    return null
  }
}

/** A line of a LAVA job log for the target's console (`"lvl": "target"`, or "feedback" from another console). */
const LAVA_MESSAGE = /^- \{"dt": ?"[^"]{0,40}", ?"lvl": ?"(?:target|feedback)", ?"msg": ?"((?:[^"\\]|\\.){0,8000})"/

/** A LAVA job log: the console's line in "msg", decoded and cleaned as a console line; null for LAVA's own lines. */
function lavaMessage(line: string): string | null {
  const match = LAVA_MESSAGE.exec(line)
  if (!match) return null
  let message: string
  try {
    message = JSON.parse(`"${match[1]}"`) as string
  } catch {
    return null
  }

  // escape sequences and carriage returns the JSON kept: the last redrawn piece is what the console showed
  const bytes = Buffer.from(message, 'utf8')
  const pieces = cleanLine(bytes, 0, bytes.length).split(PIECE_SEPARATOR)
  return pieces.at(-1)!.trim()
}
