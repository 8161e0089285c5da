/** The human view of a snapshot just taken: where it went, what it holds, what is missing, the verdict. */
import type {FetchResult} from '../services/snapshot/fetch-snapshot.js'
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
  if (result.analysis) lines.push(`${bold('Verdict', color)}: ${printable(result.analysis.summary)}`)
  return lines.join('\n')
}
