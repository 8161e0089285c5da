/**
 * The human report of `bootdiag analyze`: verdict first, one block per session, untrusted log text
 * made harmless for a terminal.
 */
import {expect} from 'chai'

import {
  formatBytes,
  formatDuration,
  nextSteps,
  outcomeAdvice,
  printable,
  renderAnalysisText,
  wrap,
} from '../../../src/output/analysis-text.js'
import type {AnalysisReport} from '../../../src/analysis/types.js'
import {
  HOSTILE_SCRIPT,
  SAS_SECRET,
  emergencyReport,
  emergencySession,
  emptyReport,
  hostileReport,
  untimedBootReport,
} from '../../helpers/analysis-reports.js'

const ESC = '\u001B'

describe('analysis text report', () => {
  describe('given a log with a clean reboot and then a boot into emergency mode', () => {
    const text = renderAnalysisText(emergencyReport(), {color: false})
    const lines = text.split('\n')

    it('when rendered, then the first line is the verdict of the last session', () => {
      expect(lines[0]).to.equal(
        '✗ emergency-mode — boot stopped in emergency-mode: Dependency failed for /data (line 1391)',
      )
    })

    it('then the second line names the source, its size and the number of sessions', () => {
      expect(lines[1]).to.equal('  /var/tmp/vm1/serial.log · 1428 lines · 89 KiB · 2 boot sessions')
    })

    it('then there is one block per session, with its lines and kernel, the latest marked', () => {
      expect(lines).to.include('Session 1 of 2 · lines 1–640 · kernel 6.1.0-50-amd64')
      expect(lines).to.include('Session 2 of 2 · lines 641–1428 · kernel 6.1.0-50-amd64 · latest')
    })

    it('then each stage shows its first line, kernel time and time spent, and where the boot stopped', () => {
      expect(text).to.match(/^ {4}initramfs +940 +1\.600 s +1\.40 s$/m)
      expect(text).to.match(/^ {4}firmware +641 +– +–$/m)
      expect(text).to.match(/^ {4}systemd-services +1010 +3\.400 s +92\.6 s {2}◀ stopped here$/m)
      expect(text).to.match(/^ {4}shutdown +620 +48\.850 s +3\.25 s {2}◀ last$/m)
    })

    it('then the outcome of each session is named with its meaning', () => {
      expect(text).to.include('  Outcome  reboot (the system restarted; last stage shutdown)')
      expect(text).to.include(
        '  Outcome  emergency-mode (systemd entered emergency or rescue mode; last stage systemd-services)',
      )
    })

    it('then the evidence lines are numbered as in the log', () => {
      expect(text).to.include('    1391 │ [DEPEND] Dependency failed for /data.')
      expect(lines).to.include('    612 │ bootlab login:')
    })

    it('then findings come most severe first, with category, line and the log text', () => {
      const error = lines.findIndex((line) =>
        line.startsWith('    ERROR    A mount in /etc/fstab failed: /data [dependency-failure, line 1391]'),
      )
      const warning = lines.findIndex((line) =>
        line.startsWith('    WARNING  A disk did not appear within 90 s [start-job-timeout, line 1390]'),
      )
      expect(error).to.be.greaterThan(0)
      expect(warning).to.be.greaterThan(error)
      expect(lines[error + 1]).to.equal('      1391 │ [DEPEND] Dependency failed for /data.')
    })

    it("then what to do next starts with the outcome and its Microsoft article, then the findings' advice", () => {
      const next = text.slice(text.indexOf('What to do next'))
      expect(next).to.include('• systemd dropped to emergency mode')
      expect(next).to.include(
        'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/linux-virtual-machine-cannot-start-fstab-errors',
      )
      expect(next.indexOf('• systemd dropped')).to.be.lessThan(
        next.indexOf('• Add nofail to the /data line of /etc/fstab'),
      )
      expect(next).to.include('• Check that the disk is attached to the VM')
      // The finding links the same article (in en-us): it is linked once.
      expect(next.match(/linux-virtual-machine-cannot-start-fstab-errors/g)).to.have.length(1)
    })

    it('then a healthy session gets no advice', () => {
      const first = text.slice(text.indexOf('Session 1 of 2'), text.indexOf('Session 2 of 2'))
      expect(first).not.to.include('What to do next')
    })

    it('then no line ends in spaces and no colour codes are written', () => {
      for (const line of lines) expect(line).to.equal(line.trimEnd())
      expect(text).not.to.include(ESC)
    })
  })

  describe('given a snapshot with a screenshot', () => {
    it('when rendered, then the header names the screenshot file', () => {
      const text = renderAnalysisText(emergencyReport(), {
        color: false,
        screenshot: '/snaps/vm1/2026-01-01/screenshot.png',
      })
      expect(text.split('\n')[2]).to.equal('  screenshot: /snaps/vm1/2026-01-01/screenshot.png')
    })
  })

  describe('given colour is enabled', () => {
    it('when rendered, then a failure verdict is red and a healthy one green', () => {
      expect(renderAnalysisText(emergencyReport(), {color: true}).split('\n')[0]).to.include(`${ESC}[31m✗${ESC}[39m`)
      expect(renderAnalysisText(untimedBootReport(), {color: true}).split('\n')[0]).to.include(`${ESC}[32m✓${ESC}[39m`)
    })
  })

  describe('given a healthy boot without kernel timestamps', () => {
    const text = renderAnalysisText(untimedBootReport(), {color: false})

    it('when rendered, then the verdict is not repeated and the session says it began mid-boot', () => {
      expect(text.split('\n')[0]).to.equal('✓ booted — reached the login prompt (line 79)')
      expect(text).to.include('Session 1 of 1 · lines 1–80 · kernel unknown · partial: the log began mid-boot')
    })

    it('then stages show a dash for the missing kernel time', () => {
      expect(text).to.match(/^ {4}login-prompt +79 +– +– {2}◀ last$/m)
    })
  })

  describe('given an empty log', () => {
    const text = renderAnalysisText(emptyReport(), {color: false})

    it('when rendered, then the verdict is no-output and the reader is sent to the screenshot', () => {
      expect(text.split('\n')[0]).to.equal('✗ no-output — the log holds no boot output')
      expect(text).to.include('0 lines · 0 B · 0 boot sessions')
      expect(text).to.include('Check the screenshot')
      expect(text).to.include(
        'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/troubleshoot-vm-boot-error',
      )
    })
  })

  describe('given hostile log text', () => {
    const text = renderAnalysisText(hostileReport(), {color: false})

    it('when rendered, then no escape sequence, carriage return, NUL or bidi override reaches the terminal', () => {
      expect(text).not.to.include(ESC)
      expect(text).not.to.include('\r')
      expect(text).not.to.include('\u0000')
      expect(text).not.to.include('\u0007')
      expect(text).not.to.include('\u202E')
      expect(text).to.include('\uFFFD[2J')
    })

    it('then markup is shown as the text it is', () => {
      expect(text).to.include(HOSTILE_SCRIPT)
    })

    it('then a SAS signature in the log is redacted', () => {
      expect(text).not.to.include('SuPeRsEcReT')
      expect(text).not.to.include(SAS_SECRET)
      expect(text).to.include('ext.zip?<redacted>')
    })

    it('then a docs link that is not https is not shown', () => {
      expect(text).not.to.include('javascript:')
    })

    it('then every evidence line stays on one line', () => {
      expect(text.split('\n').filter((line) => line.includes('owned'))).to.have.length(1)
    })
  })

  describe("given the analyser's optional fields (folded findings, summaries, advice, omissions)", () => {
    const report: AnalysisReport = emergencyReport()
    report.sessionsOmitted = 3
    report.sessions[0].index = 3
    report.sessions[1].index = 4
    report.verdict.session = 4
    Object.assign(report.sessions[0], {summary: 'reboot: reboot: Restarting system (line 639)'})
    Object.assign(report.sessions[1], {
      advice: 'Boot the VM with the data disk attached. Or add nofail.',
      findingsOmitted: 7,
      summary: 'ignored for the verdict session',
    })
    Object.assign(report.sessions[1].findings[1], {
      count: 12,
      lastLine: 1399,
      lastText: '[ TIME ] Timed out waiting for device /dev/disk/by-uuid/ffff.',
    })
    const text = renderAnalysisText(report, {color: false})

    it('when rendered, then sessions are numbered in the whole log and the omitted ones are counted', () => {
      expect(text.split('\n')[1]).to.equal(
        '  /var/tmp/vm1/serial.log · 1428 lines · 89 KiB · 5 boot sessions (the 3 oldest left out)',
      )
      expect(text).to.include('Session 4 of 5 · lines 1–640')
      expect(text).to.include('Session 5 of 5 · lines 641–1428 · kernel 6.1.0-50-amd64 · latest')
    })

    it('then an earlier session shows its own summary as its outcome', () => {
      expect(text).to.include('  Outcome  reboot — reboot: Restarting system (line 639)')
      expect(text).not.to.include('ignored for the verdict session')
    })

    it('then a finding seen many times says how often, and shows its first and last line', () => {
      expect(text).to.include(
        '    WARNING  A disk did not appear within 90 s [start-job-timeout, line 1390, 12 times, last on line 1399]',
      )
      expect(text).to.include('      1399 │ [ TIME ] Timed out waiting for device /dev/disk/by-uuid/ffff.')
    })

    it('then findings the analyser left out are counted', () => {
      expect(text).to.include('    … and 7 more findings not kept by the analyser')
    })

    it("then the analyser's advice for the outcome comes first, with the outcome's article", () => {
      const next = text.slice(text.lastIndexOf('What to do next')).split('\n')
      expect(next[1]).to.equal('    • Boot the VM with the data disk attached. Or add nofail.')
      expect(next[2]).to.equal(
        '      https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/linux-virtual-machine-cannot-start-fstab-errors',
      )
    })
  })

  describe("given an empty log and the analyser's advice", () => {
    it('when rendered, then that advice is given', () => {
      const report = emptyReport()
      Object.assign(report.verdict, {advice: 'Look at the boot-diagnostics screenshot.'})
      expect(renderAnalysisText(report, {color: false})).to.include('  • Look at the boot-diagnostics screenshot.')
    })
  })

  describe('given many findings with advice', () => {
    it('when rendered, then four pieces of advice are shown and the rest counted', () => {
      const session = emergencySession(0)
      session.findings = Array.from({length: 6}, (_, i) => ({
        ...session.findings[0],
        advice: `Do thing number ${i}.`,
        line: 1000 + i,
      }))
      const report = {
        ...emptyReport(),
        sessions: [session],
        verdict: {...emptyReport().verdict, outcome: 'emergency-mode' as const, session: 0},
      }
      const text = renderAnalysisText(report, {color: false})
      expect(text.match(/^ {4}• /gm)).to.have.length(4)
      expect(text).to.include('    … 3 more pieces of advice in --html FILE or -o json')
    })
  })

  describe('helpers', () => {
    it('printable replaces control characters and expands tabs', () => {
      expect(printable('a\tb\u001B[0mc\u009Bd')).to.equal('a    b\uFFFD[0mc\uFFFDd')
    })

    it('nextSteps says each sentence once and links each article once', () => {
      const session = emergencySession()
      session.findings.push({...session.findings[0], advice: `${session.findings[0].advice} Then reboot.`, line: 1400})
      const steps = nextSteps(session)
      expect(steps.map((step) => step.advice)).to.deep.equal([
        outcomeAdvice('emergency-mode').advice,
        session.findings[0].advice,
        'Then reboot.',
        session.findings[1].advice,
      ])
      expect(steps.filter((step) => step.docs)).to.have.length(1)
    })

    it('nextSteps gives nothing for a healthy session without findings', () => {
      expect(nextSteps(untimedBootReport().sessions[0])).to.deep.equal([])
    })

    it('formats durations and sizes for people', () => {
      expect(formatDuration(0.4213)).to.equal('0.42 s')
      expect(formatDuration(92.61)).to.equal('92.6 s')
      expect(formatDuration(185)).to.equal('3 min 05 s')
      expect(formatBytes(1023)).to.equal('1023 B')
      expect(formatBytes(5 * 1024 * 1024)).to.equal('5.0 MiB')
    })

    it('wraps prose at word boundaries', () => {
      expect(wrap('aaa bbb ccc ddd', 7)).to.deep.equal(['aaa bbb', 'ccc ddd'])
    })
  })
})
