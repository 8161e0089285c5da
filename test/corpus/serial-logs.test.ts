/**
 * Real serial console logs against their labels: every log must give exactly its labelled session
 * count, last stage and outcome. Two sets: the shared corpus (../shared/corpus, read in place and never
 * copied here; skipped with a notice where the folder is absent) and the QEMU boot lab's logs
 * (test/corpus/lab/labels.json, same schema), when that file exists.
 */
import {createReadStream, existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {analyze} from '../../src/analysis/index.js'
import {expectSaneReport} from '../unit/analysis/support.js'

interface Label {
  file: string
  sessions: number
  last_stage: string | null
  outcome: string
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CORPORA = [
  {name: 'shared corpus', dir: resolve(repo, '..', 'shared', 'corpus')},
  {name: 'boot lab', dir: join(repo, 'test', 'corpus', 'lab')},
]

for (const {name, dir} of CORPORA) {
  const labelsFile = join(dir, 'labels.json')
  describe(`corpus: ${name} (${dir})`, () => {
    if (!existsSync(labelsFile)) {
      it(`skipped: ${labelsFile} not found (the shared corpus lives outside the repository)`, function () {
        this.skip()
      })
      return
    }

    const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as Label[]
    for (const label of labels) {
      it(`${label.file}: ${label.sessions} session(s), ${label.outcome} at ${label.last_stage}`, async () => {
        const path = join(dir, label.file)
        const report = await analyze(createReadStream(path), {source: path})
        expectSaneReport(report)
        expect(
          {sessions: report.sessions.length, last_stage: report.verdict.lastStage, outcome: report.verdict.outcome},
          report.verdict.summary,
        ).to.deep.equal({sessions: label.sessions, last_stage: label.last_stage, outcome: label.outcome})
      })
    }
  })
}
