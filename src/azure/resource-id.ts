/** Azure resource IDs of the VMs bootdiag works on: plain VMs and scale-set instances. */
import {UsageError} from '../errors.js'

/** Which VM: a plain VM by name, or a scale-set instance by scale set and instance id. */
export interface VmRef {
  subscriptionId: string
  resourceGroup: string
  /** the VM's name; for a Uniform scale-set instance, `<vmss>_<instanceId>` once known */
  name: string
  /** set for a Uniform scale-set instance (addressed through the scale set's API) */
  vmss?: {name: string; instanceId: string}
}

const VM_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines\/([^/]+)\/?$/i
const VMSS_VM_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)\/virtualMachines\/([^/]+)\/?$/i
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function parseVmId(id: string): VmRef {
  const text = id.trim()
  const vm = VM_ID.exec(text)
  const vmssVm = vm ? null : VMSS_VM_ID.exec(text)
  const subscriptionId = vm?.[1] ?? vmssVm?.[1]
  if (!subscriptionId || !GUID.test(subscriptionId)) {
    throw new UsageError(
      `--ids '${text}' is not a VM resource ID. Expected /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<name> (or .../virtualMachineScaleSets/<name>/virtualMachines/<instanceId>).`,
      {code: 'MalformedId'},
    )
  }

  if (vm)
    return {
      name: decodeURIComponent(vm[3]),
      resourceGroup: decodeURIComponent(vm[2]),
      subscriptionId: subscriptionId.toLowerCase(),
    }
  const [, , rg, vmss, instanceId] = vmssVm!
  return {
    name: `${decodeURIComponent(vmss)}_${decodeURIComponent(instanceId)}`,
    resourceGroup: decodeURIComponent(rg),
    subscriptionId: subscriptionId.toLowerCase(),
    vmss: {instanceId: decodeURIComponent(instanceId), name: decodeURIComponent(vmss)},
  }
}

export function vmResourceId(ref: VmRef): string {
  const base = `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute`
  return ref.vmss
    ? `${base}/virtualMachineScaleSets/${ref.vmss.name}/virtualMachines/${ref.vmss.instanceId}`
    : `${base}/virtualMachines/${ref.name}`
}

/** The resource group segment of any ARM ID, or undefined. */
export function resourceGroupOf(id: string | undefined): string | undefined {
  return id ? /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] : undefined
}

/** The last segment of an ARM ID (a resource's name). */
export function nameOf(id: string | undefined): string | undefined {
  return id?.split('/').filter(Boolean).at(-1)
}

export function isSubscriptionGuid(value: string): boolean {
  return GUID.test(value)
}
