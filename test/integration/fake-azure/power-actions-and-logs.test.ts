/**
 * Long-running power actions through the real SDK's LRO poller (202 + Azure-AsyncOperation + Location,
 * InProgress then Succeeded), and what they do to the serial log in Azurite: restart appends a boot,
 * deallocate + start and redeploy replace the log; a test can grow, replace and delete a log between reads.
 */
import {BlobClient} from '@azure/storage-blob'
import {expect} from 'chai'

import {startFakeAzure, type FakeAzure, type FakeVm} from '../../fake-azure/index.js'
import {sdkClients, type SdkClients} from '../../fake-azure/sdk-clients.js'
import {rawRequest} from './raw-https.js'

/** The SDK's default poll interval is 2 s even with Retry-After: 0; tests poll at once. */
const NOW = {updateIntervalInMs: 0}

describe('fake Azure: power actions and serial logs', () => {
  let fake: FakeAzure
  let sdk: SdkClients

  before(async () => {
    fake = await startFakeAzure()
    sdk = sdkClients(fake, {maxRetries: 0})
  })

  after(async () => {
    await fake?.stop()
  })

  async function readLog(vm: FakeVm): Promise<Buffer> {
    const {serialConsoleLogBlobUri} = await sdk.compute.virtualMachines.retrieveBootDiagnosticsData(
      vm.resourceGroup,
      vm.name,
    )
    return new BlobClient(serialConsoleLogBlobUri!).downloadToBuffer()
  }

  const count = (text: string, needle: string) => text.split(needle).length - 1

  it('restart completes through Azure-AsyncOperation polling and APPENDS the shutdown and the next boot', async () => {
    const vm = await fake.addVm({
      name: 'restart-me',
      nextBootLog: 'second boot: Linux version 6.8\r\nrestart-me login: \r\n',
    })
    const before = await readLog(vm)
    fake.requests.reset()

    await sdk.compute.virtualMachines.beginRestartAndWait('rg-bootdiag', 'restart-me', NOW)

    const after = await readLog(vm)
    expect(after.subarray(0, before.length).equals(before)).to.equal(true)
    const added = after.subarray(before.length).toString('utf8')
    expect(added).to.match(/reboot: Restarting system\r\n/)
    expect(added.endsWith('second boot: Linux version 6.8\r\nrestart-me login: \r\n')).to.equal(true)
    expect(fake.state.vm(vm).powerState).to.equal('running')

    const initial = fake.requests.all({route: 'virtualMachines.restart'})
    expect(initial.map((r) => r.status)).to.deep.equal([202])
    const polls = fake.requests.all({route: 'operations.get'})
    expect(polls.length).to.be.at.least(2)
    expect(polls.every((r) => r.status === 200)).to.equal(true)
  })

  it('answers the initial POST with 202, Azure-AsyncOperation, Location and Retry-After: 0, then InProgress, then Succeeded', async () => {
    const vm = await fake.addVm({name: 'headers-me'})
    const auth = {authorization: `Bearer ${fake.mintAccessToken()}`}
    const accepted = await rawRequest(
      `${fake.armEndpoint}/subscriptions/${fake.subscriptionId}/resourceGroups/rg-bootdiag/providers/Microsoft.Compute/virtualMachines/${vm.name}/restart?api-version=2025-04-01`,
      {headers: auth, method: 'POST'},
    )
    expect(accepted.status).to.equal(202)
    expect(accepted.headers['retry-after']).to.equal('0')
    const asyncOperation = String(accepted.headers['azure-asyncoperation'])
    const location = String(accepted.headers.location)
    expect(asyncOperation).to.match(
      /\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/locations\/eastus\/operations\/[0-9a-f-]{36}\?p=.+&api-version=2025-04-01$/,
    )
    expect(location).to.include('&monitor=true&')

    expect((await rawRequest(location, {headers: auth})).status).to.equal(202)
    const done = (await rawRequest(asyncOperation, {headers: auth})).json()
    expect(done).to.include({status: 'Succeeded'})
    expect(done).to.have.keys('name', 'startTime', 'endTime', 'status')
    const final = await rawRequest(location, {headers: auth})
    expect(final.status).to.equal(200)
    expect(final.body.length).to.equal(0)
  })

  it('deallocate keeps the log, and the next start REPLACES it with a fresh boot', async () => {
    const vm = await fake.addVm({name: 'dealloc-me'})
    const original = (await readLog(vm)).toString('utf8')
    await sdk.compute.virtualMachines.beginDeallocateAndWait('rg-bootdiag', vm.name, NOW)
    expect(fake.state.vm(vm).powerState).to.equal('deallocated')
    const afterDeallocate = (await readLog(vm)).toString('utf8')
    expect(afterDeallocate.startsWith(original)).to.equal(true)
    expect(afterDeallocate).to.match(/reboot: Power down\r\n$/)

    await sdk.compute.virtualMachines.beginStartAndWait('rg-bootdiag', vm.name, NOW)
    const afterStart = (await readLog(vm)).toString('utf8')
    expect(afterStart).not.to.include('reboot: Power down')
    expect(count(afterStart, 'Linux version')).to.equal(1)
    expect(afterStart).to.include('bootdiag.boot=2')
    expect(fake.state.vm(vm).powerState).to.equal('running')
  })

  it('redeploy REPLACES the log; powerOff with skipShutdown prints nothing; powerOff on a deallocated VM is refused', async () => {
    const vm = await fake.addVm({name: 'move-me'})
    await fake.appendLog(vm, 'something before the move\r\n')
    await sdk.compute.virtualMachines.beginRedeployAndWait('rg-bootdiag', vm.name, NOW)
    const moved = (await readLog(vm)).toString('utf8')
    expect(moved).not.to.include('something before the move')
    expect(moved).to.include('bootdiag.boot=2')

    const beforeStop = await readLog(vm)
    await sdk.compute.virtualMachines.beginPowerOffAndWait('rg-bootdiag', vm.name, {...NOW, skipShutdown: true})
    expect((await readLog(vm)).equals(beforeStop)).to.equal(true)
    expect(fake.state.vm(vm).powerState).to.equal('stopped')

    await sdk.compute.virtualMachines.beginDeallocateAndWait('rg-bootdiag', vm.name, NOW)
    const refused = await sdk.compute.virtualMachines
      .beginPowerOffAndWait('rg-bootdiag', vm.name, NOW)
      .catch((error: {statusCode: number; code: string}) => error)
    expect(refused).to.include({code: 'OperationNotAllowed', statusCode: 409})
  })

  it('ends an operation as Failed with an error when a test asks for it', async () => {
    const vm = await fake.addVm({name: 'fail-me'})
    fake.failNextOperation(vm, {code: 'VMRestartFailed', message: 'The VM could not be restarted.'})
    const error = await sdk.compute.virtualMachines
      .beginRestartAndWait('rg-bootdiag', vm.name, NOW)
      .catch((error_: Error & {code?: string}) => error_)
    expect(error).to.be.instanceOf(Error)
    expect(String((error as Error).message)).to.include('The VM could not be restarted.')
    expect(fake.state.vm(vm).powerState).to.equal('running')
  })

  it('lets a test grow a log in steps, replace it and delete it; reads see each state (append blob, exact length)', async () => {
    const vm = await fake.addVm({name: 'grow-me', serialLog: 'line 1\r\n'})
    const {serialConsoleLogBlobUri} = await sdk.compute.virtualMachines.retrieveBootDiagnosticsData(
      'rg-bootdiag',
      vm.name,
    )
    const blob = new BlobClient(serialConsoleLogBlobUri!, undefined, {retryOptions: {maxTries: 1}})
    const first = await blob.getProperties()
    expect(first.contentLength).to.equal(8)

    await fake.appendLog(vm, 'line 2\r\n')
    await fake.appendLog(vm, Buffer.from([0xff, 0xfe, 0x0d, 0x0a]))
    const grown = await blob.getProperties()
    expect(grown.contentLength).to.equal(20)
    expect(grown.etag).not.to.equal(first.etag)
    const tail = await blob.download(8, 8)
    expect(tail.contentRange).to.equal('bytes 8-15/20')

    await fake.replaceLog(vm, 'fresh\r\n')
    expect((await blob.downloadToBuffer()).toString('utf8')).to.equal('fresh\r\n')

    await fake.deleteLog(vm)
    const gone = await blob.download().catch((error: {statusCode: number; code: string}) => error)
    expect(gone).to.include({code: 'BlobNotFound', statusCode: 404})
  })

  it('writes page blobs NUL-padded to 512 bytes when asked to', async () => {
    const pageFake = await startFakeAzure({storage: {azurite: fake.storage!.azurite, logBlobType: 'page'}})
    try {
      const vm = await pageFake.addVm({name: 'paged', serialLog: 'abc'})
      await pageFake.appendLog(vm, 'def')
      const {serialConsoleLogBlobUri} = await sdkClients(pageFake).compute.virtualMachines.retrieveBootDiagnosticsData(
        'rg-bootdiag',
        'paged',
      )
      const bytes = await new BlobClient(serialConsoleLogBlobUri!).downloadToBuffer()
      expect(bytes.length).to.equal(512)
      expect(bytes.subarray(0, 6).toString('utf8')).to.equal('abcdef')
      expect(bytes.subarray(6).every((b) => b === 0)).to.equal(true)
    } finally {
      await pageFake.stop()
    }
  })
})
