/**
 * The base of `vm restart|redeploy|stop|deallocate|start`: their shared flags, the confirmation before
 * an operation that interrupts a VM, and the wiring of services/vm-operation.ts (snapshot first, the
 * long-running operation with a spinner, --watch, the snapshot after) to Azure and the terminal. Each
 * command names its operation and adds its own flags.
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
  type GuardedOperationDependencies,
  type OperationReport,
  VM_OPERATIONS,
  type VmOperationName,
  checkWatchable,
  vmLabel,
} from '../services/vm/operation.js'
import type {VmRef} from '../azure/resource-id.js'
import {mapWithConcurrency} from '../util/concurrency.js'
import {AzureCommand} from './azure-command.js'
import {archiveFlag, vmTargetFlags} from './flags.js'
import type {VmTargetFlags} from './resolve-vm-targets.js'
import {colorEnabled} from '../util/terminal.js'
import {type WatchSettings, watchFlags, watchSettings} from './watch-flags.js'

/** VMs operated on at once when several are named. */
export const OPERATION_CONCURRENCY = 4

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

export abstract class VmOperationCommand<T extends typeof Command> extends AzureCommand<T> {
  /** the operation this command runs */
  static operation: VmOperationName

  private readonly statusLine = new StatusLine()

  async run(): Promise<OperationReport | OperationReport[]> {
    const operation = (this.ctor as unknown as typeof VmOperationCommand).operation
    const flags = this.flags as unknown as OperationFlagValues
    if (flags.force && flags['skip-snapshot'])
      throw new UsageError(
        '--force and --skip-snapshot exclude each other: --force goes on when the snapshot fails, --skip-snapshot takes none.',
      )
    const watch = flags.watch
      ? watchSettings({interval: flags.interval!, timeout: flags.timeout!, until: flags.until!})
      : undefined
    const pollIntervalMs = pollIntervalFromEnv()
    const targets = await this.resolveTargets(flags)
    checkWatchable(operation, {targets: targets.length, wait: flags.wait, watch: watch !== undefined})
    const refs = targets.map((target) => target.ref)
    await this.confirm(operation, refs, flags)
    try {
      return await this.operateOnAll(operation, refs, flags, watch, pollIntervalMs)
    } finally {
      this.statusLine.stop()
    }
  }

  /** Ask before interrupting a VM; without a terminal, --yes is required. */
  private async confirm(operation: VmOperationName, refs: VmRef[], flags: OperationFlagValues): Promise<void> {
    if (!VM_OPERATIONS[operation].destructive || flags.yes) return
    const prompt = currentPromptContext(this.machineOutput)
    if (!canPrompt(prompt)) {
      throw new UsageError(
        `'${operation}' interrupts the VM and asks for confirmation first, but ${whyNoPrompt(prompt)}: pass --yes to ${operation} without asking.`,
        {code: 'ConfirmationRequired'},
      )
    }

    const {confirmOperation} = await import('../prompts/confirm-operation.js')
    const question = confirmationQuestion(operation, refs, {
      skipShutdown: flags['skip-shutdown'],
      snapshotFirst: !flags['skip-snapshot'],
    })
    if (!(await confirmOperation(question)))
      throw new BootdiagError(`Nothing was done: the ${operation} was not confirmed.`, {code: 'NotConfirmed'})
  }

  private async operateOnAll(
    operation: VmOperationName,
    refs: VmRef[],
    flags: OperationFlagValues,
    watch: WatchSettings | undefined,
    pollIntervalMs: number | undefined,
  ): Promise<OperationReport | OperationReport[]> {
    const [{guardedOperation}, deps] = await Promise.all([
      import('../services/vm/operation.js'),
      this.dependencies(operation, refs.length, flags, watch, pollIntervalMs),
    ])
    const request = (ref: VmRef) => ({
      force: flags.force,
      operation,
      ref,
      snapshotFirst: !flags['skip-snapshot'],
      watch: watch !== undefined,
    })
    if (refs.length === 1) {
      const {failure, report} = await guardedOperation(deps, request(refs[0]))
      // one VM: its failure is the command's (one line, its exit code); what was kept was said on stderr
      if (failure) throw failure
      if (report.watch) this.exitCodeOnSuccess = report.watch.exitCode
      this.presentReports(report)
      return report
    }

    const reports = await mapWithConcurrency(refs, OPERATION_CONCURRENCY, async (ref) => {
      const {failure, report} = await guardedOperation(deps, request(ref))
      if (failure) this.say(() => this.warnUser(`${vmLabel(ref)}: ${failure.message}`))
      return report
    })
    // several VMs: each one's result is reported; exit 1 when any failed
    if (reports.some((report) => report.error)) this.exitCodeOnSuccess = ExitCode.error
    this.presentReports(reports)
    return reports
  }

