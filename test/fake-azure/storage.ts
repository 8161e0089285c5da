/**
 * The fake's boot diagnostics storage: mirrors each VM's serial log and screenshot (the authoritative bytes
 * live in the state model) into Azurite blobs, mints SAS URLs, and names the public URLs the fake hands out
 * (through the fault proxy in front of Azurite).
 *
 * Layout as real boot diagnostics (names.ts): container `bootdiagnostics-<9 chars>-<vmId>`, blobs
 * `<vmName>.<vmId>.serialconsole.log` and `<vmName>.<vmId>.screenshot.bmp`. Managed storage lives in a
 * "platform" account whose URLs are only given out as SAS (sp=r); custom storage lives in the customer's
 * account and the instance view gives unsigned URLs, read with a bearer token (Azurite `--oauth basic`).
 *
 * Blob type of the serial log (real type UNVERIFIED, azure-facts §3) — `logBlobType`:
 * - 'append' (default): a growing log is appended block by block; Content-Length is the exact log size;
 * - 'block': every change re-uploads the whole blob (new ETag each time);
 * - 'page': 512-byte pages; the blob size is rounded up and the tail is NUL-padded, as a page blob
 *   written by a hypervisor would be — readers must cope with trailing NULs.
 * A replaced log (redeploy, deallocate + start) is deleted and created anew: ETag and size change.
 */
