/**
 * The log scanner behind `bootdiag search`: grep's answers (line numbers, one report per line) whatever
 * the chunking, a plain string or a regular expression, and a grown log searched from where the log it
 * continues ended, its line numbers going on.
 */
import {expect} from 'chai'

import {
  MAX_LINE_BYTES,
  type Matcher,
  literalMatcher,
  regexMatcher,
  scanLog,
} from '../../../../src/services/search/scan.js'

async function* chunked(data: Buffer, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size)
}

async function grep(
  data: Buffer | string,
  matcher: Matcher,
  size = 1 << 20,
  options: Parameters<typeof scanLog>[3] = {},
): Promise<{hits: Array<[number, string]>; result: Awaited<ReturnType<typeof scanLog>>}> {
  const hits: Array<[number, string]> = []
  const bytes = Buffer.from(data)
  const result = await scanLog(
    chunked(bytes.subarray(options.start?.offset ?? 0), size),
    matcher,
    (line, text) => {
      hits.push([line, text.toString('utf8')])
    },
    options,
  )
  return {hits, result}
}

/** What grep -n would say (lines split at \n). */
function naive(data: string, test: (line: string) => boolean): Array<[number, string]> {
  const lines = data.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.flatMap((line, i): Array<[number, string]> => (test(line) ? [[i + 1, line]] : []))
}

const LOG = [
  '[    0.000000] Linux version 6.1.0-13-amd64',
  '[    1.234567] Kernel panic - not syncing: VFS: Unable to mount root fs',
  'web-01 login: ',
  '\u001B[0;32m  OK  \u001B[0m] Started Journal Service. Kernel panic twice: Kernel panic',
  'Ünïcödé line with Kernel panic',
  'last line without a newline, Kernel panic',
].join('\n')

describe('search: scanning a log', () => {
  it('reports each matching line once with its number, whatever the chunk size', async () => {
    const expected = naive(LOG, (line) => line.includes('Kernel panic'))
    expect(expected.map(([n]) => n)).to.deep.equal([2, 4, 5, 6])
    for (const size of [1, 2, 3, 7, 16, 64, 4096]) {
      const {hits, result} = await grep(LOG, literalMatcher('Kernel panic'), size)
      expect(hits, `chunks of ${size}`).to.deep.equal(expected)
      expect(result).to.include({bytes: Buffer.byteLength(LOG), lines: 5, stopped: false})
    }
  })

  it('a regular expression: -i, anchors at line starts, UTF-8 in the pattern', async () => {
    expect((await grep(LOG, regexMatcher('^web-\\d+ login', false), 5)).hits).to.deep.equal([[3, 'web-01 login: ']])
    expect((await grep(LOG, regexMatcher('kernel PANIC - not', true), 9)).hits.map(([n]) => n)).to.deep.equal([2])
    expect((await grep(LOG, regexMatcher('Ünïcödé', false), 4)).hits.map(([n]) => n)).to.deep.equal([5])
    expect((await grep(LOG, literalMatcher('Ünïcödé'), 3)).hits.map(([n]) => n)).to.deep.equal([5])
  })

  it('a log that grew is searched from the line the earlier one ended in, numbers going on', async () => {
    // Given a log whose last line was incomplete when kept, and the log it grew into
    const before = 'one\ntwo panic\nthree pa'
    const after = `${before}nic, finished\nfour panic\n`
    const earlier = await grep(before, literalMatcher('panic'), 5, {checkpoint: Buffer.byteLength(before)})
    expect(earlier.hits).to.deep.equal([[2, 'two panic']])
    expect(earlier.result.resume).to.deep.equal({line: 3, offset: 14})

    // When the grown log is searched from there
    const later = await grep(after, literalMatcher('panic'), 4, {start: earlier.result.resume})

    // Then it finds the completed line and the new one, numbered as in the whole log
    expect(later.hits).to.deep.equal([
      [3, 'three panic, finished'],
      [4, 'four panic'],
    ])
    expect(naive(after, (l) => l.includes('panic')).slice(1)).to.deep.equal(later.hits)
    // and a checkpoint right after a newline resumes at the next line
    const whole = await grep('a\nb\n', literalMatcher('zz'), 1, {checkpoint: 4})
    expect(whole.result.resume).to.deep.equal({line: 3, offset: 4})
  })

  it('a line longer than the longest kept is searched in pieces and reported once', async () => {
    const long = `start\n${'x'.repeat(MAX_LINE_BYTES + 10)}needle${'y'.repeat(MAX_LINE_BYTES * 2)}needle\nend needle\n`
    const {hits} = await grep(long, literalMatcher('needle'), 64 * 1024)
    expect(hits.map(([n, text]) => [n, text.length])).to.deep.equal([
      [2, 4096],
      [3, 10],
    ])
  })

  it('onMatch returning false stops the scan', async () => {
    const lines: number[] = []
    const result = await scanLog(chunked(Buffer.from(LOG), 10), literalMatcher('Kernel'), (line) => {
      lines.push(line)
      return lines.length < 2
    })
    expect(lines).to.deep.equal([2, 4])
    expect(result.stopped).to.equal(true)
  })

  it('agrees with a naive grep on random logs cut at random places', async () => {
    let seed = 7
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    const words = ['panic', 'ok', 'Panic', '\r', 'oops', 'pan', 'ic', ' ', 'é']
    for (let round = 0; round < 60; round++) {
      let text = ''
      const n = Math.floor(random() * 400)
      for (let i = 0; i < n; i++) text += random() < 0.15 ? '\n' : words[Math.floor(random() * words.length)]
      const size = 1 + Math.floor(random() * 50)
      expect((await grep(text, literalMatcher('panic'), size)).hits, `round ${round}`).to.deep.equal(
        naive(text, (l) => l.includes('panic')),
      )
      expect((await grep(text, regexMatcher('pan+ic', true), size)).hits, `round ${round} -E -i`).to.deep.equal(
        naive(text, (l) => /pan+ic/i.test(l)),
      )
    }
  })
})
