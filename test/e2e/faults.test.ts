/**
 * Nothing lost under faults: the built CLI archives a 300-VM fleet while 20% of the requests to Resource
 * Manager and to storage go wrong — 429 with Retry-After, 500, 503, a connection reset mid-body, a body cut
 * short — spread evenly and deterministically (the fake's fault rules, not chance), and two VMs cannot be
 * read at all (every read of one's blobs is cut short; the other's SAS request always fails). Every VM ends
 * archived or reported failed after retries; every file in the archive is whole and verified against the
 * bytes the fake served; nothing partial is left anywhere; and a second run, without faults, finishes the
 * rest without downloading again what the first one kept.
 */
import {createHash} from 'node:crypto'
import {readFile, readdir} from 'node:fs/promises'
import {join, relative} from 'node:path'

import {expect} from 'chai'

import type {FakeVm, FaultHandle, FaultRule} from '../fake-azure/index.js'
import {e2eSuite} from '../helpers/e2e.js'
import type {ArchiveSummary} from '../../src/services/archive/fleet.js'
import {assertMatchesSchema} from '../helpers/schemas.js'

const FLEET = 300
const RG = 'rg-faults'

/** Five kinds of fault, each on every 25th request, phases 5 apart: one request in five goes wrong. */
const FAULTS: FaultRule[] = [
  {name: 'throttled', retryAfterSeconds: 0, status: 429},
  {name: 'internal', status: 500},
  {name: 'busy', status: 503},
  {name: 'reset', resetAfterBytes: 100},
  {name: 'cut', cutAfterBytes: 100},
].map((rule, index) => ({...rule, after: index * 5, fraction: 0.04, service: ['arm', 'blob']}))

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64')

