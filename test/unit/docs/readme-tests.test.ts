/**
 * The README's promises name the tests that check them ("What bootdiag guarantees", the analyser's
 * paragraphs): every test file it names exists under test/, and every test it quotes by name is in that
 * file — so a test moved or renamed cannot leave a promise pointing at nothing.
 */
import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const TEST_PATH = /`((?:unit|integration|e2e|corpus|fuzz|helpers)\/[\w./-]+\.ts)`/g

/** Each test file the README names, with the test names quoted after it (up to the next file named). */
function citations(readme: string): Array<{file: string; names: string[]}> {
  const out: Array<{file: string; names: string[]}> = []
  for (const line of readme.split('\n')) {
    const matches = [...line.matchAll(TEST_PATH)]
    matches.forEach((match, index) => {
      const end = matches[index + 1]?.index ?? line.length
      // a cell ends at the next '|'; quoted names run up to it
      const after = line.slice(match.index + match[0].length, end).split('|')[0]
      const names = [...after.matchAll(/"([^"]+)"/g)].map((quoted) => quoted[1].split('…')[0].trim())
      out.push({file: match[1], names})
    })
  }

  return out
}

describe('README: the tests it cites', () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8')
  const cited = citations(readme)

  it('cites tests at all (the parser still finds them)', () => {
    expect(cited.length).to.be.greaterThan(40)
  })

  it('every test file it names exists under test/, and holds every test it quotes by name', () => {
    const problems: string[] = []
    for (const {file, names} of cited) {
      let text: string
      try {
        text = readFileSync(join(repo, 'test', file), 'utf8')
      } catch {
        problems.push(`${file}: no such file under test/`)
        continue
      }

      for (const name of names) if (!text.includes(name)) problems.push(`${file}: no test named "${name}"`)
    }

    expect(problems).to.deep.equal([])
  })
})
