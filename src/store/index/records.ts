/**
 * What the index keeps: one record per committed snapshot (who, when, why, its files with sizes and
 * hashes, the verdicts, and how its serial log relates to an earlier snapshot's), one tombstone per
 * snapshot deleted, and per writer the fleet it last listed (VMs with boot diagnostics on or off).
 * Every record is a fact about an immutable snapshot, so records from many writers merge by union.
 */
import {vmSegments, type VmLocation} from '../layout.js'
import type {SnapshotManifest} from '../manifest.js'

/** `<subscriptionId>/<resourceGroup>/<vmName>` as the archive spells it (lower-case, safe segments). */
export function indexVmKey(vm: VmLocation): string {
  return vmSegments(vm).join('/')
}

export interface FileFact {
  bytes: number
  sha256: string
}

export interface LogFact extends FileFact {
  /** this log's first `bytes` bytes are the first `bytes` bytes of that snapshot's serial.log (it grew) */
  continues: {snapshot: string; bytes: number} | null
  /** the log is the same file as that snapshot's (unchanged, carried over) */
  carriedFrom: string | null
}

export interface SnapshotRecord {
  vmKey: string
  /** the snapshot's folder name, e.g. 20261125T210304Z */
  name: string
  /** ISO 8601 UTC */
  takenAt: string
  subscriptionId: string
  resourceGroup: string
  vmName: string
  /** the VM's resource ID */
  resourceId: string
  vmId: string | null
  vmss: string | null
  instanceId: string | null
  reason: string
  /** the serial log's verdict (null: no log, or not analysed) */
  outcome: string | null
  lastStage: string | null
  summary: string | null
  signature: string | null
  /** the screenshot reader's verdict, when snapshot.json carries one (JSON, as recorded) */
  screen: unknown
  log: LogFact | null
  screenshot: FileFact | null
  png: FileFact | null
  /** bytes of the snapshot's files together */
  bytes: number
}

/** The record of a committed snapshot, from its snapshot.json. */
export function recordOfManifest(vm: VmLocation, name: string, manifest: SnapshotManifest): SnapshotRecord {
  const files = manifest.files ?? {}
  const log = files['serial.log']
  const shot = files['screenshot.bmp']
  const png = files['screenshot.png']
  const analysis = manifest.analysis
  const screen = (manifest as {screen?: unknown}).screen
  const bytes = Object.values(files).reduce((sum, file) => sum + (file?.bytes ?? 0), 0)
  return {
    bytes,
    instanceId: manifest.vm?.instanceId ?? null,
    lastStage: analysis?.lastStage ?? null,
    log: log
      ? {
          bytes: log.bytes,
          carriedFrom: log.carriedFrom ?? null,
          continues: log.continues ? {bytes: log.continues.bytes, snapshot: log.continues.snapshot} : null,
          sha256: log.sha256,
        }
      : null,
    name,
    outcome: analysis?.outcome ?? null,
    png: png ? {bytes: png.bytes, sha256: png.sha256} : null,
    reason: manifest.reason ?? '',
    resourceGroup: manifest.vm?.resourceGroup ?? vm.resourceGroup,
    resourceId: manifest.vm?.id ?? '',
    screen: screen ?? null,
    screenshot: shot ? {bytes: shot.bytes, sha256: shot.sha256} : null,
    signature: analysis?.signature ?? null,
    subscriptionId: (manifest.vm?.subscriptionId ?? vm.subscriptionId).toLowerCase(),
    summary: analysis?.summary ?? null,
    takenAt: manifest.takenAt,
    vmId: manifest.vm?.vmId ?? null,
    vmKey: indexVmKey(vm),
    vmName: manifest.vm?.name ?? vm.name,
    vmss: manifest.vm?.vmss ?? null,
  }
}

/** A VM as an archive run last listed it. */
export interface FleetEntry {
  vmKey: string
  subscriptionId: string
  resourceGroup: string
  name: string
  resourceId: string
  vmId: string | null
  vmss: string | null
  instanceId: string | null
  bootDiagnostics: 'enabled' | 'disabled'
  powerState: string
  /** when the run that listed it started (ISO) */
  seenAt: string
  /** boot diagnostics off: since the first run that found it so (ISO) */
  disabledSince: string | null
}

/** What one archive run covered: the entries of an earlier run in this scope are replaced, others kept. */
export interface FleetScope {
  subscriptions: string[]
  resourceGroup?: string
  includeVmss: boolean
}

export function inFleetScope(entry: FleetEntry, scope: FleetScope): boolean {
  if (!scope.subscriptions.some((s) => s.toLowerCase() === entry.subscriptionId.toLowerCase())) return false
  if (scope.resourceGroup && scope.resourceGroup.toLowerCase() !== entry.resourceGroup.toLowerCase()) return false
  return scope.includeVmss || !entry.vmss
}
