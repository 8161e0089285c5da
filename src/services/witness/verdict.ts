/**
 * The VM's verdict from both witnesses of boot diagnostics — the serial log's analysis and the
 * screenshot's reading — as snapshot.json records it and the commands show it. The rules are the screen
 * module's `reconcile` (a failure on either side wins; a Windows VM's verdict comes from its screen, its
 * empty serial log expected); this adds what the archive needs around them: the failure signature of a
 * verdict the screen gave, the parts each witness contributed, and a reading carried from an earlier
 * snapshot whose screenshot was the same.
 */
import {failureSignature} from '../../analysis/signature.js'
import {isHealthyOutcome, type AnalysisReport, type Outcome, type Stage} from '../../analysis/types.js'
import {reconcile, type ReconciledVerdict} from '../../screen/reconcile.js'
import type {ScreenKind, ScreenOs, ScreenReading, ScreenState} from '../../screen/types.js'
import type {SnapshotAnalysis, SnapshotScreen} from '../../store/manifest.js'

/** What the screenshot gave: a reading now, one carried from an earlier snapshot, or why there is none. */
export type ScreenWitness = {reading: ScreenReading} | {carried: SnapshotScreen} | {unread: string}

export interface WitnessInput {
  /** the serial log's analysis; null when there is no log (or the analyser failed) */
  log: AnalysisReport | null
  /** the screenshot's; null when there is no screenshot */
  screen: ScreenWitness | null
  /** the VM's OS type from Azure (`Linux` / `Windows`), when known */
  osType?: string | null
}

export interface WitnessVerdict {
  /** the reconciled verdict, with the evidence of each witness */
  verdict: ReconciledVerdict
  /** the same as snapshot.json records it (outcome, lastStage, summary, signature, and the parts) */
  analysis: SnapshotAnalysis
  /** the screen's reading as reconcile saw it (a carried one rebuilt from its summary), or null */
  screen: ScreenReading | null
}

export function witnessVerdict(input: WitnessInput): WitnessVerdict {
  const screen = screenReadingOf(input.screen)
  const osType = input.osType ?? undefined
  const verdict = reconcile(input.log, screen, osType ? {osType} : {})
  // Nothing to go by, but there was a screenshot: say why it was not read (not "no screenshot").
  if (input.screen && 'unread' in input.screen && verdict.outcome === 'no-output')
    verdict.summary = `${input.log ? input.log.verdict.summary : 'no serial log'}; the screenshot was not read (${input.screen.unread})`
  const analysis: SnapshotAnalysis = {
    decidedBy: verdict.decidedBy,
    lastStage: verdict.lastStage,
    outcome: verdict.outcome,
    signature: verdictSignature(verdict, input.log, screen),
    summary: verdict.summary,
  }
  if (input.log) {
    const {lastStage, outcome, summary} = input.log.verdict
    analysis.log = {lastStage, outcome, signature: failureSignature(input.log.verdict), summary}
  }

  if (input.screen && 'unread' in input.screen) analysis.screenUnread = input.screen.unread
  else if (input.screen && 'carried' in input.screen) analysis.screen = input.screen.carried
  else if (screen) analysis.screen = snapshotScreen(screen)
  return {analysis, screen, verdict}
}

/** A reading as snapshot.json keeps it: the screen object without its lines and evidence. */
export function snapshotScreen(reading: ScreenReading): SnapshotScreen {
  return {
    codes: reading.codes,
    kind: reading.kind,
    os: reading.os,
    outcome: reading.outcome,
    percent: reading.percent,
    stage: reading.stage,
    state: reading.state,
    summary: reading.summary,
    ...(reading.docs ? {docs: reading.docs} : {}),
    ...(reading.reader ? {reader: reading.reader} : {}),
  }
}

/** A kept reading as the reconciler takes it (no lines: its summary stands for the screen's evidence). */
export function readingOfSnapshotScreen(screen: SnapshotScreen): ScreenReading {
  return {
    codes: [...screen.codes],
    kind: screen.kind as ScreenKind,
    lines: [],
    os: screen.os as ScreenOs,
    outcome: screen.outcome as Outcome | null,
    percent: screen.percent,
    stage: screen.stage as Stage | null,
    state: screen.state as ScreenState,
    summary: screen.summary,
    ...(screen.docs ? {docs: screen.docs} : {}),
  }
}

function screenReadingOf(witness: ScreenWitness | null): ScreenReading | null {
  if (!witness || 'unread' in witness) return null
  return 'reading' in witness ? witness.reading : readingOfSnapshotScreen(witness.carried)
}

/**
 * The failure signature of the reconciled verdict: the log's (its normalised title) when the log named
 * the failure; when the screen did, the outcome with the screen's kind and codes — stable across
 * snapshots of one failure, whatever the percentage or the clock on the screen:
 * `kernel-panic: win-stop-error CRITICAL_PROCESS_DIED`.
 */
export function verdictSignature(
  verdict: ReconciledVerdict,
  log: AnalysisReport | null,
  screen: ScreenReading | null,
): string | null {
  if (isHealthyOutcome(verdict.outcome)) return null
  if (screen && screenDecided(verdict)) {
    const codes = screen.codes.length > 0 ? ` ${screen.codes.join(' ')}` : ''
    return `${verdict.outcome}: ${screen.kind}${codes}`
  }

  return failureSignature(log && log.verdict.outcome === verdict.outcome ? log.verdict : verdict)
}

/** The screen gave the verdict (alone, or as the Windows side of a failure both witnesses show). */
function screenDecided(verdict: ReconciledVerdict): boolean {
  return verdict.decidedBy === 'screenshot' || (verdict.decidedBy === 'both' && verdict.summary.startsWith('screen: '))
}
