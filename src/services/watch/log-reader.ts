/**
 * Reads a VM's serial log in pieces for `watch`: Range reads of the boot diagnostics blob, through the
 * same sources as a snapshot (the custom storage account with the signed-in identity, else the SAS URL
 * from retrieveBootDiagnosticsData).
 *
 * A SAS URL is asked for again before it expires (and at once when the storage service says it has),
 * and while the log does not exist — after a redeploy the URL may name a new blob — at most every
 * MISSING_LOG_RECHECK_MS. SAS URLs stay in memory only.
 */
import type {BlobClient} from '@azure/storage-blob'

import type {ComputeApi} from '../../azure/clients.js'
import {isRestError, toBootdiagErrorFromAzure} from '../../azure/errors.js'
import type {AzureAccess} from '../../context/azure-access.js'
import type {RunContext} from '../../context/run-context.js'
import {AuthError, BootdiagError} from '../../errors.js'
import {BootDiagnosticsBlobs, SAS_MINUTES} from '../snapshot/boot-diagnostics-blobs.js'
import type {VmRef} from '../../azure/resource-id.js'
import {type VmDetails, getVmDetails} from '../vm/details.js'
import type {SerialLogRead, SerialLogReader} from './watch-boot.js'

/** Ask for a new SAS URL this long after the last one (it is valid for SAS_MINUTES). */
export const SAS_REFRESH_MS = (SAS_MINUTES - 15) * 60_000
/** While the log is missing, ask Azure for its URL again at most this often. */
export const MISSING_LOG_RECHECK_MS = 30_000

/** What reading the log needs: Azure, and the watch's clock (milliseconds). */
export interface LogReaderContext {
  azure: AzureAccess
  compute: ComputeApi
  /** milliseconds; the watch's clock */
  now(): number
}

interface OpenBlob {
  client: BlobClient
  via: 'storage-account' | 'sas'
  openedAt: number
}

/** Size of the whole blob from `Content-Range: bytes 0-99/1234`. */
const CONTENT_RANGE_TOTAL = /\/(\d+)\s*$/

export class BootDiagnosticsLogReader implements SerialLogReader {
  private blob?: OpenBlob | null
  private missingSince?: number
  /** the storage account refused the signed-in identity: use the SAS URL from now on */
  private sasOnly = false

  constructor(
    private readonly deps: LogReaderContext,
    private readonly vm: VmDetails,
  ) {
    // throws a one-line error (with the command that enables it) when boot diagnostics is off
    this.blobs()
  }

  async read(from: number, maxBytes: number, signal?: AbortSignal): Promise<SerialLogRead | null> {
    for (let attempt = 1; ; attempt++) {
      const blob = await this.open(signal)
      if (!blob) return null
      try {
        return await this.readRange(blob.client, from, maxBytes, signal)
      } catch (error) {
        if (!isRestError(error)) throw error
        if (error.statusCode === 404) {
          // not written yet, or a new blob after a redeploy: look the URL up again (not too often)
          this.missingSince ??= this.deps.now()
          if (this.deps.now() - this.missingSince >= MISSING_LOG_RECHECK_MS) this.forget()
          return null
        }

        const mapped = toBootdiagErrorFromAzure(error, {
          action: `read the serial log of VM '${this.vm.name}'`,
          resourceGroup: this.vm.resourceGroup,
          vmName: this.vm.name,
        })
        if (mapped instanceof AuthError && attempt === 1) {
          // an expired SAS URL, or a storage account that refuses the identity: a fresh SAS URL, once
          if (blob.via === 'storage-account') this.sasOnly = true
          this.forget()
          continue
        }

        throw mapped ?? (error as Error)
      }
    }
  }

