/**
 * From the text on a screen to what the screen is: kind, state, outcome, stage, codes, percent and a
 * summary. Pure: lines in, a ScreenReading out. The screens are the catalogue's records (catalogue/);
 * console text that no record names goes through the serial-log analyser's catalogue, so a panic or a
 * failed mount on screen is found the way it would be in the log.
 *
 * Safety: a screen whose text matches any failure kind is never `healthy`, whatever else it matches; a
 * screen that looks healthy but also comes close to a failure kind is `unknown`.
 */
import {Analyzer} from '../analysis/analyzer.js'
import {isHealthyOutcome, type Outcome} from '../analysis/types.js'
import {screenCatalogue, type CompiledScreenRecord, type PictureFeature} from './catalogue/index.js'
import {readCodes, readPercent} from './codes.js'
import {approximateFind, normalizeText} from './fuzzy.js'
import type {ScreenEvidence, ScreenKind, ScreenLine, ScreenReader, ScreenReading, ScreenState} from './types.js'

export interface ClassifyHints {
  /** how the lines were read (kept in the reading) */
  reader?: ScreenReader
  /** the lines come from a text console (light text on a dark, fixed-pitch grid): unnamed text is Linux */
  console?: boolean
  /** features of the picture found by the layout analysis */
  features?: readonly PictureFeature[]
}

/** how far below its threshold a failure string may be and still make a healthy-looking screen unknown */
const NEAR_MISS = 0.15
const Q = 3

interface RecordMatch {
  record: CompiledScreenRecord
  similarity: number
  line: number
  match: string
}

const LINUX_KIND_BY_OUTCOME: Partial<Record<Outcome, ScreenKind>> = {
  'emergency-mode': 'linux-emergency',
  'initramfs-failure': 'linux-initramfs-shell',
  'kernel-panic': 'linux-kernel-panic',
}

/** Classify the lines read off a screen (top to bottom). */
export function classifyScreenText(lines: readonly ScreenLine[], hints: ClassifyHints = {}): ScreenReading {
  const text = new ScreenText(lines)
  const matches: RecordMatch[] = []
  const nearFailures: RecordMatch[] = []
  for (const record of screenCatalogue()) {
    const found = bestMatch(record, text)
    if (!found) continue
    if (found.similarity >= record.minSimilarity) matches.push(found)
    else if (record.state === 'failed' && found.similarity >= record.minSimilarity - NEAR_MISS) nearFailures.push(found)
  }

  const score = (m: RecordMatch) => m.similarity + 0.1 * (m.record.priority ?? 0)
  const byScore = (a: RecordMatch, b: RecordMatch) => score(b) - score(a)
  const chosen =
    matches.filter((m) => m.record.state === 'failed').sort(byScore)[0] ??
    matches.filter((m) => m.record.state === 'in-progress').sort(byScore)[0] ??
    matches.filter((m) => m.record.state === 'healthy').sort(byScore)[0]

  if (chosen?.record.state === 'healthy' && nearFailures.length > 0) {
    const near = nearFailures.sort(byScore)[0]
    return reading(lines, hints, {
      evidence: [evidenceOf(chosen, lines), evidenceOf(near, lines)],
      kind: 'unknown',
      os: chosen.record.os,
      state: 'unknown',
      summary: `Ambiguous screen: looks like ${chosen.record.kind} but also close to ${near.record.kind}`,
    })
  }

  if (chosen) return fromRecord(chosen, lines, hints)
  const pictured = screenCatalogue().find((record) => record.feature && hints.features?.includes(record.feature))
  if (pictured)
    return fromRecord({line: -1, match: `picture: ${pictured.feature}`, record: pictured, similarity: 1}, lines, hints)
  return unnamed(lines, hints)
}

/** The catalogue's verdict for the chosen record, with its codes, percent and (for Linux) log findings. */
function fromRecord(match: RecordMatch, lines: readonly ScreenLine[], hints: ClassifyHints): ScreenReading {
  const {record} = match
  const texts = lines.map((line) => line.text)
  const codes = readCodes(texts, record.codes ?? [])
  const percent = record.percent ? readPercent(texts) : null
  let state: ScreenState = record.state
  let outcome = record.outcome ?? null
  if (record.codeMeansFailure && codes.length > 0) {
    state = 'failed'
    outcome = outcome ?? null
  }

  const evidence = [evidenceOf(match, lines)]
  if (record.os === 'linux') evidence.push(...logFindings(texts).evidence)
  const summary = record.summary
    .replace('{codes}', codes.length > 0 ? `: ${codes.join(', ')}` : '')
    .replace('{percent}', percent === null ? '' : ` (${percent}%)`)
    .replace('{line}', lines[match.line]?.text.trim() ?? '')
  return reading(lines, hints, {
    advice: record.advice,
    codes,
    docs: record.docs,
    evidence,
    kind: record.kind,
    os: record.os,
    outcome,
    percent,
    stage: record.stage ?? null,
    state,
    summary,
  })
}

