import {mkdir, mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {defaultArchiveDir, snapshotStamp} from '../../../src/store/layout.js'
import type {SnapshotManifest} from '../../../src/store/manifest.js'
import {SnapshotWriter} from '../../../src/store/snapshot-writer.js'

const VM = {name: 'Web-01', resourceGroup: 'RG-Web', subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333'}

function manifest(): SnapshotManifest {
  return {
    files: {},
    missing: [],
    reason: 'test',
    schemaVersion: 1,
    storage: 'managed',
    takenAt: '2026-11-25T21:03:04.000Z',
    tool: {name: 'bootdiag', version: '0.0.0'},
    vm: {...VM, id: 'x', location: 'westeurope', powerState: 'running', vmId: null},
  }
}

describe('archive: snapshot writer', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bootdiag-archive-'))
  })
  afterEach(() => rm(root, {force: true, recursive: true}))

  it('lays snapshots out as <sub>/<rg>/<vm>/<UTC stamp>, names lower-cased', async () => {
    const writer = await SnapshotWriter.begin(root, VM, new Date('2026-11-25T21:03:04.999Z'))
    await writer.writeFile('serial.log', Buffer.from('hello'))
    const path = await writer.commit(manifest())
    expect(path).to.equal(join(root, VM.subscriptionId, 'rg-web', 'web-01', '20261125T210304Z'))
    expect(await readdir(path)).to.have.members(['serial.log', 'snapshot.json'])
    expect(JSON.parse(await readFile(join(path, 'snapshot.json'), 'utf8')).reason).to.equal('test')
  })

  it('nothing is visible until commit, and abandon leaves nothing', async () => {
    const writer = await SnapshotWriter.begin(root, VM, new Date())
    await writer.writeFile('serial.log', Buffer.from('partial'))
    const vmFolder = join(root, VM.subscriptionId, 'rg-web', 'web-01')
    expect((await readdir(vmFolder)).filter((name) => !name.startsWith('.'))).to.deep.equal([])
    await writer.abandon()
    // not even an empty VM folder (nor its resource group's or subscription's) is left
    expect(await readdir(root)).to.deep.equal([])
  })

  it("removes a killed run's staging folder, but not a live run's", async () => {
    const vmFolder = join(root, VM.subscriptionId, 'rg-web', 'web-01')
    await mkdir(join(vmFolder, '.staging-999999-deadbeef'), {recursive: true})
    const live = await SnapshotWriter.begin(root, VM, new Date())
    const other = await SnapshotWriter.begin(root, VM, new Date())
    const names = await readdir(vmFolder)
    expect(names).not.to.include('.staging-999999-deadbeef')
    expect(names.filter((n) => n.startsWith('.staging-'))).to.have.length(2)
    await live.abandon()
    await other.abandon()
  })

  it('stamps are UTC to the second', () => {
    expect(snapshotStamp(new Date('2026-01-02T03:04:05.678+01:00'))).to.equal('20260102T020405Z')
  })

  it('the default archive is the per-user data folder', () => {
    expect(defaultArchiveDir({XDG_DATA_HOME: '/data'}, 'linux')).to.equal('/data/bootdiag/archive')
    expect(defaultArchiveDir({}, 'linux')).to.match(/\.local\/share\/bootdiag\/archive$/)
    expect(defaultArchiveDir({}, 'darwin')).to.match(/Library\/Application Support\/bootdiag\/archive$/)
  })
})
