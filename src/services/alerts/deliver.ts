/**
 * After an archive run: tell the tools teams already run. `--notify URL` POSTs one message per VM whose
 * verdict became a failure or whose failure signature changed (one digest instead when a run finds more
 * than MAX_MESSAGES of them); `--metrics-file PATH` writes the run as Prometheus metrics, atomically;
 * `--export-logs` sends one row per VM to Azure Monitor's Logs Ingestion API.
 *
 * None of it can spoil the run: the three go side by side under one deadline (60 s by default), each
 * failure is a warning on stderr and a count in the report, and the archive's result and exit code stay
 * what they were. The checks that can be made before the run (URLs, the metrics file's folder, the
 * export's flags) are made by planDeliveries, before any request.
 */
import type {RunContext} from '../../context/run-context.js'
import {mapWithConcurrency} from '../../util/concurrency.js'
import {checkOutputFile, writeOutputFile} from '../../util/output-file.js'
import {redact} from '../../util/redact.js'
import type {ArchiveSummary} from '../archive/fleet.js'
import {type LogsExportReport, type LogsExportTarget, exportLogs, logsRows, parseLogsExport} from './logs-export.js'
import {type VerdictChange, verdictChanges} from './verdict-changes.js'
import {type PostResult, type Webhook, parseWebhook, postJson} from './webhook.js'

export const DEFAULT_DELIVERY_DEADLINE_MS = 60_000
/** past this many changes in one run, each webhook gets one digest instead of a message per VM */
export const MAX_MESSAGES = 100
/** messages in flight per webhook (Slack allows about one a second, with bursts) */
const CONCURRENCY_PER_WEBHOOK = 4

/** The flags, as the command read them. */
export interface DeliveryOptions {
  notify?: string[]
  metricsFile?: string
  exportLogs?: {endpoint: string; ruleId?: string; stream?: string}
}

/** The flags, checked: what to do after the run. */
export interface DeliveryPlan {
  webhooks: Webhook[]
  metricsFile?: string
  logsExport?: LogsExportTarget
}

/** Before the run: parse and check every delivery flag (a usage error, exit 2, before any request). */
export async function planDeliveries(options: DeliveryOptions): Promise<DeliveryPlan> {
  // (the same URL given twice is one webhook)
  const webhooks = [...new Set((options.notify ?? []).map((url) => url.trim()))].map((url) => parseWebhook(url))
  if (options.metricsFile) await checkOutputFile(options.metricsFile, '--metrics-file', 'the metrics file')
  const logsExport = options.exportLogs
    ? parseLogsExport(options.exportLogs.endpoint, options.exportLogs.ruleId, options.exportLogs.stream)
    : undefined
  return {
    webhooks,
    ...(options.metricsFile ? {metricsFile: options.metricsFile} : {}),
    ...(logsExport ? {logsExport} : {}),
  }
}

export function plansAnything(plan: DeliveryPlan): boolean {
  return plan.webhooks.length > 0 || plan.metricsFile !== undefined || plan.logsExport !== undefined
}

/** The run, as the messages name it. */
export interface RunInfo {
  archive: string
  startedAt: string
  toolVersion: string
}

/** The renderers (src/output/), handed in: services do not render. */
export interface DeliveryTexts {
  notification(change: VerdictChange, run: RunInfo): unknown
  digest(changes: VerdictChange[], run: RunInfo): unknown
  metrics(summary: ArchiveSummary, finishedAt: Date, changes: VerdictChange[]): string
}

export interface NotifyReport {
  /** VMs that became failures or changed signature */
  events: number
  webhooks: number
  /** POSTs to make: a message per event (or one digest) per webhook */
  messages: number
  delivered: number
  failed: number
}

export interface DeliveryReport {
  notify?: NotifyReport
  metricsFile?: {path: string; written: boolean}
  logsExport?: Omit<LogsExportReport, 'errors'>
}

export type DeliveryContext = Pick<RunContext, 'azure' | 'clock' | 'events' | 'signal' | 'toolVersion'>

export interface DeliverOptions {
  /** aborted when the deliveries must stop (default: DEFAULT_DELIVERY_DEADLINE_MS from now) */
  deadline?: AbortSignal
  /** one ID for the run's exported rows (default: a random UUID) */
  runId?: string
  /** a POST's attempts and per-attempt limit (tests) */
  maxAttempts?: number
  attemptTimeoutMs?: number
}

