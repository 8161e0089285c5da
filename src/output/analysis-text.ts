/**
 * The human report of `bootdiag analyze` (the `table` output format): a one-line verdict on top, then
 * the screen when a screenshot was read (its kind, state, codes, progress, the text read and its advice),
 * then one block per boot session with its kernel, the stages reached (line and kernel time), the
 * outcome, the evidence lines numbered as in the log, the findings, and what to do next.
 *
 * Pure: (report, options) -> string, no I/O. Log text is untrusted: every line passes through
 * `printable` (no escape sequences reach the terminal) and `redact` (no SAS URL or token is shown).
 * The HTML report shares `printable`, `outcomeAdvice` and the number formats from here.
 */
import {isHealthyOutcome} from '../analysis/types.js'
import type {Finding, Outcome, Session} from '../analysis/types.js'
import type {ScreenReading} from '../screen/types.js'
import type {AnalyzeOutput} from '../services/analyze/analyze-target.js'
import {redact} from '../util/redact.js'
import type {Column} from './format.js'

export interface AnalysisTextOptions {
  /** ANSI colour (only on a terminal, never with NO_COLOR: decided by the caller) */
  color: boolean
  /** the snapshot's screenshot file, named in the header so the reader can look at it */
  screenshot?: string
  /** wrap advice at this many columns (log lines are never wrapped); default 100 */
  width?: number
}

/** Advice for an outcome as a whole, shown after the findings' own advice. */
export interface OutcomeAdvice {
  /** what the outcome means, in a few words */
  meaning: string
  /** what to do next; empty for a healthy outcome */
  advice: string
  /** a Microsoft troubleshooting article, when one fits */
  docs?: string
}

// No locale in the path: learn.microsoft.com picks the reader's language.
const LEARN = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux'

const OUTCOME_ADVICE: Record<Outcome, OutcomeAdvice> = {
  booted: {advice: '', meaning: 'the system booted'},
  'boot-stuck': {
    advice:
      'The log ends during the boot with no known failure. Check the screenshot, wait a few minutes and fetch the log again; if it has not moved, connect with the serial console to see where it waits.',
    docs: `${LEARN}/boot-error-troubleshoot-linux`,
    meaning: 'the log ends during the boot',
  },
  'bootloader-failure': {
    advice:
      'The boot loader could not start a kernel. Check the screenshot (a grub rescue> prompt shows only there), then repair GRUB from a repair VM (az vm repair create).',
    docs: `${LEARN}/troubleshoot-vm-boot-error`,
    meaning: 'the boot loader failed, no kernel started',
  },
  'emergency-mode': {
    advice:
      'systemd dropped to emergency mode, usually for a wrong /etc/fstab entry or a missing data disk. Fix /etc/fstab (add nofail to data disks) from the serial console or a repair VM.',
    docs: `${LEARN}/linux-virtual-machine-cannot-start-fstab-errors`,
    meaning: 'systemd entered emergency or rescue mode',
  },
  'fsck-failure': {
    advice:
      'A file system check failed. Run fsck on the named device from the serial console or from a repair VM (az vm repair create).',
    docs: `${LEARN}/linux-recovery-cannot-start-file-system-errors`,
    meaning: 'a file system check failed',
  },
  'initramfs-failure': {
    advice:
      'The initramfs never found the root device. Check root= on the kernel command line, the disk and its drivers (Hyper-V storage modules), and rebuild the initramfs from a repair VM if it is missing them.',
    docs: `${LEARN}/linux-no-boot-dracut`,
    meaning: 'the initramfs could not find or mount the root device',
  },
  'kernel-hang': {
    advice:
      'The kernel stopped making progress (hung tasks, lockups or RCU stalls). Look at the findings for the stuck task or device; restart only after keeping this log, and consider a larger VM size or an older kernel if it repeats.',
    docs: `${LEARN}/linux-kernel-panic-troubleshooting`,
    meaning: 'the kernel hung',
  },
  'kernel-panic': {
    advice:
      'The kernel panicked. If it could not mount root, regenerate the initramfs or boot the previous kernel from the GRUB menu (serial console), or fix it from a repair VM.',
    docs: `${LEARN}/linux-kernel-panic-troubleshooting`,
    meaning: 'the kernel panicked',
  },
  'no-output': {
    advice:
      'The log holds no boot output. Check the screenshot: a GRUB rescue prompt or firmware error is only visible there. Make sure the kernel command line has console=ttyS0.',
    docs: `${LEARN}/troubleshoot-vm-boot-error`,
    meaning: 'the log is empty or shows no boot stage',
  },
  'provisioning-failed': {
    advice:
      'The Azure agent or cloud-init reported that provisioning failed. Check that the image is generalised correctly and that waagent or cloud-init is configured for Azure.',
    docs: `${LEARN}/linux-custom-image-provisioning-errors`,
    meaning: 'Azure provisioning failed',
  },
  reboot: {advice: '', meaning: 'the system restarted'},
  'shutdown-complete': {advice: '', meaning: 'the system powered down cleanly'},
  'shutdown-hung': {
    advice:
      'The shutdown did not finish. The findings name the unit or device it waited for; keep this log before you force a stop, then fix or time-limit that unit.',
    docs: `${LEARN}/serial-console-linux`,
    meaning: 'the log ends in the middle of a shutdown',
  },
}

