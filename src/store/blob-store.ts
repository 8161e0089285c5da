/**
 * The archive in an Azure Blob Storage container: `--archive https://ACCOUNT.blob.<suffix>/CONTAINER[/PREFIX]`
 * (path-style `https://127.0.0.1:10000/ACCOUNT/CONTAINER` for Azurite and other emulators). It is written
 * with the signed-in identity (it needs 'Storage Blob Data Contributor' on the container), or with the SAS
 * in the URL's query string (permissions racwdl) — which is never printed, logged or stored.
 *
 * The same layout as a folder, and as close to its atomicity as Blob Storage allows (it has no rename):
 * - a snapshot's files are written to a local draft folder, then uploaded with `If-None-Match: *` (never
 *   overwriting anything), and snapshot.json is uploaded LAST: it is the commit marker. A snapshot exists
 *   when its snapshot.json does; readers (and retention) ignore a folder without one. A name already taken
 *   (same second) moves on to -1, -2, ..., removing what this run had uploaded under it;
 * - `.archive-state.json` is replaced by one Put Blob (atomic);
 * - the lock is a 60-second lease on the blob `.bootdiag-archive.lock`, renewed every 20 s; a crashed run's
 *   lease simply expires. The holder (pid, host, since) is kept in the lock blob's metadata.
 */
import {rmSync} from 'node:fs'
import {mkdtemp, readdir, rename, rm, writeFile} from 'node:fs/promises'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleepFor} from 'node:timers/promises'

import type {BlockBlobClient, ContainerClient} from '@azure/storage-blob'

import {isRestError} from '../azure/errors.js'
import {AuthError, BootdiagError, UsageError, isBootdiagError} from '../errors.js'
import {redact} from '../util/redact.js'
import {ArchiveIndex, claimIndex} from './index/archive-index.js'
import {BlobIndexStorage} from './index/blob-storage.js'
import {type VmLocation, SNAPSHOT_DIR_PATTERN, snapshotStamp, sortSnapshotNames, vmSegments} from './layout.js'
import {type HeldLock, type LockHolder, type LockOptions, LockHeldError, lockName} from './lock.js'
import {
  MANIFEST_FILE,
  SNAPSHOT_FILES,
  type SnapshotFileName,
  type SnapshotManifest,
  manifestOrNothing,
} from './manifest.js'
import type {StoreDependencies} from './open-store.js'
import type {ArchiveStore, CommittedSnapshot, SnapshotDraft} from './store.js'
import {STATE_FILE} from './vm-state.js'

export interface ContainerAddress {
  /** the container's URL without a query string, e.g. https://acct.blob.core.windows.net/bootdiag */
  containerUrl: string
  account: string
  container: string
  /** folders inside the container below which the archive lives ('' for the container's root) */
  prefix: string
  /** the SAS query string (without '?'), when the URL carried one */
  sas?: string
}

const USAGE =
  'Use --archive https://ACCOUNT.blob.<suffix>/CONTAINER[/PREFIX] (optionally with a SAS query string), or a folder path.'

/** Split a container URL into its parts; anything unusable is a usage error (exit 2). */
export function parseContainerUrl(spec: string): ContainerAddress {
  let url: URL
  try {
    url = new URL(spec.trim())
  } catch {
    throw new UsageError(`--archive '${redact(spec)}' is not a valid URL. ${USAGE}`)
  }

  const shown = `${url.origin}${url.pathname}`
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'
  if (url.protocol === 'http:' && !loopback)
    throw new UsageError(`--archive ${shown}: use https (a SAS or token must not travel in clear text).`)
  const pathStyle = loopback || /^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname.startsWith('[')
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part))
  const account = pathStyle ? segments.shift() : url.hostname.split('.')[0]
  const container = segments.shift()
  if (!account || !container) throw new UsageError(`--archive ${shown} names no container. ${USAGE}`)
  if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(container)) {
    throw new UsageError(
      `--archive ${shown}: '${container}' is not a valid container name (3-63 lower-case letters, digits and single hyphens).`,
    )
  }

  const sas = url.searchParams.has('sig') ? url.search.slice(1) : undefined
  if (url.search && !sas) throw new UsageError(`--archive ${shown}: the query string is not a SAS (no sig=). ${USAGE}`)
  return {
    account,
    container,
    containerUrl: `${url.origin}${pathStyle ? `/${account}` : ''}/${container}`,
    prefix: segments.join('/'),
    ...(sas ? {sas} : {}),
  }
}

