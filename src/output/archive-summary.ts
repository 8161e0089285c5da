/**
 * The end-of-run view of `archive`: one row per VM (result new / unchanged / failed, what changed, bytes
 * downloaded, the verdict of a new snapshot from both witnesses, the kind of screen it shows) and a totals
 * line. `-o json` prints the ArchiveSummary itself.
 */
import type {ArchiveSummary, VmArchiveResult} from '../services/archive/fleet.js'
import type {ReindexSummary} from '../services/archive/reindex.js'
import {printable} from '../util/printable.js'
import {type Column, render} from './format.js'

export const archiveColumns: Column<VmArchiveResult>[] = [
  {
    header: 'VM',
    value: (vm) =>
      vm.vmss && vm.instanceId !== undefined && vm.name !== vm.instanceId
        ? `${vm.name} (${vm.vmss}/${vm.instanceId})`
        : vm.name,
  },
  {header: 'Resource group', value: (vm) => vm.resourceGroup},
  {header: 'Result', value: (vm) => vm.result},
  {header: 'Serial log', value: (vm) => vm.serialLog ?? ''},
  {header: 'Screenshot', value: (vm) => vm.screenshot ?? ''},
  {header: 'Bytes', value: (vm) => vm.bytesDownloaded},
  {
    header: 'Verdict',
    value: (vm) =>
      vm.verdict ? `${vm.verdict}${vm.verdictFrom ? ' (unchanged)' : ''}` : vm.error ? vm.error.code : '',
  },
  {header: 'Screen', value: (vm) => vm.analysis?.screen?.kind ?? ''},
]

/** 1234567 → "1.2 MB" (decimal units, as storage bills them). */
export function humanBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = -1
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }

  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** One line: how many VMs, what happened, bytes, time. */
export function archiveTotalsLine(summary: ArchiveSummary): string {
  const {totals} = summary
  const shard = summary.shard ? ` (shard ${summary.shard.index}/${summary.shard.count} of ${summary.fleetSize})` : ''
  const parts = [
    `${totals.vms} VM${totals.vms === 1 ? '' : 's'}${shard}: ${totals.new} new, ${totals.unchanged} unchanged, ${totals.failed} failed`,
    `${humanBytes(totals.bytesDownloaded)} downloaded (serial logs ${humanBytes(totals.logBytesDownloaded)})`,
    `${(summary.durationMs / 1000).toFixed(1)} s`,
  ]
  const unlisted = summary.listingFailures?.length ?? 0
  if (unlisted > 0) parts.push(`${unlisted} part${unlisted === 1 ? '' : 's'} of the fleet not listed (see above)`)
  let line = `${parts.join('; ')}.`
  if (summary.retention) {
    line += ` Retention (${summary.retention.keepDays} days): ${summary.retention.snapshotsDeleted} old snapshot${summary.retention.snapshotsDeleted === 1 ? '' : 's'} deleted.`
  }

  return line
}

/** The table format: the per-VM table, then the totals and where the archive is. */
export function formatArchiveSummary(summary: ArchiveSummary, color: boolean): string {
  const table = render(summary.vms, {color, columns: archiveColumns, format: 'table'})
  return [table, table ? '' : undefined, archiveTotalsLine(summary), `Archive: ${printable(summary.archive)}`]
    .filter((line) => line !== undefined)
    .join('\n')
}

/** archive --reindex, for people. */
export function reindexLine(summary: ReindexSummary): string {
  const unreadable = summary.unreadable
    ? ` (${summary.unreadable} snapshot folders without a readable snapshot.json left out)`
    : ''
  return `Index rebuilt: ${summary.snapshots} snapshot${summary.snapshots === 1 ? '' : 's'} of ${summary.vms} VM${summary.vms === 1 ? '' : 's'}${unreadable} in ${(summary.durationMs / 1000).toFixed(1)} s; ${summary.replaced} older index file${summary.replaced === 1 ? '' : 's'} replaced.\nArchive: ${summary.archive}`
}