export function outcomeAdvice(outcome: Outcome): OutcomeAdvice {
  return OUTCOME_ADVICE[outcome] ?? {advice: '', meaning: outcome}
}

/**
 * Untrusted text made safe for one line of a terminal or an HTML page: C0/C1 control characters
 * (escape sequences, carriage returns, NULs) and bidirectional overrides become U+FFFD; tabs become
 * spaces. Secrets are removed.
 */
export function printable(text: string): string {
  return redact(
    String(text)
      .replaceAll('\t', '    ')

      .replaceAll(/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '\uFFFD'),
  )
}

/** A kernel timestamp: `6.068 s`. */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(3)} s`
}

/** A duration: `0.42 s`, `12.3 s`, `3 min 05 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`
  if (seconds < 120) return `${seconds.toFixed(1)} s`
  const minutes = Math.floor(seconds / 60)
  return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')} s`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }

  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** A docs link is shown only when it is a plain https URL (findings are data; never trust a scheme). */
export function safeDocsUrl(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && !/[\s<>"']/.test(url) ? url : undefined
  } catch {
    return undefined
  }
}

/** One piece of advice with its article. */
export interface NextStep {
  advice: string
  docs?: string
}

/**
 * What to do next for a session: first about its outcome (when it is a failure), then the findings'
 * advice, most severe first (info findings give none). A sentence already said is not said again, and
 * an article is linked once.
 */
export function nextSteps(session: Session): NextStep[] {
  const steps: NextStep[] = []
  const seenSentences = new Set<string>()
  const seenDocs = new Set<string>()
  const add = (advice: string | undefined, docs: string | undefined) => {
    const fresh = sentences(advice ?? '').filter((sentence) => !seenSentences.has(sentence.toLowerCase()))
    if (fresh.length === 0) return
    for (const sentence of fresh) seenSentences.add(sentence.toLowerCase())
    const step: NextStep = {advice: fresh.join(' ')}
    const link = safeDocsUrl(docs)
    if (link && !seenDocs.has(articleKey(link))) {
      seenDocs.add(articleKey(link))
      step.docs = link
    }

    steps.push(step)
  }

  if (!isHealthyOutcome(session.outcome)) {
    const general = outcomeAdvice(session.outcome)
    add(session.advice || general.advice, general.docs)
  }

  for (const finding of [...session.findings].sort(bySeverity)) {
    if (finding.severity !== 'info') add(finding.advice, finding.docs)
  }

  return steps
}