/** How long the lock lease lasts (a crashed run's lock is free after this) and how often it is renewed. */
export const LEASE_TIMING = {leaseSeconds: 60, renewMs: 20_000, pollMs: 5000}

export class BlobArchiveStore implements ArchiveStore {
  readonly kind = 'blob'
  readonly location: string
  readonly index: ArchiveIndex
  private containerReady?: Promise<void>

  constructor(
    readonly address: ContainerAddress,
    readonly container: ContainerClient,
    options: {warn?: (message: string) => void} = {},
  ) {
    this.location = `${address.containerUrl}${address.prefix ? `/${address.prefix}` : ''}`
    this.index = new ArchiveIndex(new BlobIndexStorage(this), this, options.warn ?? (() => {}))
  }

  static async open(spec: string, deps: StoreDependencies): Promise<BlobArchiveStore> {
    const address = parseContainerUrl(spec)
    if (address.sas) {
      const url = `${address.containerUrl}?${address.sas}`
      const client = deps.containerClient
        ? await deps.containerClient(url, {kind: 'sas'})
        : await (await import('../azure/clients.js')).createContainerClient(url, {kind: 'sas'})
      return new BlobArchiveStore(address, client, {warn: deps.warn})
    }

    if (!deps.containerClient || !deps.credential)
      throw new UsageError(`--archive ${address.containerUrl} needs a signed-in identity or a SAS in the URL.`)
    return new BlobArchiveStore(
      address,
      await deps.containerClient(address.containerUrl, {credential: deps.credential, kind: 'token'}),
      {warn: deps.warn},
    )
  }

  /** The blob name of a path inside the archive. */
  blobName(...parts: string[]): string {
    return [this.address.prefix, ...parts].filter(Boolean).join('/')
  }

  private vmPrefix(vm: VmLocation): string {
    return this.blobName(...vmSegments(vm))
  }

  /** Create the container on first use when it does not exist (a SAS may not allow it: then it must exist). */
  ensureContainer(): Promise<void> {
    this.containerReady ??= (async () => {
      try {
        await this.container.createIfNotExists()
      } catch (error) {
        if (!(isRestError(error) && (error.statusCode === 403 || error.statusCode === 409)))
          throw this.mapError(error, 'create the archive container')
      }
    })()
    return this.containerReady
  }

  async beginSnapshot(vm: VmLocation, takenAt: Date): Promise<SnapshotDraft> {
    await this.ensureContainer()
    const folder = await mkdtemp(join(tmpdir(), 'bootdiag-snapshot-'))
    registerForExitCleanup(folder)
    return new BlobDraft(this, vm, takenAt, folder)
  }

  async listSnapshots(vm: VmLocation): Promise<string[]> {
    const prefix = `${this.vmPrefix(vm)}/`
    const names: string[] = []
    try {
      for await (const blob of this.container.listBlobsFlat({prefix})) {
        const [snapshot, file, ...rest] = blob.name.slice(prefix.length).split('/')
        if (file === MANIFEST_FILE && rest.length === 0 && SNAPSHOT_DIR_PATTERN.test(snapshot)) names.push(snapshot)
      }
    } catch (error) {
      if (isContainerMissing(error)) return []
      throw this.mapError(error, 'list the archive')
    }

    return sortSnapshotNames(names)
  }

  async listArchive(): Promise<Array<{vm: VmLocation; snapshots: string[]}>> {
    const prefix = this.address.prefix ? `${this.address.prefix}/` : ''
    const byVm = new Map<string, {vm: VmLocation; snapshots: string[]}>()
    try {
      for await (const blob of this.container.listBlobsFlat({prefix: prefix || undefined})) {
        const parts = blob.name.slice(prefix.length).split('/')
        if (parts.length !== 5 || parts[4] !== MANIFEST_FILE || !SNAPSHOT_DIR_PATTERN.test(parts[3])) continue
        const [subscriptionId, resourceGroup, name, snapshot] = parts
        const key = `${subscriptionId}/${resourceGroup}/${name}`
        const entry = byVm.get(key) ?? {snapshots: [], vm: {name, resourceGroup, subscriptionId}}
        entry.snapshots.push(snapshot)
        byVm.set(key, entry)
      }
    } catch (error) {
      if (isContainerMissing(error)) return []
      throw this.mapError(error, 'list the archive')
    }

    return [...byVm.values()].map((entry) => ({...entry, snapshots: sortSnapshotNames(entry.snapshots)}))
  }

