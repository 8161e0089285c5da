/**
 * `bootdiag search PATTERN`: grep the archived serial logs. Matches stream out as they are found (VM,
 * snapshot, line number, line). Content carried over unchanged between snapshots is searched once: a log
 * identical to one already searched (the same SHA-256) is skipped, and a log that grew from the one before
 * it (snapshot.json `continues`) is searched from where that one's content ended, its line numbers going on.
 */
import {BootdiagError, UsageError} from '../../errors.js'
import type {VmSummary} from '../../store/index/timeline.js'
import {type IndexContext, openIndex} from '../report/open-index.js'
import {type LinePosition, type Matcher, literalMatcher, regexMatcher, scanLog} from './scan.js'

export interface SearchOptions {
  pattern: string
  /** -E: a regular expression (else a plain string) */
  regex?: boolean
  /** -i */
  ignoreCase?: boolean
  /** only snapshots taken since */
  since?: Date
  subscriptions?: string[]
  resourceGroup?: string
  name?: string
  /** stop after this many matching lines */
  maxMatches?: number
  /** awaited between chunks: the reader of the matches may ask to wait (a full stdout pipe) */
  between?: () => Promise<void>
}

export interface SearchMatch {
  name: string
  resourceGroup: string
  subscriptionId: string
  /** the snapshot's folder name */
  snapshot: string
  takenAt: string
  /** 1-based line number in that snapshot's serial.log */
  line: number
  text: string
  /** where the snapshot is */
  path: string
}

export interface SearchStats {
  vms: number
  /** snapshots with a serial log in scope */
  snapshots: number
  /** logs read (in whole or from where the previous one ended) */
  logsSearched: number
  bytesSearched: number
  /** bytes not read again: identical logs, and the part a grown log shares with the one before */
  bytesSkipped: number
  matches: number
  /** stopped at maxMatches */
  truncated: boolean
}

export function compileMatcher(options: Pick<SearchOptions, 'pattern' | 'regex' | 'ignoreCase'>): Matcher {
  if (!options.regex && !options.ignoreCase) return literalMatcher(options.pattern)
  const source = options.regex ? options.pattern : options.pattern.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')
  try {
    return regexMatcher(source, options.ignoreCase === true)
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')
    throw new UsageError(`'${options.pattern}' is not a valid regular expression: ${reason}.`, {
      code: 'BadPattern',
    })
  }
}

export async function searchArchive(
  context: IndexContext,
  options: SearchOptions,
  onMatch: (match: SearchMatch) => void,
): Promise<SearchStats> {
  const matcher = compileMatcher(options)
  const {store, view} = await openIndex(context)
  const stats: SearchStats = {
    bytesSearched: 0,
    bytesSkipped: 0,
    logsSearched: 0,
    matches: 0,
    snapshots: 0,
    truncated: false,
    vms: 0,
  }
  try {
    const vms = view
      .summaries()
      .filter((summary) => inScope(summary, options))
      .sort(byPlace)
    for (const summary of vms) {
      const records = view
        .records(summary.vmKey)
        .filter((r) => r.log && (!options.since || new Date(r.takenAt).getTime() >= options.since.getTime()))
      if (records.length === 0) continue
      stats.vms++
      const place = {name: summary.name, resourceGroup: summary.resourceGroup, subscriptionId: summary.subscriptionId}
      const searched = new Set<string>()
      /** the last log read: the snapshots that hold it (it, and identical ones after it), where a continuation resumes */
      let previous: {names: Set<string>; sha256: string; resume?: LinePosition} | undefined
      for (const [i, record] of records.entries()) {
        context.signal.throwIfAborted()
        stats.snapshots++
        const log = record.log!
        if (searched.has(log.sha256)) {
          stats.bytesSkipped += log.bytes
          if (previous?.sha256 === log.sha256) previous.names.add(record.name)
          else previous = undefined
          continue
        }

        // Where this log's new content begins: after what it shares with the log read before it.
        const continues = log.continues
        const start = continues && previous?.names.has(continues.snapshot) ? previous.resume : undefined
        // Where the next different log (if it grew from this one) will begin.
        let j = i + 1
        while (j < records.length && records[j].log!.sha256 === log.sha256) j++
        const next = records[j]?.log?.continues
        const sameContent = new Set(records.slice(i, j).map((r) => r.name))
        const checkpoint =
          next && sameContent.has(next.snapshot) && next.bytes >= (start?.offset ?? 0) ? next.bytes : undefined
        const stream = await store.openFile(place, record.name, 'serial.log', start?.offset ?? 0)
        if (!stream) {
          context.events.warn(
            `${summary.name}: the serial.log of snapshot ${record.name} is gone from the archive; it is skipped.`,
          )
          previous = undefined
          continue
        }

        const path = store.snapshotLocation(place, record.name)
        const result = await scanLog(
          stream,
          matcher,
          (line, text) => {
            stats.matches++
            onMatch({...place, line, path, snapshot: record.name, takenAt: record.takenAt, text: lineText(text)})
            if (options.maxMatches !== undefined && stats.matches >= options.maxMatches) {
              stats.truncated = true
              return false
            }

            return true
          },
          {between: options.between, checkpoint, signal: context.signal, start},
        ).catch((error: unknown) => {
          if (context.signal.aborted) throw error
          throw new BootdiagError(
            `Could not read the serial.log of ${summary.name}'s snapshot ${record.name}: ${(error as Error).message.split('\n')[0]}`,
            {cause: error, code: 'NotReadable'},
          )
        })
        stats.logsSearched++
        stats.bytesSearched += result.bytes
        stats.bytesSkipped += start?.offset ?? 0
        searched.add(log.sha256)
        previous = {names: new Set([record.name]), resume: result.resume, sha256: log.sha256}
        if (result.stopped) return stats
      }
    }

    return stats
  } finally {
    await view.close()
  }
}

function inScope(summary: VmSummary, options: SearchOptions): boolean {
  if (options.subscriptions?.length && !options.subscriptions.some((s) => s.toLowerCase() === summary.subscriptionId))
    return false
  if (options.resourceGroup && options.resourceGroup.toLowerCase() !== summary.resourceGroup.toLowerCase()) return false
  if (options.name && options.name.toLowerCase() !== summary.name.toLowerCase()) return false
  return !options.since || new Date(summary.latestAt).getTime() >= options.since.getTime()
}

function byPlace(a: VmSummary, b: VmSummary): number {
  return (
    a.subscriptionId.localeCompare(b.subscriptionId) ||
    a.resourceGroup.localeCompare(b.resourceGroup, 'en', {sensitivity: 'base'}) ||
    a.name.localeCompare(b.name, 'en', {numeric: true, sensitivity: 'base'})
  )
}

/** A log line for people and scripts: UTF-8, without the carriage return, colour codes and control characters. */
export function lineText(bytes: Buffer): string {
  return bytes
    .toString('utf8')
    .replaceAll(/\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B[@-Z\\-_]/g, '')
    .replaceAll(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
    .trimEnd()
}
