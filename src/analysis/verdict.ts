/**
 * Decides each session's outcome from what the tracker saw, picks the evidence lines that prove it,
 * computes stage durations, and writes the one-line summary and advice. The verdict of a log is the
 * outcome of its last session (docs/DESIGN.md).
 *
 * Failure signals (rules with an `outcome`) decide only when the boot made no progress past them:
 * - kernel-panic: always (nothing runs after a panic);
 * - kernel-hang: no stage marker after the last hang report, and not during a shutdown;
 * - bootloader-failure: no kernel started after it;
 * - fsck-failure, initramfs-failure, emergency-mode: before the boot completed, and no later stage
 *   reached (a shutdown from the emergency shell does not count as progress);
 * - provisioning-failed: always (a later "finished" line is not taken as provisioning done), unless the
 *   rule says a later success undoes it (`unless`: the agent retries a step that crashed);
 * - shutdown-hung: when it came during the shutdown (a restart that could not stop the other CPUs).
 * When several hold, the root cause wins: boot loader, fsck, initramfs, emergency, panic, hang,
 * provisioning, shutdown (an fsck failure that drops into emergency mode is an fsck-failure).
 *
 * The advice of a session comes from the advice catalogue's outcome entries where one applies to its
 * outcome and cause (advice.ts), else from the rule that decided it.
 */
import {adviceForOutcome, type CompiledAdvice} from './advice.js'
import {cleanLine, messageOf, PIECE_SEPARATOR, shortText} from './line-cleaner.js'
import type {FailureSignal, SessionState} from './session-tracker.js'
import {
  STAGES,
  type InputDescription,
  type InputKind,
  type RebootLoop,
  type EvidenceLine,
  type Finding,
  type FindingCategory,
  type Outcome,
  type Session,
  type Stage,
  type Verdict,
} from './types.js'

const KERNEL_RANK = STAGES.indexOf('kernel')
const SHUTDOWN_RANK = STAGES.indexOf('shutdown')
const ROOT_CAUSE_ORDER: readonly Outcome[] = [
  'bootloader-failure',
  'fsck-failure',
  'initramfs-failure',
  'emergency-mode',
  'kernel-panic',
  'kernel-hang',
  'provisioning-failed',
  'shutdown-hung',
]
/** Findings that explain a failure outcome, most telling category first. */
const CAUSES: Partial<Record<Outcome, readonly FindingCategory[]>> = {
  'emergency-mode': ['fsck', 'mount-failure', 'dependency-failure', 'start-job-timeout', 'fs-error', 'selinux'],
  'initramfs-failure': ['fsck', 'initramfs', 'mount-failure', 'fs-error'],
}
const MAX_EVIDENCE = 10
const GLUED_KERNEL_TIME = /\[\s{0,12}\d{1,9}\.\d{6}\]/
const MAX_QUOTE = 200
const SEVERE = new Set(['error', 'critical'])

const ADVICE = {
  booted:
    'The boot completed. If the VM is still unreachable, look at the network and agent findings, then SSH and NSG rules.',
  stuck:
    'The log ends during the boot with no known failure. Look at the boot-diagnostics screenshot for what the console shows now, and keep this log before restarting the VM.',
  shutdownHung:
    'The shutdown did not finish: a service or a file system held it up. Keep this log, then force the stop or restart; fix the unit that blocked it.',
  shutdownComplete: 'The VM shut down cleanly.',
  reboot: 'The VM restarted cleanly; the next boot, if the log holds it, is the next session.',
  excerpt:
    'The log is an excerpt of kernel messages with no failure that stops the system. Fetch the whole serial log (bootdiag fetch) to see the boot, and look at the findings.',
  noOutput:
    'The serial log is empty or shows no boot at all. Look at the boot-diagnostics screenshot (GRUB rescue and firmware errors show only there), and check that the kernel writes to the serial console (console=ttyS0).',
} as const

