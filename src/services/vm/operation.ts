/**
 * The guarded VM operations — restart, redeploy, stop, deallocate, start — as the seed advises: keep the
 * evidence first, then act, then watch the VM come back.
 *
 * For each VM:
 * 1. a snapshot is taken (reason `pre-<operation>`); when it cannot be, the operation does not run
 *    unless forced (a log that does not exist yet is not a failure: the snapshot says it is missing);
 * 2. the operation runs as Azure's long-running operation, polled until done (or only until Azure
 *    accepted it);
 * 3. optionally the new boot is watched (only what follows the log as it was in the snapshot), and a
 *    second snapshot (reason `post-<operation>`) keeps what the boot printed.
 * The steps come in as functions (operation-steps.ts builds them from the run's context); nothing here
 * prints or prompts.
 */
import {createReadStream} from 'node:fs'
import {join} from 'node:path'

import type {MissingFile, SnapshotAnalysis, SnapshotScreen} from '../../store/manifest.js'
import type {ComputeApi} from '../../azure/clients.js'
import {toBootdiagErrorFromAzure} from '../../azure/errors.js'
import type {VmRef} from '../../azure/resource-id.js'
import {BootdiagError, ExitCode, UsageError, isAbortError} from '../../errors.js'
import {mapWithConcurrency} from '../../util/concurrency.js'
import type {FetchResult} from '../snapshot/fetch-snapshot.js'
import {type LogBaseline, LogBaselineBuilder, type WatchResult} from '../watch/watch-boot.js'

export const VM_OPERATION_NAMES = ['restart', 'redeploy', 'stop', 'deallocate', 'start'] as const
export type VmOperationName = (typeof VM_OPERATION_NAMES)[number]

export interface VmOperationSpec {
  name: VmOperationName
  /** interrupts a running VM: asks for confirmation (or --yes) */
  destructive: boolean
  /** a boot follows: --watch makes sense */
  boots: boolean
  /** "Restarting", for progress */
  progressive: string
  /** "restarted" */
  past: string
  /** the Azure action, for permission errors */
  permission: string
}

export const VM_OPERATIONS: Readonly<Record<VmOperationName, VmOperationSpec>> = {
  deallocate: {
    boots: false,
    destructive: true,
    name: 'deallocate',
    past: 'deallocated',
    permission: 'Microsoft.Compute/virtualMachines/deallocate/action',
    progressive: 'Deallocating',
  },
  redeploy: {
    boots: true,
    destructive: true,
    name: 'redeploy',
    past: 'redeployed',
    permission: 'Microsoft.Compute/virtualMachines/redeploy/action',
    progressive: 'Redeploying',
  },
  restart: {
    boots: true,
    destructive: true,
    name: 'restart',
    past: 'restarted',
    permission: 'Microsoft.Compute/virtualMachines/restart/action',
    progressive: 'Restarting',
  },
  start: {
    boots: true,
    destructive: false,
    name: 'start',
    past: 'started',
    permission: 'Microsoft.Compute/virtualMachines/start/action',
    progressive: 'Starting',
  },
  stop: {
    boots: false,
    destructive: true,
    name: 'stop',
    past: 'stopped',
    permission: 'Microsoft.Compute/virtualMachines/powerOff/action',
    progressive: 'Stopping',
  },
}

// --- the long-running operation ----------------------------------------------------------------------

export interface OperationOptions {
  /** stop only: power off without a graceful shutdown */
  skipShutdown?: boolean
  /** false: return once Azure accepted the operation (202) */
  wait: boolean
  /** between polls (BOOTDIAG_POLL_INTERVAL_MS); default: Retry-After, else the SDK's 2 s */
  pollIntervalMs?: number
  signal?: AbortSignal
  /** the operation's state after each poll: 'running', 'succeeded', ... */
  onProgress?(status: string): void
}

export type OperationStatus = 'succeeded' | 'accepted'

