/**
 * `bootdiag archive`: keep every VM's boot log before anyone can lose it, run from cron, a systemd timer
 * or a Kubernetes CronJob. One run:
 *   take the archive lock (or the shard's) → list the targets (paged lists or one Resource Graph query,
 *   then the shard) → archive each VM incrementally (archive-vm.ts), at most `concurrency` at a time; a VM
 *   that fails (after the SDKs' own retries) is reported and the others go on → apply retention
 *   (--keep-days) → release the lock → a summary: per VM new / unchanged / failed and bytes.
 */
import type {HeldLock, LockHolder} from '../../store/lock.js'
import {type RetentionReport, applyRetention, vmKey} from '../../store/retention.js'
import type {RunContext} from '../../context/run-context.js'
import {toBootdiagErrorFromAzure} from '../../azure/errors.js'
import {BootdiagError, NotFoundError, fileSystemError, isAbortError, isWriteFailure} from '../../errors.js'
import {mapWithConcurrency} from '../../util/concurrency.js'
import {type ArchiveTarget, type ListingFailure, type Shard, fleetEntries, listArchiveTargets} from './targets.js'
import {type LogChange, type PreviousVerdict, type ScreenshotChange, archiveVm} from './archive-vm.js'
import type {SnapshotManifest} from '../../store/manifest.js'
import {type ScreenReader, fleetScreenWorkers, screenReaderFor} from '../witness/screen-reader.js'

export const DEFAULT_CONCURRENCY = 16

/** An archive run uses all of the run's context. */
export type FleetContext = Pick<
  RunContext,
  'azure' | 'clock' | 'events' | 'settings' | 'signal' | 'store' | 'toolVersion'
>

/** What the terminal shows while the run goes (a progress bar). */
export interface FleetObserver {
  /** called once the targets are known */
  onTargets?(count: number): void
  /** called after each VM */
  onProgress?(progress: FleetProgress): void
}

export interface FleetOptions {
  /**
   * The subscriptions to archive: IDs or names (resolved once the lock is held, so a locked run stops
   * before any request); 'all' for every enabled one; none for the run's default subscription.
   */
  subscriptions?: string[] | 'all'
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
  /** `Linux` / `Windows`, when the listing said */
  osType?: string
  result: 'failed' | 'new' | 'unchanged'
  serialLog?: LogChange
  screenshot?: ScreenshotChange
  /** body bytes downloaded from boot diagnostics storage */
  bytesDownloaded: number
  logBytesDownloaded: number
  /** the new snapshot's location */
  snapshot?: string
  /**
   * the verdict's outcome, from both witnesses (the serial log and the screenshot): of a new snapshot, or —
   * the VM unchanged — of the snapshot that still holds its files (then `verdictFrom` names that snapshot)
   */
  verdict?: string
  /**
   * that verdict in full, as in the snapshot's snapshot.json: outcome, last stage, summary, failure
   * signature, which witness decided, and each witness's part (the log's verdict, the screen's reading)
   */
  analysis?: NonNullable<SnapshotManifest['analysis']>
  /**
   * A new snapshot only: the verdict of the snapshot it follows (null: the VM's first snapshot) — what
   * `--notify` compares the new verdict with
   */
  previousVerdict?: PreviousVerdict | null
  /** unchanged VMs: the snapshot (folder name) the verdict is carried from */
  verdictFrom?: string
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
  /** parts of the fleet that could not be listed (after the SDK's retries); the VMs listed were archived */
  listingFailures?: ListingFailure[]
  vms: VmArchiveResult[]
}