/** The JSON form of a complete session, with its outcome. */
export function completeSession(state: SessionState, outcomeAdvice: readonly CompiledAdvice[] = []): Session {
  for (const [finding, raw] of state.pendingLastText) {
    const text = shortText(cleanLine(raw.bytes, 0, raw.length).replaceAll(PIECE_SEPARATOR, ' '))
    if (text === finding.text) delete finding.lastText
    else finding.lastText = text
  }

  const decisive = decisiveSignal(state)
  const outcome = outcomeOf(state, decisive)
  const lastStage = state.maxRank >= 0 ? STAGES[state.maxRank] : null
  const findings = state.findings
  const explained = explain(state, outcome, lastStage, decisive, findings)
  const {summary, cause} = explained
  const decisiveFinding = decisive ? findings.find((finding) => finding.rule === decisive.rule.id) : undefined
  const chosen = adviceForOutcome(outcomeAdvice, {
    outcome,
    subject: cause?.subject ?? decisiveFinding?.subject ?? (decisive ? quote(decisive.text) : undefined),
    causeCategory: cause?.category,
    beforeBoot: decisive ? !decisive.bootedBefore : state.booted === null,
  })
  const advice = chosen?.advice ?? explained.advice
  // without an entry for the outcome, the article and repair of what the summary quotes
  const docs = chosen ? chosen.docs : (cause?.docs ?? decisiveFinding?.docs ?? decisive?.rule.docs)
  const repair = chosen ? chosen.repair : cause?.repair
  return {
    index: state.index,
    partial: state.partial,
    startLine: state.startLine,
    endLine: state.endLine,
    kernel: state.kernel,
    stages: state.stages.map(({stage, line, time}) => ({stage, line, time})),
    lastStage,
    outcome,
    evidence: evidenceOf(state, outcome, decisive, cause, findings),
    findings,
    durations: durationsOf(state),
    findingsOmitted: state.findingsOmitted,
    summary,
    advice,
    ...(docs === undefined ? {} : {docs}),
    ...(chosen ? {adviceId: chosen.adviceId} : {}),
    ...(repair === undefined ? {} : {repair}),
  }
}

/**
 * The verdict of a log: its last session (or no-output when it has none), said in the light of what the
 * input is (an excerpt, the kernel's log, a journal, binary data) and of the boots before it (a reboot loop).
 */
export function verdictOf(
  sessions: readonly Session[],
  lines: number,
  input: InputDescription = {kind: 'console', excerpt: false, description: 'a serial console log'},
  outcomeAdvice: readonly CompiledAdvice[] = [],
): Verdict {
  const last = sessions.at(-1)
  if (!last) {
    const consoleLog = input.kind === 'console' || input.kind === 'empty'
    const chosen = consoleLog ? adviceForOutcome(outcomeAdvice, {outcome: 'no-output', beforeBoot: true}) : undefined
    const what =
      input.kind === 'empty' || lines === 0
        ? 'the serial log is empty'
        : input.kind === 'console'
          ? `no boot or shutdown stage in ${lines} line${lines === 1 ? '' : 's'}`
          : `${input.description}, not a serial console log: ${NOT_A_LOG[input.kind]}`
    return {
      outcome: 'no-output',
      lastStage: null,
      session: null,
      summary: `no-output: ${what}${consoleLog ? '; look at the screenshot' : ''}`,
      advice: chosen?.advice ?? (consoleLog ? ADVICE.noOutput : NOT_A_LOG_ADVICE),
      ...(chosen?.docs === undefined ? {} : {docs: chosen.docs}),
      ...(chosen ? {adviceId: chosen.adviceId} : {}),
      ...(chosen?.repair === undefined ? {} : {repair: chosen.repair}),
    }
  }

  const loop = rebootLoopOf(sessions)
  const parts: string[] = []
  if (input.kind !== 'console' && input.kind !== 'empty')
    parts.push(`${input.description}${input.kind === 'kernel-log' ? '' : ', not a serial console log'}`)
  else if (last.partial) parts.push('excerpt (the log starts in the middle of a run)')
  if (loop) parts.push(loopSummary(loop))
  let summary = [...parts, last.summary ?? last.outcome].join(': ')
  if (input.kind === 'kernel-log' && last.outcome === 'boot-stuck' && last.lastStage === 'systemd-services')
    summary += '; systemd stops writing to the kernel log once journald runs, so the boot may have got further'
  return {
    outcome: last.outcome,
    lastStage: last.lastStage,
    session: last.index,
    summary,
    advice: last.advice ?? '',
    ...(last.docs === undefined ? {} : {docs: last.docs}),
    ...(last.adviceId === undefined ? {} : {adviceId: last.adviceId}),
    ...(last.repair === undefined ? {} : {repair: last.repair}),
    ...(loop ? {rebootLoop: loop} : {}),
  }
}

/** What to do with an input that is not a console log (by kind), in the no-output summary. */
const NOT_A_LOG: Record<InputKind, string> = {
  console: '',
  'kernel-log': '',
  empty: '',
  gzip: 'decompress it (zcat FILE | bootdiag analyze -), or give bootdiag analyze the file itself',
  binary: 'give the serial log (*.serialconsole.log, or serial.log in a snapshot)',
  'journal-export': 'its messages show no boot or shutdown stage',
  'journal-json': 'its messages show no boot or shutdown stage',
}
const NOT_A_LOG_ADVICE =
  "This input is not a serial console log. Fetch the VM's serial log (bootdiag fetch) and analyse that, or the text of the log if this is an archive of it."

