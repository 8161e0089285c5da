/**
 * A VM's snapshots as a timeline: what changed from one snapshot to the next, since when the VM has been
 * in its current state, and the summary the index keeps per VM (so `report` reads one row per VM, not
 * every snapshot). Pure functions over records, oldest first; the same whichever writer recorded them.
 */
import type {FileFact, SnapshotRecord} from './records.js'

/** How a snapshot's serial log relates to the previous snapshot's. */
export type LogChange = 'new' | 'grown' | 'changed' | 'unchanged' | 'missing' | 'gone'
/** How a snapshot's screenshot relates to the previous snapshot's. */
export type ScreenshotChange = 'new' | 'changed' | 'unchanged' | 'missing' | 'gone'

export interface SnapshotChange {
  /** the previous snapshot's name; null for a VM's first snapshot */
  previous: string | null
  /** the verdict's outcome, when it differs from the previous snapshot's */
  outcome: {from: string | null; to: string | null} | null
  /** the failure signature, when it differs */
  signature: {from: string | null; to: string | null} | null
  /** grown: the previous log plus new lines; changed: different bytes (replaced, or not known to continue it) */
  serialLog: LogChange
  screenshot: ScreenshotChange
}

export function changeBetween(previous: SnapshotRecord | undefined, current: SnapshotRecord): SnapshotChange {
  return {
    outcome: previous && previous.outcome !== current.outcome ? {from: previous.outcome, to: current.outcome} : null,
    previous: previous?.name ?? null,
    screenshot: fileChange(previous?.screenshot ?? null, current.screenshot),
    serialLog: logChange(previous, current),
    signature:
      previous && previous.signature !== current.signature ? {from: previous.signature, to: current.signature} : null,
  }
}

function fileChange(before: FileFact | null, after: FileFact | null): ScreenshotChange {
  if (!after) return before ? 'gone' : 'missing'
  if (!before) return 'new'
  return before.sha256 === after.sha256 && before.bytes === after.bytes ? 'unchanged' : 'changed'
}

function logChange(previous: SnapshotRecord | undefined, current: SnapshotRecord): LogChange {
  const before = previous?.log ?? null
  const after = current.log
  if (!after) return before ? 'gone' : 'missing'
  if (!before) return 'new'
  if (before.sha256 === after.sha256 && before.bytes === after.bytes) return 'unchanged'
  return after.continues?.snapshot === previous!.name ? 'grown' : 'changed'
}

/** One snapshot in a VM summary's recent history: what reboot loops and stuck screens are judged on. */
export interface RecentSnapshot {
  takenAt: string
  outcome: string | null
  /** its serial log differs from the previous snapshot's (new, grown, replaced) */
  logChanged: boolean
  /** the start of its screenshot's SHA-256 (null: no screenshot) */
  screen: string | null
}

/** How many of a VM's latest snapshots its summary keeps (reboot loops and stuck screens are judged on them). */
export const RECENT_SNAPSHOTS = 12

/** What the index keeps per VM: its latest snapshot's verdict, since when, what changed, the recent ones. */
export interface VmSummary {
  vmKey: string
  subscriptionId: string
  resourceGroup: string
  name: string
  resourceId: string
  vmId: string | null
  vmss: string | null
  instanceId: string | null
  snapshots: number
  firstSnapshot: string
  firstAt: string
  latestSnapshot: string
  latestAt: string
  reason: string
  outcome: string | null
  lastStage: string | null
  summary: string | null
  signature: string | null
  screen: unknown
  /** the latest snapshot holds a screenshot.png */
  hasPng: boolean
  /** taken when the VM entered its current state: the first of the latest snapshots with this outcome */
  since: string
  sinceSnapshot: string
  /** the latest snapshot against the one before it */
  changed: SnapshotChange
  /** the latest snapshots (at most RECENT_SNAPSHOTS), oldest first */
  recent: RecentSnapshot[]
}

/** Each snapshot with what changed since the one before it (records oldest first). */
export function withChanges(
  records: readonly SnapshotRecord[],
): Array<{record: SnapshotRecord; changed: SnapshotChange}> {
  return records.map((record, i) => ({changed: changeBetween(records[i - 1], record), record}))
}

/** The summary of a VM's timeline (records oldest first, at least one). */
export function summariseTimeline(records: readonly SnapshotRecord[]): VmSummary {
  const latest = records.at(-1)!
  const first = records[0]
  let sinceIndex = records.length - 1
  while (sinceIndex > 0 && records[sinceIndex - 1].outcome === latest.outcome) sinceIndex--
  const from = Math.max(0, records.length - RECENT_SNAPSHOTS)
  const recent = records.slice(from).map((record, i): RecentSnapshot => {
    const log = changeBetween(records[from + i - 1], record).serialLog
    return {
      logChanged: log === 'new' || log === 'grown' || log === 'changed',
      outcome: record.outcome,
      screen: record.screenshot?.sha256.slice(0, 16) ?? null,
      takenAt: record.takenAt,
    }
  })
  return {
    changed: changeBetween(records.at(-2), latest),
    firstAt: first.takenAt,
    firstSnapshot: first.name,
    hasPng: latest.png !== null,
    instanceId: latest.instanceId,
    lastStage: latest.lastStage,
    latestAt: latest.takenAt,
    latestSnapshot: latest.name,
    name: latest.vmName,
    outcome: latest.outcome,
    reason: latest.reason,
    recent,
    resourceGroup: latest.resourceGroup,
    resourceId: latest.resourceId,
    screen: latest.screen,
    signature: latest.signature,
    since: records[sinceIndex].takenAt,
    sinceSnapshot: records[sinceIndex].name,
    snapshots: records.length,
    subscriptionId: latest.subscriptionId,
    summary: latest.summary,
    vmId: latest.vmId,
    vmKey: latest.vmKey,
    vmss: latest.vmss,
  }
}

/** Snapshot names in time order (the same second's -1, -2, ... after the plain stamp). */
export function compareSnapshotNames(a: string, b: string): number {
  const suffix = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? 0)
  return a.slice(0, 16).localeCompare(b.slice(0, 16)) || suffix(a) - suffix(b)
}
