/**
 * After an archive run, in process: --notify against a real HTTPS receiver on 127.0.0.1 (retries with
 * backoff and Retry-After, no retry of a refusal, the deadline, secrets kept out of messages and warnings)
 * and --metrics-file written whole. The clock is the test's: a backoff is recorded, never waited.
 */
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {digestBody, notificationBody} from '../../../../src/output/alert-message.js'
import {archiveMetrics} from '../../../../src/output/archive-metrics.js'
import {
  type DeliveryContext,
  type DeliveryTexts,
  MAX_MESSAGES,
  deliverRunOutputs,
  planDeliveries,
} from '../../../../src/services/alerts/deliver.js'
import type {ArchiveSummary} from '../../../../src/services/archive/fleet.js'
import {BOOTED, PANIC, ROOT_MISSING, summaryOf, vmLine} from '../../../helpers/archive-summaries.js'
import {type WebhookReceiver, startWebhookReceiver} from '../../../helpers/webhook-receiver.js'

const texts: DeliveryTexts = {digest: digestBody, metrics: archiveMetrics, notification: notificationBody}

/** A run where web-01 became a failure, db-01 changed failure, and two others are no news. */
function oneRun(): ArchiveSummary {
  return summaryOf([
    vmLine({name: 'web-01', previous: {outcome: 'booted'}, verdict: ROOT_MISSING}),
    vmLine({name: 'web-02', previous: {outcome: 'booted'}, verdict: BOOTED}),
    vmLine({name: 'web-03'}),
    vmLine({
      name: 'db-01',
      previous: {outcome: ROOT_MISSING.outcome, signature: ROOT_MISSING.signature},
      resourceGroup: 'rg-data',
      verdict: PANIC,
    }),
  ])
}

