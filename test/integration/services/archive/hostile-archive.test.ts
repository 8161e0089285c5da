/**
 * archive runs over an archive someone tampered with, in process, against the loopback fake of Azure:
 * a malformed snapshot.json, a kept file altered with the state file's hash changed to match, a link in
 * place of the snapshot an incremental run builds on — and the verdict an unchanged VM keeps showing.
 */
import {createHash} from 'node:crypto'
import {cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {LocalArchiveStore} from '../../../../src/store/local-store.js'
import {type ArchiveSummary, type FleetContext, archiveFleet} from '../../../../src/services/archive/fleet.js'
import {type FakeAzure, sampleBootLog, startFakeAzure} from '../../../fake-azure/index.js'
import {bootdiagClients} from '../../../fake-azure/sdk-clients.js'
import {testContext} from '../../../helpers/context.js'
import {folderArchive} from '../../../helpers/folder-archive.js'

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** A boot that ends in a kernel panic. */
function panicLog(hostname: string): string {
  return `${sampleBootLog({hostname}).split('Welcome to')[0]}[    3.100000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n`
}

describe('archive over a tampered archive (fake Azure)', function () {
  this.timeout(120_000)
  let fake: FakeAzure
  let scratch: string
  let root: string
  let clock: Date
  let warnings: string[]

  before(async () => {
    fake = await startFakeAzure()
  })

  after(() => fake?.stop())

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-tampered-'))
    root = join(scratch, 'archive')
    clock = new Date('2026-11-25T10:00:00Z')
    warnings = []
  })

  afterEach(() => rm(scratch, {force: true, recursive: true}))

  function context(): FleetContext {
    const run = testContext({
      clients: bootdiagClients(fake, {maxRetries: 0, principal: fake.state.principal(fake.clientId)!}),
      now: () => clock,
      store: new LocalArchiveStore(root),
    })
    warnings = run.warnings
    return run
  }

  /** One archive run over a resource group, an hour after the previous one. */
  async function run(resourceGroup: string): Promise<ArchiveSummary> {
    clock = new Date(clock.getTime() + 3_600_000)
    return archiveFleet(context(), {resourceGroup, subscriptions: [fake.subscriptionId]})
  }

  const {manifestOf, snapshots, stateOf, vmFolder} = folderArchive(() => root)

  describe('a malformed snapshot.json (no state file to go by)', () => {
    const damaged: Array<[string, string]> = [
      ['{}', '{}'],
      ['an array', '[]'],
      ['null', 'null'],
      ['no files', 'drop-files'],
      ['no vm', 'drop-vm'],
      ['nulls', 'nulls'],
    ]
    for (const [what, how] of damaged) {
      it(`${what}: skipped with a warning, the VM archived afresh — never "Cannot read properties of undefined"`, async () => {
        // Given a VM archived once, whose state file is gone and whose snapshot.json was damaged
        const vm = await fake.addVm({name: `bad-${how}`, resourceGroup: 'rg-malformed'})
        await run('rg-malformed')
        const [first] = await snapshots(vm)
        const path = join(vmFolder(vm), first, 'snapshot.json')
        const good = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
        const text =
          how === 'drop-files'
            ? JSON.stringify({...good, files: undefined})
            : how === 'drop-vm'
              ? JSON.stringify({...good, vm: undefined})
              : how === 'nulls'
                ? JSON.stringify({...good, files: {'serial.log': null}, vm: null})
                : how
        await rm(path)
        await writeFile(path, text)
        await rm(join(vmFolder(vm), '.archive-state.json'))

        // When the next run comes
        const summary = await run('rg-malformed')

        // Then the VM is archived afresh (a whole new snapshot), with one warning naming the file and why
        const result = summary.vms.find((v) => v.name === vm.name)!
        expect(result, JSON.stringify(result.error)).to.deep.include({result: 'new', serialLog: 'new'})
        expect(
          warnings.filter((w) => w.startsWith(`${vm.name}: the snapshot.json of snapshot ${first} is not valid (`)),
        ).to.have.length(1)
        const latest = (await snapshots(vm)).at(-1)!
        expect((await readFile(join(vmFolder(vm), latest, 'serial.log'))).equals(vm.serialLog!)).to.equal(true)

        // And the run after that goes on from the new snapshot: nothing new
        expect((await run('rg-malformed')).vms.find((v) => v.name === vm.name)).to.deep.include({result: 'unchanged'})
      })
    }
  })

  describe('a kept file altered, the state file changed to match', () => {
    it('a grown log is not stitched onto the altered bytes: the whole log is downloaded, its hash the true one', async () => {
      // Given a VM archived once
      const vm = await fake.addVm({name: 'forge-01', resourceGroup: 'rg-forge'})
      await run('rg-forge')
      const [first] = await snapshots(vm)

      // And someone rewrote the kept serial.log and the state file's SHA-256 to match the new bytes
      const keptPath = join(vmFolder(vm), first, 'serial.log')
      const forged = Buffer.from(await readFile(keptPath))
      forged.write('FORGED', 0)
      await rm(keptPath)
      await writeFile(keptPath, forged)
      const state = await stateOf(vm)
      state.files['serial.log'].sha256 = sha256(forged)
      await writeFile(join(vmFolder(vm), '.archive-state.json'), JSON.stringify(state))

      // When the log grows and the next run comes
      await fake.appendLog(vm, 'forge-01 login: \r\n')
      const summary = await run('rg-forge')

      // Then the forged copy is not built on: said once, the whole log downloaded again
      expect(warnings).to.include(
        `forge-01: the archive state's record of serial.log in snapshot ${first} differs from that snapshot's snapshot.json; the kept file is not used, it is downloaded again.`,
      )
      expect(summary.vms[0]).to.deep.include({result: 'new', serialLog: 'replaced'})
      const latest = (await snapshots(vm)).at(-1)!
      const log = await readFile(join(vmFolder(vm), latest, 'serial.log'))
      expect(log.equals(vm.serialLog!)).to.equal(true)
      expect((await manifestOf(vm, latest)).files['serial.log']?.sha256).to.equal(sha256(vm.serialLog!))
      expect(log.includes('FORGED')).to.equal(false)
    })

    it('an altered screenshot is not carried into the new snapshot: it is downloaded again', async () => {
      const vm = await fake.addVm({name: 'forge-02', resourceGroup: 'rg-forge2'})
      await run('rg-forge2')
      const [first] = await snapshots(vm)
      const bmpPath = join(vmFolder(vm), first, 'screenshot.bmp')
      const forged = Buffer.from(await readFile(bmpPath))
      forged[forged.length - 1] ^= 0xff
      await rm(bmpPath)
      await writeFile(bmpPath, forged)
      const state = await stateOf(vm)
      state.files['screenshot.bmp'].sha256 = sha256(forged)
      await writeFile(join(vmFolder(vm), '.archive-state.json'), JSON.stringify(state))

      await fake.appendLog(vm, 'forge-02 login: \r\n')
      const summary = await run('rg-forge2')

      expect(summary.vms[0]).to.deep.include({result: 'new', serialLog: 'grown'})
      const latest = (await snapshots(vm)).at(-1)!
      const manifest = await manifestOf(vm, latest)
      expect(manifest.files['screenshot.bmp']?.carriedFrom).to.equal(undefined)
      expect((await readFile(join(vmFolder(vm), latest, 'screenshot.bmp'))).equals(vm.screenshot!)).to.equal(true)
    })

    it('an altered kept file with the state left alone is caught by its hash, and not carried either', async () => {
      const vm = await fake.addVm({name: 'forge-03', resourceGroup: 'rg-forge3'})
      await run('rg-forge3')
      const [first] = await snapshots(vm)
      const bmpPath = join(vmFolder(vm), first, 'screenshot.bmp')
      const forged = Buffer.from(await readFile(bmpPath))
      forged[forged.length - 1] ^= 0xff
      await rm(bmpPath)
      await writeFile(bmpPath, forged)

      await fake.appendLog(vm, 'forge-03 login: \r\n')
      await run('rg-forge3')

      const latest = (await snapshots(vm)).at(-1)!
      expect((await readFile(join(vmFolder(vm), latest, 'screenshot.bmp'))).equals(vm.screenshot!)).to.equal(true)
      expect(
        warnings.some((w) => w.includes(`the archived screenshot.bmp of snapshot ${first} does not match`)),
      ).to.equal(true)
    })
  })

  it('a link in place of the snapshot the incremental run builds on: that VM is refused, naming the link; nothing outside is read or written', async () => {
    // Given a VM archived once, its snapshot moved out of the archive and a link left in its place
    const vm = await fake.addVm({name: 'link-01', resourceGroup: 'rg-link'})
    await run('rg-link')
    const [first] = await snapshots(vm)
    const outside = join(scratch, 'outside')
    await mkdir(outside)
    await cp(join(vmFolder(vm), first), join(outside, first), {recursive: true})
    await rm(join(vmFolder(vm), first), {recursive: true})
    await symlink(join(outside, first), join(vmFolder(vm), first))
    const before = (await readdir(join(outside, first))).sort()

    // When its log grows and the next run comes
    await fake.appendLog(vm, 'link-01 login: \r\n')
    const summary = await run('rg-link')

    // Then the VM fails with one line naming the link, and the outside folder is as it was
    expect(summary.vms[0].result).to.equal('failed')
    expect(summary.vms[0].error).to.deep.equal({
      code: 'ArchiveLink',
      message: `${join(vmFolder(vm), first)} is a symbolic link inside the archive; bootdiag never follows links there (it could write or read outside the archive). Remove the link (or put the real folder or file in its place) and run again.`,
    })
    expect((await readdir(join(outside, first))).sort()).to.deep.equal(before)
  })

  describe('the verdict of an unchanged VM', () => {
    it('is carried from its last snapshot, marked with that snapshot — a VM that panicked yesterday still shows it', async () => {
      const vm = await fake.addVm({name: 'panic-01', resourceGroup: 'rg-verdict', serialLog: panicLog('panic-01')})
      const first = await run('rg-verdict')
      const [snapshot] = await snapshots(vm)
      expect(first.vms[0]).to.deep.include({result: 'new', verdict: 'kernel-panic'})
      expect(first.vms[0].verdictFrom).to.equal(undefined)

      const second = await run('rg-verdict')
      expect(second.vms[0]).to.deep.include({result: 'unchanged', verdict: 'kernel-panic', verdictFrom: snapshot})
    })

    it('a state file written before it kept the verdict: the verdict comes from the snapshot, and is kept from then on', async () => {
      const vm = await fake.addVm({name: 'panic-02', resourceGroup: 'rg-verdict2', serialLog: panicLog('panic-02')})
      await run('rg-verdict2')
      const [snapshot] = await snapshots(vm)
      const state = await stateOf(vm)
      delete state.analysis
      await writeFile(join(vmFolder(vm), '.archive-state.json'), JSON.stringify(state))

      const second = await run('rg-verdict2')
      expect(second.vms[0]).to.deep.include({result: 'unchanged', verdict: 'kernel-panic', verdictFrom: snapshot})
      expect((await stateOf(vm)).analysis).to.deep.include({outcome: 'kernel-panic'})
    })
  })
})
