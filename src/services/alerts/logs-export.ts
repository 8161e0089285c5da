/**
 * `archive --export-logs DCE_URL --dcr ID --stream NAME`: one row per VM per run to Azure Monitor through
 * the Logs Ingestion API (POST {endpoint}/dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01,
 * a gzipped JSON array, a token for `https://monitor.azure.com/.default`), so that a fleet's archive runs
 * land in a Log Analytics table to query and alert on with KQL. The row's columns are the stream
 * declaration in docs/monitor/data-collection-rule.json (README "Alerts and exports" shows how to create the table
 * and the data collection rule); a unit test keeps the two equal.
 */
import type {LogsUploadOutcome} from '../../azure/clients.js'
import type {RunContext} from '../../context/run-context.js'
import {UsageError} from '../../errors.js'
import type {ArchiveSummary, VmArchiveResult} from '../archive/fleet.js'
import {type VerdictChange, verdictChanges} from './verdict-changes.js'

export interface LogsExportTarget {
  /** the data collection endpoint's logs ingestion URL, e.g. https://my-dce-abcd.westeurope-1.ingest.monitor.azure.com */
  endpoint: string
  /** the data collection rule's immutable ID, e.g. dcr-00000000000000000000000000000000 */
  ruleId: string
  /** the stream declared in the rule, e.g. Custom-BootDiagnostics_CL */
  stream: string
}

/** The flags, checked before the run (a mistake is a usage error, exit 2, before any request). */
export function parseLogsExport(
  endpoint: string,
  ruleId: string | undefined,
  stream: string | undefined,
): LogsExportTarget {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new UsageError(
      `--export-logs needs the data collection endpoint's logs ingestion URL, e.g. https://my-dce-abcd.westeurope-1.ingest.monitor.azure.com (got '${endpoint}').`,
    )
  }

  if (url.protocol !== 'https:')
    throw new UsageError(`--export-logs must use https (got ${url.protocol}//${url.host}).`)
  if (url.search || url.username || url.password)
    throw new UsageError('--export-logs takes the endpoint URL only, without a query string or credentials.')
  if (!ruleId) throw new UsageError("--export-logs needs --dcr: the data collection rule's immutable ID (dcr-…).")
  if (ruleId.includes('/'))
    throw new UsageError(
      "--dcr takes the data collection rule's immutable ID (dcr-…, its 'immutableId' property), not its resource ID.",
    )
  if (!stream)
    throw new UsageError('--export-logs needs --stream: the stream the rule declares, e.g. Custom-BootDiagnostics_CL.')
  return {endpoint: url.toString().replace(/\/+$/, ''), ruleId: ruleId.trim(), stream: stream.trim()}
}

/** A row of the stream, as sent (columns without a value are left out). */
export type LogsRow = Record<string, boolean | number | string>

export interface RowContext {
  /** one ID for the run's rows */
  runId: string
  toolVersion: string
}

/** The run's rows: one per VM, in the summary's order. */
export function logsRows(summary: ArchiveSummary, context: RowContext): LogsRow[] {
  const changes = new Map<string, VerdictChange>(verdictChanges(summary).map((change) => [change.vm.id, change]))
  return summary.vms.map((vm) => rowOf(vm, summary, context, changes.get(vm.id)))
}

function rowOf(
  vm: VmArchiveResult,
  summary: ArchiveSummary,
  context: RowContext,
  change: VerdictChange | undefined,
): LogsRow {
  const row: Record<string, boolean | number | string | null | undefined> = {
    Archive: summary.archive,
    BytesDownloaded: vm.bytesDownloaded,
    ErrorCode: vm.error?.code,
    ErrorMessage: vm.error?.message,
    InstanceId: vm.vmss ? vm.instanceId : undefined,
    LastStage: vm.analysis?.lastStage,
    Outcome: vm.analysis?.outcome,
    PreviousOutcome: vm.previousVerdict?.outcome,
    PreviousSignature: vm.previousVerdict?.signature,
    ResourceGroup: vm.resourceGroup,
    Result: vm.result,
    RunId: context.runId,
    ScaleSet: vm.vmss,
    Screenshot: vm.screenshot,
    SerialLog: vm.serialLog,
    Shard: summary.shard ? `${summary.shard.index}/${summary.shard.count}` : undefined,
    Signature: vm.analysis?.signature,
    Snapshot: vm.snapshot,
    SubscriptionId: vm.subscriptionId,
    Summary: vm.analysis?.summary,
    TimeGenerated: summary.startedAt,
    ToolVersion: context.toolVersion,
    VerdictChange: change?.kind,
    VmName: vm.name,
    VmResourceId: vm.id,
  }
  return Object.fromEntries(
    Object.entries(row).filter((entry): entry is [string, boolean | number | string] => entry[1] != null),
  )
}

export interface LogsExportReport {
  /** rows of this run */
  rows: number
  /** rows Azure Monitor accepted */
  sent: number
  failed: number
  /** why rows were refused, one line each (no secrets: the endpoint, rule and stream are not secret) */
  errors: string[]
}

/** Send the rows; never throws for a refusal (that is the report's), only for Ctrl-C. */
export async function exportLogs(
  context: Pick<RunContext, 'azure'>,
  target: LogsExportTarget,
  rows: LogsRow[],
  signal: AbortSignal,
): Promise<LogsExportReport> {
  if (rows.length === 0) return {errors: [], failed: 0, rows: 0, sent: 0}
  let outcome: LogsUploadOutcome
  try {
    const client = await context.azure.logsIngestion(target.endpoint)
    outcome = await client.upload(target.ruleId, target.stream, rows, {abortSignal: signal})
  } catch (error) {
    const message = signal.aborted ? 'not sent before the deadline' : firstLine(error)
    return {errors: [message], failed: rows.length, rows: rows.length, sent: 0}
  }

  return {
    errors: [...new Set(outcome.errors.map((error) => describeRefusal(error)))],
    failed: outcome.failedRows,
    rows: outcome.rows,
    sent: outcome.rows - outcome.failedRows,
  }
}

/** Azure Monitor's answer, with what to check for the usual ones. */
function describeRefusal(error: LogsUploadOutcome['errors'][number]): string {
  const head = [error.status === undefined ? undefined : `HTTP ${error.status}`, error.code].filter(Boolean).join(' ')
  const text = `${head ? `${head}: ` : ''}${error.message}`
  const fix =
    error.status === 401
      ? 'the token was refused: check the cloud (--cloud) and the identity'
      : error.status === 403
        ? "the identity needs the 'Monitoring Metrics Publisher' role on the data collection rule"
        : error.status === 404
          ? 'check --dcr (the immutable ID) and --stream against the rule, and that the endpoint is the one the rule uses'
          : error.status === 413
            ? 'a request was over the 1 MB limit'
            : undefined
  return fix ? `${text} (${fix})` : text
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]
}