describe('alerts: --notify and --metrics-file after a run (loopback receiver)', function () {
  this.timeout(30_000)
  let receiver: WebhookReceiver
  let scratch: string
  let sleeps: number[]
  let warnings: string[]
  let ctrlC: AbortController

  beforeEach(async () => {
    receiver = await startWebhookReceiver()
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-alerts-'))
    sleeps = []
    warnings = []
    ctrlC = new AbortController()
  })

  afterEach(async () => {
    await receiver.close()
    await rm(scratch, {force: true, recursive: true})
  })

  const context = (): DeliveryContext => ({
    azure: {} as DeliveryContext['azure'],
    clock: {
      now: () => new Date('2026-11-25T11:00:12Z'),
      sleep: async (ms, signal) => {
        sleeps.push(ms)
        signal?.throwIfAborted()
      },
    },
    events: {note: () => {}, warn: (message) => warnings.push(message)},
    signal: ctrlC.signal,
    toolVersion: '0.2.0',
  })

  /** A Slack-like URL on the receiver: its path is the secret. */
  const hookUrl = () => `${receiver.origin}/services/T0AAAAAAA/B0BBBBBBB/s3cr3tW3bh00kP4th`

  it('one POST per VM that became a failure or changed signature, JSON with a one-line text', async () => {
    const plan = await planDeliveries({notify: [hookUrl()]})

    const report = await deliverRunOutputs(context(), oneRun(), plan, texts)

    expect(report.notify).to.deep.equal({delivered: 2, events: 2, failed: 0, messages: 2, webhooks: 1})
    expect(receiver.requests).to.have.length(2)
    const bodies = receiver.requests.map((request) => request.json as Record<string, unknown>)
    expect(bodies.map((body) => [(body.vm as {name: string}).name, body.event, body.outcome])).to.have.deep.members([
      ['web-01', 'became-failure', 'initramfs-failure'],
      ['db-01', 'signature-changed', 'kernel-panic'],
    ])
    for (const request of receiver.requests) {
      expect(request.method).to.equal('POST')
      expect(request.path).to.equal('/services/T0AAAAAAA/B0BBBBBBB/s3cr3tW3bh00kP4th')
      expect(request.headers['content-type']).to.match(/^application\/json/)
      expect(request.headers['user-agent']).to.equal('bootdiag/0.2.0')
      expect((request.json as {text: string}).text).to.match(
        /^bootdiag: \S+ \(rg-\w+\) (now fails|fails differently) — [^\n]+$/,
      )
    }

    expect(warnings).to.deep.equal([])
  })

  it('429, 503 and a dropped connection are retried — after Retry-After when given, else with a growing backoff — and then delivered', async () => {
    receiver.answer = (_request, index) =>
      index === 0
        ? {body: 'rate_limited', headers: {'retry-after': '7'}, status: 429}
        : index === 1
          ? {body: 'upstream down', status: 503}
          : index === 2
            ? 'drop'
            : {body: 'ok', status: 200}
    const plan = await planDeliveries({notify: [hookUrl()]})

    const report = await deliverRunOutputs(context(), summaryOf([oneRun().vms[0]]), plan, texts)

    expect(report.notify).to.include({delivered: 1, failed: 0})
    expect(receiver.requests).to.have.length(4)
    expect(sleeps[0]).to.equal(7000)
    expect(sleeps[1]).to.be.within(1600, 2400)
    expect(sleeps[2]).to.be.within(3200, 4800)
    expect(warnings).to.deep.equal([])
  })

  it('a refusal (404) is not retried: one warning that names the host only, and the run goes on', async () => {
    receiver.answer = () => ({body: 'no_service', status: 404})
    const plan = await planDeliveries({notify: [hookUrl()]})

    const report = await deliverRunOutputs(context(), oneRun(), plan, texts)

    expect(report.notify).to.include({delivered: 0, failed: 2})
    expect(receiver.requests).to.have.length(2)
    expect(sleeps).to.deep.equal([])
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.equal(
      `Notify ${receiver.origin}/…: 2 of 2 messages not delivered (HTTP 404 no_service, after 1 attempt). The archive run is not affected.`,
    )
  })

  it('a receiver that is down: every attempt made (5), then a warning; nothing thrown', async () => {
    const url = hookUrl()
    await receiver.close()
    const plan = await planDeliveries({notify: [url]})

    const report = await deliverRunOutputs(context(), summaryOf([oneRun().vms[0]]), plan, texts)

    expect(report.notify).to.include({delivered: 0, failed: 1})
    expect(sleeps).to.have.length(4)
    expect(warnings[0]).to.match(/not delivered \(network error ECONNREFUSED, after 5 attempts\)/)
    receiver = await startWebhookReceiver()
  })

  it('a receiver that never answers cannot hold the run: at the deadline the message is given up', async () => {
    receiver.answer = () => 'hang'
    const deadline = new AbortController()
    const plan = await planDeliveries({notify: [hookUrl()]})

    const delivering = deliverRunOutputs(context(), summaryOf([oneRun().vms[0]]), plan, texts, {
      deadline: deadline.signal,
    })
    await receiver.received(1)
    deadline.abort()
    const report = await delivering

    expect(report.notify).to.include({delivered: 0, failed: 1})
    expect(warnings[0]).to.match(/not delivered \(not sent before the deadline, after 1 attempt\)/)
  })

  it('secrets never leave: a SAS in a log line is redacted in the message; the webhook URL is in no warning', async () => {
    const sas = 'https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789%3D'
    const leaky = summaryOf([
      vmLine({
        name: 'web-01',
        previous: {outcome: 'booted'},
        verdict: {...ROOT_MISSING, summary: `boot stopped in initramfs-failure: fetching ${sas} failed (line 3)`},
      }),
    ])
    receiver.answer = () => ({body: `bad hook ${hookUrl()}`, status: 400})
    const plan = await planDeliveries({notify: [hookUrl()]})

    await deliverRunOutputs(context(), leaky, plan, texts)

    const sent = receiver.requests[0].text
    expect(sent).to.not.include('AbCdEfGhIjKlMnOpQrStUvWxYz0123456789')
    expect(sent).to.include('https://acct.blob.core.windows.net/c/b?<redacted>')
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.not.include('s3cr3tW3bh00kP4th')
    expect(warnings[0]).to.not.include('/services/')
  })

  it(`more than ${MAX_MESSAGES} changes in one run: one digest per webhook, not a flood`, async () => {
    const many = summaryOf(
      Array.from({length: MAX_MESSAGES + 1}, (_, i) =>
        vmLine({name: `web-${i}`, previous: {outcome: 'booted'}, verdict: ROOT_MISSING}),
      ),
    )
    const plan = await planDeliveries({notify: [hookUrl(), `${receiver.origin}/second-hook-0123456789`]})

    const report = await deliverRunOutputs(context(), many, plan, texts)

    expect(report.notify).to.deep.equal({
      delivered: 2,
      events: MAX_MESSAGES + 1,
      failed: 0,
      messages: 2,
      webhooks: 2,
    })
    expect(receiver.requests.map((request) => (request.json as {event: string; count: number}).count)).to.deep.equal([
      MAX_MESSAGES + 1,
      MAX_MESSAGES + 1,
    ])
  })

  it('--metrics-file: written whole (no temporary file left), rewritten by the next run', async () => {
    const path = join(scratch, 'bootdiag.prom')
    const plan = await planDeliveries({metricsFile: path})

    const report = await deliverRunOutputs(context(), oneRun(), plan, texts)

    expect(report).to.deep.equal({metricsFile: {path, written: true}})
    const text = await readFile(path, 'utf8')
    expect(text).to.include('bootdiag_archive_vms{archive="/srv/bootdiag",result="new"} 3\n')
    expect(text).to.include('bootdiag_archive_verdict_changes{archive="/srv/bootdiag"} 2\n')
    expect(await readdir(scratch)).to.deep.equal(['bootdiag.prom'])

    await deliverRunOutputs(context(), summaryOf([vmLine({name: 'web-03'})]), plan, texts)
    expect(await readFile(path, 'utf8')).to.include('bootdiag_archive_vms{archive="/srv/bootdiag",result="new"} 0\n')
  })

  it('--metrics-file in a folder that is gone by the end of the run: a warning, the report says so', async () => {
    const folder = join(scratch, 'textfile')
    const {mkdir} = await import('node:fs/promises')
    await mkdir(folder)
    const plan = await planDeliveries({metricsFile: join(folder, 'bootdiag.prom')})
    await rm(folder, {recursive: true})

    const report = await deliverRunOutputs(context(), oneRun(), plan, texts)

    expect(report.metricsFile).to.deep.equal({path: join(folder, 'bootdiag.prom'), written: false})
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(/metrics file .*bootdiag\.prom.*The archive run is not affected\.$/)
  })

  it('checked before the run: a metrics path that is a folder, an http webhook', async () => {
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => (error as Error).message,
      )
    expect(await failure(planDeliveries({metricsFile: scratch}))).to.match(/--metrics-file .* is a directory/)
    expect(await failure(planDeliveries({notify: ['http://hooks.example.com/x']}))).to.match(/must use https/)
  })

  it('Ctrl-C while delivering stops it: the interruption is thrown, as for the run itself', async () => {
    receiver.answer = () => 'hang'
    const plan = await planDeliveries({notify: [hookUrl()]})

    const delivering = deliverRunOutputs(context(), summaryOf([oneRun().vms[0]]), plan, texts)
    await receiver.received(1)
    ctrlC.abort(new Error('interrupted'))

    const thrown = await delivering.then(
      () => undefined,
      (error: unknown) => error as Error,
    )
    expect(thrown?.message).to.equal('interrupted')
  })
})
