/**
 * The watch's reader of the serial log against the in-process fake of Azure (real SDK clients, Azurite
 * behind the fault proxy): Range reads, the end of the log, a log that does not exist yet, and SAS URLs
 * renewed before they expire or when storage says they have. Time is the test's: `now` is a variable.
 */
import {expect} from 'chai'

import {azureAccessFrom} from '../../../../src/context/azure-access.js'
import {getVmDetails} from '../../../../src/services/vm/details.js'
import {
  BootDiagnosticsLogReader,
  MISSING_LOG_RECHECK_MS,
  SAS_REFRESH_MS,
} from '../../../../src/services/watch/log-reader.js'
import {type FakeAzure, startFakeAzure} from '../../../fake-azure/index.js'
import {bootdiagClients} from '../../../fake-azure/sdk-clients.js'

describe('watch: reading the serial log in pieces (against the fake Azure)', function () {
  this.timeout(60_000)
  let fake: FakeAzure
  let now = 0

  before(async () => {
    fake = await startFakeAzure()
  })

  after(async () => {
    await fake?.stop()
  })

  beforeEach(() => {
    now = 0
    fake.requests.reset()
  })

  async function readerFor(name: string): Promise<BootDiagnosticsLogReader> {
    const azure = azureAccessFrom(bootdiagClients(fake, {maxRetries: 0}))
    const compute = await azure.compute(fake.subscriptionId)
    const details = await getVmDetails(compute, {
      name,
      resourceGroup: 'rg-bootdiag',
      subscriptionId: fake.subscriptionId,
    })
    return new BootDiagnosticsLogReader({azure, compute, now: () => now}, details)
  }

  const sasRequests = () => fake.requests.count({route: 'virtualMachines.retrieveBootDiagnosticsData'})

  it("reads a range with the blob's size and ETag; at the end of the log: no bytes, the size", async () => {
    const vm = await fake.addVm({name: 'range-01', serialLog: 'line one\r\nline two\r\n'})
    const reader = await readerFor('range-01')

    const head = await reader.read(0, 8)
    expect(head?.data.toString()).to.equal('line one')
    expect(head?.size).to.equal(20)
    expect(head?.etag).to.be.a('string')
    expect(head?.createdOn).to.be.a('number')
    expect((await reader.read(10, 1000))?.data.toString()).to.equal('line two\r\n')

    const atEnd = await reader.read(20, 1000)
    expect(atEnd).to.deep.include({size: 20})
    expect(atEnd?.data.length).to.equal(0)

    await fake.appendLog(vm, 'line three\r\n')
    const grown = await reader.read(20, 1000)
    expect(grown?.data.toString()).to.equal('line three\r\n')
    expect(grown?.etag).not.to.equal(head?.etag)
    // one SAS for all of it, and a Range on every read
    expect(sasRequests()).to.equal(1)
    expect(fake.requests.all({route: 'blob.get'}).every((request) => request.range?.startsWith('bytes='))).to.equal(
      true,
    )
  })

  it('a log that does not exist yet: null; its URL is asked for again only every so often', async () => {
    const vm = await fake.addVm({name: 'none-01', screenshot: null, serialLog: null})
    const reader = await readerFor('none-01')
    expect(await reader.read(0, 1000)).to.equal(null)
    expect(await reader.read(0, 1000)).to.equal(null)
    const asked = sasRequests()

    await fake.appendLog(vm, 'first words\r\n')
    now += MISSING_LOG_RECHECK_MS
    expect((await reader.read(0, 1000))?.data.toString()).to.equal('first words\r\n')
    expect(sasRequests()).to.be.at.most(asked + 1)
  })

  it('renews the SAS URL before it expires, and at once when storage says it expired', async () => {
    await fake.addVm({name: 'sas-01', serialLog: 'hello\r\n'})
    const reader = await readerFor('sas-01')
    await reader.read(0, 100)
    expect(sasRequests()).to.equal(1)

    now += SAS_REFRESH_MS
    await reader.read(0, 100)
    expect(sasRequests()).to.equal(2)

    // storage answers as it does for an expired SAS, once
    const expired = fake.faults.add({
      authenticationErrorDetail: 'Signature not valid in the specified time frame',
      errorCode: 'AuthenticationFailed',
      route: 'blob.get',
      status: 403,
      times: 1,
    })
    try {
      expect((await reader.read(0, 100))?.data.toString()).to.equal('hello\r\n')
      expect(sasRequests()).to.equal(3)
    } finally {
      expired.remove()
    }
  })

  it('a SAS that storage keeps refusing: one line, exit 4', async () => {
    await fake.addVm({name: 'sas-02', serialLog: 'hello\r\n'})
    const reader = await readerFor('sas-02')
    const refused = fake.faults.add({
      authenticationErrorDetail: 'Signature not valid in the specified time frame',
      errorCode: 'AuthenticationFailed',
      route: 'blob.get',
      status: 403,
    })
    try {
      const error = (await reader.read(0, 100).catch((error_: unknown) => error_)) as {
        exitCode: number
        message: string
      }
      expect(error.exitCode).to.equal(4)
      expect(error.message).to.match(/^The storage SAS URL was rejected as expired or not yet valid/)
    } finally {
      refused.remove()
    }
  })

  it('boot diagnostics disabled: one line with the command that enables it', async () => {
    await fake.addVm({name: 'off-01', storage: 'disabled'})
    const error = (await readerFor('off-01').catch((error_: unknown) => error_)) as Error
    expect(error.message).to.match(
      /^Boot diagnostics is disabled on VM 'off-01'\. Enable it \(managed storage\) with: az vm boot-diagnostics enable/,
    )
  })
})
