/**
 * One VM, read with its instance view in a single call: identity, power state, boot diagnostics
 * settings, and (for custom storage) the blob URLs the instance view carries.
 */
import type {ComputeApi} from '../../azure/clients.js'
import {toBootdiagErrorFromAzure} from '../../azure/errors.js'
import type {VmRef} from '../../azure/resource-id.js'
import {type VmSummary, powerStateOf, summaryOfScaleSetVm, summaryOfVm} from './inventory.js'

export interface VmDetails extends VmSummary {
  subscriptionId: string
  /** Azure's unique id of the VM (stable across redeploys), or null */
  vmId: string | null
  /** custom storage only: the unsigned blob URLs from the instance view */
  instanceViewBlobs: {serial: string | null; screenshot: string | null}
  ref: VmRef
}

export async function getVmDetails(compute: ComputeApi, ref: VmRef, signal?: AbortSignal): Promise<VmDetails> {
  const context = {
    action: `read VM '${ref.name}'`,
    resourceGroup: ref.resourceGroup,
    subscriptionId: ref.subscriptionId,
    vmName: ref.vmss ? `${ref.vmss.name}/${ref.vmss.instanceId}` : ref.name,
  }
  try {
    const {summary, vm} = ref.vmss
      ? await readScaleSetInstance(compute, ref, ref.vmss, signal)
      : await readVm(compute, ref, signal)
    const blobs = vm.instanceView?.bootDiagnostics
    return {
      ...summary,
      instanceViewBlobs: {
        screenshot: blobs?.consoleScreenshotBlobUri ?? null,
        serial: blobs?.serialConsoleLogBlobUri ?? null,
      },
      ref: {...ref, name: summary.name},
      subscriptionId: ref.subscriptionId,
      vmId: vm.vmId ?? null,
    }
  } catch (error) {
    throw toBootdiagErrorFromAzure(error, context) ?? error
  }
}

interface VmRead {
  summary: VmSummary
  vm: {
    vmId?: string
    instanceView?: {bootDiagnostics?: {consoleScreenshotBlobUri?: string; serialConsoleLogBlobUri?: string}}
  }
}

async function readVm(compute: ComputeApi, ref: VmRef, signal?: AbortSignal): Promise<VmRead> {
  const vm = await compute.virtualMachines.get(ref.resourceGroup, ref.name, {
    abortSignal: signal,
    expand: 'instanceView',
  })
  return {summary: summaryOfVm(vm, powerStateOf(vm.instanceView?.statuses)), vm}
}

/** A Uniform scale-set instance; its boot diagnostics settings may live on the scale set's model only. */
async function readScaleSetInstance(
  compute: ComputeApi,
  ref: VmRef,
  vmss: {name: string; instanceId: string},
  signal?: AbortSignal,
): Promise<VmRead> {
  const [vm, set] = await Promise.all([
    compute.virtualMachineScaleSetVMs.get(ref.resourceGroup, vmss.name, vmss.instanceId, {
      abortSignal: signal,
      expand: 'instanceView',
    }),
    compute.virtualMachineScaleSets.get(ref.resourceGroup, vmss.name, {abortSignal: signal}),
  ])
  return {summary: summaryOfScaleSetVm(vm, set, set.virtualMachineProfile?.diagnosticsProfile), vm}
}

/** `web-ss_0`: how Azure names a Uniform scale-set instance (and `vm list` prints it). */
const INSTANCE_NAME = /^(.+)_(\d+)$/

/**
 * `-n web-ss_0 -g RG`: the name `vm list` prints for a Uniform scale-set instance, accepted back. A VM may
 * have such a name too, so the VM is asked for first (one GET); when there is none, the scale set's
 * instance. Any other name, or a ref that is already an instance, is returned as it is.
 */
export async function resolveInstanceName(compute: ComputeApi, ref: VmRef, signal?: AbortSignal): Promise<VmRef> {
  const match = ref.vmss ? null : INSTANCE_NAME.exec(ref.name)
  if (!match) return ref
  try {
    await compute.virtualMachines.get(ref.resourceGroup, ref.name, {abortSignal: signal})
    return ref
  } catch (error) {
    if ((error as {statusCode?: number}).statusCode !== 404) return ref
  }

  const [, scaleSet, instanceId] = match
  try {
    await compute.virtualMachineScaleSetVMs.get(ref.resourceGroup, scaleSet, instanceId, {abortSignal: signal})
    return {...ref, vmss: {instanceId, name: scaleSet}}
  } catch {
    return ref // not an instance either: the VM's own "not found" says so
  }
}
