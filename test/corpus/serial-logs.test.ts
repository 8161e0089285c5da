/**
 * Real serial console logs against their labels (corpora.ts): the shared corpus (../shared/corpus,
 * labels.json and labels-2.json, read in place and never copied here; skipped with a notice where the
 * folder is absent) and the QEMU boot lab's logs (test/corpus/lab/labels.json, whatever it lists).
 *
 * Every report also matches the JSON contract (docs/schemas/analyze.schema.json). A strict label must be given exactly: session count, last stage and outcome. A label marked
 * `strict: false` is a judgement call: its log must still analyse sanely, and a disagreement is
 * reported (printed after the run, with the label's judgement), not failed. `npm run corpus` prints
 * every disagreement at once.
 */
import {expect} from 'chai'

import {assertMatchesSchema} from '../helpers/schemas.js'
import {expectSaneReport} from '../unit/analysis/support.js'
import {compare, differences, LABEL_SETS, readLabels, type Comparison} from './corpora.js'

const reported: Comparison[] = []

describe('corpus: real logs give their labels', () => {
  after(() => {
    if (reported.length === 0) return
    const lines = reported.map(
      (comparison) =>
        `  ${comparison.set}/${comparison.file}: ${differences(comparison)}\n      got: ${comparison.summary}` +
        (comparison.judgement ? `\n      judgement: ${comparison.judgement}` : ''),
    )
    console.log(`\n  Non-strict labels the analyser disagrees with (${reported.length}):\n${lines.join('\n')}\n`)
  })

  for (const set of LABEL_SETS) {
    const labels = readLabels(set)
    describe(`${set.name} (${set.dir}/${set.labelsFile})`, () => {
      if (labels === null) {
        it(`skipped: ${set.labelsFile} not found in ${set.dir}`, function () {
          this.skip()
        })
        return
      }

      for (const label of labels) {
        const strict = label.strict !== false
        const title = `${label.file}: ${label.sessions} session(s), ${label.outcome} at ${label.last_stage}`
        it(strict ? title : `${title} (not strict: a disagreement is reported)`, async () => {
          const comparison = await compare(set, label)
          expectSaneReport(comparison.report)
          assertMatchesSchema('analyze', JSON.parse(JSON.stringify(comparison.report)))
          // an outcome that is a failure belongs to a stage
          for (const session of comparison.report.sessions)
            if (!['booted', 'shutdown-complete', 'reboot', 'no-output'].includes(session.outcome))
              expect(session.lastStage, `session ${session.index}: ${session.summary}`).to.not.equal(null)
          if (!strict) {
            if (!comparison.agrees) reported.push(comparison)
            return
          }

          expect(comparison.got, comparison.summary).to.deep.equal(comparison.expected)
        })
      }
    })
  }
})
