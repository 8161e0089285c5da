/**
 * The archive index in a Blob container (Azurite): the same objects as in a folder under
 * `<prefix>/.bootdiag-index/` — a database per writer uploaded with If-Match / If-None-Match (a write never
 * lands over one it did not read), journals as append blobs, the fleet listing — merged when read; sharded
 * writers side by side; a damaged index rebuilt on use under the container's lease lock.
 */
import {writeFile} from 'node:fs/promises'

import {expect} from 'chai'
import {ContainerClient, StorageSharedKeyCredential} from '@azure/storage-blob'

import {BlobArchiveStore, parseContainerUrl} from '../../../src/store/blob-store.js'
import {BlobIndexStorage} from '../../../src/store/index/blob-storage.js'
import {IndexConflictError} from '../../../src/store/index/storage.js'
import {type AzuriteInstance, DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME, startAzurite} from '../../helpers/azurite.js'
import {BOOTED, PANIC, type TestVm, commitSnapshot} from '../../helpers/snapshots.js'
import {testTls, trustTestCaInProcess} from '../../helpers/tls.js'

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333'
const vm = (name: string): TestVm => ({name, resourceGroup: 'rg-web', subscriptionId: SUB})

describe('archive index in a Blob container (Azurite)', function () {
  this.timeout(120_000)
  let azurite: AzuriteInstance
  let containers = 0
  let container: ContainerClient
  let url: string
  let warnings: string[]
  let notes: string[]

  before(async () => {
    trustTestCaInProcess((await testTls()).caCert)
    azurite = await startAzurite({oauth: false})
  })

  after(() => azurite?.stop())

  beforeEach(() => {
    containers++
    url = `${azurite.blobEndpoint(DEV_ACCOUNT_NAME)}/index-${containers}/fleet`
    container = new ContainerClient(
      `${azurite.blobEndpoint(DEV_ACCOUNT_NAME)}/index-${containers}`,
      new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
    )
    warnings = []
    notes = []
  })

  const newStore = () => new BlobArchiveStore(parseContainerUrl(url), container, {warn: (m) => warnings.push(m)})
  const read = (store = newStore()) =>
    store.index.open({lock: () => store.lock({}), note: (m) => notes.push(m), warn: (m) => warnings.push(m)})

  async function indexBlobs(): Promise<Array<{name: string; type: string | undefined}>> {
    const out: Array<{name: string; type: string | undefined}> = []
    for await (const blob of container.listBlobsFlat({prefix: 'fleet/.bootdiag-index/'}))
      out.push({name: blob.name.slice('fleet/.bootdiag-index/'.length), type: blob.properties.blobType})
    return out.sort((a, b) => a.name.localeCompare(b.name))
  }

  async function run(store: BlobArchiveStore, work: () => Promise<unknown>, shard?: {index: number; count: number}) {
    const lock = await store.lock({shard})
    try {
      await work()
    } finally {
      await lock.release()
    }
  }

  it('a run journals to an append blob and publishes its database; the next small run leaves its journal for readers', async () => {
    // Given a first archive run of a new container archive
    const store = newStore()
    await run(store, async () => {
      await commitSnapshot(store, vm('web-01'), {analysis: BOOTED, log: 'boot\n', takenAt: '2026-11-25T10:00:00Z'})
      expect(await indexBlobs()).to.deep.equal([{name: 'archive.journal', type: 'AppendBlob'}])
    })
    expect(await indexBlobs()).to.deep.equal([{name: 'archive.sqlite', type: 'BlockBlob'}])

    // When a second run adds one snapshot (below the fold threshold of a container)
    const second = newStore()
    await run(second, () =>
      commitSnapshot(second, vm('web-01'), {analysis: PANIC, log: 'boot\npanic\n', takenAt: '2026-11-25T10:30:00Z'}),
    )

    // Then its journal stays beside the database, and readers merge both
    expect((await indexBlobs()).map((b) => b.name)).to.deep.equal(['archive.journal', 'archive.sqlite'])
    const view = await read()
    const [web] = view.summaries()
    expect(web).to.deep.include({outcome: 'kernel-panic', snapshots: 2})
    expect(web.changed.outcome).to.deep.equal({from: 'booted', to: 'kernel-panic'})
    await view.close()
    expect(notes).to.deep.equal([])
    expect(warnings).to.deep.equal([])
  })

  it('shard workers at once: a database each, never the same blob; a database changed meanwhile is not overwritten', async () => {
    const workers = [0, 1, 2].map(() => newStore())
    await Promise.all(
      workers.map((store, index) =>
        run(
          store,
          () =>
            commitSnapshot(store, vm(`web-0${index}`), {
              analysis: BOOTED,
              log: `boot ${index}\n`,
              takenAt: '2026-11-25T10:00:00Z',
            }),
          {count: 3, index},
        ),
      ),
    )
    expect((await indexBlobs()).map((b) => b.name)).to.deep.equal([
      'shard-0-of-3.sqlite',
      'shard-1-of-3.sqlite',
      'shard-2-of-3.sqlite',
    ])
    const view = await read()
    expect(
      view
        .summaries()
        .map((s) => s.name)
        .sort(),
    ).to.deep.equal(['web-00', 'web-01', 'web-02'])
    await view.close()

    // A copy read, then the blob changed by someone else: the upload is refused (If-Match), not applied
    const storage = new BlobIndexStorage(newStore())
    const copy = await storage.databaseForWrite('shard-0-of-3.sqlite')
    await container.getBlockBlobClient('fleet/.bootdiag-index/shard-0-of-3.sqlite').upload('x', 1)
    const refused = await copy.publish().catch((error: unknown) => error)
    expect(refused).to.be.instanceOf(IndexConflictError)
    await copy.release()
    // and a new one is never put over one that appeared meanwhile (If-None-Match: *)
    const fresh = await storage.databaseForWrite('new.sqlite')
    await writeFile(fresh.path, 'a new database')
    await container.getBlockBlobClient('fleet/.bootdiag-index/new.sqlite').upload('y', 1)
    const taken = await fresh.publish().catch((error: unknown) => error)
    expect(taken).to.be.instanceOf(IndexConflictError)
    await fresh.release()
  })

  it('killed mid-run: the next run folds the journal and finds the snapshot committed without its record; damage is rebuilt on use', async () => {
    // Given a run killed after journaling one snapshot and committing another without its commit line
    const killed = newStore()
    await killed.lock({})
    await commitSnapshot(killed, vm('web-01'), {analysis: BOOTED, log: 'boot\n', takenAt: '2026-11-25T10:00:00Z'})
    const orphan = newStore()
    const begin = killed.index.beforeCommit(vm('db-01'), new Date('2026-11-25T10:05:00Z'))
    await begin
    // (the orphan is committed by a store whose index writes nowhere visible to the killed run's journal)
    ;(orphan.index.writer as unknown as {journal: () => Promise<void>}).journal = async () => {}
    await commitSnapshot(orphan, vm('db-01'), {analysis: PANIC, log: 'db\n', takenAt: '2026-11-25T10:05:00Z'})
    // its lease is broken as an expired one would be
    await container.getBlobClient('fleet/.bootdiag-archive.lock').getBlobLeaseClient().breakLease(0)

    // When the next run takes the lock
    const next = newStore()
    await run(next, async () => {})

    // Then the index has both
    let view = await read()
    expect(
      view
        .summaries()
        .map((s) => [s.name, s.outcome])
        .sort(),
    ).to.deep.equal([
      ['db-01', 'kernel-panic'],
      ['web-01', 'booted'],
    ])
    await view.close()

    // When its database is damaged, Then a reader rebuilds it (under the lease) and publishes it
    await container.getBlockBlobClient('fleet/.bootdiag-index/archive.sqlite').upload('garbage'.repeat(1000), 7000)
    view = await read()
    expect(notes).to.deep.equal(["The archive's index is damaged (archive.sqlite); rebuilding it from the snapshots…"])
    expect(view.rebuilt).to.deep.include({snapshots: 2, vms: 2})
    expect(view.summaries()).to.have.length(2)
    await view.close()
    expect((await indexBlobs()).map((b) => b.name)).to.deep.equal(['archive.sqlite'])
  })
})
