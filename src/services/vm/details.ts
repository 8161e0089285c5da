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
