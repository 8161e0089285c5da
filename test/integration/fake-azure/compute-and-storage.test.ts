/**
 * The fake ARM's Compute operations and the boot diagnostics blobs in Azurite, driven by the real SDKs
 * exactly as bootdiag drives them: paging across nextLinks, statusOnly, instance views (URIs only for custom
 * storage), retrieveBootDiagnosticsData SAS URLs downloaded with @azure/storage-blob, custom storage read with
 * a bearer token, and Azure's error answers (404s, 403 AuthorizationFailed, 409 for disabled diagnostics,
 * 403 AuthenticationFailed for an expired SAS).
 */
import {BlobClient} from '@azure/storage-blob'
import {expect} from 'chai'

import {decodeBmp} from '../../../src/screen/image.js'
import {startFakeAzure, type FakeAzure, type FakeVm} from '../../fake-azure/index.js'
import {sdkClients, type SdkClients} from '../../fake-azure/sdk-clients.js'
import {rawRequest} from './raw-https.js'

interface RestErrorLike {
  statusCode?: number
  code?: string
  message: string
}

async function failure(promise: Promise<unknown>): Promise<RestErrorLike> {
  try {
    await promise
  } catch (error) {
    return error as RestErrorLike
  }

  throw new Error('expected a failure')
}

describe('fake Azure: compute and boot diagnostics storage', () => {
  let fake: FakeAzure
  let sdk: SdkClients
  let managed: FakeVm
  let custom: FakeVm

  before(async () => {
    fake = await startFakeAzure({settings: {pageSize: 2}})
    sdk = sdkClients(fake, {maxRetries: 0})
    managed = await fake.addVm({name: 'web-01'})
    await fake.addVm({name: 'web-02', powerState: 'stopped'})
    await fake.addVm({name: 'db-01', powerState: 'deallocated', resourceGroup: 'rg-data'})
    custom = await fake.addVm({name: 'custom-01', storage: 'custom'})
    await fake.addVm({name: 'nodiag-01', storage: 'disabled'})
  })

  after(async () => {
    await fake?.stop()
  })

  describe('listing', () => {
    it('lists every VM of the subscription across pages linked by absolute nextLinks with $skiptoken', async () => {
      fake.requests.reset()
      const names: string[] = []
      for await (const vm of sdk.compute.virtualMachines.listAll()) names.push(vm.name!)
      expect(names).to.deep.equal(['custom-01', 'db-01', 'nodiag-01', 'web-01', 'web-02'])
      const pages = fake.requests.all({route: 'virtualMachines.listAll'})
      expect(pages).to.have.length(3)
      expect(pages.every((p) => p.status === 200)).to.equal(true)
    })

    it('renders Compute list IDs with the resource group upper-cased, and GET with the requested casing', async () => {
      const listed = []
      for await (const vm of sdk.compute.virtualMachines.list('rg-bootdiag')) listed.push(vm)
      expect(listed.find((vm) => vm.name === 'web-01')!.id).to.equal(
        `/subscriptions/${fake.subscriptionId}/resourceGroups/RG-BOOTDIAG/providers/Microsoft.Compute/virtualMachines/web-01`,
      )
      const got = await sdk.compute.virtualMachines.get('rg-bootdiag', 'web-01')
      expect(got.id).to.equal(
        `/subscriptions/${fake.subscriptionId}/resourceGroups/rg-bootdiag/providers/Microsoft.Compute/virtualMachines/web-01`,
      )
    })

    it('statusOnly=true carries vmId and power states only — no diagnostics profile, no boot diagnostics URIs', async () => {
      const states: Record<string, string | undefined> = {}
      for await (const vm of sdk.compute.virtualMachines.listAll({statusOnly: 'true'})) {
        states[vm.name!] = vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code
        expect(vm.vmId).to.be.a('string')
        expect(vm.diagnosticsProfile).to.equal(undefined)
        expect(vm.hardwareProfile).to.equal(undefined)
        expect(vm.instanceView?.bootDiagnostics).to.equal(undefined)
      }

      expect(states).to.deep.equal({
        'custom-01': 'PowerState/running',
        'db-01': 'PowerState/deallocated',
        'nodiag-01': 'PowerState/running',
        'web-01': 'PowerState/running',
        'web-02': 'PowerState/stopped',
      })
    })

    it('shows boot diagnostics in the model: managed without storageUri, custom with one, disabled as enabled:false', async () => {
      const byName: Record<string, {enabled?: boolean; storageUri?: string} | undefined> = {}
      for await (const vm of sdk.compute.virtualMachines.listAll())
        byName[vm.name!] = vm.diagnosticsProfile?.bootDiagnostics
      expect(byName['web-01']).to.deep.include({enabled: true, storageUri: undefined})
      expect(byName['custom-01']).to.deep.include({
        enabled: true,
        storageUri: `${fake.storage!.origin}/bdcustomdiag01/`,
      })
      expect(byName['nodiag-01']).to.deep.include({enabled: false, storageUri: undefined})
    })
  })

  describe('instance view', () => {
    it('has no blob URIs for managed storage, and unsigned URIs for custom storage', async () => {
      const managedView = await sdk.compute.virtualMachines.instanceView('rg-bootdiag', 'web-01')
      expect(managedView.bootDiagnostics).to.equal(undefined)
      expect(managedView.statuses?.map((s) => s.code)).to.deep.equal([
        'ProvisioningState/succeeded',
        'PowerState/running',
      ])

      const customView = await sdk.compute.virtualMachines.get('rg-bootdiag', 'custom-01', {expand: 'instanceView'})
      const uris = customView.instanceView!.bootDiagnostics!
      const container = `bootdiagnostics-custom01-${custom.vmId}`
      expect(uris.serialConsoleLogBlobUri).to.equal(
        `${fake.storage!.origin}/bdcustomdiag01/${container}/custom-01.${custom.vmId}.serialconsole.log`,
      )
      expect(uris.consoleScreenshotBlobUri).to.equal(
        `${fake.storage!.origin}/bdcustomdiag01/${container}/custom-01.${custom.vmId}.screenshot.bmp`,
      )
    })

    it('reads the custom storage log with a bearer token from the fake issuer (Azurite --oauth basic)', async () => {
      const view = await sdk.compute.virtualMachines.instanceView('rg-bootdiag', 'custom-01')
      const log = await new BlobClient(
        view.bootDiagnostics!.serialConsoleLogBlobUri!,
        sdk.credential,
      ).downloadToBuffer()
      expect(log.equals(custom.serialLog!)).to.equal(true)
      const anonymous = await failure(
        new BlobClient(view.bootDiagnostics!.serialConsoleLogBlobUri!, undefined, {
          retryOptions: {maxTries: 1},
        }).download(),
      )
      expect(anonymous.statusCode).to.be.oneOf([403, 404])
    })
  })

  describe('retrieveBootDiagnosticsData', () => {
    it('returns read-only SAS URLs for managed storage that download the authoritative bytes', async () => {
      const result = await sdk.compute.virtualMachines.retrieveBootDiagnosticsData('rg-bootdiag', 'web-01', {
        sasUriExpirationTimeInMinutes: 60,
      })
      const logUrl = new URL(result.serialConsoleLogBlobUri!)
      expect(logUrl.pathname).to.equal(
        `/devstoreaccount1/bootdiagnostics-web01-${managed.vmId}/web-01.${managed.vmId}.serialconsole.log`,
      )
      expect(logUrl.searchParams.get('sp')).to.equal('r')
      const expiry = Date.parse(logUrl.searchParams.get('se')!)
      expect(expiry).to.be.within(Date.now() + 58 * 60_000, Date.now() + 61 * 60_000)

      const log = await new BlobClient(result.serialConsoleLogBlobUri!).downloadToBuffer()
      expect(log.equals(managed.serialLog!)).to.equal(true)
      expect(log.toString('utf8')).to.include('web-01 login:')
      const properties = await new BlobClient(result.serialConsoleLogBlobUri!).getProperties()
      expect(properties.blobType).to.equal('AppendBlob')

      const screenshot = await new BlobClient(result.consoleScreenshotBlobUri!).downloadToBuffer()
      const image = decodeBmp(screenshot)
      expect([image.width, image.height]).to.deep.equal([64, 48])
    })

    it('returns SAS URLs for custom storage too', async () => {
      const result = await sdk.compute.virtualMachines.retrieveBootDiagnosticsData('rg-bootdiag', 'custom-01')
      expect(new URL(result.serialConsoleLogBlobUri!).pathname.split('/')[1]).to.equal('bdcustomdiag01')
      expect(
        (await new BlobClient(result.serialConsoleLogBlobUri!).downloadToBuffer()).equals(custom.serialLog!),
      ).to.equal(true)
    })

    it('mints already-expired SAS on request: the blob read fails with 403 AuthenticationFailed, as in Azure', async () => {
      fake.state.settings.mintExpiredSas = true
      try {
        const result = await sdk.compute.virtualMachines.retrieveBootDiagnosticsData('rg-bootdiag', 'web-01')
        const error = await failure(
          new BlobClient(result.serialConsoleLogBlobUri!, undefined, {retryOptions: {maxTries: 1}}).download(),
        )
        expect(error.statusCode).to.equal(403)
        expect(error.code).to.equal('AuthenticationFailed')
        expect(
          (error as unknown as {details?: {authenticationErrorDetail?: string}}).details?.authenticationErrorDetail,
        ).to.match(/^Signature not valid in the specified time frame: Start \[.+\] - Expiry \[.+\] - Current \[.+\]$/)
      } finally {
        fake.state.settings.mintExpiredSas = false
      }
    })

    it('answers 409 OperationNotAllowed for a VM with boot diagnostics disabled', async () => {
      const error = await failure(sdk.compute.virtualMachines.retrieveBootDiagnosticsData('rg-bootdiag', 'nodiag-01'))
      expect(error.statusCode).to.equal(409)
      expect(error.code).to.equal('OperationNotAllowed')
    })

    it('rejects a SAS lifetime outside 1..1440 minutes', async () => {
      const error = await failure(
        sdk.compute.virtualMachines.retrieveBootDiagnosticsData('rg-bootdiag', 'web-01', {
          sasUriExpirationTimeInMinutes: 1441,
        }),
      )
      expect(error.statusCode).to.equal(400)
      expect(error.code).to.equal('InvalidParameter')
    })
  })

  describe('errors', () => {
    it('answers a missing VM with ResourceNotFound and a missing resource group with ResourceGroupNotFound', async () => {
      const vm = await failure(sdk.compute.virtualMachines.get('rg-bootdiag', 'ghost'))
      expect(vm.statusCode).to.equal(404)
      expect(vm.code).to.equal('ResourceNotFound')
      expect(vm.message).to.equal(
        "The Resource 'Microsoft.Compute/virtualMachines/ghost' under resource group 'rg-bootdiag' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      )
      const group = await failure(sdk.compute.virtualMachines.get('rg-nowhere', 'web-01'))
      expect(group.statusCode).to.equal(404)
      expect(group.code).to.equal('ResourceGroupNotFound')
      expect(group.message).to.equal("Resource group 'rg-nowhere' could not be found.")
    })

    it('lets a Reader list and read but not retrieve boot diagnostics: 403 AuthorizationFailed with the real message', async () => {
      const reader = fake.addPrincipal({grants: [{role: 'Reader', scope: `/subscriptions/${fake.subscriptionId}`}]})
      const asReader = sdkClients(fake, {maxRetries: 0, principal: reader})
      const names = []
      for await (const vm of asReader.compute.virtualMachines.listAll()) names.push(vm.name)
      expect(names).to.have.length(5)
      await asReader.compute.virtualMachines.instanceView('rg-bootdiag', 'web-01')
      const denied = await failure(
        asReader.compute.virtualMachines.retrieveBootDiagnosticsData('rg-bootdiag', 'web-01'),
      )
      expect(denied.statusCode).to.equal(403)
      expect(denied.code).to.equal('AuthorizationFailed')
      expect(denied.message).to.equal(
        `The client '${reader.clientId}' with object id '${reader.objectId}' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action' over scope '/subscriptions/${fake.subscriptionId}/resourceGroups/rg-bootdiag/providers/Microsoft.Compute/virtualMachines/web-01' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      )
    })

    it('filters a subscription-wide list to the resource groups a principal may read, and refuses one with no role', async () => {
      const scoped = fake.addPrincipal({
        grants: [
          {role: 'Virtual Machine Contributor', scope: `/subscriptions/${fake.subscriptionId}/resourceGroups/rg-data`},
        ],
      })
      const names = []
      for await (const vm of sdkClients(fake, {principal: scoped}).compute.virtualMachines.listAll())
        names.push(vm.name)
      expect(names).to.deep.equal(['db-01'])

      const nobody = fake.addPrincipal({grants: []})
      const denied = await failure(
        sdkClients(fake, {maxRetries: 0, principal: nobody}).compute.virtualMachines.listAll().next(),
      )
      expect(denied.statusCode).to.equal(403)
      expect(denied.code).to.equal('AuthorizationFailed')
    })

    it('answers GET resource group with the group, or 404 ResourceGroupNotFound', async () => {
      const base = `${fake.armEndpoint}/subscriptions/${fake.subscriptionId}/resourcegroups`
      const headers = {authorization: `Bearer ${fake.mintAccessToken()}`}
      const found = await rawRequest(`${base}/rg-data?api-version=2021-04-01`, {headers})
      expect(found.status).to.equal(200)
      expect(found.json()).to.deep.equal({
        id: `/subscriptions/${fake.subscriptionId}/resourceGroups/rg-data`,
        location: 'eastus',
        name: 'rg-data',
        properties: {provisioningState: 'Succeeded'},
        type: 'Microsoft.Resources/resourceGroups',
      })
      const missing = await rawRequest(`${base}/rg-missing?api-version=2021-04-01`, {headers})
      expect(missing.status).to.equal(404)
      expect(missing.json()).to.deep.equal({
        error: {code: 'ResourceGroupNotFound', message: "Resource group 'rg-missing' could not be found."},
      })
    })

    it('answers an unknown subscription with SubscriptionNotFound', async () => {
      const other = sdkClients(fake, {maxRetries: 0, subscriptionId: '11111111-2222-3333-4444-555555555555'})
      const error = await failure(other.compute.virtualMachines.listAll().next())
      expect(error.statusCode).to.equal(404)
      expect(error.code).to.equal('SubscriptionNotFound')
    })
  })
})
