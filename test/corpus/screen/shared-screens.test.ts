/**
 * Real Azure screenshots against their labels (../shared/screens, read in place, never copied here;
 * skipped with a notice where the folder is absent): every file must give its labelled kind, codes and
 * state (healthy true -> healthy, false -> failed, "unknown" -> a transient state, never healthy or
 * failed), and its percent where the label gives one. One OCR engine serves the whole file.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {createOcrEngine, readScreen, type OcrEngine} from '../../../src/screen/index.js'

interface Label {
  file: string
  kind: string
  codes: string[]
  healthy: boolean | 'unknown'
  percent?: number | null
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const SETS = [
  {dir: resolve(repo, '..', 'shared', 'screens'), name: 'shared screens (docs)'},
  {dir: resolve(repo, '..', 'shared', 'screens', 'azure-raw'), name: 'shared screens (raw Azure captures)'},
]

let engine: OcrEngine | undefined

describe('screen reader: real Azure screenshots', function () {
  this.timeout(120_000)
  after(async () => engine?.terminate())

  for (const {dir, name} of SETS) {
    const labelsFile = join(dir, 'labels.json')
    describe(`${name} (${dir})`, () => {
      if (!existsSync(labelsFile)) {
        it(`skipped: ${labelsFile} not found (the shared screenshots live outside the repository)`, function () {
          this.skip()
        })
        return
      }

      for (const label of JSON.parse(readFileSync(labelsFile, 'utf8')) as Label[]) {
        it(`${label.file}: ${label.kind}, ${label.healthy === true ? 'healthy' : label.healthy === false ? 'failed' : 'transient'}${label.codes.length > 0 ? `, ${label.codes.join(' ')}` : ''}`, async () => {
          engine ??= await createOcrEngine()
          const screen = await readScreen(readFileSync(join(dir, label.file)), {ocr: engine})
          const read = `read: ${JSON.stringify(screen.lines.map((line) => line.text))}`
          expect(screen.kind, read).to.equal(label.kind)
          expect(screen.codes, read).to.deep.equal(label.codes)
          if (label.healthy === true) expect(screen.state).to.equal('healthy')
          else if (label.healthy === false) expect(screen.state).to.equal('failed')
          else expect(screen.state).to.be.oneOf(['in-progress', 'unknown'])
          if (label.percent !== undefined) expect(screen.percent, read).to.equal(label.percent)
          expect(screen.summary).to.be.a('string').and.not.equal('')
        })
      }
    })
  }
})
