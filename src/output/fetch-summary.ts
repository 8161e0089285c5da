/**
 * The human view of a snapshot just taken: where it went, what it holds, what is missing, what the screen
 * shows, and the VM's verdict from both witnesses.
 */
import type {FetchResult} from '../services/snapshot/fetch-snapshot.js'
import type {SnapshotAnalysis} from '../store/manifest.js'
import {printable} from '../util/printable.js'

const bold = (text: string, color: boolean) => (color ? `\u001B[1m${text}\u001B[22m` : text)

export function formatFetchResult(result: FetchResult, color: boolean): string {
  const vm = printable(
    result.vm.vmss ? `${result.vm.name} (${result.vm.vmss}/${result.vm.instanceId})` : result.vm.name,
  )
  const lines = [
    `${bold('Snapshot', color)} of ${vm} in ${printable(result.vm.resourceGroup)} (${result.storage} storage, VM ${printable(result.vm.powerState)}):`,
    `  ${printable(result.snapshot)}`,
  ]
  for (const [file, info] of Object.entries(result.files)) {
    lines.push(
      `  ${file.padEnd(15)} ${info.bytes.toLocaleString('en-US').padStart(13)} bytes  sha256 ${info.sha256.slice(0, 16)}…`,
    )
  }

  for (const missing of result.missing) lines.push(`  ${missing.file.padEnd(15)} missing: ${printable(missing.reason)}`)
  lines.push(...analysisLines(result.analysis, color))
  return lines.join('\n')
}

/** The screen's reading (or why there is none) and the verdict, with the witness that gave it. */
export function analysisLines(analysis: SnapshotAnalysis | undefined, color: boolean, indent = ''): string[] {
  if (!analysis) return []
  const lines: string[] = []
  if (analysis.screen) lines.push(`${indent}${bold('Screen', color)}: ${screenLine(analysis.screen)}`)
  else if (analysis.screenUnread)
    lines.push(`${indent}${bold('Screen', color)}: not read (${printable(analysis.screenUnread)})`)
  const from = analysis.decidedBy ? ` ${DECIDED[analysis.decidedBy]}` : ''
  lines.push(`${indent}${bold('Verdict', color)}: ${analysis.outcome} — ${printable(analysis.summary)}${from}`)
  return lines
}

/** `win-stop-error (failed): Windows stop error (blue screen): CRITICAL_PROCESS_DIED (100%)` */
export function screenLine(screen: NonNullable<SnapshotAnalysis['screen']>): string {
  return `${screen.kind} (${screen.state}): ${printable(screen.summary)}`
}

const DECIDED: Record<NonNullable<SnapshotAnalysis['decidedBy']>, string> = {
  both: '[serial log and screenshot]',
  screenshot: '[from the screenshot]',
  'serial-log': '[from the serial log]',
}
