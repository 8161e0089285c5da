/**
 * The Logs Ingestion fake, and what @azure/monitor-ingestion really sends to it through bootdiag's own
 * client (src/azure/clients.ts): the api-version, gzip, a token for Azure Monitor's audience, chunks under
 * the 1 MB limit; and the fake's refusals (wrong audience, no api-version, too large, no role, an unknown
 * stream) as bootdiag reports them.
 */
import {gzipSync} from 'node:zlib'

import {expect} from 'chai'
import nock from 'nock'

import {exportLogs} from '../../../src/services/alerts/logs-export.js'
import {
  type FakeAzure,
  type FakeDataCollectionRule,
  INGESTION_API_VERSION,
  MAX_CALL_BYTES,
  MONITOR_AUDIENCE,
  startFakeAzure,
} from '../../fake-azure/index.js'
import {bootdiagClients} from '../../fake-azure/sdk-clients.js'
import {testContext} from '../../helpers/context.js'

const STREAM = 'Custom-BootDiagnostics_CL'

describe('fake Azure: Logs Ingestion (Azure Monitor) and the SDK', function () {
  this.timeout(60_000)
  let fake: FakeAzure
  let rule: FakeDataCollectionRule

  before(async () => {
    fake = await startFakeAzure({storage: false})
  })

  after(() => fake?.stop())

  beforeEach(() => {
    rule = fake.ingestion.addRule({
      columns: [
        {name: 'TimeGenerated', type: 'datetime'},
        {name: 'VmName', type: 'string'},
        {name: 'BytesDownloaded', type: 'long'},
        {name: 'Summary', type: 'string'},
      ],
      stream: STREAM,
    })
    fake.faults.clear()
    fake.requests.reset()
  })

  const rowsOf = (count: number, summary = 'booted') =>
    Array.from({length: count}, (_, i) => ({
      BytesDownloaded: i,
      Summary: summary,
      TimeGenerated: '2026-11-25T11:00:00.000Z',
      VmName: `web-${i}`,
    }))

  async function upload(rows: Array<Record<string, unknown>>, options: {maxRetries?: number} = {}) {
    const client = await bootdiagClients(fake, {maxRetries: options.maxRetries ?? 0}).logsIngestion(
      fake.ingestion.endpoint,
    )
    return client.upload(rule.immutableId, STREAM, rows)
  }

  it('the SDK sends one gzipped JSON array with the api-version and a token for https://monitor.azure.com', async () => {
    const rows = rowsOf(3)

    const outcome = await upload(rows)

    expect(outcome).to.deep.equal({errors: [], failedRows: 0, rows: 3})
    expect(rule.rows).to.deep.equal(rows)
    expect(rule.problems).to.deep.equal([])
    expect(rule.calls).to.have.length(1)
    expect(rule.calls[0]).to.deep.include({
      apiVersion: INGESTION_API_VERSION,
      audience: MONITOR_AUDIENCE,
      contentEncoding: 'gzip',
      rows: 3,
      status: 204,
    })
    expect(rule.calls[0].contentType).to.match(/^application\/json/)
    expect(rule.calls[0].userAgent).to.match(/^bootdiag-test .*azsdk-js-monitor-ingestion\/[\d.]+/)
    expect(rule.calls[0].bytes).to.be.below(rule.calls[0].decodedBytes!)
  })

  it('more than 1 MB of rows: split by the SDK into calls the fake accepts, each under the limit', async () => {
    const rows = rowsOf(1200, 'x'.repeat(2000))

    const outcome = await upload(rows)

    expect(outcome.failedRows).to.equal(0)
    expect(rule.calls.length).to.be.at.least(3)
    for (const call of rule.calls) expect(call.decodedBytes).to.be.at.most(MAX_CALL_BYTES)
    expect(rule.rows.map((row) => row.VmName)).to.have.members(rows.map((row) => row.VmName))
  })

  it('a 503 is retried by the pipeline and then accepted', async () => {
    fake.faults.add({service: 'ingestion', status: 503, times: 1})

    const outcome = await upload(rowsOf(2), {maxRetries: 2})

    expect(outcome.failedRows).to.equal(0)
    expect(rule.calls.map((call) => call.status)).to.deep.equal([204])
    expect(fake.requests.all({service: 'ingestion'}).map((r) => r.status)).to.deep.equal([503, 204])
  })

  it('an identity without the Monitoring Metrics Publisher role: every row refused, the report says what to grant', async () => {
    rule.publishers.clear()
    const context = testContext({clients: bootdiagClients(fake, {maxRetries: 0})})

    const report = await exportLogs(
      context,
      {endpoint: fake.ingestion.endpoint, ruleId: rule.immutableId, stream: STREAM},
      rowsOf(2),
      new AbortController().signal,
    )

    expect(report).to.deep.include({failed: 2, rows: 2, sent: 0})
    expect(report.errors).to.have.length(1)
    expect(report.errors[0]).to.match(/^HTTP 403 OperationFailed: .*'Monitoring Metrics Publisher' role/)
    expect(rule.rows).to.deep.equal([])
  })

  it('an unknown stream or rule: 404, with what to check', async () => {
    const context = testContext({clients: bootdiagClients(fake, {maxRetries: 0})})
    const send = (ruleId: string, stream: string) =>
      exportLogs(context, {endpoint: fake.ingestion.endpoint, ruleId, stream}, rowsOf(1), new AbortController().signal)

    const [wrongStream, wrongRule] = [
      await send(rule.immutableId, 'Custom-Other_CL'),
      await send('dcr-00000000000000000000000000000000', STREAM),
    ]

    expect(wrongStream.errors[0]).to.match(/^HTTP 404 InvalidStream: .*check --dcr .* and --stream/)
    expect(wrongRule.errors[0]).to.match(/^HTTP 404 DataCollectionRuleNotFound: /)
  })

  describe('the fake checks what it is sent (raw requests)', () => {
    const post = (
      body: Buffer,
      options: {token?: string; apiVersion?: string | null; encoding?: string | null; stream?: string} = {},
    ) => {
      const query = options.apiVersion === null ? '' : `?api-version=${options.apiVersion ?? INGESTION_API_VERSION}`
      const headers: Record<string, string> = {
        authorization: `Bearer ${options.token ?? fake.mintAccessToken({audience: MONITOR_AUDIENCE})}`,
        'content-type': 'application/json',
      }
      if (options.encoding !== null) headers['content-encoding'] = options.encoding ?? 'gzip'
      return fetch(
        `${fake.ingestion.endpoint}/dataCollectionRules/${rule.immutableId}/streams/${options.stream ?? STREAM}${query}`,
        {body, headers, method: 'POST'},
      )
    }

    /**
     * nock (test/setup.ts) wraps every client socket and would decompress a body that claims gzip before
     * sending it; for a body that is not gzip at all, it steps aside for one request.
     */
    async function withoutNock<T>(send: () => Promise<T>): Promise<T> {
      nock.restore()
      try {
        return await send()
      } finally {
        nock.activate()
      }
    }

    const errorCode = async (response: Response) => ((await response.json()) as {error: {code: string}}).error.code
    const gz = (value: unknown) => gzipSync(Buffer.from(JSON.stringify(value)))

    it('a token for Resource Manager is refused (401); so is a call without the api-version (400)', async () => {
      const armToken = await post(gz(rowsOf(1)), {token: fake.mintAccessToken()})
      expect([armToken.status, await errorCode(armToken)]).to.deep.equal([401, 'InvalidTokenAudience'])
      const noVersion = await post(gz(rowsOf(1)), {apiVersion: null})
      expect([noVersion.status, await errorCode(noVersion)]).to.deep.equal([400, 'InvalidApiVersion'])
    })

    it('over 1 MB once decompressed: 413; gzip that does not decode, or not an array of objects: 400', async () => {
      const big = await post(gz(rowsOf(600, 'y'.repeat(2000))))
      expect([big.status, await errorCode(big)]).to.deep.equal([413, 'ContentLengthLimitExceeded'])
      const notGzip = await withoutNock(() => post(Buffer.from('[{}]')))
      expect([notGzip.status, await errorCode(notGzip)]).to.deep.equal([400, 'InvalidContentEncoding'])
      const notArray = await post(gz({VmName: 'web-01'}))
      expect([notArray.status, await errorCode(notArray)]).to.deep.equal([400, 'InvalidPayload'])
    })

    it('plain JSON (no Content-Encoding) is accepted, as the spec allows; undeclared and mistyped columns are noted', async () => {
      const response = await post(Buffer.from(JSON.stringify([{BytesDownloaded: '12', Extra: 1, VmName: 'a'}])), {
        encoding: null,
      })

      expect(response.status).to.equal(204)
      expect(rule.problems).to.deep.equal([{mistyped: ['BytesDownloaded'], row: 0, undeclared: ['Extra']}])
    })
  })
})