/** Split prose into sentences (a full stop, ! or ? followed by a space and a capital or a quote). */
function sentences(text: string): string[] {
  return text
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z`'"(])/)
    .map((sentence) => sentence.trim())
    .filter(Boolean)
}

/** The same article in any language: learn.microsoft.com/en-us/x and learn.microsoft.com/x. */
function articleKey(url: string): string {
  return url.replace(/^(https:\/\/[^/]+)\/[a-z]{2}-[a-z]{2}\//i, '$1/').replace(/\/$/, '')
}

const SEVERITY_RANK: Record<string, number> = {critical: 0, error: 1, info: 3, warning: 2}

function bySeverity(a: Finding, b: Finding): number {
  return (SEVERITY_RANK[a.severity] ?? 4) - (SEVERITY_RANK[b.severity] ?? 4) || a.line - b.line
}

/** The verdict in words when the analyser gave no summary. */
export function verdictHeadline(report: Pick<AnalyzeOutput, 'verdict'>): string {
  const {lastStage, outcome, summary} = report.verdict
  const text = summary?.trim()
  // "booted: reached the login prompt" reads "✓ booted — reached the login prompt".
  if (text) return text.startsWith(`${outcome}: `) ? text.slice(outcome.length + 2) : text
  const meaning = outcomeAdvice(outcome).meaning
  return lastStage ? `${meaning} (last stage: ${lastStage})` : meaning
}

interface Paint {
  bold(text: string): string
  dim(text: string): string
  green(text: string): string
  red(text: string): string
  yellow(text: string): string
  cyan(text: string): string
}

function painter(color: boolean): Paint {
  const wrap = (open: number, close: number) => (text: string) =>
    color ? `\u001B[${open}m${text}\u001B[${close}m` : text
  return {
    bold: wrap(1, 22),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
  }
}

/** Pieces of advice the text report shows per session; the HTML report and JSON have them all. */
const MAX_TEXT_STEPS = 4

export function renderAnalysisText(report: AnalyzeOutput, options: AnalysisTextOptions): string {
  const paint = painter(options.color)
  const width = options.width ?? 100
  const healthy = isHealthyOutcome(report.verdict.outcome)
  const mark = healthy ? paint.green('✓') : paint.red('✗')
  const outcome = healthy ? paint.green(report.verdict.outcome) : paint.red(report.verdict.outcome)
  const lines: string[] = [`${mark} ${paint.bold(outcome)} — ${printable(verdictHeadline(report))}`]

  const sessions = report.sessions ?? []
  const omitted = report.sessionsOmitted ?? 0
  const total = sessions.length + omitted
  const source = report.source === '-' ? 'stdin' : printable(report.source)
  if (report.sessions) {
    lines.push(
      paint.dim(
        `  ${source} · ${plural(report.lines ?? 0, 'line')} · ${formatBytes(report.bytes)} · ${plural(total, 'boot session')}${
          omitted > 0 ? ` (the ${omitted} oldest left out)` : ''
        }`,
      ),
    )
  } else {
    lines.push(paint.dim(`  ${source} · ${formatBytes(report.bytes)} · a screenshot, no serial log`))
  }

  if (report.verdict.decidedBy) lines.push(paint.dim(`  verdict from ${WITNESS_WORDS[report.verdict.decidedBy]}`))
  if (options.screenshot && options.screenshot !== report.source)
    lines.push(paint.dim(`  screenshot: ${printable(options.screenshot)}`))

  if (report.screen) lines.push('', ...renderScreen(report.screen, paint, width))
  else if (report.screenUnread)
    lines.push('', `${paint.bold('Screen')}  ${paint.dim(`not read: ${printable(report.screenUnread)}`)}`)

  // A log with no session: the verdict's advice, unless the screen told more (its block has the advice).
  const screenTold = report.screen !== undefined && report.screen.state !== 'unknown'
  if (report.sessions && sessions.length === 0 && !screenTold) {
    const general = outcomeAdvice(report.verdict.outcome)
    const advice = report.verdict.advice || general.advice
    if (advice)
      lines.push('', paint.bold('What to do next'), ...bullet(advice, safeDocsUrl(general.docs), paint, width))
  }

  const verdictSession = report.verdict.log ? report.verdict.log.session : report.verdict.session
  for (const session of sessions) {
    lines.push('', ...renderSession(session, total, verdictSession === session.index, paint, width))
  }

  return lines.map((line) => line.trimEnd()).join('\n')
}

/** Who gave the verdict, in words. */
const WITNESS_WORDS: Record<NonNullable<AnalyzeOutput['verdict']['decidedBy']>, string> = {
  both: 'both witnesses: the serial log and the screenshot agree on a failure',
  screenshot: 'the screenshot',
  'serial-log': 'the serial log',
}

/** How many lines read off a screen the text report shows; -o json and --html have them all. */
const MAX_SCREEN_LINES = 40

/** The screen: kind, state, OS, how it was read; its summary, codes, progress, the text read, its advice. */
function renderScreen(screen: ScreenReading, paint: Paint, width: number): string[] {
  const state = paintState(screen.state, paint)
  const reader = screen.reader ? ` · ${READER_WORDS[screen.reader] ?? screen.reader}` : ''
  const out = [`${paint.bold('Screen')}  ${paint.bold(screen.kind)} · ${state} · ${screen.os}${paint.dim(reader)}`]
  out.push(`  ${printable(screen.summary)}`)
  if (screen.codes.length > 0)
    out.push(`  ${paint.bold('Codes')}     ${screen.codes.map((code) => printable(code)).join(', ')}`)
  if (screen.percent !== null) out.push(`  ${paint.bold('Progress')}  ${screen.percent}%`)
  if (screen.lines.length > 0) {
    out.push(`  ${paint.bold('Text read')} ${paint.dim('(top to bottom; ? marks a line read with low confidence)')}`)
    const shown = screen.lines.slice(0, MAX_SCREEN_LINES)
    const numberWidth = String(shown.length).length
    for (const [index, line] of shown.entries()) {
      const sure = line.confidence >= LOW_CONFIDENCE ? ' ' : '?'
      out.push(`    ${paint.dim(`${String(index + 1).padStart(numberWidth)}${sure}│`)} ${printable(line.text)}`)
    }

    if (screen.lines.length > shown.length)
      out.push(
        `    ${paint.dim(`… ${plural(screen.lines.length - shown.length, 'more line')} in -o json or --html FILE`)}`,
      )
  } else {
    out.push(`  ${paint.dim('no text read')}`)
  }

  if (screen.advice) {
    out.push(`  ${paint.bold('What to do next')}`)
    out.push(...bullet(screen.advice, safeDocsUrl(screen.docs), paint, width - 2).map((line) => `  ${line}`))
  } else if (safeDocsUrl(screen.docs)) {
    out.push(`  ${paint.cyan(safeDocsUrl(screen.docs)!)}`)
  }

  return out
}

/** A line read with less confidence than this is marked. */
export const LOW_CONFIDENCE = 0.6

const READER_WORDS: Record<string, string> = {
  'console-font': "read by the console's font",
  none: 'no text read',
  ocr: 'read by OCR',
}

function paintState(state: ScreenReading['state'], paint: Paint): string {
  if (state === 'healthy') return paint.green(state)
  if (state === 'failed') return paint.red(state)
  if (state === 'in-progress') return paint.yellow(state)
  return paint.dim(state)
}

/** A session's summary without the outcome it starts with ("reboot: x" -> "x"). */
export function sessionHeadline(session: Session): string | undefined {
  const summary = session.summary?.trim()
  if (!summary) return undefined
  return summary.startsWith(`${session.outcome}: `) ? summary.slice(session.outcome.length + 2) : summary
}

function renderSession(session: Session, total: number, isVerdict: boolean, paint: Paint, width: number): string[] {
  const healthy = isHealthyOutcome(session.outcome)
  const header = [
    `Session ${session.index + 1} of ${total}`,
    `lines ${session.startLine}–${session.endLine}`,
    `kernel ${session.kernel ? printable(session.kernel) : 'unknown'}`,
  ]
  if (session.partial) header.push('partial: the log began mid-boot')
  if (isVerdict && total > 1) header.push('latest')
  const out = [paint.bold(header.join(' · '))]

  // Stages: name, first line, kernel time, time spent in it.
  out.push(`  ${paint.bold('Stages')}`)
  if (session.stages.length === 0) {
    out.push(`    ${paint.dim('no stage seen')}`)
  } else {
    const lineWidth = Math.max(4, ...session.stages.map((s) => String(s.line).length))
    out.push(
      paint.dim(
        `    ${'stage'.padEnd(18)} ${'line'.padStart(lineWidth)}  ${'kernel time'.padStart(11)}  ${'spent'.padStart(9)}`,
      ),
    )
    for (const reached of session.stages) {
      const last = reached.stage === session.lastStage
      const time = reached.time === null ? '–' : formatSeconds(reached.time)
      const spent = session.durations[reached.stage]
      const marker = last ? (healthy ? paint.green('  ◀ last') : paint.red('  ◀ stopped here')) : ''
      const cells = [
        reached.stage.padEnd(18),
        String(reached.line).padStart(lineWidth),
        '',
        time.padStart(11),
        '',
        (spent === undefined ? '–' : formatDuration(spent)).padStart(9),
      ]
      out.push(`    ${cells.join(' ')}${marker}`)
    }
  }

  // The verdict's session has its summary on the first line already; others show theirs here.
  const headline = isVerdict ? undefined : sessionHeadline(session)
  const meaning = outcomeAdvice(session.outcome).meaning
  const outcome = healthy ? paint.green(session.outcome) : paint.red(session.outcome)
  out.push(
    headline
      ? `  ${paint.bold('Outcome')}  ${outcome} — ${printable(headline)}`
      : `  ${paint.bold('Outcome')}  ${outcome} ${paint.dim(`(${meaning}${session.lastStage ? `; last stage ${session.lastStage}` : ''})`)}`,
  )

  if (session.evidence.length > 0) {
    out.push(`  ${paint.bold('Evidence')}`)
    const numberWidth = Math.max(...session.evidence.map((e) => String(e.line).length))
    for (const evidence of session.evidence) {
      out.push(`    ${paint.dim(`${String(evidence.line).padStart(numberWidth)} │`)} ${printable(evidence.text)}`)
    }
  }

  const omittedFindings = session.findingsOmitted ?? 0
  if (session.findings.length > 0) {
    out.push(`  ${paint.bold('Findings')}`)
    for (const finding of [...session.findings].sort(bySeverity)) {
      const where = [finding.category, `line ${finding.line}`]
      if (finding.count && finding.count > 1)
        where.push(`${finding.count} times${finding.lastLine ? `, last on line ${finding.lastLine}` : ''}`)
      out.push(`    ${severityLabel(finding, paint)} ${printable(finding.title)} ${paint.dim(`[${where.join(', ')}]`)}`)
      const numberWidth = String(finding.lastLine ?? finding.line).length
      out.push(`      ${paint.dim(`${String(finding.line).padStart(numberWidth)} │`)} ${printable(finding.text)}`)
      if (finding.lastLine && finding.lastText && finding.lastLine !== finding.line) {
        out.push(
          `      ${paint.dim(`${String(finding.lastLine).padStart(numberWidth)} │`)} ${printable(finding.lastText)}`,
        )
      }
    }
  }

  if (omittedFindings > 0)
    out.push(`    ${paint.dim(`… and ${plural(omittedFindings, 'more finding')} not kept by the analyser`)}`)

  const steps = nextSteps(session)
  if (steps.length > 0) {
    out.push(`  ${paint.bold('What to do next')}`)
    for (const step of steps.slice(0, MAX_TEXT_STEPS))
      out.push(...bullet(step.advice, step.docs, paint, width - 2).map((line) => `  ${line}`))
    if (steps.length > MAX_TEXT_STEPS) {
      out.push(
        `    ${paint.dim(`… ${plural(steps.length - MAX_TEXT_STEPS, 'more piece')} of advice in --html FILE or -o json`)}`,
      )
    }
  }

  return out
}

function bullet(advice: string, docs: string | undefined, paint: Paint, width: number): string[] {
  const [first, ...rest] = wrap(printable(advice), Math.max(40, width - 4))
  const out = [`  • ${first}`, ...rest.map((line) => `    ${line}`)]
  if (docs) out.push(`    ${paint.cyan(docs)}`)
  return out
}

/** Word-wrap prose (never log lines: those stay whole, as in the log, so they can be searched). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let current = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current)
      current = word
    } else {
      current = current ? `${current} ${word}` : word
    }
  }

  lines.push(current)
  return lines
}

function severityLabel(finding: Finding, paint: Paint): string {
  const label = finding.severity.toUpperCase().padEnd(8)
  switch (finding.severity) {
    case 'critical':
    case 'error': {
      return paint.red(label)
    }

    case 'warning': {
      return paint.yellow(label)
    }

    default: {
      return paint.dim(label)
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** -o tsv: one line per session, in log order. */
export const sessionColumns: Column<Session>[] = [
  {header: 'Session', value: (session) => session.index},
  {header: 'Outcome', value: (session) => session.outcome},
  {header: 'Last stage', value: (session) => session.lastStage ?? ''},
  {header: 'Start line', value: (session) => session.startLine},
  {header: 'End line', value: (session) => session.endLine},
  {header: 'Kernel', value: (session) => (session.kernel ? printable(session.kernel) : '')},
  {header: 'Partial', value: (session) => session.partial},
  {header: 'Findings', value: (session) => session.findings.length},
]

/** -o tsv of a screenshot alone: one line for the screen. */
export const screenColumns: Column<ScreenReading>[] = [
  {header: 'Kind', value: (screen) => screen.kind},
  {header: 'State', value: (screen) => screen.state},
  {header: 'OS', value: (screen) => screen.os},
  {header: 'Outcome', value: (screen) => screen.outcome ?? ''},
  {header: 'Codes', value: (screen) => screen.codes.map((code) => printable(code)).join(',')},
  {header: 'Percent', value: (screen) => (screen.percent === null ? '' : screen.percent)},
]
