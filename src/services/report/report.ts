/**
 * `bootdiag report`: the fleet now, from the archive's index. Per VM the latest verdict, since when it
 * has been in that state, what changed since its previous snapshot; VMs archive found without boot
 * diagnostics as `disabled` (a state, never an error); counts per outcome; failures grouped by signature;
 * reboot loops and VMs stuck on the same screen. With `live`, the fleet is also listed from Azure now, so
 * VMs never archived show up too.
 */
import {HEALTHY_OUTCOMES, OUTCOMES} from '../../analysis/types.js'
import type {RunContext} from '../../context/run-context.js'
import type {FleetEntry} from '../../store/index/records.js'
import type {IndexView} from '../../store/index/reader.js'
import type {SnapshotChange, VmSummary} from '../../store/index/timeline.js'
import type {ArchiveStore} from '../../store/store.js'
import {type IndexContext, openIndex} from './open-index.js'

/** What --outcome accepts: an outcome, `failure` (any failure), `healthy`, `disabled`, or `none` (no verdict). */
export const OUTCOME_FILTERS = [...OUTCOMES, 'failure', 'healthy', 'disabled', 'none'] as const
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number]

export interface ReportOptions {
  /** only these subscriptions (IDs) */
  subscriptions?: string[]
  resourceGroup?: string
  /** only VMs with a snapshot (or, disabled, seen by archive) since then */
  since?: Date
  outcomes?: OutcomeFilter[]
  /** list the fleet from Azure now as well (VMs never archived, boot diagnostics off) */
  live?: boolean
}

export interface ReportVm {
  name: string
  resourceGroup: string
  subscriptionId: string
  vmss?: string
  instanceId?: string
  bootDiagnostics: 'enabled' | 'disabled'
  /** the latest snapshot's verdict (null: disabled, never archived, or no log) */
  outcome: string | null
  lastStage: string | null
  summary: string | null
  /** since when the VM has been in this state: the first of its latest snapshots with this outcome */
  since: string | null
  signature: string | null
  /** the latest snapshot against the one before it (null: no snapshot) */
  changed: SnapshotChange | null
  /** the latest snapshot: name, time, where */
  snapshot: string | null
  snapshotAt: string | null
  path: string | null
  snapshots: number
  /** the log kept changing over the latest snapshots without a healthy verdict: a boot that keeps failing */
  rebootLoop: {snapshots: number; since: string} | null
  /** a failure on the same screen across snapshots (the screenshot's SHA-256 repeats) */
  stuck: {snapshots: number; since: string} | null
  /** when an archive run last listed it */
  lastSeen: string | null
  powerState: string | null
}

export interface SignatureGroup {
  signature: string
  outcome: string
  count: number
  /** the earliest `since` among them */
  since: string | null
  vms: Array<{name: string; resourceGroup: string; subscriptionId: string}>
}

export interface FleetReport {
  archive: string
  generatedAt: string
  counts: Record<string, number>
  groups: SignatureGroup[]
  rebootLoops: Array<{name: string; resourceGroup: string; snapshots: number; since: string}>
  stuck: Array<{name: string; resourceGroup: string; snapshots: number; since: string}>
  vms: ReportVm[]
}

/** Reboot loop: at least this many latest snapshots whose log changed, none of them healthy. */
export const LOOP_SNAPSHOTS = 3
/** Stuck: the same screen in this many latest snapshots, or unchanged this long after the latest. */
export const STUCK_SNAPSHOTS = 2
export const STUCK_UNCHANGED_MS = 15 * 60_000
/** A VM listed by archive runs no later than this before the newest listing still counts as in the fleet. */
export const FLEET_STALE_MS = 7 * 86_400_000

export type ReportContext = IndexContext & Pick<RunContext, 'azure' | 'clock'>

export async function reportFleet(context: ReportContext, options: ReportOptions): Promise<FleetReport> {
  const {store, view} = await openIndex(context)
  try {
    return await buildReport(context, store, view, options)
  } finally {
    await view.close()
  }
}

