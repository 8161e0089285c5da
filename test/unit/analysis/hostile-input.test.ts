/**
 * Logs shaped to hide a failure from the analyser, or to make it count wrong: an SGR escape between every
 * character, lines that end with a bare carriage return, a line over 64 KiB across chunk boundaries, and
 * one endless line full of signatures. The verdict is what a person reading the console would see; the line
 * total is the log's; what one line can cost is capped.
 */
import {expect} from 'chai'

import {buildAnchorAutomaton} from '../../../src/analysis/anchor-automaton.js'
import {InputFilter, LINE_END_PROBE_BYTES} from '../../../src/analysis/input-filter.js'
import {LineScanner, MAX_LINE_BYTES, MAX_PIECES_PER_LINE} from '../../../src/analysis/line-scanner.js'
import {HEALTHY_BOOT as HEALTHY_LINES, KERNEL_START, analyzeBytes, expectSaneReport, log} from './support.js'

const HEALTHY_BOOT = log(...HEALTHY_LINES)

const PANIC = log(
  ...KERNEL_START,
  '[    2.500000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
  '[    2.500100] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
)

/** Every character of `text` followed by an SGR reset (newlines and carriage returns left alone). */
function sgrBetweenEveryCharacter(text: string, sgr = '\u001B[0m'): string {
  return [...text].map((char) => (char === '\n' || char === '\r' ? char : `${char}${sgr}`)).join('')
}

/** The filter's output for `input` fed in chunks of `size`. */
function filtered(input: string | Buffer, size: number): string {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input
  const filter = new InputFilter()
  const out: Buffer[] = []
  for (let offset = 0; offset < bytes.length; offset += size)
    out.push(...filter.push(bytes.subarray(offset, offset + size)))
  out.push(...filter.end())
  return Buffer.concat(out).toString('latin1')
}

describe('analysis: hostile input', () => {
  describe('escape sequences between the characters', () => {
    it('a panic with an SGR reset after every character is still a kernel panic, at any chunk size', async () => {
      const plain = await analyzeBytes(PANIC)
      for (const size of [1, 3, 7, 64, 64 * 1024]) {
        const report = await analyzeBytes(sgrBetweenEveryCharacter(PANIC), size)
        expectSaneReport(report)
        expect(report.verdict.outcome, `chunks of ${size}`).to.equal('kernel-panic')
        expect(report.lines).to.equal(plain.lines)
        expect(report.verdict.summary).to.equal(plain.verdict.summary)
      }
    })

    it('a healthy boot coloured the same way reaches its login prompt, with every stage', async () => {
      const plain = await analyzeBytes(HEALTHY_BOOT)
      const coloured = await analyzeBytes(sgrBetweenEveryCharacter(HEALTHY_BOOT, '\u001B[1;32m'), 5)
      expect(coloured.verdict).to.include({lastStage: plain.verdict.lastStage, outcome: plain.verdict.outcome})
      expect(coloured.sessions[0].stages.map((stage) => stage.stage)).to.deep.equal(
        plain.sessions[0].stages.map((stage) => stage.stage),
      )
    })

    it("the bytes reported are the log's own, escape sequences included", async () => {
      const text = sgrBetweenEveryCharacter(PANIC)
      expect((await analyzeBytes(text)).bytes).to.equal(Buffer.byteLength(text))
    })

    it('sequences are taken out whole, also split across chunks; no newline is ever taken out', () => {
      const input = 'a\u001B[1;31mb\u001B]0;title\u0007c\u001B(Bd\u001B[?25le\n\u001B]0;no end\nf\u001B'
      for (const size of [1, 2, 5, 100]) expect(filtered(input, size), `chunks of ${size}`).to.equal('abcde\n\nf')
      const newlines = '\u001B[' + '1;'.repeat(1000) + '\n'.repeat(3) + '\u001B]' + 'x'.repeat(2000) + '\nz\n'
      expect(filtered(newlines, 7).split('\n')).to.have.length(6)
    })
  })

  describe('lines that end with a bare carriage return', () => {
    it('a log with no newline but carriage returns counts each line, and its stages', async () => {
      const lf = await analyzeBytes(HEALTHY_BOOT)
      const cr = await analyzeBytes(HEALTHY_BOOT.replaceAll('\n', '\r'), 1000)
      expect(cr.lines).to.equal(lf.lines)
      expect(cr.verdict).to.include({lastStage: lf.verdict.lastStage, outcome: lf.verdict.outcome})
      expect(cr.sessions[0].stages).to.deep.equal(lf.sessions[0].stages)
    })

    it('CR LF line ends stay one line each, also where a CR ends one chunk and its LF starts the next', () => {
      const text = `${'x'.repeat(LINE_END_PROBE_BYTES)}\ra\r\nb\rc\r`
      for (const size of [3, LINE_END_PROBE_BYTES + 2]) {
        expect(filtered(text, size).split('\n').slice(1)).to.deep.equal(['a\r', 'b', 'c', ''])
      }
    })

    it('a log with newlines keeps its carriage returns as they are (systemd redraws a line with them)', async () => {
      const text = 'one\r\ntwo [  OK  ]\rtwo redrawn\nthree\n'
      expect(filtered(text, 4)).to.equal(text)
      expect((await analyzeBytes(text)).lines).to.equal(3)
    })
  })

  describe('very long lines', () => {
    it('the line total is exact after a line over 64 KiB that spans chunks', async () => {
      for (const size of [4096, 64 * 1024, 256 * 1024]) {
        const text = `${'x'.repeat(300_000)}\nlast\n`
        expect((await analyzeBytes(text, size)).lines, `chunks of ${size}`).to.equal(2)
        expect((await analyzeBytes(`${'x'.repeat(300_000)}\nlast`, size)).lines).to.equal(2)
        expect((await analyzeBytes(`a\n${'x'.repeat(300_000)}\n`, size)).lines).to.equal(2)
      }
    })

    it('one endless line full of signatures: at most a capped number of pieces is matched, the verdict stands', async () => {
      // Given a line of 8 MiB that repeats a panic signature
      const signature = 'Kernel panic - not syncing: Fatal exception. '
      const line = Buffer.from(signature.repeat(Math.ceil((8 << 20) / signature.length)))
      const automaton = buildAnchorAutomaton([Buffer.from('Kernel panic')])
      let pieces = 0
      const scanner = new LineScanner(automaton, {candidate: () => void pieces++})

      // When it is scanned in 64 KiB chunks, with a short line after it
      for (let offset = 0; offset < line.length; offset += MAX_LINE_BYTES)
        scanner.push(line.subarray(offset, offset + MAX_LINE_BYTES))
      scanner.push(Buffer.from('\nKernel panic after\n'))

      // Then only the first pieces of the long line were handed on, the next line was, and the count is right
      expect(pieces).to.equal(MAX_PIECES_PER_LINE + 1)
      expect(scanner.end().lines).to.equal(2)
      const report = await analyzeBytes(Buffer.concat([line, Buffer.from('\n')]))
      expect(report.verdict.outcome).to.equal('kernel-panic')
      expectSaneReport(report)
    })
  })
})