/** Boots that ended without booting, this many in a row up to the last one, make a reboot loop. */
const LOOP_BOOTS = 3
/** ...or this many that ended in the same failure. */
const LOOP_SAME_FAILURES = 2
const NOT_IN_LOOP = new Set<Outcome>(['booted', 'shutdown-complete', 'reboot', 'shutdown-hung', 'no-output'])

/** The last sessions, when they are boots that each stopped the same way (or at least three that failed). */
function rebootLoopOf(sessions: readonly Session[]): RebootLoop | undefined {
  let first = sessions.length
  while (first > 0 && !NOT_IN_LOOP.has(sessions[first - 1].outcome)) first--
  const run = sessions.slice(first)
  const outcomes = [...new Set(run.map((session) => session.outcome))]
  const sameFailure = outcomes.length === 1 && outcomes[0] !== 'boot-stuck'
  if (run.length < LOOP_BOOTS && !(sameFailure && run.length >= LOOP_SAME_FAILURES)) return undefined
  const ranks = run.map((session) => (session.lastStage === null ? -1 : STAGES.indexOf(session.lastStage)))
  const furthest = Math.max(...ranks)
  return {
    boots: run.length,
    firstSession: run[0].index,
    outcomes,
    lastStage: furthest >= 0 ? STAGES[furthest] : null,
  }
}

function loopSummary(loop: RebootLoop): string {
  const how =
    loop.outcomes.length === 1
      ? `each ended in ${loop.outcomes[0]}`
      : `each ended without booting (${loop.outcomes.join(', ')})`
  const where = loop.lastStage === null ? '' : `, none got past ${loop.lastStage}`
  return `reboot loop: ${loop.boots} boots in a row, ${how}${where}; the last one`
}

function decisiveSignal(state: SessionState): FailureSignal | null {
  for (const outcome of ROOT_CAUSE_ORDER) {
    for (const signal of [state.firstSignals.get(outcome), state.lastSignals.get(outcome)]) {
      if (signal && holds(signal, state)) return signal
    }
  }

  return null
}

function holds(signal: FailureSignal, state: SessionState): boolean {
  // a failure the agent retries, undone when the stage is reached after all
  const unless = signal.rule.unless
  if (unless !== undefined && state.stages.some((stage) => stage.stage === unless)) return false
  const progressedPast = (rank: number) =>
    state.stages.some(
      (stage) => !stage.implied && stage.line > signal.line && stage.rank > rank && stage.rank < SHUTDOWN_RANK,
    )
  switch (signal.outcome) {
    case 'kernel-panic': {
      return true
    }

    case 'kernel-hang': {
      // progress on the hang's own line comes before it (a login prompt the report is glued to)
      return signal.rankAtSignal < SHUTDOWN_RANK && state.lastProgressLine <= signal.line
    }

    case 'bootloader-failure': {
      return !state.stages.some((stage) => stage.line > signal.line && stage.rank >= KERNEL_RANK)
    }

    case 'shutdown-hung': {
      // a restart or power-off that stalled after it began
      return signal.rankAtSignal === SHUTDOWN_RANK
    }

    case 'provisioning-failed': {
      // provisioning reported done before the failure does not undo it; after it, it is not taken (tracker)
      return true
    }

    default: {
      return !signal.bootedBefore && !progressedPast(signal.rankAtSignal)
    }
  }
}

function outcomeOf(state: SessionState, decisive: FailureSignal | null): Outcome {
  if (decisive) return fsckBehind(state, decisive) ? 'fsck-failure' : decisive.outcome
  const terminal = terminalOf(state)
  if (terminal)
    return terminal.role === 'powered-off' || terminal.role === 'powering-off' ? 'shutdown-complete' : 'reboot'
  if (state.maxRank === SHUTDOWN_RANK) return 'shutdown-hung'
  if (state.booted) return 'booted'
  if (state.maxRank < 0) return 'no-output'
  return 'boot-stuck'
}

/**
 * How the session ended, if it did: the kernel's last words, or user space's when the machine started
 * again after them (the kernel's line can be lost; a new boot shows the shutdown went through).
 */
function terminalOf(state: SessionState): SessionState['terminal'] {
  return state.terminal ?? (state.followed ? state.lastWords : null)
}