/** Run one operation on one VM (or scale-set instance) through the SDK's poller. */
export async function runVmOperation(
  compute: ComputeApi,
  ref: VmRef,
  operation: VmOperationName,
  options: OperationOptions,
): Promise<OperationStatus> {
  const spec = VM_OPERATIONS[operation]
  const poller = beginOperation(compute, ref, operation, {
    abortSignal: options.signal,
    updateIntervalInMs: options.pollIntervalMs,
    ...(operation === 'stop' && options.skipShutdown ? {skipShutdown: true} : {}),
  })
  const stopProgress = poller.onProgress((state) => options.onProgress?.(state.status))
  try {
    if (!options.wait) {
      await poller.submitted()
      return 'accepted'
    }

    await poller.pollUntilDone({abortSignal: options.signal})
    return 'succeeded'
  } catch (error) {
    if (isAbortError(error) || options.signal?.aborted) throw error
    throw operationError(error, ref, spec)
  } finally {
    stopProgress()
  }
}

/** The SDK's poller of a power action (core-lro's PollerLike). */
type Poller = ReturnType<ComputeApi['virtualMachines']['restart']>
interface PollerOptions {
  abortSignal?: AbortSignal
  updateIntervalInMs?: number
  skipShutdown?: boolean
}

/** Each operation on a VM, through the compute client (stop is Azure's powerOff). */
const ON_VM: Record<
  VmOperationName,
  (vms: ComputeApi['virtualMachines'], rg: string, name: string, options: PollerOptions) => Poller
> = {
  deallocate: (vms, rg, name, options) => vms.deallocate(rg, name, options),
  redeploy: (vms, rg, name, options) => vms.redeploy(rg, name, options),
  restart: (vms, rg, name, options) => vms.restart(rg, name, options),
  start: (vms, rg, name, options) => vms.start(rg, name, options),
  stop: (vms, rg, name, options) => vms.powerOff(rg, name, options),
}

/** The same on a Uniform scale set's instance. */
const ON_SCALE_SET_VM: Record<
  VmOperationName,
  (
    vms: ComputeApi['virtualMachineScaleSetVMs'],
    rg: string,
    scaleSet: string,
    instanceId: string,
    options: PollerOptions,
  ) => Poller
> = {
  deallocate: (vms, rg, scaleSet, id, options) => vms.deallocate(rg, scaleSet, id, options),
  redeploy: (vms, rg, scaleSet, id, options) => vms.redeploy(rg, scaleSet, id, options),
  restart: (vms, rg, scaleSet, id, options) => vms.restart(rg, scaleSet, id, options),
  start: (vms, rg, scaleSet, id, options) => vms.start(rg, scaleSet, id, options),
  stop: (vms, rg, scaleSet, id, options) => vms.powerOff(rg, scaleSet, id, options),
}

function beginOperation(compute: ComputeApi, ref: VmRef, operation: VmOperationName, options: PollerOptions): Poller {
  if (ref.vmss)
    return ON_SCALE_SET_VM[operation](
      compute.virtualMachineScaleSetVMs,
      ref.resourceGroup,
      ref.vmss.name,
      ref.vmss.instanceId,
      options,
    )
  return ON_VM[operation](compute.virtualMachines, ref.resourceGroup, ref.name, options)
}

/** How a VM is named in messages: its name, or scale set/instance. */
export function vmLabel(ref: VmRef): string {
  return ref.vmss ? `${ref.vmss.name}/${ref.vmss.instanceId}` : ref.name
}

function operationError(error: unknown, ref: VmRef, spec: VmOperationSpec): BootdiagError {
  const vmName = vmLabel(ref)
  const mapped = toBootdiagErrorFromAzure(error, {
    action: `${spec.name} VM '${vmName}'`,
    permission: spec.permission,
    resourceGroup: ref.resourceGroup,
    subscriptionId: ref.subscriptionId,
    vmName,
  })
  if (mapped && mapped.code !== 'Unexpected') return mapped
  // a long-running operation that ended as Failed: the poller throws a plain Error with Azure's message
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
  return new BootdiagError(
    `The ${spec.name} of VM '${vmName}' failed in Azure: ${message}. Look at the VM's activity log in the portal, then try again.`,
    {cause: error, code: 'OperationFailed'},
  )
}

// --- the guard around it -----------------------------------------------------------------------------

export interface GuardedOperationRequest {
  ref: VmRef
  operation: VmOperationName
  /** false: --skip-snapshot */
  snapshotFirst: boolean
  /** run even when the snapshot failed */
  force: boolean
  /** follow the new boot after the operation, then snapshot again */
  watch: boolean
}

