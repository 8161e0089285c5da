/**
 * Snapshots made directly in an archive store (no Azure): files written into a draft and committed with a
 * snapshot.json that says what a real writer would — sizes, SHA-256, the verdict, a grown log's
 * `continues`. For tests of the index and of report, history, diff and search.
 */
import {createHash} from 'node:crypto'

import type {VmLocation} from '../../src/store/layout.js'
import type {SnapshotFileInfo, SnapshotManifest} from '../../src/store/manifest.js'
import type {ArchiveStore, CommittedSnapshot} from '../../src/store/store.js'

export interface TestVm extends VmLocation {
  vmId?: string
}

export interface SnapshotSpec {
  takenAt: string | Date
  log?: string | Buffer
  /** screenshot.bmp bytes (a stand-in; only its hash matters to the index) */
  screenshot?: string | Buffer
  /** screenshot.png bytes */
  png?: Buffer
  reason?: string
  analysis?: {outcome: string; lastStage: string | null; summary: string; signature?: string | null}
  /** the log grew from this snapshot (its first `bytes` bytes) */
  continues?: {snapshot: string; bytes: number}
  /** the log is the same file as this snapshot's */
  carriedFrom?: string
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function info(data: string | Buffer, extra: Partial<SnapshotFileInfo> = {}): SnapshotFileInfo {
  return {bytes: Buffer.byteLength(data), etag: null, lastModified: null, sha256: sha256(data), ...extra}
}

export function manifestFor(vm: TestVm, spec: SnapshotSpec): SnapshotManifest {
  const files: SnapshotManifest['files'] = {}
  if (spec.log !== undefined)
    files['serial.log'] = info(spec.log, {
      ...(spec.continues ? {continues: spec.continues} : {}),
      ...(spec.carriedFrom ? {carriedFrom: spec.carriedFrom} : {}),
    })
  if (spec.screenshot !== undefined) files['screenshot.bmp'] = info(spec.screenshot)
  if (spec.png !== undefined) files['screenshot.png'] = info(spec.png, {derivedFrom: 'screenshot.bmp'})
  return {
    files,
    missing: [],
    reason: spec.reason ?? 'archive',
    schemaVersion: 1,
    storage: 'managed',
    takenAt: new Date(spec.takenAt).toISOString(),
    tool: {name: 'bootdiag', version: '0.0.0-test'},
    vm: {
      id: `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
      location: 'westeurope',
      name: vm.name,
      powerState: 'running',
      resourceGroup: vm.resourceGroup,
      subscriptionId: vm.subscriptionId,
      vmId: vm.vmId ?? null,
    },
    ...(spec.analysis ? {analysis: {signature: null, ...spec.analysis}} : {}),
  }
}

/** Write and commit one snapshot of `vm`. */
export async function commitSnapshot(store: ArchiveStore, vm: TestVm, spec: SnapshotSpec): Promise<CommittedSnapshot> {
  const draft = await store.beginSnapshot(vm, new Date(spec.takenAt))
  try {
    if (spec.log !== undefined) await draft.writeFile('serial.log', Buffer.from(spec.log))
    if (spec.screenshot !== undefined) await draft.writeFile('screenshot.bmp', Buffer.from(spec.screenshot))
    if (spec.png !== undefined) await draft.writeFile('screenshot.png', spec.png)
    const committed = await draft.commit(manifestFor(vm, spec))
    await draft.dispose()
    return committed
  } catch (error) {
    await draft.abandon()
    throw error
  }
}

export const BOOTED = {
  lastStage: 'login-prompt',
  outcome: 'booted',
  signature: null,
  summary: 'boot reached login-prompt: web-01 login: (line 40)',
}

export const PANIC = {
  lastStage: 'kernel',
  outcome: 'kernel-panic',
  signature: 'kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
  summary:
    'boot stopped in kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) (line 12)',
}
