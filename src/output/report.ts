/**
 * `bootdiag report` for people: the counts, the failures grouped by signature, reboot loops and stuck
 * screens, then one row per VM (state, since when, what changed). `-o json` prints the FleetReport itself;
 * `-o tsv` the VM rows. Also the words history, diff and search use for a change between snapshots.
 */
import type {SnapshotChange} from '../store/index/timeline.js'
import type {FleetReport, ReportVm} from '../services/report/report.js'
import {stateOf} from '../services/report/report.js'
import {type Column, render} from './format.js'

/** 2026-11-25T10:30:00.000Z → 2026-11-25 10:30Z */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return ''
  return iso.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}).*$/, '$1 $2Z')
}

/** What changed since the previous snapshot, in a few words ('' when nothing is known). */
export function describeChange(changed: SnapshotChange | null | undefined): string {
  if (!changed) return ''
  if (changed.previous === null) return 'first snapshot'
  const parts: string[] = []
  if (changed.outcome) parts.push(`${changed.outcome.from ?? 'no verdict'} → ${changed.outcome.to ?? 'no verdict'}`)
  else if (changed.signature) parts.push('another failure')
  const log = {changed: 'log replaced', gone: 'log gone', grown: 'log grew', new: 'log new'} as Record<string, string>
  if (log[changed.serialLog]) parts.push(log[changed.serialLog])
  const screen = {changed: 'screen changed', gone: 'screen gone', new: 'screen new'} as Record<string, string>
  if (screen[changed.screenshot]) parts.push(screen[changed.screenshot])
  return parts.join('; ') || 'same'
}

function vmLabel(vm: Pick<ReportVm, 'name' | 'vmss' | 'instanceId'>): string {
  return vm.vmss && vm.instanceId !== undefined && vm.name !== vm.instanceId
    ? `${vm.name} (${vm.vmss}/${vm.instanceId})`
    : vm.name
}

export const reportColumns: Column<ReportVm>[] = [
  {header: 'VM', value: (vm) => vmLabel(vm)},
  {header: 'Resource group', value: (vm) => vm.resourceGroup},
  {header: 'State', value: (vm) => stateOf(vm) + (vm.rebootLoop ? ' (loop)' : vm.stuck ? ' (stuck)' : '')},
  {header: 'Since', value: (vm) => shortTime(vm.since)},
  {header: 'Changed', value: (vm) => describeChange(vm.changed)},
  {header: 'Signature', value: (vm) => vm.signature ?? ''},
]

/** "30 booted, 5 kernel-panic, 2 disabled": the biggest first. */
export function countsLine(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([state, n]) => `${n} ${state}`)
    .join(', ')
}

export function formatReport(report: FleetReport, color: boolean): string {
  const total = report.vms.length
  const bold = (text: string) => (color ? `\u001B[1m${text}\u001B[22m` : text)
  const lines = [bold(`Fleet: ${total} VM${total === 1 ? '' : 's'}${total ? ` — ${countsLine(report.counts)}` : ''}`)]
  if (report.groups.length > 0) {
    lines.push('', bold('Failures by signature:'))
    for (const group of report.groups)
      lines.push(
        `  ${group.signature} — ${group.count} VM${group.count === 1 ? '' : 's'}${group.since ? ` (since ${shortTime(group.since)})` : ''}`,
      )
  }

  if (report.rebootLoops.length > 0) {
    lines.push('', bold('Reboot loops (the log keeps changing, never healthy):'))
    for (const vm of report.rebootLoops)
      lines.push(`  ${vm.name} (${vm.resourceGroup}): ${vm.snapshots} snapshots since ${shortTime(vm.since)}`)
  }

  if (report.stuck.length > 0) {
    lines.push('', bold('Stuck on the same screen:'))
    for (const vm of report.stuck)
      lines.push(
        `  ${vm.name} (${vm.resourceGroup}): since ${shortTime(vm.since)}${vm.snapshots > 1 ? ` (${vm.snapshots} snapshots)` : ''}`,
      )
  }

  const table = render(report.vms, {color, columns: reportColumns, format: 'table'})
  if (table) lines.push('', table)
  lines.push('', `Archive: ${report.archive}`)
  return lines.join('\n')
}
