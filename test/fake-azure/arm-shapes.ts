/**
 * The JSON bodies of Microsoft.Compute and Microsoft.Resources answers, shaped after the 2025-04-01 spec
 * examples (azure-rest-api-specs …/ComputeRP/stable/2025-04-01/examples):
 * - VM model: VirtualMachine_Get_WithVMSizeProperties.json, VirtualMachine_ListAll_MaximumSet_Gen.json
 *   (`properties.vmId`, `hardwareProfile`, `storageProfile`, `osProfile`, `networkProfile`,
 *   `diagnosticsProfile.bootDiagnostics {enabled, storageUri?}`, `virtualMachineScaleSet.id` for Flexible
 *   members, `provisioningState`, `timeCreated`);
 * - instance view: VirtualMachine_Get_InstanceView.json (`computerName`, `osName`, `osVersion`, `vmAgent`,
 *   `disks`, `bootDiagnostics` with blob URIs ONLY for custom storage, `hyperVGeneration`, `statuses` with
 *   `ProvisioningState/…` then `PowerState/…`);
 * - scale set VMs: VirtualMachineScaleSetVM_List_MaximumSet_Gen.json, VirtualMachineScaleSetVM_Get_*.json
 *   (`instanceId`, `sku`, `latestModelApplied`, `modelDefinitionApplied`, name `<scaleSet>_<instanceId>`).
 *   The examples type them `Microsoft.Compute/virtualMachines`; live Azure answers
 *   `Microsoft.Compute/virtualMachineScaleSets/virtualMachines`, which is what is rendered here.
 * - `statusOnly=true` (ListAll): only `name`, `id`, `type`, `location` and `properties: {vmId, instanceView:
 *   {statuses}}`. The spec says only "enables fetching run time status"; code that consumes it in the wild
 *   reads vmId and instanceView.statuses and notes it carries no tags, no hardware or storage profile. So the
 *   fake gives nothing more — in particular no bootDiagnostics — and a client must not expect it.
 */
import {resourceGroupId, scaleSetResourceId, scaleSetVmResourceId, vmResourceId} from './names.js'
import type {
  BootDiagnosticsConfig,
  FakeResourceGroup,
  FakeScaleSet,
  FakeSubscription,
  FakeVm,
  PowerState,
} from './state.js'
import type {BootDiagnosticsStorage} from './storage.js'

export interface ShapeContext {
  storage?: BootDiagnosticsStorage
  /** upper-case the resource group inside IDs (Compute's list answers do) */
  upperCaseResourceGroup: boolean
  /** the resource group name as the request spelled it (GET answers echo it) */
  resourceGroupAsRequested?: string
}

const POWER_DISPLAY: Record<PowerState, string> = {
  deallocated: 'VM deallocated',
  deallocating: 'VM deallocating',
  running: 'VM running',
  starting: 'VM starting',
  stopped: 'VM stopped',
  stopping: 'VM stopping',
}

function groupName(rg: string, shape: ShapeContext): string {
  if (shape.upperCaseResourceGroup) return rg.toUpperCase()
  return shape.resourceGroupAsRequested ?? rg
}

export function storageUriOf(
  config: BootDiagnosticsConfig,
  storage: BootDiagnosticsStorage | undefined,
): string | undefined {
  if (config.mode !== 'custom') return undefined
  return config.storageUri ?? storage?.accountUrl(config.account) ?? `https://${config.account}.blob.core.windows.net/`
}

export function diagnosticsProfile(
  config: BootDiagnosticsConfig,
  storage: BootDiagnosticsStorage | undefined,
): Record<string, unknown> | undefined {
  switch (config.mode) {
    case 'absent':
      return undefined
    case 'disabled':
      return {bootDiagnostics: {enabled: false}}
    case 'managed':
      return {bootDiagnostics: {enabled: true}}
    case 'custom':
      return {bootDiagnostics: {enabled: true, storageUri: storageUriOf(config, storage)}}
  }
}

