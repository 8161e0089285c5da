/**
 * The human and HTML reports when a screenshot was read: the screen's kind, state, codes, progress and
 * the lines read, the witness that gave the verdict; a screenshot alone (no sessions); hostile screen text.
 */
import {expect} from 'chai'

import {renderAnalysisHtml} from '../../../src/output/analysis-html.js'
import {renderAnalysisText, screenColumns} from '../../../src/output/analysis-text.js'
import {render} from '../../../src/output/format.js'
import type {ScreenReading} from '../../../src/screen/types.js'
import type {AnalyzeOutput} from '../../../src/services/analyze/analyze-target.js'
import {emergencyReport} from '../../helpers/analysis-reports.js'

const STOP_ERROR: ScreenReading = {
  advice: 'Windows crashed. The stop code names the cause.',
  codes: ['CRITICAL_PROCESS_DIED'],
  docs: 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-common-blue-screen-error',
  kind: 'win-stop-error',
  lines: [
    {confidence: 0.93, text: 'Your PC ran into a problem and needs to restart.'},
    {confidence: 0.91, text: '95% complete'},
    {confidence: 0.42, text: 'Stop code: CRITICAL PROCESS DIED'},
  ],
  os: 'windows',
  outcome: 'kernel-panic',
  percent: 95,
  reader: 'ocr',
  stage: 'kernel',
  state: 'failed',
  summary: 'Windows stop error (blue screen): CRITICAL_PROCESS_DIED (95%)',
}

/** `analyze screenshot.bmp`: no log, the screen's verdict. */
function screenOnly(screen: ScreenReading = STOP_ERROR): AnalyzeOutput {
  return {
    bytes: 921_654,
    screen,
    screenshot: '/tmp/screenshot.bmp',
    source: '/tmp/screenshot.bmp',
    verdict: {
      decidedBy: 'screenshot',
      evidence: [{line: 2, text: 'Stop code: CRITICAL PROCESS DIED', witness: 'screenshot'}],
      lastStage: 'kernel',
      outcome: 'kernel-panic',
      session: null,
      summary: `screen: ${screen.summary}`,
    },
  }
}

describe('reports with the screenshot read', () => {
  it('text, a screenshot alone: the verdict, what was read and from where, the screen block with its advice', () => {
    const text = renderAnalysisText(screenOnly(), {color: false})
    expect(text.split('\n').slice(0, 3)).to.deep.equal([
      '✗ kernel-panic — screen: Windows stop error (blue screen): CRITICAL_PROCESS_DIED (95%)',
      '  /tmp/screenshot.bmp · 900 KiB · a screenshot, no serial log',
      '  verdict from the screenshot',
    ])
    expect(text).to.include('Screen  win-stop-error · failed · windows · read by OCR')
    expect(text).to.include('  Codes     CRITICAL_PROCESS_DIED')
    expect(text).to.include('  Progress  95%')
    expect(text).to.include('    1 │ Your PC ran into a problem and needs to restart.')
    // a line read with low confidence is marked
    expect(text).to.include('    3?│ Stop code: CRITICAL PROCESS DIED')
    expect(text).to.include('    • Windows crashed. The stop code names the cause.')
    expect(text).not.to.include('Session')
  })

  it('text, a log and a screen: the screen comes before the sessions, the verdict session stays marked', () => {
    const report = emergencyReport()
    const output: AnalyzeOutput = {
      ...report,
      screen: {...STOP_ERROR, kind: 'linux-emergency', os: 'linux', state: 'failed', summary: 'Linux emergency mode'},
      verdict: {...report.verdict, decidedBy: 'both', log: report.verdict},
    }
    const text = renderAnalysisText(output, {color: false})
    expect(text).to.include('verdict from both witnesses: the serial log and the screenshot agree on a failure')
    expect(text.indexOf('Screen  linux-emergency')).to.be.below(text.indexOf('Session 1 of'))
    expect(text).to.include('latest')
  })

  it('text: a screenshot that was not read says why; tsv of a screen alone is one line', () => {
    const report = emergencyReport()
    const text = renderAnalysisText({...report, screenUnread: 'the screen reader is off'}, {color: false})
    expect(text).to.include('Screen  not read: the screen reader is off')
    expect(render([STOP_ERROR], {columns: screenColumns, format: 'tsv'})).to.equal(
      'win-stop-error\tfailed\twindows\tkernel-panic\tCRITICAL_PROCESS_DIED\t95',
    )
  })

  it("HTML: the screen's verdict and every line read, escaped; no image means a note, not a broken one", () => {
    const hostile: ScreenReading = {
      ...STOP_ERROR,
      lines: [{confidence: 0.9, text: '<script>alert(1)</script> \u001B[31m'}],
      summary: '<img src=x onerror=alert(1)>',
    }
    const html = renderAnalysisHtml(screenOnly(hostile), {generatedAt: new Date('2026-12-08T09:00:00Z')})
    expect(html).to.include('<span class="badge bad">win-stop-error</span>')
    expect(html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).to.include('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).not.to.include('<script>')
    expect(html).to.include('<p class="note">No screenshot image to show.</p>')
    expect(html).to.include('verdict from <b>the screenshot</b>')
    expect(html).to.include('<code>CRITICAL_PROCESS_DIED</code>')
  })
})