  async readManifest(
    vm: VmLocation,
    snapshot: string,
    onProblem?: (problem: string) => void,
  ): Promise<SnapshotManifest | undefined> {
    const text = await this.readText(`${this.vmPrefix(vm)}/${snapshot}/${MANIFEST_FILE}`).catch(() => undefined)
    return text === undefined ? undefined : manifestOrNothing(text, onProblem)
  }

  async localFile(
    vm: VmLocation,
    snapshot: string,
    file: SnapshotFileName,
    scratchPath: string,
  ): Promise<string | undefined> {
    return (await this.download(`${this.vmPrefix(vm)}/${snapshot}/${file}`, scratchPath)) ? scratchPath : undefined
  }

  async openFile(
    vm: VmLocation,
    snapshot: string,
    file: SnapshotFileName,
    start = 0,
  ): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const response = await this.container.getBlobClient(`${this.vmPrefix(vm)}/${snapshot}/${file}`).download(start)
      return (response.readableStreamBody as AsyncIterable<Uint8Array> | undefined) ?? (async function* () {})()
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return undefined
      // 416: nothing from `start` on
      if (isRestError(error) && error.statusCode === 416) return (async function* () {})()
      throw this.mapError(error, 'read from the archive')
    }
  }

  /** Download a blob of the archive to a local file; false when it does not exist. */
  async download(blobName: string, path: string): Promise<boolean> {
    try {
      await this.container.getBlobClient(blobName).downloadToFile(path)
      return true
    } catch (error) {
      await rm(path, {force: true})
      if (isRestError(error) && error.statusCode === 404) return false
      throw this.mapError(error, 'read from the archive')
    }
  }

  async deleteSnapshot(vm: VmLocation, snapshot: string): Promise<void> {
    const prefix = `${this.vmPrefix(vm)}/${snapshot}/`
    try {
      // snapshot.json first: from then on this is no longer a snapshot, whatever happens to the rest.
      await this.container.getBlobClient(`${prefix}${MANIFEST_FILE}`).deleteIfExists()
    } catch (error) {
      throw this.mapError(error, 'delete an old snapshot')
    }

    await this.index.afterDelete(vm, snapshot)
    try {
      for await (const blob of this.container.listBlobsFlat({prefix}))
        await this.container.getBlobClient(blob.name).deleteIfExists()
    } catch (error) {
      throw this.mapError(error, 'delete an old snapshot')
    }
  }

  async readState(vm: VmLocation): Promise<string | undefined> {
    return this.readText(`${this.vmPrefix(vm)}/${STATE_FILE}`)
  }

  async writeState(vm: VmLocation, text: string): Promise<void> {
    await this.ensureContainer()
    try {
      await this.container
        .getBlockBlobClient(`${this.vmPrefix(vm)}/${STATE_FILE}`)
        .upload(text, Buffer.byteLength(text), {
          blobHTTPHeaders: {blobContentType: 'application/json'},
        })
    } catch (error) {
      throw this.mapError(error, 'write the archive state')
    }
  }

  snapshotLocation(vm: VmLocation, snapshot: string): string {
    return `${this.location}/${vmSegments(vm).join('/')}/${snapshot}`
  }

  /** A blob's text, or undefined when it (or the container) does not exist. */
  async readText(blobName: string): Promise<string | undefined> {
    try {
      const response = await this.container.getBlobClient(blobName).download()
      return (await streamToBuffer(response.readableStreamBody)).toString('utf8')
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return undefined
      throw this.mapError(error, 'read from the archive')
    }
  }

  async lock(options: LockOptions, timing = LEASE_TIMING): Promise<HeldLock> {
    return claimIndex(await this.lease(options, timing), this.index, options)
  }

  private async lease(options: LockOptions, timing: typeof LEASE_TIMING): Promise<HeldLock> {
    await this.ensureContainer()
    const blob = this.container.getBlockBlobClient(this.blobName(lockName(options.shard)))
    const now = options.now ?? (() => new Date())
    const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, {signal}))
    let waiting = false
    for (;;) {
      options.signal?.throwIfAborted()
      await this.createLockBlob(blob)
      const lease = blob.getBlobLeaseClient()
      try {
        await lease.acquireLease(timing.leaseSeconds, {abortSignal: options.signal})
      } catch (error) {
        if (!(isRestError(error) && error.statusCode === 409)) throw this.mapError(error, 'take the archive lock')
        const holder = await readHolder(blob)
        if (!options.wait) throw new LockHeldError(this.location, holder)
        if (!waiting) options.onWait?.(holder)
        waiting = true
        await sleep(timing.pollMs, options.signal)
        continue
      }

      const holder: LockHolder = {
        host: hostname(),
        pid: process.pid,
        since: now()
          .toISOString()
          .replace(/\.\d+Z$/, 'Z'),
      }
      await blob
        .setMetadata(
          {host: holder.host, pid: String(holder.pid), since: holder.since},
          {conditions: {leaseId: lease.leaseId}},
        )
        .catch(() => {})
      let lost = false
      const renew = setInterval(() => {
        lease.renewLease().catch((error: unknown) => {
          if (!lost)
            options.onLost?.(
              `The archive lock lease could not be renewed (${(error as Error).message.split('\n')[0]}); another run may start meanwhile.`,
            )
          lost = true
        })
      }, timing.renewMs)
      renew.unref()
      let released = false
      return {
        holder,
        async release() {
          if (released) return
          released = true
          clearInterval(renew)
          await lease.releaseLease().catch(() => {})
        },
      }
    }
  }

  private async createLockBlob(blob: BlockBlobClient): Promise<void> {
    try {
      await blob.upload('', 0, {conditions: {ifNoneMatch: '*'}})
    } catch (error) {
      // 409: it exists; 412: it exists and is leased.
      if (!(isRestError(error) && (error.statusCode === 409 || error.statusCode === 412)))
        throw this.mapError(error, 'take the archive lock')
    }
  }

  /** Storage errors of the archive itself, said as what to do about the archive (not about boot diagnostics). */
  mapError(error: unknown, action: string): BootdiagError {
    if (isBootdiagError(error)) return error
    if (isRestError(error)) {
      const code = error.response?.headers?.get('x-ms-error-code') ?? error.code ?? `HTTP ${error.statusCode ?? '?'}`
      if (error.statusCode === 401 || error.statusCode === 403) {
        return new AuthError(
          `Could not ${action} in ${this.location} (${code}): the signed-in identity needs the 'Storage Blob Data Contributor' role on the container, or pass a SAS URL with read, add, create, write, delete and list permissions.`,
          {cause: error, code: 'ArchiveDenied'},
        )
      }

      if (isContainerMissing(error)) {
        return new BootdiagError(
          `The archive container ${this.address.containerUrl} does not exist and could not be created. Create it, or check --archive.`,
          {cause: error, code: 'ArchiveContainerNotFound'},
        )
      }

      return new BootdiagError(
        `Could not ${action} in ${this.location}: ${error.message.split('\n')[0]} (${code}). Run again; add --debug for details.`,
        {cause: error, code: 'ArchiveStorageError'},
      )
    }

    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return new BootdiagError(`Could not ${action} in ${this.location}: ${message}.`, {
      cause: error,
      code: 'ArchiveStorageError',
    })
  }
}

