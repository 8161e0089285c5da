/**
 * Injected faults and request counting: the fault rules apply to ARM (in process) and to blob reads through
 * the proxy in front of Azurite (real bytes forwarded), deterministically; the request log counts requests
 * and body bytes per route and per VM for benchmarks.
 */
import {BlobClient} from '@azure/storage-blob'
import {expect} from 'chai'

import {FaultInjector, startFakeAzure, type FakeAzure, type FakeVm} from '../../fake-azure/index.js'
import {sdkClients, type SdkClients} from '../../fake-azure/sdk-clients.js'

interface StorageErrorLike {
  statusCode?: number
  code?: string
  message: string
}

describe('fake Azure: faults and counting', () => {
  let fake: FakeAzure
  let sdk: SdkClients
  let vm: FakeVm
  let logUrl: string

  before(async () => {
    fake = await startFakeAzure()
    sdk = sdkClients(fake, {maxRetries: 0})
    vm = await fake.addVm({name: 'faulty-01', serialLog: 'x'.repeat(4000)})
    logUrl = (await sdk.compute.virtualMachines.retrieveBootDiagnosticsData('rg-bootdiag', vm.name))
      .serialConsoleLogBlobUri!
  })

  afterEach(() => {
    fake.faults.clear()
  })

  after(async () => {
    await fake?.stop()
  })

  const noRetry = () => new BlobClient(logUrl, undefined, {retryOptions: {maxTries: 1}})

  it('spreads a fraction evenly and deterministically, after a number of untouched requests, at most N times', () => {
    const faults = new FaultInjector()
    const rule = faults.add({after: 1, fraction: 0.5, route: 'r', status: 503, times: 2})
    const hits = Array.from(
      {length: 8},
      () => faults.decide({method: 'GET', path: '/', route: 'r', service: 'arm'}).action !== undefined,
    )
    expect(hits).to.deep.equal([false, false, true, false, true, false, false, false])
    expect(rule.hits).to.equal(2)
  })

  it('holds a blob read until the test lets it go, then forwards it whole', async () => {
    // Given a hold on the log's reads
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const hold = fake.faults.add({holdUntil: gate, route: 'blob.get', vm: vm.name})
    fake.requests.reset()

    // When a read starts, Then the fake has it in hand and has not answered
    const reading = noRetry().downloadToBuffer()
    while (hold.hits === 0) await new Promise((resolve) => setImmediate(resolve))
    expect(fake.requests.count({route: 'blob.get'})).to.equal(0)

    // When it is let go, Then the answer is the whole blob
    release()
    expect((await reading).toString()).to.equal('x'.repeat(4000))
    expect(fake.requests.all({route: 'blob.get'}).map((r) => r.fault)).to.deep.equal(['held'])
  })

  it('answers an ARM route with 429 + Retry-After once; the SDK retries and succeeds', async () => {
    const retrying = sdkClients(fake, {maxRetries: 2})
    fake.faults.add({retryAfterSeconds: 0, route: 'virtualMachines.retrieveBootDiagnosticsData', status: 429, times: 1})
    fake.requests.reset()
    const result = await retrying.compute.virtualMachines.retrieveBootDiagnosticsData('rg-bootdiag', vm.name)
    expect(result.serialConsoleLogBlobUri).to.be.a('string')
    const calls = fake.requests.all({route: 'virtualMachines.retrieveBootDiagnosticsData'})
    expect(calls.map((c) => c.status)).to.deep.equal([429, 200])
    expect(calls[0].fault).to.equal('status 429')
  })

  it('answers ARM 503 in a CloudError the SDK reads', async () => {
    fake.faults.add({route: 'virtualMachines.get', status: 503})
    const error = await sdk.compute.virtualMachines
      .get('rg-bootdiag', vm.name)
      .catch((error_: StorageErrorLike) => error_)
    expect(error).to.include({code: 'ServiceUnavailable', statusCode: 503})
  })

  it('answers blob reads with a 403 carrying the chosen x-ms-error-code', async () => {
    for (const code of ['AuthorizationPermissionMismatch', 'AuthorizationFailure', 'AuthenticationFailed']) {
      const rule = fake.faults.add({errorCode: code, route: 'blob.get', status: 403, vm: vm.name})
      const error = await noRetry()
        .download()
        .catch((error_: StorageErrorLike) => error_)
      expect(error).to.include({code, statusCode: 403})
      rule.remove()
    }
  })

  it('answers blob reads with 500 InternalError and 503 ServerBusy', async () => {
    fake.faults.add({route: 'blob.get', status: 500, times: 1})
    fake.faults.add({route: 'blob.get', status: 503, times: 1})
    expect(
      await noRetry()
        .download()
        .catch((error: StorageErrorLike) => error),
    ).to.include({code: 'InternalError', statusCode: 500})
    expect(
      await noRetry()
        .download()
        .catch((error: StorageErrorLike) => error),
    ).to.include({code: 'ServerBusy', statusCode: 503})
  })

  it('resets the connection mid-body and cuts a body short: the download fails', async () => {
    fake.faults.add({resetAfterBytes: 1000, route: 'blob.get', times: 1})
    const reset = await noRetry()
      .downloadToBuffer()
      .then(
        () => 'complete',
        () => 'failed',
      )
    expect(reset).to.equal('failed')

    fake.faults.add({cutAfterBytes: 1000, route: 'blob.get', times: 1})
    const cut = await noRetry()
      .download()
      .then(async (response) => {
        const chunks: Buffer[] = []
        for await (const chunk of response.readableStreamBody!) chunks.push(chunk as Buffer)
        return Buffer.concat(chunks).length
      })
      .catch(() => 'failed')
    expect(cut).to.equal('failed')
    const records = fake.requests.all({route: 'blob.get', vm: vm.name}).slice(-2)
    expect(records.map((r) => r.fault)).to.deep.equal(['reset after 1000 bytes', 'cut after 1000 bytes'])
    expect(records.map((r) => r.bytesOut)).to.deep.equal([1000, 1000])
  })

  it('serves a silently short body (Content-Length says so) when asked: only a careful reader notices', async () => {
    fake.faults.add({route: 'blob.get', shortBodyBytes: 100, times: 1})
    const response = await noRetry().download()
    expect(response.contentLength).to.equal(100)
    expect(response.contentRange).to.equal(undefined)
    const properties = await noRetry().getProperties()
    expect(properties.contentLength).to.equal(4000)
  })

  it('adds latency to a route and records it', async () => {
    fake.faults.add({latencyMs: 20, route: 'blob.head'})
    fake.requests.reset()
    await noRetry().getProperties()
    const [record] = fake.requests.all({route: 'blob.head'})
    expect(record.fault).to.equal('latency 20 ms')
    expect(record.durationMs).to.be.at.least(15)
  })

  it('counts requests and body bytes per VM and per route, and never logs a SAS', async () => {
    const [other] = await fake.addVms([{name: 'counted-02', serialLog: 'y'.repeat(300)}, {name: 'counted-03'}])
    fake.requests.reset()
    for (const target of [vm, other]) {
      const {serialConsoleLogBlobUri} = await sdk.compute.virtualMachines.retrieveBootDiagnosticsData(
        'rg-bootdiag',
        target.name,
      )
      await new BlobClient(serialConsoleLogBlobUri!).downloadToBuffer()
    }

    const perVm = fake.requests.perVm()
    expect(perVm['faulty-01'].byRoute).to.deep.equal({
      'blob.get': 1,
      'blob.head': 1,
      'virtualMachines.retrieveBootDiagnosticsData': 1,
    })
    expect(fake.requests.bytesOut({route: 'blob.get', vm: 'faulty-01'})).to.equal(4000)
    expect(fake.requests.bytesOut({route: 'blob.get', vm: 'counted-02'})).to.equal(300)
    expect(fake.requests.all().some((r) => r.path.includes('sig='))).to.equal(false)
  })
})
