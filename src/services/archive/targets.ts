/**
 * Which VMs `archive` archives: every VM (and, with --include-vmss, scale-set instance) that has boot
 * diagnostics, in one or many subscriptions, optionally one resource group, optionally one shard.
 *
 * Listing never costs a request per VM:
 * - one subscription: the Compute paged lists, as `vm list` reads them — the models (boot diagnostics
 *   settings) joined by id with `statusOnly=true` (power state), a few requests per page;
 * - several subscriptions (--all-subscriptions, or --subscription repeated): ONE Azure Resource Graph query
 *   across all of them (`Resources | where type =~ 'microsoft.compute/virtualmachines'`), 1000 rows per
 *   page with $skipToken. Where Resource Graph is not offered (Azure Stack Hub), the Compute lists are
 *   used per subscription instead. Uniform scale-set instances are not in the Resources table: they come
 *   from the Compute lists (one paged list per scale set) either way.
 *
 * `--shard I/N` keeps the VMs whose resource ID (lower-cased) hashes to I modulo N: a stable split, so N
 * workers (a Kubernetes indexed Job) share a fleet without overlap and without talking to each other.
 */
import {createHash} from 'node:crypto'

import type {VirtualMachineScaleSet} from '@azure/arm-compute'

import type {ComputeApi, ResourceGraphApi} from '../../azure/clients.js'
import type {RunContext} from '../../context/run-context.js'
import {toBootdiagErrorFromAzure} from '../../azure/errors.js'
import {type VmRef, nameOf, resourceGroupOf} from '../../azure/resource-id.js'
import {BootdiagError, UsageError, isAbortError} from '../../errors.js'
import {collectSome, mapWithConcurrency} from '../../util/concurrency.js'
import {type FleetEntry, indexVmKey} from '../../store/index/records.js'
import {
  type VmSummary,
  bootDiagnosticsSettings,
  osTypeOf,
  powerStateOf,
  summaryOfScaleSetVm,
  summaryOfVm,
} from '../vm/inventory.js'

/** One VM to archive: what the listing said of it, and how to address it. */
export interface ArchiveTarget extends VmSummary {
  subscriptionId: string
  /** Azure's unique id of the VM, or null when the listing did not give it */
  vmId: string | null
  ref: VmRef
}

export interface Shard {
  /** 0-based: 0 … count-1 (a Kubernetes indexed Job's JOB_COMPLETION_INDEX) */
  index: number
  count: number
}

/** `--shard I/N`, 0 ≤ I < N. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || count > 10_000 || index >= count) {
    throw new UsageError(
      `--shard '${text}' is not I/N with 0 ≤ I < N (e.g. --shard 0/4 … --shard 3/4; in a Kubernetes indexed Job: --shard $JOB_COMPLETION_INDEX/N).`,
    )
  }

  return {count, index}
}

/** The shard a VM belongs to: SHA-256 of its lower-cased resource ID, modulo the shard count. */
export function shardOf(resourceId: string, count: number): number {
  const digest = createHash('sha256').update(resourceId.toLowerCase()).digest()
  return Number(digest.readBigUInt64BE(0) % BigInt(count))
}

/** What listing the fleet needs from the run: Azure, where notes go, Ctrl-C. */
export type TargetContext = Pick<RunContext, 'azure' | 'events' | 'signal'>

export interface TargetOptions {
  subscriptions: string[]
  resourceGroup?: string
  includeVmss?: boolean
  shard?: Shard
  /** list with Resource Graph even for one subscription (default: only for several) */
  resourceGraph?: boolean
}

export interface TargetListing {
  targets: ArchiveTarget[]
  /** how the fleet was listed */
  listedWith: 'compute' | 'resource-graph'
  /** VMs with boot diagnostics before the shard filter */
  fleetSize: number
  /** VMs in scope (and in the shard) with boot diagnostics off: recorded in the index as such, not archived */
  disabled: ArchiveTarget[]
  /**
   * parts of the fleet that could not be listed (a page that still failed after the SDK's retries): the
   * VMs listed before it are archived all the same, and the run reports these (exit 5)
   */
  failures: ListingFailure[]
}

/** A part of the fleet that could not be listed. */
export interface ListingFailure {
  /** what was being listed: "VMs in subscription …", "instances of scale set …", … */
  scope: string
  error: {code: string; message: string}
}

/** Collects what could not be listed while the rest goes on. */
class ListingFailures {
  readonly all: ListingFailure[] = []

