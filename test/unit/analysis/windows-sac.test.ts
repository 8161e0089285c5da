/**
 * A Windows VM's serial log, when Emergency Management Services (SAC) is on: one line per boot says the
 * kernel is up. It counts as progress (a session in the kernel stage), so such a log is not `no-output`,
 * and each boot is a session of its own.
 */
import {expect} from 'chai'
import {createReadStream} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {analyze} from '../../../src/analysis/index.js'

const fixture = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'fixtures',
  'rules',
  'windows-sac-started.log',
)

describe('analyser: Windows serial output from SAC', () => {
  it('"Computer is booting, SAC started and initialized." opens a session in the kernel stage, one per boot', async () => {
    const report = await analyze(createReadStream(fixture), {source: fixture})
    expect(report.sessions.map((session) => [session.startLine, session.lastStage])).to.deep.equal([
      [1, 'kernel'],
      [10, 'kernel'],
    ])
    expect(report.verdict.outcome).to.equal('boot-stuck')
    expect(report.verdict.outcome).not.to.equal('no-output')
  })
})
