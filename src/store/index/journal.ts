/**
 * The write-ahead journal of an index writer: one JSON line per event, appended as the writer goes and
 * folded into its SQLite file later (at the end of the run, or by the next run of the same writer when
 * this one was killed). Readers read the lines not folded yet, so the index is current even mid-run.
 *
 * - `begin`: a snapshot of the VM, stamped so, is about to be committed. A `begin` with no `commit` (the
 *   writer was killed in between) is resolved at the next fold by looking at the VM's snapshots.
 * - `commit`: the record of a committed snapshot.
 * - `delete`: a snapshot was deleted (retention).
 * - `vouch`: when the writer started, the archive held no snapshot and no index: from then on every
 *   snapshot is journaled, so this writer's index covers the whole archive (readers need no rebuild).
 * A line that does not parse (a torn last line after a crash) is skipped.
 */
import type {VmLocation} from '../layout.js'
import type {SnapshotRecord} from './records.js'

export const JOURNAL_VERSION = 1

export type JournalEntry =
  | {v: 1; op: 'begin'; vm: VmLocation; stamp: string; at: string}
  | {v: 1; op: 'commit'; record: SnapshotRecord; at: string}
  | {v: 1; op: 'delete'; vmKey: string; name: string; at: string}
  | {v: 1; op: 'vouch'; at: string}

export function journalLine(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`
}

/** The entries of a journal's text; torn or foreign lines are skipped. */
export function parseJournal(text: string): JournalEntry[] {
  const entries: JournalEntry[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      continue
    }

    if (isEntry(value)) entries.push(value)
  }

  return entries
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  if (entry.v !== JOURNAL_VERSION || typeof entry.at !== 'string') return false
  switch (entry.op) {
    case 'begin': {
      const vm = entry.vm as Record<string, unknown> | undefined
      return (
        typeof entry.stamp === 'string' &&
        typeof vm?.subscriptionId === 'string' &&
        typeof vm.resourceGroup === 'string' &&
        typeof vm.name === 'string'
      )
    }

    case 'commit': {
      const record = entry.record as Record<string, unknown> | undefined
      return typeof record?.vmKey === 'string' && typeof record.name === 'string' && typeof record.takenAt === 'string'
    }

    case 'delete': {
      return typeof entry.vmKey === 'string' && typeof entry.name === 'string'
    }

    case 'vouch': {
      return true
    }

    default: {
      return false
    }
  }
}