describe('e2e: a 300-VM archive with 20% of requests faulty', function () {
  this.timeout(600_000)
  let vms: FakeVm[]
  const suite = e2eSuite({
    fakeAzure: true,
    runTimeoutMs: 300_000,
    async setup(fake) {
      vms = await fake.addVms(
        Array.from({length: FLEET}, (_, i) => ({name: `vm-${String(i).padStart(3, '0')}`, resourceGroup: RG})),
      )
    },
  })
  const archiveRun = () => suite.run(['archive', '-g', RG, '-o', 'json'])

  /** Every file under the archive, by path relative to it. */
  async function archiveFiles(): Promise<string[]> {
    const entries = await readdir(suite.archive, {recursive: true, withFileTypes: true})
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(suite.archive, join(entry.parentPath, entry.name)))
  }

  /** Each committed snapshot of a VM holds exactly its four files, each the fake's bytes, as its manifest says. */
  async function expectWholeSnapshots(vm: FakeVm): Promise<string[]> {
    const folder = join(suite.archive, vm.subscriptionId, RG, vm.name)
    const snapshots = (await readdir(folder).catch(() => [] as string[])).filter((name) =>
      /^\d{8}T\d{6}Z(-\d+)?$/.test(name),
    )
    for (const snapshot of snapshots) {
      const at = join(folder, snapshot)
      expect((await readdir(at)).sort(), at).to.deep.equal([
        'screenshot.bmp',
        'screenshot.png',
        'serial.log',
        'snapshot.json',
      ])
      const manifest = JSON.parse(await readFile(join(at, 'snapshot.json'), 'utf8'))
      const served: Record<string, Buffer> = {'screenshot.bmp': vm.screenshot!, 'serial.log': vm.serialLog!}
      for (const [file, expected] of Object.entries(served)) {
        const kept = await readFile(join(at, file))
        expect(kept.equals(expected), `${at}/${file}`).to.equal(true)
        expect(manifest.files[file]).to.include({bytes: expected.length, sha256: sha256(expected)})
        if (manifest.files[file].contentMd5) expect(manifest.files[file].contentMd5).to.equal(md5(expected))
      }

      const png = await readFile(join(at, 'screenshot.png'))
      expect(manifest.files['screenshot.png']).to.include({bytes: png.length, sha256: sha256(png)})
    }

    return snapshots
  }

  it('every VM is archived whole or reported failed; nothing partial anywhere; a second run finishes the rest', async () => {
    // Given two VMs that cannot be read, and 20% of all requests to ARM and storage going wrong
    const handles: FaultHandle[] = [
      suite.fake.faults.add({cutAfterBytes: 100, route: 'blob.get', vm: 'vm-007'}),
      suite.fake.faults.add({route: 'virtualMachines.retrieveBootDiagnosticsData', status: 503, vm: 'vm-123'}),
      ...FAULTS.map((rule) => suite.fake.faults.add(rule)),
    ]
    suite.fake.requests.reset()

    // When the fleet is archived
    const first = await archiveRun()
    for (const handle of handles) handle.remove()
    const requests = suite.fake.requests.count({service: 'arm'}) + suite.fake.requests.count({service: 'blob'})
    const faulted = suite.fake.requests.all().filter((r) => r.fault).length
    const spread = handles.slice(2).reduce((sum, handle) => sum + handle.hits, 0)

    // Then the run completed with a summary: each VM archived, or failed with a one-line reason on stderr
    expect([0, 5], first.stderr).to.include(first.exitCode)
    const summary = JSON.parse(first.stdout) as ArchiveSummary
    assertMatchesSchema('archive', summary)
    expect(summary.totals.vms).to.equal(FLEET)
    const failed = summary.vms.filter((v) => v.result === 'failed')
    expect(summary.totals.new + failed.length).to.equal(FLEET)
    expect(failed.map((v) => v.name)).to.include.members(['vm-007', 'vm-123'])
    for (const vm of failed) expect(first.stderr).to.include(`Failed: ${vm.name} (`)
    expect(first.stderr).to.match(
      /^Failed: vm-007 \(RG-FAULTS\): Download incomplete after 6 attempts: received \d+ of \d+ bytes \(the connection broke mid-transfer\); nothing was kept\. Run again\.$/m,
    )
    expect(first.stderr).to.match(
      /^Failed: vm-123 \(RG-FAULTS\): Azure request failed to get the boot diagnostics URLs of VM 'vm-123': .+ \(ServiceUnavailable\)\. Run again with --debug for details\.$/m,
    )
    expect(first.stderr.trimEnd().split('\n').filter(Boolean)).to.have.length(failed.length)
    // (the faults really were there: one request in five)
    expect(spread / requests).to.be.within(0.18, 0.22)

    // And every file in the archive is whole: each snapshot's files are the fake's bytes, as their manifest says
    const archived = new Set(summary.vms.filter((v) => v.result === 'new').map((v) => v.name))
    for (const vm of vms) expect(await expectWholeSnapshots(vm), vm.name).to.have.length(archived.has(vm.name) ? 1 : 0)
    // And nothing else is there: no staging folder, no partial or temporary file, no lock (but the index)
    for (const file of await archiveFiles()) {
      expect(file).to.match(
        /^([0-9a-f-]+\/rg-faults\/vm-\d{3}\/(\d{8}T\d{6}Z(-\d+)?\/(serial\.log|screenshot\.bmp|screenshot\.png|snapshot\.json)|\.archive-state\.json)|\.bootdiag-index\/archive\.(sqlite|fleet\.json))$/,
      )
    }

    process.stderr.write(
      `      (faults: ${FLEET} VMs, ${requests} requests, ${faulted} faulted (${spread} of them the 20% spread); ${summary.totals.new} archived, ${failed.length} failed in ${(summary.durationMs / 1000).toFixed(1)} s)\n`,
    )

    // When it runs again without faults
    const second = await archiveRun()

    // Then every VM is archived, the ones that failed now too, and the others are not downloaded again
    expect(second.exitCode, second.stderr).to.equal(0)
    const again = JSON.parse(second.stdout)
    expect(again.totals).to.deep.include({failed: 0, new: failed.length, unchanged: FLEET - failed.length})
    for (const vm of vms) expect(await expectWholeSnapshots(vm), vm.name).to.have.length(1)
    process.stderr.write(
      `      (second run: ${again.totals.new} archived, ${again.totals.unchanged} unchanged, 0 failed in ${(again.durationMs / 1000).toFixed(1)} s)\n`,
    )
  })
})
