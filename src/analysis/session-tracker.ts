/**
 * The session splitter and stage tracker: turns matched stage markers and rules into boot sessions.
 *
 * A session opens at firmware/boot-loader lines or a kernel start when the current session already got
 * past them, when a firmware banner comes again (a reset, even with no kernel in between), at `Linux
 * version` (unless it is user space printing /proc/version again), when the kernel clock goes back, or at
 * any stage after a session ended in a power-off or restart. Before the first such start, the first line
 * that shows progress opens a `partial` session: a stage marker, a finding, or a line the kernel printed
 * (its timestamp), so an excerpt of kernel messages is a session in the kernel stage.
 *
 * Stages only move forward, with one exception: systemd's and udev's generic lines reached from before
 * the initramfs (a quiet boot) are tentative, and a later initramfs or switch-root marker takes them back.
 * A finding proves the stage its rule `implies` (a kernel message: the kernel; an emergency prompt:
 * systemd's services). What the stages mean for the outcome is decided in verdict.ts when the session is
 * complete.
 */
import {adviceForFinding} from './advice.js'
import type {CompiledMarker, CompiledRule} from './catalogue.js'
import {shortText} from './line-cleaner.js'
import type {MarkerRole} from './rules/schema.js'
import {STAGES, type Finding, type Outcome, type Stage} from './types.js'

const KERNEL_RANK = STAGES.indexOf('kernel')
const INITRAMFS_RANK = STAGES.indexOf('initramfs')
const SWITCH_ROOT_RANK = STAGES.indexOf('switch-root')
const SERVICES_RANK = STAGES.indexOf('systemd-services')
const SHUTDOWN_RANK = STAGES.indexOf('shutdown')
const BOOTED_STAGES = new Set<Stage>(['login-prompt', 'agent-provisioned'])
/** Roles of markers that show a boot starting (before them, a log begins mid-run). */
const STARTING_ROLES = new Set<MarkerRole>(['firmware-start', 'prelude', 'kernel-start', 'kernel-banner'])
/** Distinct findings kept per session. */
export const MAX_FINDINGS_PER_SESSION = 100
/** Bytes of a repeated line kept for its text (longer lines are never treated as repeats). */
export const MAX_REPEAT_BYTES = 1024
/** The kernel clock going back by more than this (seconds) means a new boot. */
const CLOCK_RESET_SECONDS = 1
/**
 * After `reboot: Restarting system`, the same kernel prints for a moment at most (`reboot: machine
 * restart`): a kernel line this much later (seconds), or a finding, is the next run's, whose start the
 * log did not keep.
 */
const AFTER_RESTART_SECONDS = 30
/** The kernel's last words, which may come twice (`reboot: Power down`, then `Power down.`) */
const TERMINAL_ROLES = new Set<MarkerRole | undefined>(['powered-off', 'restarted'])

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
  /** proven by a finding (its rule `implies` it) or by a kernel timestamp, not by a stage marker: no progress */
  readonly implied: boolean
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
  /** the line of lastTime */
  lastTimeLine: number
  booted: MarkedLine | null
  /** the kernel's last words: `reboot: Power down`, `reboot: Restarting system` */
  terminal: (MarkedLine & {role: MarkerRole}) | null
  /** user space's last words (systemd-shutdown's "Powering off.", sysvinit's "Will now halt.") */
  lastWords: (MarkedLine & {role: MarkerRole}) | null
  /** a new session opened after this one (the machine started again) */
  followed: boolean
  /** index in `stages` where tentative stages begin (generic systemd lines of a quiet boot), or -1 */
  tentativeFrom: number
  /** firmware banners seen in this session (the same one again is a reset) */
  readonly banners: Set<string>
  lastProgressLine: number
  /** the last line that gave this session a stage, a finding or a marker */
  lastItemLine: number
  /** findings in the order first seen */
  readonly findings: Finding[]
  /** per rule index: its findings by subject */
  readonly findingsByRule: Array<Map<string, Finding> | undefined>
  findingCount: number
  /** findings whose rule named what failed (a device, a unit): they explain more */
  readonly namedFindings: Set<Finding>
  /** raw bytes of the last repeat of a finding, read into its lastText when the session is complete */
  readonly pendingLastText: Map<Finding, {bytes: Buffer; length: number}>
  findingsOmitted: number
  /** first and last signal of each failure outcome */
  readonly firstSignals: Map<Outcome, FailureSignal>
  readonly lastSignals: Map<Outcome, FailureSignal>
}