/** No record names the screen: console text goes through the log analyser; anything else is unknown. */
function unnamed(lines: readonly ScreenLine[], hints: ClassifyHints): ScreenReading {
  const texts = lines.map((line) => line.text)
  const log = logFindings(texts)
  if (hints.console || log.sawBoot) {
    const failed = log.outcome !== null && !isHealthyOutcome(log.outcome) && log.failure
    const kind = (failed && log.outcome && LINUX_KIND_BY_OUTCOME[log.outcome]) || 'linux-console'
    const first = log.evidence[0]
    return reading(lines, hints, {
      advice: failed ? log.advice : undefined,
      docs: failed ? log.docs : undefined,
      evidence: log.evidence,
      kind,
      os: 'linux',
      outcome: failed ? log.outcome : null,
      stage: log.stage,
      state: failed ? 'failed' : 'unknown',
      summary: failed
        ? `Linux console shows ${log.outcome}: ${first?.title ?? first?.text ?? ''}`.trim()
        : lines.length > 0
          ? `Linux console text, no known failure: ${lines.at(-1)?.text.trim()}`
          : 'Linux console, no text read',
    })
  }

  return reading(lines, hints, {
    kind: 'unknown',
    summary: lines.length > 0 ? `Unknown screen: ${lines[0].text.trim()}` : 'Unknown screen: no text read',
  })
}

interface LogFindings {
  /** the analyser saw boot progress or a finding (the text looks like a Linux console) */
  sawBoot: boolean
  outcome: Outcome | null
  /** the outcome comes from a failure signature (not from a log that merely ends mid-boot) */
  failure: boolean
  stage: ScreenReading['stage']
  evidence: ScreenEvidence[]
  advice?: string
  docs?: string
}

/** Run the console's lines through the serial-log analyser. */
function logFindings(texts: readonly string[]): LogFindings {
  if (texts.length === 0) return {evidence: [], failure: false, outcome: null, sawBoot: false, stage: null}
  const analyzer = new Analyzer()
  analyzer.push(texts.join('\n') + '\n')
  const report = analyzer.finish('screen')
  const session = report.sessions.at(-1)
  const findings = report.sessions.flatMap((s) => s.findings)
  const evidence = findings.map((finding) => ({
    line: finding.line - 1,
    match: finding.rule,
    text: finding.text,
    title: finding.title,
  }))
  const failure = findings.some((finding) => finding.severity === 'critical' || finding.severity === 'error')
  return {
    advice: session?.advice,
    docs: findings.find((finding) => finding.docs)?.docs,
    evidence,
    failure,
    outcome: session ? session.outcome : null,
    sawBoot: report.sessions.length > 0,
    stage: session?.lastStage ?? null,
  }
}

function evidenceOf(match: RecordMatch, lines: readonly ScreenLine[]): ScreenEvidence {
  return {line: Math.max(0, match.line), match: match.match, text: lines[match.line]?.text ?? ''}
}

function reading(
  lines: readonly ScreenLine[],
  hints: ClassifyHints,
  fields: Partial<ScreenReading> & Pick<ScreenReading, 'kind' | 'summary'>,
): ScreenReading {
  const result: ScreenReading = {
    codes: [],
    lines: lines.map((line) => ({confidence: line.confidence, text: line.text})),
    os: 'unknown',
    outcome: null,
    percent: null,
    stage: null,
    state: 'unknown',
    ...fields,
  }
  if (hints.reader) result.reader = hints.reader
  for (const key of ['advice', 'docs', 'evidence'] as const) if (result[key] === undefined) delete result[key]
  return result
}

/** The screen's lines joined into one normalised text (so a string may wrap), with a q-gram index. */
class ScreenText {
  readonly normalized: string
  /** start offset of each line in `normalized` */
  private readonly starts: number[] = []
  private readonly grams = new Set<string>()

  constructor(readonly lines: readonly ScreenLine[]) {
    let joined = ''
    for (const line of lines) {
      if (joined) joined += ' '
      this.starts.push(joined.length)
      joined += normalizeText(line.text)
    }

    this.normalized = joined
    for (let i = 0; i + Q <= joined.length; i++) this.grams.add(joined.slice(i, i + Q))
  }

  lineAt(offset: number): number {
    let line = 0
    while (line + 1 < this.starts.length && this.starts[line + 1] <= offset) line++
    return line
  }

  /**
   * Whether `needle` can be within `maxEdits` of some stretch of the text: each edit destroys at most Q
   * of the needle's q-grams, so at least (grams - Q·edits) of them must occur in the text.
   */
  mayContain(needle: string, maxEdits: number): boolean {
    const total = needle.length - Q + 1
    if (total <= 0) return true
    let present = 0
    for (let i = 0; i < total; i++) if (this.grams.has(needle.slice(i, i + Q))) present++
    return present >= total - Q * maxEdits
  }
}

function bestMatch(record: CompiledScreenRecord, text: ScreenText): RecordMatch | null {
  let best: RecordMatch | null = null
  for (const regex of record.regexes) {
    const line = text.lines.findIndex((candidate) => regex.test(candidate.text))
    if (line >= 0) return {line, match: regex.source, record, similarity: 1}
  }

  const floor = record.state === 'failed' ? record.minSimilarity - NEAR_MISS : record.minSimilarity
  for (const string of record.compiledStrings) {
    const maxEdits = Math.floor(string.normalized.length * (1 - floor))
    if (!text.mayContain(string.normalized, maxEdits)) continue
    const found = approximateFind(string.normalized, text.normalized)
    if (found.similarity >= floor && (!best || found.similarity > best.similarity)) {
      best = {line: text.lineAt(found.start), match: string.text, record, similarity: found.similarity}
      if (found.similarity === 1) break
    }
  }

  return best
}
