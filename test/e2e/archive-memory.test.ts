/**
 * End to end (issue 11, "what the archive knows"): the built CLI against the loopback fake of Azure. An
 * archive run, then a VM's log turns to a kernel panic, then a second run: `report` shows the VM failing
 * since the second run with its signature, `history` both snapshots, `search` the failing line, `diff` the
 * new boot; a VM without boot diagnostics is reported as disabled, never fatal. An archive run killed
 * mid-run leaves an index that `report` reads at once and the next run repairs.
 */
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import {type FakeVm, sampleBootLog, sampleShutdownLog} from '../fake-azure/index.js'
import type {CliResult} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import {type SchemaName, assertMatchesSchema} from '../helpers/schemas.js'
import type {FleetReport} from '../../src/services/report/report.js'
import type {HistoryEntry} from '../../src/services/history/history.js'
import type {SearchMatch} from '../../src/services/search/search.js'
import type {SnapshotDiff} from '../../src/services/history/diff.js'

const RG = 'rg-memory'
const PANIC =
  '[    2.014512] VFS: Cannot open root device "PARTUUID=9a1c4cf2-0b6c-4a4e-a1b5-5d5b0f1e0a01" or unknown-block(0,0): error -6\r\n' +
  '[    2.014809] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n' +
  '[    2.015110] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.8.0-1015-azure #15-Ubuntu\r\n'

