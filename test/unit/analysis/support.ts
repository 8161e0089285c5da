/**
 * Helpers for the analyser's tests: feed a log to analyze() in chunks of a chosen size, build console
 * lines the way a Debian VM prints them, and check the invariants every report must keep.
 */
import {expect} from 'chai'

import {analyze, OUTCOMES, STAGES, type AnalysisReport} from '../../../src/analysis/index.js'

/** Analyse bytes or text, handed over in chunks of `chunkSize` bytes (to cross every boundary). */
export async function analyzeBytes(
  input: Buffer | string,
  chunkSize = 64 * 1024,
  source = 'test.log',
): Promise<AnalysisReport> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  async function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize)
  }

  return analyze(chunks(), {source})
}

/** Lines joined with '\n'. */
export function log(...lines: string[]): string {
  return lines.join('\n')
}

export const KERNEL_START = [
  '[    0.000000] Linux version 6.1.0-50-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)',
  '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-50-amd64 root=UUID=6b1c1c3e-5a7e-4c3e-9a52-b007ab1ab001 ro console=ttyS0,115200n8',
]

export const INITRAMFS = [
  '[    2.500000] Run /init as init process',
  'Loading, please wait...',
  'Begin: Loading essential drivers ... done.',
]

export const SYSTEMD = [
  'Welcome to Debian GNU/Linux 12 (bookworm)!',
  '[  OK  ] Started systemd-journald.service - Journal Service.',
  '[    6.000000] EXT4-fs (vda): re-mounted. Quota mode: none.',
  '[  OK  ] Reached target network.target - Network.',
]

export const LOGIN = [
  '[  OK  ] Reached target multi-user.target - Multi-User System.',
  '',
  'Debian GNU/Linux 12 bootlab ttyS0',
  '',
  'bootlab login: ',
]

export const HEALTHY_BOOT = [...KERNEL_START, ...INITRAMFS, ...SYSTEMD, ...LOGIN]

export const REBOOT = [
  '[  OK  ] Stopped target multi-user.target - Multi-User System.',
  '[  OK  ] Reached target shutdown.target - System Shutdown.',
  '[   71.000000] systemd-shutdown[1]: Rebooting.',
  '[   71.100000] reboot: Restarting system',
]

/** Invariants of every report, whatever the input. */
export function expectSaneReport(report: AnalysisReport): void {
  expect(report.lines).to.be.at.least(0)
  expect(OUTCOMES).to.include(report.verdict.outcome)
  expect(report.verdict.summary).to.be.a('string').and.not.include('\n')
  let previousEnd = 0
  for (const session of report.sessions) {
    expect(OUTCOMES).to.include(session.outcome)
    expect(session.startLine).to.be.at.least(1)
    // sessions follow each other; they share a line only when it holds the end of one and the start of the next
    expect(session.startLine).to.be.at.least(previousEnd)
    expect(session.endLine).to.be.at.least(session.startLine)
    expect(session.endLine).to.be.at.most(Math.max(report.lines, session.startLine))
    previousEnd = session.endLine
    let previousRank = -1
    for (const stage of session.stages) {
      expect(STAGES).to.include(stage.stage)
      expect(stage.line).to.be.within(session.startLine, session.endLine)
      const rank = STAGES.indexOf(stage.stage)
      // stages only move forward (login prompt and agent provisioning may come in either order)
      if (!(stage.stage === 'login-prompt' && previousRank === STAGES.indexOf('agent-provisioned')))
        expect(rank).to.be.greaterThan(previousRank)
      previousRank = Math.max(previousRank, rank)
    }

    for (const item of [...session.evidence, ...session.findings]) {
      expect(item.line).to.be.within(session.startLine, session.endLine)
      expect(item.text).to.not.match(/[\x00-\x08\x0a-\x1f\x7f]/)
    }
  }

  if (report.sessions.length > 0) expect(report.verdict.outcome).to.equal(report.sessions.at(-1)!.outcome)
}
