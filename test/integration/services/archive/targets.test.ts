import {expect} from 'chai'
import nock from 'nock'

import {listArchiveTargets, parseShard, resourceGraphQuery, shardOf} from '../../../../src/services/archive/targets.js'
import {type FakeAzure, startFakeAzure} from '../../../fake-azure/index.js'
import {bootdiagClients} from '../../../fake-azure/sdk-clients.js'
import {ARM, SUB, unitClients, vmModel, vmStatusOnly} from '../../../helpers/arm-fixtures.js'
import {testContext} from '../../../helpers/context.js'

const VMS_PATH = `/subscriptions/${SUB}/providers/Microsoft.Compute/virtualMachines`

describe('archive: targets', () => {
  afterEach(() => nock.cleanAll())

  describe('--shard I/N', () => {
    it('reads I/N with 0 ≤ I < N, and refuses anything else as a usage error', () => {
      expect(parseShard('0/4')).to.deep.equal({count: 4, index: 0})
      expect(parseShard(' 3 / 4 ')).to.deep.equal({count: 4, index: 3})
      for (const bad of ['4/4', '1', '-1/2', 'a/b', '1/0'])
        expect(() => parseShard(bad), bad)
          .to.throw(/--shard/)
          .with.property('exitCode', 2)
    })

    it('splits a fleet into N disjoint shares that cover it, stably and case-insensitively', () => {
      // Given 1,000 VM resource IDs
      const ids = Array.from(
        {length: 1000},
        (_, i) =>
          `/subscriptions/${SUB}/resourceGroups/rg-${i % 7}/providers/Microsoft.Compute/virtualMachines/vm-${i}`,
      )

      // When each is given its shard of 4
      const shards = ids.map((id) => shardOf(id, 4))

      // Then every VM is in exactly one shard, each shard gets a fair share, and the answer never changes
      const sizes = [0, 1, 2, 3].map((index) => shards.filter((s) => s === index).length)
      expect(sizes.reduce((a, b) => a + b)).to.equal(1000)
      for (const size of sizes) expect(size).to.be.within(200, 300)
      expect(ids.map((id) => shardOf(id.toUpperCase(), 4))).to.deep.equal(shards)
      expect(shardOf(ids[0], 1)).to.equal(0)
    })
  })

  it('one subscription: the Compute paged lists (models joined with statusOnly), no request per VM', async () => {
    // Given a managed VM, a custom one, one without boot diagnostics and a Flexible member
    const web = {
      boot: 'managed' as const,
      name: 'web-01',
      power: 'running',
      resourceGroup: 'RG-WEB',
      vmId: '11111111-0000-0000-0000-000000000001',
    }
    const db = {
      boot: 'custom' as const,
      name: 'db-01',
      power: 'deallocated',
      resourceGroup: 'rg-data',
      vmId: '11111111-0000-0000-0000-000000000002',
    }
    const old = {boot: 'disabled' as const, name: 'legacy', resourceGroup: 'rg-data'}
    const flex = {flexibleSet: 'flex-ss', name: 'flex-ss_1a2b', resourceGroup: 'rg-ss'}
    const scope = nock(ARM)
      .get(VMS_PATH)
      .query((q) => !q.statusOnly)
      .reply(200, {value: [vmModel(web), vmModel(db), vmModel(old), vmModel(flex)]})
      .get(VMS_PATH)
      .query((q) => q.statusOnly === 'true')
      .reply(200, {value: [vmStatusOnly(web), vmStatusOnly(db), vmStatusOnly(old), vmStatusOnly(flex)]})

    // When the targets are listed
    const listing = await listArchiveTargets(testContext({clients: unitClients()}), {subscriptions: [SUB]})

    // Then the VMs with boot diagnostics come, addressed by reference, with vmId and power state
    scope.done()
    expect(listing.listedWith).to.equal('compute')
    expect(listing.targets.map((t) => [t.name, t.powerState, t.vmId, t.bootDiagnostics.storage])).to.deep.equal([
      ['db-01', 'deallocated', '11111111-0000-0000-0000-000000000002', 'custom'],
      ['web-01', 'running', '11111111-0000-0000-0000-000000000001', 'managed'],
    ])
    expect(listing.targets[1].ref).to.deep.equal({name: 'web-01', resourceGroup: 'RG-WEB', subscriptionId: SUB})
  })

  it('where Resource Graph does not exist (Azure Stack Hub), lists each subscription with Compute instead, and says so', async () => {
    const web = {name: 'web-01', resourceGroup: 'rg'}
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => !q.statusOnly)
      .reply(200, {value: [vmModel(web)]})
    nock(ARM)
      .get(VMS_PATH)
      .query((q) => q.statusOnly === 'true')
      .reply(200, {value: [vmStatusOnly(web)]})
    const graph = {
      async resources(): Promise<never> {
        throw Object.assign(new Error("No registered resource provider found for location 'local'."), {
          code: 'NoRegisteredProviderFound',
          name: 'RestError',
          statusCode: 400,
        })
      },
    }

    const context = testContext({clients: unitClients(), azure: {resourceGraph: async () => graph}})
    const listing = await listArchiveTargets(context, {resourceGraph: true, subscriptions: [SUB]})

    expect(listing.listedWith).to.equal('compute')
    expect(listing.targets.map((t) => t.name)).to.deep.equal(['web-01'])
    expect(context.notes).to.deep.equal([
      'Azure Resource Graph is not available in this cloud; listing each subscription instead.',
    ])
  })

  describe('several subscriptions: one Resource Graph query (against the fake)', function () {
    this.timeout(60_000)
    let fake: FakeAzure
    let second: string

    before(async () => {
      fake = await startFakeAzure({storage: false})
      second = fake.addSubscription({displayName: 'Second'}).subscriptionId
      // 1,005 VMs over two subscriptions (more than one 1,000-row page), one without boot diagnostics
      await fake.addVms(
        Array.from({length: 1004}, (_, i) => ({
          name: `vm-${String(i).padStart(4, '0')}`,
          resourceGroup: i % 2 ? 'rg-odd' : 'rg-even',
          subscriptionId: i < 600 ? fake.subscriptionId : second,
        })),
      )
      await fake.addVm({name: 'legacy', powerState: 'stopped', storage: 'disabled'})
    })

    after(() => fake?.stop())

    /** The fake's clients: Compute and Resource Graph as bootdiag builds them. */
    function graphDeps() {
      return testContext({clients: bootdiagClients(fake)})
    }

    it('pages with $skipToken, needs no Compute list, and keeps what archive needs of each VM', async () => {
      fake.requests.reset()

      const listing = await listArchiveTargets(graphDeps(), {subscriptions: [fake.subscriptionId, second]})

      expect(listing.listedWith).to.equal('resource-graph')
      expect(listing.targets).to.have.length(1004)
      expect(fake.requests.count({route: 'resourceGraph.resources'})).to.equal(2)
      expect(fake.requests.count({route: /^virtualMachines\.list/})).to.equal(0)
      const first = listing.targets.find((t) => t.name === 'vm-0000')!
      const vm = fake.state.vm('vm-0000')
      expect(first).to.deep.include({
        location: vm.location,
        powerState: 'running',
        resourceGroup: 'rg-even',
        subscriptionId: fake.subscriptionId.toLowerCase(),
        vmId: vm.vmId,
      })
      expect(first.bootDiagnostics).to.deep.equal({enabled: true, storage: 'managed', storageUri: null})
      expect(new Set(listing.targets.map((t) => t.subscriptionId)).size).to.equal(2)
    })

    it('-g and --shard narrow the same query', async () => {
      const all = await listArchiveTargets(graphDeps(), {
        resourceGroup: 'RG-ODD',
        subscriptions: [fake.subscriptionId, second],
      })
      expect(all.targets).to.have.length(502)
      expect(resourceGraphQuery('RG-ODD')).to.include("| where resourceGroup =~ 'RG-ODD'")

      const shards = await Promise.all(
        [0, 1, 2].map((index) =>
          listArchiveTargets(graphDeps(), {shard: {count: 3, index}, subscriptions: [fake.subscriptionId, second]}),
        ),
      )
      const names = shards.flatMap((s) => s.targets.map((t) => t.name))
      expect(names).to.have.length(1004)
      expect(new Set(names).size).to.equal(1004)
      expect(shards[0].fleetSize).to.equal(1004)
    })
  })
})
