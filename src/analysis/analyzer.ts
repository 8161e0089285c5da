/**
 * The engine: reader (line-scanner) -> decoding (line-cleaner) -> stage markers and rules (catalogue)
 * -> sessions (session-tracker) -> outcomes (verdict). Feed it chunks with `push`, then `finish`.
 * Per line the work is bounded: lines without an anchor cost one automaton step per byte; lines whose
 * only anchors are progress markers of a stage already reached are not even decoded.
 */
import {builtinCatalogue, type Catalogue, type CompiledMarker, type CompiledRule} from './catalogue.js'
import {cleanLine, kernelTime} from './line-cleaner.js'
import {LineScanner, type CandidateLine} from './line-scanner.js'
import {SessionTracker} from './session-tracker.js'
import type {AnalysisReport, Session} from './types.js'
import {completeSession, verdictOf} from './verdict.js'

/** Sessions kept in the report; older ones are counted in `sessionsOmitted`. */
export const MAX_SESSIONS = 1000
/** Lines read back for the timestamp of a stage line that has none. */
const LOOKBACK_LINES = 64

export class Analyzer {
  private readonly scanner: LineScanner
  private readonly tracker: SessionTracker
  private readonly sessions: Session[] = []
  private sessionsOmitted = 0
  private readonly markerSeen: Uint32Array
  private readonly ruleSeen: Uint32Array
  private stamp = 0
  private readonly markers: CompiledMarker[] = []
  private readonly rules: CompiledRule[] = []
  private finished = false

  constructor(private readonly catalogue: Catalogue = builtinCatalogue()) {
    this.markerSeen = new Uint32Array(catalogue.markers.length)
    this.ruleSeen = new Uint32Array(catalogue.rules.length)
    this.scanner = new LineScanner(catalogue.automaton, {
      candidate: (line) => this.onCandidate(line),
      chunkEnd: () => this.onChunkEnd(),
    })
    this.tracker = new SessionTracker({
      sessionClosed: (state) => this.keep(completeSession(state)),
      timeBefore: (minLine) => this.timeBefore(minLine),
    })
  }

  /** Feed the next piece of the log. */
  push(chunk: Uint8Array | string): void {
    if (this.finished) throw new Error('Analyzer: push after finish')
    this.scanner.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)
  }

  /** The input ended: the report. */
  finish(source: string): AnalysisReport {
    this.finished = true
    const {bytes, lines} = this.scanner.end()
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

  private onCandidate(line: CandidateLine): void {
    const {markers, rules} = this.recordsFor(line)
    if (rules.length === 0 && this.tracker.onlyProgress(markers)) {
      this.tracker.noteProgress(line.number)
      return
    }

    const doubled = line.anchors.some((id) => this.catalogue.targets[id].doubled)
    const text = cleanLine(line.bytes, {doubled})
    const time = kernelTime(text)
    const marked = {line: line.number, text, time}
    markers.sort((a, b) => a.index - b.index)
    for (const marker of markers) {
      const match = marker.regex.exec(text)
      if (match) this.tracker.onMarker(marker, marked, match.groups)
    }

    const matched: Array<{rule: CompiledRule; subject: string | undefined}> = []
    for (const rule of rules) {
      const match = rule.regex.exec(text)
      if (match) matched.push({rule, subject: match.groups?.subject})
    }

    for (const {rule, subject} of matched) {
      const superseded = matched.some((other) => other.rule.supersedes?.includes(rule.id))
      if (!superseded) this.tracker.onFinding(rule, marked, subject)
    }

    if (time !== null) this.tracker.noteTime(time)
  }

  /** The distinct markers and rules behind the anchors of a line (reused arrays). */
  private recordsFor(line: CandidateLine): {markers: CompiledMarker[]; rules: CompiledRule[]} {
    const stamp = ++this.stamp
    const markers = this.markers
    const rules = this.rules
    markers.length = 0
    rules.length = 0
    for (const id of line.anchors) {
      const target = this.catalogue.targets[id]
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

    return {markers, rules}
  }

  /** At each chunk's end, refresh the session's clock from the last timestamped line read. */
  private onChunkEnd(): void {
    const session = this.tracker.session
    if (!session) return
    const time = this.timeBefore(session.startLine)
    if (time !== null) this.tracker.noteTime(time)
  }

  private timeBefore(minLine: number): number | null {
    for (const {number, bytes} of this.scanner.recentLines(LOOKBACK_LINES)) {
      if (number < minLine) break
      const time = kernelTime(cleanLine(bytes))
      if (time !== null) return time
    }

    return null
  }

  private keep(session: Session): void {
    this.sessions.push(session)
    if (this.sessions.length > MAX_SESSIONS) {
      this.sessions.shift()
      this.sessionsOmitted++
    }
  }
}
