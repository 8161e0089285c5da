/**
 * Names and identifiers the way Azure spells them: resource IDs, boot diagnostics container and blob
 * names, GUIDs. Shared by the state model, the ARM handlers and the storage writer.
 */
import {randomUUID} from 'node:crypto'

export function guid(): string {
  return randomUUID()
}

/**
 * Boot diagnostics container of a VM: `bootdiagnostics-<first 9 alphanumerics of the lower-cased VM name>-<vmId>`.
 * Inferred from real URLs (azure-facts §3: `bootdiagnostics-swarmagen-4157d838-…` for VM
 * `swarm-agent-9574AE92vmss-0_2`, `bootdiagnostics-server1-cb292d11-…` for `server1`); not documented.
 */
export function bootDiagnosticsContainer(vmName: string, vmId: string): string {
  const short = vmName
    .toLowerCase()
    .replaceAll(/[^a-z0-9]/g, '')
    .slice(0, 9)
  return `bootdiagnostics-${short}-${vmId}`
}

/** `<vmName>.<vmId>.serialconsole.log` (azure-facts §3). */
export function serialLogBlobName(vmName: string, vmId: string): string {
  return `${vmName}.${vmId}.serialconsole.log`
}

/** `<vmName>.<vmId>.screenshot.bmp` (azure-facts §3). */
export function screenshotBlobName(vmName: string, vmId: string): string {
  return `${vmName}.${vmId}.screenshot.bmp`
}

export function subscriptionId(sub: string): string {
  return `/subscriptions/${sub}`
}

export function resourceGroupId(sub: string, rg: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}`
}

export function vmResourceId(sub: string, rg: string, name: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`
}

export function scaleSetResourceId(sub: string, rg: string, name: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`
}

export function scaleSetVmResourceId(sub: string, rg: string, scaleSet: string, instanceId: string): string {
  return `${scaleSetResourceId(sub, rg, scaleSet)}/virtualMachines/${instanceId}`
}

/** Case-insensitive key, as ARM compares names. */
export function key(...parts: string[]): string {
  return parts.join('/').toLowerCase()
}
