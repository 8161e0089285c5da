/**
 * The steps of a guarded VM operation (operation.ts: snapshot, operate, watch, snapshot) as they run for
 * real: built from the run's context — the snapshot through fetchSnapshot, the operation through the
 * SDK's poller, the watch through the serial log reader. What the terminal shows (the spinner line, the
 * watch's printer) comes in as an observer; nothing here prints.
 */
import type {VmRef} from '../../azure/resource-id.js'
import {describeFailure} from '../../azure/errors.js'
import type {RunContext} from '../../context/run-context.js'
import {fetchSnapshot} from '../snapshot/fetch-snapshot.js'
import {openSerialLog} from '../watch/log-reader.js'
import {type WatchEvent, type WatchStatus, captureBaseline, watchBoot} from '../watch/watch-boot.js'
import type {WatchSettings} from '../watch/settings.js'
import {
  type GuardedOperationSteps,
  type OperationEvent,
  type OperationStatus,
  type VmOperationName,
  runVmOperation,
  vmLabel,
} from './operation.js'

export interface OperationSettings {
  operation: VmOperationName
  /** false: --no-wait */
  wait: boolean
  /** stop --skip-shutdown */
  skipShutdown?: boolean
  /** --watch: how to follow the new boot */
  watch?: WatchSettings
}

/** What the person at the terminal sees while operations run. */
export interface OperationObserver {
  /** a snapshot taken or refused, an operation started or done */
  event(event: OperationEvent): void
  /** an operation's state after a poll ('starting', 'running', ...), or null once it ended */
  progress(ref: VmRef, status: string | null): void
  /** a printer for one VM's watch: its events and status as they come */
  watchPrinter(ref: VmRef): {event(event: WatchEvent): void; status(status: WatchStatus): void; stop(): void}
}

export function operationSteps(
  context: RunContext,
  settings: OperationSettings,
  observer: OperationObserver,
): GuardedOperationSteps {
  const {signal} = context
  const {operation} = settings
  return {
    captureBaseline: async (ref) => captureBaseline(await openSerialLog(context, ref), signal),
    describeError: (error) => describeFailure(error, signal),
    notify: (event) => observer.event(event),
    operate: async (ref): Promise<OperationStatus> => {
      observer.progress(ref, 'starting')
      try {
        return await runVmOperation(await context.azure.compute(ref.subscriptionId), ref, operation, {
          onProgress: (status) => observer.progress(ref, status),
          pollIntervalMs: context.settings.pollIntervalMs,
          signal,
          skipShutdown: settings.skipShutdown,
          wait: settings.wait,
        })
      } catch (error) {
        if (signal.aborted)
          context.events.note(
            `Stopped waiting for the ${operation} of ${vmLabel(ref)}; it goes on in Azure. See where it got to with 'bootdiag vm list -g ${ref.resourceGroup}'.`,
          )
        throw error
      } finally {
        observer.progress(ref, null)
      }
    },
    takeSnapshot: (ref, reason) => fetchSnapshot(context, {reason, ref}),
    watch: async (ref, baseline) => {
      const printer = observer.watchPrinter(ref)
      try {
        return await watchBoot(
          {
            clock: {now: () => context.clock.now().getTime(), sleep: (ms, s) => context.clock.sleep(ms, s)},
            emit: (event) => printer.event(event),
            reader: await openSerialLog(context, ref),
            status: (status) => printer.status(status),
          },
          {...settings.watch!, baseline, signal, source: vmLabel(ref)},
        )
      } finally {
        printer.stop()
      }
    },
  }
}
