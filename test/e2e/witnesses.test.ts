/**
 * End to end: both witnesses through the built CLI against the loopback fake of Azure (Azurite storage),
 * with Windows VMs (an empty serial log, a screenshot of the project's rendered Windows screens) beside
 * Linux ones: `vm list` shows each VM's OS type, `fetch` of a Windows VM takes its verdict from its screen,
 * `archive` of a mixed fleet calls no Windows VM `no-output`, and a guarded operation's snapshot shows the
 * screen. Every JSON output is checked against its schema.
 */
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import type {ArchiveSummary} from '../../src/services/archive/fleet.js'
import type {FetchResult} from '../../src/services/snapshot/fetch-snapshot.js'
import type {VmSummary} from '../../src/services/vm/inventory.js'
import type {SnapshotManifest} from '../../src/store/manifest.js'
import {type FakeAzure, type FakeVm, startFakeAzure} from '../fake-azure/index.js'
import {type CliResult, ensureBuilt, runBootdiag} from '../helpers/cli.js'
import {assertMatchesSchema} from '../helpers/schemas.js'

describe('e2e: both witnesses (serial log and screenshot) in vm list, fetch and archive', function () {
  this.timeout(300_000)
  let fake: FakeAzure
  let scratch: string
  let archive: string
  let linux: FakeVm
  let windows: FakeVm
  let bsod: FakeVm

  before(async () => {
    ensureBuilt()
    fake = await startFakeAzure()
    linux = await fake.addVm({name: 'lnx-01', resourceGroup: 'rg-witness', screen: 'lab/linux-login-prompt-1'})
    windows = await fake.addVm({name: 'win-01', osType: 'Windows', resourceGroup: 'rg-witness'})
    bsod = await fake.addVm({
      name: 'win-02',
      osType: 'Windows',
      resourceGroup: 'rg-witness',
      screen: 'rendered/win-stop-error-critical-process-died',
    })
  })

  after(() => fake?.stop())

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-e2e-witness-'))
    archive = join(scratch, 'archive')
  })

  afterEach(() => rm(scratch, {force: true, recursive: true}))

  function bootdiag(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return runBootdiag(args, {
      env: {
        ...fake.env(),
        AZURE_CONFIG_DIR: join(scratch, 'az'),
        BOOTDIAG_ARCHIVE: archive,
        BOOTDIAG_MAX_RETRIES: '0',
        NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
        ...env,
      },
      timeoutMs: 180_000,
    })
  }

  it('vm list: each VM with its OS type, in JSON and in the table', async () => {
    const run = await bootdiag(['vm', 'list', '-g', 'rg-witness', '-o', 'json'])
    expect(run.exitCode, run.stderr).to.equal(0)
    const vms = JSON.parse(run.stdout) as VmSummary[]
    assertMatchesSchema('vm-list', vms)
    expect(vms.map((vm) => [vm.name, vm.osType])).to.deep.equal([
      ['lnx-01', 'Linux'],
      ['win-01', 'Windows'],
      ['win-02', 'Windows'],
    ])
    const table = await bootdiag(['vm', 'list', '-g', 'rg-witness', '-o', 'table'])
    expect(table.stdout).to.match(/\nwin-01 +rg-witness +\S+ +running +managed +Windows\n/i)
  })

  it('fetch of a Windows VM: the verdict comes from its screen, its empty serial log expected', async () => {
    const run = await bootdiag(['fetch', '-g', 'rg-witness', '-n', windows.name, '-o', 'json'])
    expect(run.exitCode, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout) as FetchResult
    assertMatchesSchema('fetch', result)
    expect(result.vm.osType).to.equal('Windows')
    expect(result.files['serial.log']?.bytes).to.equal(0)
    expect(result.analysis).to.deep.include({decidedBy: 'screenshot', outcome: 'booted'})
    expect(result.analysis!.screen).to.include({kind: 'win-login-healthy', state: 'healthy'})
    const manifest = JSON.parse(await readFile(join(result.snapshot, 'snapshot.json'), 'utf8')) as SnapshotManifest
    expect(manifest.analysis).to.deep.equal(result.analysis)

    // for people: the screen, then the verdict and its witness
    const human = await bootdiag(['fetch', '-g', 'rg-witness', '-n', bsod.name, '-o', 'table'])
    expect(human.exitCode, human.stderr).to.equal(0)
    expect(human.stdout).to.match(
      /\nScreen: win-stop-error \(failed\): Windows stop error \(blue screen\): CRITICAL_PROCESS_DIED/,
    )
    expect(human.stdout).to.match(/\nVerdict: kernel-panic — screen: Windows stop error .* \[from the screenshot\]/)
  })

  it('archive of a mixed fleet: no Windows VM is no-output; the table names each screen', async () => {
    const run = await bootdiag(['archive', '-g', 'rg-witness', '-o', 'json'])
    expect(run.exitCode, run.stderr).to.equal(0)
    const summary = JSON.parse(run.stdout) as ArchiveSummary
    assertMatchesSchema('archive', summary)
    const byName = Object.fromEntries(summary.vms.map((vm) => [vm.name, vm]))
    expect(byName[linux.name]).to.deep.include({osType: 'Linux', verdict: 'booted'})
    expect(byName[windows.name]).to.deep.include({osType: 'Windows', verdict: 'booted'})
    expect(byName[bsod.name]).to.deep.include({osType: 'Windows', verdict: 'kernel-panic'})
    expect(byName[bsod.name].analysis!.signature).to.equal('kernel-panic: win-stop-error CRITICAL_PROCESS_DIED')
    for (const vm of summary.vms) expect(vm.verdict, vm.name).not.to.equal('no-output')

    // an unchanged run writes nothing and reads no screenshot
    const again = await bootdiag(['archive', '-g', 'rg-witness', '-o', 'table'])
    expect(again.exitCode, again.stderr).to.equal(0)
    expect(again.stdout).to.match(/Verdict +Screen\n/)
    expect(again.stdout).to.include('3 VMs: 0 new, 3 unchanged, 0 failed')
  })

  it('a guarded stop of a Windows VM: the snapshot before it shows the screen and the verdict from it', async () => {
    const vm = await fake.addVm({name: 'win-03', osType: 'Windows', resourceGroup: 'rg-witness-ops'})
    const run = await bootdiag(['vm', 'stop', '-g', 'rg-witness-ops', '-n', vm.name, '--yes', '-o', 'json'])
    expect(run.exitCode, run.stderr).to.equal(0)
    const [report] = [JSON.parse(run.stdout)].flat() as Array<{preSnapshot: Record<string, unknown>}>
    assertMatchesSchema('vm-operation', JSON.parse(run.stdout))
    expect(report.preSnapshot.verdict).to.deep.include({decidedBy: 'screenshot', outcome: 'booted'})
    expect(report.preSnapshot.screen).to.include({kind: 'win-login-healthy'})
    expect(run.stderr).to.match(/\n {2}Screen: win-login-healthy \(healthy\): Windows is up: lock screen\n/)
  })
})
