/**
 * `bootdiag archive --reindex`: rebuild the archive's index from the snapshots themselves (every
 * snapshot.json), under the archive lock, replacing every index file it covers. For an index lost,
 * damaged, or out of step after snapshots were moved or deleted by hand.
 */
import type {RunContext} from '../../context/run-context.js'

export interface ReindexSummary {
  archive: string
  vms: number
  snapshots: number
  /** snapshot folders whose snapshot.json could not be read (left out) */
  unreadable: number
  /** index files (other writers', journals, damaged ones) the new index replaced */
  replaced: number
  durationMs: number
}

export async function reindexArchive(
  context: Pick<RunContext, 'clock' | 'events' | 'signal' | 'store'>,
  options: {wait?: boolean} = {},
): Promise<ReindexSummary> {
  const started = context.clock.now()
  const store = await context.store()
  const lock = await store.lock({
    onWait: () => context.events.note(`Waiting for the archive lock on ${store.location}…`),
    signal: context.signal,
    wait: options.wait,
  })
  try {
    const report = await store.index.reindex({signal: context.signal})
    return {
      archive: store.location,
      durationMs: context.clock.now().getTime() - started.getTime(),
      replaced: report.replaced,
      snapshots: report.snapshots,
      unreadable: report.unreadable,
      vms: report.vms,
    }
  } finally {
    await lock.release()
  }
}