  /** Keep `error` as the failure of `scope`; Ctrl-C is not a listing failure: it stops the run. */
  add(scope: string, error: unknown, context: Parameters<typeof toBootdiagErrorFromAzure>[1]): void {
    if (isAbortError(error) || (error as {name?: string})?.name === 'AbortError') throw error
    const mapped =
      toBootdiagErrorFromAzure(error, context) ??
      new BootdiagError(error instanceof Error ? error.message.split('\n')[0] : String(error), {cause: error})
    this.all.push({error: {code: mapped.code, message: mapped.message.replaceAll(/\s*\n\s*/g, ' ')}, scope})
  }

  /** Nothing at all could be listed: fail the run with the first error, as before partial listing. */
  throwIfNothingListed(listed: number, errors: unknown[]): void {
    if (listed === 0 && errors.length > 0) throw errors[0]
  }
}

export async function listArchiveTargets(context: TargetContext, options: TargetOptions): Promise<TargetListing> {
  const {azure, signal} = context
  let listedWith: TargetListing['listedWith'] = 'compute'
  let all: ArchiveTarget[] | undefined
  let failures = new ListingFailures()
  const useGraph = options.resourceGraph ?? options.subscriptions.length > 1
  if (useGraph) {
    try {
      all = await listWithResourceGraph(await azure.resourceGraph(), options, signal, failures)
      listedWith = 'resource-graph'
      if (options.includeVmss) {
        const perSubscription = await mapWithConcurrency(options.subscriptions, 4, async (sub) =>
          listUniformInstances(await azure.compute(sub), sub, options, signal, failures),
        )
        all.push(...perSubscription.flat())
      }
    } catch (error) {
      if (!resourceGraphUnavailable(error))
        throw toBootdiagErrorFromAzure(error, {action: 'list VMs with Azure Resource Graph'}) ?? error
      context.events.note('Azure Resource Graph is not available in this cloud; listing each subscription instead.')
      all = undefined
      failures = new ListingFailures()
    }
  }

  if (!all) {
    // Several subscriptions: one that cannot be listed at all is reported, the others are archived.
    const errors: unknown[] = []
    const perSubscription = await mapWithConcurrency(options.subscriptions, 4, async (sub) => {
      try {
        return await listWithCompute(await azure.compute(sub), sub, options, signal, failures)
      } catch (error) {
        if (options.subscriptions.length === 1) throw error
        errors.push(error)
        failures.add(`VMs in subscription ${sub}`, error, {action: 'list VMs', subscriptionId: sub})
        return []
      }
    })
    all = perSubscription.flat()
    failures.throwIfNothingListed(all.length, errors)
  }

  const inShard = (vm: ArchiveTarget) => !options.shard || shardOf(vm.id, options.shard.count) === options.shard.index
  const unique = dedupe(all)
  const withDiagnostics = unique.filter((vm) => vm.bootDiagnostics.enabled).sort(byPlace)
  const disabled = unique.filter((vm) => !vm.bootDiagnostics.enabled && inShard(vm)).sort(byPlace)
  return {
    disabled,
    failures: failures.all,
    fleetSize: withDiagnostics.length,
    listedWith,
    targets: withDiagnostics.filter(inShard),
  }
}

function byPlace(a: ArchiveTarget, b: ArchiveTarget): number {
  return (
    a.subscriptionId.localeCompare(b.subscriptionId) ||
    a.resourceGroup.localeCompare(b.resourceGroup, 'en', {sensitivity: 'base'}) ||
    a.name.localeCompare(b.name, 'en', {numeric: true, sensitivity: 'base'})
  )
}