function osDiskName(vm: FakeVm): string {
  return `${vm.name}_OsDisk_1_${vm.vmId.replaceAll('-', '')}`
}

function statuses(vm: FakeVm): Array<Record<string, string>> {
  return [
    {
      code: `ProvisioningState/${vm.provisioningState.toLowerCase()}`,
      displayStatus:
        vm.provisioningState === 'Succeeded'
          ? 'Provisioning succeeded'
          : `Provisioning ${vm.provisioningState.toLowerCase()}`,
      level: vm.provisioningState === 'Failed' ? 'Error' : 'Info',
      time: vm.timeCreated,
    },
    {code: `PowerState/${vm.powerState}`, displayStatus: POWER_DISPLAY[vm.powerState], level: 'Info'},
  ]
}

/** The run-time view (instanceView endpoint, `$expand=instanceView`). */
export function instanceView(vm: FakeVm, shape: ShapeContext): Record<string, unknown> {
  const view: Record<string, unknown> = {}
  if (vm.kind === 'scaleSetInstance') {
    view.platformUpdateDomain = 0
    view.platformFaultDomain = 0
  }

  const booted = vm.powerState !== 'deallocated' && vm.powerState !== 'deallocating'
  if (booted) {
    view.computerName = vm.computerName
    view.osName = vm.osType === 'Linux' ? 'ubuntu' : 'Windows Server 2022 Datacenter'
    view.osVersion = vm.osType === 'Linux' ? '24.04' : 'Microsoft Windows NT 10.0.20348.0'
  }

  if (vm.powerState === 'running') {
    view.vmAgent = {
      extensionHandlers: [],
      statuses: [
        {
          code: 'ProvisioningState/succeeded',
          displayStatus: 'Ready',
          level: 'Info',
          message: 'Guest Agent is running',
          time: new Date().toISOString(),
        },
      ],
      vmAgentVersion: '2.12.0.2',
    }
  }

  view.disks = [
    {
      name: osDiskName(vm),
      statuses: [
        {
          code: 'ProvisioningState/succeeded',
          displayStatus: 'Provisioning succeeded',
          level: 'Info',
          time: vm.timeCreated,
        },
      ],
    },
  ]
  if (vm.kind === 'vm') view.hyperVGeneration = vm.hyperVGeneration
  const boot: Record<string, unknown> = {}
  // Blob URIs only for custom storage: "This will not be set if boot diagnostics is currently enabled with
  // managed storage" (BootDiagnosticsInstanceView in the spec).
  if (vm.bootDiagnostics.mode === 'custom' && shape.storage) {
    boot.consoleScreenshotBlobUri = shape.storage.blobUrl(vm, 'screenshot')
    boot.serialConsoleLogBlobUri = shape.storage.blobUrl(vm, 'log')
  }

  if (vm.bootDiagnosticsError) {
    boot.status = {
      code: vm.bootDiagnosticsError.code,
      displayStatus: 'Provisioning failed',
      level: 'Error',
      message: vm.bootDiagnosticsError.message,
      time: new Date().toISOString(),
    }
  }

  if (Object.keys(boot).length > 0) view.bootDiagnostics = boot
  view.statuses = statuses(vm)
  return view
}

function storageProfile(vm: FakeVm, subscriptionId: string, rg: string): Record<string, unknown> {
  const linux = vm.osType === 'Linux'
  return {
    dataDisks: [],
    diskControllerType: 'SCSI',
    imageReference: linux
      ? {
          exactVersion: '24.04.202411030',
          offer: 'ubuntu-24_04-lts',
          publisher: 'Canonical',
          sku: 'server',
          version: 'latest',
        }
      : {
          exactVersion: '20348.2849.241106',
          offer: 'WindowsServer',
          publisher: 'MicrosoftWindowsServer',
          sku: '2022-datacenter-azure-edition',
          version: 'latest',
        },
    osDisk: {
      caching: 'ReadWrite',
      createOption: 'FromImage',
      deleteOption: 'Delete',
      diskSizeGB: 30,
      managedDisk: {
        id: `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Compute/disks/${osDiskName(vm)}`,
        storageAccountType: 'Premium_LRS',
      },
      name: osDiskName(vm),
      osType: vm.osType,
    },
  }
}

