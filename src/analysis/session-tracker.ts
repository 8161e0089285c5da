/**
 * The session splitter and stage tracker: turns matched stage markers and rules into boot sessions.
 *
 * A session opens at firmware/boot-loader lines or a kernel start when the current session already got
 * past them, at `Linux version` (unless it is user space printing /proc/version again), when the
 * kernel clock goes back, or at any stage after a session ended in a power-off or restart. Before the
 * first such start, the first line that shows progress opens a `partial` session. Stages only move
 * forward; what they mean for the outcome is decided in verdict.ts when the session is complete.
 */
import type {CompiledMarker, CompiledRule} from './catalogue.js'
import {shortText} from './line-cleaner.js'
import type {MarkerRole} from './rules/schema.js'
import {STAGES, type Finding, type Outcome, type Stage} from './types.js'

const KERNEL_RANK = STAGES.indexOf('kernel')
const SWITCH_ROOT_RANK = STAGES.indexOf('switch-root')
const SHUTDOWN_RANK = STAGES.indexOf('shutdown')
const BOOTED_STAGES = new Set<Stage>(['login-prompt', 'agent-provisioned'])
/** Distinct findings kept per session. */
export const MAX_FINDINGS_PER_SESSION = 200
/** The kernel clock going back by more than this (seconds) means a new boot. */
const CLOCK_RESET_SECONDS = 1

export interface MarkedLine {
  readonly line: number
  readonly text: string
  /** the line's own kernel timestamp */
  readonly time: number | null
}

export interface ReachedStage extends MarkedLine {
  readonly stage: Stage
  readonly rank: number
  /** the line's timestamp, or the last one before it in the session (for durations) */
  readonly effectiveTime: number | null
}

/** A rule that proves a failure outcome, as seen when it matched. */
export interface FailureSignal extends MarkedLine {
  readonly outcome: Outcome
  readonly rule: CompiledRule
  /** the furthest stage reached when it matched */
  readonly rankAtSignal: number
  readonly bootedBefore: boolean
}

export interface SessionState {
  readonly index: number
  readonly partial: boolean
  readonly startLine: number
  endLine: number
  kernel: string | null
  readonly stages: ReachedStage[]
  maxRank: number
  sawKernelBanner: boolean
  sawTimestamp: boolean
  lastTime: number | null
  booted: MarkedLine | null
  terminal: (MarkedLine & {role: MarkerRole}) | null
  lastProgressLine: number
  lastProvisionedLine: number
  /** findings in the order first seen */
  readonly findings: Finding[]
  /** per rule index: its findings by subject */
  readonly findingsByRule: Array<Map<string, Finding> | undefined>
  findingCount: number
  /** findings whose rule named what failed (a device, a unit): they explain more */
  readonly namedFindings: Set<Finding>
  findingsOmitted: number
  /** first and last signal of each failure outcome */
  readonly firstSignals: Map<Outcome, FailureSignal>
  readonly lastSignals: Map<Outcome, FailureSignal>
}

export interface TrackerHooks {
  /** a session is complete (a new one opened, or the input ended) */
  sessionClosed(session: SessionState): void
  /** the last kernel timestamp on a line before the current one, not before `minLine`, or null */
  timeBefore(minLine: number): number | null
}

export class SessionTracker {
  private current: SessionState | null = null
  private opened = 0

  constructor(private readonly hooks: TrackerHooks) {}

  get session(): SessionState | null {
    return this.current
  }

  /**
   * True when a line matching this marker, in the current state, can change nothing but the session's
   * "last progress" line: no session to open, no stage to reach, no role to play.
   */
  onlyProgress(marker: CompiledMarker): boolean {
    const session = this.current
    if (session === null || session.terminal !== null || BOOTED_STAGES.has(marker.stage)) return false
    if (marker.role === 'kernel-start') {
      return session.maxRank === KERNEL_RANK && (session.lastTime === null || session.lastTime <= CLOCK_RESET_SECONDS)
    }

    if (marker.role !== undefined) return false
    const stage = session.maxRank >= 0 ? STAGES[session.maxRank] : null
    return marker.rank <= session.maxRank || (stage !== null && marker.inertIn?.includes(stage) === true)
  }

  /** What `onlyProgress` depends on, as one small number (0 without a session). */
  get progressState(): number {
    const session = this.current
    if (session === null) return 0
    const early = session.lastTime === null || session.lastTime <= CLOCK_RESET_SECONDS ? 1 : 0
    return 1 + ((session.maxRank + 1) * 2 + (session.terminal === null ? 1 : 0)) * 2 + early
  }

  noteTime(time: number): void {
    const session = this.current
    if (!session) return
    session.sawTimestamp = true
    session.lastTime = time
  }

  onMarker(marker: CompiledMarker, marked: MarkedLine, groups: Record<string, string> | undefined): void {
    let session = this.current
    const clockWentBack = session !== null && marked.time !== null && session.lastTime !== null && marked.time + CLOCK_RESET_SECONDS < session.lastTime
    switch (marker.role) {
      case 'prelude': {
        if (session === null || session.terminal !== null || session.maxRank >= KERNEL_RANK) session = this.open(marked.line, false)
        break
      }

      case 'kernel-start': {
        if (session === null || session.terminal !== null || session.maxRank > KERNEL_RANK || clockWentBack) session = this.open(marked.line, false)
        break
      }

      case 'kernel-banner': {
        // /proc/version printed by user space: same text, but no timestamp where the kernel prints them
        if (session !== null && marked.time === null && session.sawTimestamp && session.terminal === null) return
        if (session === null || session.terminal !== null || session.sawKernelBanner || session.maxRank > KERNEL_RANK || clockWentBack) {
          session = this.open(marked.line, false)
        }

        session.sawKernelBanner = true
        session.kernel = groups?.release ?? null
        break
      }

      default: {
        if (session === null) session = this.open(marked.line, this.opened === 0)
        else if (session.terminal !== null && marker.rank < SHUTDOWN_RANK) session = this.open(marked.line, true)
      }
    }

    this.advance(session, marker, marked)
  }