export interface GuardedOperationSteps {
  takeSnapshot(ref: VmRef, reason: string): Promise<FetchResult>
  operate(ref: VmRef): Promise<OperationStatus>
  /** the log as it is now, when no snapshot holds it (for --watch) */
  captureBaseline(ref: VmRef): Promise<LogBaseline>
  watch(ref: VmRef, baseline: LogBaseline): Promise<WatchResult>
  /** progress for the person at the terminal */
  notify(event: OperationEvent): void
  /** any failure as a one-line BootdiagError (an interrupted run: code 'Interrupted') */
  describeError(error: unknown): BootdiagError
}

export type OperationEvent =
  | {kind: 'snapshot'; ref: VmRef; operation: VmOperationName; when: 'pre' | 'post'; snapshot: SnapshotSummary}
  | {kind: 'snapshot-failed'; ref: VmRef; when: 'pre' | 'post'; error: BootdiagError; goingOn: boolean}
  | {kind: 'operation-started'; ref: VmRef; operation: VmOperationName}
  | {kind: 'operation-done'; ref: VmRef; operation: VmOperationName; status: OperationStatus}

export interface SnapshotSummary {
  path: string
  reason: string
  /** the VM's verdict from both witnesses (serial log and screenshot), as the snapshot recorded it */
  verdict: {
    outcome: string
    lastStage: string | null
    summary: string
    signature?: string | null
    decidedBy?: SnapshotAnalysis['decidedBy']
  } | null
  /** what the screenshot showed (kind, state, codes, …), when it was read */
  screen?: SnapshotScreen
  missing: MissingFile[]
}

/** One VM's result, as printed (and as JSON). */
export interface OperationReport {
  vm: {name: string; resourceGroup: string; subscriptionId: string; vmss?: string; instanceId?: string}
  operation: VmOperationName
  /** not-run: no snapshot could be taken, so the operation did not start */
  status: OperationStatus | 'failed' | 'not-run'
  preSnapshot: SnapshotSummary | null
  watch: WatchResult | null
  postSnapshot: SnapshotSummary | null
  /** what went wrong: the snapshot (not-run), the operation (failed), or the watch after it */
  error: {code: string; message: string} | null
}

export interface GuardedOutcome {
  report: OperationReport
  /** set when `report.error` is: the error itself, with its exit code */
  failure?: BootdiagError
}

/**
 * Snapshot, operate, watch, snapshot: one VM. A failure is reported in the outcome (with what was done
 * before it, e.g. the snapshot's path); only an interrupted run (Ctrl-C) throws.
 */
export async function guardedOperation(
  deps: GuardedOperationSteps,
  request: GuardedOperationRequest,
): Promise<GuardedOutcome> {
  const {operation, ref} = request
  const report: OperationReport = {
    error: null,
    operation,
    postSnapshot: null,
    preSnapshot: null,
    status: 'not-run',
    vm: reportVm(ref),
    watch: null,
  }
  const fail = (error: unknown, refusal?: BootdiagError): GuardedOutcome => {
    const failure = refusal ?? deps.describeError(error)
    if (failure.code === 'Interrupted') throw failure
    report.error = {code: failure.code, message: failure.message}
    return {failure, report}
  }

  let pre: FetchResult | undefined
  if (request.snapshotFirst) {
    try {
      pre = await deps.takeSnapshot(ref, `pre-${operation}`)
      report.preSnapshot = summaryOf(pre, `pre-${operation}`)
      deps.notify({kind: 'snapshot', operation, ref, snapshot: report.preSnapshot, when: 'pre'})
    } catch (error) {
      const cause = deps.describeError(error)
      const refusal = snapshotRefusal(cause, ref, operation, request.force)
      // A usage error (e.g. --archive that is not an archive) is fixed by the caller; --force does not skip it.
      if (!request.force || cause.exitCode === ExitCode.usage) return fail(error, refusal)
      deps.notify({error: refusal, goingOn: true, kind: 'snapshot-failed', ref, when: 'pre'})
    }
  }

  let baseline: LogBaseline | undefined
  let started = false
  try {
    baseline = request.watch ? await baselineFor(deps, ref, pre) : undefined
    deps.notify({kind: 'operation-started', operation, ref})
    started = true
    report.status = await deps.operate(ref)
    deps.notify({kind: 'operation-done', operation, ref, status: report.status})
  } catch (error) {
    report.status = started ? 'failed' : 'not-run'
    return fail(error)
  }

  if (!baseline) return {report}
  try {
    report.watch = await deps.watch(ref, baseline)
  } catch (error) {
    return fail(error)
  }

  try {
    const post = await deps.takeSnapshot(ref, `post-${operation}`)
    report.postSnapshot = summaryOf(post, `post-${operation}`)
    deps.notify({kind: 'snapshot', operation, ref, snapshot: report.postSnapshot, when: 'post'})
  } catch (error) {
    const failure = deps.describeError(error)
    if (failure.code === 'Interrupted') throw failure
    deps.notify({error: failure, goingOn: false, kind: 'snapshot-failed', ref, when: 'post'})
  }

  return {report}
}