function osProfile(vm: FakeVm): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    adminUsername: 'azureuser',
    allowExtensionOperations: true,
    computerName: vm.computerName,
    requireGuestProvisionSignal: true,
    secrets: [],
  }
  if (vm.osType === 'Linux') {
    profile.linuxConfiguration = {
      disablePasswordAuthentication: true,
      patchSettings: {assessmentMode: 'ImageDefault', patchMode: 'ImageDefault'},
      provisionVMAgent: true,
    }
  } else {
    profile.windowsConfiguration = {enableAutomaticUpdates: true, provisionVMAgent: true}
  }

  return profile
}

/** A VM (standalone or Flexible member) as GET/list answer it. */
export function vmModel(
  vm: FakeVm,
  shape: ShapeContext,
  options: {withInstanceView?: boolean} = {},
): Record<string, unknown> {
  const rg = groupName(vm.resourceGroup, shape)
  const properties: Record<string, unknown> = {
    hardwareProfile: {vmSize: vm.vmSize},
    networkProfile: {
      networkInterfaces: [
        {
          id: `/subscriptions/${vm.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/networkInterfaces/${vm.name}-nic`,
        },
      ],
    },
    osProfile: osProfile(vm),
    provisioningState: vm.provisioningState,
    storageProfile: storageProfile(vm, vm.subscriptionId, rg),
    timeCreated: vm.timeCreated,
    vmId: vm.vmId,
  }
  const diagnostics = diagnosticsProfile(vm.bootDiagnostics, shape.storage)
  if (diagnostics) properties.diagnosticsProfile = diagnostics
  if (vm.scaleSet?.orchestrationMode === 'Flexible') {
    properties.virtualMachineScaleSet = {id: scaleSetResourceId(vm.subscriptionId, rg, vm.scaleSet.name)}
    properties.platformFaultDomain = 0
  }

  if (options.withInstanceView) properties.instanceView = instanceView(vm, shape)
  const model: Record<string, unknown> = {
    id: vmResourceId(vm.subscriptionId, rg, vm.name),
    location: vm.location,
    name: vm.name,
    properties,
    type: 'Microsoft.Compute/virtualMachines',
  }
  if (Object.keys(vm.tags).length > 0) model.tags = vm.tags
  if (vm.zones) model.zones = vm.zones
  return model
}

/** ListAll with statusOnly=true: the run-time status and nothing else (see the module comment). */
export function vmStatusOnly(vm: FakeVm, shape: ShapeContext): Record<string, unknown> {
  const rg = groupName(vm.resourceGroup, shape)
  return {
    id: vmResourceId(vm.subscriptionId, rg, vm.name),
    location: vm.location,
    name: vm.name,
    properties: {instanceView: {statuses: statuses(vm)}, vmId: vm.vmId},
    type: 'Microsoft.Compute/virtualMachines',
  }
}

