/**
 * The engine: reader (line-scanner) -> decoding (line-cleaner) -> stage markers and rules (catalogue)
 * -> sessions (session-tracker) -> outcomes (verdict). Feed it chunks with `push`, then `finish`.
 * Per line the work is bounded: lines without an anchor cost one automaton step per byte; lines whose
 * only anchors are progress markers of a stage already reached are not even decoded.
 */
import {builtinCatalogue, type Catalogue, type CompiledMarker, type CompiledRule} from './catalogue.js'
import {cleanLine, kernelTime, PIECE_SEPARATOR} from './line-cleaner.js'
import {InputFilter} from './input-filter.js'
import {LineScanner, MAX_ANCHORS_PER_LINE} from './line-scanner.js'
import {
  MAX_REPEAT_BYTES,
  SessionTracker,
  type MatchedMarker,
  type MatchedRule,
  type SessionState,
} from './session-tracker.js'
import type {AnalysisReport, Finding, Session} from './types.js'
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
        this.keep(completeSession(state))
      },
      timeBefore: (minLine) => this.timeBefore(minLine),
    })
  }

  /** Feed the next piece of the log. */
  push(chunk: Uint8Array | string): void {
    if (this.finished) throw new Error('Analyzer: push after finish')
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk)
    this.inputBytes += bytes.length
    // escape sequences out, bare carriage returns as line ends where the log has no newline (input-filter.ts)
    for (const piece of this.filter.push(bytes)) this.scanner.push(piece)
  }

  /** The input ended: the report. */
  finish(source: string): AnalysisReport {
    this.finished = true
    for (const piece of this.filter.end()) this.scanner.push(piece)
    const {lines} = this.scanner.end()
    const bytes = this.inputBytes
    this.tracker.finish(lines)
    return {
      source,
      bytes,
      lines,
      sessions: this.sessions,
      verdict: verdictOf(this.sessions, lines),
      sessionsOmitted: this.sessionsOmitted,
    }
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
  private onPiece(number: number, text: string): void {
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
      this.tracker.onLine({line: number, text, time}, matchedMarkers, kept)
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