/** VMs operated on at once when several are named. */
export const OPERATION_CONCURRENCY = 4

/** Several VMs, at most OPERATION_CONCURRENCY at a time; each one's outcome in the order given. */
export async function guardedOperations(
  steps: GuardedOperationSteps,
  refs: VmRef[],
  request: Omit<GuardedOperationRequest, 'ref'>,
): Promise<GuardedOutcome[]> {
  return mapWithConcurrency(refs, OPERATION_CONCURRENCY, (ref) => guardedOperation(steps, {...request, ref}))
}

/** Which operations allow --watch, and why the others do not. */
export function checkWatchable(
  operation: VmOperationName,
  options: {watch: boolean; wait: boolean; targets: number},
): void {
  if (!options.watch) return
  if (!VM_OPERATIONS[operation].boots)
    throw new UsageError(
      `--watch follows a boot, and nothing boots after '${operation}': watch the next 'bootdiag vm start --watch' instead.`,
    )
  if (!options.wait)
    throw new UsageError('--watch and --no-wait exclude each other: the watch starts when the operation is done.')
  if (options.targets > 1)
    throw new UsageError(
      `--watch follows one VM; ${options.targets} were named. Run one command per VM, or use 'bootdiag watch' for each afterwards.`,
    )
}

function snapshotRefusal(cause: BootdiagError, ref: VmRef, operation: VmOperationName, forced: boolean): BootdiagError {
  const reason = cause.message.replace(/\.$/, '')
  const vm = `VM '${vmLabel(ref)}'`
  if (cause.exitCode === ExitCode.usage)
    return new BootdiagError(`Did not ${operation} ${vm}: ${reason}.`, {
      cause,
      code: 'SnapshotFailed',
      exitCode: cause.exitCode,
    })
  const message = forced
    ? `No snapshot of ${vm} could be taken (${reason}); going on with the ${operation} because of --force: the serial log may be lost.`
    : `Did not ${operation} ${vm}: no snapshot could be taken first (${reason}). Fix that and run again, or pass --force to ${operation} without one (the serial log may be lost), or --skip-snapshot.`
  return new BootdiagError(message, {cause, code: 'SnapshotFailed', exitCode: cause.exitCode})
}

async function baselineFor(
  deps: GuardedOperationSteps,
  ref: VmRef,
  pre: FetchResult | undefined,
): Promise<LogBaseline> {
  if (!pre) return deps.captureBaseline(ref)
  const info = pre.files['serial.log']
  if (!info) return {bytes: 0, etag: null, newlines: 0, tail: Buffer.alloc(0)}
  // localFolder: the snapshot's folder, or the local copy of a snapshot kept in a Blob container
  const builder = new LogBaselineBuilder()
  for await (const chunk of createReadStream(join(pre.localFolder, 'serial.log'))) builder.add(chunk as Buffer)
  return builder.baseline(info.etag, null)
}

function summaryOf(result: FetchResult, reason: string): SnapshotSummary {
  const analysis = result.analysis
  const verdict = analysis
    ? {
        lastStage: analysis.lastStage,
        outcome: analysis.outcome,
        summary: analysis.summary,
        ...(analysis.signature === undefined ? {} : {signature: analysis.signature}),
        ...(analysis.decidedBy ? {decidedBy: analysis.decidedBy} : {}),
      }
    : null
  return {
    missing: result.missing,
    path: result.snapshot,
    reason,
    verdict,
    ...(analysis?.screen ? {screen: analysis.screen} : {}),
  }
}

function reportVm(ref: VmRef): OperationReport['vm'] {
  return {
    name: ref.name,
    resourceGroup: ref.resourceGroup,
    subscriptionId: ref.subscriptionId,
    ...(ref.vmss ? {instanceId: ref.vmss.instanceId, vmss: ref.vmss.name} : {}),
  }
}
