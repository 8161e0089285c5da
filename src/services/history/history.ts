/**
 * `bootdiag history`: one VM's snapshots from the archive's index, newest first — when, why, the verdict,
 * the size, and what changed since the snapshot before it.
 */
import {parseVmId} from '../../azure/resource-id.js'
import {NotFoundError, UsageError} from '../../errors.js'
import type {SnapshotRecord} from '../../store/index/records.js'
import type {IndexView} from '../../store/index/reader.js'
import {type SnapshotChange, withChanges} from '../../store/index/timeline.js'
import type {ArchiveStore} from '../../store/store.js'
import {type IndexContext, openIndex, snapshotId} from '../report/open-index.js'

export interface HistoryOptions {
  name?: string
  resourceGroup?: string
  /** an ID (names are not resolved: the archive is read, not Azure) */
  subscription?: string
  /** the VM's resource ID (instead of name and group) */
  id?: string
  /** at most this many snapshots (the newest) */
  limit?: number
}

export interface HistoryEntry {
  takenAt: string
  reason: string
  outcome: string | null
  signature: string | null
  /** where the snapshot is: its folder, or its URL in a Blob container */
  path: string
  /** the snapshot's folder name */
  snapshot: string
  /** `<subscriptionId>/<resourceGroup>/<vm>/<snapshot>`, what `bootdiag diff` takes */
  id: string
  lastStage: string | null
  summary: string | null
  /** bytes of its files together */
  bytes: number
  serialLogBytes: number | null
  changed: SnapshotChange
}

export interface VmHistory {
  vm: {name: string; resourceGroup: string; subscriptionId: string; vmss?: string; instanceId?: string}
  /** newest first */
  snapshots: HistoryEntry[]
}

export async function historyOf(context: IndexContext, options: HistoryOptions): Promise<VmHistory> {
  const {store, view} = await openIndex(context)
  try {
    const vmKey = findVm(view, options, store)
    return historyFrom(store, view.records(vmKey), options.limit)
  } finally {
    await view.close()
  }
}

export function historyFrom(store: ArchiveStore, records: SnapshotRecord[], limit?: number): VmHistory {
  const latest = records.at(-1)!
  const place = {name: latest.vmName, resourceGroup: latest.resourceGroup, subscriptionId: latest.subscriptionId}
  const entries = withChanges(records)
    .reverse()
    .slice(0, limit ?? Number.POSITIVE_INFINITY)
    .map(({changed, record}): HistoryEntry => ({
      bytes: record.bytes,
      changed,
      id: snapshotId(record.vmKey, record.name),
      lastStage: record.lastStage,
      outcome: record.outcome,
      path: store.snapshotLocation(place, record.name),
      reason: record.reason,
      serialLogBytes: record.log?.bytes ?? null,
      signature: record.signature,
      snapshot: record.name,
      summary: record.summary,
      takenAt: record.takenAt,
    }))
  return {
    snapshots: entries,
    vm: {
      ...place,
      ...(latest.vmss ? {vmss: latest.vmss} : {}),
      ...(latest.vmss && latest.instanceId ? {instanceId: latest.instanceId} : {}),
    },
  }
}

/** The one VM the flags name, as the index knows it (any subscription unless one is given). */
export function findVm(view: IndexView, options: HistoryOptions, store: ArchiveStore): string {
  let name = options.name
  let group = options.resourceGroup
  let subscription = options.subscription
  if (options.id) {
    const ref = parseVmId(options.id)
    name = ref.name
    group = ref.resourceGroup
    subscription = ref.subscriptionId
  }

  if (!name || !group)
    throw new UsageError(
      'Name the VM: -n NAME -g RESOURCE_GROUP (optionally --subscription ID), or --ids RESOURCE_ID.',
      {
        code: 'VmRequired',
      },
    )
  const candidates = view
    .vmsNamed(group, name)
    .filter((key) => !subscription || key.startsWith(`${subscription.toLowerCase()}/`))
    .map((vmKey) => ({subscriptionId: vmKey.split('/')[0], vmKey}))
  if (candidates.length === 0) {
    throw new NotFoundError(
      `The archive ${store.location} holds no snapshot of VM '${name}' in resource group '${group}'${subscription ? ` of subscription ${subscription}` : ''}. Check the names (and --archive), or take one: bootdiag fetch -n ${name} -g ${group}.`,
      {code: 'SnapshotNotFound'},
    )
  }

  if (candidates.length > 1) {
    throw new UsageError(
      `VM '${name}' in resource group '${group}' is archived in ${candidates.length} subscriptions (${candidates.map((c) => c.subscriptionId).join(', ')}). Pass --subscription ID.`,
      {code: 'AmbiguousVm'},
    )
  }

  return candidates[0].vmKey
}
