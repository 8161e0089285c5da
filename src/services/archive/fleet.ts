/**
 * `bootdiag archive`: keep every VM's boot log before anyone can lose it, run from cron, a systemd timer
 * or a Kubernetes CronJob. One run:
 *   take the archive lock (or the shard's) → list the targets (paged lists or one Resource Graph query,
 *   then the shard) → archive each VM incrementally (archive-vm.ts), at most `concurrency` at a time; a VM
 *   that fails (after the SDKs' own retries) is reported and the others go on → apply retention
 *   (--keep-days) → release the lock → a summary: per VM new / unchanged / failed and bytes.
 */
import type {TokenCredential} from '@azure/core-auth'
import type {BlobClient} from '@azure/storage-blob'

import type {HeldLock, LockHolder} from '../../store/lock.js'
import type {SnapshotManifest} from '../../store/manifest.js'
import {type RetentionReport, applyRetention, vmKey} from '../../store/retention.js'
import type {ArchiveStore} from '../../store/store.js'
import type {BlobAuth, ComputeApi} from '../../azure/clients.js'
import {toBootdiagErrorFromAzure} from '../../azure/errors.js'
import {BootdiagError, isAbortError} from '../../errors.js'
import {mapWithConcurrency} from '../../util/concurrency.js'
import {type ArchiveTarget, type ResourceGraphApi, type Shard, listArchiveTargets} from './targets.js'
import {type LogChange, type ScreenshotChange, archiveVm} from './archive-vm.js'

export const DEFAULT_CONCURRENCY = 16

export interface FleetDependencies {
  store: ArchiveStore
  compute(subscriptionId: string): Promise<ComputeApi>
  resourceGraph?(): Promise<ResourceGraphApi>
  credential: TokenCredential
  blobClient(url: string, auth: BlobAuth): Promise<BlobClient>
  analyze?: (serialLogPath: string) => Promise<SnapshotManifest['analysis'] | undefined>
  toolVersion: string
  now?(): Date
  signal?: AbortSignal
  /** a note for the person at the terminal (stderr) */
  note(message: string): void
  /** a warning (stderr) */
  warn(message: string): void
  /** called after each VM */
  onProgress?(progress: FleetProgress): void
  /** called once the targets are known */
  onTargets?(count: number): void
}

export interface FleetOptions {
  /** the subscriptions to list, resolved once the lock is held (so a locked run stops before any request) */
  resolveSubscriptions(): Promise<string[]>
  resourceGroup?: string
  includeVmss?: boolean
  shard?: Shard
  /** list with Resource Graph even for one subscription */
  resourceGraph?: boolean
  concurrency?: number
  keepDays?: number
  /** wait for the lock instead of failing with exit 6 */
  wait?: boolean
}

export interface FleetProgress {
  done: number
  total: number
  new: number
  unchanged: number
  failed: number
  bytesDownloaded: number
}

/** One VM's line of the summary. */
export interface VmArchiveResult {
  name: string
  resourceGroup: string
  subscriptionId: string
  id: string
  vmss?: string
  instanceId?: string
  result: 'failed' | 'new' | 'unchanged'
  serialLog?: LogChange
  screenshot?: ScreenshotChange
  /** body bytes downloaded from boot diagnostics storage */
  bytesDownloaded: number
  logBytesDownloaded: number
  /** the new snapshot's location */
  snapshot?: string
  /** the analyser's outcome for a new snapshot's serial log */
  verdict?: string
  error?: {code: string; message: string}
}

export interface ArchiveSummary {
  /** the archive: a folder or a container URL */
  archive: string
  startedAt: string
  durationMs: number
  listedWith: 'compute' | 'resource-graph'
  subscriptions: string[]
  shard?: Shard
  /** VMs with boot diagnostics in the listed scope, before the shard filter */
  fleetSize: number
  totals: {
    vms: number
    new: number
    unchanged: number
    failed: number
    bytesDownloaded: number
    logBytesDownloaded: number
  }
  retention?: RetentionReport
  vms: VmArchiveResult[]
}

