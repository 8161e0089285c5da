import {expect} from 'chai'

import {buildAnchorAutomaton} from '../../../src/analysis/anchor-automaton.js'
import {LineScanner, MAX_LINE_BYTES} from '../../../src/analysis/line-scanner.js'

interface Seen {
  line: number
  text: string
  anchors: string[]
}

/** Scan `input` in chunks of `chunkSize` looking for `anchors`; what the scanner handed on. */
function scan(
  input: Buffer | string,
  anchors: string[],
  chunkSize = 1 << 16,
): {seen: Seen[]; lines: number; bytes: number} {
  const automaton = buildAnchorAutomaton(anchors.map((anchor) => Buffer.from(anchor, 'latin1')))
  const seen: Seen[] = []
  const scanner = new LineScanner(automaton, {
    candidate(line, source, start, end, ids, count) {
      seen.push({
        line,
        text: source.toString('latin1', start, end),
        anchors: [...ids.subarray(0, count)].map((id) => anchors[id]),
      })
    },
  })
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    scanner.push(bytes.subarray(offset, offset + chunkSize))
  return {seen, ...scanner.end()}
}

describe('analysis: line scanner', () => {
  it('numbers lines from 1 and hands on only the lines that hold an anchor', () => {
    const {seen, lines} = scan('boot\nKernel panic here\nnoise\nmore Oops: x\n', ['Kernel panic', 'Oops: '])
    expect(seen).to.deep.equal([
      {line: 2, text: 'Kernel panic here', anchors: ['Kernel panic']},
      {line: 4, text: 'more Oops: x', anchors: ['Oops: ']},
    ])
    expect(lines).to.equal(4)
  })

  it('finds overlapping anchors and an anchor inside another, once each per line', () => {
    const {seen} = scan('Failed to start Failed to start X\n', ['Failed to start ', 'start X', 'to st'])
    expect(seen[0].anchors).to.have.members(['Failed to start ', 'to st', 'start X'])
  })

  it('gives the same lines whatever the chunk size, also when an anchor spans two chunks', () => {
    const text = 'a\r\nfoo Kernel panic - not syncing\r\nb\nKernel panic again'
    const whole = scan(text, ['Kernel panic'])
    for (const size of [1, 2, 3, 7, 64]) expect(scan(text, ['Kernel panic'], size)).to.deep.equal(whole)
    expect(whole.seen.map((line) => line.line)).to.deep.equal([2, 4])
    expect(whole.seen[0].text).to.equal('foo Kernel panic - not syncing\r')
  })

  it('counts a last line without a newline, but not one of NUL padding (page blobs)', () => {
    expect(scan('one\ntwo', []).lines).to.equal(2)
    expect(scan(Buffer.concat([Buffer.from('one\ntwo\n'), Buffer.alloc(4096)]), []).lines).to.equal(2)
    expect(scan('', []).lines).to.equal(0)
    expect(scan('\n', []).lines).to.equal(1)
  })

  it('hands on a line longer than the limit in pieces, keeping memory bounded and the line number', () => {
    const long = Buffer.concat([
      Buffer.from('start '),
      Buffer.alloc(MAX_LINE_BYTES * 3, 'x'),
      Buffer.from(' Kernel panic end\nnext Kernel panic\n'),
    ])
    const {seen, lines} = scan(long, ['Kernel panic'], 1 << 16)
    expect(lines).to.equal(2)
    expect(seen.map((line) => line.line)).to.deep.equal([1, 2])
    expect(seen[0].text.length).to.be.at.most(MAX_LINE_BYTES * 2)
    expect(seen[0].text).to.include('Kernel panic end')
  })

  it('counts bytes read', () => {
    expect(scan('abc\ndef\n', []).bytes).to.equal(8)
  })
})
