/**
 * The Blob container store against a real Azurite (HTTPS, the test CA): the same layout as a folder,
 * snapshot.json uploaded last as the commit marker, never an overwrite, the state file, the lease lock.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob'
import {expect} from 'chai'

import {BlobArchiveStore, parseContainerUrl} from '../../../src/store/blob-store.js'
import {LockHeldError} from '../../../src/store/lock.js'
import type {SnapshotManifest} from '../../../src/store/manifest.js'
import {applyRetention} from '../../../src/store/retention.js'
import {openArchiveStore} from '../../../src/store/open-store.js'
import {type AzuriteInstance, DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, startAzurite} from '../../helpers/azurite.js'
import {testTls, trustTestCaInProcess} from '../../helpers/tls.js'

const VM = {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333'}

function manifest(reason = 'archive'): SnapshotManifest {
  return {
    files: {},
    missing: [],
    reason,
    schemaVersion: 1,
    storage: 'managed',
    takenAt: '2026-11-25T21:03:04.000Z',
    tool: {name: 'bootdiag', version: '0.0.0'},
    vm: {...VM, id: '/x', location: 'westeurope', powerState: 'running', vmId: 'v1'},
  }
}

describe('archive: the Blob container store (Azurite)', function () {
  this.timeout(60_000)
  let azurite: AzuriteInstance
  let containers = 0
  let store: BlobArchiveStore
  let container: ContainerClient

  before(async () => {
    trustTestCaInProcess((await testTls()).caCert)
    azurite = await startAzurite({oauth: false})
  })

  after(() => azurite?.stop())

  beforeEach(() => {
    const url = `${azurite.blobEndpoint(DEV_ACCOUNT_NAME)}/archive-${++containers}/fleet/prod`
    container = new ContainerClient(
      `${azurite.blobEndpoint(DEV_ACCOUNT_NAME)}/archive-${containers}`,
      new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
    )
    store = new BlobArchiveStore(parseContainerUrl(url), container)
  })

  /** The archive's blobs (the index under .bootdiag-index/ has its own tests: blob-index.test.ts). */
  async function blobNames(): Promise<string[]> {
    const names: string[] = []
    for await (const blob of container.listBlobsFlat())
      if (!blob.name.includes('/.bootdiag-index/')) names.push(blob.name)
    return names.sort()
  }

  it('reads container URLs: public, path-style (emulators), with a SAS; refuses what it cannot use (exit 2)', () => {
    expect(parseContainerUrl('https://acct.blob.core.windows.net/bootdiag/fleet/prod')).to.deep.equal({
      account: 'acct',
      container: 'bootdiag',
      containerUrl: 'https://acct.blob.core.windows.net/bootdiag',
      prefix: 'fleet/prod',
    })
    expect(parseContainerUrl('https://127.0.0.1:10000/devstoreaccount1/c01?sv=2024&sig=abc%3D')).to.deep.include({
      account: 'devstoreaccount1',
      containerUrl: 'https://127.0.0.1:10000/devstoreaccount1/c01',
      prefix: '',
      sas: 'sv=2024&sig=abc%3D',
    })
    for (const [url, problem] of [
      ['https://acct.blob.core.windows.net/', /names no container/],
      ['https://acct.blob.core.windows.net/Bad_Name', /not a valid container name/],
      ['http://acct.blob.core.windows.net/c01', /use https/],
      ['https://acct.blob.core.windows.net/c01?comp=list', /query string is not a SAS/],
    ] as const) {
      expect(() => parseContainerUrl(url))
        .to.throw(problem)
        .with.property('exitCode', 2)
    }
  })

  it('commits a snapshot under the same layout as a folder, creating the container, snapshot.json included', async () => {
    const draft = await store.beginSnapshot(VM, new Date('2026-11-25T21:03:04Z'))
    await draft.writeFile('serial.log', Buffer.from('boot log\n'))
    await writeFile(draft.scratchPath('serial.log.tail'), 'never uploaded')

    const committed = await draft.commit(manifest())

    expect(committed.name).to.equal('20261125T210304Z')
    expect(committed.location).to.equal(`${store.location}/${VM.subscriptionId}/rg-web/web-01/20261125T210304Z`)
    expect(await blobNames()).to.deep.equal([
      `fleet/prod/${VM.subscriptionId}/rg-web/web-01/20261125T210304Z/serial.log`,
      `fleet/prod/${VM.subscriptionId}/rg-web/web-01/20261125T210304Z/snapshot.json`,
    ])
    // The local copy stays readable until disposed (fetch --stdout, analyze -n read it).
    expect(await readFile(join(committed.localFolder, 'serial.log'), 'utf8')).to.equal('boot log\n')
    await draft.dispose()
    expect(await store.listSnapshots(VM)).to.deep.equal(['20261125T210304Z'])
    expect((await store.readManifest(VM, committed.name))?.reason).to.equal('archive')
  })

  it('never overwrites: a name taken (even by a crashed upload) moves on to -1, removing what it had put there', async () => {
    // Given the first name already holds a snapshot.json (and nothing else: a crashed run's leftover)
    const taken = `fleet/prod/${VM.subscriptionId}/rg-web/web-01/20261125T210304Z/snapshot.json`
    await container.create()
    const earlier = JSON.stringify(manifest('earlier'))
    await container.getBlockBlobClient(taken).upload(earlier, Buffer.byteLength(earlier))

    // When a snapshot of the same second is committed
    const draft = await store.beginSnapshot(VM, new Date('2026-11-25T21:03:04Z'))
    await draft.writeFile('serial.log', Buffer.from('new log'))
    const committed = await draft.commit(manifest('later'))

    // Then it went to -1, and the taken name is as it was
    expect(committed.name).to.equal('20261125T210304Z-1')
    expect(await blobNames()).to.deep.equal([
      `fleet/prod/${VM.subscriptionId}/rg-web/web-01/20261125T210304Z-1/serial.log`,
      `fleet/prod/${VM.subscriptionId}/rg-web/web-01/20261125T210304Z-1/snapshot.json`,
      taken,
    ])
    expect((await store.readManifest(VM, '20261125T210304Z'))?.reason).to.equal('earlier')
  })

  it('files without a snapshot.json are not a snapshot', async () => {
    await container.create()
    await container
      .getBlockBlobClient(`fleet/prod/${VM.subscriptionId}/rg-web/web-01/20261125T210304Z/serial.log`)
      .upload('x', 1)
    expect(await store.listSnapshots(VM)).to.deep.equal([])
    expect(await store.listArchive()).to.deep.equal([])
  })

  it('carries files over from an earlier snapshot, reads them locally, keeps the state, and prunes old snapshots', async () => {
    const first = await store.beginSnapshot(VM, new Date('2026-10-01T00:00:00Z'))
    await first.writeFile('screenshot.bmp', Buffer.from('BM-old'))
    await first.commit(manifest())
    const second = await store.beginSnapshot(VM, new Date('2026-11-25T00:00:00Z'))
    expect(await second.carryOver('screenshot.bmp', '20261001T000000Z')).to.equal(true)
    expect(await second.carryOver('serial.log', '20261001T000000Z')).to.equal(false)
    await second.commit(manifest())
    await second.dispose()

    const scratch = await mkdtemp(join(tmpdir(), 'bootdiag-blob-'))
    try {
      const local = await store.localFile(VM, '20261125T000000Z', 'screenshot.bmp', join(scratch, 'shot'))
      expect(await readFile(local!, 'utf8')).to.equal('BM-old')
      expect(await store.localFile(VM, '20261125T000000Z', 'serial.log', join(scratch, 'log'))).to.equal(undefined)
    } finally {
      await rm(scratch, {force: true, recursive: true})
    }

    expect(await store.readState(VM)).to.equal(undefined)
    await store.writeState(VM, '{"stateVersion":1}')
    expect(await store.readState(VM)).to.equal('{"stateVersion":1}')

    const report = await applyRetention(store, {keepDays: 30, now: new Date('2026-11-25T12:00:00Z')})
    expect(report).to.deep.include({snapshotsDeleted: 1, vms: 1})
    expect(await blobNames()).to.deep.equal([
      `fleet/prod/${VM.subscriptionId}/rg-web/web-01/.archive-state.json`,
      `fleet/prod/${VM.subscriptionId}/rg-web/web-01/20261125T000000Z/screenshot.bmp`,
      `fleet/prod/${VM.subscriptionId}/rg-web/web-01/20261125T000000Z/snapshot.json`,
    ])
  })

  it('the lock is a lease: a second run is refused with the holder from the lock blob, --wait polls, release frees it', async () => {
    const held = await store.lock({now: () => new Date('2026-11-25T21:03:04Z')})
    const error = await store.lock({}).catch((e: Error) => e)
    expect(error).to.be.instanceOf(LockHeldError)
    expect((error as Error).message).to.match(
      new RegExp(
        `holds the lock on ${store.location.replaceAll(/[.?/]/g, '\\$&')} \\(pid ${process.pid} on .+ since 2026-11-25T21:03:04Z\\)\\. .*--wait`,
      ),
    )

    let polls = 0
    const waiter = await store.lock({
      sleep: async () => {
        polls++
        await held.release()
      },
      wait: true,
    })
    expect(polls).to.equal(1)
    await waiter.release()
    expect(await blobNames()).to.deep.equal(['fleet/prod/.bootdiag-archive.lock'])
  })

  it('with a SAS URL: written with the SAS, which never appears in a location', async () => {
    await container.create()
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container.containerName,
        expiresOn: new Date(Date.now() + 3_600_000),
        permissions: ContainerSASPermissions.parse('racwdl'),
      },
      new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
    ).toString()
    const withSas = await openArchiveStore(`${container.url}/sas-prefix?${sas}`)
    const draft = await withSas.beginSnapshot(VM, new Date('2026-11-25T21:03:04Z'))
    await draft.writeFile('serial.log', Buffer.from('x'))
    const committed = await draft.commit(manifest())
    await draft.dispose()
    expect(withSas.location).to.equal(`${container.url}/sas-prefix`)
    expect(committed.location).not.to.match(/sig=/)
    expect(await withSas.listSnapshots(VM)).to.deep.equal(['20261125T210304Z'])
  })
})