function dedupe(targets: ArchiveTarget[]): ArchiveTarget[] {
  const seen = new Set<string>()
  return targets.filter((vm) => {
    const key = vm.id.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function target(summary: VmSummary, subscriptionId: string, vmId: string | null): ArchiveTarget {
  const ref: VmRef =
    summary.vmss && summary.instanceId !== undefined && !isFlexibleMember(summary)
      ? {
          name: summary.name,
          resourceGroup: summary.resourceGroup,
          subscriptionId,
          vmss: {instanceId: summary.instanceId, name: summary.vmss},
        }
      : {name: summary.name, resourceGroup: summary.resourceGroup, subscriptionId}
  return {...summary, ref, subscriptionId: subscriptionId.toLowerCase(), vmId}
}

/** A Flexible member is an ordinary VM (its "instance id" is its name) and is addressed as one. */
function isFlexibleMember(summary: VmSummary): boolean {
  return /\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/i.test(summary.id)
}

/**
 * One subscription through the Compute paged lists (models joined with statusOnly by id). A page that
 * still fails after the SDK's retries ends that list: what came before it is kept, the rest is a listing
 * failure (without the power states, a VM's is unknown); only a list that gave nothing at all fails.
 */
async function listWithCompute(
  compute: ComputeApi,
  subscriptionId: string,
  options: TargetOptions,
  signal: AbortSignal | undefined,
  failures: ListingFailures,
): Promise<ArchiveTarget[]> {
  const context = {
    action: 'list VMs',
    permission: 'Microsoft.Compute/virtualMachines/read',
    resourceGroup: options.resourceGroup,
    subscriptionId,
  }
  const where = `subscription ${subscriptionId}${options.resourceGroup ? `, resource group ${options.resourceGroup}` : ''}`
  try {
    const abortSignal = signal
    const inGroup = (id: string | undefined) =>
      !options.resourceGroup || resourceGroupOf(id)?.toLowerCase() === options.resourceGroup.toLowerCase()
    const [listed, statusList] = await Promise.all([
      collectSome(
        options.resourceGroup
          ? compute.virtualMachines.list(options.resourceGroup, {abortSignal})
          : compute.virtualMachines.listAll({abortSignal}),
      ),
      collectSome(compute.virtualMachines.listAll({abortSignal, statusOnly: 'true'})),
    ])
    failures.throwIfNothingListed(
      listed.items.length,
      [listed.error].filter((error) => error !== undefined),
    )
    if (listed.error) failures.add(`VMs in ${where} after the first ${listed.items.length}`, listed.error, context)
    if (statusList.error)
      failures.add(`power states in ${where} after the first ${statusList.items.length}`, statusList.error, context)
    const models = listed.items
    const statuses = statusList.items
    const statusById = new Map(statuses.filter((vm) => inGroup(vm.id)).map((vm) => [vm.id?.toLowerCase(), vm]))
    const out: ArchiveTarget[] = []
    for (const vm of models) {
      const flexibleSet = vm.virtualMachineScaleSet?.id
      if (flexibleSet && !options.includeVmss) continue
      const status = statusById.get(vm.id?.toLowerCase())
      const summary = summaryOfVm(vm, powerStateOf(status?.instanceView?.statuses))
      out.push(
        target(
          {...summary, ...(flexibleSet ? {instanceId: summary.name, vmss: nameOf(flexibleSet) ?? ''} : {})},
          subscriptionId,
          vm.vmId ?? status?.vmId ?? null,
        ),
      )
    }

    if (options.includeVmss)
      out.push(...(await listUniformInstances(compute, subscriptionId, options, signal, failures)))
    return out
  } catch (error) {
    throw toBootdiagErrorFromAzure(error, context) ?? error
  }
}

/** Uniform scale-set instances: one paged list (with instance views) per scale set; a failing list is reported, the others go on. */
async function listUniformInstances(
  compute: ComputeApi,
  subscriptionId: string,
  options: TargetOptions,
  signal: AbortSignal | undefined,
  failures: ListingFailures,
): Promise<ArchiveTarget[]> {
  const abortSignal = signal
  const context = {action: 'list scale sets', resourceGroup: options.resourceGroup, subscriptionId}
  const listed = await collectSome<VirtualMachineScaleSet>(
    options.resourceGroup
      ? compute.virtualMachineScaleSets.list(options.resourceGroup, {abortSignal})
      : compute.virtualMachineScaleSets.listAll({abortSignal}),
  )
  if (listed.error)
    failures.add(
      `scale sets in subscription ${subscriptionId} after the first ${listed.items.length}`,
      listed.error,
      context,
    )
  const uniform = listed.items.filter((set) => set.orchestrationMode !== 'Flexible' && set.name && set.id)
  const instances = await mapWithConcurrency(uniform, 8, async (set) => {
    const page = await collectSome(
      compute.virtualMachineScaleSetVMs.list(resourceGroupOf(set.id)!, set.name!, {
        abortSignal,
        expand: 'instanceView',
      }),
    )
    if (page.error)
      failures.add(`instances of scale set ${set.name} after the first ${page.items.length}`, page.error, context)
    const vms = page.items
    return vms.map((vm) =>
      target(
        summaryOfScaleSetVm(vm, set, set.virtualMachineProfile?.diagnosticsProfile),
        subscriptionId,
        vm.vmId ?? null,
      ),
    )
  })
  return instances.flat()
}

/** The Resource Graph query: VMs with what archive needs, sorted by id (stable paging needs the id). */
export function resourceGraphQuery(resourceGroup?: string): string {
  const group = resourceGroup ? `\n| where resourceGroup =~ '${resourceGroup.replaceAll("'", '')}'` : ''
  return [
    `Resources`,
    `| where type =~ 'microsoft.compute/virtualmachines'${group}`,
    `| project id, name, location, resourceGroup, subscriptionId, vmId = properties.vmId, bootDiagnostics = properties.diagnosticsProfile.bootDiagnostics, powerState = properties.extended.instanceView.powerState.code, scaleSetId = properties.virtualMachineScaleSet.id, osType = properties.storageProfile.osDisk.osType`,
    `| order by id asc`,
  ].join('\n')
}

interface GraphRow {
  id?: string
  name?: string
  location?: string
  resourceGroup?: string
  subscriptionId?: string
  vmId?: string | null
  bootDiagnostics?: {enabled?: boolean; storageUri?: string} | null
  powerState?: string | null
  scaleSetId?: string | null
  osType?: string | null
}

/** Subscriptions per Resource Graph request (the service's limit is 1000). */
const GRAPH_SUBSCRIPTIONS_PER_QUERY = 1000

async function listWithResourceGraph(
  graph: ResourceGraphApi,
  options: TargetOptions,
  signal: AbortSignal | undefined,
  failures: ListingFailures,
): Promise<ArchiveTarget[]> {
  const query = resourceGraphQuery(options.resourceGroup)
  const out: ArchiveTarget[] = []
  for (let i = 0; i < options.subscriptions.length; i += GRAPH_SUBSCRIPTIONS_PER_QUERY) {
    const subscriptions = options.subscriptions.slice(i, i + GRAPH_SUBSCRIPTIONS_PER_QUERY)
    let skipToken: string | undefined
    do {
      let page: Awaited<ReturnType<ResourceGraphApi['resources']>>
      try {
        page = await graph.resources(
          {options: {resultFormat: 'objectArray', top: 1000, ...(skipToken ? {skipToken} : {})}, query, subscriptions},
          {abortSignal: signal},
        )
      } catch (error) {
        // the first page: nothing listed (or Resource Graph is not offered here); a later one: keep the rest
        if (!skipToken) throw error
        failures.add(`VMs after the first ${out.length} rows of Azure Resource Graph`, error, {
          action: 'list VMs with Azure Resource Graph',
        })
        break
      }

      for (const row of (Array.isArray(page.data) ? page.data : []) as GraphRow[]) {
        if (!row.id || !row.subscriptionId) continue
        const flexibleSet = row.scaleSetId ?? undefined
        if (flexibleSet && !options.includeVmss) continue
        const name = row.name ?? nameOf(row.id) ?? ''
        const summary: VmSummary = {
          bootDiagnostics: bootDiagnosticsSettings(
            row.bootDiagnostics ? {bootDiagnostics: row.bootDiagnostics} : undefined,
          ),
          id: row.id,
          location: row.location ?? '',
          name,
          osType: osTypeOf(row.osType),
          powerState: row.powerState ? row.powerState.replace(/^PowerState\//i, '').toLowerCase() : 'unknown',
          // The id keeps the resource group's own spelling; the resourceGroup column is lower-cased.
          resourceGroup: resourceGroupOf(row.id) ?? row.resourceGroup ?? '',
          ...(flexibleSet ? {instanceId: name, vmss: nameOf(flexibleSet) ?? ''} : {}),
        }
        out.push(target(summary, row.subscriptionId, row.vmId ?? null))
      }

      skipToken = page.skipToken
    } while (skipToken)
  }

  return out
}

/** Resource Graph does not exist here (Azure Stack Hub, some private clouds): fall back to Compute. */
function resourceGraphUnavailable(error: unknown): boolean {
  const status = (error as {statusCode?: number}).statusCode
  const code = (error as {code?: string}).code ?? ''
  return (
    status === 404 ||
    /NoRegisteredProviderFound|InvalidResourceNamespace|InvalidResourceType|MissingSubscriptionRegistration/i.test(code)
  )
}

/** The fleet as listed, as the index records it: every VM in scope, boot diagnostics on (targets) or off. */
export function fleetEntries(listing: TargetListing, seen: Date): FleetEntry[] {
  return [...listing.targets, ...listing.disabled].map((vm) => ({
    bootDiagnostics: vm.bootDiagnostics.enabled ? 'enabled' : 'disabled',
    disabledSince: null,
    instanceId: vm.instanceId ?? null,
    name: vm.name,
    powerState: vm.powerState,
    resourceGroup: vm.resourceGroup,
    resourceId: vm.id,
    seenAt: seen.toISOString(),
    subscriptionId: vm.subscriptionId,
    vmId: vm.vmId,
    vmKey: indexVmKey(vm),
    vmss: vm.vmss ?? null,
  }))
}
