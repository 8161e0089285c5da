/** `bootdiag search` for people, one line per match as it is found: `vm (rg) snapshot:line: text`. */
import type {SearchMatch, SearchStats} from '../services/search/search.js'
import {humanBytes} from './archive-summary.js'
import type {Column} from './format.js'

export const searchColumns: Column<SearchMatch>[] = [
  {header: 'VM', value: (m) => m.name},
  {header: 'Resource group', value: (m) => m.resourceGroup},
  {header: 'Snapshot', value: (m) => m.snapshot},
  {header: 'Line', value: (m) => m.line},
  {header: 'Text', value: (m) => m.text},
]

export function formatMatch(match: SearchMatch, color: boolean): string {
  const where = `${match.name} (${match.resourceGroup}) ${match.snapshot}:${match.line}:`
  return `${color ? `\u001B[35m${where}\u001B[39m` : where} ${match.text}`
}

export function searchStatsLine(stats: SearchStats, seconds: number): string {
  const rate = seconds > 0 ? ` (${humanBytes(Math.round(stats.bytesSearched / seconds))}/s)` : ''
  return `${stats.matches} matching line${stats.matches === 1 ? '' : 's'}${stats.truncated ? ' (stopped at --max-count)' : ''} in ${stats.snapshots} snapshot${stats.snapshots === 1 ? '' : 's'} of ${stats.vms} VM${stats.vms === 1 ? '' : 's'}: ${humanBytes(stats.bytesSearched)} searched in ${seconds.toFixed(1)} s${rate}, ${humanBytes(stats.bytesSkipped)} carried over unchanged and not searched again.`
}