/** A Uniform scale set instance (or a Flexible member seen through the scale set VM API). */
export function scaleSetVmModel(
  vm: FakeVm,
  scaleSet: FakeScaleSet,
  shape: ShapeContext,
  options: {withInstanceView?: boolean} = {},
): Record<string, unknown> {
  const rg = groupName(vm.resourceGroup, shape)
  const instanceId = vm.scaleSet!.instanceId
  const properties: Record<string, unknown> = {
    hardwareProfile: {},
    latestModelApplied: true,
    modelDefinitionApplied: 'VirtualMachineScaleSet',
    networkProfile: {
      networkInterfaces: [
        {
          id: `${scaleSetVmResourceId(vm.subscriptionId, rg, scaleSet.name, instanceId)}/networkInterfaces/${scaleSet.name}-nic`,
        },
      ],
    },
    osProfile: osProfile(vm),
    provisioningState: vm.provisioningState,
    storageProfile: storageProfile(vm, vm.subscriptionId, rg),
    timeCreated: vm.timeCreated,
    vmId: vm.vmId,
  }
  const diagnostics = diagnosticsProfile(vm.bootDiagnostics, shape.storage)
  if (diagnostics) properties.diagnosticsProfile = diagnostics
  if (options.withInstanceView) properties.instanceView = instanceView(vm, shape)
  return {
    id: scaleSetVmResourceId(vm.subscriptionId, rg, scaleSet.name, instanceId),
    instanceId,
    location: vm.location,
    name: vm.name,
    properties,
    sku: {name: vm.vmSize, tier: 'Standard'},
    tags: vm.tags,
    type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
  }
}

export function scaleSetModel(scaleSet: FakeScaleSet, capacity: number, shape: ShapeContext): Record<string, unknown> {
  const rg = groupName(scaleSet.resourceGroup, shape)
  const properties: Record<string, unknown> = {
    orchestrationMode: scaleSet.orchestrationMode,
    provisioningState: 'Succeeded',
    timeCreated: scaleSet.timeCreated,
    uniqueId: scaleSet.uniqueId,
  }
  if (scaleSet.orchestrationMode === 'Uniform') {
    properties.overprovision = false
    properties.singlePlacementGroup = true
    properties.upgradePolicy = {mode: 'Manual'}
  } else {
    properties.platformFaultDomainCount = 1
    properties.singlePlacementGroup = false
  }

  if (scaleSet.hasVmProfile) {
    const profile: Record<string, unknown> = {
      networkProfile: {
        networkApiVersion: '2020-11-01',
        networkInterfaceConfigurations: [{name: `${scaleSet.name}-nic`, properties: {primary: true}}],
      },
      osProfile: {
        adminUsername: 'azureuser',
        computerNamePrefix: scaleSet.computerNamePrefix,
        linuxConfiguration: {disablePasswordAuthentication: true, provisionVMAgent: true},
      },
      storageProfile: {
        imageReference: {offer: 'ubuntu-24_04-lts', publisher: 'Canonical', sku: 'server', version: 'latest'},
        osDisk: {
          caching: 'ReadWrite',
          createOption: 'FromImage',
          managedDisk: {storageAccountType: 'Premium_LRS'},
          osType: 'Linux',
        },
      },
    }
    const diagnostics = diagnosticsProfile(scaleSet.bootDiagnostics, shape.storage)
    if (diagnostics) profile.diagnosticsProfile = diagnostics
    properties.virtualMachineProfile = profile
  }

  const model: Record<string, unknown> = {
    id: scaleSetResourceId(scaleSet.subscriptionId, rg, scaleSet.name),
    location: scaleSet.location,
    name: scaleSet.name,
    properties,
    sku: {capacity, name: scaleSet.vmSize, tier: 'Standard'},
    type: 'Microsoft.Compute/virtualMachineScaleSets',
  }
  if (Object.keys(scaleSet.tags).length > 0) model.tags = scaleSet.tags
  return model
}

export function resourceGroupModel(group: FakeResourceGroup): Record<string, unknown> {
  return {
    id: resourceGroupId(group.subscriptionId, group.name),
    location: group.location,
    name: group.name,
    properties: {provisioningState: 'Succeeded'},
    type: 'Microsoft.Resources/resourceGroups',
  }
}

/** Subscriptions_List / Get (api-version 2022-12-01). */
export function subscriptionModel(subscription: FakeSubscription): Record<string, unknown> {
  return {
    authorizationSource: 'RoleBased',
    displayName: subscription.displayName,
    id: `/subscriptions/${subscription.subscriptionId}`,
    managedByTenants: [],
    state: subscription.state,
    subscriptionId: subscription.subscriptionId,
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
    tenantId: subscription.tenantId,
  }
}
