/**
 * End to end: `bootdiag archive --notify --metrics-file --export-logs` — the built CLI as cron would run
 * it — against the loopback fake of Azure (with its Logs Ingestion endpoint) and a webhook receiver on
 * 127.0.0.1. A VM archived healthy, then failing: exactly one notification, metrics with the run's counts,
 * one row per VM per run in the data collection rule's stream; a receiver that refuses is a warning, not
 * a failed run; and the Monitor SDK is loaded only when --export-logs asks for it.
 */
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {expect} from 'chai'

import type {ArchiveResult} from '../../src/commands/archive.js'
import {type FakeDataCollectionRule, type FakeVm, samplePanicBootLog, sampleShutdownLog} from '../fake-azure/index.js'
import {type CliResult, repoRoot} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import {registerTestSecret} from '../helpers/known-secrets.js'
import {assertMatchesSchema} from '../helpers/schemas.js'
import {type WebhookReceiver, startWebhookReceiver} from '../helpers/webhook-receiver.js'

const STREAM = 'Custom-BootDiagnostics_CL'
const recorder = pathToFileURL(join(repoRoot, 'test', 'helpers', 'record-modules.mjs')).href

function resultOf(run: CliResult): ArchiveResult {
  expect(run.exitCode, run.stderr).to.equal(0)
  expect(run.stdout, run.stderr).to.match(/^\{/)
  const result = JSON.parse(run.stdout) as ArchiveResult
  assertMatchesSchema('archive', result)
  return result
}

/** `name{labels} value` → value, for one metric and one label. */
function metric(text: string, name: string, label = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label))
  return line === undefined ? undefined : Number(line.split(' ').at(-1))
}

