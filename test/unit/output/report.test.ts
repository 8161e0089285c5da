/**
 * The people's views of report, history and search, and the HTML page as text (the browser test is
 * test/e2e/report-html.test.ts): what changed in words, the counts line, escaping of archive text.
 */
import {expect} from 'chai'

import {describeChange, formatReport} from '../../../src/output/report.js'
import {renderReportHtml} from '../../../src/output/report-html.js'
import type {ReportPage} from '../../../src/services/report/report-page.js'
import type {FleetReport, ReportVm} from '../../../src/services/report/report.js'

const HOSTILE = '<script>alert(1)</script>\u001B[31m'

function vm(name: string, over: Partial<ReportVm> = {}): ReportVm {
  return {
    bootDiagnostics: 'enabled',
    changed: {
      outcome: null,
      previous: '20261125T100000Z',
      screenshot: 'unchanged',
      serialLog: 'grown',
      signature: null,
    },
    lastSeen: null,
    lastStage: 'login-prompt',
    name,
    outcome: 'booted',
    path: `/a/${name}`,
    powerState: 'running',
    rebootLoop: null,
    resourceGroup: 'rg-web',
    signature: null,
    since: '2026-11-25T10:00:00.000Z',
    snapshot: '20261125T103000Z',
    snapshotAt: '2026-11-25T10:30:00.000Z',
    snapshots: 2,
    stuck: null,
    subscriptionId: 'sub',
    summary: 'booted: reached login-prompt (line 40)',
    ...over,
  }
}

const REPORT: FleetReport = {
  archive: '/srv/bootdiag',
  counts: {booted: 1, disabled: 1, 'kernel-panic': 2},
  generatedAt: '2026-11-25T12:00:00.000Z',
  groups: [
    {
      count: 2,
      outcome: 'kernel-panic',
      signature: `kernel-panic: ${HOSTILE}`,
      since: '2026-11-25T10:30:00.000Z',
      vms: [
        {name: 'web-02', resourceGroup: 'rg-web', subscriptionId: 'sub'},
        {name: 'web-03', resourceGroup: 'rg-web', subscriptionId: 'sub'},
      ],
    },
  ],
  rebootLoops: [{name: 'web-03', resourceGroup: 'rg-web', since: '2026-11-25T09:00:00.000Z', snapshots: 4}],
  stuck: [],
  vms: [
    vm('web-01'),
    vm('web-02', {outcome: 'kernel-panic', signature: `kernel-panic: ${HOSTILE}`, summary: HOSTILE}),
    vm('web-03', {outcome: 'kernel-panic', rebootLoop: {since: '2026-11-25T09:00:00.000Z', snapshots: 4}}),
    vm('off-01', {bootDiagnostics: 'disabled', changed: null, outcome: null, snapshots: 0}),
  ],
}

describe('output: report, in words and as a page', () => {
  it('says what changed in a few words', () => {
    expect(describeChange(null)).to.equal('')
    expect(
      describeChange({outcome: null, previous: null, screenshot: 'new', serialLog: 'new', signature: null}),
    ).to.equal('first snapshot')
    expect(
      describeChange({
        outcome: {from: 'booted', to: 'kernel-panic'},
        previous: 'x',
        screenshot: 'changed',
        serialLog: 'grown',
        signature: {from: null, to: 's'},
      }),
    ).to.equal('booted → kernel-panic; log grew; screen changed')
    expect(
      describeChange({outcome: null, previous: 'x', screenshot: 'unchanged', serialLog: 'unchanged', signature: null}),
    ).to.equal('same')
  })

  it('the table view: counts, groups, loops, one row per VM, where the archive is', () => {
    const text = formatReport(REPORT, false)
    expect(text.split('\n').slice(0, 3)).to.deep.equal([
      'Fleet: 4 VMs — 2 kernel-panic, 1 booted, 1 disabled',
      '',
      'Failures by signature:',
    ])
    expect(text).to.include('  web-03 (rg-web): 4 snapshots since 2026-11-25 09:00Z')
    expect(text).to.match(/^web-03\s+rg-web\s+kernel-panic \(loop\)\s+2026-11-25 10:00Z\s+log grew/m)
    expect(text).to.match(/^off-01\s+rg-web\s+disabled\s/m)
    expect(text.endsWith('Archive: /srv/bootdiag')).to.equal(true)
  })

  it('the page escapes archive text, allows no script, and marks each state', () => {
    const page: ReportPage = {
      generatedAt: REPORT.generatedAt,
      report: REPORT,
      thumbnails: {'sub/rg-web/web-01': 'iVBORw0KGgo='},
      thumbnailsOmitted: 0,
      timelines: {},
    }
    const html = renderReportHtml(page, {version: '1.2.3'})
    expect(html).not.to.include('<script')
    expect(html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;`)
    expect(html).to.include('<img alt="latest screenshot of web-01" src="data:image/png;base64,iVBORw0KGgo=">')
    expect(html.match(/<tr class="vm"/g)).to.have.length(4)
    expect(html).to.include('<span class="state disabled">disabled</span>')
    expect(html).to.include('<span class="badge">reboot loop</span>')
  })
})
