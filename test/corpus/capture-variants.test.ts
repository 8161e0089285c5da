/**
 * The verdict does not depend on how the log was captured. Every corpus log the analyser agrees with
 * (corpora.ts: the shared corpus, read in place and skipped with a notice where ../shared is absent, and
 * the lab's) is captured again in memory in each way of capture-variants.ts — CR LF line ends, a capture
 * tool's timestamp on every line (conserver, ISO 8601, grabserial, journald, KernelCI, LAVA's YAML,
 * syslog), colours around systemd's status words, an excerpt cut at either end, a reboot into it with NUL
 * padding or line noise between, Windows-1252 bytes — and must give the label's session count, last stage
 * and outcome again.
 *
 * Per capture, the agreement is printed, with every miss (file and capture); each capture must keep at
 * least the share of logs in FLOORS: all of them, but where a capture takes away what decides the verdict.
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Analyzer, type AnalysisReport} from '../../src/analysis/index.js'
import {CAPTURE_VARIANTS, type CaptureContext} from './capture-variants.js'
import {differences, expectedOf, LABEL_SETS, observed, readLabels, type Label, type LabelSet} from './corpora.js'

/** Least share of the agreeing logs each capture must keep (1: all of them). */
const FLOORS: Record<string, number> = {
  // lab/noisy-hung-task-recovers.log: its last line, a shell prompt, is the one proof that user space
  // outlived the hung tasks; cut in half, the log rightly ends in a kernel hang
  'cut-end': 0.99,
  // shared-2/public-35 is an excerpt whose first line is a kernel line: behind 8 KiB of NULs its clock is
  // not read (the scanner reads a timestamp at a line's first byte, the same whatever the chunk size), so
  // that line stays with the restarted boot before it and the excerpt's session starts at the firmware
  // banner after it — 2 sessions, not 3. (A real reset's next boot starts with firmware or a kernel start,
  // which are read behind NULs.)
  'nul-padding': 0.99,
}
const DEFAULT_FLOOR = 1

function analyzeBuffer(bytes: Buffer, source: string): AnalysisReport {
  const analyzer = new Analyzer()
  // in 64 KiB chunks, as a file is read
  for (let offset = 0; offset < bytes.length; offset += 64 * 1024)
    analyzer.push(bytes.subarray(offset, offset + 64 * 1024))
  return analyzer.finish(source)
}

interface Subject {
  set: string
  label: Label
  bytes: Buffer
  report: AnalysisReport
}

const lab = LABEL_SETS.find((set) => set.name === 'lab')!
const REBOOT_LOG = 'stop-job-timeout-reboot.log'

function subjects(): {agreeing: Subject[]; skipped: LabelSet[]} {
  const agreeing: Subject[] = []
  const skipped: LabelSet[] = []
  for (const set of LABEL_SETS) {
    const labels = readLabels(set)
    if (labels === null) {
      skipped.push(set)
      continue
    }

    for (const label of labels) {
      const bytes = readFileSync(join(set.dir, label.file))
      const report = analyzeBuffer(bytes, label.file)
      if (JSON.stringify(observed(report)) === JSON.stringify(expectedOf(label)))
        agreeing.push({set: set.name, label, bytes, report})
    }
  }

  return {agreeing, skipped}
}

describe('corpus: the verdict does not depend on how the log was captured', () => {
  const {agreeing, skipped} = subjects()
  const rebootBytes = readFileSync(join(lab.dir, REBOOT_LOG))
  const rebootReport = analyzeBuffer(rebootBytes, REBOOT_LOG)
  const lines: string[] = []

  after(() => {
    if (lines.length > 0) console.log(`\n  Capture variants (${agreeing.length} agreeing logs):\n${lines.join('\n')}\n`)
  })

  for (const set of skipped) {
    it(`skipped: ${set.labelsFile} not found in ${set.dir}`, function () {
      this.skip()
    })
  }

  it(`the log put before this one (lab/${REBOOT_LOG}) ends in a restart`, () => {
    expect(rebootReport.verdict.outcome).to.equal('reboot')
  })

  for (const variant of CAPTURE_VARIANTS) {
    it(`${variant.name}: ${variant.description}`, () => {
      let tried = 0
      const misses: string[] = []
      for (const subject of agreeing) {
        const context: CaptureContext = {
          bytes: subject.bytes,
          report: subject.report,
          rebootLog: {bytes: rebootBytes, sessions: rebootReport.sessions.length},
          sessions: subject.label.sessions,
        }
        const captured = variant.apply(context)
        if (captured === null) continue
        tried++
        const report = analyzeBuffer(captured.bytes, subject.label.file)
        const expected = {...expectedOf(subject.label), sessions: captured.sessions}
        const got = observed(report)
        if (JSON.stringify(got) !== JSON.stringify(expected))
          misses.push(`      ${subject.set}/${subject.label.file}: ${differences({expected, got})}`)
      }

      const agreed = tried - misses.length
      const share = tried === 0 ? 1 : agreed / tried
      lines.push(`  ${variant.name.padEnd(16)} ${agreed}/${tried} (${(share * 100).toFixed(1)}%)`, ...misses)
      expect(tried, 'logs the capture applies to').to.be.greaterThan(0)
      const floor = FLOORS[variant.name] ?? DEFAULT_FLOOR
      expect(share, `${variant.name}: agreement below its floor ${floor}\n${misses.join('\n')}`).to.be.at.least(floor)
    })
  }
})
