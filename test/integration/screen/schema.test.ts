/**
 * docs/schemas/screen.schema.json is the contract of the `screen` object: real readings of the
 * rendered screens, and of every kind classified from text, must match it, and it must name exactly
 * the vocabulary of src/screen/types.ts.
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Ajv2020} from 'ajv/dist/2020.js'
import {expect} from 'chai'

import {
  classifyScreenText,
  createOcrEngine,
  readScreen,
  SCREEN_KINDS,
  SCREEN_OSES,
  SCREEN_READERS,
  SCREEN_STATES,
  type ScreenReading,
} from '../../../src/screen/index.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const schema = JSON.parse(readFileSync(join(repo, 'docs', 'schemas', 'screen.schema.json'), 'utf8'))
const validate = new Ajv2020({allErrors: true, strict: true}).compile(schema)
const rendered = join(repo, 'test', 'fixtures', 'screens', 'rendered')

function expectValid(reading: ScreenReading): void {
  const valid = validate(JSON.parse(JSON.stringify(reading)))
  expect(valid, JSON.stringify(validate.errors)).to.equal(true)
}

describe('screen reading: JSON contract', function () {
  this.timeout(120_000)

  it('names the same kinds, states, OSes and readers as the code', () => {
    expect(schema.$defs.kind.enum).to.deep.equal([...SCREEN_KINDS])
    expect(schema.properties.state.enum).to.deep.equal([...SCREEN_STATES])
    expect(schema.properties.os.enum).to.deep.equal([...SCREEN_OSES])
    expect(schema.properties.reader.enum).to.deep.equal([...SCREEN_READERS])
  })

  it('every rendered screen’s reading matches the schema', async () => {
    const engine = await createOcrEngine()
    try {
      const labels = JSON.parse(readFileSync(join(rendered, 'labels.json'), 'utf8')) as Array<{file: string}>
      for (const {file} of labels) expectValid(await readScreen(readFileSync(join(rendered, file)), {ocr: engine}))
    } finally {
      await engine.terminate()
    }
  })

  it('readings from text (ambiguous, unknown, console) match the schema', () => {
    const line = (text: string) => ({confidence: 0.5, text})
    expectValid(
      classifyScreenText([
        line('Press Ctrl+Alt+Delete to sign in.'),
        line('Your PC ran into a prblem and nds to rstrt'),
      ]),
    )
    expectValid(classifyScreenText([line('Lorem ipsum')]))
    expectValid(
      classifyScreenText([line('[  240.1] INFO: task jbd2/sda1-8:312 blocked for more than 120 seconds.')], {
        console: true,
      }),
    )
    expectValid(classifyScreenText([]))
  })
})