import {
  AppendBlobClient,
  BlobSASPermissions,
  BlobServiceClient,
  ContainerClient,
  PageBlobClient,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob'

import type {AzuriteInstance} from '../helpers/azurite.js'
import type {FakeAzureState, FakeVm} from './state.js'

export type BlobKind = 'append' | 'block' | 'page'

export interface BootDiagnosticsStorageOptions {
  azurite: AzuriteInstance
  /** origin of the URLs handed out (the fault proxy) */
  publicOrigin: string
  /** the account that plays Azure's managed boot diagnostics storage */
  platformAccount: string
  logBlobType: BlobKind
  screenshotBlobType: Exclude<BlobKind, 'append'>
}

const MAX_CHUNK = 4 * 1024 * 1024
const PAGE = 512

interface Written {
  kind: BlobKind
  bytes: Buffer
}

export class BootDiagnosticsStorage {
  private readonly chains = new Map<string, Promise<void>>()
  private readonly written = new Map<string, Written | null>()
  private readonly containers = new Set<string>()
  private readonly services = new Map<string, BlobServiceClient>()
  private readonly unsubscribe: () => void
  private failure: unknown

  constructor(
    private readonly state: FakeAzureState,
    readonly options: BootDiagnosticsStorageOptions,
  ) {
    this.unsubscribe = state.onVmChange((vm, change) => {
      if (change !== 'removed') this.schedule(vm)
    })
    for (const vm of state.vms.values()) this.schedule(vm)
  }

  /** Resolve when every write scheduled so far has reached Azurite (for one VM, or all). */
  async settled(vm?: FakeVm): Promise<void> {
    if (vm) await this.chains.get(vm.vmId)
    else await Promise.all([...this.chains.values()])
    if (this.failure) {
      const failure = this.failure
      this.failure = undefined
      throw failure
    }
  }

  stop(): void {
    this.unsubscribe()
  }

  /** Re-mirror a VM (e.g. after a test changed its bootDiagnostics config). */
  schedule(vm: FakeVm): Promise<void> {
    const previous = this.chains.get(vm.vmId) ?? Promise.resolve()
    const next = previous
      .then(() => this.sync(vm))
      .catch((error: unknown) => {
        this.failure ??= error
      })
    this.chains.set(vm.vmId, next)
    return next
  }

  accountKey(account: string): string {
    const found = this.options.azurite.accounts.find((a) => a.name === account)
    if (!found) throw new Error(`Azurite serves no account '${account}' (add it to the fake's storage accounts)`)
    return found.key
  }

  /** The account's blob endpoint as the fake hands it out (storageUri), with a trailing slash. */
  accountUrl(account: string): string {
    return `${this.options.publicOrigin}/${account}/`
  }

  /** The unsigned URL of a VM's log or screenshot (what the instance view shows for custom storage). */
  blobUrl(vm: FakeVm, which: 'log' | 'screenshot'): string | undefined {
    const location = this.state.blobLocation(vm, this.options.platformAccount)
    if (!location) return undefined
    const blob = which === 'log' ? location.logBlob : location.screenshotBlob
    return `${this.options.publicOrigin}/${location.account}/${location.container}/${encodeURIComponent(blob)}`
  }

  /** A read-only SAS URL (sp=r, https only) valid for `minutes`; already expired with `expired`. */
  sasUrl(vm: FakeVm, which: 'log' | 'screenshot', minutes: number, expired = false): string | undefined {
    const location = this.state.blobLocation(vm, this.options.platformAccount)
    if (!location) return undefined
    const blobName = which === 'log' ? location.logBlob : location.screenshotBlob
    const now = Date.now()
    const expiresOn = expired ? new Date(now - 60_000) : new Date(now + minutes * 60_000)
    const startsOn = expired ? new Date(now - 60_000 - minutes * 60_000) : undefined
    const sas = generateBlobSASQueryParameters(
      {
        blobName,
        containerName: location.container,
        expiresOn,
        permissions: BlobSASPermissions.parse('r'),
        protocol: SASProtocol.Https,
        startsOn,
      },
      new StorageSharedKeyCredential(location.account, this.accountKey(location.account)),
    )
    return `${this.blobUrl(vm, which)}?${sas.toString()}`
  }

  /** A client on Azurite directly (not through the proxy), with the account key. */
  service(account: string): BlobServiceClient {
    let service = this.services.get(account)
    if (!service) {
      service = new BlobServiceClient(
        this.options.azurite.blobEndpoint(account),
        new StorageSharedKeyCredential(account, this.accountKey(account)),
        {
          // the fake's own writes (seeding Azurite, never under test): a connection reset by a busy Azurite
          // (300 VMs written at once on a loaded machine) is tried again rather than failing the suite
          retryOptions: {maxTries: 5, retryDelayInMs: 50},
        },
      )
      this.services.set(account, service)
    }

    return service
  }

  private async sync(vm: FakeVm): Promise<void> {
    const location = this.state.blobLocation(vm, this.options.platformAccount)
    if (!location) return
    const container = this.service(location.account).getContainerClient(location.container)
    await this.ensureContainer(location.account, container)
    await this.mirror(container, location.logBlob, vm.serialLog, this.options.logBlobType, location.account)
    await this.mirror(
      container,
      location.screenshotBlob,
      vm.screenshot,
      this.options.screenshotBlobType,
      location.account,
    )
  }

  private async ensureContainer(account: string, container: ContainerClient): Promise<void> {
    const id = `${account}/${container.containerName}`
    if (this.containers.has(id)) return
    await container.createIfNotExists()
    this.containers.add(id)
  }

  private async mirror(
    container: ContainerClient,
    blobName: string,
    bytes: Buffer | undefined,
    kind: BlobKind,
    account: string,
  ): Promise<void> {
    const id = `${account}/${container.containerName}/${blobName}`
    const previous = this.written.get(id)
    if (bytes === undefined) {
      if (previous !== null) await container.getBlobClient(blobName).deleteIfExists()
      this.written.set(id, null)
      return
    }

    if (previous && previous.kind === kind && previous.bytes.equals(bytes)) return
    const grows =
      previous &&
      previous.kind === kind &&
      bytes.length > previous.bytes.length &&
      bytes.subarray(0, previous.bytes.length).equals(previous.bytes)
    if (kind === 'block') {
      await container.getBlockBlobClient(blobName).uploadData(bytes)
    } else if (kind === 'append') {
      const client = container.getAppendBlobClient(blobName)
      if (grows) {
        await appendAll(client, bytes.subarray(previous.bytes.length))
      } else {
        await container.getBlobClient(blobName).deleteIfExists()
        await client.create()
        await appendAll(client, bytes)
      }
    } else {
      const client = container.getPageBlobClient(blobName)
      const size = roundUpToPage(bytes.length)
      if (grows) {
        if (size > roundUpToPage(previous.bytes.length)) await client.resize(size)
        await writePages(client, bytes, Math.floor(previous.bytes.length / PAGE) * PAGE)
      } else {
        await container.getBlobClient(blobName).deleteIfExists()
        await client.create(size)
        await writePages(client, bytes, 0)
      }
    }

    this.written.set(id, {bytes: Buffer.from(bytes), kind})
  }
}

function roundUpToPage(length: number): number {
  return Math.ceil(length / PAGE) * PAGE
}

async function appendAll(client: AppendBlobClient, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += MAX_CHUNK) {
    const chunk = bytes.subarray(offset, offset + MAX_CHUNK)
    await client.appendBlock(chunk, chunk.length)
  }
}

/** Write `bytes` from page-aligned `from` to the end, NUL-padding the last page. */
async function writePages(client: PageBlobClient, bytes: Buffer, from: number): Promise<void> {
  const end = roundUpToPage(bytes.length)
  for (let offset = from; offset < end; offset += MAX_CHUNK) {
    const length = Math.min(MAX_CHUNK, end - offset)
    const page = Buffer.alloc(length)
    bytes.copy(page, 0, offset, Math.min(bytes.length, offset + length))
    await client.uploadPages(page, offset, length)
  }
}