/** The failed file-system check that led to an emergency or initramfs shell, if any (causes stack). */
function fsckBehind(state: SessionState, decisive: FailureSignal): Finding | undefined {
  if (decisive.outcome !== 'emergency-mode' && decisive.outcome !== 'initramfs-failure') return undefined
  for (const finding of state.findings) {
    if (finding.category === 'fsck' && finding.line <= decisive.line) return finding
  }

  return undefined
}

interface Explanation {
  summary: string
  advice: string
  /** the finding the summary quotes, if any */
  cause: Finding | null
}

function explain(
  state: SessionState,
  outcome: Outcome,
  lastStage: Stage | null,
  decisive: FailureSignal | null,
  findings: readonly Finding[],
): Explanation {
  if (decisive) {
    const signalRules = new Set(
      [...state.firstSignals.values(), ...state.lastSignals.values()].map((signal) => signal.rule.id),
    )
    const cause =
      fsckBehind(state, decisive) ??
      causeOf(
        decisive,
        findings.filter((finding) => !signalRules.has(finding.rule)),
        state.namedFindings,
      )
    const quoted: {line: number; text: string} = cause ?? decisive
    const phase =
      outcome === 'provisioning-failed'
        ? 'provisioning failed'
        : outcome === 'shutdown-hung'
          ? 'shutdown hung'
          : decisive.rankAtSignal === SHUTDOWN_RANK
            ? `shutdown stopped in ${outcome}`
            : decisive.bootedBefore
              ? `${outcome} after boot`
              : state.partial && decisive.rankAtSignal <= KERNEL_RANK
                ? outcome // an excerpt of a running kernel: no boot to have stopped
                : `boot stopped in ${outcome}`
    const advice = cause && outcome === 'fsck-failure' ? cause.advice : decisive.rule.advice
    return {summary: `${phase}: ${quote(quoted.text)} (line ${quoted.line})`, advice, cause}
  }

  switch (outcome) {
    case 'booted': {
      const reached = state.stages.find((entry) => entry.rank === state.maxRank && entry.stage !== 'systemd-services')
      const summary = reached
        ? `booted: reached ${reached.stage} (line ${reached.line})`
        : `booted: reached systemd's final target (line ${state.booted!.line})`
      return {summary, advice: ADVICE.booted, cause: null}
    }

    case 'shutdown-complete':
    case 'reboot': {
      const terminal = terminalOf(state)!
      const label = outcome === 'reboot' ? 'rebooted' : 'shut down'
      // a clean shutdown that something critical set off (auditd halting a full disk) says so
      const after = latest(
        findings.filter((finding) => finding.severity === 'critical' && finding.line <= terminal.line),
      )
      const because = after
        ? `, after ${quote(after.lastText ?? after.text)} (line ${after.lastLine ?? after.line})`
        : ''
      return {
        summary: `${label}: ${quote(terminal.text)} (line ${terminal.line})${because}`,
        advice: after ? after.advice : outcome === 'reboot' ? ADVICE.reboot : ADVICE.shutdownComplete,
        cause: after,
      }
    }

    case 'shutdown-hung': {
      const blocker = latest(
        findings.filter((finding) => finding.category === 'start-job-timeout' && finding.line >= shutdownLine(state)),
      )
      if (!blocker && state.lastWords)
        return {
          summary: `shutdown hung: the kernel never confirmed it after ${quote(state.lastWords.text)} (line ${state.lastWords.line})`,
          advice: ADVICE.shutdownHung,
          cause: null,
        }
      if (!blocker)
        return {
          summary: `shutdown hung: no progress after line ${state.lastProgressLine}`,
          advice: ADVICE.shutdownHung,
          cause: null,
        }
      const line = blocker.lastLine ?? blocker.line
      return {
        summary: `shutdown hung: ${quote(blocker.lastText ?? blocker.text)} (line ${line})`,
        advice: `${blocker.advice} ${ADVICE.shutdownHung}`,
        cause: blocker,
      }
    }

    case 'no-output': {
      return {
        summary: `no-output: no boot or shutdown stage in lines ${state.startLine}-${state.endLine}`,
        advice: ADVICE.noOutput,
        cause: null,
      }
    }

    default: {
      const where = `boot stuck in ${lastStage}`
      // a start job still running when the log ends is where the boot waits
      const waiting = latest(findings.filter((finding) => finding.category === 'start-job-timeout'))
      if (waiting && (waiting.lastLine ?? waiting.line) >= state.lastProgressLine) {
        return {
          summary: `${where}: ${quote(waiting.lastText ?? waiting.text)} (line ${waiting.lastLine ?? waiting.line})`,
          advice: `${waiting.advice} ${ADVICE.stuck}`,
          cause: waiting,
        }
      }

      const worst = latest(findings.filter((finding) => SEVERE.has(finding.severity)))
      if (state.partial && state.maxRank <= KERNEL_RANK) {
        // an excerpt of a running kernel: no boot to be stuck, and nothing that stops it
        const summary = worst
          ? `nothing here stops the system; the worst: ${quote(worst.text)} (line ${worst.line})`
          : `nothing here stops the system (last progress at line ${state.lastProgressLine})`
        return {summary, advice: worst ? worst.advice : ADVICE.excerpt, cause: worst}
      }

      if (worst)
        return {
          summary: `${where}: ${quote(worst.text)} (line ${worst.line})`,
          advice: `${worst.advice} ${ADVICE.stuck}`,
          cause: worst,
        }
      return {
        summary: `${where}: the log ends with no known failure (last progress at line ${state.lastProgressLine})`,
        advice: ADVICE.stuck,
        cause: null,
      }
    }
  }
}

