import {expect} from 'chai'
import nock from 'nock'

import {listVms} from '../../../../src/services/vm/inventory.js'
import {
  ARM,
  SUB,
  TOKEN,
  armError,
  powerStatuses,
  unitClients,
  vmModel,
  vmStatusOnly,
} from '../../../helpers/arm-fixtures.js'

const VMS_PATH = `/subscriptions/${SUB}/providers/Microsoft.Compute/virtualMachines`

describe('vm list: listVms', () => {
  afterEach(() => nock.cleanAll())

  it('joins the paged model list and the status list, keeps VMs with boot diagnostics, sorted', async () => {
    // Given three VMs over two pages, one without boot diagnostics
    const web = {boot: 'managed' as const, name: 'web-02', power: 'running', resourceGroup: 'RG-WEB'}
    const db = {boot: 'custom' as const, name: 'db-01', power: 'deallocated', resourceGroup: 'rg-data'}
    const old = {boot: 'disabled' as const, name: 'legacy', resourceGroup: 'rg-data'}
    const scope = nock(ARM, {reqheaders: {authorization: `Bearer ${TOKEN}`}})
      .get(VMS_PATH)
      .query((q) => !q.statusOnly && !q.$skiptoken)
      .reply(200, {
        nextLink: `${ARM}${VMS_PATH}?api-version=2026-04-01&$skiptoken=page2`,
        value: [vmModel(web), vmModel(old)],
      })
      .get(VMS_PATH)
      .query((q) => q.$skiptoken === 'page2')
      .reply(200, {value: [vmModel(db)]})
      .get(VMS_PATH)
      .query((q) => q.statusOnly === 'true')
      .reply(200, {value: [vmStatusOnly(web), vmStatusOnly(db), vmStatusOnly(old)]})

    // When the VMs are listed
    const vms = await listVms(await unitClients().compute(SUB), {subscriptionId: SUB})

    // Then both pages were read once each and the rows carry power state and storage kind
    scope.done()
    expect(vms.map((vm) => vm.name)).to.deep.equal(['db-01', 'web-02'])
    expect(vms[0]).to.deep.include({location: 'westeurope', powerState: 'deallocated', resourceGroup: 'rg-data'})
    expect(vms[0].bootDiagnostics).to.deep.equal({
      enabled: true,
      storage: 'custom',
      storageUri: 'https://diagacct.blob.core.windows.net/',
    })
    expect(vms[1].bootDiagnostics).to.deep.equal({enabled: true, storage: 'managed', storageUri: null})
    expect(vms[1].powerState).to.equal('running')
  })

  it('--all keeps VMs without boot diagnostics and shows them as disabled', async () => {
    const old = {boot: 'disabled' as const, name: 'legacy', resourceGroup: 'rg-data'}
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => !q.statusOnly)
      .reply(200, {value: [vmModel(old)]})
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => q.statusOnly === 'true')
      .reply(200, {value: [vmStatusOnly(old)]})

    const vms = await listVms(await unitClients().compute(SUB), {all: true, subscriptionId: SUB})

    expect(vms).to.have.length(1)
    expect(vms[0].bootDiagnostics).to.deep.equal({enabled: false, storage: null, storageUri: null})
  })

  it('costs the same few requests for 500 VMs as for 5 (no request per VM)', async () => {
    // Given 500 VMs served in pages of 100
    const all = Array.from({length: 500}, (_, i) => ({name: `vm-${i}`, resourceGroup: 'rg'}))
    let requests = 0
    const page = (items: typeof all, index: number, status: boolean) => {
      const next =
        index + 1 < 5
          ? `${ARM}${VMS_PATH}?api-version=2026-04-01${status ? '&statusOnly=true' : ''}&$skiptoken=${index + 1}`
          : undefined
      return {
        nextLink: next,
        value: items.slice(index * 100, index * 100 + 100).map((vm) => (status ? vmStatusOnly(vm) : vmModel(vm))),
      }
    }

    nock(ARM)
      .persist()
      .get(VMS_PATH)
      .query(true)
      .reply((request: Request) => {
        requests++
        const query = new URL(request.url).searchParams
        return [200, page(all, Number(query.get('$skiptoken') ?? 0), query.get('statusOnly') === 'true')]
      })

    // When they are listed
    const vms = await listVms(await unitClients().compute(SUB), {subscriptionId: SUB})

    // Then it took one request per page of each list: 10, not 500
    expect(vms).to.have.length(500)
    expect(requests).to.equal(10)
  })

  it('-g lists one resource group and reports a missing group in one line', async () => {
    nock(ARM)
      .get(`/subscriptions/${SUB}/resourceGroups/nope/providers/Microsoft.Compute/virtualMachines`)
      .query(true)
      .reply(404, armError('ResourceGroupNotFound', "Resource group 'nope' could not be found."), {
        'x-ms-failure-cause': 'gateway',
      })
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => q.statusOnly === 'true')
      .reply(200, {value: []})

    const error = await listVms(await unitClients().compute(SUB), {resourceGroup: 'nope', subscriptionId: SUB}).catch(
      (e: Error) => e,
    )

    expect(error).to.include({code: 'ResourceGroupNotFound', exitCode: 1})
    expect((error as Error).message).to.equal(
      `Resource group 'nope' was not found in subscription ${SUB}. Check the name, or pass --subscription for another subscription.`,
    )
  })

  it('--include-vmss adds Uniform instances (one paged list per scale set) and marks Flexible members', async () => {
    // Given a plain VM, a Flexible member, and a Uniform scale set with two instances
    const plain = {name: 'app-01', resourceGroup: 'rg'}
    const flex = {flexibleSet: 'flexset', name: 'flexset_a1b2', resourceGroup: 'rg'}
    const uniformId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/uniset`
    const instance = (n: number) => ({
      id: `${uniformId}/virtualMachines/${n}`,
      instanceId: String(n),
      location: 'westeurope',
      name: `uniset_${n}`,
      properties: {
        instanceView: {statuses: powerStatuses(n === 0 ? 'running' : 'stopped')},
        latestModelApplied: true,
        vmId: `0000000${n}-aaaa-bbbb-cccc-dddddddddddd`,
      },
      type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
    })
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => !q.statusOnly)
      .reply(200, {value: [vmModel(plain), vmModel(flex)]})
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => q.statusOnly === 'true')
      .reply(200, {value: [vmStatusOnly(plain), vmStatusOnly(flex)]})
    nock(ARM)
      .get(`/subscriptions/${SUB}/providers/Microsoft.Compute/virtualMachineScaleSets`)
      .query(true)
      .reply(200, {
        value: [
          {
            id: uniformId,
            location: 'westeurope',
            name: 'uniset',
            properties: {
              orchestrationMode: 'Uniform',
              virtualMachineProfile: {diagnosticsProfile: {bootDiagnostics: {enabled: true}}},
            },
            sku: {capacity: 2, name: 'Standard_B1s'},
            type: 'Microsoft.Compute/virtualMachineScaleSets',
          },
          {
            id: uniformId.replace('uniset', 'flexset'),
            location: 'westeurope',
            name: 'flexset',
            properties: {orchestrationMode: 'Flexible'},
            type: 'Microsoft.Compute/virtualMachineScaleSets',
          },
        ],
      })
    const instances = nock(ARM)
      .get(
        `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/uniset/virtualMachines`,
      )
      .query((q) => q.$expand === 'instanceView')
      .reply(200, {value: [instance(0), instance(1)]})

    // When scale sets are included
    const vms = await listVms(await unitClients().compute(SUB), {includeVmss: true, subscriptionId: SUB})

    // Then
    instances.done()
    expect(vms.map((vm) => [vm.name, vm.vmss ?? null, vm.instanceId ?? null, vm.powerState])).to.deep.equal([
      ['app-01', null, null, 'running'],
      ['flexset_a1b2', 'flexset', 'flexset_a1b2', 'running'],
      ['uniset_0', 'uniset', '0', 'running'],
      ['uniset_1', 'uniset', '1', 'stopped'],
    ])
    expect(vms[2].bootDiagnostics.storage).to.equal('managed')
  })

  it('without --include-vmss, Flexible members are left out', async () => {
    const flex = {flexibleSet: 'flexset', name: 'flexset_a1b2', resourceGroup: 'rg'}
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => !q.statusOnly)
      .reply(200, {value: [vmModel(flex)]})
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => q.statusOnly === 'true')
      .reply(200, {value: [vmStatusOnly(flex)]})

    expect(await listVms(await unitClients().compute(SUB), {subscriptionId: SUB})).to.deep.equal([])
  })

  it('403 says which permission is missing, exit 4', async () => {
    nock(ARM)
      .get(VMS_PATH)
      .query(true)
      .times(2)
      .reply(
        403,
        armError(
          'AuthorizationFailed',
          `The client 'a0b1c2d3-0000-0000-0000-000000000000' with object id 'a0b1c2d3-0000-0000-0000-000000000000' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/${SUB}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        ),
      )

    const error = await listVms(await unitClients().compute(SUB), {subscriptionId: SUB}).catch((e: Error) => e)

    expect(error).to.include({code: 'PermissionDenied', exitCode: 4})
    expect((error as Error).message).to.match(
      /may not perform Microsoft\.Compute\/virtualMachines\/read on \/subscriptions\/.+ Ask for the 'Reader' role/,
    )
  })
})