describe('e2e: report, history, search and diff after two archive runs', function () {
  this.timeout(300_000)
  const suite = e2eSuite({env: {BOOTDIAG_MAX_RETRIES: '0'}, fakeAzure: true, runTimeoutMs: 120_000})
  const bootdiag = (args: string[]): Promise<CliResult> => suite.run(args)

  function json<T>(run: CliResult, schema?: SchemaName): T {
    expect(run.exitCode, run.stderr).to.equal(0)
    const data = JSON.parse(run.stdout) as T
    if (schema) assertMatchesSchema(schema, data)
    return data
  }

  it('a VM whose log turns to a panic between two runs: report, history, search and diff tell it; a VM without boot diagnostics is disabled', async () => {
    // Given a resource group with a healthy VM, a second one, and one without boot diagnostics
    const web = await suite.fake.addVm({name: 'web-01', resourceGroup: RG})
    await suite.fake.addVm({name: 'api-01', resourceGroup: RG})
    await suite.fake.addVm({name: 'off-01', resourceGroup: RG, storage: 'disabled'})

    // When archive runs, web-01 restarts into a kernel panic, and archive runs again
    const first = json<{totals: {new: number; failed: number}}>(await bootdiag(['archive', '-g', RG]))
    expect(first.totals).to.deep.include({failed: 0, new: 2})
    await suite.fake.appendLog(
      web,
      sampleShutdownLog({ending: 'restart'}) +
        sampleBootLog({bootNumber: 2, hostname: 'web-01'}).split('\r\n').slice(0, 6).join('\r\n') +
        '\r\n' +
        PANIC,
    )
    const second = json<{vms: Array<{name: string; result: string; serialLog: string}>}>(
      await bootdiag(['archive', '-g', RG]),
    )
    expect(second.vms.find((v) => v.name === 'web-01')).to.deep.include({result: 'new', serialLog: 'grown'})

    // Then history shows both snapshots of web-01, newest first
    const history = json<HistoryEntry[]>(await bootdiag(['history', '-n', 'web-01', '-g', RG, '-o', 'json']), 'history')
    expect(history.map((h) => [h.reason, h.outcome])).to.deep.equal([
      ['archive', 'kernel-panic'],
      ['archive', 'booted'],
    ])
    expect(history[0].changed).to.deep.include({outcome: {from: 'booted', to: 'kernel-panic'}, serialLog: 'grown'})

    // And report shows it failing since the second run, with its signature; off-01 disabled, not an error
    const report = json<FleetReport>(await bootdiag(['report', '-g', RG, '-o', 'json']), 'report')
    expect(report.counts).to.deep.equal({booted: 1, disabled: 1, 'kernel-panic': 1})
    const failing = report.vms.find((v) => v.name === 'web-01')!
    expect(failing).to.deep.include({
      bootDiagnostics: 'enabled',
      outcome: 'kernel-panic',
      since: history[0].takenAt,
      signature: history[0].signature,
    })
    expect(failing.signature).to.match(/^kernel-panic: .*Kernel panic - not syncing: VFS: Unable to mount root fs/)
    expect(report.vms.find((v) => v.name === 'off-01')).to.deep.include({bootDiagnostics: 'disabled', outcome: null})
    expect(report.groups).to.deep.equal([
      {
        count: 1,
        outcome: 'kernel-panic',
        signature: failing.signature,
        since: history[0].takenAt,
        vms: [
          {name: 'web-01', resourceGroup: RG.toUpperCase(), subscriptionId: suite.fake.subscriptionId.toLowerCase()},
        ],
      },
    ])

    // And search finds the failing line, once, with its line number in the log
    const matches = json<SearchMatch[]>(
      await bootdiag(['search', 'Kernel panic - not syncing', '-g', RG, '-o', 'json']),
      'search',
    )
    const lines = web.serialLog!.toString('utf8').split('\n')
    const lineNumber = lines.findIndex((line) => line.includes('Kernel panic - not syncing')) + 1
    expect(matches.map((m) => [m.name, m.snapshot, m.line])).to.deep.equal([
      ['web-01', history[0].snapshot, lineNumber],
    ])
    expect(matches[0].text).to.equal(
      '[    2.014809] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
    )

    // And diff of the two snapshots shows the new boot that panicked
    const diff = json<SnapshotDiff>(await bootdiag(['diff', history[1].id, history[0].id, '-o', 'json']), 'diff')
    expect(diff.relation).to.equal('grown')
    expect(diff.sessions.filter((s) => s.status === 'new').map((s) => s.outcome)).to.deep.equal(['kernel-panic'])
    expect(diff.findings.map((f) => f.category)).to.include('panic')

    // And with --live, a VM created since the last run shows up too, never archived
    await suite.fake.addVm({name: 'new-01', resourceGroup: RG})
    const live = json<FleetReport>(await bootdiag(['report', '-g', RG, '--live', '-o', 'json']), 'report')
    expect(live.vms.find((v) => v.name === 'new-01')).to.deep.include({
      bootDiagnostics: 'enabled',
      outcome: null,
      snapshot: null,
      snapshots: 0,
    })
    expect(live.counts).to.deep.equal({booted: 1, disabled: 1, 'kernel-panic': 1, none: 1})

    // And the people's views say the same
    const table = await bootdiag(['report', '-g', RG, '-o', 'table'])
    expect(table.stdout).to.match(/^Fleet: 3 VMs — 1 booted, 1 disabled, 1 kernel-panic$/m)
    expect(table.stderr).to.equal('')
    expect(table.stdout).to.match(/^ {2}kernel-panic: .* — 1 VM \(since \d{4}-\d\d-\d\d \d\d:\d\dZ\)$/m)
    expect(table.stdout).to.match(/^off-01\s+RG-MEMORY\s+disabled\s/m)
    const grep = await bootdiag(['search', '-i', 'KERNEL PANIC - NOT', '-o', 'table'])
    expect(grep.stdout).to.equal(
      `web-01 (RG-MEMORY) ${history[0].snapshot}:${lineNumber}: [    2.014809] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n`,
    )
    expect(grep.stderr).to.match(
      /^1 matching line in 3 snapshots of 2 VMs: .* searched in .*, .* carried over unchanged and not searched again\.\n$/,
    )
  })

  it('an archive killed mid-run: report reads what it had journaled; the next run repairs the index', async () => {
    // Given a fleet whose archive run is killed while one VM's screenshot is held
    const vms: FakeVm[] = []
    for (let i = 0; i < 4; i++) vms.push(await suite.fake.addVm({name: `kill-0${i}`, resourceGroup: 'rg-kill'}))
    const held = suite.fake.faults.add({
      holdUntil: new Promise(() => {}),
      path: /\.screenshot\.bmp$/,
      route: 'blob.get',
      vm: 'kill-03',
    })
    const run = suite.start(['archive', '-g', 'rg-kill', '--concurrency', '1'])
    for (let waited = 0; held.hits === 0 && waited < 600; waited++) await new Promise((r) => setTimeout(r, 100))
    expect(held.hits, 'the run reached the held VM').to.be.greaterThan(0)
    run.child.kill('SIGKILL')
    await run.done.catch(() => {})
    held.remove()
    expect(await readdir(join(suite.archive, '.bootdiag-index'))).to.include('archive.journal')

    // When report runs before anything else, Then it already sees the three VMs archived
    const early = json<FleetReport>(await bootdiag(['report', '-g', 'rg-kill', '-o', 'json']), 'report')
    expect(early.vms.map((v) => [v.name, v.outcome])).to.deep.equal([
      ['kill-00', 'booted'],
      ['kill-01', 'booted'],
      ['kill-02', 'booted'],
    ])

    // When the next run goes (taking over the dead run's lock), Then the index holds every snapshot on disk
    const next = await bootdiag(['archive', '-g', 'rg-kill'])
    expect(next.exitCode, next.stderr).to.equal(0)
    expect(next.stderr).to.match(/^Took over the archive lock left by a run that is gone/)
    expect(await readdir(join(suite.archive, '.bootdiag-index'))).to.deep.equal([
      'archive.fleet.json',
      'archive.sqlite',
    ])
    const after = json<FleetReport>(await bootdiag(['report', '-g', 'rg-kill', '-o', 'json']), 'report')
    expect(after.vms.map((v) => [v.name, v.outcome, v.snapshots])).to.deep.equal(
      vms.map((vm) => [vm.name, 'booted', 1]),
    )
  })
})