  private async readRange(
    client: BlobClient,
    from: number,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<SerialLogRead> {
    try {
      const response = await client.download(from, maxBytes, {abortSignal: signal})
      const data = await readBody(response.readableStreamBody)
      const total = CONTENT_RANGE_TOTAL.exec(response.contentRange ?? '')?.[1]
      this.missingSince = undefined
      return {
        createdOn: response.createdOn?.getTime() ?? null,
        data,
        etag: response.etag ?? null,
        size: total === undefined ? from + data.length : Number(total),
      }
    } catch (error) {
      // 416: nothing at or after `from` (an empty log, no growth, or a shorter log): ask for the size
      if (!isRestError(error) || error.statusCode !== 416) throw error
      const properties = await client.getProperties({abortSignal: signal})
      this.missingSince = undefined
      return {
        createdOn: properties.createdOn?.getTime() ?? null,
        data: Buffer.alloc(0),
        etag: properties.etag ?? null,
        size: properties.contentLength ?? 0,
      }
    }
  }

  /** The blob to read, opened once and again when its SAS URL is about to expire; null: Azure has none. */
  private async open(signal?: AbortSignal): Promise<OpenBlob | null> {
    const now = this.deps.now()
    if (this.blob && this.blob.via === 'sas' && now - this.blob.openedAt >= SAS_REFRESH_MS) this.forget()
    if (this.blob === null && this.missingSince !== undefined && now - this.missingSince >= MISSING_LOG_RECHECK_MS)
      this.forget()
    if (this.blob !== undefined) return this.blob
    const sources = this.blobs(signal)
      .sources('serial')
      .filter((source) => !this.sasOnly || source.via === 'sas')
    const source = sources[0]
    const url = await source.url()
    if (!url) {
      this.missingSince ??= now
      this.blob = null
      return null
    }

    this.blob = {client: await this.deps.azure.blob(url, source.auth), openedAt: now, via: source.via}
    return this.blob
  }

  private forget(): void {
    this.blob = undefined
    this.missingSince = undefined
  }

  /** A new BootDiagnosticsBlobs asks for new SAS URLs (it keeps one set per instance). */
  private blobs(signal?: AbortSignal): BootDiagnosticsBlobs {
    return new BootDiagnosticsBlobs(this.deps.compute, this.vm, this.deps.azure.credential, signal)
  }
}

/** The serial log of a VM (read now: its boot diagnostics settings), ready for Range reads. */
export async function openSerialLog(
  context: Pick<RunContext, 'azure' | 'clock' | 'signal'>,
  ref: VmRef,
  options: {requireRunning?: boolean} = {},
): Promise<BootDiagnosticsLogReader> {
  const compute = await context.azure.compute(ref.subscriptionId)
  const details = await getVmDetails(compute, ref, context.signal)
  if (options.requireRunning) checkRunning(details)
  return new BootDiagnosticsLogReader(
    {azure: context.azure, compute, now: () => context.clock.now().getTime()},
    details,
  )
}

/** Power states in which no boot is coming: the serial log will not grow until someone starts the VM. */
const NOT_RUNNING = new Set(['deallocated', 'stopped'])

/**
 * `watch` on a VM that is not running would wait out its whole timeout for a boot that is not coming:
 * said at once, with what to do (exit 1).
 */
export function checkRunning(
  vm: Pick<VmDetails, 'name' | 'powerState' | 'resourceGroup' | 'vmss' | 'instanceId'>,
): void {
  if (!NOT_RUNNING.has(vm.powerState)) return
  const named =
    vm.vmss && vm.instanceId !== undefined && vm.name !== vm.instanceId
      ? `--vmss ${vm.vmss} --instance-id ${vm.instanceId} -g ${vm.resourceGroup}`
      : `-n ${vm.name} -g ${vm.resourceGroup}`
  throw new BootdiagError(
    `VM '${vm.name}' is ${vm.powerState}: it is not running, so no boot will show in its serial log. Start it and watch the boot with 'bootdiag vm start ${named} --watch'; 'bootdiag fetch ${named}' keeps the log it has.`,
    {code: 'VmNotRunning'},
  )
}

async function readBody(body: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!body) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
}
