import {Args} from '@oclif/core'

import {AzureCommand} from '../cli/azure-command.js'
import {archiveFlag} from '../cli/flags.js'
import {formatDiff} from '../output/diff.js'
import type {SnapshotDiff} from '../services/history/diff.js'

export interface DiffCommandOptions {
  a: string
  b: string
}

export default class Diff extends AzureCommand<typeof Diff> {
  static override args = {
    a: Args.string({
      description: "The earlier snapshot: its folder, or its id as 'bootdiag history' prints it.",
      name: 'SNAPSHOT_A',
      required: true,
    }),
    b: Args.string({description: 'The later snapshot.', name: 'SNAPSHOT_B', required: true}),
  }

  static override description = `Analyses both snapshots' serial logs and shows what is new in B: the boot sessions that started after A's log ended (all of B's when its log replaced A's, e.g. after a redeploy) and the findings B has that A had not, with B's line numbers; and whether the verdict changed.

A snapshot is named by its folder (any snapshot folder, in the archive or copied elsewhere), by its id <subscriptionId>/<resourceGroup>/<vm>/<snapshot> as 'bootdiag history' prints it (<resourceGroup>/<vm>/<snapshot> when one subscription has that VM), or by its location in a Blob-container archive.`

  static override examples = [
    {
      command: '<%= config.bin %> diff 0b1f…/web-rg/web-01/20261125T100000Z 0b1f…/web-rg/web-01/20261125T103000Z',
      description: 'Two snapshots of the archive, by id',
    },
    {
      command: '<%= config.bin %> diff web-rg/web-01/20261125T100000Z web-rg/web-01/20261125T103000Z -o json',
      description: 'As JSON',
    },
    {command: '<%= config.bin %> diff ./before ./after', description: 'Two snapshot folders'},
  ]

  static override flags = {
    archive: archiveFlag,
  }

  static override summary = 'What is new in snapshot B: boot sessions and findings A did not have.'

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(): DiffCommandOptions {
    return {a: this.args.a, b: this.args.b}
  }

  async run(): Promise<SnapshotDiff> {
    const {a, b} = this.options()
    const [{diffSnapshots}, context] = await Promise.all([import('../services/history/diff.js'), this.context()])
    const diff = await diffSnapshots(context, a, b)
    this.present(diff, {human: (color) => formatDiff(diff, color)})
    return diff
  }
}