export async function archiveFleet(
  context: FleetContext,
  options: FleetOptions,
  observer: FleetObserver = {},
): Promise<ArchiveSummary> {
  const {events, signal} = context
  const now = () => context.clock.now()
  const started = now()
  const store = await context.store()
  const lock: HeldLock = await store.lock({
    onLost: (message) => events.warn(message),
    onTakeover: (holder) =>
      events.note(`Took over the archive lock left by a run that is gone${describeHolder(holder)}.`),
    onWait: (holder) => events.note(`Waiting for the archive lock on ${store.location}${describeHolder(holder)}…`),
    shard: options.shard,
    signal,
    wait: options.wait,
  })
  // One screen reader for the run: new screenshots are read by a bounded pool of worker threads, with one
  // OCR engine for all of them.
  const screens = screenReaderFor(context.settings, {workers: fleetScreenWorkers()})
  try {
    const subscriptions = await subscriptionsToArchive(context, options.subscriptions)
    const listing = await listArchiveTargets(context, {
      includeVmss: options.includeVmss,
      resourceGraph: options.resourceGraph,
      resourceGroup: options.resourceGroup,
      shard: options.shard,
      subscriptions,
    })
    observer.onTargets?.(listing.targets.length)
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
        const {baseline, result} = await archiveOne(context, target, screens)
        if (baseline) keepByVm.set(vmKey(target), [baseline])
        progress.done++
        progress[result.result]++
        progress.bytesDownloaded += result.bytesDownloaded
        observer.onProgress?.({...progress})
        return result
      },
    )

    let retention: RetentionReport | undefined
    if (options.keepDays !== undefined) {
      retention = await applyRetention(store, {
        keepByVm,
        keepDays: options.keepDays,
        now: now(),
        signal,
        // A shard prunes only its own VMs; a whole-archive run prunes every VM, even ones gone from Azure.
        vms: options.shard ? listing.targets : undefined,
      })
      for (const failure of retention.failures) events.warn(`Retention: ${failure}`)
    }

    // The index learns the fleet as listed: VMs with boot diagnostics off are kept as `disabled`, not failures.
    await store.index.writer.recordFleet(fleetEntries(listing, started), {
      includeVmss: options.includeVmss === true,
      resourceGroup: options.resourceGroup,
      subscriptions,
    })

    const sum = (pick: (r: VmArchiveResult) => number) => results.reduce((total, r) => total + pick(r), 0)
    return {
      archive: store.location,
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
      ...(listing.failures.length > 0 ? {listingFailures: listing.failures} : {}),
      ...(options.shard ? {shard: options.shard} : {}),
      ...(retention ? {retention} : {}),
    }
  } finally {
    await screens.close()
    await lock.release()
  }
}

function describeHolder(holder: LockHolder | undefined): string {
  return holder ? `, held by pid ${holder.pid} on ${holder.host} since ${holder.since}` : ''
}

/** One VM, never throwing but for an interruption: a failure is this VM's result. */
async function archiveOne(
  context: FleetContext,
  target: ArchiveTarget,
  screens: ScreenReader,
): Promise<{result: VmArchiveResult; baseline?: string}> {
  const identity = {
    id: target.id,
    name: target.name,
    resourceGroup: target.resourceGroup,
    subscriptionId: target.subscriptionId,
    ...(target.vmss ? {instanceId: target.instanceId, vmss: target.vmss} : {}),
    ...(target.osType ? {osType: target.osType} : {}),
  }
  try {
    const outcome = await archiveVm(context, target, {screens})
    const result: VmArchiveResult = {
      ...identity,
      bytesDownloaded: outcome.bytesDownloaded,
      logBytesDownloaded: outcome.logBytesDownloaded,
      result: outcome.result,
      screenshot: outcome.screenshot,
      serialLog: outcome.serialLog,
      ...(outcome.snapshot ? {snapshot: outcome.snapshot} : {}),
      ...(outcome.analysis ? {analysis: outcome.analysis, verdict: outcome.analysis.outcome} : {}),
      ...(outcome.previousVerdict === undefined ? {} : {previousVerdict: outcome.previousVerdict}),
      ...(!outcome.analysis && outcome.lastAnalysis
        ? {verdict: outcome.lastAnalysis.outcome, verdictFrom: outcome.lastAnalysis.snapshot}
        : {}),
    }
    return {baseline: outcome.baseline, result}
  } catch (error) {
    // Ctrl-C, and an archive that cannot be written (full, read-only), stop the run: not one VM's failure.
    if (context.signal.aborted || isAbortError(error) || isWriteFailure(error)) throw error
    const mapped =
      toBootdiagErrorFromAzure(error, {
        action: `archive the boot diagnostics of VM '${target.name}'`,
        resourceGroup: target.resourceGroup,
        subscriptionId: target.subscriptionId,
        vmName: target.name,
      }) ??
      fileSystemError(error) ??
      new BootdiagError(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
        cause: error,
        code: 'Unexpected',
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

/** --all-subscriptions, the --subscription values (IDs or names), or the run's default subscription. */
async function subscriptionsToArchive(
  context: Pick<RunContext, 'azure'>,
  wanted: FleetOptions['subscriptions'],
): Promise<string[]> {
  const {azure} = context
  if (wanted === 'all') {
    const enabled: string[] = []
    for await (const s of azure.listSubscriptions())
      if (!s.state || s.state === 'Enabled' || s.state === 'Warned') enabled.push(s.subscriptionId.toLowerCase())
    if (enabled.length === 0)
      throw new NotFoundError(
        'No enabled subscription is visible to this identity. Check the account and cloud (--cloud), or pass --subscription.',
        {code: 'NoSubscription'},
      )
    return [...new Set(enabled)]
  }

  if (!wanted || wanted.length === 0) return [await azure.subscriptionId()]
  const resolved = await Promise.all(wanted.map((name) => azure.resolveSubscription(name)))
  return [...new Set(resolved.map((s) => s.subscriptionId.toLowerCase()))]
}
