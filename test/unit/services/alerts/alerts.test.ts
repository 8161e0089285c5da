/**
 * What an archive run alerts on and exports, as pure functions over its summary: which VMs changed
 * verdict, how a webhook URL is read (and kept secret), the rows for Azure Monitor and the data
 * collection rule the README tells users to create.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {logsRows, parseLogsExport} from '../../../../src/services/alerts/logs-export.js'
import {verdictChanges} from '../../../../src/services/alerts/verdict-changes.js'
import {parseWebhook, retryAfterMs} from '../../../../src/services/alerts/webhook.js'
import {redact} from '../../../../src/util/redact.js'
import {BOOTED, PANIC, ROOT_MISSING, summaryOf, vmLine} from '../../../helpers/archive-summaries.js'
import {repoRoot} from '../../../helpers/cli.js'

describe('alerts: which VMs changed verdict', () => {
  it('a VM that became a failure, or fails under another signature, is news; one that fails the same way is not', () => {
    const summary = summaryOf([
      vmLine({name: 'became-01', previous: {outcome: 'booted'}, verdict: ROOT_MISSING}),
      vmLine({
        name: 'same-01',
        previous: {outcome: ROOT_MISSING.outcome, signature: ROOT_MISSING.signature},
        verdict: ROOT_MISSING,
      }),
      vmLine({
        name: 'other-01',
        previous: {outcome: ROOT_MISSING.outcome, signature: ROOT_MISSING.signature},
        verdict: PANIC,
      }),
      vmLine({name: 'recovered-01', previous: {outcome: PANIC.outcome, signature: PANIC.signature}, verdict: BOOTED}),
      vmLine({name: 'healthy-01', previous: {outcome: 'booted'}, verdict: BOOTED}),
      vmLine({name: 'unchanged-01'}),
      vmLine({error: {code: 'Throttled', message: 'Too many requests'}, name: 'failed-01', result: 'failed'}),
    ])

    const changes = verdictChanges(summary)

    expect(changes.map((change) => [change.vm.name, change.kind])).to.deep.equal([
      ['became-01', 'became-failure'],
      ['other-01', 'signature-changed'],
    ])
    expect(changes[1]).to.deep.include({
      outcome: 'kernel-panic',
      signature: PANIC.signature,
      snapshot: summary.vms[2].snapshot,
      summary: PANIC.summary,
    })
    expect(changes[1].previous).to.deep.include({outcome: ROOT_MISSING.outcome, signature: ROOT_MISSING.signature})
  })

  it("a VM's first snapshot that fails, or one after a snapshot without a verdict, became a failure", () => {
    const changes = verdictChanges(
      summaryOf([
        vmLine({name: 'first-01', previous: null, verdict: ROOT_MISSING}),
        vmLine({name: 'nolog-01', previous: {outcome: null}, verdict: PANIC}),
        vmLine({name: 'first-02', previous: null, verdict: BOOTED}),
      ]),
    )

    expect(changes.map((change) => [change.vm.name, change.kind, change.previous?.outcome ?? null])).to.deep.equal([
      ['first-01', 'became-failure', null],
      ['nolog-01', 'became-failure', null],
    ])
  })
})

describe('alerts: --notify URL', () => {
  it('a Slack webhook: its path is the secret — registered with the redactor, shown as the host only', () => {
    const url = 'https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx'

    const webhook = parseWebhook(url)

    expect(webhook).to.deep.equal({display: 'https://hooks.slack.com/…', url})
    expect(redact(`POST ${url} failed`)).to.not.include('abcdefghijklmnopqrstuvwx')
    expect(redact('path /services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx')).to.not.include('B0BBBBBBB')
  })

  it("a Teams workflow's sig= and an Azure Function's code= never print, whatever message holds them", () => {
    const teams =
      'https://prod-12.westeurope.logic.azure.com:443/workflows/0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zm9vYmFyYmF6cXV4cXV1eA'
    const fn = 'https://alerts-fn.azurewebsites.net/api/boot?code=c2VjcmV0LWZ1bmN0aW9uLWtleQ=='

    expect(parseWebhook(teams).display).to.equal('https://prod-12.westeurope.logic.azure.com/…')
    expect(parseWebhook(fn).display).to.equal('https://alerts-fn.azurewebsites.net/…')
    const text = redact(`sent to ${teams} and ${fn}; sig Zm9vYmFyYmF6cXV4cXV1eA, key c2VjcmV0LWZ1bmN0aW9uLWtleQ==`)
    expect(text).to.not.include('Zm9vYmFyYmF6cXV4cXV1eA')
    expect(text).to.not.include('c2VjcmV0LWZ1bmN0aW9uLWtleQ')
  })

  it('http is refused but to loopback; a value that is not a URL is refused without being echoed', () => {
    expect(() => parseWebhook('http://hooks.example.com/secret-path-123')).to.throw(/must use https/)
    expect(parseWebhook('http://127.0.0.1:8080/hook').display).to.equal('http://127.0.0.1:8080/…')
    expect(() => parseWebhook('hooks.slack.com/services/T/B/not-a-url-secret')).to.throw(/not one/)
    try {
      parseWebhook('hooks.slack.com/services/T/B/not-a-url-secret')
    } catch (error) {
      expect((error as Error).message).to.not.include('not-a-url-secret')
    }
  })

  it('Retry-After: seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T11:00:00Z')
    expect(retryAfterMs('7', now)).to.equal(7000)
    expect(retryAfterMs('Wed, 25 Nov 2026 11:00:30 GMT', now)).to.equal(30_000)
    expect(retryAfterMs('soon', now)).to.equal(undefined)
    expect(retryAfterMs(null, now)).to.equal(undefined)
  })
})

describe('alerts: rows for Azure Monitor (--export-logs)', () => {
  const rule = JSON.parse(readFileSync(join(repoRoot, 'docs', 'monitor', 'data-collection-rule.json'), 'utf8')) as {
    properties: {streamDeclarations: Record<string, {columns: Array<{name: string; type: string}>}>}
  }
  const columns = rule.properties.streamDeclarations['Custom-BootDiagnostics_CL'].columns
  const typeOf = (value: unknown) =>
    typeof value === 'number' ? 'long' : typeof value === 'boolean' ? 'boolean' : 'string'

  it('one row per VM, every column declared in the documented rule with its type; empty columns left out', () => {
    const summary = summaryOf(
      [
        vmLine({name: 'web-01', previous: {outcome: 'booted'}, verdict: ROOT_MISSING}),
        vmLine({name: 'web-02'}),
        vmLine({error: {code: 'Throttled', message: 'Too many requests'}, name: 'web-03', result: 'failed'}),
      ],
      {shard: {count: 4, index: 1}},
    )

    const rows = logsRows(summary, {runId: 'run-1', toolVersion: '0.2.0'})

    expect(rows).to.have.length(3)
    const declared = new Map(columns.map((column) => [column.name, column.type]))
    for (const row of rows)
      for (const [name, value] of Object.entries(row)) {
        expect(declared.has(name), `column ${name} is declared`).to.equal(true)
        const type = declared.get(name)
        if (type === 'datetime') expect(new Date(value as string).toISOString()).to.equal(value)
        else expect(typeOf(value), name).to.equal(type)
      }

    expect(rows[0]).to.deep.include({
      LastStage: 'initramfs',
      Outcome: 'initramfs-failure',
      PreviousOutcome: 'booted',
      Result: 'new',
      RunId: 'run-1',
      Shard: '1/4',
      Signature: ROOT_MISSING.signature,
      TimeGenerated: '2026-11-25T11:00:00.000Z',
      VerdictChange: 'became-failure',
      VmName: 'web-01',
    })
    expect(rows[1]).to.not.have.any.keys('Outcome', 'VerdictChange', 'ErrorCode')
    expect(rows[2]).to.deep.include({ErrorCode: 'Throttled', ErrorMessage: 'Too many requests', Result: 'failed'})
  })

  it('the README creates the table with the same columns the rule declares', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    const create =
      /az monitor log-analytics workspace table create[^\n]*\\\n(?:[^\n]*\\\n)*[^\n]*/.exec(readme)?.[0] ?? ''
    for (const column of columns) expect(create, column.name).to.include(`${column.name}=${column.type}`)
  })

  it('--export-logs, --dcr, --stream are checked before the run', () => {
    expect(
      parseLogsExport('https://dce-1.westeurope-1.ingest.monitor.azure.com/', 'dcr-0011', 'Custom-BootDiagnostics_CL'),
    ).to.deep.equal({
      endpoint: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
      ruleId: 'dcr-0011',
      stream: 'Custom-BootDiagnostics_CL',
    })
    expect(() => parseLogsExport('dce-1.ingest.monitor.azure.com', 'dcr-1', 's')).to.throw(/logs ingestion URL/)
    expect(() => parseLogsExport('http://dce-1.ingest.monitor.azure.com', 'dcr-1', 's')).to.throw(/https/)
    expect(() =>
      parseLogsExport(
        'https://dce-1.ingest.monitor.azure.com',
        '/subscriptions/x/resourceGroups/y/providers/Microsoft.Insights/dataCollectionRules/z',
        's',
      ),
    ).to.throw(/immutable ID/)
  })
})
