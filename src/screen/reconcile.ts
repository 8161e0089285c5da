/**
 * One verdict from both witnesses of boot diagnostics: the serial log's analysis and the screenshot's
 * reading. Pure. The rules (DESIGN.md, "The screenshot"):
 * - a failure on either side wins over "no known failure" on the other; when both show one, the log's
 *   outcome names it for Linux (it has the root cause and the line numbers), the screen's for Windows;
 * - a Windows VM's verdict comes from its screen, and its empty serial log is expected, not `no-output`;
 * - otherwise the log decides for Linux, and the screen fills in when the log has nothing;
 * - every piece of evidence says which witness it came from.
 */
import {isHealthyOutcome, type AnalysisReport, type Outcome, type Stage} from '../analysis/types.js'
import type {ScreenKind, ScreenReading} from './types.js'

export type Witness = 'serial-log' | 'screenshot'

export interface VerdictEvidence {
  witness: Witness
  text: string
  /** 1-based line of the serial log, or 0-based line of the screen's text */
  line?: number
  /** the log rule or the screen catalogue string that matched */
  match?: string
}

export interface ReconciledVerdict {
  outcome: Outcome
  lastStage: Stage | null
  /** the outcome is one of the healthy ones (booted, shutdown-complete, reboot) */
  healthy: boolean
  /** the witness whose reading gave the outcome ('both' when they agree on a failure) */
  decidedBy: Witness | 'both'
  summary: string
  advice?: string
  docs?: string
  evidence: VerdictEvidence[]
}

export interface ReconcileOptions {
  /** the VM's OS type from Azure, when known ('Windows' | 'Linux'); otherwise the screen tells */
  osType?: string
}

/** outcomes that say something went wrong (the others: healthy, or a log that shows no failure) */
const QUIET_OUTCOMES = new Set<Outcome>(['booted', 'shutdown-complete', 'reboot', 'boot-stuck', 'no-output'])

export function reconcile(
  log: AnalysisReport | null,
  screen: ScreenReading | null,
  options: ReconcileOptions = {},
): ReconciledVerdict {
  const windows =
    options.osType?.toLowerCase() === 'windows' || (options.osType === undefined && screen?.os === 'windows')
  const logVerdict = log?.verdict ?? null
  const logFailed = logVerdict !== null && !QUIET_OUTCOMES.has(logVerdict.outcome)
  const screenFailed = screen?.state === 'failed'
  const evidence = [...logEvidence(log), ...screenEvidence(screen)]
  const logEmpty = logVerdict === null || logVerdict.outcome === 'no-output'

  const fromLog = (decidedBy: Witness | 'both', note?: string): ReconciledVerdict => ({
    advice: logVerdict!.advice,
    decidedBy,
    evidence,
    healthy: isHealthyOutcome(logVerdict!.outcome),
    lastStage: logVerdict!.lastStage,
    outcome: logVerdict!.outcome,
    summary: note ? `${logVerdict!.summary}; ${note}` : logVerdict!.summary,
  })
  const fromScreen = (outcome: Outcome, decidedBy: Witness | 'both', note?: string): ReconciledVerdict => {
    const verdict: ReconciledVerdict = {
      decidedBy,
      evidence,
      healthy: isHealthyOutcome(outcome),
      lastStage: screen!.stage ?? logVerdict?.lastStage ?? null,
      outcome,
      summary: `screen: ${screen!.summary}${note ? `; ${note}` : ''}`,
    }
    if (screen!.advice) verdict.advice = screen!.advice
    if (screen!.docs) verdict.docs = screen!.docs
    return verdict
  }

  // (no log at all, e.g. a screenshot analysed alone: nothing to say of it)
  const logNote = windows && logEmpty && log !== null ? 'serial log empty, as expected for Windows' : undefined
  if (logFailed && screenFailed) {
    if (windows) return fromScreen(screen.outcome ?? logVerdict.outcome, 'both', `serial log: ${logVerdict.summary}`)
    return fromLog('both', `screen: ${screen.summary}`)
  }

  if (logFailed) return fromLog('serial-log', screen ? `screen: ${screen.summary}` : undefined)
  if (screenFailed) return fromScreen(screen.outcome ?? 'boot-stuck', 'screenshot', logNote ?? logSummary(log))

  // neither shows a failure
  if (screen && (windows || logEmpty)) {
    const outcome = quietOutcome(screen)
    if (outcome !== null) return fromScreen(outcome, 'screenshot', logNote ?? logSummary(log))
  }

  if (logVerdict && !logEmpty) return fromLog('serial-log', screen ? `screen: ${screen.summary}` : undefined)
  return {
    decidedBy: screen ? 'screenshot' : 'serial-log',
    evidence,
    healthy: false,
    lastStage: null,
    outcome: 'no-output',
    summary: screen
      ? `${logNote ?? 'no serial output'}; screen: ${screen.summary}`
      : 'no serial output and no screenshot',
  }
}

/** The outcome a screen with no failure implies, or null when it implies none (blank, unknown). */
function quietOutcome(screen: ScreenReading): Outcome | null {
  if (screen.state === 'healthy') return screen.outcome ?? 'booted'
  if (screen.state === 'in-progress')
    return screen.kind === ('win-shutting-down' satisfies ScreenKind) ? 'shutdown-hung' : 'boot-stuck'
  return null
}

function logSummary(log: AnalysisReport | null): string | undefined {
  return log ? `serial log: ${log.verdict.summary}` : undefined
}

function logEvidence(log: AnalysisReport | null): VerdictEvidence[] {
  if (!log || log.verdict.session === null) return []
  const session = log.sessions.find((candidate) => candidate.index === log.verdict.session)
  if (!session) return []
  const items: VerdictEvidence[] = session.evidence.map((line) => ({
    line: line.line,
    text: line.text,
    witness: 'serial-log',
  }))
  for (const finding of session.findings) {
    if (finding.severity !== 'critical' && finding.severity !== 'error') continue
    if (items.some((item) => item.line === finding.line)) continue
    items.push({line: finding.line, match: finding.rule, text: finding.text, witness: 'serial-log'})
  }

  return items
}

function screenEvidence(screen: ScreenReading | null): VerdictEvidence[] {
  if (!screen) return []
  const items: VerdictEvidence[] = (screen.evidence ?? []).map((item) => ({
    line: item.line,
    match: item.match,
    text: item.text,
    witness: 'screenshot',
  }))
  if (items.length === 0) items.push({text: screen.summary, witness: 'screenshot'})
  return items
}
