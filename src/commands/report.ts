import {Flags} from '@oclif/core'

import {AzureCommand} from '../cli/azure-command.js'
import {archiveFlag} from '../cli/flags.js'
import {UsageError} from '../errors.js'
import {formatReport, reportColumns} from '../output/report.js'
import {OUTCOME_FILTERS, type FleetReport, type OutcomeFilter, type ReportOptions} from '../services/report/report.js'
import {checkOutputFile, writeOutputFile} from '../util/output-file.js'
import {parseSince} from '../util/since.js'

export interface ReportCommandOptions {
  report: ReportOptions
  /** --html FILE */
  html?: string
}

export default class Report extends AzureCommand<typeof Report> {
  static override description = `Reads the archive's index — kept by archive, fetch and every command that takes a snapshot — and tells, per VM: its latest verdict, since when it has been in that state, and what changed since its previous snapshot. VMs that archive found with boot diagnostics off are listed as disabled (a state, not an error). Then: counts per outcome, failures grouped by signature (the normalised title of the deciding evidence, e.g. "initramfs-failure: ALERT! UUID=… does not exist. Dropping to a shell! — 37 VMs"), reboot loops (the log keeps changing and never comes back healthy) and VMs stuck on the same screen across snapshots.

The archive is not contacted for anything but its index (one file per archive writer, merged); an archive written before the index existed is indexed on first use. --live also lists the fleet from Azure now, so VMs never archived appear too.

--html FILE writes one self-contained page: the overview, the signature groups, a row per VM with its latest screenshot (a thumbnail), verdict and since when, and each VM's timeline of snapshots.`

  static override examples = [
    {command: '<%= config.bin %> report', description: 'The fleet as the archive knows it'},
    {
      command: '<%= config.bin %> report --outcome failure --since 1d',
      description: 'VMs failing, with a snapshot in the last day',
    },
    {
      command: '<%= config.bin %> report -o json --query "groups[].{signature: signature, vms: length(vms)}"',
      description: 'How many VMs share each failure',
    },
    {command: '<%= config.bin %> report --html fleet.html', description: 'Also write the page for the team channel'},
    {
      command: '<%= config.bin %> report --archive https://myacct.blob.core.windows.net/bootdiag -g web-rg',
      description: 'One resource group of a container archive',
    },
  ]

  static override flags = {
    archive: archiveFlag,
    html: Flags.string({helpValue: 'FILE', summary: 'Also write the report as one self-contained HTML page.'}),
    live: Flags.boolean({
      summary: 'Also list the fleet from Azure now (VMs never archived; boot diagnostics on or off).',
    }),
    outcome: Flags.string({
      delimiter: ',',
      helpValue: 'OUTCOME',
      multiple: true,
      options: [...OUTCOME_FILTERS],
      summary: 'Only VMs in this state: an outcome, failure (any failure), healthy, disabled or none (no verdict).',
    }),
    'resource-group': Flags.string({char: 'g', summary: 'Only this resource group.'}),
    since: Flags.string({
      helpValue: 'AGE|DATE',
      summary: 'Only VMs with a snapshot since then: 30d, 12h, 2026-11-01, ...',
    }),
    subscription: Flags.string({
      delimiter: ',',
      helpGroup: 'AZURE',
      multiple: true,
      summary: 'Only this subscription (ID; with --live also a name); repeat for several.',
    }),
  }

  static override summary = 'The fleet now: per VM the latest verdict, since when, what changed; failures grouped.'

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(now: Date = new Date()): ReportCommandOptions {
    const {html, live, outcome, since, subscription} = this.flags
    if (html === '') throw new UsageError('--html needs a file path, for example --html report.html.')
    return {
      html,
      report: {
        live: live === true,
        outcomes: outcome as OutcomeFilter[] | undefined,
        resourceGroup: this.flags['resource-group'],
        since: since === undefined ? undefined : parseSince(since, now),
        subscriptions: subscription,
      },
    }
  }

  async run(): Promise<FleetReport> {
    const {html, report: options} = this.options()
    if (html !== undefined) await checkOutputFile(html, '--html', 'the HTML report')
    const context = await this.context()
    let report: FleetReport
    if (html === undefined) {
      const {reportFleet} = await import('../services/report/report.js')
      report = await reportFleet(context, options)
    } else {
      // The page's thumbnails and timelines are read from the same view of the index.
      const [{reportPage}, {renderReportHtml}] = await Promise.all([
        import('../services/report/report-page.js'),
        import('../output/report-html.js'),
      ])
      const built = await reportPage(context, options, {page: true})
      report = built.report
      await writeOutputFile(
        html,
        renderReportHtml(built.page!, {version: this.config.version}),
        '--html',
        'the HTML report',
      )
      this.note(`HTML report written to ${html}`)
    }

    if (this.outputFormat === 'tsv' && !this.flags.query) this.present(report.vms, {columns: reportColumns})
    else this.present(report, {human: (color) => formatReport(report, color)})
    if (report.vms.length === 0 && !this.machineOutput)
      this.note(
        `No VM to report: the archive ${report.archive} holds no snapshot${options.since || options.outcomes || options.resourceGroup || options.subscriptions ? ' that matches' : ' yet (bootdiag archive or fetch take them)'}.`,
      )
    return report
  }
}
