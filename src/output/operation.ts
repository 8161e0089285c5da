/**
 * The text of the guarded VM operations: the confirmation question, the progress notes on stderr (the
 * snapshot kept before the operation, with its verdict), and the human result on stdout.
 */
import type {Column} from './format.js'
import {printable} from './analysis-text.js'
import {screenLine} from './fetch-summary.js'
import {printable as printableName} from '../util/printable.js'
import {verdictLine} from './watch.js'
import {
  type OperationEvent,
  type OperationReport,
  type SnapshotSummary,
  VM_OPERATIONS,
  type VmOperationName,
  vmLabel,
} from '../services/vm/operation.js'
import type {VmRef} from '../azure/resource-id.js'

const bold = (text: string, color: boolean) => (color ? `\u001B[1m${text}\u001B[22m` : text)

/** What each operation does to the VM and its serial log, for the confirmation question. */
const CONSEQUENCE: Record<VmOperationName, string> = {
  deallocate: 'stops the VM and releases its host; its serial log starts over at the next start',
  redeploy: 'shuts the VM down, moves it to a new host and starts it again; its serial log starts over',
  restart: 'reboots the VM in place',
  start: 'starts the VM',
  stop: 'shuts the VM down and powers it off (compute is still billed; deallocate to stop that)',
}

/** "Redeploy web-01 (rg-web)? …" — asked on a terminal before a destructive operation. */
export function confirmationQuestion(
  operation: VmOperationName,
  refs: readonly VmRef[],
  options: {skipShutdown?: boolean; snapshotFirst: boolean},
): string {
  const verb = operation[0].toUpperCase() + operation.slice(1)
  const names = printableName(
    refs.length <= 3
      ? refs.map((ref) => `${vmLabel(ref)} (${ref.resourceGroup})`).join(', ')
      : `${refs.length} VMs (${refs
          .slice(0, 3)
          .map((ref) => vmLabel(ref))
          .join(', ')}, …)`,
  )
  const consequence =
    operation === 'stop' && options.skipShutdown
      ? 'powers the VM off at once, without a shutdown'
      : CONSEQUENCE[operation]
  const evidence = options.snapshotFirst
    ? 'A snapshot of the serial log is taken first.'
    : 'No snapshot is taken first (--skip-snapshot).'
  return `${verb} ${names}? This ${consequence}. ${evidence}`
}

/** A progress note on stderr (a snapshot kept, an operation started or done), or '' for none. */
export function describeOperationEvent(event: OperationEvent, color: boolean): string {
  const vm = printableName(vmLabel(event.ref))
  switch (event.kind) {
    case 'snapshot': {
      const when = event.when === 'pre' ? `before the ${event.operation}` : 'after the boot'
      const details = snapshotDetails(event.snapshot)
      return `${bold('Snapshot', color)} of ${vm} ${when}: ${printableName(event.snapshot.path)}${details ? `\n${details}` : ''}`
    }

    case 'snapshot-failed': {
      return event.error.message
    }

    case 'operation-started': {
      return `${VM_OPERATIONS[event.operation].progressive} ${vm}…`
    }

    case 'operation-done': {
      return event.status === 'accepted'
        ? `Azure accepted the ${event.operation} of ${vm}; it goes on in Azure (--no-wait).`
        : `${vm}: ${VM_OPERATIONS[event.operation].past}.`
    }
  }
}

function snapshotDetails(snapshot: SnapshotSummary): string {
  const lines = snapshot.screen ? [`  Screen: ${screenLine(snapshot.screen)}`] : []
  if (snapshot.verdict) lines.push(`  Verdict: ${printable(snapshot.verdict.summary)}`)
  for (const missing of snapshot.missing) lines.push(`  ${missing.file}: missing, ${printableName(missing.reason)}`)
  return lines.join('\n')
}

/** The human result: one block per VM. */
export function formatOperationReports(reports: readonly OperationReport[], color: boolean): string {
  return reports.map((report) => formatOperationReport(report, color)).join('\n\n')
}

export function formatOperationReport(report: OperationReport, color: boolean): string {
  const vm = printableName(report.vm.vmss ? `${report.vm.vmss}/${report.vm.instanceId}` : report.vm.name)
  const lines = [`${bold(vm, color)} (${printableName(report.vm.resourceGroup)}): ${statusText(report)}`]
  if (report.preSnapshot)
    lines.push(`  before: ${printableName(report.preSnapshot.path)}`, ...verdictOf(report.preSnapshot))
  if (report.watch) lines.push(`  ${verdictLine(report.watch, color)}`)
  if (report.postSnapshot)
    lines.push(`  after:  ${printableName(report.postSnapshot.path)}`, ...verdictOf(report.postSnapshot))
  if (report.error) lines.push(`  error: ${printableName(report.error.message)}`)
  return lines.join('\n')
}

function verdictOf(snapshot: SnapshotSummary): string[] {
  const lines = snapshot.screen ? [`          screen: ${screenLine(snapshot.screen)}`] : []
  if (snapshot.verdict) lines.push(`          ${printable(snapshot.verdict.summary)}`)
  return lines
}

function statusText(report: OperationReport): string {
  const spec = VM_OPERATIONS[report.operation]
  switch (report.status) {
    case 'succeeded': {
      return spec.past
    }

    case 'accepted': {
      return `${report.operation} accepted by Azure (not waited for)`
    }

    case 'failed': {
      return `${report.operation} failed`
    }

    case 'not-run': {
      return `not ${spec.past}`
    }
  }
}

/** Columns of -o tsv (and of a table after --query reshaped nothing). */
export const OPERATION_COLUMNS: Column<OperationReport>[] = [
  {header: 'Name', value: (report) => (report.vm.vmss ? `${report.vm.vmss}/${report.vm.instanceId}` : report.vm.name)},
  {header: 'Resource group', value: (report) => report.vm.resourceGroup},
  {header: 'Operation', value: (report) => report.operation},
  {header: 'Status', value: (report) => report.status},
  {header: 'Snapshot', value: (report) => report.preSnapshot?.path ?? ''},
  {header: 'Verdict', value: (report) => report.watch?.summary ?? report.preSnapshot?.verdict?.summary ?? ''},
]

/** The spinner's text while operations run. */
export function operationProgress(
  operation: VmOperationName,
  running: ReadonlyMap<string, string>,
  done: number,
  total: number,
): string {
  const spec = VM_OPERATIONS[operation]
  const states = printableName([...running.entries()].map(([vm, state]) => `${vm} ${state}`).join(', '))
  return total === 1
    ? `${spec.progressive} ${states}`
    : `${spec.progressive} ${total} VMs: ${done} done${states ? `; ${states}` : ''}`
}