class BlobDraft implements SnapshotDraft {
  private finished = false

  constructor(
    private readonly store: BlobArchiveStore,
    private readonly vm: VmLocation,
    private readonly takenAt: Date,
    readonly folder: string,
  ) {}

  partialPath(file: SnapshotFileName): string {
    return join(this.folder, `${file}.partial`)
  }

  scratchPath(name: string): string {
    return join(this.folder, `${name}.scratch`)
  }

  async keep(file: SnapshotFileName): Promise<void> {
    await rename(this.partialPath(file), join(this.folder, file))
  }

  async writeFile(file: SnapshotFileName, data: Uint8Array): Promise<void> {
    await writeFile(join(this.folder, file), data, {flag: 'wx'})
  }

  async carryOver(file: SnapshotFileName, fromSnapshot: string): Promise<boolean> {
    return this.store.download(
      `${this.store.blobName(...vmSegments(this.vm))}/${fromSnapshot}/${file}`,
      join(this.folder, file),
    )
  }

  async commit(manifest: SnapshotManifest): Promise<CommittedSnapshot> {
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`
    await writeFile(join(this.folder, MANIFEST_FILE), manifestText, {flag: 'wx'})
    const present = new Set(await readdir(this.folder))
    const files = SNAPSHOT_FILES.filter((file) => present.has(file))
    const stamp = snapshotStamp(this.takenAt)
    const vmPrefix = this.store.blobName(...vmSegments(this.vm))
    await this.store.index.beforeCommit(this.vm, this.takenAt)
    for (let n = 0; n < 1000; n++) {
      const name = n === 0 ? stamp : `${stamp}-${n}`
      const uploaded: string[] = []
      // Never over anything: If-None-Match: * on every blob (for large files, on the final block list).
      const options = (contentType: string) => ({
        blobHTTPHeaders: {blobContentType: contentType},
        conditions: {ifNoneMatch: '*'},
      })
      const uploadFile = async (file: SnapshotFileName) => {
        const blobName = `${vmPrefix}/${name}/${file}`
        await this.store.container
          .getBlockBlobClient(blobName)
          .uploadFile(join(this.folder, file), options(contentTypeOf(file)))
        uploaded.push(blobName)
      }

      try {
        const results = await Promise.allSettled(files.map((file) => uploadFile(file)))
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
        if (failed) throw failed.reason
        // Last: snapshot.json, the commit marker.
        const manifestBlob = `${vmPrefix}/${name}/${MANIFEST_FILE}`
        await this.store.container
          .getBlockBlobClient(manifestBlob)
          .upload(manifestText, Buffer.byteLength(manifestText), options('application/json'))
        uploaded.push(manifestBlob)
        this.finished = true
        await this.store.index.afterCommit(this.vm, name, manifest)
        return {localFolder: this.folder, location: this.store.snapshotLocation(this.vm, name), name}
      } catch (error) {
        await Promise.all(
          uploaded.map((blobName) =>
            this.store.container
              .getBlobClient(blobName)
              .deleteIfExists()
              .catch(() => {}),
          ),
        )
        if (isRestError(error) && (error.statusCode === 409 || error.statusCode === 412)) continue
        throw this.store.mapError(error, 'upload the snapshot')
      }
    }

    throw new BootdiagError('More than 1000 snapshots of one VM in one second.', {code: 'TooManySnapshots'})
  }

  async abandon(): Promise<void> {
    if (this.finished) return
    this.finished = true
    await rm(this.folder, {force: true, recursive: true})
  }

  async dispose(): Promise<void> {
    this.finished = true
    await rm(this.folder, {force: true, recursive: true})
  }
}

function contentTypeOf(file: SnapshotFileName): string {
  if (file === 'serial.log') return 'text/plain'
  if (file === 'screenshot.bmp') return 'image/bmp'
  return 'image/png'
}

function isContainerMissing(error: unknown): boolean {
  return (
    isRestError(error) &&
    error.statusCode === 404 &&
    (error.response?.headers?.get('x-ms-error-code') ?? error.code) === 'ContainerNotFound'
  )
}

async function readHolder(blob: BlockBlobClient): Promise<LockHolder | undefined> {
  try {
    const {metadata} = await blob.getProperties()
    const pid = Number(metadata?.pid)
    if (!metadata?.host || !Number.isInteger(pid) || !metadata.since) return undefined
    return {host: metadata.host, pid, since: metadata.since}
  } catch {
    return undefined
  }
}

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
}

/** Local drafts of a container archive are removed when the process ends, whatever happened. */
const draftFolders = new Set<string>()
function registerForExitCleanup(folder: string): void {
  if (draftFolders.size === 0) {
    process.once('exit', () => {
      for (const path of draftFolders) rmSync(path, {force: true, recursive: true})
    })
  }

  draftFolders.add(folder)
}