/** Deliver what the plan asks for; never throws but for Ctrl-C, whatever the receivers do. */
export async function deliverRunOutputs(
  context: DeliveryContext,
  summary: ArchiveSummary,
  plan: DeliveryPlan,
  texts: DeliveryTexts,
  options: DeliverOptions = {},
): Promise<DeliveryReport> {
  const changes = verdictChanges(summary)
  const finishedAt = context.clock.now()
  const signal = AbortSignal.any([
    context.signal,
    options.deadline ?? AbortSignal.timeout(DEFAULT_DELIVERY_DEADLINE_MS),
  ])
  const run: RunInfo = {archive: summary.archive, startedAt: summary.startedAt, toolVersion: context.toolVersion}
  const [notify, metricsFile, logsExport] = await Promise.all([
    plan.webhooks.length > 0 ? notifyAll(context, plan.webhooks, changes, run, texts, signal, options) : undefined,
    plan.metricsFile ? writeMetrics(context, plan.metricsFile, texts.metrics(summary, finishedAt, changes)) : undefined,
    plan.logsExport ? exportRows(context, plan.logsExport, summary, signal, options.runId) : undefined,
  ])
  return {
    ...(notify ? {notify} : {}),
    ...(metricsFile ? {metricsFile} : {}),
    ...(logsExport ? {logsExport} : {}),
  }
}

async function notifyAll(
  context: DeliveryContext,
  webhooks: Webhook[],
  changes: VerdictChange[],
  run: RunInfo,
  texts: DeliveryTexts,
  signal: AbortSignal,
  options: DeliverOptions,
): Promise<NotifyReport> {
  const bodies =
    changes.length > MAX_MESSAGES
      ? [texts.digest(changes, run)]
      : changes.map((change) => texts.notification(change, run))
  const safe = bodies.map((body) => redactDeep(body))
  const perWebhook = await Promise.all(
    webhooks.map(async (webhook) => {
      const results = await mapWithConcurrency(safe, CONCURRENCY_PER_WEBHOOK, (body) =>
        postJson(webhook, body, {
          attemptTimeoutMs: options.attemptTimeoutMs,
          maxAttempts: options.maxAttempts,
          signal,
          sleep: (ms, sleepSignal) => context.clock.sleep(ms, sleepSignal),
          userAgent: `bootdiag/${context.toolVersion}`,
        }),
      )
      const failures = results.filter((result): result is Extract<PostResult, {ok: false}> => !result.ok)
      if (failures.length > 0)
        context.events.warn(
          `Notify ${webhook.display}: ${failures.length} of ${results.length} message${results.length === 1 ? '' : 's'} not delivered (${failures[0].reason}, after ${failures[0].attempts} attempt${failures[0].attempts === 1 ? '' : 's'}). The archive run is not affected.`,
        )
      return {delivered: results.length - failures.length, failed: failures.length}
    }),
  )
  if (context.signal.aborted) throw context.signal.reason
  return {
    delivered: perWebhook.reduce((total, r) => total + r.delivered, 0),
    events: changes.length,
    failed: perWebhook.reduce((total, r) => total + r.failed, 0),
    messages: bodies.length * webhooks.length,
    webhooks: webhooks.length,
  }
}

async function writeMetrics(
  context: DeliveryContext,
  path: string,
  text: string,
): Promise<{path: string; written: boolean}> {
  try {
    await writeOutputFile(path, text, '--metrics-file', 'the metrics file')
    return {path, written: true}
  } catch (error) {
    context.events.warn(`${(error as Error).message.split('\n')[0]} The archive run is not affected.`)
    return {path, written: false}
  }
}

async function exportRows(
  context: DeliveryContext,
  target: LogsExportTarget,
  summary: ArchiveSummary,
  signal: AbortSignal,
  runId: string = crypto.randomUUID(),
): Promise<Omit<LogsExportReport, 'errors'>> {
  const rows = logsRows(summary, {runId, toolVersion: context.toolVersion})
  const {errors, ...report} = await exportLogs(context, target, rows, signal)
  if (context.signal.aborted) throw context.signal.reason
  if (report.failed > 0)
    context.events.warn(
      `Export to Azure Monitor (${new URL(target.endpoint).host}, stream ${target.stream}): ${report.failed} of ${report.rows} rows not accepted — ${errors.join('; ')}. The archive run is not affected.`,
    )
  return report
}

/** Every string of a message through the redactor (a boot log's line may hold anything). */
function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value)
  if (Array.isArray(value)) return value.map((item) => redactDeep(item))
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)]))
  return value
}