/** The report over an index already open (the HTML page reads more from the same view). */
export async function buildReport(
  context: ReportContext,
  store: ArchiveStore,
  view: IndexView,
  options: ReportOptions,
): Promise<FleetReport> {
  const fleet = new Map(freshFleet(view.fleet()).map((entry) => [entry.vmKey, entry]))
  if (options.live) {
    const subscriptions = options.subscriptions?.length
      ? await Promise.all(
          options.subscriptions.map(async (s) => (await context.azure.resolveSubscription(s)).subscriptionId),
        )
      : [await context.azure.subscriptionId()]
    options = {...options, subscriptions}
    for (const entry of await liveFleet(context, subscriptions, options.resourceGroup)) {
      const recorded = fleet.get(entry.vmKey)
      const disabledSince =
        entry.bootDiagnostics === 'disabled' && recorded?.bootDiagnostics === 'disabled'
          ? (recorded.disabledSince ?? recorded.seenAt)
          : entry.disabledSince
      fleet.set(entry.vmKey, {...entry, disabledSince})
    }
  }

  // One summary at a time: only the VMs reported are kept.
  const vms: ReportVm[] = []
  const archived = new Set<string>()
  for (const summary of view.eachSummary()) {
    archived.add(summary.vmKey)
    const vm = reportVm(store, summary, fleet.get(summary.vmKey))
    if (vm && wanted(vm, options)) vms.push(vm)
  }

  for (const [key, entry] of fleet) {
    if (archived.has(key)) continue
    const vm = reportVm(store, undefined, entry)
    if (vm && wanted(vm, options)) vms.push(vm)
  }

  const collator = new Intl.Collator('en', {numeric: true, sensitivity: 'base'})
  vms.sort(
    (a, b) =>
      (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0) ||
      collator.compare(a.resourceGroup, b.resourceGroup) ||
      collator.compare(a.name, b.name),
  )
  const counts: Record<string, number> = {}
  for (const vm of vms) {
    const key = stateOf(vm)
    counts[key] = (counts[key] ?? 0) + 1
  }

  return {
    archive: store.location,
    counts,
    generatedAt: context.clock.now().toISOString(),
    groups: groupsOf(vms),
    rebootLoops: vms.flatMap((vm) => (vm.rebootLoop ? [{...placeOf(vm), ...vm.rebootLoop}] : [])),
    stuck: vms.flatMap((vm) => (vm.stuck ? [{...placeOf(vm), ...vm.stuck}] : [])),
    vms,
  }
}

/** `disabled`, the outcome, or `none` (archived without a verdict, or never archived). */
export function stateOf(vm: Pick<ReportVm, 'bootDiagnostics' | 'outcome'>): string {
  if (vm.bootDiagnostics === 'disabled') return 'disabled'
  return vm.outcome ?? 'none'
}

export function isFailure(outcome: string | null): boolean {
  return outcome !== null && !(HEALTHY_OUTCOMES as readonly string[]).includes(outcome)
}

function placeOf(vm: ReportVm): {name: string; resourceGroup: string} {
  return {name: vm.name, resourceGroup: vm.resourceGroup}
}

function reportVm(
  store: ArchiveStore,
  summary: VmSummary | undefined,
  seen: FleetEntry | undefined,
): ReportVm | undefined {
  if (!summary && !seen) return undefined
  const disabled = seen?.bootDiagnostics === 'disabled'
  const place = summary
    ? {name: summary.name, resourceGroup: summary.resourceGroup, subscriptionId: summary.subscriptionId}
    : {name: seen!.name, resourceGroup: seen!.resourceGroup, subscriptionId: seen!.subscriptionId}
  const vmss = summary?.vmss ?? seen?.vmss
  const instanceId = summary?.instanceId ?? seen?.instanceId
  const verdict = summary && !disabled ? summary : undefined
  return {
    ...place,
    ...(vmss ? {vmss} : {}),
    ...(vmss && instanceId ? {instanceId} : {}),
    bootDiagnostics: disabled ? 'disabled' : 'enabled',
    changed: summary?.changed ?? null,
    lastSeen: seen?.seenAt ?? null,
    lastStage: verdict?.lastStage ?? null,
    outcome: verdict?.outcome ?? null,
    path: summary ? store.snapshotLocation(place, summary.latestSnapshot) : null,
    powerState: seen?.powerState ?? null,
    rebootLoop: verdict ? rebootLoopOf(verdict) : null,
    signature: verdict?.signature ?? null,
    since: disabled ? (seen?.disabledSince ?? seen?.seenAt ?? null) : (verdict?.since ?? null),
    snapshot: summary?.latestSnapshot ?? null,
    snapshotAt: summary?.latestAt ?? null,
    snapshots: summary?.snapshots ?? 0,
    stuck: verdict ? stuckOf(verdict, seen) : null,
    summary: verdict?.summary ?? null,
  }
}