export async function archiveFleet(deps: FleetDependencies, options: FleetOptions): Promise<ArchiveSummary> {
  const now = deps.now ?? (() => new Date())
  const started = now()
  const lock: HeldLock = await deps.store.lock({
    onLost: (message) => deps.warn(message),
    onTakeover: (holder) =>
      deps.note(`Took over the archive lock left by a run that is gone${describeHolder(holder)}.`),
    onWait: (holder) => deps.note(`Waiting for the archive lock on ${deps.store.location}${describeHolder(holder)}…`),
    shard: options.shard,
    signal: deps.signal,
    wait: options.wait,
  })
  try {
    const subscriptions = await options.resolveSubscriptions()
    const listing = await listArchiveTargets(
      {compute: deps.compute, note: deps.note, resourceGraph: deps.resourceGraph},
      {
        includeVmss: options.includeVmss,
        resourceGraph: options.resourceGraph,
        resourceGroup: options.resourceGroup,
        shard: options.shard,
        signal: deps.signal,
        subscriptions,
      },
    )
    deps.onTargets?.(listing.targets.length)
    const progress: FleetProgress = {
      bytesDownloaded: 0,
      done: 0,
      failed: 0,
      new: 0,
      total: listing.targets.length,
      unchanged: 0,
    }
    // The snapshot each VM's state builds on: retention keeps it, whatever its age.
    const keepByVm = new Map<string, string[]>()
    const results = await mapWithConcurrency(
      listing.targets,
      options.concurrency ?? DEFAULT_CONCURRENCY,
      async (target) => {
        const {baseline, result} = await archiveOne(deps, target, now)
        if (baseline) keepByVm.set(vmKey(target), [baseline])
        progress.done++
        progress[result.result]++
        progress.bytesDownloaded += result.bytesDownloaded
        deps.onProgress?.({...progress})
        return result
      },
    )

    let retention: RetentionReport | undefined
    if (options.keepDays !== undefined) {
      retention = await applyRetention(deps.store, {
        keepByVm,
        keepDays: options.keepDays,
        now: now(),
        signal: deps.signal,
        // A shard prunes only its own VMs; a whole-archive run prunes every VM, even ones gone from Azure.
        vms: options.shard ? listing.targets : undefined,
      })
      for (const failure of retention.failures) deps.warn(`Retention: ${failure}`)
    }

    const sum = (pick: (r: VmArchiveResult) => number) => results.reduce((total, r) => total + pick(r), 0)
    return {
      archive: deps.store.location,
      durationMs: now().getTime() - started.getTime(),
      fleetSize: listing.fleetSize,
      listedWith: listing.listedWith,
      startedAt: started.toISOString(),
      subscriptions,
      totals: {
        bytesDownloaded: sum((r) => r.bytesDownloaded),
        failed: results.filter((r) => r.result === 'failed').length,
        logBytesDownloaded: sum((r) => r.logBytesDownloaded),
        new: results.filter((r) => r.result === 'new').length,
        unchanged: results.filter((r) => r.result === 'unchanged').length,
        vms: results.length,
      },
      vms: results,
      ...(options.shard ? {shard: options.shard} : {}),
      ...(retention ? {retention} : {}),
    }
  } finally {
    await lock.release()
  }
}

function describeHolder(holder: LockHolder | undefined): string {
  return holder ? `, held by pid ${holder.pid} on ${holder.host} since ${holder.since}` : ''
}

/** One VM, never throwing but for an interruption: a failure is this VM's result. */
async function archiveOne(
  deps: FleetDependencies,
  target: ArchiveTarget,
  now: () => Date,
): Promise<{result: VmArchiveResult; baseline?: string}> {
  const identity = {
    id: target.id,
    name: target.name,
    resourceGroup: target.resourceGroup,
    subscriptionId: target.subscriptionId,
    ...(target.vmss ? {instanceId: target.instanceId, vmss: target.vmss} : {}),
  }
  try {
    const outcome = await archiveVm(
      {
        analyze: deps.analyze,
        blobClient: deps.blobClient,
        compute: await deps.compute(target.subscriptionId),
        credential: deps.credential,
        now,
        signal: deps.signal,
        store: deps.store,
        toolVersion: deps.toolVersion,
        warn: deps.warn,
      },
      target,
    )
    const result: VmArchiveResult = {
      ...identity,
      bytesDownloaded: outcome.bytesDownloaded,
      logBytesDownloaded: outcome.logBytesDownloaded,
      result: outcome.result,
      screenshot: outcome.screenshot,
      serialLog: outcome.serialLog,
      ...(outcome.snapshot ? {snapshot: outcome.snapshot} : {}),
      ...(outcome.analysis ? {verdict: outcome.analysis.outcome} : {}),
    }
    return {baseline: outcome.baseline, result}
  } catch (error) {
    // Ctrl-C, and an archive that cannot be written (full, read-only), stop the run: not one VM's failure.
    if (deps.signal?.aborted || isAbortError(error) || isArchiveWriteFailure(error)) throw error
    const mapped =
      toBootdiagErrorFromAzure(error, {
        action: `archive the boot diagnostics of VM '${target.name}'`,
        resourceGroup: target.resourceGroup,
        subscriptionId: target.subscriptionId,
        vmName: target.name,
      }) ??
      new BootdiagError(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
        cause: error,
        code: (error as {code?: string})?.code ?? 'Unexpected',
      })
    return {
      result: {
        ...identity,
        bytesDownloaded: 0,
        error: {code: mapped.code, message: mapped.message.replaceAll(/\s*\n\s*/g, ' ')},
        logBytesDownloaded: 0,
        result: 'failed',
      },
    }
  }
}

/** The archive folder cannot take more (disk full, quota, size limit) or refuses writes: every VM would fail alike. */
function isArchiveWriteFailure(error: unknown): boolean {
  const {code, path, syscall} = (error ?? {}) as NodeJS.ErrnoException
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'EROFS') return true
  return (code === 'EACCES' || code === 'EPERM') && (path !== undefined || syscall === 'write')
}
