/**
 * Archive run summaries for the tests of what comes after a run (alerts, metrics, exports): a VM's line
 * built from what matters to them — its result, its new verdict and the one it follows — the rest filled in.
 */
import type {PreviousVerdict} from '../../src/services/archive/archive-vm.js'
import type {ArchiveSummary, VmArchiveResult} from '../../src/services/archive/fleet.js'

export const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555'

export interface VmLine {
  name: string
  resourceGroup?: string
  result?: VmArchiveResult['result']
  /** the new snapshot's verdict: outcome and summary (the signature as the analyser would title it) */
  verdict?: {outcome: string; summary: string; lastStage?: string | null; signature?: string | null}
  /** the snapshot it follows: null for a first snapshot */
  previous?: Partial<PreviousVerdict> | null
  error?: VmArchiveResult['error']
}

export function vmLine(line: VmLine): VmArchiveResult {
  const resourceGroup = line.resourceGroup ?? 'rg-web'
  const id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${line.name}`
  const result = line.result ?? (line.verdict ? 'new' : 'unchanged')
  const base: VmArchiveResult = {
    bytesDownloaded: result === 'new' ? 4096 : 0,
    id,
    logBytesDownloaded: result === 'new' ? 4000 : 0,
    name: line.name,
    resourceGroup,
    result,
    subscriptionId: SUBSCRIPTION,
    ...(result === 'failed' ? {} : {screenshot: 'unchanged', serialLog: result === 'new' ? 'grown' : 'unchanged'}),
  }
  if (line.error) base.error = line.error
  if (result !== 'new') return base
  const snapshot = `/srv/bootdiag/${SUBSCRIPTION}/${resourceGroup}/${line.name}/20261125T110000Z`
  const verdict = line.verdict
  return {
    ...base,
    snapshot,
    ...(verdict
      ? {
          analysis: {
            lastStage: verdict.lastStage === undefined ? 'initramfs' : verdict.lastStage,
            outcome: verdict.outcome,
            signature: verdict.signature === undefined ? null : verdict.signature,
            summary: verdict.summary,
          },
          verdict: verdict.outcome,
        }
      : {}),
    previousVerdict:
      line.previous === null || line.previous === undefined
        ? null
        : {
            lastStage: null,
            outcome: null,
            signature: null,
            snapshot: '20261125T100000Z',
            summary: null,
            ...line.previous,
          },
  }
}

export function summaryOf(vms: VmArchiveResult[], extra: Partial<ArchiveSummary> = {}): ArchiveSummary {
  const count = (result: VmArchiveResult['result']) => vms.filter((vm) => vm.result === result).length
  return {
    archive: '/srv/bootdiag',
    durationMs: 12_345,
    fleetSize: vms.length,
    listedWith: 'compute',
    startedAt: '2026-11-25T11:00:00.000Z',
    subscriptions: [SUBSCRIPTION],
    totals: {
      bytesDownloaded: vms.reduce((total, vm) => total + vm.bytesDownloaded, 0),
      failed: count('failed'),
      logBytesDownloaded: vms.reduce((total, vm) => total + vm.logBytesDownloaded, 0),
      new: count('new'),
      unchanged: count('unchanged'),
      vms: vms.length,
    },
    vms,
    ...extra,
  }
}

/** The signature the analyser gives a missing root device. */
export const ROOT_MISSING = {
  outcome: 'initramfs-failure',
  signature: 'initramfs-failure: ALERT! UUID=… does not exist. Dropping to a shell!',
  summary:
    'boot stopped in initramfs-failure: ALERT!  UUID=6b1c1c3e-5a7e-4c3e-9a52-b007ab1ab001 does not exist.  Dropping to a shell! (line 812)',
}

export const PANIC = {
  lastStage: 'kernel',
  outcome: 'kernel-panic',
  signature: 'kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
  summary:
    'boot stopped in kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) (line 6)',
}

export const BOOTED = {
  lastStage: 'login-prompt',
  outcome: 'booted',
  signature: null,
  summary: 'booted to the login prompt',
}
