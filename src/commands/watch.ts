import {Flags} from '@oclif/core'

import {AzureCommand} from '../cli/azure-command.js'
import {pickVmTargetFlags, vmTargetFlags} from '../cli/flags.js'
import type {VmTargetFlags} from '../cli/resolve-vm-targets.js'
import {colorEnabled} from '../util/terminal.js'
import {type WatchSettings, watchFlags, watchSettings} from '../cli/watch-flags.js'
import {UsageError} from '../errors.js'
import {type WatchOutputMode, WatchPrinter} from '../output/watch.js'
import {StatusLine} from '../output/watch-status-line.js'

export interface WatchCommandOptions {
  vm: VmTargetFlags
  settings: WatchSettings
  /** what stdout shows: log lines, stage changes only, NDJSON, nothing */
  mode: WatchOutputMode
}

export default class Watch extends AzureCommand<typeof Watch> {
  static override description = `Follows a VM's serial log as it grows — a boot after a restart, a redeploy or a start — and says how far the boot got, using the same analyser as 'analyze'.

The log is read every --interval from where the last read stopped (a Range read). A log that is replaced meanwhile (a redeploy or a deallocation starts a new one) is read again from its first byte, and the watch says so; a log that does not exist yet is waited for. The storage URL is renewed before it expires.

On a terminal, new lines are printed as they arrive (stages, findings and notices go to stderr, with a status line showing the session, stage and elapsed time); --stages prints only stage changes and findings. With --json (or when stdout is piped) every line and event is one JSON object per line (NDJSON, see README "watch"). The log as it was when the watch started is not printed, but its current boot counts: a VM already at --until is done at once.

Exit codes: 0 when the boot reaches --until; 3 when the analyser sees a failure outcome (kernel panic, emergency mode, an initramfs or fsck failure; a kernel hang or failed provisioning once it held for 2 minutes); 5 when --timeout passes first; 130 on Ctrl-C.`

  static override examples = [
    {
      command: '<%= config.bin %> watch -n web-01 -g web-rg',
      description: 'Follow the boot to the login prompt (15 minutes at most)',
    },
    {
      command: '<%= config.bin %> watch -n web-01 -g web-rg --until agent-provisioned --timeout 30m --stages',
      description: 'Only stage changes and findings, until the Azure agent reports',
    },
    {
      command: '<%= config.bin %> watch -n web-01 -g web-rg --json | jq -c \'select(.event == "stage")\'',
      description: 'NDJSON events for a script',
    },
  ]

  static override flags = {
    ...vmTargetFlags,
    ...watchFlags,
    stages: Flags.boolean({summary: 'Print only stage changes, findings and the verdict, not the log lines.'}),
  }

  static override summary = 'Follow a VM’s serial log live until the boot reaches a stage, fails, or times out.'

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(): WatchCommandOptions {
    return {mode: this.outputMode(), settings: watchSettings(this.flags), vm: pickVmTargetFlags(this.flags)}
  }

  async run(): Promise<undefined> {
    const {mode, settings, vm: named} = this.options()
    const targets = await this.resolveTargets(named)
    if (targets.length > 1)
      throw new UsageError(`watch follows one VM; ${targets.length} were named. Run one watch per VM.`)
    const {ref} = targets[0]
    const [{openSerialLog}, {systemClock, watchBoot}, context] = await Promise.all([
      import('../services/watch/log-reader.js'),
      import('../services/watch/watch-boot.js'),
      this.context(),
    ])
    // a VM that is not running gets no boot to watch: said at once, not after --timeout
    const reader = await openSerialLog(context, ref, {requireRunning: true})
    const vm = ref.vmss ? `${ref.vmss.name}/${ref.vmss.instanceId}` : ref.name
    const printer = new WatchPrinter({color: colorEnabled(process.stdout), mode, statusLine: new StatusLine(), vm})
    try {
      const result = await watchBoot(
        {clock: systemClock, emit: (event) => printer.event(event), reader, status: (status) => printer.status(status)},
        {...settings, signal: this.signal, source: vm},
      )
      this.exitCodeOnSuccess = result.exitCode
    } finally {
      printer.stop()
    }

    // the result was printed as it happened (the `done` event); --json must not print it again
    return undefined
  }

  /** NDJSON for json/jsonc (and a pipe), text on a terminal, nothing for -o none. */
  private outputMode(): WatchOutputMode {
    if (this.flags.query)
      throw new UsageError(
        'watch prints events as they happen and takes no --query: filter its --json lines with jq instead.',
      )
    switch (this.outputFormat) {
      case 'json':
      case 'jsonc': {
        return 'ndjson'
      }

      case 'none': {
        return 'none'
      }

      case 'table': {
        return this.flags.stages ? 'stages' : 'lines'
      }

      default: {
        throw new UsageError(
          `watch prints events as they happen: use --json (one JSON object per line) or the terminal view, not -o ${this.outputFormat}.`,
        )
      }
    }
  }
}
