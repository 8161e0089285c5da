/**
 * End to end: `bootdiag archive` — the built CLI as cron would run it — against the loopback fake of
 * Azure with Azurite storage: the JSON summary and its schema, incremental runs, exit codes 0/5/1/6, the
 * lock, shards, several subscriptions through Resource Graph, retention, and a Blob container archive
 * (with the signed-in identity, and with a SAS that never shows).
 */
import {mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {
  BlobServiceClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob'
import {expect} from 'chai'

import type {FakeVm} from '../fake-azure/index.js'
import {DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME} from '../helpers/azurite.js'
import {type CliResult, expectOneLineError} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import type {ArchiveSummary} from '../../src/services/archive/fleet.js'
import {assertMatchesSchema} from '../helpers/schemas.js'

function summaryOf(run: CliResult): ArchiveSummary {
  expect(run.stdout, run.stderr).to.match(/^\{/)
  const summary = JSON.parse(run.stdout)
  assertMatchesSchema('archive', summary)
  return summary
}

describe('e2e: archive against the fake Azure', function () {
  this.timeout(240_000)
  const suite = e2eSuite({
    env: {BOOTDIAG_MAX_RETRIES: '0'},
    fakeAzure: {settings: {pageSize: 2}},
    runTimeoutMs: 120_000,
  })

  const vmFolder = (vm: FakeVm) =>
    join(suite.archive, vm.subscriptionId, vm.resourceGroup.toLowerCase(), vm.name.toLowerCase())
  const snapshotsOf = async (vm: FakeVm) =>
    (await readdir(vmFolder(vm)).catch(() => [] as string[])).filter((n) => /^\d{8}T/.test(n)).sort()

  it('piped: a JSON summary; run again: nothing new, no log bytes; a grown log: one new snapshot of the whole log', async () => {
    // Given three VMs in a resource group, one of them with no blobs yet
    const web = await suite.fake.addVm({name: 'web-01', resourceGroup: 'rg-e2e'})
    const db = await suite.fake.addVm({name: 'db-01', resourceGroup: 'rg-e2e', storage: 'custom'})
    await suite.fake.addVm({name: 'fresh-01', resourceGroup: 'rg-e2e', screenshot: null, serialLog: null})

    // When archive runs with its output piped
    const first = await suite.run(['archive', '-g', 'rg-e2e'])

    // Then it exits 0 with a summary that says what happened to each VM
    expect(first.exitCode, first.stderr).to.equal(0)
    const summary = summaryOf(first)
    expect(summary).to.deep.include({
      archive: suite.archive,
      fleetSize: 3,
      listedWith: 'compute',
      subscriptions: [suite.fake.subscriptionId],
    })
    expect(summary.totals).to.deep.include({failed: 0, new: 2, unchanged: 1, vms: 3})
    expect(summary.vms.map((v) => [v.name, v.result, v.serialLog, v.screenshot])).to.deep.equal([
      ['db-01', 'new', 'new', 'new'],
      ['fresh-01', 'unchanged', 'missing', 'missing'],
      ['web-01', 'new', 'new', 'new'],
    ])
    expect(first.stderr).to.equal('')
    for (const vm of [web, db])
      expect(
        (await readFile(join(vmFolder(vm), (await snapshotsOf(vm))[0], 'serial.log'))).equals(vm.serialLog!),
      ).to.equal(true)

    // When it runs again with nothing changed
    suite.fake.requests.reset()
    const second = summaryOf(await suite.run(['archive', '-g', 'rg-e2e']))

    // Then no log byte was downloaded and no snapshot added; at most 4 requests per VM
    expect(second.totals).to.deep.include({bytesDownloaded: 0, logBytesDownloaded: 0, new: 0, unchanged: 3})
    expect(suite.fake.requests.bytesOut({service: 'blob', status: 304})).to.equal(0)
    for (const traffic of Object.values(suite.fake.requests.perVm())) expect(traffic.requests).to.be.at.most(4)
    expect(await snapshotsOf(web)).to.have.length(1)

    // When web-01's log grows
    await suite.fake.appendLog(web, 'web-01 login: \r\n')
    const third = summaryOf(await suite.run(['archive', '-g', 'rg-e2e', '-o', 'json']))
    expect(third.vms.find((v) => v.name === 'web-01')).to.deep.include({
      result: 'new',
      serialLog: 'grown',
      screenshot: 'unchanged',
    })
    const latest = (await snapshotsOf(web)).at(-1)!
    expect((await readFile(join(vmFolder(web), latest, 'serial.log'))).equals(web.serialLog!)).to.equal(true)
  })

  it('on a terminal-less table: one row per VM and a totals line; tsv: the rows', async () => {
    await suite.fake.addVm({name: 'tab-01', resourceGroup: 'rg-table'})
    const table = await suite.run(['archive', '-g', 'rg-table', '-o', 'table'])
    expect(table.exitCode, table.stderr).to.equal(0)
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^VM\s+Resource group\s+Result\s+Serial log\s+Screenshot\s+Bytes\s+Verdict\s+Screen$/)
    expect(lines[2]).to.match(/^tab-01\s+\S+\s+new\s+new\s+new\s+\d+\s+booted\s+unknown$/)
    expect(lines.at(-2)).to.match(/^1 VM: 1 new, 0 unchanged, 0 failed; .+ downloaded \(serial logs .+\); \d+\.\d s\.$/)
    expect(lines.at(-1)).to.equal(`Archive: ${suite.archive}`)

    const tsv = await suite.run(['archive', '-g', 'rg-table', '-o', 'tsv'])
    expect(tsv.stdout.trim().split('\t').slice(0, 6)).to.deep.equal([
      'tab-01',
      'RG-TABLE',
      'unchanged',
      'unchanged',
      'unchanged',
      '0',
    ])
  })

  it('some VMs fail: exit 5, one line per failure on stderr, the others archived; all fail: exit 1', async () => {
    await suite.fake.addVm({name: 'ok-01', resourceGroup: 'rg-partial'})
    await suite.fake.addVm({name: 'bad-01', resourceGroup: 'rg-partial'})
    const fault = suite.fake.faults.add({
      route: 'virtualMachines.retrieveBootDiagnosticsData',
      status: 500,
      vm: 'bad-01',
    })
    try {
      const partial = await suite.run(['archive', '-g', 'rg-partial'])
      expect(partial.exitCode, partial.stderr).to.equal(5)
      expect(summaryOf(partial).totals).to.deep.include({failed: 1, new: 1})
      expect(partial.stderr.trimEnd().split('\n')).to.have.length(1)
      expect(partial.stderr).to.match(
        /^Failed: bad-01 \(RG-PARTIAL\): Azure request failed to get the boot diagnostics URLs of VM 'bad-01': .+\n$/,
      )

      const everything = suite.fake.faults.add({route: 'virtualMachines.retrieveBootDiagnosticsData', status: 500})
      try {
        const none = await suite.run(['archive', '-g', 'rg-partial'])
        expect(none.exitCode, none.stderr).to.equal(1)
        expect(summaryOf(none).totals).to.deep.include({failed: 2, new: 0, unchanged: 0})
        expect(none.stderr.trimEnd().split('\n')).to.have.length(2)
      } finally {
        everything.remove()
      }
    } finally {
      fault.remove()
    }
  })

  it('a held lock: exit 6 at once, naming the holder and --wait, before any request; a dead run’s lock is taken over', async () => {
    // Given a live run (this test's process) holding the archive lock
    await mkdir(suite.archive, {recursive: true})
    const lock = join(suite.archive, '.bootdiag-archive.lock')
    await writeFile(
      lock,
      JSON.stringify({host: hostname(), pid: process.pid, since: '2026-11-25T21:00:00Z', token: 't'}),
    )
    suite.fake.requests.reset()

    // When archive runs
    const locked = await suite.run(['archive', '-g', 'rg-e2e'])

    // Then it stops at once, says who holds the lock and what to do, and asked Azure nothing
    expectOneLineError(
      locked,
      6,
      new RegExp(
        `^Error: Another bootdiag archive run holds the lock on ${suite.archive.replaceAll('/', '\\/')} \\(pid ${process.pid} on ${hostname()} since 2026-11-25T21:00:00Z\\)\\. Let it finish and run again, or pass --wait to wait for it\\.$`,
      ),
    )
    expect(suite.fake.requests.count()).to.equal(0)

    // When the holder is a process that no longer exists, Then its lock is taken over and said so
    await writeFile(
      lock,
      JSON.stringify({host: hostname(), pid: 2_147_483_646, since: '2026-11-25T21:00:00Z', token: 't'}),
    )
    const after = await suite.run(['archive', '-g', 'rg-e2e', '-o', 'none'])
    expect(after.exitCode, after.stderr).to.equal(0)
    expect(after.stderr).to.match(
      /^Took over the archive lock left by a run that is gone, held by pid 2147483646 on .+ since 2026-11-25T21:00:00Z\.$/m,
    )
    expect(await readdir(suite.archive)).not.to.include('.bootdiag-archive.lock')
  })

  it('--shard I/N: the shards split the fleet without overlap and each locks on its own', async () => {
    for (let i = 0; i < 6; i++) await suite.fake.addVm({name: `shard-${i}`, resourceGroup: 'rg-shards'})
    const runs = await Promise.all(
      ['0/3', '1/3', '2/3'].map((shard) => suite.run(['archive', '-g', 'rg-shards', '--shard', shard])),
    )
    const names = runs.flatMap((run) => {
      expect(run.exitCode, run.stderr).to.equal(0)
      const summary = summaryOf(run)
      expect(summary.fleetSize).to.equal(6)
      return summary.vms.map((v) => v.name)
    })
    expect(names.sort()).to.deep.equal(['shard-0', 'shard-1', 'shard-2', 'shard-3', 'shard-4', 'shard-5'])

    expectOneLineError(
      await suite.run(['archive', '--shard', '3/3']),
      2,
      /^Error: --shard '3\/3' is not I\/N with 0 ≤ I < N/,
    )
  })

  it('--all-subscriptions: one Resource Graph query across them', async () => {
    const other = suite.fake.addSubscription({displayName: 'Other subscription'})
    const far = await suite.fake.addVm({name: 'far-01', resourceGroup: 'rg-far', subscriptionId: other.subscriptionId})
    suite.fake.requests.reset()

    const run = await suite.run(['archive', '--all-subscriptions', '-g', 'rg-far'])

    expect(run.exitCode, run.stderr).to.equal(0)
    const summary = summaryOf(run)
    expect(summary.listedWith).to.equal('resource-graph')
    expect(summary.subscriptions).to.have.members([
      suite.fake.subscriptionId.toLowerCase(),
      other.subscriptionId.toLowerCase(),
    ])
    expect(summary.vms.map((v) => v.name)).to.deep.equal(['far-01'])
    expect(suite.fake.requests.count({route: 'resourceGraph.resources'})).to.equal(1)
    expect(suite.fake.requests.count({route: /^virtualMachines\.list/})).to.equal(0)
    expect(await snapshotsOf(far)).to.have.length(1)
  })

  it('--keep-days: old snapshots go after the run, each VM keeps its newest', async () => {
    const vm = await suite.fake.addVm({name: 'old-01', resourceGroup: 'rg-keep'})
    // Given snapshots taken long ago (as an earlier run left them)
    for (const stamp of ['20200101T000000Z', '20200102T000000Z']) {
      await mkdir(join(vmFolder(vm), stamp), {recursive: true})
      await writeFile(join(vmFolder(vm), stamp, 'snapshot.json'), JSON.stringify({files: {}, vm: {vmId: vm.vmId}}))
    }

    const run = await suite.run(['archive', '-g', 'rg-keep', '--keep-days', '30'])

    expect(run.exitCode, run.stderr).to.equal(0)
    expect(summaryOf(run).retention).to.deep.include({keepDays: 30, snapshotsDeleted: 2})
    expect(await snapshotsOf(vm)).to.have.length(1)
    expect((await snapshotsOf(vm))[0]).not.to.match(/^2020/)
  })

  describe('into a Blob container (Azurite)', () => {
    let container: string

    beforeEach(() => {
      container = `archive-e2e-${Math.random().toString(36).slice(2, 8)}`
    })

    async function blobNames(): Promise<string[]> {
      const service = new BlobServiceClient(
        suite.fake.storage!.azurite.blobEndpoint(DEV_ACCOUNT_NAME),
        new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
      )
      const names: string[] = []
      for await (const blob of service.getContainerClient(container).listBlobsFlat()) names.push(blob.name)
      return names.sort()
    }

    it('with the signed-in identity: the same layout, incremental, and fetch writes there too', async () => {
      const vm = await suite.fake.addVm({name: 'blob-01', resourceGroup: 'rg-blob'})
      const url = `${suite.fake.storage!.directOrigin}/${DEV_ACCOUNT_NAME}/${container}/fleet`

      const first = await suite.run(['archive', '-g', 'rg-blob', '--archive', url])
      expect(first.exitCode, first.stderr).to.equal(0)
      const summary = summaryOf(first)
      expect(summary.archive).to.equal(url)
      const prefix = `fleet/${vm.subscriptionId}/rg-blob/blob-01/`
      const names = await blobNames()
      const snapshot = names.find((n) => n.endsWith('/snapshot.json'))!.slice(prefix.length, -'/snapshot.json'.length)
      expect(names).to.deep.equal([
        'fleet/.bootdiag-archive.lock',
        // the archive's index (report, history, search): this writer's database and the fleet it listed
        'fleet/.bootdiag-index/archive.fleet.json',
        'fleet/.bootdiag-index/archive.sqlite',
        `${prefix}.archive-state.json`,
        `${prefix}${snapshot}/screenshot.bmp`,
        `${prefix}${snapshot}/screenshot.png`,
        `${prefix}${snapshot}/serial.log`,
        `${prefix}${snapshot}/snapshot.json`,
      ])
      expect(summary.vms[0].snapshot).to.equal(`${url}/${vm.subscriptionId}/rg-blob/blob-01/${snapshot}`)

      const second = summaryOf(await suite.run(['archive', '-g', 'rg-blob', '--archive', url]))
      expect(second.totals).to.deep.include({logBytesDownloaded: 0, unchanged: 1})

      // fetch --archive <container>: the snapshot goes there; --stdout still prints the log
      const fetched = await suite.run(['fetch', '-n', 'blob-01', '-g', 'rg-blob', '--archive', url, '--stdout'])
      expect(fetched.exitCode, fetched.stderr).to.equal(0)
      expect(fetched.stdoutBytes.equals(vm.serialLog!)).to.equal(true)
      expect(fetched.stderr).to.include(`${url}/${vm.subscriptionId}/rg-blob/blob-01/`)
      expect((await blobNames()).filter((n) => n.endsWith('/snapshot.json'))).to.have.length(2)
    })

    it('with a SAS in the URL: written with it, and the SAS never appears in output', async () => {
      await suite.fake.addVm({name: 'sas-01', resourceGroup: 'rg-sas'})
      const service = new BlobServiceClient(
        suite.fake.storage!.azurite.blobEndpoint(DEV_ACCOUNT_NAME),
        new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
      )
      await service.getContainerClient(container).create()
      const sas = generateBlobSASQueryParameters(
        {
          containerName: container,
          expiresOn: new Date(Date.now() + 3_600_000),
          permissions: ContainerSASPermissions.parse('racwdl'),
        },
        new StorageSharedKeyCredential(DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY),
      ).toString()
      const url = `${suite.fake.storage!.directOrigin}/${DEV_ACCOUNT_NAME}/${container}`

      const run = await suite.run(['archive', '-g', 'rg-sas', '-o', 'table'], {BOOTDIAG_ARCHIVE: `${url}?${sas}`})

      expect(run.exitCode, run.stderr).to.equal(0)
      expect(run.stdout).to.include(`Archive: ${url}\n`)
      expect(run.stdout + run.stderr).not.to.match(/sig=|se=20/)
      expect((await blobNames()).some((n) => n.endsWith('/sas-01/.archive-state.json'))).to.equal(true)
    })

    it('a container URL that cannot be used is a usage error', async () => {
      expectOneLineError(
        await suite.run(['archive', '--archive', 'https://acct.blob.core.windows.net/']),
        2,
        /^Error: --archive https:\/\/acct\.blob\.core\.windows\.net\/ names no container\./,
      )
    })
  })
})