export interface MatchedMarker {
  readonly marker: CompiledMarker
  readonly groups: Record<string, string> | undefined
}

export interface MatchedRule {
  readonly rule: CompiledRule
  readonly subject: string | undefined
}

export interface TrackerHooks {
  /** a session is complete (a new one opened, or the input ended) */
  sessionClosed(session: SessionState): void
  /** the last kernel timestamp on a line before the current one, not before `minLine`, or null */
  timeBefore(minLine: number): number | null
  /**
   * Watch for the first line, from `fromLine` on, that begins with a kernel timestamp (any line, with or
   * without an anchor) not in [ignoreFrom, ignoreTo]; `kernelLineSeen` gives it. Watching again forgets
   * what was seen.
   */
  watchKernelLines(fromLine: number, ignoreFrom?: number, ignoreTo?: number): void
  /** the line (and its time) the watch saw, or null */
  kernelLineSeen(): {line: number; time: number} | null
}

/**
 * Findings are grouped by rule and subject. systemd shortens long unit names with "…" differently from
 * one redraw to the next ("dev-disk-by\x2duuid-3f…vice", "dev-disk-by\x2duuid-3f0e8a52\x2…ice"): keep
 * what comes before the "…", and treat two such keys as one when one starts with the other.
 */
function subjectKey(subject: string | undefined): string {
  if (subject === undefined) return ''
  const cut = subject.indexOf('…')
  return cut < 0 ? subject : `${subject.slice(0, cut)}…`
}

function similarTruncated(bySubject: ReadonlyMap<string, Finding>, key: string): Finding | undefined {
  const stem = key.slice(0, -1)
  for (const [other, finding] of bySubject) {
    if (!other.endsWith('…')) continue
    const otherStem = other.slice(0, -1)
    if (stem.startsWith(otherStem) || otherStem.startsWith(stem)) return finding
  }

  return undefined
}

export class SessionTracker {
  private current: SessionState | null = null
  private opened = 0
  /** lines (or pieces) handed to onLine so far */
  lineEvents = 0
  /** the finding the last onLine gave, when a repeat of that line only needs counting */
  repeatable: Finding | null = null

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
    if (marker.role === 'alive') return session !== null
    if (session === null || ended(session) || BOOTED_STAGES.has(marker.stage)) return false
    if (marker.role === 'kernel-start') {
      return session.maxRank === KERNEL_RANK && (session.lastTime === null || session.lastTime <= CLOCK_RESET_SECONDS)
    }