  onFinding(rule: CompiledRule, marked: MarkedLine, subject: string | undefined): void {
    let session = this.current ?? this.open(marked.line, this.opened === 0)
    // a boot loader failing after a session got past its boot loader is the next boot's
    if (STAGES.indexOf(rule.stage) < KERNEL_RANK && (session.maxRank >= KERNEL_RANK || session.terminal !== null)) session = this.open(marked.line, false)
    let bySubject = session.findingsByRule[rule.index]
    if (bySubject === undefined) {
      bySubject = new Map()
      session.findingsByRule[rule.index] = bySubject
    }

    const known = bySubject.get(subject ?? '')
    if (known) {
      known.count = (known.count ?? 1) + 1
      known.lastLine = marked.line
      const text = shortText(marked.text)
      if (text === known.text) delete known.lastText
      else known.lastText = text
    } else if (session.findingCount < MAX_FINDINGS_PER_SESSION) {
      session.findingCount++
      const finding: Finding = {
        rule: rule.id,
        category: rule.category,
        severity: rule.severity,
        line: marked.line,
        text: shortText(marked.text),
        title: rule.title,
        advice: rule.advice,
        ...(rule.docs === undefined ? {} : {docs: rule.docs}),
        count: 1,
        lastLine: marked.line,
      }
      bySubject.set(subject ?? '', finding)
      session.findings.push(finding)
      if (subject) session.namedFindings.add(finding)
    } else {
      session.findingsOmitted++
    }

    const outcome = this.outcomeOf(rule, session)
    if (outcome === undefined) return
    const signal: FailureSignal = {...marked, text: shortText(marked.text), outcome, rule, rankAtSignal: session.maxRank, bootedBefore: session.booted !== null}
    if (!session.firstSignals.has(outcome)) session.firstSignals.set(outcome, signal)
    session.lastSignals.set(outcome, signal)
  }

  /** The input ended at `lines`: close the last session. */
  finish(lines: number): void {
    if (this.current) {
      this.current.endLine = Math.max(lines, this.current.startLine)
      this.hooks.sessionClosed(this.current)
      this.current = null
    }
  }

  private outcomeOf(rule: CompiledRule, session: SessionState): Outcome | undefined {
    const inInitramfs = session.maxRank >= KERNEL_RANK && session.maxRank < SWITCH_ROOT_RANK
    return (inInitramfs ? rule.outcomeInInitramfs : undefined) ?? rule.outcome
  }

  private open(line: number, partial: boolean): SessionState {
    if (this.current) {
      this.current.endLine = Math.max(line - 1, this.current.startLine)
      this.hooks.sessionClosed(this.current)
    }

    this.current = {
      index: this.opened++,
      partial,
      startLine: partial && this.opened === 1 ? 1 : line,
      endLine: line,
      kernel: null,
      stages: [],
      maxRank: -1,
      sawKernelBanner: false,
      sawTimestamp: false,
      lastTime: null,
      booted: null,
      terminal: null,
      lastProgressLine: line,
      lastProvisionedLine: 0,
      findings: [],
      findingsByRule: [],
      findingCount: 0,
      namedFindings: new Set(),
      findingsOmitted: 0,
      firstSignals: new Map(),
      lastSignals: new Map(),
    }
    return this.current
  }

  private advance(session: SessionState, marker: CompiledMarker, marked: MarkedLine): void {
    session.lastProgressLine = marked.line
    if (marker.stage === 'agent-provisioned') session.lastProvisionedLine = marked.line
    const stage = session.maxRank >= 0 ? STAGES[session.maxRank] : null
    const inert = stage !== null && marker.inertIn?.includes(stage) === true
    const bootedPair = BOOTED_STAGES.has(marker.stage) && stage !== null && BOOTED_STAGES.has(stage)
    const reached = session.stages.some((entry) => entry.stage === marker.stage)
    if (!inert && !reached && (marker.rank > session.maxRank || bootedPair)) {
      session.stages.push({...marked, text: shortText(marked.text), stage: marker.stage, rank: marker.rank, effectiveTime: this.effectiveTime(session, marker, marked)})
      session.maxRank = Math.max(session.maxRank, marker.rank)
    }

    if (marker.role === 'booted' || BOOTED_STAGES.has(marker.stage)) session.booted ??= {...marked, text: shortText(marked.text)}
    if (marker.role === 'powered-off' || marker.role === 'restarted') session.terminal = {...marked, text: shortText(marked.text), role: marker.role}
  }

  private effectiveTime(session: SessionState, marker: CompiledMarker, marked: MarkedLine): number | null {
    if (marked.time !== null) return marked.time
    const before = this.hooks.timeBefore(session.startLine)
    if (before !== null) return before
    // the kernel clock starts at zero
    return marker.stage === 'kernel' ? 0 : null
  }
}