/**
 * The finding that best explains a decisive failure, of the most telling category: one before it if
 * any (causes come first), else one just after (dracut names the missing device after giving up).
 */
function causeOf(decisive: FailureSignal, findings: readonly Finding[], named: ReadonlySet<Finding>): Finding | null {
  const categories = CAUSES[decisive.outcome]
  if (!categories) return null
  // findings that name what failed (a device, a unit) explain more than those that do not, and a
  // path (a mount point, a device node) more than a unit name systemd shortened
  const score = (finding: Finding) => (named.has(finding) ? 2 : 0) + (finding.text.includes(' /') ? 1 : 0)
  const severe = findings.filter((finding) => SEVERE.has(finding.severity)).sort((a, b) => score(b) - score(a))
  for (const candidates of [severe.filter((finding) => finding.line <= decisive.line), severe]) {
    for (const category of categories) {
      const found = candidates.find((finding) => finding.category === category)
      if (found) return found
    }
  }

  return null
}

/** A line quoted in a summary: its message, without a closing full stop, at most MAX_QUOTE characters. */
function quote(text: string): string {
  // a kernel message glued to other output (a login prompt) is quoted from its timestamp on
  const glued = text.search(GLUED_KERNEL_TIME)
  const message = messageOf(glued > 0 ? text.slice(glued) : text)
  if (message.length > MAX_QUOTE) return `${message.slice(0, MAX_QUOTE - 1)}…`
  return message.endsWith('.') ? message.slice(0, -1) : message
}

function latest(findings: readonly Finding[]): Finding | null {
  let best: Finding | null = null
  for (const finding of findings)
    if (!best || (finding.lastLine ?? finding.line) >= (best.lastLine ?? best.line)) best = finding
  return best
}

function shutdownLine(state: SessionState): number {
  return state.stages.find((stage) => stage.stage === 'shutdown')?.line ?? 0
}

function evidenceOf(
  state: SessionState,
  outcome: Outcome,
  decisive: FailureSignal | null,
  cause: Finding | null,
  findings: readonly Finding[],
): EvidenceLine[] {
  const lines = new Map<number, string>()
  const add = (marked: {line: number; text: string} | null | undefined) => {
    if (marked && !lines.has(marked.line)) lines.set(marked.line, marked.text)
  }

  const lastStage = state.stages.find((stage) => stage.rank === state.maxRank)
  if (!decisive) add(lastStage)
  add(cause)
  if (decisive) {
    add(decisive)
    // a hang is proven by its last report too: nothing moved after it
    if (decisive.outcome === 'kernel-hang') add(state.lastSignals.get('kernel-hang'))
    const explaining = findings.filter(
      (finding) => finding.line < decisive.line && SEVERE.has(finding.severity) && finding !== cause,
    )
    for (const finding of explaining.slice(-4)) add(finding)
  }

  if (outcome === 'shutdown-hung' && cause?.lastLine !== undefined)
    add({line: cause.lastLine, text: cause.lastText ?? cause.text})

  if (outcome === 'booted') add(state.booted)
  if (outcome === 'shutdown-complete' || outcome === 'reboot') add(terminalOf(state))
  return [...lines.entries()]
    .sort(([a], [b]) => a - b)
    .slice(0, MAX_EVIDENCE)
    .map(([line, text]) => ({line, text}))
}

function durationsOf(state: SessionState): Partial<Record<Stage, number>> {
  const durations: Partial<Record<Stage, number>> = {}
  const stages = state.stages
  for (const [index, stage] of stages.entries()) {
    const start = stage.effectiveTime
    const end = index + 1 < stages.length ? stages[index + 1].effectiveTime : state.lastTime
    if (start !== null && end !== null && end >= start) durations[stage.stage] = Math.round((end - start) * 1000) / 1000
  }

  return durations
}
