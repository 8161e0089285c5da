/**
 * Both witnesses of boot diagnostics, in process, against the loopback fake of Azure (Azurite storage):
 * fetch and archive read the serial log AND the screenshot (the project's own test screens, served as the
 * BMP Azure serves) and record the VM's verdict from both in snapshot.json. A Windows VM's verdict comes
 * from its screen; its empty serial log is expected. These runs start the real OCR engine.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import type {AzureClients} from '../../../../src/azure/clients.js'
import {OcrUnavailableError} from '../../../../src/screen/index.js'
import {archiveVm} from '../../../../src/services/archive/archive-vm.js'
import {type ArchiveSummary, archiveFleet} from '../../../../src/services/archive/fleet.js'
import {listArchiveTargets} from '../../../../src/services/archive/targets.js'
import {fetchSnapshot} from '../../../../src/services/snapshot/fetch-snapshot.js'
import {createScreenReader} from '../../../../src/services/witness/screen-reader.js'
import {LocalArchiveStore} from '../../../../src/store/local-store.js'
import type {SnapshotManifest} from '../../../../src/store/manifest.js'
import {type FakeAzure, type FakeVm, sampleBootLog, screenBmp, startFakeAzure} from '../../../fake-azure/index.js'
import {bootdiagClients} from '../../../fake-azure/sdk-clients.js'
import {type TestContext, testContext} from '../../../helpers/context.js'
import {folderArchive} from '../../../helpers/folder-archive.js'

/** A boot that got as far as the kernel and printed nothing more on the serial port. */
const KERNEL_ONLY_LOG = [
  '[    0.000000] Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 (2024-09-30)',
  '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-26-amd64 root=UUID=0b8e5d47-7f5e-4b8e-9d0a-1a2b3c4d5e6f ro console=tty1 console=ttyS0',
  '[    0.000000] BIOS-provided physical RAM map:',
  '',
].join('\r\n')

