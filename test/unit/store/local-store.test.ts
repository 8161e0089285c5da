import {mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {LocalArchiveStore, checkArchiveFolder} from '../../../src/store/local-store.js'
import type {SnapshotManifest} from '../../../src/store/manifest.js'
import {isContainerUrl, openArchiveStore} from '../../../src/store/open-store.js'

const VM = {name: 'Web-01', resourceGroup: 'RG-Web', subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333'}

function manifest(): SnapshotManifest {
  return {
    files: {},
    missing: [],
    reason: 'archive',
    schemaVersion: 1,
    storage: 'managed',
    takenAt: '2026-11-25T21:03:04.000Z',
    tool: {name: 'bootdiag', version: '0.0.0'},
    vm: {...VM, id: '/x', location: 'westeurope', powerState: 'running', vmId: 'v1'},
  }
}

describe('archive: the folder store', () => {
  let root: string
  let store: LocalArchiveStore
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bootdiag-store-'))
    store = new LocalArchiveStore(root)
  })
  afterEach(() => rm(root, {force: true, recursive: true}))

  const vmFolder = () => join(root, VM.subscriptionId, 'rg-web', 'web-01')

  it('--archive is a folder unless it is an http(s) URL; the default is the per-user folder', async () => {
    expect(isContainerUrl('/srv/bootdiag')).to.equal(false)
    expect(isContainerUrl('C:\\bootdiag')).to.equal(false)
    expect(isContainerUrl('https://acct.blob.core.windows.net/c')).to.equal(true)
    expect((await openArchiveStore(root)).kind).to.equal('folder')
    expect((await openArchiveStore(undefined)).location).to.match(/bootdiag[/\\]archive$/)
  })

  it('a draft is invisible until committed; commit keeps only the snapshot files', async () => {
    // Given a draft with a kept file, a partial one and a scratch file
    const draft = await store.beginSnapshot(VM, new Date('2026-11-25T21:03:04Z'))
    await writeFile(draft.partialPath('serial.log'), 'log')
    await draft.keep('serial.log')
    await writeFile(draft.partialPath('screenshot.bmp'), 'half')
    await writeFile(draft.scratchPath('serial.log.tail'), 'tail')
    expect(await store.listSnapshots(VM)).to.deep.equal([])

    // When it is committed
    const committed = await draft.commit(manifest())

    // Then the snapshot holds exactly serial.log and snapshot.json, and is listed
    expect(committed).to.deep.equal({
      localFolder: join(vmFolder(), '20261125T210304Z'),
      location: join(vmFolder(), '20261125T210304Z'),
      name: '20261125T210304Z',
    })
    expect((await readdir(committed.location)).sort()).to.deep.equal(['serial.log', 'snapshot.json'])
    expect(await store.listSnapshots(VM)).to.deep.equal(['20261125T210304Z'])
    expect((await store.readManifest(VM, '20261125T210304Z'))?.reason).to.equal('archive')
    await draft.abandon() // after commit: nothing happens
    expect(await store.listSnapshots(VM)).to.have.length(1)
  })

  it('carries an unchanged file over from an earlier snapshot as a hard link (same bytes, no copy)', async () => {
    const first = await store.beginSnapshot(VM, new Date('2026-11-25T21:00:00Z'))
    await first.writeFile('screenshot.bmp', Buffer.from('BM...'))
    const earlier = await first.commit(manifest())

    const second = await store.beginSnapshot(VM, new Date('2026-11-25T22:00:00Z'))
    expect(await second.carryOver('screenshot.bmp', earlier.name)).to.equal(true)
    expect(await second.carryOver('serial.log', earlier.name)).to.equal(false)
    const later = await second.commit(manifest())

    const [a, b] = await Promise.all([
      stat(join(earlier.location, 'screenshot.bmp')),
      stat(join(later.location, 'screenshot.bmp')),
    ])
    expect(b.ino).to.equal(a.ino)
    expect(a.nlink).to.equal(2)
    expect(await readFile(join(later.location, 'screenshot.bmp'), 'utf8')).to.equal('BM...')
  })

  it('lists every VM with its committed snapshots, ignoring staging, state files and uncommitted folders', async () => {
    const draft = await store.beginSnapshot(VM, new Date('2026-11-25T21:03:04Z'))
    await draft.commit(manifest())
    await mkdir(join(vmFolder(), '20261126T000000Z'))
    await store.writeState(VM, '{}')
    const pending = await store.beginSnapshot(VM, new Date())

    expect(await store.listArchive()).to.deep.equal([
      {
        snapshots: ['20261125T210304Z'],
        vm: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: VM.subscriptionId},
      },
    ])
    await pending.abandon()
  })

  it('replaces the state file atomically and reads it back (undefined when there is none)', async () => {
    expect(await store.readState(VM)).to.equal(undefined)
    await store.writeState(VM, '{"a":1}')
    await store.writeState(VM, '{"a":2}')
    expect(await store.readState(VM)).to.equal('{"a":2}')
    expect(await readdir(vmFolder())).to.deep.equal(['.archive-state.json'])
  })

  it('a deleted snapshot disappears whole', async () => {
    const draft = await store.beginSnapshot(VM, new Date('2026-11-25T21:03:04Z'))
    await draft.writeFile('serial.log', Buffer.from('x'))
    const committed = await draft.commit(manifest())
    await store.deleteSnapshot(VM, committed.name)
    expect(await readdir(vmFolder())).to.deep.equal([])
  })
})

describe('archive: what counts as an archive folder', () => {
  let scratch: string
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-is-archive-'))
  })

  afterEach(() => rm(scratch, {force: true, recursive: true}))

  it('a folder not there yet, an empty one, or one of subscription folders, hidden entries and lost+found', async () => {
    await checkArchiveFolder(join(scratch, 'new'))
    await mkdir(join(scratch, 'archive', VM.subscriptionId, 'rg-web'), {recursive: true})
    await mkdir(join(scratch, 'archive', 'lost+found'))
    await mkdir(join(scratch, 'archive', '.snapshot'))
    await writeFile(join(scratch, 'archive', '.bootdiag-archive.lock'), '{}')
    await writeFile(join(scratch, 'archive', '.DS_Store'), '')
    await checkArchiveFolder(join(scratch, 'archive'))
    expect((await openArchiveStore(join(scratch, 'archive'))).kind).to.equal('folder')
  })

  it('anything else is a usage error (exit 2) that names what is in the way', async () => {
    // one VM's folder of an archive, given by mistake: it holds a resource group's folder
    await mkdir(join(scratch, VM.subscriptionId, 'rg-web'), {recursive: true})
    const error = await checkArchiveFolder(join(scratch, VM.subscriptionId)).catch((e: Error) => e)
    expect(error).to.include({code: 'NotAnArchive', exitCode: 2})
    expect((error as Error).message).to.match(
      / is not a bootdiag archive: it holds 'rg-web', which bootdiag does not write /,
    )

    // a file
    await writeFile(join(scratch, 'other'), '')
    const file = await checkArchiveFolder(join(scratch, 'other')).catch((e: Error) => e)
    expect(file).to.include({exitCode: 2})
    expect((file as Error).message).to.equal(
      `--archive ${join(scratch, 'other')} is not a folder. Point --archive (or BOOTDIAG_ARCHIVE) at a folder for the archive.`,
    )
  })
})
