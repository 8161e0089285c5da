/**
 * One VM, read with its instance view in a single call: identity, power state, boot diagnostics
 * settings, and (for custom storage) the blob URLs the instance view carries.
 */
import type {ComputeApi} from '../azure/clients.js'
import {toBootdiagErrorFromAzure} from '../azure/errors.js'
import type {VmRef} from '../azure/resource-id.js'
import {type VmSummary, powerStateOf, summaryOfScaleSetVm, summaryOfVm} from './vm-inventory.js'

export interface VmDetails extends VmSummary {
  subscriptionId: string
  /** Azure's unique id of the VM (stable across redeploys), or null */
  vmId: string | null
  /** custom storage only: the unsigned blob URLs from the instance view */
  instanceViewBlobs: {serial: string | null; screenshot: string | null}
  ref: VmRef
}

export async function getVmDetails(compute: ComputeApi, ref: VmRef, signal?: AbortSignal): Promise<VmDetails> {
  const context = {action: `read VM '${ref.name}'`, resourceGroup: ref.resourceGroup, subscriptionId: ref.subscriptionId, vmName: ref.vmss ? `${ref.vmss.name}/${ref.vmss.instanceId}` : ref.name}
  try {
    if (ref.vmss) {
      const [vm, set] = await Promise.all([
        compute.virtualMachineScaleSetVMs.get(ref.resourceGroup, ref.vmss.name, ref.vmss.instanceId, {abortSignal: signal, expand: 'instanceView'}),
        compute.virtualMachineScaleSets.get(ref.resourceGroup, ref.vmss.name, {abortSignal: signal}),
      ])
      const summary = summaryOfScaleSetVm(vm, set, set.virtualMachineProfile?.diagnosticsProfile)
      const blobs = vm.instanceView?.bootDiagnostics
      return {
        ...summary,
        instanceViewBlobs: {screenshot: blobs?.consoleScreenshotBlobUri ?? null, serial: blobs?.serialConsoleLogBlobUri ?? null},
        ref: {...ref, name: summary.name},
        subscriptionId: ref.subscriptionId,
        vmId: vm.vmId ?? null,
      }
    }

    const vm = await compute.virtualMachines.get(ref.resourceGroup, ref.name, {abortSignal: signal, expand: 'instanceView'})
    const summary = summaryOfVm(vm, powerStateOf(vm.instanceView?.statuses))
    const blobs = vm.instanceView?.bootDiagnostics
    return {
      ...summary,
      instanceViewBlobs: {screenshot: blobs?.consoleScreenshotBlobUri ?? null, serial: blobs?.serialConsoleLogBlobUri ?? null},
      ref: {...ref, name: summary.name},
      subscriptionId: ref.subscriptionId,
      vmId: vm.vmId ?? null,
    }
  } catch (error) {
    throw toBootdiagErrorFromAzure(error, context) ?? error
  }
}