describe('both witnesses: fetch and archive read the serial log and the screenshot', function () {
  this.timeout(300_000)
  let fake: FakeAzure
  let root: string
  let clock: Date

  before(async () => {
    fake = await startFakeAzure()
  })

  after(() => fake?.stop())

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bootdiag-witness-'))
    clock = new Date('2026-12-08T09:00:00Z')
  })

  afterEach(() => rm(root, {force: true, recursive: true}))

  function clients(): AzureClients {
    return bootdiagClients(fake, {maxRetries: 0, principal: fake.state.principal(fake.clientId)!})
  }

  function context(settings: TestContext['settings'] = {}): TestContext {
    return {...testContext({clients: clients(), now: () => clock, store: new LocalArchiveStore(root)}), settings}
  }

  const ref = (vm: FakeVm) => ({name: vm.name, resourceGroup: vm.resourceGroup, subscriptionId: vm.subscriptionId})

  const {manifestOf, snapshots} = folderArchive(() => root)

  async function manifests(vm: FakeVm): Promise<SnapshotManifest[]> {
    return Promise.all((await snapshots(vm)).map((name) => manifestOf(vm, name)))
  }

  describe('fetch', () => {
    it('a Windows VM at its lock screen: booted, from the screenshot; its empty serial log is expected', async () => {
      const vm = await fake.addVm({name: 'win-ok-01', osType: 'Windows', resourceGroup: 'rg-fetch-win'})
      expect(vm.serialLog?.length).to.equal(0)

      const result = await fetchSnapshot(context(), {reason: 'manual', ref: ref(vm)})

      expect(result.vm.osType).to.equal('Windows')
      expect(result.analysis).to.deep.include({decidedBy: 'screenshot', outcome: 'booted', signature: null})
      expect(result.analysis!.outcome).not.to.equal('no-output')
      expect(result.analysis!.log).to.include({outcome: 'no-output'})
      expect(result.analysis!.screen).to.include({kind: 'win-login-healthy', os: 'windows', state: 'healthy'})
      // snapshot.json says the same
      const [manifest] = await manifests(vm)
      expect(manifest.analysis).to.deep.equal(result.analysis)
      expect(manifest.vm.osType).to.equal('Windows')
    })

    it('a Windows VM on a stop error: kernel-panic, its signature the stop code', async () => {
      const vm = await fake.addVm({
        name: 'win-bsod-01',
        osType: 'Windows',
        resourceGroup: 'rg-fetch-win',
        screen: 'rendered/win-stop-error-critical-process-died',
      })

      const {analysis} = await fetchSnapshot(context(), {reason: 'manual', ref: ref(vm)})

      expect(analysis).to.deep.include({
        decidedBy: 'screenshot',
        outcome: 'kernel-panic',
        signature: 'kernel-panic: win-stop-error CRITICAL_PROCESS_DIED',
      })
      expect(analysis!.screen).to.deep.include({
        codes: ['CRITICAL_PROCESS_DIED'],
        kind: 'win-stop-error',
        state: 'failed',
      })
      expect(analysis!.summary).to.match(/^screen: Windows stop error/)
    })

    it("a Windows VM whose SAC writes to the serial port: the log's boot-stuck is progress, the screen decides", async () => {
      const vm = await fake.addVm({name: 'win-sac-01', osType: 'Windows', resourceGroup: 'rg-fetch-win', sac: true})

      const {analysis} = await fetchSnapshot(context(), {reason: 'manual', ref: ref(vm)})

      expect(analysis!.log).to.include({lastStage: 'kernel', outcome: 'boot-stuck'})
      expect(analysis).to.include({decidedBy: 'screenshot', outcome: 'booted'})
    })

    it('a Linux VM whose log stops in the kernel and whose screen shows a panic: kernel-panic, from the screen', async () => {
      const vm = await fake.addVm({
        name: 'lnx-panic-01',
        resourceGroup: 'rg-fetch-linux',
        screen: 'lab/linux-kernel-panic-1',
        serialLog: KERNEL_ONLY_LOG,
      })

      const {analysis} = await fetchSnapshot(context(), {reason: 'manual', ref: ref(vm)})

      expect(analysis!.log).to.include({lastStage: 'kernel', outcome: 'boot-stuck'})
      expect(analysis).to.include({decidedBy: 'screenshot', outcome: 'kernel-panic'})
      expect(analysis!.screen).to.include({kind: 'linux-kernel-panic', reader: 'console-font', state: 'failed'})
      expect(analysis!.signature).to.equal('kernel-panic: linux-kernel-panic')
    })

    it('with the reader off (BOOTDIAG_SCREEN_READER=off): the screenshot is kept, not read, and the log decides', async () => {
      const vm = await fake.addVm({
        name: 'lnx-off-01',
        resourceGroup: 'rg-fetch-linux',
        screen: 'lab/linux-kernel-panic-1',
      })

      const result = await fetchSnapshot(context({screenReader: false}), {reason: 'manual', ref: ref(vm)})

      expect(result.files).to.have.keys('serial.log', 'screenshot.bmp', 'screenshot.png')
      expect(result.analysis).to.include({decidedBy: 'serial-log', outcome: 'booted'})
      expect(result.analysis!.screen).to.equal(undefined)
      expect(result.analysis!.screenUnread).to.equal('the screen reader is off (BOOTDIAG_SCREEN_READER=off)')
    })
  })

  describe('archive', () => {
    it('a mixed fleet: every VM has its OS type; no Windows VM is no-output; each verdict names its witness', async () => {
      const linux = await fake.addVm({name: 'lnx-01', resourceGroup: 'rg-mixed', screen: 'lab/linux-login-prompt-1'})
      const windows = await fake.addVm({name: 'win-01', osType: 'Windows', resourceGroup: 'rg-mixed'})
      const bsod = await fake.addVm({
        name: 'win-02',
        osType: 'Windows',
        resourceGroup: 'rg-mixed',
        screen: 'rendered/win-stop-error-critical-process-died',
      })

      const summary = await archiveFleet(context(), {resourceGroup: 'rg-mixed'})

      const byName = (name: string) => summary.vms.find((vm) => vm.name === name)!
      expect(summary.totals).to.include({failed: 0, new: 3})
      expect(byName(linux.name)).to.deep.include({osType: 'Linux', verdict: 'booted'})
      expect(byName(linux.name).analysis).to.deep.include({decidedBy: 'serial-log'})
      expect(byName(linux.name).analysis!.screen).to.include({kind: 'linux-login-prompt', state: 'healthy'})
      expect(byName(windows.name)).to.deep.include({osType: 'Windows', verdict: 'booted'})
      expect(byName(bsod.name)).to.deep.include({osType: 'Windows', verdict: 'kernel-panic'})
      for (const vm of summary.vms.filter((one) => one.osType === 'Windows')) {
        expect(vm.verdict).not.to.equal('no-output')
        expect(vm.analysis!.decidedBy).to.equal('screenshot')
      }
    })

    it('reads only screenshots that changed: an unchanged one carries its reading from the snapshot before', async () => {
      const vm = await fake.addVm({name: 'lnx-carry-01', resourceGroup: 'rg-carry', screen: 'lab/linux-login-prompt-1'})
      const first = await run('rg-carry')
      const [before] = await snapshots(vm)
      expect(first.vms[0].analysis!.screen).to.include({kind: 'linux-login-prompt'})

      // When only the log changes
      clock = new Date(clock.getTime() + 3_600_000)
      await fake.appendLog(vm, sampleBootLog({bootNumber: 2, hostname: vm.computerName}))
      const second = await run('rg-carry')

      // Then the new snapshot carries the earlier reading, and says from where
      expect(second.vms[0]).to.include({result: 'new', screenshot: 'unchanged', serialLog: 'grown'})
      expect(second.vms[0].analysis!.screen).to.deep.include({carriedFrom: before, kind: 'linux-login-prompt'})

      // When the screenshot changes to a GRUB rescue prompt, it is read again
      clock = new Date(clock.getTime() + 3_600_000)
      await fake.setScreenshot(vm, screenBmp('lab/linux-grub-rescue-1'))
      const third = await run('rg-carry')
      expect(third.vms[0]).to.include({screenshot: 'changed', verdict: 'bootloader-failure'})
      expect(third.vms[0].analysis!.screen).to.include({kind: 'linux-grub-rescue'})
      expect(third.vms[0].analysis!.screen!.carriedFrom).to.equal(undefined)
      // and the alert's comparison sees the change of verdict
      expect(third.vms[0].previousVerdict).to.include({outcome: 'booted'})
    })

    it('an OCR engine that cannot start never loses a snapshot: the reading is absent and says why', async () => {
      const vm = await fake.addVm({name: 'win-ocr-01', osType: 'Windows', resourceGroup: 'rg-ocr'})
      const run = context()
      const {targets} = await listArchiveTargets(run, {resourceGroup: 'rg-ocr', subscriptions: [vm.subscriptionId]})
      const broken = createScreenReader({
        startEngine: () => Promise.reject(new OcrUnavailableError('no worker thread in this test')),
      })

      const outcome = await archiveVm(run, targets[0], {screens: broken}).finally(() => broken.close())

      expect(outcome.result).to.equal('new')
      const [manifest] = await manifests(vm)
      expect(manifest.files).to.have.keys('serial.log', 'screenshot.bmp', 'screenshot.png')
      expect(manifest.analysis!.screenUnread).to.equal(
        'the screenshot could not be read: the OCR engine could not start: no worker thread in this test',
      )
      expect(manifest.analysis).to.include({outcome: 'no-output'})
      expect(manifest.analysis!.summary).to.match(/the screenshot was not read \(the screenshot could not be read: /)
    })

    it('Resource Graph lists the OS type too', async () => {
      const vm = await fake.addVm({name: 'win-graph-01', osType: 'Windows', resourceGroup: 'rg-graph'})
      const {targets} = await listArchiveTargets(context(), {
        resourceGraph: true,
        resourceGroup: 'rg-graph',
        subscriptions: [vm.subscriptionId],
      })
      expect(targets.map((target) => [target.name, target.osType])).to.deep.equal([['win-graph-01', 'Windows']])
    })

    async function run(resourceGroup: string): Promise<ArchiveSummary> {
      return archiveFleet(context(), {resourceGroup})
    }
  })
})
