/**
 * archive's incremental behaviour, in process, against the loopback fake of Azure with Azurite storage:
 * what is downloaded (counted by the fake's request log, Range headers included) and what lands in the
 * archive, run after run.
 */
import {createHash} from 'node:crypto'
import {mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {LocalArchiveStore} from '../../../../src/store/local-store.js'
import type {AzureClients} from '../../../../src/azure/clients.js'
import {
  type ArchiveSummary,
  type FleetContext,
  type FleetOptions,
  archiveFleet,
} from '../../../../src/services/archive/fleet.js'
import {OVERLAP_BYTES} from '../../../../src/services/archive/archive-vm.js'
import {
  type FakeAzure,
  type FakeVm,
  makeBmp,
  sampleBootLog,
  samplePanicBootLog,
  sampleShutdownLog,
  startFakeAzure,
} from '../../../fake-azure/index.js'
import {bootdiagClients} from '../../../fake-azure/sdk-clients.js'
import {testContext} from '../../../helpers/context.js'
import {folderArchive} from '../../../helpers/folder-archive.js'

describe('archive: incremental runs against the fake Azure', function () {
  this.timeout(120_000)
  let fake: FakeAzure
  let root: string
  let clock: Date
  let warnings: string[]

  before(async () => {
    fake = await startFakeAzure()
  })

  after(() => fake?.stop())

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bootdiag-archive-fleet-'))
    clock = new Date('2026-11-25T10:00:00Z')
    warnings = []
  })

  afterEach(() => rm(root, {force: true, recursive: true}))

  function clientsFor(
    target: FakeAzure,
    principal = target.state.principal(target.clientId)!,
    maxRetries = 0,
  ): AzureClients {
    return bootdiagClients(target, {maxRetries, principal})
  }

  /** The run's context: the fake's clients, the archive folder, the test's clock; warnings kept. */
  function context(target = fake, clients = clientsFor(target)): FleetContext {
    const run = testContext({clients, now: () => clock, store: new LocalArchiveStore(root)})
    warnings = run.warnings
    return run
  }

  /** One archive run over one resource group, an hour after the previous one. */
  async function run(
    resourceGroup: string,
    target = fake,
    options: Partial<FleetOptions> & {context?: FleetContext} = {},
  ): Promise<ArchiveSummary> {
    clock = new Date(clock.getTime() + 3_600_000)
    target.requests.reset()
    const {context: given, ...fleetOptions} = options
    return archiveFleet(given ?? context(target), {
      resourceGroup,
      subscriptions: [target.subscriptionId],
      ...fleetOptions,
    })
  }

  const {manifestOf, snapshots, vmFolder} = folderArchive(() => root)

  function logReads(vm: FakeVm) {
    return fake.requests.all({service: 'blob', vm: vm.name}).filter((r) => r.path.endsWith('.serialconsole.log'))
  }

  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

  it('first run: a snapshot per VM in 3 requests each; second run: 304s, nothing downloaded, no snapshot, nothing left behind', async () => {
    // Given two VMs, managed and custom storage
    const web = await fake.addVm({name: 'web-01', resourceGroup: 'rg-first'})
    const db = await fake.addVm({name: 'db-01', resourceGroup: 'rg-first', storage: 'custom'})

    // When the fleet is archived
    const first = await run('rg-first')

    // Then each VM has one complete snapshot, reached with one SAS request and one GET per blob
    expect(first.totals).to.deep.include({failed: 0, new: 2, unchanged: 0, vms: 2})
    for (const vm of [web, db]) {
      expect(fake.requests.perVm()[vm.name].byRoute).to.deep.equal({
        'blob.get': 2,
        'virtualMachines.retrieveBootDiagnosticsData': 1,
      })
      const [only] = await snapshots(vm)
      expect((await readFile(join(vmFolder(vm), only, 'serial.log'))).equals(vm.serialLog!)).to.equal(true)
      const manifest = await manifestOf(vm, only)
      expect(manifest).to.deep.include({reason: 'archive', storage: vm.bootDiagnostics.mode})
      expect(manifest.vm.vmId).to.equal(vm.vmId)
      expect(manifest.analysis?.outcome).to.equal('booted')
      expect(Object.keys(manifest.files)).to.deep.equal(['serial.log', 'screenshot.bmp', 'screenshot.png'])
    }

    expect(first.vms.find((v) => v.name === 'web-01')).to.deep.include({
      result: 'new',
      screenshot: 'new',
      serialLog: 'new',
      verdict: 'booted',
    })

    // When nothing changed and it runs again
    const second = await run('rg-first')

    // Then nothing was downloaded (304 for every blob), no snapshot was added, and no staging folder remains
    expect(second.totals).to.deep.include({bytesDownloaded: 0, logBytesDownloaded: 0, new: 0, unchanged: 2})
    expect(fake.requests.all({service: 'blob'}).map((r) => r.status)).to.deep.equal([304, 304, 304, 304])
    expect(fake.requests.bytesOut({service: 'blob'})).to.equal(0)
    for (const vm of [web, db])
      expect(await readdir(vmFolder(vm)))
        .to.have.members(['.archive-state.json', ...(await snapshots(vm))])
        .and.have.length(2)
  })

  it('a grown log: only the new bytes come (one ranged GET, overlap checked), the new snapshot is the whole log, the screenshot is carried over', async () => {
    // Given a VM archived once
    const vm = await fake.addVm({name: 'grow-01', resourceGroup: 'rg-grow'})
    await run('rg-grow')
    const kept = vm.serialLog!.length

    // When its log grows by a restart
    const more = Buffer.from(
      sampleShutdownLog({ending: 'restart'}) + sampleBootLog({bootNumber: 2, hostname: 'grow-01'}),
    )
    await fake.appendLog(vm, more)
    const summary = await run('rg-grow')

    // Then one ranged GET brought the 1 KiB overlap and the new bytes, no more
    const reads = logReads(vm)
    expect(reads).to.have.length(1)
    expect(reads[0]).to.deep.include({
      bytesOut: OVERLAP_BYTES + more.length,
      range: `bytes=${kept - OVERLAP_BYTES}-`,
      status: 206,
    })
    expect(summary.vms[0]).to.deep.include({
      logBytesDownloaded: OVERLAP_BYTES + more.length,
      result: 'new',
      screenshot: 'unchanged',
      serialLog: 'grown',
    })

    // And the new snapshot holds the whole log, byte for byte, its SHA-256 that of the whole
    const [earlier, later] = await snapshots(vm)
    const log = await readFile(join(vmFolder(vm), later, 'serial.log'))
    expect(log.equals(vm.serialLog!)).to.equal(true)
    const manifest = await manifestOf(vm, later)
    expect(manifest.files['serial.log']).to.deep.include({bytes: vm.serialLog!.length, sha256: sha256(vm.serialLog!)})
    expect(manifest.files['serial.log']?.carriedFrom).to.equal(undefined)

    // And the unchanged screenshot (and its PNG) is the previous snapshot's file, hard-linked, and says so
    expect(manifest.files['screenshot.bmp']).to.deep.include({carriedFrom: earlier})
    expect(manifest.files['screenshot.png']).to.deep.include({carriedFrom: earlier, derivedFrom: 'screenshot.bmp'})
    const [a, b] = await Promise.all([
      stat(join(vmFolder(vm), earlier, 'screenshot.bmp')),
      stat(join(vmFolder(vm), later, 'screenshot.bmp')),
    ])
    expect(b.ino).to.equal(a.ino)
    // The earlier snapshot is untouched
    expect((await readFile(join(vmFolder(vm), earlier, 'serial.log'))).length).to.equal(kept)
  })

  it('a replaced log (redeploy: a new, shorter blob) is downloaded in full', async () => {
    const vm = await fake.addVm({
      name: 'redeploy-01',
      resourceGroup: 'rg-redeploy',
      serialLog: sampleBootLog({hostname: 'r'}).repeat(3),
    })
    await run('rg-redeploy')

    await fake.replaceLog(vm, sampleBootLog({bootNumber: 9, hostname: 'r'}))
    const summary = await run('rg-redeploy')

    expect(summary.vms[0]).to.deep.include({result: 'new', serialLog: 'replaced'})
    const later = (await snapshots(vm)).at(-1)!
    expect((await readFile(join(vmFolder(vm), later, 'serial.log'))).equals(vm.serialLog!)).to.equal(true)
  })

  it('a log replaced by a longer one whose overlap differs is downloaded in full, not stitched', async () => {
    // Given a VM archived once, and a state that cannot tell a new blob by its creation time
    const vm = await fake.addVm({name: 'swap-01', resourceGroup: 'rg-swap'})
    await run('rg-swap')
    const statePath = join(vmFolder(vm), '.archive-state.json')
    const state = JSON.parse(await readFile(statePath, 'utf8'))
    delete state.files['serial.log'].createdOn
    await writeFile(statePath, JSON.stringify(state))

    // When the log is replaced by a longer, different one
    await fake.replaceLog(vm, Buffer.from(sampleBootLog({bootNumber: 7, hostname: 'another-host-name'}).repeat(2)))
    const summary = await run('rg-swap')

    // Then the overlap did not match: the ranged read was followed by a full download
    expect(summary.vms[0]).to.deep.include({serialLog: 'replaced'})
    expect(logReads(vm).map((r) => [r.status, r.range ?? ''])).to.deep.equal([
      [206, `bytes=${state.files['serial.log'].bytes - OVERLAP_BYTES}-`],
      [200, ''],
    ])
    const later = (await snapshots(vm)).at(-1)!
    expect((await readFile(join(vmFolder(vm), later, 'serial.log'))).equals(vm.serialLog!)).to.equal(true)
  })

  it('only the screenshot changed: a new snapshot, the log carried over without downloading it', async () => {
    const vm = await fake.addVm({name: 'shot-01', resourceGroup: 'rg-shot'})
    await run('rg-shot')

    await fake.setScreenshot(vm, makeBmp({seed: 4242, width: 80}))
    const summary = await run('rg-shot')

    expect(summary.vms[0]).to.deep.include({
      logBytesDownloaded: 0,
      result: 'new',
      screenshot: 'changed',
      serialLog: 'unchanged',
    })
    const [earlier, later] = await snapshots(vm)
    const manifest = await manifestOf(vm, later)
    expect(manifest.files['serial.log']?.carriedFrom).to.equal(earlier)
    expect(manifest.files['screenshot.bmp']?.carriedFrom).to.equal(undefined)
    expect(manifest.files['screenshot.bmp']?.sha256).to.equal(sha256(vm.screenshot!))
    expect((await readFile(join(vmFolder(vm), later, 'screenshot.png'))).subarray(1, 4).toString()).to.equal('PNG')
    expect(manifest.analysis?.outcome).to.equal('booted')
  })

  it('a new snapshot carries the verdict of the snapshot it follows: healthy, then a failure, then the same failure', async () => {
    // Given a VM archived once while it boots fine
    const vm = await fake.addVm({name: 'verdict-01', resourceGroup: 'rg-verdict'})
    const first = await run('rg-verdict')
    const [firstSnapshot] = await snapshots(vm)

    // Then its first snapshot follows none
    expect(first.vms[0]).to.deep.include({previousVerdict: null, result: 'new', verdict: 'booted'})

    // When it restarts into a boot that cannot find its root device
    await fake.appendLog(
      vm,
      sampleShutdownLog({ending: 'restart'}) + samplePanicBootLog({bootNumber: 2, hostname: 'verdict-01'}),
    )
    const second = await run('rg-verdict')

    // Then the new verdict is the failure, with its signature, next to the healthy one it follows
    expect(second.vms[0].analysis).to.deep.include({
      lastStage: 'initramfs',
      outcome: 'initramfs-failure',
      signature: 'initramfs-failure: ALERT! PARTUUID=… does not exist. Dropping to a shell!',
    })
    expect(second.vms[0].previousVerdict).to.deep.equal({
      lastStage: (await manifestOf(vm, firstSnapshot)).analysis!.lastStage,
      outcome: 'booted',
      signature: null,
      snapshot: firstSnapshot,
      summary: (await manifestOf(vm, firstSnapshot)).analysis!.summary,
    })

    // When only its screenshot changes, and the run rebuilds its state from the newest snapshot
    await rm(join(vmFolder(vm), '.archive-state.json'))
    await fake.setScreenshot(vm, makeBmp({seed: 77, width: 64}))
    const third = await run('rg-verdict')

    // Then the previous verdict is the same failure under the same signature
    expect(third.vms[0].previousVerdict).to.deep.include({
      outcome: 'initramfs-failure',
      signature: second.vms[0].analysis!.signature,
      snapshot: (await snapshots(vm))[1],
    })
    // And an unchanged run says nothing of verdicts
    const fourth = await run('rg-verdict')
    expect(fourth.vms[0]).to.not.have.any.keys('previousVerdict', 'analysis')
  })

  it('a snapshot written before signatures existed: the previous signature is computed from its verdict', async () => {
    const vm = await fake.addVm({
      name: 'old-01',
      resourceGroup: 'rg-old',
      serialLog: samplePanicBootLog({hostname: 'old-01'}),
    })
    await run('rg-old')
    const [earlier] = await snapshots(vm)
    const manifestPath = join(vmFolder(vm), earlier, 'snapshot.json')
    const manifest = await manifestOf(vm, earlier)
    // as bootdiag wrote it then: the serial log's verdict alone, no signature, no screen
    const {log} = manifest.analysis!
    manifest.analysis = {lastStage: log!.lastStage, outcome: log!.outcome, summary: log!.summary}
    await writeFile(manifestPath, JSON.stringify(manifest))

    await fake.setScreenshot(vm, makeBmp({seed: 78, width: 64}))
    const summary = await run('rg-old')

    expect(summary.vms[0].previousVerdict).to.deep.include({
      outcome: 'initramfs-failure',
      signature: 'initramfs-failure: ALERT! PARTUUID=… does not exist. Dropping to a shell!',
    })
  })

  it('a corrupt state file is reported, ignored and rebuilt from the newest snapshot: no download, no duplicate snapshot', async () => {
    const vm = await fake.addVm({name: 'corrupt-01', resourceGroup: 'rg-corrupt'})
    await run('rg-corrupt')
    await writeFile(join(vmFolder(vm), '.archive-state.json'), '{"stateVersion": 1, "snap')

    const summary = await run('rg-corrupt')

    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(
      /^corrupt-01: its archive state file is unreadable \(not JSON .*\); it is ignored and written anew\.$/,
    )
    expect(summary.vms[0]).to.deep.include({bytesDownloaded: 0, result: 'unchanged'})
    expect(await snapshots(vm)).to.have.length(1)
    expect(JSON.parse(await readFile(join(vmFolder(vm), '.archive-state.json'), 'utf8')).snapshot).to.equal(
      (await snapshots(vm))[0],
    )
  })

  it('an archived log that no longer matches its recorded hash is not built upon: the whole log is downloaded', async () => {
    const vm = await fake.addVm({name: 'tamper-01', resourceGroup: 'rg-tamper'})
    await run('rg-tamper')
    const [first] = await snapshots(vm)
    // Someone edited the archived copy (a new file, so the snapshot's other link is not involved)
    const path = join(vmFolder(vm), first, 'serial.log')
    const edited = Buffer.from(await readFile(path))
    edited[0] = 0x23
    await rm(path)
    await writeFile(path, edited)

    await fake.appendLog(vm, 'one more line\r\n')
    const summary = await run('rg-tamper')

    expect(
      warnings.some((w) =>
        /tamper-01: the archived serial\.log of snapshot \d{8}T\d{6}Z does not match the SHA-256 its snapshot\.json records; downloading the whole log\./.test(
          w,
        ),
      ),
    ).to.equal(true)
    expect(summary.vms[0]).to.deep.include({serialLog: 'replaced'})
    expect(
      (await readFile(join(vmFolder(vm), (await snapshots(vm)).at(-1)!, 'serial.log'))).equals(vm.serialLog!),
    ).to.equal(true)
  })

  it('a VM that fails is reported in one line and the others are archived', async () => {
    await fake.addVm({name: 'ok-01', resourceGroup: 'rg-fail'})
    await fake.addVm({name: 'bad-01', resourceGroup: 'rg-fail'})
    const fault = fake.faults.add({route: 'virtualMachines.retrieveBootDiagnosticsData', status: 500, vm: 'bad-01'})
    try {
      const summary = await run('rg-fail')

      expect(summary.totals).to.deep.include({failed: 1, new: 1, vms: 2})
      const bad = summary.vms.find((v) => v.name === 'bad-01')!
      expect(bad.result).to.equal('failed')
      expect(bad.error?.message).to.match(
        /^Azure request failed to get the boot diagnostics URLs of VM 'bad-01': .*InternalServerError/,
      )
      expect(bad.error?.message).not.to.include('\n')
    } finally {
      fault.remove()
    }
  })

  it('custom storage without the right to a SAS: the instance view URLs, read with the token (4 requests)', async () => {
    // Given an identity that may read VMs but not ask for SAS URLs
    const reader = fake.addPrincipal({grants: [{role: 'Reader', scope: '/'}]})
    const vm = await fake.addVm({name: 'cust-01', resourceGroup: 'rg-cust', storage: 'custom'})

    const summary = await run('rg-cust', fake, {context: context(fake, clientsFor(fake, reader))})

    expect(summary.vms[0]).to.deep.include({result: 'new', serialLog: 'new'})
    expect(fake.requests.perVm()[vm.name].byRoute).to.deep.equal({
      'blob.get': 2,
      'virtualMachines.get': 1,
      'virtualMachines.retrieveBootDiagnosticsData': 1,
    })
  })

  it('page blobs: a log padded with NULs that grows inside its last page is still a grown log', async () => {
    const paged = await startFakeAzure({storage: {azurite: fake.storage!.azurite, logBlobType: 'page'}})
    try {
      const vm = await paged.addVm({name: 'page-01', resourceGroup: 'rg-page'})
      await run('rg-page', paged)
      await paged.appendLog(vm, 'a few more bytes\r\n')

      const summary = await run('rg-page', paged)

      expect(summary.vms[0]).to.deep.include({serialLog: 'grown'})
      const later = (await snapshots(vm)).at(-1)!
      const log = await readFile(join(vmFolder(vm), later, 'serial.log'))
      // As served: the content, then NULs to the end of the 512-byte page
      expect(log.length % 512).to.equal(0)
      expect(log.subarray(0, vm.serialLog!.length).equals(vm.serialLog!)).to.equal(true)
      expect(log.subarray(vm.serialLog!.length).every((byte) => byte === 0)).to.equal(true)
    } finally {
      await paged.stop()
    }
  })

  it('--keep-days prunes old snapshots after the run but keeps what each VM builds on', async () => {
    const vm = await fake.addVm({name: 'keep-01', resourceGroup: 'rg-keep'})
    await run('rg-keep')
    for (let i = 0; i < 2; i++) {
      await fake.appendLog(vm, `line ${i}\r\n`)
      await run('rg-keep')
    }

    expect(await snapshots(vm)).to.have.length(3)
    clock = new Date(clock.getTime() + 40 * 86_400_000)
    const summary = await run('rg-keep', fake, {keepDays: 30})

    expect(summary.retention).to.deep.include({keepDays: 30, snapshotsDeleted: 2})
    expect(await snapshots(vm)).to.have.length(1)
  })
})
