/**
 * The lines the table view of `archive` adds when the run delivered something after it: notifications,
 * the metrics file, the rows sent to Azure Monitor. (`-o json` has them as the summary's `delivery`.)
 */
import type {DeliveryReport} from '../services/alerts/deliver.js'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export function formatDelivery(report: DeliveryReport): string {
  const lines: string[] = []
  if (report.notify) {
    const {delivered, events, failed, messages, webhooks} = report.notify
    const what =
      events === 0
        ? 'no VM became a failure or changed failure signature; nothing to send'
        : `${plural(events, 'VM')} became a failure or changed failure signature; ${delivered} of ${plural(messages, 'message')} delivered to ${plural(webhooks, 'webhook')}${failed > 0 ? ` (${failed} failed)` : ''}`
    lines.push(`Notify: ${what}.`)
  }

  if (report.metricsFile)
    lines.push(
      report.metricsFile.written
        ? `Metrics: ${report.metricsFile.path}`
        : `Metrics: not written to ${report.metricsFile.path} (see the warning).`,
    )
  if (report.logsExport) {
    const {failed, rows, sent} = report.logsExport
    lines.push(`Azure Monitor: ${sent} of ${plural(rows, 'row')} sent${failed > 0 ? ` (${failed} refused)` : ''}.`)
  }

  return lines.join('\n')
}
