/**
 * The archive's index for a command that reads it (report, history, diff, search): opened through the
 * run's store, with a rebuild on use told on stderr, and the archive lock taken (without waiting) when a
 * missing or damaged index must be rebuilt and kept.
 */
import type {RunContext} from '../../context/run-context.js'
import type {IndexView} from '../../store/index/reader.js'
import type {ArchiveStore} from '../../store/store.js'

export type IndexContext = Pick<RunContext, 'events' | 'signal' | 'store'>

export async function openIndex(context: IndexContext): Promise<{store: ArchiveStore; view: IndexView}> {
  const store = await context.store()
  const view = await store.index.open({
    lock: () => store.lock({signal: context.signal}),
    note: (message) => context.events.note(message),
    signal: context.signal,
    warn: (message) => context.events.warn(message),
  })
  return {store, view}
}

/** `<subscriptionId>/<resourceGroup>/<vm>/<snapshot>`: a snapshot's id in the archive (what diff takes). */
export function snapshotId(vmKey: string, snapshot: string): string {
  return `${vmKey}/${snapshot}`
}
