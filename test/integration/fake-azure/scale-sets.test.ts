/**
 * Scale sets in the fake, through the real Compute SDK: Uniform instances (`<name>_<instanceId>`) reached
 * through the scale set VM APIs, Flexible members that are ordinary VMs carrying virtualMachineScaleSet.id,
 * and Azure's refusal of the scale set VM instance view for Flexible scale sets.
 */
import {BlobClient} from '@azure/storage-blob'
import {expect} from 'chai'

import {startFakeAzure, type FakeAzure, type FakeVm} from '../../fake-azure/index.js'
import {sdkClients, type SdkClients} from '../../fake-azure/sdk-clients.js'
import {rawRequest} from './raw-https.js'

describe('fake Azure: scale sets', () => {
  let fake: FakeAzure
  let sdk: SdkClients
  let uniform: FakeVm[]
  let flexible: FakeVm[]

  before(async () => {
    fake = await startFakeAzure()
    sdk = sdkClients(fake, {maxRetries: 0})
    uniform = (await fake.addScaleSet({capacity: 3, name: 'web-ss'})).instances
    flexible = (
      await fake.addScaleSet({capacity: 2, name: 'flex-ss', orchestrationMode: 'Flexible', storage: 'custom'})
    ).instances
    await fake.addVm({name: 'solo'})
  })

  after(async () => {
    await fake?.stop()
  })

  it('lists scale sets with their orchestration mode and the boot diagnostics of their VM profile', async () => {
    const sets = []
    for await (const s of sdk.compute.virtualMachineScaleSets.listAll()) sets.push(s)
    const byName = Object.fromEntries(sets.map((s) => [s.name, s]))
    expect(byName['web-ss'].orchestrationMode).to.equal('Uniform')
    expect(byName['web-ss'].sku).to.deep.include({capacity: 3})
    expect(byName['web-ss'].virtualMachineProfile?.diagnosticsProfile?.bootDiagnostics).to.deep.include({
      enabled: true,
      storageUri: undefined,
    })
    expect(byName['flex-ss'].orchestrationMode).to.equal('Flexible')
    expect(byName['flex-ss'].virtualMachineProfile?.diagnosticsProfile?.bootDiagnostics?.storageUri).to.equal(
      `${fake.storage!.origin}/bdcustomdiag01/`,
    )
  })

  it('lists Uniform instances with instanceId, name <set>_<id> and, with $expand=instanceView, their power state', async () => {
    const instances = []
    for await (const vm of sdk.compute.virtualMachineScaleSetVMs.list('rg-bootdiag', 'web-ss', {
      expand: 'instanceView',
    }))
      instances.push(vm)
    expect(instances.map((vm) => [vm.instanceId, vm.name])).to.deep.equal([
      ['0', 'web-ss_0'],
      ['1', 'web-ss_1'],
      ['2', 'web-ss_2'],
    ])
    expect(instances[0].id).to.match(/\/virtualMachineScaleSets\/web-ss\/virtualMachines\/0$/)
    expect(instances[0].instanceView?.statuses?.map((s) => s.code)).to.deep.equal([
      'ProvisioningState/succeeded',
      'PowerState/running',
    ])
    expect(instances[0].vmId).to.equal(uniform[0].vmId)
  })

  it('gets one instance, its instance view, and its boot diagnostics SAS URLs', async () => {
    const vm = await sdk.compute.virtualMachineScaleSetVMs.get('rg-bootdiag', 'web-ss', '1')
    expect(vm.name).to.equal('web-ss_1')
    const view = await sdk.compute.virtualMachineScaleSetVMs.getInstanceView('rg-bootdiag', 'web-ss', '1')
    expect(view.bootDiagnostics).to.equal(undefined)
    const result = await sdk.compute.virtualMachineScaleSetVMs.retrieveBootDiagnosticsData(
      'rg-bootdiag',
      'web-ss',
      '1',
      {sasUriExpirationTimeInMinutes: 10},
    )
    expect(new URL(result.serialConsoleLogBlobUri!).pathname).to.equal(
      `/devstoreaccount1/bootdiagnostics-webss1-${uniform[1].vmId}/web-ss_1.${uniform[1].vmId}.serialconsole.log`,
    )
    const log = await new BlobClient(result.serialConsoleLogBlobUri!).downloadToBuffer()
    expect(log.equals(uniform[1].serialLog!)).to.equal(true)
  })

  it('restarts one Uniform instance through the scale set VM API: its log gets the next boot appended', async () => {
    const before = uniform[2].serialLog!.length
    await sdk.compute.virtualMachineScaleSetVMs.beginRestartAndWait('rg-bootdiag', 'web-ss', '2', {
      updateIntervalInMs: 0,
    })
    const after = fake.state.vm({instanceId: '2', name: 'web-ss_2', scaleSet: 'web-ss'}).serialLog!.toString('utf8')
    expect(after.length).to.be.greaterThan(before)
    expect(after).to.include('reboot: Restarting system')
    expect(after).to.include('bootdiag.boot=2')
    expect(fake.requests.count({route: 'virtualMachineScaleSetVMs.restart', vm: 'web-ss_2'})).to.equal(1)
  })

  it('answers a missing instance with ResourceNotFound', async () => {
    const error = await sdk.compute.virtualMachineScaleSetVMs
      .get('rg-bootdiag', 'web-ss', '7')
      .catch((error_: {statusCode: number; code: string}) => error_)
    expect(error).to.include({code: 'ResourceNotFound', statusCode: 404})
  })

  it('shows Flexible members as ordinary VMs with virtualMachineScaleSet.id, filterable by it', async () => {
    const all = []
    for await (const vm of sdk.compute.virtualMachines.listAll()) all.push(vm)
    expect(all.map((vm) => vm.name)).to.deep.equal([...flexible.map((vm) => vm.name), 'solo'].sort())
    const member = all.find((vm) => vm.name === flexible[0].name)!
    const scaleSetId = `/subscriptions/${fake.subscriptionId}/resourceGroups/RG-BOOTDIAG/providers/Microsoft.Compute/virtualMachineScaleSets/flex-ss`
    expect(member.virtualMachineScaleSet?.id).to.equal(scaleSetId)

    const filtered = []
    for await (const vm of sdk.compute.virtualMachines.list('rg-bootdiag', {
      expand: 'instanceView',
      filter: `'virtualMachineScaleSet/id' eq '${scaleSetId}'`,
    }))
      filtered.push(vm)
    expect(filtered.map((vm) => vm.name)).to.deep.equal(flexible.map((vm) => vm.name))
    expect(filtered[0].instanceView?.bootDiagnostics?.serialConsoleLogBlobUri).to.match(
      /\/bdcustomdiag01\/bootdiagnostics-flexss/,
    )
  })

  it('refuses the scale set VM instance view for a Flexible scale set, as Azure does', async () => {
    const error = await sdk.compute.virtualMachineScaleSetVMs
      .list('rg-bootdiag', 'flex-ss', {expand: 'instanceView'})
      .next()
      .catch((error_: {statusCode: number; code: string; message: string}) => error_)
    expect(error).to.include({code: 'BadRequest', statusCode: 400})
    // The SDK's pager replaces the message; the body carries Azure's text.
    const raw = await rawRequest(
      `${fake.armEndpoint}/subscriptions/${fake.subscriptionId}/resourceGroups/rg-bootdiag/providers/Microsoft.Compute/virtualMachineScaleSets/flex-ss/virtualMachines?api-version=2025-04-01&$expand=instanceView`,
      {headers: {authorization: `Bearer ${fake.mintAccessToken()}`}},
    )
    expect(raw.json()).to.deep.equal({
      error: {
        code: 'BadRequest',
        message:
          "Operation 'VirtualMachineScaleSets.virtualMachines.GET' is not allowed on Virtual Machine Scale Set 'flex-ss'.",
      },
    })
  })
})
