/**
 * The labelled corpora of real serial logs, and how a log's analysis is compared with its label. Used
 * by the corpus test (corpus.test.ts) and by `npm run corpus` (scripts/corpus-report.ts), so both read
 * the same labels the same way.
 *
 * Each log's expected result lives in one place: its entry in the labels file next to it (`file`,
 * `sessions`, `last_stage`, `outcome`; `strict: false` where reasonable people could disagree, with a
 * `judgement` saying why). The shared corpus (../shared/corpus) is read in place and never copied here;
 * the boot lab's logs are in test/corpus/lab.
 */
import {createReadStream, existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {analyze, type AnalysisReport} from '../../src/analysis/index.js'

export interface Label {
  file: string
  sessions: number
  last_stage: string | null
  outcome: string
  /** false: a judgement call; a disagreement is reported, not failed */
  strict?: boolean
  judgement?: string
  note?: string
}

export interface LabelSet {
  /** a short name for reports */
  name: string
  dir: string
  /** the labels file, inside dir */
  labelsFile: string
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SHARED = resolve(repo, '..', 'shared', 'corpus')

export const LABEL_SETS: readonly LabelSet[] = [
  {name: 'shared', dir: SHARED, labelsFile: 'labels.json'},
  {name: 'shared-2', dir: SHARED, labelsFile: 'labels-2.json'},
  {name: 'lab', dir: join(repo, 'test', 'corpus', 'lab'), labelsFile: 'labels.json'},
]

/** The labels of a set, or null when its labels file is absent (the shared corpus lives outside the repository). */
export function readLabels(set: LabelSet): Label[] | null {
  const path = join(set.dir, set.labelsFile)
  if (!existsSync(path)) return null
  return JSON.parse(readFileSync(path, 'utf8')) as Label[]
}

/** What a label states, as the analyser gives it. */
export interface Observed {
  sessions: number
  last_stage: string | null
  outcome: string
}

export interface Comparison {
  set: string
  file: string
  strict: boolean
  expected: Observed
  got: Observed
  agrees: boolean
  /** the verdict's one-line summary */
  summary: string
  judgement?: string
  report: AnalysisReport
}

export function observed(report: AnalysisReport): Observed {
  return {sessions: report.sessions.length, last_stage: report.verdict.lastStage, outcome: report.verdict.outcome}
}

export function expectedOf(label: Label): Observed {
  return {sessions: label.sessions, last_stage: label.last_stage, outcome: label.outcome}
}

/** Analyse one labelled log (streamed from disk) and compare it with its label. */
export async function compare(set: LabelSet, label: Label): Promise<Comparison> {
  const path = join(set.dir, label.file)
  const report = await analyze(createReadStream(path), {source: path})
  const got = observed(report)
  const expected = expectedOf(label)
  return {
    set: set.name,
    file: label.file,
    strict: label.strict !== false,
    expected,
    got,
    agrees: JSON.stringify(got) === JSON.stringify(expected),
    summary: report.verdict.summary,
    judgement: label.judgement,
    report,
  }
}

/** "sessions 2 -> 1, outcome booted -> boot-stuck": what differs, expected -> got. */
export function differences(comparison: Pick<Comparison, 'expected' | 'got'>): string {
  const parts: string[] = []
  for (const key of ['sessions', 'last_stage', 'outcome'] as const) {
    if (comparison.expected[key] !== comparison.got[key])
      parts.push(`${key} ${String(comparison.expected[key])} -> ${String(comparison.got[key])}`)
  }

  return parts.join(', ')
}
