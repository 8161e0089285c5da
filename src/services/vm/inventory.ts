/**
 * Which VMs have boot diagnostics: the subscription's VMs (and, on request, scale-set instances) with
 * their power state and where their boot diagnostics are stored. Lists are paged through the SDK's
 * iterators: the cost is a few requests per page (and one paged list per Uniform scale set), never one
 * request per VM.
 */
import type {
  DiagnosticsProfile,
  InstanceViewStatus,
  VirtualMachine,
  VirtualMachineScaleSet,
  VirtualMachineScaleSetVM,
} from '@azure/arm-compute'

import type {ComputeApi} from '../../azure/clients.js'
import {toBootdiagErrorFromAzure} from '../../azure/errors.js'
import {nameOf, resourceGroupOf} from '../../azure/resource-id.js'
import {collect, mapWithConcurrency} from '../../util/concurrency.js'

export type StorageKind = 'managed' | 'custom'

export interface BootDiagnosticsSettings {
  enabled: boolean
  /** managed: Azure's storage (SAS URLs on request); custom: the customer's storage account; null when disabled */
  storage: StorageKind | null
  /** the custom storage account's blob endpoint, or null */
  storageUri: string | null
}

/** One row of `bootdiag vm list`. */
export interface VmSummary {
  name: string
  resourceGroup: string
  id: string
  location: string
  /** running, stopped, deallocated, starting, ... or unknown */
  powerState: string
  bootDiagnostics: BootDiagnosticsSettings
  /** scale set name, for scale-set instances */
  vmss?: string
  /** instance id within the scale set (a Flexible member's is its VM name) */
  instanceId?: string
  /**
   * the OS disk's type in Azure's spelling, `Linux` or `Windows` (storageProfile.osDisk.osType); null when
   * the model does not say. A Windows VM writes no serial log: its verdict comes from its screenshot.
   */
  osType?: string | null
}

export interface ListVmsOptions {
  subscriptionId: string
  resourceGroup?: string
  /** include VMs without boot diagnostics */
  all?: boolean
  /** add scale-set instances (Uniform and Flexible) */
  includeVmss?: boolean
  signal?: AbortSignal
}

export function bootDiagnosticsSettings(profile: DiagnosticsProfile | undefined): BootDiagnosticsSettings {
  const settings = profile?.bootDiagnostics
  const enabled = settings?.enabled === true
  const storageUri = settings?.storageUri?.trim() || null
  // enabled with no storageUri = managed storage (azure-facts §1.2)
  return {
    enabled,
    storage: enabled ? (storageUri ? 'custom' : 'managed') : null,
    storageUri: enabled ? storageUri : null,
  }
}

/** `PowerState/running` → `running`; unknown when the instance view has none. */
export function powerStateOf(statuses: InstanceViewStatus[] | undefined): string {
  const code = statuses?.find((s) => s.code?.toLowerCase().startsWith('powerstate/'))?.code
  return code ? code.slice('PowerState/'.length).toLowerCase() : 'unknown'
}

