import {Flags} from '@oclif/core'

import {AzureCommand} from '../cli/azure-command.js'
import {archiveFlag} from '../cli/flags.js'
import {ExitCode, UsageError} from '../errors.js'
import {ArchiveProgress} from '../output/archive-progress.js'
import {formatDelivery} from '../output/archive-delivery.js'
import {archiveColumns, formatArchiveSummary, reindexLine} from '../output/archive-summary.js'
import type {DeliveryOptions, DeliveryReport} from '../services/alerts/deliver.js'
import type {ArchiveSummary, FleetOptions} from '../services/archive/fleet.js'
import type {ReindexSummary} from '../services/archive/reindex.js'
import type {Shard} from '../services/archive/targets.js'

/** What archive's flags ask for: the fleet run, and what to deliver after it (--notify, --metrics-file, --export-logs). */
export interface ArchiveOptions extends FleetOptions {
  deliveries?: DeliveryOptions
}

/** The JSON result: the run's summary, and what was delivered after it. */
export type ArchiveResult = ArchiveSummary & {delivery?: DeliveryReport}

export default class Archive extends AzureCommand<typeof Archive> {
  static override description = `Archives the serial log and screenshot of every VM with boot diagnostics — across subscriptions, from cron, a systemd timer or a Kubernetes CronJob — into the same snapshots fetch writes, in a folder or a Blob Storage container.

Incremental: beside each VM's snapshots, .archive-state.json keeps the last ETag, size and SHA-256. A log that did not change costs one conditional request and no download, and writes no snapshot; a log that grew is read from where the kept copy ends (a Range read, its 1 KiB overlap checked) and written as a full new snapshot; a log that was replaced is downloaded again. A screenshot is kept when it changes. A file that did not change is carried into the new snapshot from the previous one (hard-linked in a folder), so every snapshot is complete on its own.

One run at a time: the archive (or, with --shard, the shard) is locked; a second run stops with exit code 6, or waits with --wait. A lock left by a crashed run is taken over (its process is gone, or it was not refreshed for 5 minutes; a container lock is a lease that expires after 60 s).

After the run: --notify POSTs a JSON message (with a one-line 'text' for Slack and Teams) for each VM whose verdict became a failure or whose failure signature changed since its previous snapshot; --metrics-file writes Prometheus metrics for node_exporter's textfile collector; --export-logs sends one row per VM to a Log Analytics table through Azure Monitor's Logs Ingestion API. They are retried within a 60 s deadline, never change the exit code, and a failure is a warning.

Every snapshot is recorded in the archive's index (.bootdiag-index/: one SQLite file per archive writer — the whole archive, or each shard — merged when read), which report, history, diff and search read; VMs listed with boot diagnostics off are recorded as disabled, not archived and not failed. --reindex rebuilds the index from the snapshots.

Exit codes: 0 every VM archived (or nothing to archive), 5 some VMs failed (or part of the fleet could not be listed) and the others were archived, 1 every VM failed, 6 the lock is held.`

  static override examples = [
    {
      command: '<%= config.bin %> archive',
      description: 'Every VM with boot diagnostics in the default subscription, into the per-user archive folder',
    },
    {
      command: '<%= config.bin %> archive --all-subscriptions --archive /srv/bootdiag --keep-days 30',
      description:
        'Every subscription (one Resource Graph query), pruning snapshots older than 30 days (each VM keeps its newest)',
    },
    {
      command: '<%= config.bin %> archive --archive https://myacct.blob.core.windows.net/bootdiag/prod --include-vmss',
      description: 'Into a Blob container (with the signed-in identity), scale-set instances included',
    },
    {
      command:
        '<%= config.bin %> archive --all-subscriptions --shard $JOB_COMPLETION_INDEX/4 --archive https://myacct.blob.core.windows.net/bootdiag',
      description: 'One of 4 workers of a Kubernetes indexed Job: a stable quarter of the fleet',
    },
    {
      command:
        '<%= config.bin %> archive --all-subscriptions --notify "$SLACK_WEBHOOK_URL" --metrics-file /var/lib/node_exporter/textfile/bootdiag.prom',
      description: 'Post to Slack when a VM starts failing (or fails differently), and leave metrics for Prometheus',
    },
    {
      command:
        '<%= config.bin %> archive --export-logs https://my-dce-a1b2.westeurope-1.ingest.monitor.azure.com --dcr dcr-00112233445566778899aabbccddeeff --stream Custom-BootDiagnostics_CL',
      description: 'One row per VM per run into a Log Analytics table, to query and alert on with KQL',
    },
    {
      command: '<%= config.bin %> archive -o json --query "vms[?result==\'failed\'].name"',
      description: 'Names of the VMs that failed',
    },
    {
      command: '<%= config.bin %> archive --reindex --archive /srv/bootdiag',
      description: "Rebuild the archive's index from the snapshots (report, history and search read it)",
    },
  ]

