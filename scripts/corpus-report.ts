/**
 * `npm run corpus`: analyse every labelled log of every corpus (test/corpus/corpora.ts) and print every
 * disagreement at once: the file, expected -> got for sessions / last stage / outcome, the verdict's
 * summary, and the label's judgement when it has one; then one summary line. Strict labels that disagree
 * make the exit code 1.
 *
 *   npm run corpus               the disagreements and the summary line
 *   npm run corpus -- --all      every log, agreeing ones too
 *   npm run corpus -- --json     one JSON document (every log, with expected, got and agrees)
 */
import {compare, differences, LABEL_SETS, readLabels, type Comparison} from '../test/corpus/corpora.js'

const args = new Set(process.argv.slice(2))
const unknown = [...args].filter((arg) => !['--all', '--json'].includes(arg))
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown[0]}. Options: --all, --json.`)
  process.exit(2)
}

const comparisons: Comparison[] = []
const missing: string[] = []
for (const set of LABEL_SETS) {
  const labels = readLabels(set)
  if (labels === null) {
    missing.push(`${set.dir}/${set.labelsFile}`)
    continue
  }

  for (const label of labels) comparisons.push(await compare(set, label))
}

const disagreeing = comparisons.filter((comparison) => !comparison.agrees)
const strictDisagreeing = disagreeing.filter((comparison) => comparison.strict)

if (args.has('--json')) {
  const logs = comparisons.map(({report: _report, ...comparison}) => comparison)
  console.log(
    JSON.stringify(
      {
        logs,
        missing,
        summary: {
          logs: comparisons.length,
          agree: comparisons.length - disagreeing.length,
          disagree: disagreeing.length,
          strictDisagree: strictDisagreeing.length,
        },
      },
      null,
      2,
    ),
  )
} else {
  for (const path of missing) console.log(`skipped: ${path} not found`)
  const shown = args.has('--all') ? comparisons : disagreeing
  for (const comparison of shown) {
    const mark = comparison.agrees ? 'ok  ' : comparison.strict ? 'FAIL' : 'soft'
    const what = comparison.agrees
      ? `${comparison.got.sessions} / ${comparison.got.last_stage} / ${comparison.got.outcome}`
      : differences(comparison)
    console.log(`${mark} ${comparison.set}/${comparison.file}: ${what}`)
    if (!comparison.agrees || args.has('--all')) console.log(`       got: ${comparison.summary}`)
    if (!comparison.agrees && comparison.judgement) console.log(`       judgement: ${comparison.judgement}`)
  }

  const sets = LABEL_SETS.map((set) => {
    const ofSet = comparisons.filter((comparison) => comparison.set === set.name)
    return `${set.name} ${ofSet.filter((comparison) => comparison.agrees).length}/${ofSet.length}`
  })
  console.log(
    `${comparisons.length} logs: ${comparisons.length - disagreeing.length} agree, ${disagreeing.length} disagree ` +
      `(${strictDisagreeing.length} strict, ${disagreeing.length - strictDisagreeing.length} not strict) — ${sets.join(', ')}`,
  )
}

process.exitCode = strictDisagreeing.length > 0 ? 1 : 0