    if (marker.role !== undefined) return false
    if (takesBackTentative(marker, session)) return false
    return marker.rank <= session.maxRank || inertIn(marker, session)
  }

  /** What `onlyProgress` depends on, as one small number (0 without a session). */
  get progressState(): number {
    const session = this.current
    if (session === null) return 0
    const early = session.lastTime === null || session.lastTime <= CLOCK_RESET_SECONDS ? 1 : 0
    const tentative = session.tentativeFrom >= 0 ? 1 : 0
    return 1 + (((session.maxRank + 1) * 2 + (ended(session) ? 0 : 1)) * 2 + tentative) * 2 + early
  }

  noteTime(time: number, line: number): void {
    const session = this.current
    if (!session) return
    session.sawTimestamp = true
    session.lastTime = time
    session.lastTimeLine = line
  }

  /**
   * One line (or redrawn piece) with the markers and rules that matched it, markers in table order.
   * Whether it opens a new session is decided first, against the state before the line, so that all
   * it shows lands in one session.
   */
  onLine(marked: MarkedLine, markers: readonly MatchedMarker[], rules: readonly MatchedRule[]): void {
    this.lineEvents++
    this.repeatable = null
    let accepted = markers.some(({marker}) => marker.role === 'kernel-banner')
      ? markers.filter(({marker}) => !this.isUserSpaceBanner(marker, marked))
      : markers
    if (accepted.some(({marker}) => marker.role === 'alive')) {
      // user space answering: progress in the session there is, and nothing more
      if (this.current !== null) this.current.lastProgressLine = marked.line
      accepted = accepted.filter(({marker}) => marker.role !== 'alive')
    }

    if (accepted.length === 0 && rules.length === 0) return
    this.catchUpKernelLines(marked.line)
    const start = this.startOf(marked, accepted, rules)
    const session = start === null ? this.current! : this.open(marked.line, start === 'partial')
    session.lastItemLine = marked.line
    // the line's own kernel timestamp shows the kernel ran, unless the line starts the next boot
    if (marked.time !== null && start !== 'start') this.reachImplied(session, 'kernel', marked)
    for (const {marker, groups} of accepted) {
      if (marker.role === 'kernel-banner') {
        session.sawKernelBanner = true
        session.kernel = groups?.release ?? null
      }

      if (marker.role === 'firmware-start') session.banners.add(bannerOf(marker, groups, marked.text))
      this.advance(session, marker, marked)
    }

    for (const {rule, subject} of rules) {
      const finding = this.onFinding(session, rule, marked, subject)
      // a plain finding alone on its line: the same line again (a redraw) only needs counting
      if (
        accepted.length === 0 &&
        rules.length === 1 &&
        finding !== null &&
        this.outcomeOf(rule, session) === undefined
      )
        this.repeatable = finding
    }
  }

  /**
   * The line is a repeat of the one that last gave `finding` (same anchors, same bytes but for digits
   * and spinners): count it, and keep its bytes to read its text only when the session is complete.
   */
  repeatFinding(finding: Finding, line: number, source: Buffer, start: number, end: number): void {
    const session = this.current!
    finding.count = (finding.count ?? 1) + 1
    finding.lastLine = line
    session.lastItemLine = line
    let raw = session.pendingLastText.get(finding)
    if (raw === undefined) {
      raw = {bytes: Buffer.allocUnsafe(MAX_REPEAT_BYTES), length: 0}
      session.pendingLastText.set(finding, raw)
    }

    raw.length = source.copy(raw.bytes, 0, start, Math.min(end, start + MAX_REPEAT_BYTES))
  }

  /** `Linux version …` without a timestamp where the kernel prints them: user space showing /proc/version. */
  private isUserSpaceBanner(marker: CompiledMarker, marked: MarkedLine): boolean {
    const session = this.current
    return (
      marker.role === 'kernel-banner' &&
      session !== null &&
      marked.time === null &&
      session.sawTimestamp &&
      !ended(session)
    )
  }

  /**
   * Lines the kernel printed (a timestamp at their start) since the session opened, before the current
   * line: the kernel ran. Without a session they open a partial one (an excerpt of kernel messages).
   */
  private catchUpKernelLines(beforeLine: number): void {
    const seen = this.hooks.kernelLineSeen()
    if (seen === null || seen.line >= beforeLine) return
    this.hooks.watchKernelLines(0)
    const marked = {line: seen.line, text: '', time: seen.time}
    if (this.current === null) {
      if (this.opened > 0) return
      this.open(seen.line, true)
    } else if (this.current.terminal?.role === 'restarted' && seen.line > this.current.terminal.line) {
      // the watch set at the restart saw a kernel line from another run (see AFTER_RESTART_SECONDS)
      this.open(seen.line, true)
    }

    this.reachImplied(this.current!, 'kernel', marked)
    // its clock, so that a kernel starting again (back at zero) is the next boot
    if (this.current!.lastTime === null) this.noteTime(seen.time, seen.line)
  }

  /** Does this line open a session: null (no), 'start' (a boot starts here) or 'partial'? */
  private startOf(
    marked: MarkedLine,
    markers: readonly MatchedMarker[],
    rules: readonly MatchedRule[],
  ): 'start' | 'partial' | null {
    const session = this.current
    const startsABoot = markers.some(({marker}) => marker.role !== undefined && STARTING_ROLES.has(marker.role))
    if (session === null) return startsABoot || this.opened > 0 ? 'start' : 'partial'

    // a kernel line after the restart, outside the moment the kernel still prints, is another run's, whose
    // start the log did not keep — unless the line is a boot's start itself (then the markers below open it)
    if (marked.time !== null && !startsABoot && afterRestart(session, marked)) return 'partial'
    const clockWentBack =
      marked.time !== null && session.lastTime !== null && marked.time + CLOCK_RESET_SECONDS < session.lastTime
    const done = ended(session)
    // tentative stages (generic lines before any kernel or initramfs) may be firmware chatter: they do
    // not make the session one that got past its kernel
    const firm = firmRank(session)
    for (const {marker, groups} of markers) {
      switch (marker.role) {
        case 'firmware-start': {
          // past this firmware's stage, or its banner again: the machine was reset
          if (done || firm > marker.rank || session.banners.has(bannerOf(marker, groups, marked.text))) return 'start'
          break
        }

        case 'prelude': {
          if (done || firm >= KERNEL_RANK) return 'start'
          break
        }

        case 'kernel-start': {
          if (done || firm > KERNEL_RANK || clockWentBack) return 'start'
          break
        }

        case 'kernel-banner': {
          if (done || session.sawKernelBanner || firm > KERNEL_RANK || clockWentBack) return 'start'
          break
        }

        default: {
          // after a power-off or restart, any sign of a boot is the next session
          if (done && marker.rank < SHUTDOWN_RANK) return 'partial'
          // after the kernel's last words, a shutdown again is another run's (its boot not kept)
          if (
            session.terminal !== null &&
            marked.line > session.terminal.line &&
            marker.rank === SHUTDOWN_RANK &&
            !TERMINAL_ROLES.has(marker.role)
          )
            return 'partial'
        }
      }
    }

    // a finding after a restart, not in the moment the kernel still prints, is the next run's
    if (rules.length > 0 && afterRestart(session, marked)) return 'partial'
    // a boot loader failing after the session got past its boot loader is the next boot's
    if (
      markers.length === 0 &&
      rules.some(({rule}) => STAGES.indexOf(rule.stage) < KERNEL_RANK) &&
      (done || firm >= KERNEL_RANK)
    )
      return 'start'
    return null
  }

  private onFinding(
    session: SessionState,
    rule: CompiledRule,
    marked: MarkedLine,
    subject: string | undefined,
  ): Finding | null {
    let bySubject = session.findingsByRule[rule.index]
    if (bySubject === undefined) {
      bySubject = new Map()
      session.findingsByRule[rule.index] = bySubject
    }

    const key = subjectKey(subject)
    const known = bySubject.get(key) ?? (key.endsWith('…') ? similarTruncated(bySubject, key) : undefined)
    let finding: Finding | null = known ?? null
    if (known) {
      known.count = (known.count ?? 1) + 1
      known.lastLine = marked.line
      const text = shortText(marked.text)
      if (text === known.text) delete known.lastText
      else known.lastText = text
      session.pendingLastText.delete(known)
    } else if (session.findingCount < MAX_FINDINGS_PER_SESSION) {
      session.findingCount++
      const named = subject?.trim() || undefined
      const chosen = adviceForFinding(rule.adviceEntries, named)
      const docs = chosen ? chosen.docs : rule.docs
      finding = {
        rule: rule.id,
        category: rule.category,
        severity: rule.severity,
        line: marked.line,
        text: shortText(marked.text),
        title: rule.title,
        advice: chosen?.advice ?? rule.advice,
        ...(docs === undefined ? {} : {docs}),
        ...(chosen ? {adviceId: chosen.adviceId} : {}),
        ...(named === undefined ? {} : {subject: shortText(named)}),
        ...(chosen?.repair === undefined ? {} : {repair: chosen.repair}),
        count: 1,
        lastLine: marked.line,
      }
      bySubject.set(key, finding)
      session.findings.push(finding)
      if (subject) session.namedFindings.add(finding)
    } else {
      session.findingsOmitted++
    }

    const outcome = this.outcomeOf(rule, session)
    const implied = outcome !== undefined && outcome === rule.outcomeInInitramfs ? 'initramfs' : rule.implies
    if (implied !== undefined) this.reachImplied(session, implied, marked)
    if (outcome === undefined) return finding
    const signal: FailureSignal = {
      ...marked,
      text: shortText(marked.text),
      outcome,
      rule,
      rankAtSignal: session.maxRank,
      bootedBefore: session.booted !== null,
    }
    if (!session.firstSignals.has(outcome)) session.firstSignals.set(outcome, signal)
    session.lastSignals.set(outcome, signal)
    return finding
  }

  /** The input ended at `lines`: close the last session. */
  finish(lines: number): void {
    this.catchUpKernelLines(lines + 1)
    if (this.current) {
      this.current.endLine = Math.max(lines, this.current.startLine)
      this.hooks.sessionClosed(this.current)
      this.current = null
    }
  }

  private outcomeOf(rule: CompiledRule, session: SessionState): Outcome | undefined {
    if (rule.unless !== undefined && session.stages.some((entry) => entry.stage === rule.unless)) return undefined
    const inInitramfs = session.maxRank >= KERNEL_RANK && session.maxRank < SWITCH_ROOT_RANK
    return (inInitramfs ? rule.outcomeInInitramfs : undefined) ?? rule.outcome
  }

  private open(line: number, partial: boolean): SessionState {
    if (this.current) {
      // one physical line can hold the end of a boot and the start of the next (redrawn pieces,
      // or a line longer than the scanner keeps whole): then both sessions have that line
      this.current.endLine = Math.max(line - 1, this.current.startLine, this.current.lastItemLine)
      this.current.followed = true
      this.hooks.sessionClosed(this.current)
    }

    this.hooks.watchKernelLines(line + 1)
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
      lastTimeLine: 0,
      booted: null,
      terminal: null,
      lastWords: null,
      followed: false,
      tentativeFrom: -1,
      banners: new Set(),
      lastProgressLine: line,
      lastItemLine: line,
      findings: [],
      findingsByRule: [],
      findingCount: 0,
      namedFindings: new Set(),
      pendingLastText: new Map(),
      findingsOmitted: 0,
      firstSignals: new Map(),
      lastSignals: new Map(),
    }
    return this.current
  }

  private advance(session: SessionState, marker: CompiledMarker, marked: MarkedLine): void {
    session.lastProgressLine = marked.line
    // once provisioning failed, a "finished" line (cloud-init prints one regardless) is not success;
    // but a failure the agent retries (its rule's `unless`) may still end in success
    if (marker.stage === 'agent-provisioned' && provisioningFailedForGood(session)) return
    this.reach(session, marker, marked, false)
    if (marker.role === 'booted' || BOOTED_STAGES.has(marker.stage)) {
      session.booted ??= {...marked, text: shortText(marked.text)}
      session.tentativeFrom = -1
    }

    if ((marker.role === 'powered-off' || marker.role === 'restarted') && session.terminal === null) {
      session.terminal = {...marked, text: shortText(marked.text), role: marker.role}
      // a kernel line from another run, after a restart: the next session (see catchUpKernelLines)
      if (marker.role === 'restarted' && marked.time !== null)
        this.hooks.watchKernelLines(
          marked.line + 1,
          marked.time - CLOCK_RESET_SECONDS,
          marked.time + AFTER_RESTART_SECONDS,
        )
    }
    if (marker.role === 'powering-off' || marker.role === 'restarting')
      session.lastWords = {...marked, text: shortText(marked.text), role: marker.role}
  }

  /** A finding or a kernel timestamp proves `stage` (see RuleRecord.implies): reach it, without counting progress. */
  private reachImplied(session: SessionState, stage: Stage, marked: MarkedLine): void {
    const rank = STAGES.indexOf(stage)
    if (rank <= session.maxRank && !takesBackTentative(IMPLIED_MARKERS[rank], session)) return
    this.reach(session, IMPLIED_MARKERS[rank], marked, true)
  }

  /** Move the session to the marker's stage when it is further than the one reached (or takes a tentative one back). */
  private reach(session: SessionState, marker: CompiledMarker | ImpliedMarker, marked: MarkedLine, implied: boolean) {
    if (takesBackTentative(marker, session)) {
      // the generic systemd lines were the initrd's: the boot is in the initramfs (or leaving it)
      session.stages.splice(session.tentativeFrom)
      session.maxRank = session.stages.reduce((rank, entry) => Math.max(rank, entry.rank), -1)
      session.tentativeFrom = -1
    } else if (
      session.tentativeFrom >= 0 &&
      marker.rank === session.stages[session.tentativeFrom].rank &&
      !('mayBeInitrd' in marker && marker.mayBeInitrd === true) &&
      !(marker.initrdToo === true && firmRank(session) < INITRAMFS_RANK)
    ) {
      // a marker of the tentative stage that is sure of it confirms it
      session.tentativeFrom = -1
    }

    const stage = session.maxRank >= 0 ? STAGES[session.maxRank] : null
    const bootedPair = BOOTED_STAGES.has(marker.stage) && stage !== null && BOOTED_STAGES.has(stage)
    const reached = session.stages.some((entry) => entry.stage === marker.stage)
    if (inertIn(marker, session) || reached || !(marker.rank > session.maxRank || bootedPair)) return
    const tentative =
      (marker.initrdToo === true && session.maxRank < INITRAMFS_RANK) ||
      ('mayBeInitrd' in marker && marker.mayBeInitrd === true)
    if (tentative && session.tentativeFrom < 0) session.tentativeFrom = session.stages.length
    else if (!tentative) session.tentativeFrom = -1
    session.stages.push({
      ...marked,
      text: shortText(marked.text),
      stage: marker.stage,
      rank: marker.rank,
      effectiveTime: this.effectiveTime(session, marker.stage, marked),
      implied,
    })
    session.maxRank = Math.max(session.maxRank, marker.rank)
  }

  private effectiveTime(session: SessionState, stage: Stage, marked: MarkedLine): number | null {
    if (marked.time !== null) return marked.time
    const before = this.hooks.timeBefore(session.startLine)
    if (before !== null) return before
    // the kernel clock starts at zero
    return stage === 'kernel' ? 0 : null
  }
}

