/**
 * ARM response bodies for nock-based unit tests, in the shapes of the Microsoft.Compute 2025-04-01 spec
 * examples (VirtualMachine_Get_InstanceView.json, VirtualMachine_ListAll_*, VirtualMachineScaleSetVM_*),
 * and a compute client pointed at the public ARM host (intercepted by nock, never reached).
 */
import type {AccessToken, TokenCredential} from '@azure/core-auth'

import {AzureClients} from '../../src/azure/clients.js'
import {KNOWN_CLOUDS} from '../../src/azure/clouds.js'

export const ARM = 'https://management.azure.com'
export const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333'
export const TOKEN = 'unit-test-arm-token'

/** A credential that hands out a fixed token (unit tests never sign in for real). */
export const fixedTokenCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return {expiresOnTimestamp: Date.now() + 3_600_000, token: TOKEN}
  },
}

export function unitClients(): AzureClients {
  return new AzureClients(KNOWN_CLOUDS.AzureCloud, fixedTokenCredential, {maxRetries: 0})
}

export interface VmFixture {
  name: string
  resourceGroup: string
  location?: string
  vmId?: string
  /** 'managed' | 'custom' | 'disabled' */
  boot?: 'managed' | 'custom' | 'disabled'
  storageUri?: string
  power?: string
  flexibleSet?: string
}

export function vmId(rg: string, name: string, sub = SUB): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`
}

export function bootDiagnosticsOf(vm: VmFixture): Record<string, unknown> {
  const boot = vm.boot ?? 'managed'
  if (boot === 'disabled') return {bootDiagnostics: {enabled: false}}
  if (boot === 'custom')
    return {bootDiagnostics: {enabled: true, storageUri: vm.storageUri ?? 'https://diagacct.blob.core.windows.net/'}}
  return {bootDiagnostics: {enabled: true}}
}

/** The model as VirtualMachines_List/ListAll return it. */
export function vmModel(vm: VmFixture): Record<string, unknown> {
  return {
    id: vmId(vm.resourceGroup, vm.name),
    location: vm.location ?? 'westeurope',
    name: vm.name,
    properties: {
      diagnosticsProfile: bootDiagnosticsOf(vm),
      hardwareProfile: {vmSize: 'Standard_B2s'},
      provisioningState: 'Succeeded',
      storageProfile: {osDisk: {createOption: 'FromImage', name: `${vm.name}_OsDisk_1`, osType: 'Linux'}},
      timeCreated: '2026-01-10T08:00:00.0000000+00:00',
      vmId: vm.vmId ?? '3e5a6b6c-0f3b-4f59-9d6e-0123456789ab',
      ...(vm.flexibleSet
        ? {
            virtualMachineScaleSet: {
              id: `/subscriptions/${SUB}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${vm.flexibleSet}`,
            },
          }
        : {}),
    },
    type: 'Microsoft.Compute/virtualMachines',
  }
}

export function powerStatuses(power = 'running'): Array<Record<string, string>> {
  return [
    {
      code: 'ProvisioningState/succeeded',
      displayStatus: 'Provisioning succeeded',
      level: 'Info',
      time: '2026-11-20T10:00:00.0000000+00:00',
    },
    {code: `PowerState/${power}`, displayStatus: `VM ${power}`, level: 'Info'},
  ]
}

/** An item of ListAll?statusOnly=true: the VM with its run-time status only. */
export function vmStatusOnly(vm: VmFixture): Record<string, unknown> {
  return {
    id: vmId(vm.resourceGroup, vm.name),
    location: vm.location ?? 'westeurope',
    name: vm.name,
    properties: {instanceView: {computerName: vm.name, statuses: powerStatuses(vm.power)}},
    type: 'Microsoft.Compute/virtualMachines',
  }
}

/** GET .../virtualMachines/{vm}?$expand=instanceView */
export function vmWithInstanceView(
  vm: VmFixture,
  blobs?: {serial: string; screenshot: string},
): Record<string, unknown> {
  const model = vmModel(vm)
  return {
    ...model,
    properties: {
      ...(model.properties as object),
      instanceView: {
        computerName: vm.name,
        osName: 'ubuntu',
        osVersion: '22.04',
        statuses: powerStatuses(vm.power),
        vmAgent: {
          statuses: [{code: 'ProvisioningState/succeeded', displayStatus: 'Ready', level: 'Info'}],
          vmAgentVersion: '2.9.1.1',
        },
        ...(blobs
          ? {bootDiagnostics: {consoleScreenshotBlobUri: blobs.screenshot, serialConsoleLogBlobUri: blobs.serial}}
          : {}),
      },
    },
  }
}

export function armError(code: string, message: string): {error: {code: string; message: string}} {
  return {error: {code, message}}
}
