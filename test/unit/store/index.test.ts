/**
 * The archive's index (src/store/index/) on a folder archive: every commit journaled and folded by the
 * locked writer, read merged across writers; a killed run repaired by the next; a damaged or missing
 * index rebuilt on use; shards that never write the same file; deletions; reindex.
 */
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {IndexView} from '../../../src/store/index/reader.js'
import {isSqliteExperimentalWarning} from '../../../src/store/index/sqlite.js'
import {withChanges} from '../../../src/store/index/timeline.js'
import {LocalArchiveStore} from '../../../src/store/local-store.js'
import {SnapshotWriter} from '../../../src/store/snapshot-writer.js'
import {BOOTED, PANIC, type TestVm, commitSnapshot, manifestFor} from '../../helpers/snapshots.js'

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333'
const WEB: TestVm = {name: 'Web-01', resourceGroup: 'RG-Web', subscriptionId: SUB, vmId: 'vm-web'}
const DB: TestVm = {name: 'db-01', resourceGroup: 'rg-data', subscriptionId: SUB, vmId: 'vm-db'}
const LOG_1 = 'Linux version 6.1\nweb-01 login: \n'
const LOG_2 = `${LOG_1}reboot: Restarting system\nLinux version 6.1\nKernel panic - not syncing: VFS\n`

