/** `bootdiag history` for people: one row per snapshot, newest first. `-o json` prints the entries. */
import type {HistoryEntry, VmHistory} from '../services/history/history.js'
import {humanBytes} from './archive-summary.js'
import {type Column, render} from './format.js'
import {describeChange, shortTime} from './report.js'

export const historyColumns: Column<HistoryEntry>[] = [
  {header: 'Taken', value: (s) => shortTime(s.takenAt)},
  {header: 'Snapshot', value: (s) => s.snapshot},
  {header: 'Reason', value: (s) => s.reason},
  {header: 'Verdict', value: (s) => s.outcome ?? ''},
  {header: 'Size', value: (s) => humanBytes(s.bytes)},
  {header: 'Changed', value: (s) => describeChange(s.changed)},
  {header: 'Signature', value: (s) => s.signature ?? ''},
]

export function formatHistory(history: VmHistory, color: boolean): string {
  const {vm} = history
  const head = `${vm.name} (${vm.resourceGroup}, subscription ${vm.subscriptionId}): ${history.snapshots.length} snapshot${history.snapshots.length === 1 ? '' : 's'}`
  return [
    color ? `\u001B[1m${head}\u001B[22m` : head,
    '',
    render(history.snapshots, {color, columns: historyColumns, format: 'table'}),
  ].join('\n')
}