  static override flags = {
    'all-subscriptions': Flags.boolean({
      summary: 'Every enabled subscription the identity can see (listed with one Azure Resource Graph query).',
    }),
    archive: archiveFlag,
    concurrency: Flags.integer({default: 16, max: 256, min: 1, summary: 'VMs archived at the same time.'}),
    dcr: Flags.string({
      dependsOn: ['export-logs'],
      helpGroup: 'ALERTS AND EXPORTS',
      helpValue: 'ID',
      summary: "With --export-logs: the data collection rule's immutable ID (dcr-…).",
    }),
    'export-logs': Flags.string({
      dependsOn: ['dcr', 'stream'],
      helpGroup: 'ALERTS AND EXPORTS',
      helpValue: 'DCE_URL',
      summary:
        "After the run, send one row per VM to Azure Monitor's Logs Ingestion API at this data collection endpoint (with --dcr and --stream).",
    }),
    'include-vmss': Flags.boolean({summary: 'Also archive scale-set instances (Uniform and Flexible).'}),
    'metrics-file': Flags.string({
      helpGroup: 'ALERTS AND EXPORTS',
      helpValue: 'PATH',
      summary:
        "After the run, write its Prometheus metrics to this file, atomically (for node_exporter's textfile collector: name it *.prom).",
    }),
    notify: Flags.string({
      env: 'BOOTDIAG_NOTIFY_URL',
      helpGroup: 'ALERTS AND EXPORTS',
      helpValue: 'URL',
      multiple: true,
      summary:
        'After the run, POST a JSON message to this webhook (Slack, Teams, any HTTPS endpoint) for each VM whose verdict became a failure or whose failure signature changed; repeat for several. The URL is a secret: never printed.',
    }),
    'keep-days': Flags.integer({
      min: 0,
      summary: "After the run, delete snapshots older than this many days; each VM's newest snapshot is always kept.",
    }),
    reindex: Flags.boolean({
      exclusive: ['all-subscriptions', 'include-vmss', 'keep-days', 'resource-group', 'shard'],
      summary:
        "Instead of archiving: rebuild the archive's index (what report, history and search read) from every snapshot.json.",
    }),
    'resource-group': Flags.string({char: 'g', summary: 'Only this resource group.'}),
    shard: Flags.string({
      helpValue: 'I/N',
      summary:
        'Only shard I of N (0 ≤ I < N, by a hash of the VM resource ID): N workers split the fleet without overlap.',
    }),
    stream: Flags.string({
      dependsOn: ['export-logs'],
      helpGroup: 'ALERTS AND EXPORTS',
      helpValue: 'NAME',
      summary: 'With --export-logs: the stream the rule declares, e.g. Custom-BootDiagnostics_CL.',
    }),
    subscription: Flags.string({
      delimiter: ',',
      env: 'AZURE_SUBSCRIPTION_ID',
      helpGroup: 'AZURE',
      multiple: true,
      summary:
        "Subscription ID or name; repeat it (or separate with commas) for several. Default: az CLI's default, else the only one visible.",
    }),
    wait: Flags.boolean({
      summary: 'If another run holds the archive lock, wait for it instead of stopping with exit code 6.',
    }),
  }

  static override summary = 'Archive every VM’s boot log and screenshot, incrementally, on a schedule.'

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(shardOf: (text: string) => Shard): ArchiveOptions {
    if (this.flags['all-subscriptions'] && this.givenOnCommandLine('subscription'))
      throw new UsageError(
        '--all-subscriptions and --subscription ask for different subscriptions: pass one of them (AZURE_SUBSCRIPTION_ID is ignored with --all-subscriptions).',
      )
    const notify = [this.flags.notify ?? []].flat().filter((url) => url.trim() !== '')
    const deliveries: DeliveryOptions = {
      ...(notify.length > 0 ? {notify} : {}),
      ...(this.flags['metrics-file'] === undefined ? {} : {metricsFile: this.flags['metrics-file']}),
      ...(this.flags['export-logs'] === undefined
        ? {}
        : {exportLogs: {endpoint: this.flags['export-logs'], ruleId: this.flags.dcr, stream: this.flags.stream}}),
    }
    return {
      concurrency: this.flags.concurrency,
      includeVmss: this.flags['include-vmss'] === true,
      keepDays: this.flags['keep-days'],
      resourceGroup: this.flags['resource-group'],
      shard: this.flags.shard === undefined ? undefined : shardOf(this.flags.shard),
      subscriptions: this.flags['all-subscriptions'] ? 'all' : subscriptionValues(this.flags.subscription),
      wait: this.flags.wait === true,
      ...(Object.keys(deliveries).length > 0 ? {deliveries} : {}),
    }
  }

