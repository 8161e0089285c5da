/**
 * --metrics-file: the run in Prometheus' text format, as node_exporter's textfile collector reads it —
 * HELP and TYPE for every metric, gauges without timestamps, labels escaped, every result and outcome
 * written (zeros too).
 */
import {expect} from 'chai'

import {archiveMetrics} from '../../../src/output/archive-metrics.js'
import {verdictChanges} from '../../../src/services/alerts/verdict-changes.js'
import {BOOTED, ROOT_MISSING, summaryOf, vmLine} from '../../helpers/archive-summaries.js'

/** `name{labels} value` lines as a map from `name{labels}` to the value. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>()
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    const match = /^([a-z_]+(?:\{.*\})?) (\S+)$/.exec(line)
    expect(match, line).to.not.equal(null)
    map.set(match![1], Number(match![2]))
  }

  return map
}

describe('output: archive --metrics-file', () => {
  const summary = summaryOf([
    vmLine({name: 'web-01', previous: {outcome: 'booted'}, verdict: ROOT_MISSING}),
    vmLine({name: 'web-02', previous: {outcome: 'booted'}, verdict: BOOTED}),
    vmLine({name: 'web-03'}),
    vmLine({error: {code: 'Throttled', message: 'Too many requests'}, name: 'web-04', result: 'failed'}),
  ])
  const finishedAt = new Date('2026-11-25T11:00:12.345Z')

  it('VMs per result and per outcome, failures, changes, bytes, duration and the last run time', () => {
    const text = archiveMetrics(summary, finishedAt, verdictChanges(summary))
    const values = samples(text)
    const a = 'archive="/srv/bootdiag"'

    expect(values.get(`bootdiag_archive_vms{${a},result="new"}`)).to.equal(2)
    expect(values.get(`bootdiag_archive_vms{${a},result="unchanged"}`)).to.equal(1)
    expect(values.get(`bootdiag_archive_vms{${a},result="failed"}`)).to.equal(1)
    expect(values.get(`bootdiag_archive_failed_vms{${a}}`)).to.equal(1)
    expect(values.get(`bootdiag_archive_vms_by_outcome{${a},outcome="initramfs-failure"}`)).to.equal(1)
    expect(values.get(`bootdiag_archive_vms_by_outcome{${a},outcome="booted"}`)).to.equal(1)
    expect(values.get(`bootdiag_archive_vms_by_outcome{${a},outcome="unknown"}`)).to.equal(1)
    expect(values.get(`bootdiag_archive_vms_by_outcome{${a},outcome="kernel-panic"}`)).to.equal(0)
    expect(values.get(`bootdiag_archive_verdict_changes{${a}}`)).to.equal(1)
    expect(values.get(`bootdiag_archive_downloaded_bytes{${a}}`)).to.equal(8192)
    expect(values.get(`bootdiag_archive_serial_log_downloaded_bytes{${a}}`)).to.equal(8000)
    expect(values.get(`bootdiag_archive_run_duration_seconds{${a}}`)).to.equal(12.345)
    expect(values.get(`bootdiag_archive_last_run_timestamp_seconds{${a}}`)).to.equal(finishedAt.getTime() / 1000)
    expect(values.get(`bootdiag_archive_fleet_vms{${a}}`)).to.equal(4)
  })

  it('HELP and TYPE once before each metric, gauges, no timestamps, a final newline', () => {
    const text = archiveMetrics(summary, finishedAt, [])
    const lines = text.trimEnd().split('\n')
    const names = [...new Set(lines.filter((l) => !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]))]
    for (const name of names) {
      const help = lines.indexOf(lines.find((l) => l.startsWith(`# HELP ${name} `))!)
      expect(help, name).to.be.at.least(0)
      expect(lines[help + 1]).to.equal(`# TYPE ${name} gauge`)
      expect(lines.filter((l) => l.startsWith(`# TYPE ${name} `))).to.have.length(1)
    }

    for (const line of lines.filter((l) => !l.startsWith('#'))) expect(line.split(' ')).to.have.length(2)
    expect(text.endsWith('\n')).to.equal(true)
    expect(text).to.not.include('retention')
  })

  it('a shard and an awkward archive path: labels escaped; retention when --keep-days ran', () => {
    const sharded = summaryOf([vmLine({name: 'web-01'})], {
      archive: 'C:\\bootdiag "prod"',
      retention: {failures: [], keepDays: 30, snapshotsDeleted: 4, vms: 1},
      shard: {count: 4, index: 2},
    })

    const values = samples(archiveMetrics(sharded, finishedAt, []))

    expect(
      values.get('bootdiag_archive_retention_deleted_snapshots{archive="C:\\\\bootdiag \\"prod\\"",shard="2/4"}'),
    ).to.equal(4)
  })
})
