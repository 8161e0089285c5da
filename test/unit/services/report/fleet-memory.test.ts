/**
 * report, history, diff and search in process, over a folder archive whose snapshots the test writes: the
 * fleet's state and since when, signature groups, disabled VMs, reboot loops and stuck screens; a VM's
 * history newest first; what is new in a snapshot; search that reads shared log content once.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import type {AzureClients} from '../../../../src/azure/clients.js'
import {diffLatest, diffSnapshots} from '../../../../src/services/history/diff.js'
import {historyOf} from '../../../../src/services/history/history.js'
import {reportFleet} from '../../../../src/services/report/report.js'
import {type SearchMatch, searchArchive} from '../../../../src/services/search/search.js'
import type {FleetEntry} from '../../../../src/store/index/records.js'
import {indexVmKey} from '../../../../src/store/index/records.js'
import {LocalArchiveStore} from '../../../../src/store/local-store.js'
import {type TestContext, testContext} from '../../../helpers/context.js'
import {assertMatchesSchema} from '../../../helpers/schemas.js'
import {BOOTED, PANIC, type TestVm, commitSnapshot} from '../../../helpers/snapshots.js'

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333'
const vm = (name: string, resourceGroup = 'rg-web'): TestVm => ({name, resourceGroup, subscriptionId: SUB})
const BOOT = 'Linux version 6.1.0 (debian)\n[    1.0] Run /init as init process\nweb login: \n'
const PANIC_LINE = '[   99.0] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n'
const INITRAMFS = {
  lastStage: 'initramfs',
  outcome: 'initramfs-failure',
  signature: 'initramfs-failure: ALERT! UUID=… does not exist. Dropping to a shell!',
  summary: 'boot stopped in initramfs-failure: ALERT! UUID=1234 does not exist. Dropping to a shell! (line 9)',
}

describe('report, history, diff and search over the index', () => {
  let root: string
  let store: LocalArchiveStore
  let context: TestContext

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bootdiag-fleet-'))
    store = new LocalArchiveStore(root)
    context = testContext({clients: {} as AzureClients, now: () => new Date('2026-11-25T12:00:00Z'), store})
  })
  afterEach(() => rm(root, {force: true, recursive: true}))

  async function run(work: () => Promise<unknown>, fleet?: FleetEntry[]): Promise<void> {
    const lock = await store.lock({})
    try {
      await work()
      if (fleet) await store.index.writer.recordFleet(fleet, {includeVmss: false, subscriptions: [SUB]})
    } finally {
      await lock.release()
    }
  }

  function seen(target: TestVm, bootDiagnostics: 'enabled' | 'disabled', at: string): FleetEntry {
    return {
      bootDiagnostics,
      disabledSince: null,
      instanceId: null,
      name: target.name,
      powerState: 'running',
      resourceGroup: target.resourceGroup,
      resourceId: `/subscriptions/${SUB}/resourceGroups/${target.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${target.name}`,
      seenAt: at,
      subscriptionId: SUB,
      vmId: null,
      vmKey: indexVmKey(target),
      vmss: null,
    }
  }

  it('report: state and since when, what changed, signature groups, disabled VMs, loops and stuck screens', async () => {
    // Given two runs over a fleet: web-01 turns to a panic, two VMs fail in initramfs the same way, one
    // VM keeps rebooting into a panic, one sits on the same panic screen, one has no boot diagnostics
    await run(async () => {
      await commitSnapshot(store, vm('web-01'), {
        analysis: BOOTED,
        log: BOOT,
        screenshot: 'login',
        takenAt: '2026-11-25T10:00:00Z',
      })
      await commitSnapshot(store, vm('stuck-01'), {
        analysis: PANIC,
        log: PANIC_LINE,
        screenshot: 'panic',
        takenAt: '2026-11-25T10:00:00Z',
      })
      for (const [i, at] of ['09:00', '09:15', '09:30', '09:45'].entries())
        await commitSnapshot(store, vm('loop-01'), {
          analysis: PANIC,
          log: BOOT + PANIC_LINE.repeat(i + 1),
          screenshot: `s${i}`,
          takenAt: `2026-11-25T${at}:00Z`,
        })
    }, [seen(vm('off-01'), 'disabled', '2026-11-25T10:00:00.000Z')])
    await run(async () => {
      await commitSnapshot(store, vm('web-01'), {
        analysis: PANIC,
        continues: {bytes: BOOT.length, snapshot: '20261125T100000Z'},
        log: BOOT + PANIC_LINE,
        screenshot: 'panic',
        takenAt: '2026-11-25T10:30:00Z',
      })
      await commitSnapshot(store, vm('stuck-01'), {
        analysis: PANIC,
        log: PANIC_LINE + PANIC_LINE,
        screenshot: 'panic',
        takenAt: '2026-11-25T10:30:00Z',
      })
      for (const name of ['db-01', 'db-02'])
        await commitSnapshot(store, vm(name, 'rg-data'), {
          analysis: INITRAMFS,
          log: 'x',
          takenAt: '2026-11-25T10:30:00Z',
        })
    }, [seen(vm('off-01'), 'disabled', '2026-11-25T10:30:00.000Z')])

    // When the fleet is reported
    const report = await reportFleet(context, {})

    // Then it matches the contract, and says each VM's state and since when
    assertMatchesSchema('report', report)
    expect(report.counts).to.deep.equal({disabled: 1, 'initramfs-failure': 2, 'kernel-panic': 3})
    const web = report.vms.find((v) => v.name === 'web-01')!
    expect(web).to.deep.include({
      bootDiagnostics: 'enabled',
      outcome: 'kernel-panic',
      signature: PANIC.signature,
      since: '2026-11-25T10:30:00.000Z',
      snapshots: 2,
    })
    expect(web.changed).to.deep.include({outcome: {from: 'booted', to: 'kernel-panic'}, serialLog: 'grown'})
    expect(report.vms.find((v) => v.name === 'off-01')).to.deep.include({
      bootDiagnostics: 'disabled',
      changed: null,
      outcome: null,
      since: '2026-11-25T10:00:00.000Z',
      snapshots: 0,
    })
    // the same failure on many VMs is one group, the biggest first
    expect(report.groups.map((g) => [g.signature, g.count])).to.deep.equal([
      [PANIC.signature, 3],
      [INITRAMFS.signature, 2],
    ])
    expect(report.groups[1].vms).to.deep.equal([
      {name: 'db-01', resourceGroup: 'rg-data', subscriptionId: SUB},
      {name: 'db-02', resourceGroup: 'rg-data', subscriptionId: SUB},
    ])
    expect(report.rebootLoops).to.deep.equal([
      {name: 'loop-01', resourceGroup: 'rg-web', since: '2026-11-25T09:00:00.000Z', snapshots: 4},
    ])
    expect(report.stuck.map((s) => [s.name, s.since, s.snapshots])).to.deep.equal([
      ['stuck-01', '2026-11-25T10:00:00.000Z', 2],
    ])

    // And the filters narrow it
    const failing = await reportFleet(context, {outcomes: ['initramfs-failure', 'disabled']})
    expect(failing.vms.map((v) => v.name)).to.deep.equal(['db-01', 'db-02', 'off-01'])
    expect((await reportFleet(context, {resourceGroup: 'RG-DATA'})).vms).to.have.length(2)
    expect(
      (await reportFleet(context, {since: new Date('2026-11-25T10:15:00Z')})).vms.map((v) => v.name),
    ).to.deep.equal(['db-01', 'db-02', 'off-01', 'stuck-01', 'web-01'])
    expect((await reportFleet(context, {subscriptions: ['another']})).vms).to.deep.equal([])
  })

  it('history newest first; diff: the sessions and findings new in the later snapshot', async () => {
    const web = vm('web-01')
    await run(async () => {
      await commitSnapshot(store, web, {analysis: BOOTED, log: BOOT, takenAt: '2026-11-25T10:00:00Z'})
      await commitSnapshot(store, web, {
        analysis: PANIC,
        continues: {bytes: BOOT.length, snapshot: '20261125T100000Z'},
        log: `${BOOT}reboot: Restarting system\nLinux version 6.1.0 (debian)\n${PANIC_LINE}`,
        reason: 'pre-restart',
        takenAt: '2026-11-25T10:30:00Z',
      })
    })

    const history = await historyOf(context, {name: 'WEB-01', resourceGroup: 'rg-web'})
    assertMatchesSchema('history', history.snapshots)
    expect(history.snapshots.map((s) => [s.snapshot, s.reason, s.outcome, s.changed.serialLog])).to.deep.equal([
      ['20261125T103000Z', 'pre-restart', 'kernel-panic', 'grown'],
      ['20261125T100000Z', 'archive', 'booted', 'new'],
    ])
    expect(history.snapshots[0].id).to.equal(`${SUB}/rg-web/web-01/20261125T103000Z`)
    expect(history.snapshots[0].path).to.equal(join(root, SUB, 'rg-web', 'web-01', '20261125T103000Z'))

    const diff = await diffSnapshots(context, history.snapshots[1].id, history.snapshots[0].path)
    assertMatchesSchema('diff', diff)
    expect(diff.relation).to.equal('grown')
    expect(diff.verdictChanged).to.equal(true)
    // the boot A ended in went on to a restart; a new boot panicked
    expect(diff.sessions.map((s) => [s.status, s.startLine, s.outcome])).to.deep.equal([
      ['continued', 1, 'reboot'],
      ['new', 5, 'kernel-panic'],
    ])
    expect(diff.findings.map((f) => [f.line, f.category])).to.deep.include([6, 'panic'])
    expect((await diffLatest(context, {name: 'web-01', resourceGroup: 'rg-web'})).sessions).to.deep.equal(diff.sessions)

    // a VM the archive does not hold is said so, with what to do
    const missing = await historyOf(context, {name: 'nope', resourceGroup: 'rg-web'}).catch((error: Error) => error)
    expect((missing as Error).message).to.match(
      /holds no snapshot of VM 'nope' in resource group 'rg-web'.*bootdiag fetch -n nope -g rg-web/,
    )
  })

  it('search: every matching line once, a grown log read from where the earlier one ended', async () => {
    const web = vm('web-01')
    const first = `${BOOT}${PANIC_LINE}`
    const second = `${first}Linux version 6.1.0 (debian)\n${PANIC_LINE}`
    await run(async () => {
      await commitSnapshot(store, web, {analysis: PANIC, log: first, screenshot: 'a', takenAt: '2026-11-25T10:00:00Z'})
      // the screen changed, the log did not (carried over)
      await commitSnapshot(store, web, {
        analysis: PANIC,
        carriedFrom: '20261125T100000Z',
        log: first,
        screenshot: 'b',
        takenAt: '2026-11-25T10:15:00Z',
      })
      await commitSnapshot(store, web, {
        analysis: PANIC,
        continues: {bytes: first.length, snapshot: '20261125T101500Z'},
        log: second,
        screenshot: 'b',
        takenAt: '2026-11-25T10:30:00Z',
      })
      await commitSnapshot(store, vm('db-01', 'rg-data'), {
        analysis: BOOTED,
        log: BOOT,
        takenAt: '2026-11-25T10:30:00Z',
      })
    })

    const matches: SearchMatch[] = []
    const stats = await searchArchive(context, {pattern: 'Kernel panic'}, (m) => matches.push(m))
    assertMatchesSchema('search', matches)
    expect(matches.map((m) => [m.name, m.snapshot, m.line])).to.deep.equal([
      ['web-01', '20261125T100000Z', 4],
      ['web-01', '20261125T103000Z', 6],
    ])
    expect(stats).to.deep.include({logsSearched: 3, matches: 2, snapshots: 4, vms: 2})
    expect(stats.bytesSkipped).to.equal(first.length * 2)
    expect(stats.bytesSearched).to.equal(first.length + (second.length - first.length) + BOOT.length)

    // -i, -E, the scope flags and --since
    const found = async (options: Parameters<typeof searchArchive>[1]) => {
      const out: string[] = []
      await searchArchive(context, options, (m) => out.push(`${m.name}:${m.line}`))
      return out
    }

    expect(await found({ignoreCase: true, pattern: 'WEB LOGIN'})).to.deep.equal(['db-01:3', 'web-01:3'])
    expect(
      await found({pattern: '^linux version \\d', regex: true, ignoreCase: true, resourceGroup: 'rg-web'}),
    ).to.deep.equal(['web-01:1', 'web-01:5'])
    expect(await found({name: 'db-01', pattern: 'panic'})).to.deep.equal([])
    expect(await found({pattern: 'Kernel panic', since: new Date('2026-11-25T10:20:00Z')})).to.deep.equal([
      'web-01:4',
      'web-01:6',
    ])
    expect(await found({maxMatches: 1, pattern: 'Linux'})).to.have.length(1)
    const bad = await searchArchive(context, {pattern: '(', regex: true}, () => {}).catch((error: Error) => error)
    expect((bad as Error).message).to.equal("'(' is not a valid regular expression: Unterminated group.")
  })
})
