import {mkdir, mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {snapshotTime, sortSnapshotNames} from '../../../src/store/layout.js'
import {LocalArchiveStore} from '../../../src/store/local-store.js'
import {applyRetention, snapshotsToDelete, vmKey} from '../../../src/store/retention.js'

const NOW = new Date('2026-11-25T12:00:00Z')

describe('archive: retention (--keep-days)', () => {
  it('deletes snapshots older than the limit, never the newest, never the ones asked to keep', () => {
    const names = ['20261101T000000Z', '20261120T000000Z', '20261120T000000Z-1', '20261124T000000Z', '20261001T000000Z']
    expect(snapshotsToDelete(names, {keepDays: 7, now: NOW})).to.deep.equal(['20261001T000000Z', '20261101T000000Z'])
    expect(snapshotsToDelete(names, {alsoKeep: ['20261101T000000Z'], keepDays: 7, now: NOW})).to.deep.equal([
      '20261001T000000Z',
    ])
    // keep-days 0: only the newest stays
    expect(snapshotsToDelete(names, {keepDays: 0, now: NOW})).to.deep.equal([
      '20261001T000000Z',
      '20261101T000000Z',
      '20261120T000000Z',
      '20261120T000000Z-1',
    ])
  })

  it("keeps a VM's only snapshot however old it is", () => {
    expect(snapshotsToDelete(['20200101T000000Z'], {keepDays: 1, now: NOW})).to.deep.equal([])
  })

  it('reads ages from folder names and orders same-second suffixes numerically', () => {
    expect(snapshotTime('20261125T210304Z-12')?.toISOString()).to.equal('2026-11-25T21:03:04.000Z')
    expect(snapshotTime('not-a-snapshot')).to.equal(undefined)
    expect(
      sortSnapshotNames(['20261125T210304Z-10', 'x', '20261125T210304Z-2', '20261125T210304Z', '20261124T000000Z']),
    ).to.deep.equal(['20261124T000000Z', '20261125T210304Z', '20261125T210304Z-2', '20261125T210304Z-10'])
  })

  describe('in a folder archive', () => {
    let root: string
    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'bootdiag-retention-'))
    })
    afterEach(() => rm(root, {force: true, recursive: true}))

    async function snapshot(vm: string, name: string, committed = true): Promise<void> {
      const folder = join(root, 'sub', 'rg', vm, name)
      await mkdir(folder, {recursive: true})
      await writeFile(join(folder, 'serial.log'), 'x')
      if (committed) await writeFile(join(folder, 'snapshot.json'), '{}')
    }

    it('prunes every VM of the archive, including VMs gone from Azure, and leaves everything else alone', async () => {
      // Given two VMs with old and new snapshots, a state file, and a folder that is not a committed snapshot
      await snapshot('web-01', '20261001T000000Z')
      await snapshot('web-01', '20261124T000000Z')
      await snapshot('gone-01', '20250101T000000Z')
      await snapshot('gone-01', '20250102T000000Z')
      await snapshot('web-01', '20260101T000000Z', false)
      await writeFile(join(root, 'sub', 'rg', 'web-01', '.archive-state.json'), '{}')

      // When retention keeps 30 days
      const report = await applyRetention(new LocalArchiveStore(root), {keepDays: 30, now: NOW})

      // Then only the old committed snapshots went, and each VM kept its newest
      expect(report).to.deep.include({snapshotsDeleted: 2, vms: 2})
      expect((await readdir(join(root, 'sub', 'rg', 'web-01'))).sort()).to.deep.equal([
        '.archive-state.json',
        '20260101T000000Z',
        '20261124T000000Z',
      ])
      expect(await readdir(join(root, 'sub', 'rg', 'gone-01'))).to.deep.equal(['20250102T000000Z'])
    })

    it('with a list of VMs (a shard), touches only those, and keeps what keepByVm names', async () => {
      await snapshot('web-01', '20261001T000000Z')
      await snapshot('web-01', '20261002T000000Z')
      await snapshot('web-01', '20261124T000000Z')
      await snapshot('db-01', '20261001T000000Z')
      await snapshot('db-01', '20261002T000000Z')
      const web = {name: 'web-01', resourceGroup: 'RG', subscriptionId: 'SUB'}

      const report = await applyRetention(new LocalArchiveStore(root), {
        keepByVm: new Map([[vmKey(web), ['20261001T000000Z']]]),
        keepDays: 7,
        now: NOW,
        vms: [web],
      })

      expect(report.snapshotsDeleted).to.equal(1)
      expect((await readdir(join(root, 'sub', 'rg', 'web-01'))).sort()).to.deep.equal([
        '20261001T000000Z',
        '20261124T000000Z',
      ])
      expect(await readdir(join(root, 'sub', 'rg', 'db-01'))).to.have.length(2)
    })
  })
})