/** The line comes after the session's restart, later than the moment the kernel still prints (or with no clock to tell). */
function afterRestart(session: SessionState, marked: MarkedLine): boolean {
  const terminal = session.terminal
  if (terminal?.role !== 'restarted' || marked.line <= terminal.line) return false
  if (marked.time === null || terminal.time === null) return true
  return marked.time < terminal.time - CLOCK_RESET_SECONDS || marked.time > terminal.time + AFTER_RESTART_SECONDS
}

function provisioningFailedForGood(session: SessionState): boolean {
  return [session.firstSignals.get('provisioning-failed'), session.lastSignals.get('provisioning-failed')].some(
    (signal) => signal !== undefined && signal.rule.unless !== 'agent-provisioned',
  )
}

/** The session ended: the kernel said so, or user space's last words were heard. */
function ended(session: SessionState): boolean {
  return session.terminal !== null || session.lastWords !== null
}

/**
 * After tentative stages, this marker shows they were not the real root's: an initramfs or switch-root
 * marker of an earlier stage than the first tentative one (they were the initrd's), or a kernel starting
 * (they were firmware chatter).
 */
function takesBackTentative(marker: CompiledMarker | ImpliedMarker, session: SessionState): boolean {
  if (session.tentativeFrom < 0) return false
  if ('role' in marker && (marker.role === 'kernel-start' || marker.role === 'kernel-banner')) return true
  const tentativeRank = session.stages[session.tentativeFrom].rank
  return (marker.rank === INITRAMFS_RANK || marker.rank === SWITCH_ROOT_RANK) && marker.rank < tentativeRank
}

