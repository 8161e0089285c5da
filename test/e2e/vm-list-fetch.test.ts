/**
 * End to end: the built CLI as a subprocess, signing in as a service principal (--auth environment)
 * against the loopback HTTPS fake of Azure (ARM, token and metadata endpoints), with boot diagnostics
 * blobs in a real Azurite. The CLI learns every endpoint from --arm-endpoint's metadata document.
 */
import {createHash} from 'node:crypto'
import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import {type FakeVm, startFakeAzure} from '../fake-azure/index.js'
import {expectOneLineError} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import type {VmSummary} from '../../src/services/vm/inventory.js'
import {assertMatchesSchema} from '../helpers/schemas.js'

describe('e2e: vm list and fetch against the fake Azure', function () {
  this.timeout(180_000)
  let managed: FakeVm
  let custom: FakeVm
  const suite = e2eSuite({
    fakeAzure: {settings: {pageSize: 2}},
    async setup(fake) {
      managed = await fake.addVm({
        name: 'web-01',
        resourceGroup: 'rg-web',
        serialLog: Buffer.concat([
          Buffer.from('[    0.000000] Linux version 6.1.0-26-amd64\r\n'),
          Buffer.from([0xff, 0x00, 0x1b]),
          Buffer.from('\r\nweb-01 login: '),
        ]),
      })
      await fake.addVm({name: 'web-02', powerState: 'stopped', resourceGroup: 'rg-web'})
      custom = await fake.addVm({name: 'db-01', resourceGroup: 'rg-data', storage: 'custom'})
      await fake.addVm({name: 'legacy-01', resourceGroup: 'rg-data', storage: 'disabled'})
      await fake.addVm({name: 'fresh-01', resourceGroup: 'rg-data', screenshot: null, serialLog: null})
      await fake.addScaleSet({capacity: 2, name: 'uni-ss', resourceGroup: 'rg-ss'})
      await fake.addScaleSet({capacity: 1, name: 'flex-ss', orchestrationMode: 'Flexible', resourceGroup: 'rg-ss'})
    },
  })

  describe('vm list', () => {
    it('piped: JSON of the VMs with boot diagnostics, across pages, with power state and storage kind', async () => {
      const run = await suite.run(['vm', 'list'])
      expect(run.exitCode, run.stderr).to.equal(0)
      const vms = JSON.parse(run.stdout) as VmSummary[]
      assertMatchesSchema('vm-list', vms)
      expect(vms.map((vm) => vm.name)).to.deep.equal(['db-01', 'fresh-01', 'web-01', 'web-02'])
      const web02 = vms.find((vm) => vm.name === 'web-02')!
      expect(web02).to.deep.include({location: web02.location, powerState: 'stopped'})
      expect(web02.resourceGroup.toLowerCase()).to.equal('rg-web')
      expect(web02.id).to.match(/^\/subscriptions\/.+\/providers\/Microsoft\.Compute\/virtualMachines\/web-02$/)
      expect(web02.bootDiagnostics).to.deep.equal({enabled: true, storage: 'managed', storageUri: null})
      expect(vms.find((vm) => vm.name === 'db-01')!.bootDiagnostics.storage).to.equal('custom')
      // paging: 5 VMs in pages of 2 = 3 requests per list, and no request per VM
      expect(suite.fake.requests.count({route: 'virtualMachines.listAll'})).to.be.at.most(6)
      expect(suite.fake.requests.count({route: 'virtualMachines.get'})).to.equal(0)
    })

    it('--all, --include-vmss, -g, -o table and --query', async () => {
      const all = JSON.parse((await suite.run(['vm', 'list', '--all', '-g', 'rg-data'])).stdout) as VmSummary[]
      expect(all.map((vm) => [vm.name, vm.bootDiagnostics.storage])).to.deep.equal([
        ['db-01', 'custom'],
        ['fresh-01', 'managed'],
        ['legacy-01', null],
      ])

      const withSets = JSON.parse(
        (await suite.run(['vm', 'list', '--include-vmss', '-g', 'rg-ss'])).stdout,
      ) as VmSummary[]
      assertMatchesSchema('vm-list', withSets)
      expect(withSets.map((vm) => [vm.vmss, vm.instanceId !== undefined])).to.deep.equal([
        ['flex-ss', true],
        ['uni-ss', true],
        ['uni-ss', true],
      ])

      const table = await suite.run(['vm', 'list', '-g', 'rg-web', '-o', 'table'])
      expect(table.stdout.split('\n')[0]).to.match(
        /^Name\s+Resource group\s+Location\s+Power state\s+Boot diagnostics\s+OS$/,
      )
      expect(table.stdout).to.match(/web-02\s+\S+\s+\S+\s+stopped\s+managed/)

      const names = await suite.run(['vm', 'list', '--query', "[?powerState=='running'].name", '-o', 'tsv'])
      expect(names.stdout.trim().split('\n')).to.deep.equal(['db-01', 'fresh-01', 'web-01'])

      // --json is -o json, and --query applies to it too; --json with another -o is a contradiction (exit 2)
      const json = await suite.run(['vm', 'list', '--json', '--query', '[].name'])
      expect(JSON.parse(json.stdout)).to.deep.equal(['db-01', 'fresh-01', 'web-01', 'web-02'])
      expect((await suite.run(['vm', 'list', '--json', '-o', 'table'])).exitCode).to.equal(2)
    })

    it('without --subscription: the only subscription visible is used', async () => {
      const run = await suite.run(['vm', 'list', '-o', 'json'], {AZURE_SUBSCRIPTION_ID: ''})
      expect(run.exitCode, run.stderr).to.equal(0)
      expect(JSON.parse(run.stdout)).to.have.length(4)
    })

    it('an unknown resource group is one line, exit 1', async () => {
      expectOneLineError(
        await suite.run(['vm', 'list', '-g', 'rg-nope']),
        1,
        /^Error: Resource group 'rg-nope' was not found in subscription [0-9a-f-]+\. Check the name/,
      )
    })
  })

  describe('fetch', () => {
    it('managed storage: an immutable snapshot, byte-exact, with a manifest that holds no SAS', async () => {
      const run = await suite.run([
        'fetch',
        '-n',
        'web-01',
        '-g',
        'rg-web',
        '--reason',
        'before redeploy',
        '-o',
        'json',
      ])
      expect(run.exitCode, run.stderr).to.equal(0)
      const result = JSON.parse(run.stdout)
      assertMatchesSchema('fetch', result)
      expect(result.snapshot.startsWith(join(suite.archive, suite.fake.subscriptionId, 'rg-web', 'web-01'))).to.equal(
        true,
      )
      expect(result.snapshot).to.match(/\/\d{8}T\d{6}Z$/)
      const log = await readFile(join(result.snapshot, 'serial.log'))
      expect(log.equals(managed.serialLog!)).to.equal(true)
      expect(await readdir(result.snapshot)).to.have.members([
        'serial.log',
        'screenshot.bmp',
        'screenshot.png',
        'snapshot.json',
      ])
      const manifestText = await readFile(join(result.snapshot, 'snapshot.json'), 'utf8')
      const manifest = JSON.parse(manifestText)
      expect(manifest).to.deep.include({reason: 'before redeploy', schemaVersion: 1, storage: 'managed'})
      expect(manifest.files['serial.log'].sha256).to.equal(
        createHash('sha256').update(managed.serialLog!).digest('hex'),
      )
      expect(manifest.vm.vmId).to.equal(managed.vmId)
      expect(manifest.analysis?.outcome).to.be.a('string')
      expect(manifestText + run.stdout + run.stderr).not.to.match(/sig=|se=20|sp=r/)
    })

    it('table output says where the snapshot went and gives the verdict', async () => {
      const run = await suite.run(['fetch', '-n', 'web-02', '-g', 'rg-web', '-o', 'table'])
      expect(run.exitCode, run.stderr).to.equal(0)
      expect(run.stdout).to.match(
        /^Snapshot of web-02 in rg-web \(managed storage, VM stopped\):\n {2}\/.+\/web-02\/\d{8}T\d{6}Z\n/,
      )
      expect(run.stdout).to.match(/\n {2}serial\.log +[\d,]+ bytes {2}sha256 [0-9a-f]{16}…/)
      expect(run.stdout).to.match(/\nVerdict: .+/)
    })

    it('custom storage: read from the account with the signed-in identity', async () => {
      suite.fake.requests.reset()
      const id = `/subscriptions/${custom.subscriptionId}/resourceGroups/${custom.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${custom.name}`
      const run = await suite.run(['fetch', '--ids', id, '-o', 'json'])
      expect(run.exitCode, run.stderr).to.equal(0)
      const result = JSON.parse(run.stdout)
      expect(result.storage).to.equal('custom')
      expect((await readFile(join(result.snapshot, 'serial.log'))).equals(custom.serialLog!)).to.equal(true)
      // the token read worked, so no SAS was needed
      expect(suite.fake.requests.count({route: 'virtualMachines.retrieveBootDiagnosticsData'})).to.equal(0)
    })

    it('--stdout prints the serial log byte-exact (and still keeps the snapshot)', async () => {
      const run = await suite.run(['fetch', '-n', 'web-01', '-g', 'rg-web', '--stdout'])
      expect(run.exitCode, run.stderr).to.equal(0)
      expect(run.stdoutBytes.equals(managed.serialLog!)).to.equal(true)
      expect(run.stderr).to.match(/Snapshot of web-01/)
      expect(await readdir(join(suite.archive, suite.fake.subscriptionId, 'rg-web', 'web-01'))).to.have.length(1)
    })

    it('a scale-set instance by --vmss/--instance-id', async () => {
      const run = await suite.run(['fetch', '--vmss', 'uni-ss', '--instance-id', '1', '-g', 'rg-ss', '-o', 'json'])
      expect(run.exitCode, run.stderr).to.equal(0)
      expect(JSON.parse(run.stdout).vm).to.deep.include({instanceId: '1', name: 'uni-ss_1', vmss: 'uni-ss'})
    })

    it('analyze -n/-g takes a snapshot first and analyses it', async () => {
      const run = await suite.run(['analyze', '-n', 'web-02', '-g', 'rg-web', '-o', 'json'])
      expect([0, 3]).to.include(run.exitCode)
      const report = JSON.parse(run.stdout)
      assertMatchesSchema('analyze', report)
      expect(report.source).to.match(/\/web-02\/\d{8}T\d{6}Z\/serial\.log$/)
      expect(report.verdict.outcome).to.be.a('string')
      expect(run.stderr).to.match(/^Snapshot of web-02 saved to \//)
    })

    it('a VM with no log or screenshot yet is reported, not an error', async () => {
      const run = await suite.run(['fetch', '-n', 'fresh-01', '-g', 'rg-data', '-o', 'json'])
      expect(run.exitCode, run.stderr).to.equal(0)
      const result = JSON.parse(run.stdout)
      assertMatchesSchema('fetch', result)
      expect(result.files).to.deep.equal({})
      expect(result.missing.map((m: {file: string}) => m.file)).to.deep.equal(['serial.log', 'screenshot.bmp'])
    })

    it('bad input: unknown VM, boot diagnostics disabled, malformed --ids, unknown cloud, no VM without a terminal', async () => {
      expectOneLineError(
        await suite.run(['fetch', '-n', 'nope', '-g', 'rg-web']),
        1,
        /^Error: VM 'nope' was not found in resource group 'rg-web'\. List the VMs and scale-set instances with 'bootdiag vm list -g rg-web --all --include-vmss'\.$/,
      )
      expectOneLineError(
        await suite.run(['fetch', '-n', 'web-01', '-g', 'rg-nope']),
        1,
        /^Error: Resource group 'rg-nope' was not found/,
      )
      expectOneLineError(
        await suite.run(['fetch', '-n', 'legacy-01', '-g', 'rg-data']),
        1,
        /^Error: Boot diagnostics is disabled on VM 'legacy-01'\. Enable it \(managed storage\) with: az vm boot-diagnostics enable -g rg-data -n legacy-01; the log starts with the next boot\.$/,
      )
      expectOneLineError(
        await suite.run(['fetch', '--ids', '/subscriptions/x/vm']),
        2,
        /^Error: --ids '\/subscriptions\/x\/vm' is not a VM resource ID\./,
      )
      expectOneLineError(
        await suite.run(['fetch', '-n', 'web-01', '-g', 'rg-web', '--cloud', 'AzureMarsCloud'], {
          BOOTDIAG_ARM_ENDPOINT: '',
        }),
        2,
        /^Error: Unknown cloud 'AzureMarsCloud'\. Use /,
      )
      expectOneLineError(
        await suite.run(['fetch']),
        2,
        /^Error: No VM given, and no picker because no terminal is attached: pass -n NAME -g RESOURCE_GROUP, --ids RESOURCE_ID, or --vmss NAME --instance-id N\.$/,
      )
      expect(await readdir(suite.scratch)).not.to.include('archive')
    })

    it('403 on the blob, and no right to ask for a SAS: says which roles are needed, exit 4', async () => {
      const reader = suite.fake.addPrincipal({grants: [{role: 'Reader', scope: '/'}]})
      const denied = suite.fake.faults.add({
        errorCode: 'AuthorizationPermissionMismatch',
        message: 'This request is not authorized to perform this operation using this permission.',
        route: 'blob.get',
        service: 'blob',
        status: 403,
      })
      try {
        const run = await suite.run(['fetch', '-n', 'db-01', '-g', 'rg-data'], suite.fake.env({principal: reader}))
        expectOneLineError(
          run,
          4,
          /'Storage Blob Data Reader' role.*the fallback through retrieveBootDiagnosticsData failed too: .*'Virtual Machine Contributor'/,
        )
      } finally {
        denied.remove()
      }
    })

    it('an expired SAS: one line, exit 4, nothing kept', async () => {
      const expired = await startFakeAzure({
        settings: {mintExpiredSas: true},
        storage: {azurite: suite.fake.storage!.azurite},
      })
      try {
        await expired.addVm({name: 'old-sas', resourceGroup: 'rg'})
        const run = await suite.run(['fetch', '-n', 'old-sas', '-g', 'rg'], expired.env())
        expectOneLineError(
          run,
          4,
          /^Error: The storage SAS URL was rejected as expired or not yet valid\. Run the command again for a fresh one/,
        )
        // nothing kept, not even an empty folder for the VM
        expect(await readdir(suite.archive).catch(() => [])).to.deep.equal([])
      } finally {
        await expired.stop()
      }
    })

    it('a rejected client secret: which credential, what to do, exit 4, secret not shown', async () => {
      const run = await suite.run(['vm', 'list'], suite.fake.env({clientSecret: 'not-the-right-secret-42'}))
      expectOneLineError(
        run,
        4,
        /^Error: Sign-in failed with the service principal from AZURE_CLIENT_ID\/AZURE_TENANT_ID\/AZURE_CLIENT_SECRET \(AADSTS7000215/,
      )
      expect(run.stderr).not.to.include('not-the-right-secret-42')
    })
  })
})