export async function listVms(compute: ComputeApi, options: ListVmsOptions): Promise<VmSummary[]> {
  const context = {
    action: 'list VMs',
    permission: 'Microsoft.Compute/virtualMachines/read',
    resourceGroup: options.resourceGroup,
    subscriptionId: options.subscriptionId,
  }
  try {
    const abortSignal = options.signal
    const sameGroup = (id: string | undefined) =>
      !options.resourceGroup || resourceGroupOf(id)?.toLowerCase() === options.resourceGroup.toLowerCase()
    // Models (boot diagnostics settings) and run-time statuses come from two paged lists joined by id.
    const [models, statuses, scaleSets] = await Promise.all([
      collect(
        options.resourceGroup
          ? compute.virtualMachines.list(options.resourceGroup, {abortSignal})
          : compute.virtualMachines.listAll({abortSignal}),
      ),
      collect(compute.virtualMachines.listAll({abortSignal, statusOnly: 'true'})),
      options.includeVmss
        ? collect(
            options.resourceGroup
              ? compute.virtualMachineScaleSets.list(options.resourceGroup, {abortSignal})
              : compute.virtualMachineScaleSets.listAll({abortSignal}),
          )
        : Promise.resolve([] as VirtualMachineScaleSet[]),
    ])
    const powerById = new Map(
      statuses
        .filter((vm) => sameGroup(vm.id))
        .map((vm) => [vm.id?.toLowerCase(), powerStateOf(vm.instanceView?.statuses)]),
    )
    const rows: VmSummary[] = []
    for (const vm of models) {
      const flexibleSet = vm.virtualMachineScaleSet?.id
      if (flexibleSet && !options.includeVmss) continue
      rows.push({
        ...summaryOfVm(vm, powerById.get(vm.id?.toLowerCase()) ?? 'unknown'),
        ...(flexibleSet ? {instanceId: vm.name ?? '', vmss: nameOf(flexibleSet) ?? ''} : {}),
      })
    }

    const uniform = scaleSets.filter((set) => set.orchestrationMode !== 'Flexible' && set.name && set.id)
    const instances = await mapWithConcurrency(uniform, 8, async (set) => {
      const rg = resourceGroupOf(set.id)!
      const setDiagnostics = set.virtualMachineProfile?.diagnosticsProfile
      const vms = await collect(
        compute.virtualMachineScaleSetVMs.list(rg, set.name!, {abortSignal, expand: 'instanceView'}),
      )
      return vms.map((vm) => summaryOfScaleSetVm(vm, set, setDiagnostics))
    })
    rows.push(...instances.flat())
    return rows
      .filter((row) => options.all || row.bootDiagnostics.enabled)
      .sort(
        (a, b) =>
          a.resourceGroup.localeCompare(b.resourceGroup, 'en', {sensitivity: 'base'}) ||
          a.name.localeCompare(b.name, 'en', {numeric: true, sensitivity: 'base'}),
      )
  } catch (error) {
    throw toBootdiagErrorFromAzure(error, context) ?? error
  }
}

/** `Linux` / `Windows` as Azure spells it, whatever case it came in; null when absent. */
export function osTypeOf(value: string | null | undefined): string | null {
  const text = value?.trim().toLowerCase()
  if (!text) return null
  return text === 'windows' ? 'Windows' : text === 'linux' ? 'Linux' : value!.trim()
}

export function summaryOfVm(vm: VirtualMachine, powerState: string): VmSummary {
  return {
    bootDiagnostics: bootDiagnosticsSettings(vm.diagnosticsProfile),
    id: vm.id ?? '',
    location: vm.location ?? '',
    name: vm.name ?? nameOf(vm.id) ?? '',
    osType: osTypeOf(vm.storageProfile?.osDisk?.osType),
    powerState,
    resourceGroup: resourceGroupOf(vm.id) ?? '',
  }
}

export function summaryOfScaleSetVm(
  vm: VirtualMachineScaleSetVM,
  set: Pick<VirtualMachineScaleSet, 'name' | 'virtualMachineProfile'>,
  setDiagnostics?: DiagnosticsProfile,
): VmSummary {
  return {
    bootDiagnostics: bootDiagnosticsSettings(vm.diagnosticsProfile ?? setDiagnostics),
    id: vm.id ?? '',
    instanceId: vm.instanceId ?? nameOf(vm.id) ?? '',
    location: vm.location ?? '',
    name: vm.name ?? `${set.name}_${vm.instanceId}`,
    // an instance's own model names its OS disk; the scale set's profile does for every instance
    osType: osTypeOf(vm.storageProfile?.osDisk?.osType ?? set.virtualMachineProfile?.storageProfile?.osDisk?.osType),
    powerState: powerStateOf(vm.instanceView?.statuses),
    resourceGroup: resourceGroupOf(vm.id) ?? '',
    vmss: set.name ?? '',
  }
}
