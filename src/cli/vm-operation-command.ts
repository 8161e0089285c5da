/**
 * The base of `vm restart|redeploy|stop|deallocate|start`: their shared flags, the confirmation before
 * an operation that interrupts a VM, and the terminal side of services/vm/operation.ts (snapshot first,
 * the long-running operation with a spinner, --watch, the snapshot after), whose steps
 * services/vm/operation-steps.ts builds from the run's context. Each command names its operation and
 * adds its own flags.
 */
import {type Command, Flags} from '@oclif/core'

import {BootdiagError, ExitCode, UsageError} from '../errors.js'
import {
  OPERATION_COLUMNS,
  confirmationQuestion,
  describeOperationEvent,
  formatOperationReports,
  operationProgress,
} from '../output/operation.js'
import {WatchPrinter} from '../output/watch.js'
import {StatusLine} from '../output/watch-status-line.js'
import {canPrompt, currentPromptContext, whyNoPrompt} from '../prompts/gate.js'
import {
  type OperationReport,
  VM_OPERATIONS,
  type VmOperationName,
  checkWatchable,
  vmLabel,
} from '../services/vm/operation.js'
import type {VmRef} from '../azure/resource-id.js'
import {AzureCommand} from './azure-command.js'
import {archiveFlag, pickVmTargetFlags, vmTargetFlags} from './flags.js'
import type {OperationObserver} from '../services/vm/operation-steps.js'
import type {VmTargetFlags} from './resolve-vm-targets.js'
import {colorEnabled} from '../util/terminal.js'
import {type WatchSettings, watchFlags, watchSettings} from './watch-flags.js'

/** Flags every operation takes. */
export const operationFlags = {
  ...vmTargetFlags,
  archive: archiveFlag,
  force: Flags.boolean({
    summary: 'Run the operation even when the snapshot before it cannot be taken (warns; the serial log may be lost).',
  }),
  'skip-snapshot': Flags.boolean({summary: 'Do not take a snapshot first (knowingly: the serial log may be lost).'}),
  wait: Flags.boolean({
    allowNo: true,
    default: true,
    summary: 'Wait until Azure finished the operation. --no-wait returns once Azure accepted it.',
  }),
  yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (needed without a terminal).'}),
}

/** Flags of the operations after which the VM boots (restart, redeploy, start). */
export const bootingOperationFlags = {
  ...operationFlags,
  ...watchFlags,
  watch: Flags.boolean({
    helpGroup: 'WATCH',
    summary:
      'Then follow the new boot in the serial log, take a snapshot after it, and exit 0/3/5 as `bootdiag watch`.',
  }),
}

/** The parsed flags the base reads (each command has a subset: --skip-shutdown on stop, --watch on those that boot). */
type OperationFlagValues = VmTargetFlags & {
  archive?: string
  force: boolean
  'skip-snapshot': boolean
  'skip-shutdown'?: boolean
  wait: boolean
  yes: boolean
  watch?: boolean
  until?: string
  timeout?: string
  interval?: string
}

/** What a VM operation's flags ask for. */
export interface VmOperationOptions {
  operation: VmOperationName
  vm: VmTargetFlags
  /** --yes: do not ask */
  confirmed: boolean
  /** go on when the snapshot first fails */
  force: boolean
  /** false: --skip-snapshot */
  snapshotFirst: boolean
  /** false: --no-wait */
  wait: boolean
  skipShutdown?: boolean
  /** --watch, with --until/--timeout/--interval */
  watch?: WatchSettings
}

export abstract class VmOperationCommand<T extends typeof Command> extends AzureCommand<T> {
  /** the operation this command runs */
  static operation: VmOperationName

  private readonly statusLine = new StatusLine()

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(): VmOperationOptions {
    const operation = (this.ctor as unknown as typeof VmOperationCommand).operation
    const flags = this.flags as unknown as OperationFlagValues
    if (flags.force && flags['skip-snapshot'])
      throw new UsageError(
        '--force and --skip-snapshot exclude each other: --force goes on when the snapshot fails, --skip-snapshot takes none.',
      )
    return {
      confirmed: flags.yes === true,
      force: flags.force === true,
      operation,
      skipShutdown: flags['skip-shutdown'],
      snapshotFirst: !flags['skip-snapshot'],
      vm: pickVmTargetFlags(flags as unknown as Record<string, unknown>),
      wait: flags.wait,
      watch: flags.watch
        ? watchSettings({interval: flags.interval!, timeout: flags.timeout!, until: flags.until!})
        : undefined,
    }
  }

