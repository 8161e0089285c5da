/**
 * Which VMs an archive run should alert on: those whose new snapshot's verdict is a failure while the
 * snapshot it follows was healthy (or had no verdict, or there was none), and those that still fail but
 * under another failure signature. A VM that keeps failing the same way, a VM that recovers, a VM with no
 * new snapshot and a VM that could not be archived are no news.
 */
import {HEALTHY_OUTCOMES} from '../../analysis/types.js'
import type {PreviousVerdict} from '../archive/archive-vm.js'
import type {ArchiveSummary, VmArchiveResult} from '../archive/fleet.js'

export type VerdictChangeKind = 'became-failure' | 'signature-changed'

export interface VerdictChange {
  kind: VerdictChangeKind
  vm: Pick<VmArchiveResult, 'id' | 'instanceId' | 'name' | 'resourceGroup' | 'subscriptionId' | 'vmss'>
  outcome: string
  lastStage: string | null
  signature: string | null
  summary: string
  /** the new snapshot: its folder, or its URL in a container */
  snapshot: string
  /** the verdict it follows; null for the VM's first snapshot */
  previous: PreviousVerdict | null
}

export function isFailureOutcome(outcome: string | null | undefined): outcome is string {
  return typeof outcome === 'string' && !(HEALTHY_OUTCOMES as readonly string[]).includes(outcome)
}

/** The run's alerts, in the summary's order (by VM). */
export function verdictChanges(summary: Pick<ArchiveSummary, 'vms'>): VerdictChange[] {
  const changes: VerdictChange[] = []
  for (const vm of summary.vms) {
    const verdict = vm.analysis
    if (vm.result !== 'new' || !verdict || !isFailureOutcome(verdict.outcome)) continue
    const previous = vm.previousVerdict ?? null
    const signature = verdict.signature ?? null
    const wasFailing = isFailureOutcome(previous?.outcome)
    if (wasFailing && previous?.signature === signature) continue
    changes.push({
      kind: wasFailing ? 'signature-changed' : 'became-failure',
      lastStage: verdict.lastStage,
      outcome: verdict.outcome,
      previous,
      signature,
      snapshot: vm.snapshot ?? '',
      summary: verdict.summary,
      vm: {
        id: vm.id,
        name: vm.name,
        resourceGroup: vm.resourceGroup,
        subscriptionId: vm.subscriptionId,
        ...(vm.vmss ? {instanceId: vm.instanceId, vmss: vm.vmss} : {}),
      },
    })
  }

  return changes
}