  /** the progress bar while the run goes; notes and warnings are printed around it */
  private progress?: ArchiveProgress

  async run(): Promise<ArchiveResult | ReindexSummary> {
    const reindex = this.reindexOptions()
    if (reindex) return this.reindex(reindex)
    const [{archiveFleet}, {parseShard}, context] = await Promise.all([
      import('../services/archive/fleet.js'),
      import('../services/archive/targets.js'),
      this.context(),
    ])
    const {deliveries, ...options} = this.options(parseShard)
    // The delivery flags are checked before the run: a mistake stops it before any request.
    const alerts = deliveries ? await import('../services/alerts/deliver.js') : undefined
    const plan = alerts && deliveries ? await alerts.planDeliveries(deliveries) : undefined
    const progress = new ArchiveProgress(process.stderr)
    this.progress = progress
    let summary: ArchiveSummary
    try {
      summary = await archiveFleet(context, options, {onProgress: (update) => progress.update(update)})
    } finally {
      progress.clear()
      this.progress = undefined
    }

    for (const vm of summary.vms)
      if (vm.error) this.note(`Failed: ${vm.name} (${vm.resourceGroup}): ${vm.error.message}`)
    for (const failure of summary.listingFailures ?? [])
      this.note(`Not listed: ${failure.scope}: ${failure.error.message}`)
    let result: ArchiveResult = summary
    if (alerts && plan && alerts.plansAnything(plan)) {
      const [{archiveMetrics}, {digestBody, notificationBody}] = await Promise.all([
        import('../output/archive-metrics.js'),
        import('../output/alert-message.js'),
      ])
      const delivery = await alerts.deliverRunOutputs(context, summary, plan, {
        digest: digestBody,
        metrics: archiveMetrics,
        notification: notificationBody,
      })
      result = {...summary, delivery}
    }

    if (this.outputFormat === 'tsv' && !this.flags.query) this.present(summary.vms, {columns: archiveColumns})
    else
      this.present(result, {
        human: (color) =>
          [formatArchiveSummary(summary, color), result.delivery ? formatDelivery(result.delivery) : '']
            .filter(Boolean)
            .join('\n'),
      })
    if (summary.totals.vms === 0 && !this.machineOutput)
      this.note('No VMs with boot diagnostics found (check --subscription, -g and --include-vmss).')
    const {failed, vms} = summary.totals
    // a fleet listed only in part is a partial run too: the VMs not listed were not archived
    if (failed > 0 && failed === vms) this.exitCodeOnSuccess = ExitCode.error
    else if (failed > 0 || (summary.listingFailures?.length ?? 0) > 0) this.exitCodeOnSuccess = ExitCode.partial
    return result
  }

  /** --reindex (tested in-process: test/unit/commands/options.test.ts): undefined when archiving. */
  reindexOptions(): {wait: boolean} | undefined {
    return this.flags.reindex ? {wait: this.flags.wait === true} : undefined
  }

  /** --reindex: the index rebuilt from the snapshots, under the archive lock. */
  private async reindex(options: {wait: boolean}): Promise<ReindexSummary> {
    const [{reindexArchive}, context] = await Promise.all([import('../services/archive/reindex.js'), this.context()])
    const summary = await reindexArchive(context, options)
    this.present(summary, {human: () => reindexLine(summary)})
    return summary
  }

  protected override note(message: string): void {
    if (this.progress) this.progress.interrupt(() => super.note(message))
    else super.note(message)
  }

  protected override warnUser(message: string): void {
    if (this.progress) this.progress.interrupt(() => super.warnUser(message))
    else super.warnUser(message)
  }
}

/** --subscription, repeated or comma-separated (AZURE_SUBSCRIPTION_ID comes through as one string). */
function subscriptionValues(given: string | string[] | undefined): string[] {
  return [given ?? []]
    .flat()
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean)
}
