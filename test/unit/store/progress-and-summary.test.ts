import {expect} from 'chai'

import {ArchiveProgress} from '../../../src/output/archive-progress.js'
import {archiveTotalsLine, formatArchiveSummary, humanBytes} from '../../../src/output/archive-summary.js'
import type {ArchiveSummary} from '../../../src/services/archive/fleet.js'

function summary(): ArchiveSummary {
  return {
    archive: '/srv/bootdiag',
    durationMs: 12_345,
    fleetSize: 3,
    listedWith: 'compute',
    startedAt: '2026-11-25T21:00:00.000Z',
    subscriptions: ['s'],
    totals: {bytesDownloaded: 1_234_567, failed: 1, logBytesDownloaded: 2048, new: 1, unchanged: 1, vms: 3},
    vms: [
      {
        analysis: {
          decidedBy: 'serial-log',
          lastStage: 'login-prompt',
          outcome: 'booted',
          screen: {
            codes: [],
            kind: 'linux-login-prompt',
            os: 'linux',
            outcome: 'booted',
            percent: null,
            stage: 'login-prompt',
            state: 'healthy',
            summary: 'Linux is up: login prompt',
          },
          signature: null,
          summary: 'booted: reached the login prompt',
        },
        bytesDownloaded: 1_234_567,
        id: '/a',
        logBytesDownloaded: 2048,
        name: 'web-01',
        resourceGroup: 'rg',
        result: 'new',
        screenshot: 'unchanged',
        serialLog: 'grown',
        subscriptionId: 's',
        verdict: 'booted',
      },
      {
        bytesDownloaded: 0,
        id: '/b',
        logBytesDownloaded: 0,
        name: 'db-01',
        resourceGroup: 'rg',
        result: 'unchanged',
        screenshot: 'unchanged',
        serialLog: 'unchanged',
        subscriptionId: 's',
      },
      {
        bytesDownloaded: 0,
        error: {code: 'Throttled', message: 'Azure is throttling requests.'},
        id: '/c',
        instanceId: '3',
        logBytesDownloaded: 0,
        name: 'ss_3',
        resourceGroup: 'rg',
        result: 'failed',
        subscriptionId: 's',
        vmss: 'ss',
      },
    ],
  }
}

describe('archive: summary and progress bar', () => {
  it('the table view: a row per VM (failures show their error code, new snapshots their screen), the totals, where the archive is', () => {
    expect(formatArchiveSummary(summary(), false)).to.equal(
      [
        'VM           Resource group  Result     Serial log  Screenshot  Bytes    Verdict    Screen',
        '-----------  --------------  ---------  ----------  ----------  -------  ---------  ------------------',
        'web-01       rg              new        grown       unchanged   1234567  booted     linux-login-prompt',
        'db-01        rg              unchanged  unchanged   unchanged   0',
        'ss_3 (ss/3)  rg              failed                             0        Throttled',
        '',
        '3 VMs: 1 new, 1 unchanged, 1 failed; 1.2 MB downloaded (serial logs 2.0 kB); 12.3 s.',
        'Archive: /srv/bootdiag',
      ].join('\n'),
    )
  })

  it('the totals line names the shard and retention when there are', () => {
    const line = archiveTotalsLine({
      ...summary(),
      retention: {failures: [], keepDays: 30, snapshotsDeleted: 1, vms: 3},
      shard: {count: 4, index: 1},
    })
    expect(line).to.equal(
      '3 VMs (shard 1/4 of 3): 1 new, 1 unchanged, 1 failed; 1.2 MB downloaded (serial logs 2.0 kB); 12.3 s. Retention (30 days): 1 old snapshot deleted.',
    )
    expect([999, 1000, 45_600_000, 7_000_000_000].map(humanBytes)).to.deep.equal(['999 B', '1.0 kB', '46 MB', '7.0 GB'])
  })

  it('draws one line on a terminal, at most ten times a second, and gets out of the way of warnings', () => {
    // Given a terminal and a clock
    const written: string[] = []
    let now = 0
    const progress = new ArchiveProgress(
      {columns: 100, isTTY: true, write: (text: string) => written.push(text)},
      () => now,
    )

    // When progress comes faster than ten times a second
    progress.update({bytesDownloaded: 0, done: 1, failed: 0, new: 1, total: 4, unchanged: 0})
    now += 50
    progress.update({bytesDownloaded: 0, done: 2, failed: 0, new: 2, total: 4, unchanged: 0})
    now += 100
    progress.update({bytesDownloaded: 2000, done: 3, failed: 0, new: 2, total: 4, unchanged: 1})

    // Then it redrew twice (the middle update was skipped), in place
    expect(written).to.have.length(2)
    expect(written[1]).to.match(/^\r\u001B\[2Karchive \[█+░+\] 3\/4 {2}new 2 {2}unchanged 1 {2}failed 0 {2}2\.0 kB$/)

    // And a warning clears the bar, is written on its own line, and the bar comes back
    progress.interrupt(() => written.push('Warning: x\n'))
    expect(written.slice(2)).to.deep.equal(['\r\u001B[2K', 'Warning: x\n', written.at(-1)])
    progress.clear()
    expect(written.at(-1)).to.equal('\r\u001B[2K')
  })

  it('draws nothing when stderr is not a terminal (cron, CI, a log file)', () => {
    const written: string[] = []
    const progress = new ArchiveProgress({isTTY: false, write: (text: string) => written.push(text)})
    progress.update({bytesDownloaded: 0, done: 1, failed: 0, new: 1, total: 1, unchanged: 0})
    progress.interrupt(() => written.push('note\n'))
    progress.clear()
    expect(written).to.deep.equal(['note\n'])
  })
})