/** The latest snapshots whose log changed each time, none healthy (a `reboot` ending is part of a loop). */
export function rebootLoopOf(summary: VmSummary): ReportVm['rebootLoop'] {
  let n = 0
  for (let i = summary.recent.length - 1; i >= 0; i--) {
    const snapshot = summary.recent[i]
    const unhealthy =
      snapshot.outcome !== null && snapshot.outcome !== 'booted' && snapshot.outcome !== 'shutdown-complete'
    if (!snapshot.logChanged || !unhealthy) break
    n++
  }

  if (n < LOOP_SNAPSHOTS || (!isFailure(summary.outcome) && summary.outcome !== 'reboot')) return null
  return {since: summary.recent[summary.recent.length - n].takenAt, snapshots: n}
}

/** A failing VM whose screen stays the same across its latest snapshots (or that archive found unchanged since). */
export function stuckOf(summary: VmSummary, seen: FleetEntry | undefined): ReportVm['stuck'] {
  if (summary.outcome !== null && !isFailure(summary.outcome)) return null
  const latest = summary.recent.at(-1)
  if (!latest?.screen) return null
  let n = 0
  for (let i = summary.recent.length - 1; i >= 0; i--) {
    if (summary.recent[i].screen !== latest.screen) break
    n++
  }

  const unchangedSince =
    seen !== undefined && new Date(seen.seenAt).getTime() - new Date(summary.latestAt).getTime() >= STUCK_UNCHANGED_MS
  if (n < STUCK_SNAPSHOTS && !unchangedSince) return null
  return {since: summary.recent[summary.recent.length - n].takenAt, snapshots: n}
}

function groupsOf(vms: ReportVm[]): SignatureGroup[] {
  const groups = new Map<string, SignatureGroup>()
  for (const vm of vms) {
    if (!vm.signature || !isFailure(vm.outcome)) continue
    const group = groups.get(vm.signature) ?? {
      count: 0,
      outcome: vm.outcome!,
      signature: vm.signature,
      since: null,
      vms: [],
    }
    group.count++
    group.vms.push({name: vm.name, resourceGroup: vm.resourceGroup, subscriptionId: vm.subscriptionId})
    if (vm.since && (!group.since || vm.since < group.since)) group.since = vm.since
    groups.set(vm.signature, group)
  }

  return [...groups.values()].sort((a, b) => b.count - a.count || a.signature.localeCompare(b.signature))
}

function wanted(vm: ReportVm, options: ReportOptions): boolean {
  if (
    options.subscriptions?.length &&
    !options.subscriptions.some((s) => s.toLowerCase() === vm.subscriptionId.toLowerCase())
  )
    return false
  if (options.resourceGroup && options.resourceGroup.toLowerCase() !== vm.resourceGroup.toLowerCase()) return false
  if (options.since) {
    const at = vm.snapshotAt ?? vm.lastSeen
    if (!at || new Date(at).getTime() < options.since.getTime()) return false
  }

  if (options.outcomes?.length) {
    const state = stateOf(vm)
    return options.outcomes.some(
      (filter) =>
        filter === state ||
        (filter === 'failure' && state !== 'disabled' && isFailure(vm.outcome)) ||
        (filter === 'healthy' && state !== 'disabled' && vm.outcome !== null && !isFailure(vm.outcome)),
    )
  }

  return true
}

/** Fleet entries of listings that are current (a writer gone for a week no longer speaks for its VMs). */
function freshFleet(entries: FleetEntry[]): FleetEntry[] {
  const newest = Math.max(0, ...entries.map((entry) => new Date(entry.seenAt).getTime()))
  return entries.filter((entry) => newest - new Date(entry.seenAt).getTime() <= FLEET_STALE_MS)
}

/** --live: the VMs in scope as Azure lists them now (as archive lists them), boot diagnostics on or off. */
async function liveFleet(
  context: ReportContext,
  subscriptions: string[],
  resourceGroup: string | undefined,
): Promise<FleetEntry[]> {
  const {fleetEntries, listArchiveTargets} = await import('../archive/targets.js')
  const listing = await listArchiveTargets(context, {
    includeVmss: true,
    resourceGroup,
    subscriptions: subscriptions.map((s) => s.toLowerCase()),
  })
  return fleetEntries(listing, context.clock.now())
}
