/**
 * What `report --html` shows beyond the report: each VM's latest screenshot as a thumbnail (failing VMs
 * first, at most MAX_THUMBNAILS) and its timeline of snapshots (the latest MAX_TIMELINE), read from the
 * same index view and the snapshots' screenshot.png.
 */
import {indexVmKey} from '../../store/index/records.js'
import {type SnapshotChange, withChanges} from '../../store/index/timeline.js'
import {openIndex} from './open-index.js'
import {type FleetReport, type ReportContext, type ReportOptions, buildReport, isFailure} from './report.js'
import {thumbnailPng} from './thumbnail.js'

export const MAX_THUMBNAILS = 500
export const MAX_TIMELINE = 60
/** A screenshot.png larger than this is not made into a thumbnail. */
const MAX_PNG_BYTES = 8 * 1024 * 1024

export interface TimelineEntry {
  snapshot: string
  takenAt: string
  reason: string
  outcome: string | null
  signature: string | null
  summary: string | null
  changed: SnapshotChange
}

export interface ReportPage {
  report: FleetReport
  generatedAt: string
  /** by VM key (`<subscriptionId>/<resourceGroup>/<vm>`, lower-case): a PNG thumbnail as base64 */
  thumbnails: Record<string, string>
  /** by VM key: its latest snapshots, oldest first */
  timelines: Record<string, TimelineEntry[]>
  /** VMs with a screenshot left without a thumbnail (over MAX_THUMBNAILS) */
  thumbnailsOmitted: number
}

export async function reportPage(
  context: ReportContext,
  options: ReportOptions,
  want: {page: boolean},
): Promise<{report: FleetReport; page?: ReportPage}> {
  const {store, view} = await openIndex(context)
  try {
    const report = await buildReport(context, store, view, options)
    if (!want.page) return {report}
    const summaries = new Map(view.summaries().map((s) => [s.vmKey, s]))
    const timelines: ReportPage['timelines'] = {}
    const thumbnails: ReportPage['thumbnails'] = {}
    const withPng: Array<{key: string; failing: boolean}> = []
    for (const vm of report.vms) {
      const key = indexVmKey(vm)
      const summary = summaries.get(key)
      if (!summary) continue
      timelines[key] = withChanges(view.records(key))
        .slice(-MAX_TIMELINE)
        .map(({changed, record}) => ({
          changed,
          outcome: record.outcome,
          reason: record.reason,
          signature: record.signature,
          snapshot: record.name,
          summary: record.summary,
          takenAt: record.takenAt,
        }))
      if (summary.hasPng) withPng.push({failing: isFailure(vm.outcome), key})
    }

    withPng.sort((a, b) => Number(b.failing) - Number(a.failing))
    for (const {key} of withPng.slice(0, MAX_THUMBNAILS)) {
      context.signal.throwIfAborted()
      const summary = summaries.get(key)!
      const place = {name: summary.name, resourceGroup: summary.resourceGroup, subscriptionId: summary.subscriptionId}
      const stream = await store.openFile(place, summary.latestSnapshot, 'screenshot.png').catch(() => undefined)
      if (!stream) continue
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of stream) {
        chunks.push(Buffer.from(chunk))
        size += chunk.length
        if (size > MAX_PNG_BYTES) break
      }

      if (size > MAX_PNG_BYTES) continue
      try {
        thumbnails[key] = thumbnailPng(Buffer.concat(chunks)).toString('base64')
      } catch {
        // a screenshot that cannot be read: no thumbnail
      }
    }

    return {
      page: {
        generatedAt: report.generatedAt,
        report,
        thumbnails,
        thumbnailsOmitted: Math.max(0, withPng.length - MAX_THUMBNAILS),
        timelines,
      },
      report,
    }
  } finally {
    await view.close()
  }
}