describe('archive index (folder)', () => {
  let root: string
  let notes: string[]
  let warnings: string[]
  let store: LocalArchiveStore

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bootdiag-index-'))
    notes = []
    warnings = []
    store = newStore()
  })
  afterEach(() => rm(root, {force: true, recursive: true}))

  const newStore = () => new LocalArchiveStore(root, {warn: (message) => warnings.push(message)})
  const indexFolder = () => join(root, '.bootdiag-index')
  const objects = async () => (await readdir(indexFolder()).catch(() => [] as string[])).sort()
  const read = (on: LocalArchiveStore = newStore()): Promise<IndexView> =>
    on.index.open({
      lock: () => on.lock({}),
      note: (message) => notes.push(message),
      warn: (message) => warnings.push(message),
    })

  async function archiveRun(
    on: LocalArchiveStore,
    work: () => Promise<unknown>,
    shard?: {index: number; count: number},
  ) {
    const lock = await on.lock({shard})
    try {
      await work()
    } finally {
      await lock.release()
    }
  }

  it('an archive run folds its journal into archive.sqlite; the summary gives the verdict, since when and what changed', async () => {
    // Given an archive run over an empty archive that snapshots web-01 three times (the log grows, then panics)
    await archiveRun(store, async () => {
      await commitSnapshot(store, WEB, {
        analysis: BOOTED,
        log: LOG_1,
        screenshot: 'login',
        takenAt: '2026-11-25T10:00:00Z',
      })
      await commitSnapshot(store, WEB, {
        analysis: BOOTED,
        log: `${LOG_1}more\n`,
        continues: {bytes: LOG_1.length, snapshot: '20261125T100000Z'},
        screenshot: 'login',
        takenAt: '2026-11-25T10:15:00Z',
      })
      await commitSnapshot(store, WEB, {
        analysis: PANIC,
        log: LOG_2,
        screenshot: 'panic',
        takenAt: '2026-11-25T10:30:00Z',
      })
      // Meanwhile the journal is what readers merge
      expect(await objects()).to.deep.equal(['archive.journal'])
    })

    // Then the run left one index file and no journal
    expect(await objects()).to.deep.equal(['archive.sqlite'])
    const view = await read()
    try {
      const [web] = view.summaries()
      expect(web).to.deep.include({
        latestSnapshot: '20261125T103000Z',
        name: 'Web-01',
        outcome: 'kernel-panic',
        signature: PANIC.signature,
        since: '2026-11-25T10:30:00.000Z',
        snapshots: 3,
      })
      expect(web.changed).to.deep.equal({
        outcome: {from: 'booted', to: 'kernel-panic'},
        previous: '20261125T101500Z',
        screenshot: 'changed',
        serialLog: 'changed',
        signature: {from: null, to: PANIC.signature},
      })
      expect(web.recent.map((r) => [r.outcome, r.logChanged, r.screen?.length])).to.deep.equal([
        ['booted', true, 16],
        ['booted', true, 16],
        ['kernel-panic', true, 16],
      ])
      expect(withChanges(view.records(web.vmKey)).map(({changed}) => changed.serialLog)).to.deep.equal([
        'new',
        'grown',
        'changed',
      ])
      expect(view.records(web.vmKey).map((r) => r.name)).to.deep.equal([
        '20261125T100000Z',
        '20261125T101500Z',
        '20261125T103000Z',
      ])
      // no rebuild was needed: the first index of an empty archive vouches for it
      expect(notes).to.deep.equal([])
      expect(view.rebuilt).to.equal(undefined)
    } finally {
      await view.close()
    }
  })

  it('a process without the lock (fetch) writes its own journal, seen at once; a later archive run folds it', async () => {
    // Given a first archive run, then a fetch of db-01 from another process
    await archiveRun(store, () =>
      commitSnapshot(store, WEB, {analysis: BOOTED, log: LOG_1, takenAt: '2026-11-25T10:00:00Z'}),
    )
    const fetcher = newStore()
    await commitSnapshot(fetcher, DB, {analysis: PANIC, log: 'x', reason: 'manual', takenAt: '2026-11-25T11:00:00Z'})

    // Then its ad hoc journal is read with the index
    const adhoc = await readdir(join(indexFolder(), 'adhoc'))
    expect(adhoc).to.have.length(1)
    expect(adhoc[0]).to.match(/^\d{8}T\d{6}Z-.+-\d+-[0-9a-f]{6}\.journal$/)
    let view = await read()
    expect(
      view
        .summaries()
        .map((s) => [s.name, s.outcome, s.reason])
        .sort(),
    ).to.deep.equal([
      ['Web-01', 'booted', 'archive'],
      ['db-01', 'kernel-panic', 'manual'],
    ])
    await view.close()

    // When an archive run ends more than ten minutes after the fetch
    const later = new LocalArchiveStore(root)
    const clock = new Date(Date.now() + 11 * 60_000)
    ;(later.index.writer as unknown as {now: () => Date}).now = () => clock
    await archiveRun(later, async () => {})

    // Then the fetch's journal is folded into archive.sqlite and removed
    expect(await readdir(join(indexFolder(), 'adhoc'))).to.deep.equal([])
    view = await read()
    expect(view.summaries()).to.have.length(2)
    await view.close()
  })

  it('killed mid-run: readers see what was journaled; the next run folds it and finds the snapshot committed without its record', async () => {
    // Given a completed run, then a run that journals one snapshot and is killed right after committing another
    await archiveRun(store, () =>
      commitSnapshot(store, WEB, {analysis: BOOTED, log: LOG_1, takenAt: '2026-11-25T10:00:00Z'}),
    )
    const killed = newStore()
    await killed.lock({})
    await commitSnapshot(killed, DB, {analysis: BOOTED, log: 'db', takenAt: '2026-11-25T10:15:00Z'})
    await killed.index.beforeCommit(WEB, new Date('2026-11-25T10:30:00Z'))
    const writer = await SnapshotWriter.begin(root, WEB, new Date('2026-11-25T10:30:00Z'))
    await writer.writeFile('serial.log', Buffer.from(LOG_2))
    await writer.commit(manifestFor(WEB, {analysis: PANIC, log: LOG_2, takenAt: '2026-11-25T10:30:00Z'}))
    // (killed: the lock file stays, but its process is "gone")
    await rm(join(root, '.bootdiag-archive.lock'))

    // Then a reader sees the journaled snapshot at once, not yet the orphan
    let view = await read()
    expect(
      view
        .summaries()
        .map((s) => [s.name, s.snapshots])
        .sort(),
    ).to.deep.equal([
      ['Web-01', 1],
      ['db-01', 1],
    ])
    await view.close()

    // When the next run takes the lock, Then it folds the journal and records the orphan from its begin line
    const next = newStore()
    await archiveRun(next, async () => {
      expect(await objects()).to.deep.equal(['archive.sqlite'])
    })
    view = await read()
    const web = view.summaries().find((s) => s.name === 'Web-01')!
    expect(web).to.deep.include({outcome: 'kernel-panic', snapshots: 2})
    await view.close()
    expect(warnings).to.deep.equal([])
  })

  it('a damaged index file is set aside by its writer and rebuilt from the snapshots on use', async () => {
    // Given an index that is then overwritten with garbage
    await archiveRun(store, async () => {
      await commitSnapshot(store, WEB, {analysis: BOOTED, log: LOG_1, takenAt: '2026-11-25T10:00:00Z'})
      await commitSnapshot(store, DB, {analysis: PANIC, log: 'db', takenAt: '2026-11-25T10:05:00Z'})
    })
    await writeFile(join(indexFolder(), 'archive.sqlite'), 'this is not a database, it never was'.repeat(200))

    // When a reader opens it
    const view = await read()

    // Then it says so, rebuilds from snapshot.json files, publishes the rebuilt index, and answers
    expect(notes).to.have.length(1)
    expect(notes[0]).to.match(/^The archive's index is damaged \(archive\.sqlite\); rebuilding it from the snapshots…$/)
    expect(view.rebuilt).to.deep.include({snapshots: 2, unreadable: 0, vms: 2})
    expect(
      view
        .summaries()
        .map((s) => s.outcome)
        .sort(),
    ).to.deep.equal(['booted', 'kernel-panic'])
    await view.close()
    expect(await objects()).to.deep.equal(['archive.sqlite'])

    // And a writer that finds its own file damaged sets it aside (the marker asks readers for a rebuild)
    await writeFile(join(indexFolder(), 'archive.sqlite'), Buffer.alloc(4096, 7))
    const writer = newStore()
    await archiveRun(writer, () =>
      commitSnapshot(writer, WEB, {analysis: BOOTED, log: LOG_1, takenAt: '2026-11-25T11:00:00Z'}),
    )
    expect((await objects()).some((name) => /^archive\.sqlite\.damaged-\d{8}T\d{6}Z$/.test(name))).to.equal(true)
    expect(warnings.join('\n')).to.match(
      /archive\.sqlite is damaged; it is set aside and rebuilt from the snapshots on next use/,
    )
    notes = []
    const again = await read()
    expect(notes[0]).to.match(/damaged \(archive\.sqlite\.damaged-/)
    expect(again.summaries().find((s) => s.name === 'Web-01')?.snapshots).to.equal(2)
    await again.close()
  })

  it('an archive written before the index existed (snapshots, no index) is indexed on first use', async () => {
    // Given snapshots written straight to disk, as an older bootdiag did
    for (const [vm, at] of [
      [WEB, '2026-11-20T10:00:00Z'],
      [WEB, '2026-11-21T10:00:00Z'],
      [DB, '2026-11-21T11:00:00Z'],
    ] as const) {
      const writer = await SnapshotWriter.begin(root, vm, new Date(at))
      await writer.commit(manifestFor(vm, {analysis: BOOTED, log: 'x', takenAt: at}))
    }

    // When a reader opens the index, Then it is built from them, once
    const view = await read()
    expect(notes).to.deep.equal(["The archive's index is missing or incomplete; rebuilding it from the snapshots…"])
    expect(
      view
        .summaries()
        .map((s) => [s.name, s.snapshots])
        .sort(),
    ).to.deep.equal([
      ['Web-01', 2],
      ['db-01', 1],
    ])
    await view.close()
    notes = []
    await (await read()).close()
    expect(notes).to.deep.equal([])
  })

  it('shards write their own files side by side; a reader merges them, exactly for a VM two files know', async () => {
    // Given two shard workers running at the same time, each with its own VMs
    const a = newStore()
    const b = newStore()
    await Promise.all([
      archiveRun(a, () => commitSnapshot(a, WEB, {analysis: BOOTED, log: LOG_1, takenAt: '2026-11-25T10:00:00Z'}), {
        count: 2,
        index: 0,
      }),
      archiveRun(b, () => commitSnapshot(b, DB, {analysis: BOOTED, log: 'db', takenAt: '2026-11-25T10:00:00Z'}), {
        count: 2,
        index: 1,
      }),
    ])
    expect(await objects()).to.deep.equal(['shard-0-of-2.sqlite', 'shard-1-of-2.sqlite'])

    // When the fleet is re-sharded and web-01's next snapshot lands in another shard's file
    const c = newStore()
    await archiveRun(c, () => commitSnapshot(c, WEB, {analysis: PANIC, log: LOG_2, takenAt: '2026-11-25T11:00:00Z'}), {
      count: 3,
      index: 2,
    })

    // Then the reader's summary of web-01 spans both files
    const view = await read()
    const web = view.summaries().find((s) => s.name === 'Web-01')!
    expect(web).to.deep.include({outcome: 'kernel-panic', snapshots: 2})
    expect(web.changed.outcome).to.deep.equal({from: 'booted', to: 'kernel-panic'})
    expect(view.summaries()).to.have.length(2)
    await view.close()
  })

  it('a deleted snapshot leaves the index; reindex rebuilds it whole and tidies what it covers', async () => {
    await archiveRun(store, async () => {
      await commitSnapshot(store, WEB, {analysis: BOOTED, log: LOG_1, takenAt: '2026-11-20T10:00:00Z'})
      await commitSnapshot(store, WEB, {analysis: PANIC, log: LOG_2, takenAt: '2026-11-25T10:00:00Z'})
      await store.deleteSnapshot(WEB, '20261120T100000Z')
    })
    let view = await read()
    expect(view.records('0b1f6471-1bf0-4dda-aec3-111122223333/rg-web/web-01').map((r) => r.name)).to.deep.equal([
      '20261125T100000Z',
    ])
    expect(view.summaries()[0].changed.previous).to.equal(null)
    await view.close()

    // A fetch journal and a stale shard file exist; reindex under the lock replaces them all
    await commitSnapshot(newStore(), DB, {analysis: BOOTED, log: 'db', takenAt: '2026-11-25T12:00:00Z'})
    const lock = await store.lock({})
    const report = await store.index.reindex()
    await lock.release()
    expect(report).to.deep.include({snapshots: 2, unreadable: 0, vms: 2})
    expect(await objects()).to.deep.equal(['adhoc', 'archive.sqlite'])
    view = await read()
    expect(view.summaries()).to.have.length(2)
    await view.close()
  })

  it('node:sqlite is loaded without its ExperimentalWarning; other warnings are untouched', () => {
    expect(
      isSqliteExperimentalWarning(
        'SQLite is an experimental feature and might change at any time',
        'ExperimentalWarning',
      ),
    ).to.equal(true)
    expect(isSqliteExperimentalWarning('SQLite is an experimental feature', {type: 'ExperimentalWarning'})).to.equal(
      true,
    )
    expect(isSqliteExperimentalWarning('VM Modules is an experimental feature', 'ExperimentalWarning')).to.equal(false)
    expect(isSqliteExperimentalWarning('SQLite used wrong', 'DeprecationWarning')).to.equal(false)
  })
})
