import {Flags} from '@oclif/core'

import {AzureCommand} from '../cli/azure-command.js'
import {archiveFlag} from '../cli/flags.js'
import {UsageError} from '../errors.js'
import {formatDiff} from '../output/diff.js'
import {formatHistory, historyColumns} from '../output/history.js'
import type {SnapshotDiff} from '../services/history/diff.js'
import type {HistoryEntry, HistoryOptions} from '../services/history/history.js'

export interface HistoryCommandOptions {
  vm: HistoryOptions
  /** --diff: the latest snapshot against the one before it */
  diff: boolean
}

export default class History extends AzureCommand<typeof History> {
  static override description = `Lists a VM's snapshots in the archive, newest first: when and why each was taken (archive, manual, pre-restart, ...), the verdict of its serial log, its size, and what changed since the snapshot before it (the verdict, the log grew or was replaced, the screen). Read from the archive's index; the snapshot ids it prints are what 'bootdiag diff' takes.

--diff compares the latest snapshot with the one before it, as 'bootdiag diff' does.`

  static override examples = [
    {command: '<%= config.bin %> history -n web-01 -g web-rg', description: "A VM's snapshots"},
    {command: '<%= config.bin %> history -n web-01 -g web-rg --diff', description: 'What the latest snapshot adds'},
    {
      command: '<%= config.bin %> history -n web-01 -g web-rg -o json --query "[?outcome!=\'booted\'].path"',
      description: 'Where the snapshots with a failing verdict are',
    },
  ]

  static override flags = {
    archive: archiveFlag,
    diff: Flags.boolean({summary: 'Show what is new in the latest snapshot against the one before it.'}),
    ids: Flags.string({helpGroup: 'VM', summary: 'The VM by resource ID (instead of -n and -g).'}),
    limit: Flags.integer({min: 1, summary: 'Only the newest N snapshots.'}),
    name: Flags.string({char: 'n', helpGroup: 'VM', summary: 'VM name.'}),
    'resource-group': Flags.string({char: 'g', helpGroup: 'VM', summary: 'Resource group of the VM.'}),
    subscription: Flags.string({
      helpGroup: 'AZURE',
      summary: 'Subscription ID of the VM, when the archive holds VMs of that name in several.',
    }),
  }

  static override summary = "A VM's snapshots, newest first: when, why, the verdict, what changed."

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(): HistoryCommandOptions {
    const {diff, ids, limit, name, subscription} = this.flags
    const group = this.flags['resource-group']
    if (ids && (name || group)) throw new UsageError('Name the VM with --ids, or with -n and -g, not both.')
    if (!ids && (!name || !group))
      throw new UsageError('Name the VM: -n NAME -g RESOURCE_GROUP, or --ids RESOURCE_ID.', {code: 'VmRequired'})
    return {
      diff: diff === true,
      vm: ids ? {id: ids, limit} : {limit, name, resourceGroup: group, subscription},
    }
  }

  async run(): Promise<HistoryEntry[] | SnapshotDiff> {
    const {diff, vm} = this.options()
    const context = await this.context()
    if (diff) {
      const {diffLatest} = await import('../services/history/diff.js')
      const result = await diffLatest(context, vm)
      this.present(result, {human: (color) => formatDiff(result, color)})
      return result
    }

    const {historyOf} = await import('../services/history/history.js')
    const history = await historyOf(context, vm)
    this.present(history.snapshots, {columns: historyColumns, human: (color) => formatHistory(history, color)})
    return history.snapshots
  }
}
