import {createReadStream} from 'node:fs'
import {join} from 'node:path'
import {pipeline} from 'node:stream/promises'

import {Flags} from '@oclif/core'

import {AzureCommand} from '../cli/azure-command.js'
import {archiveFlag, pickVmTargetFlags, vmTargetFlags} from '../cli/flags.js'
import type {VmTargetFlags} from '../cli/resolve-vm-targets.js'
import {BootdiagError, ExitCode, UsageError} from '../errors.js'
import {formatFetchResult} from '../output/fetch-summary.js'
import type {FetchResult} from '../services/snapshot/fetch-snapshot.js'

export interface FetchCommandOptions {
  vm: VmTargetFlags
  /** kept in snapshot.json */
  reason: string
  /** print the serial log (byte-exact) to stdout */
  stdout: boolean
}

export default class Fetch extends AzureCommand<typeof Fetch> {
  static override description = `Downloads the VM's serial console log and screenshot into a new, immutable snapshot folder in the archive — do this before a forced restart or redeploy can lose them:

  <archive>/<subscriptionId>/<resourceGroup>/<vmName>/<YYYYMMDDTHHMMSSZ>/
    serial.log      the log, byte for byte as Azure serves it
    screenshot.bmp  the screenshot as served; screenshot.png converted from it
    snapshot.json   when, why, which VM, and each file's size, SHA-256, ETag and Last-Modified

Files are written under temporary names and moved into place only when complete and verified; an existing snapshot is never changed. A VM whose log or screenshot does not exist yet is reported, not an error.

With no VM flags, on a terminal, a searchable list of the VMs with boot diagnostics is offered.`

  static override examples = [
    {command: '<%= config.bin %> fetch -n web-01 -g web-rg', description: 'Snapshot one VM'},
    {command: '<%= config.bin %> fetch', description: 'Pick the VM from a list (on a terminal)'},
    {
      command:
        '<%= config.bin %> fetch --ids /subscriptions/<id>/resourceGroups/web-rg/providers/Microsoft.Compute/virtualMachines/web-01 --reason "INC-1234 before redeploy"',
      description: 'By resource ID, with a reason kept in snapshot.json',
    },
    {command: '<%= config.bin %> fetch --vmss web-ss --instance-id 3 -g web-rg', description: 'A scale-set instance'},
    {
      command: '<%= config.bin %> fetch -n web-01 -g web-rg --stdout | less -R',
      description: 'Also print the serial log (byte-exact) to stdout',
    },
  ]

  static override flags = {
    ...vmTargetFlags,
    archive: archiveFlag,
    reason: Flags.string({default: 'manual', summary: 'Why the snapshot is taken; kept in snapshot.json.'}),
    stdout: Flags.boolean({summary: 'After saving the snapshot, print only the serial log, byte-exact, to stdout.'}),
  }

  static override summary = 'Snapshot a VM’s serial log and screenshot before anything overwrites them.'

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(): FetchCommandOptions {
    const {reason, stdout} = this.flags
    if (stdout && ['json', 'output', 'query'].some((flag) => this.givenOnCommandLine(flag)))
      throw new UsageError(
        '--stdout prints the serial log itself on stdout, so -o, --json and --query have nothing to format: pass one or the other.',
      )
    return {reason, stdout: stdout === true, vm: pickVmTargetFlags(this.flags)}
  }

  async run(): Promise<FetchResult | FetchResult[]> {
    const {reason, stdout, vm} = this.options()
    const targets = await this.resolveTargets(vm)
    const [{fetchSnapshot, fetchSnapshots}, context] = await Promise.all([
      import('../services/snapshot/fetch-snapshot.js'),
      this.context(),
    ])
    if (targets.length === 1) {
      const result = await fetchSnapshot(context, {reason, ref: targets[0].ref})
      await this.report(result, stdout)
      return result
    }

    const outcomes = await fetchSnapshots(
      context,
      targets.map((target) => target.ref),
      {reason},
    )
    const results = outcomes.flatMap((outcome) => ('result' in outcome ? [outcome.result] : []))
    const failures = outcomes.flatMap((outcome) =>
      'failure' in outcome ? [`${outcome.ref.name}: ${outcome.failure.message}`] : [],
    )
    await this.report(results, stdout)
    for (const failure of failures) this.warnUser(failure)
    if (results.length === 0)
      throw new BootdiagError(`No snapshot was taken (${failures.length} VMs failed, see above).`)
    if (failures.length > 0) this.exitCodeOnSuccess = ExitCode.error
    return results
  }

  private async report(result: FetchResult | FetchResult[], stdout: boolean): Promise<void> {
    const results = Array.isArray(result) ? result : [result]
    if (stdout) {
      for (const one of results) {
        this.noteBlock(formatFetchResult(one, false))
        if (one.files['serial.log'])
          await pipeline(createReadStream(join(one.localFolder, 'serial.log')), process.stdout, {end: false})
      }

      return
    }

    this.present(result, {human: (color) => results.map((one) => formatFetchResult(one, color)).join('\n\n')})
  }
}