describe('e2e: archive alerts and exports against the fake Azure', function () {
  this.timeout(240_000)
  let receiver: WebhookReceiver
  let rule: FakeDataCollectionRule
  let hook: string
  const suite = e2eSuite({
    env: {BOOTDIAG_MAX_RETRIES: '0'},
    fakeAzure: true,
    runTimeoutMs: 120_000,
    async setup(fake) {
      const dcr = JSON.parse(
        await readFile(join(repoRoot, 'docs', 'monitor', 'data-collection-rule.json'), 'utf8'),
      ) as {
        properties: {streamDeclarations: Record<string, {columns: Array<{name: string; type: string}>}>}
      }
      rule = fake.ingestion.addRule({columns: dcr.properties.streamDeclarations[STREAM].columns, stream: STREAM})
    },
  })

  beforeEach(async () => {
    receiver = await startWebhookReceiver()
    // A Slack-shaped webhook: the path is the secret, and no output may hold it.
    const secretPath = `/services/T0E2E0000/B0E2E0000/${crypto.randomUUID().replaceAll('-', '')}`
    registerTestSecret(secretPath)
    hook = `${receiver.origin}${secretPath}`
  })

  afterEach(() => receiver.close())

  const bootdiag = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => suite.run(args, env)

  const failingBoot = (vm: FakeVm) =>
    sampleShutdownLog({ending: 'restart'}) + samplePanicBootLog({bootNumber: 2, hostname: vm.name})

  it('archived twice, a VM failing in between: one notification, the metrics, a row per VM per run', async () => {
    // Given two healthy VMs
    const web = await suite.fake.addVm({name: 'web-01', resourceGroup: 'rg-alerts'})
    await suite.fake.addVm({name: 'web-02', resourceGroup: 'rg-alerts'})
    const metricsFile = join(suite.scratch, 'bootdiag.prom')
    const args = [
      'archive',
      '-g',
      'rg-alerts',
      '--notify',
      hook,
      '--metrics-file',
      metricsFile,
      '--export-logs',
      suite.fake.ingestion.endpoint,
      '--dcr',
      rule.immutableId,
      '--stream',
      STREAM,
    ]

    // When the fleet is archived
    const first = resultOf(await bootdiag(args))

    // Then nothing is news: no notification; metrics and rows for both VMs
    expect(receiver.requests).to.have.length(0)
    expect(first.delivery).to.deep.equal({
      logsExport: {failed: 0, rows: 2, sent: 2},
      metricsFile: {path: metricsFile, written: true},
      notify: {delivered: 0, events: 0, failed: 0, messages: 0, webhooks: 1},
    })
    expect(metric(await readFile(metricsFile, 'utf8'), 'bootdiag_archive_vms', 'result="new"')).to.equal(2)
    expect(rule.rows.map((row) => [row.VmName, row.Result, row.Outcome])).to.deep.equal([
      ['web-01', 'new', 'booted'],
      ['web-02', 'new', 'booted'],
    ])

    // When web-01 restarts into a boot that cannot find its root device, and the fleet is archived again
    await suite.fake.appendLog(web, failingBoot(web))
    const secondRun = await bootdiag(args)
    const second = resultOf(secondRun)

    // Then exactly one notification came: web-01, its failure and signature, the healthy verdict before
    expect(receiver.requests).to.have.length(1)
    const body = receiver.requests[0].json as Record<string, unknown>
    const failing = second.vms.find((vm) => vm.name === 'web-01')!
    expect(body).to.deep.include({
      event: 'became-failure',
      lastStage: 'initramfs',
      outcome: 'initramfs-failure',
      signature: 'initramfs-failure: ALERT! PARTUUID=… does not exist. Dropping to a shell!',
      snapshot: failing.snapshot,
    })
    expect(body.vm).to.deep.include({
      name: 'web-01',
      resourceGroup: failing.resourceGroup,
      subscriptionId: suite.fake.subscriptionId,
    })
    expect(body.previousVerdict).to.deep.include({outcome: 'booted', signature: null})
    expect(body.text).to.match(/^bootdiag: web-01 \(rg-alerts\) now fails — boot stopped in initramfs-failure: ALERT!/i)
    expect(second.delivery?.notify).to.deep.equal({delivered: 1, events: 1, failed: 0, messages: 1, webhooks: 1})

    // And the metrics file has the second run's counts
    const metrics = await readFile(metricsFile, 'utf8')
    expect(metric(metrics, 'bootdiag_archive_vms', 'result="new"')).to.equal(1)
    expect(metric(metrics, 'bootdiag_archive_vms', 'result="unchanged"')).to.equal(1)
    expect(metric(metrics, 'bootdiag_archive_failed_vms')).to.equal(0)
    expect(metric(metrics, 'bootdiag_archive_vms_by_outcome', 'outcome="initramfs-failure"')).to.equal(1)
    expect(metric(metrics, 'bootdiag_archive_verdict_changes')).to.equal(1)
    expect(metric(metrics, 'bootdiag_archive_downloaded_bytes')).to.equal(second.totals.bytesDownloaded)

    // And Azure Monitor has one row per VM per run, every column declared and of its type
    expect(rule.rows).to.have.length(4)
    expect(rule.problems).to.deep.equal([])
    const secondRows = rule.rows.slice(2)
    expect(new Set(secondRows.map((row) => row.RunId)).size).to.equal(1)
    expect(secondRows[0].RunId).to.not.equal(rule.rows[0].RunId)
    expect(secondRows.find((row) => row.VmName === 'web-01')).to.deep.include({
      Outcome: 'initramfs-failure',
      PreviousOutcome: 'booted',
      Result: 'new',
      VerdictChange: 'became-failure',
    })
    expect(secondRows.find((row) => row.VmName === 'web-02')).to.deep.include({Result: 'unchanged'})
    for (const call of rule.calls) expect(call).to.deep.include({apiVersion: '2023-01-01', contentEncoding: 'gzip'})

    // And nothing was said on stderr; the webhook's secret is nowhere (the harness checks every run's output)
    expect(secondRun.stderr).to.equal('')

    // When nothing changes: no notification, and the table says so
    const third = await bootdiag([...args, '-o', 'table'])
    expect(third.exitCode, third.stderr).to.equal(0)
    expect(receiver.requests).to.have.length(1)
    expect(third.stdout).to.include('Notify: no VM became a failure or changed failure signature; nothing to send.')
    expect(third.stdout).to.include(`Metrics: ${metricsFile}`)
    expect(third.stdout).to.include('Azure Monitor: 2 of 2 rows sent.')
  })

  it('a webhook that refuses and a rule the identity may not publish to: warnings, the run still exits 0', async () => {
    const vm = await suite.fake.addVm({name: 'db-01', resourceGroup: 'rg-refused'})
    await bootdiag(['archive', '-g', 'rg-refused'])
    await suite.fake.appendLog(vm, failingBoot(vm))
    receiver.answer = () => ({body: 'no_service', status: 404})
    const closed = suite.fake.ingestion.addRule({
      columns: [{name: 'VmName', type: 'string'}],
      publishers: [],
      stream: STREAM,
    })

    const run = await bootdiag([
      'archive',
      '-g',
      'rg-refused',
      '--notify',
      hook,
      '--export-logs',
      suite.fake.ingestion.endpoint,
      '--dcr',
      closed.immutableId,
      '--stream',
      STREAM,
    ])

    const result = resultOf(run)
    expect(result.totals).to.deep.include({failed: 0, new: 1})
    expect(result.delivery).to.deep.include({
      logsExport: {failed: 1, rows: 1, sent: 0},
      notify: {delivered: 0, events: 1, failed: 1, messages: 1, webhooks: 1},
    })
    const warnings = run.stderr.trimEnd().split('\n')
    expect(warnings).to.have.length(2)
    expect(warnings).to.include(
      `Warning: Notify ${receiver.origin}/…: 1 of 1 message not delivered (HTTP 404 no_service, after 1 attempt). The archive run is not affected.`,
    )
    expect(warnings.find((line) => line.startsWith('Warning: Export to Azure Monitor'))).to.match(
      /1 of 1 rows not accepted — HTTP 403 OperationFailed: .*'Monitoring Metrics Publisher' role/,
    )
  })

  it('flags checked before the run: an http webhook, a metrics path that is a folder, --export-logs without --dcr', async () => {
    for (const [args, pattern] of [
      [['--notify', 'http://hooks.example.com/services/x'], /--notify must use https/],
      [['--metrics-file', suite.scratch], /--metrics-file .* is a directory/],
      [['--export-logs', suite.fake.ingestion.endpoint], /--dcr|--stream/],
    ] as Array<[string[], RegExp]>) {
      suite.fake.requests.reset()
      const run = await bootdiag(['archive', ...args])
      expect(run.exitCode, run.stderr).to.equal(2)
      expect(run.stderr).to.match(pattern)
      expect(suite.fake.requests.all()).to.have.length(0)
    }
  })

  it('start-up stays lazy: the Monitor SDK is loaded only when --export-logs is given', async () => {
    await suite.fake.addVm({name: 'lazy-01', resourceGroup: 'rg-lazy'})
    const modulesOf = async (args: string[]) => {
      const modules = join(suite.scratch, `modules-${args.length}.txt`)
      const run = await bootdiag(['archive', '-g', 'rg-lazy', ...args], {
        BOOTDIAG_RECORD_MODULES: modules,
        NODE_OPTIONS: `--disable-warning=UNDICI-EHPA --import=${recorder}`,
      })
      expect(run.exitCode, run.stderr).to.equal(0)
      return (await readFile(modules, 'utf8')).split('\n').filter((url) => url.includes('/@azure/monitor-ingestion/'))
    }

    expect(await modulesOf(['--notify', hook])).to.deep.equal([])
    expect(
      await modulesOf(['--export-logs', suite.fake.ingestion.endpoint, '--dcr', rule.immutableId, '--stream', STREAM]),
    ).to.not.deep.equal([])
  })
})
