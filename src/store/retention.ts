/**
 * Retention (`archive --keep-days N`): snapshots older than N days are deleted, except each VM's newest
 * snapshot — the last evidence of a VM is never pruned, however old — and the snapshot the VM's
 * incremental state builds on. A snapshot's age is read from its folder name (the UTC time it was taken).
 */
import {type VmLocation, snapshotTime, sortSnapshotNames, vmSegments} from './layout.js'
import type {ArchiveStore} from './store.js'

const DAY_MS = 86_400_000

export interface RetentionRule {
  keepDays: number
  now: Date
  /** snapshots to keep whatever their age (e.g. the incremental state's baseline) */
  alsoKeep?: readonly string[]
}

/** Which of a VM's snapshots the rule deletes: older than keepDays, never the newest, never `alsoKeep`. */
export function snapshotsToDelete(names: readonly string[], rule: RetentionRule): string[] {
  const sorted = sortSnapshotNames(names)
  const newest = sorted.at(-1)
  const cutoff = rule.now.getTime() - rule.keepDays * DAY_MS
  return sorted.filter((name) => {
    if (name === newest || rule.alsoKeep?.includes(name)) return false
    const taken = snapshotTime(name)
    return taken !== undefined && taken.getTime() < cutoff
  })
}

export interface RetentionReport {
  keepDays: number
  /** VMs whose snapshots were looked at */
  vms: number
  snapshotsDeleted: number
  /** one line per snapshot that could not be deleted */
  failures: string[]
}

export interface RetentionOptions extends RetentionRule {
  /** only these VMs (a shard's); default: every VM in the archive */
  vms?: readonly VmLocation[]
  /** per VM (key: vmKey), snapshots to keep whatever their age */
  keepByVm?: ReadonlyMap<string, readonly string[]>
  signal?: AbortSignal
}

/** `<subscription>/<resourceGroup>/<vm>` as the archive spells it (lower-case). */
export function vmKey(vm: VmLocation): string {
  return vmSegments(vm).join('/')
}

export async function applyRetention(store: ArchiveStore, options: RetentionOptions): Promise<RetentionReport> {
  const failures: string[] = []
  const listed = options.vms
    ? await Promise.all(
        options.vms.map(async (vm) => ({
          // a VM whose folder cannot be listed safely (a planted link) is left alone and reported
          snapshots: await store.listSnapshots(vm).catch((error: unknown) => {
            failures.push((error as Error).message.split('\n')[0])
            return [] as string[]
          }),
          vm,
        })),
      )
    : await store.listArchive()
  const report: RetentionReport = {failures, keepDays: options.keepDays, snapshotsDeleted: 0, vms: listed.length}
  for (const {vm, snapshots} of listed) {
    options.signal?.throwIfAborted()
    const alsoKeep = [...(options.alsoKeep ?? []), ...(options.keepByVm?.get(vmKey(vm)) ?? [])]
    for (const snapshot of snapshotsToDelete(snapshots, {...options, alsoKeep})) {
      try {
        await store.deleteSnapshot(vm, snapshot)
        report.snapshotsDeleted++
      } catch (error) {
        report.failures.push(`${store.snapshotLocation(vm, snapshot)}: ${(error as Error).message.split('\n')[0]}`)
      }
    }
  }

  return report
}