  private presentReports(result: OperationReport | OperationReport[]): void {
    this.statusLine.stop()
    const reports = Array.isArray(result) ? result : [result]
    this.present(result, {columns: OPERATION_COLUMNS, human: (color) => formatOperationReports(reports, color)})
  }

  /** Azure, the archive, the watch and the terminal, for services/vm-operation.ts. */
  private async dependencies(
    operation: VmOperationName,
    total: number,
    flags: OperationFlagValues,
    watch: WatchSettings | undefined,
    pollIntervalMs: number | undefined,
  ): Promise<GuardedOperationDependencies> {
    const [{runVmOperation}, {captureBaseline, systemClock, watchBoot}, {openSerialLog}, clients] = await Promise.all([
      import('../services/vm/operation.js'),
      import('../services/watch/watch-boot.js'),
      import('../services/watch/log-reader.js'),
      this.azure(),
    ])
    const color = colorEnabled(process.stderr)
    const running = new Map<string, string>()
    let done = 0
    const showProgress = () => this.statusLine.update(operationProgress(operation, running, done, total))
    const openLog = async (ref: VmRef) => {
      const compute = await clients.compute(ref.subscriptionId)
      return openSerialLog(
        {
          blobClient: (url, auth) => clients.blob(url, auth),
          compute,
          credential: clients.credential,
          now: systemClock.now,
        },
        ref,
        this.signal,
      )
    }

    return {
      captureBaseline: async (ref) => captureBaseline(await openLog(ref), this.signal),
      describeError: (error) => this.toBootdiagError(error),
      notify: (event) => {
        const text = describeOperationEvent(event, color)
        if (event.kind === 'snapshot-failed') this.say(() => this.warnUser(text))
        else this.say(() => this.note(text))
      },
      operate: async (ref) => {
        const vm = vmLabel(ref)
        running.set(vm, 'starting')
        showProgress()
        try {
          return await runVmOperation(await clients.compute(ref.subscriptionId), ref, operation, {
            onProgress: (status) => {
              running.set(vm, status)
              showProgress()
            },
            pollIntervalMs,
            signal: this.signal,
            skipShutdown: flags['skip-shutdown'],
            wait: flags.wait,
          })
        } catch (error) {
          if (this.signal.aborted)
            this.say(() =>
              this.note(
                `Stopped waiting for the ${operation} of ${vm}; it goes on in Azure. See where it got to with 'bootdiag vm list -g ${ref.resourceGroup}'.`,
              ),
            )
          throw error
        } finally {
          running.delete(vm)
          done++
          if (running.size > 0) showProgress()
          else this.statusLine.stop()
        }
      },
      takeSnapshot: (ref, reason) => this.takeSnapshot(ref, reason, {archive: flags.archive}),
      watch: async (ref, baseline) => {
        const printer = new WatchPrinter({color, mode: 'progress', statusLine: this.statusLine, vm: vmLabel(ref)})
        try {
          return await watchBoot(
            {
              clock: systemClock,
              emit: (event) => printer.event(event),
              reader: await openLog(ref),
              status: (status) => printer.status(status),
            },
            {...watch!, baseline, signal: this.signal, source: vmLabel(ref)},
          )
        } finally {
          printer.stop()
        }
      },
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

/** BOOTDIAG_POLL_INTERVAL_MS: milliseconds between polls of a long-running operation (default: Retry-After, else 2 s). */
function pollIntervalFromEnv(): number | undefined {
  const value = process.env.BOOTDIAG_POLL_INTERVAL_MS
  if (value === undefined || value === '') return undefined
  const ms = Number(value)
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
    throw new UsageError(
      `BOOTDIAG_POLL_INTERVAL_MS must be a whole number of milliseconds from 0 to 600000 (got '${value}').`,
    )
  return ms
}
