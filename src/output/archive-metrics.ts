/**
 * `archive --metrics-file PATH`: the run in the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector (or anything that reads a .prom file): HELP and TYPE lines, gauges
 * only, no timestamps (the collector refuses them). Every series carries the archive (and the shard) as
 * labels, so two archive jobs on one host can write two files without their series colliding; every
 * result and outcome is written, zero included, so an alert never meets a missing series.
 */
import {OUTCOMES} from '../analysis/types.js'
import type {ArchiveSummary} from '../services/archive/fleet.js'
import type {VerdictChange} from '../services/alerts/verdict-changes.js'

interface Metric {
  name: string
  help: string
  samples: Array<{labels?: Record<string, string>; value: number}>
}

/** The file's text. `finishedAt`: when the run ended; `changes`: the run's verdict changes (--notify's events). */
export function archiveMetrics(summary: ArchiveSummary, finishedAt: Date, changes: VerdictChange[]): string {
  const base: Record<string, string> = {archive: summary.archive}
  if (summary.shard) base.shard = `${summary.shard.index}/${summary.shard.count}`
  const {totals} = summary
  const byOutcome = new Map<string, number>([...OUTCOMES, 'unknown'].map((outcome) => [outcome, 0]))
  for (const vm of summary.vms) {
    if (vm.result === 'failed') continue
    const outcome = vm.verdict ?? 'unknown'
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1)
  }

  const metrics: Metric[] = [
    {
      help: 'When the last archive run ended, in seconds since the Unix epoch.',
      name: 'bootdiag_archive_last_run_timestamp_seconds',
      samples: [{value: finishedAt.getTime() / 1000}],
    },
    {
      help: 'How long the last archive run took, in seconds.',
      name: 'bootdiag_archive_run_duration_seconds',
      samples: [{value: summary.durationMs / 1000}],
    },
    {
      help: 'VMs with boot diagnostics in the last run’s scope (before --shard).',
      name: 'bootdiag_archive_fleet_vms',
      samples: [{value: summary.fleetSize}],
    },
    {
      help: 'VMs of the last run by result: new (a snapshot was written), unchanged, failed (could not be archived).',
      name: 'bootdiag_archive_vms',
      samples: (['new', 'unchanged', 'failed'] as const).map((result) => ({labels: {result}, value: totals[result]})),
    },
    {
      help: 'VMs the last run could not archive (after the SDKs’ retries); the next run tries them again.',
      name: 'bootdiag_archive_failed_vms',
      samples: [{value: totals.failed}],
    },
    {
      help: 'VMs the last run archived, by the analyser’s verdict on their serial log; unknown: the run did not learn it (no new snapshot, or no serial log).',
      name: 'bootdiag_archive_vms_by_outcome',
      samples: [...byOutcome].map(([outcome, value]) => ({labels: {outcome}, value})),
    },
    {
      help: 'VMs whose verdict became a failure, or whose failure signature changed, in the last run (what --notify sends).',
      name: 'bootdiag_archive_verdict_changes',
      samples: [{value: changes.length}],
    },
    {
      help: 'Bytes the last run downloaded from boot diagnostics storage (serial logs and screenshots).',
      name: 'bootdiag_archive_downloaded_bytes',
      samples: [{value: totals.bytesDownloaded}],
    },
    {
      help: 'Bytes of serial logs the last run downloaded.',
      name: 'bootdiag_archive_serial_log_downloaded_bytes',
      samples: [{value: totals.logBytesDownloaded}],
    },
  ]
  if (summary.retention)
    metrics.push({
      help: 'Snapshots the last run deleted under --keep-days.',
      name: 'bootdiag_archive_retention_deleted_snapshots',
      samples: [{value: summary.retention.snapshotsDeleted}],
    })

  const lines: string[] = []
  for (const metric of metrics) {
    lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} gauge`)
    for (const sample of metric.samples)
      lines.push(`${metric.name}${labelText({...base, ...sample.labels})} ${numberText(sample.value)}`)
  }

  return `${lines.join('\n')}\n`
}

function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`)
  return pairs.length > 0 ? `{${pairs.join(',')}}` : ''
}

/** Label values: backslash, double quote and line feed escaped. */
function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')
}

/** HELP text: backslash and line feed escaped. */
function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')
}

function numberText(value: number): string {
  if (Number.isInteger(value)) return String(value)
  return String(Math.round(value * 1000) / 1000)
}