  async run(): Promise<OperationReport | OperationReport[]> {
    const options = this.options()
    const targets = await this.resolveTargets(options.vm)
    checkWatchable(options.operation, {
      targets: targets.length,
      wait: options.wait,
      watch: options.watch !== undefined,
    })
    const refs = targets.map((target) => target.ref)
    await this.confirm(refs, options)
    try {
      return await this.operateOnAll(refs, options)
    } finally {
      this.statusLine.stop()
    }
  }

  /** Ask before interrupting a VM; without a terminal, --yes is required. */
  private async confirm(refs: VmRef[], options: VmOperationOptions): Promise<void> {
    const {operation} = options
    if (!VM_OPERATIONS[operation].destructive || options.confirmed) return
    const prompt = currentPromptContext(this.machineOutput)
    if (!canPrompt(prompt)) {
      throw new UsageError(
        `'${operation}' interrupts the VM and asks for confirmation first, but ${whyNoPrompt(prompt)}: pass --yes to ${operation} without asking.`,
        {code: 'ConfirmationRequired'},
      )
    }

    const {confirmOperation} = await import('../prompts/confirm-operation.js')
    const question = confirmationQuestion(operation, refs, {
      skipShutdown: options.skipShutdown,
      snapshotFirst: options.snapshotFirst,
    })
    if (!(await confirmOperation(question)))
      throw new BootdiagError(`Nothing was done: the ${operation} was not confirmed.`, {code: 'NotConfirmed'})
  }

  private async operateOnAll(refs: VmRef[], options: VmOperationOptions): Promise<OperationReport | OperationReport[]> {
    const {operation, watch} = options
    const [{guardedOperations}, {operationSteps}, context] = await Promise.all([
      import('../services/vm/operation.js'),
      import('../services/vm/operation-steps.js'),
      this.context(),
    ])
    const steps = operationSteps(
      context,
      {operation, skipShutdown: options.skipShutdown, wait: options.wait, watch},
      this.observer(operation, refs.length),
    )
    const outcomes = await guardedOperations(steps, refs, {
      force: options.force,
      operation,
      snapshotFirst: options.snapshotFirst,
      watch: watch !== undefined,
    })
    if (outcomes.length === 1) {
      const [{failure, report}] = outcomes
      // one VM: its failure is the command's (one line, its exit code); what was kept was said on stderr
      if (failure) throw failure
      if (report.watch) this.exitCodeOnSuccess = report.watch.exitCode
      this.presentReports(report)
      return report
    }

    for (const {failure, report} of outcomes)
      if (failure) this.say(() => this.warnUser(`${vmLabel(reportRef(report))}: ${failure.message}`))
    // several VMs: each one's result is reported; exit 1 when any failed
    const reports = outcomes.map((outcome) => outcome.report)
    if (reports.some((report) => report.error)) this.exitCodeOnSuccess = ExitCode.error
    this.presentReports(reports)
    return reports
  }

  private presentReports(result: OperationReport | OperationReport[]): void {
    this.statusLine.stop()
    const reports = Array.isArray(result) ? result : [result]
    this.present(result, {columns: OPERATION_COLUMNS, human: (color) => formatOperationReports(reports, color)})
  }

  /** The terminal side of the operations: the spinner line, notes and warnings, the watch's printer. */
  private observer(operation: VmOperationName, total: number): OperationObserver {
    const color = colorEnabled(process.stderr)
    const running = new Map<string, string>()
    let done = 0
    return {
      event: (event) => {
        const text = describeOperationEvent(event, color)
        if (event.kind === 'snapshot-failed') this.say(() => this.warnUser(text))
        else this.say(() => this.noteBlock(text))
      },
      progress: (ref, status) => {
        const vm = vmLabel(ref)
        if (status !== null) running.set(vm, status)
        else {
          running.delete(vm)
          done++
        }

        if (running.size > 0) this.statusLine.update(operationProgress(operation, running, done, total))
        else this.statusLine.stop()
      },
      watchPrinter: (ref) => new WatchPrinter({color, mode: 'progress', statusLine: this.statusLine, vm: vmLabel(ref)}),
    }
  }

  /** Write to stderr without tearing the status line. */
  private say(write: () => void): void {
    this.statusLine.print(write)
  }

  public override async catch(error: Error & {exitCode?: number}): Promise<void> {
    this.statusLine.stop()
    return super.catch(error)
  }
}

/** The VM a report is about. */
function reportRef(report: OperationReport): VmRef {
  const {instanceId, name, resourceGroup, subscriptionId, vmss} = report.vm
  return {name, resourceGroup, subscriptionId, ...(vmss && instanceId ? {vmss: {instanceId, name: vmss}} : {})}
}