/** The furthest stage the session reached for sure (tentative stages left out). */
function firmRank(session: SessionState): number {
  if (session.tentativeFrom < 0) return session.maxRank
  let rank = -1
  for (let index = 0; index < session.tentativeFrom; index++) rank = Math.max(rank, session.stages[index].rank)
  return rank
}

interface ImpliedMarker {
  readonly stage: Stage
  readonly rank: number
  readonly initrdToo?: boolean
  readonly inertIn?: readonly Stage[]
}

/** What a finding's implied stage behaves like: systemd's services are also the initrd's (see initrdToo). */
const IMPLIED_MARKERS: readonly ImpliedMarker[] = STAGES.map((stage, rank) => ({
  stage,
  rank,
  initrdToo: rank === SERVICES_RANK,
}))

/** The marker does not move a session at its current stage on: its own `inertIn`, or initrd-too lines in the initramfs. */
function inertIn(marker: CompiledMarker | ImpliedMarker, session: SessionState): boolean {
  if (session.maxRank < 0) return false
  const stage = STAGES[session.maxRank]
  return marker.inertIn?.includes(stage) === true || (marker.initrdToo === true && stage === 'initramfs')
}

/** What identifies a firmware's start banner: its `banner` group, else the line from the match on. */
function bannerOf(marker: CompiledMarker, groups: Record<string, string> | undefined, text: string): string {
  return groups?.banner ?? text.slice(Math.max(0, text.search(marker.regex))).trim()
}
