/**
 * End to end, the built CLI against the loopback fake of Azure, as an attacker with write access to the
 * archive or a hostile (or failing) endpoint would probe it: links planted in the archive, a dangling link
 * or a folder as the lock, a damaged snapshot.json, a read-only file system, names with control characters
 * from Resource Manager, a sign-in service that answers 503, a VM-list page that keeps failing — and the
 * names `vm list` prints for scale-set instances, and `watch` on a VM that is not running. Nothing outside
 * the archive is ever written; each failure is one line with its exit code.
 */
import {spawnSync} from 'node:child_process'
import {mkdir, readdir, rm, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import type {ArchiveSummary} from '../../src/services/archive/fleet.js'
import type {FakeVm} from '../fake-azure/index.js'
import {type CliResult, expectOneLineError} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import {assertMatchesSchema} from '../helpers/schemas.js'

const RG = 'rg-hostile'
/** What no human output may hold: control characters but the newline (and the tab of tsv). */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/
const EVIL = 'evil\u001B]0;pwned\u0007\u001B[2J\r\nFORGED: root login\u202E'

describe('e2e: hostile archives and endpoints', function () {
  this.timeout(240_000)
  // (debug mode on, as for every suite with the fake: the leak check reads what --debug prints)
  const suite = e2eSuite({
    env: {BOOTDIAG_MAX_RETRIES: '0'},
    fakeAzure: {settings: {pageSize: 2}},
    runTimeoutMs: 120_000,
  })
  /** `<scratch>/outside`: a folder beside the archive, where nothing may ever be written */
  let outside: string

  beforeEach(async () => {
    outside = join(suite.scratch, 'outside')
    await mkdir(outside)
  })

  afterEach(() => {
    // (the fixture does not clear the fake's fault rules; these tests add theirs without removing them)
    suite.fake.faults.clear()
  })

  const vmFolder = (vm: FakeVm) =>
    join(suite.archive, vm.subscriptionId, vm.resourceGroup.toLowerCase(), vm.name.toLowerCase())
  const summaryOf = (run: CliResult) => {
    const summary = JSON.parse(run.stdout) as ArchiveSummary
    assertMatchesSchema('archive', summary)
    return summary
  }

  describe('links planted in the archive', () => {
    it('in place of the subscription, resource group or VM folder: fetch and archive refuse in one line naming the link; nothing is written outside', async () => {
      const vm = await suite.fake.addVm({name: 'link-01', resourceGroup: `${RG}-link`})
      const levels = [
        join(suite.archive, vm.subscriptionId),
        join(suite.archive, vm.subscriptionId, `${RG}-link`),
        join(suite.archive, vm.subscriptionId, `${RG}-link`, 'link-01'),
      ]
      for (const link of levels) {
        // Given a link to a folder outside the archive at that level
        await rm(suite.archive, {force: true, recursive: true})
        await mkdir(join(link, '..'), {recursive: true})
        await symlink(outside, link)

        // When fetch and archive write the VM's snapshot
        const fetched = await suite.run(['fetch', '-n', 'link-01', '-g', `${RG}-link`])
        const archived = await suite.run(['archive', '-g', `${RG}-link`, '-o', 'json'])

        // Then fetch fails in one line naming the link (exit 1); archive reports the VM failed the same way
        const refusal = `${link} is a symbolic link inside the archive; bootdiag never follows links there (it could write or read outside the archive). Remove the link (or put the real folder or file in its place) and run again.`
        expectOneLineError(fetched, 1, new RegExp(`^Error: ${escape(refusal)}$`))
        expect(archived.exitCode, archived.stderr).to.equal(1)
        expect(summaryOf(archived).vms[0].error).to.deep.equal({code: 'ArchiveLink', message: refusal})
        expect(archived.stderr).to.equal(`Failed: link-01 (${summaryOf(archived).vms[0].resourceGroup}): ${refusal}\n`)
        // And nothing appeared outside the archive
        expect(await readdir(outside)).to.deep.equal([])
      }
    })

    it('a dangling link as the lock file: archive stops at once in one line naming it (no loop at full CPU)', async () => {
      await suite.fake.addVm({name: 'lock-01', resourceGroup: `${RG}-lock`})
      await mkdir(suite.archive)
      await symlink(join(outside, 'gone'), join(suite.archive, '.bootdiag-archive.lock'))
      const run = await suite.run(['archive', '-g', `${RG}-lock`], {}, {timeoutMs: 60_000})
      expectOneLineError(
        run,
        1,
        new RegExp(
          `^Error: The archive lock ${escape(join(suite.archive, '.bootdiag-archive.lock'))} is a symbolic link \\(bootdiag never follows links inside the archive\\), so this run cannot take the lock\\.`,
        ),
      )
      expect(await readdir(outside)).to.deep.equal([])
    })

    it('a folder as the lock: one line naming the path, also with --wait', async () => {
      await suite.fake.addVm({name: 'lock-02', resourceGroup: `${RG}-lockdir`})
      await mkdir(join(suite.archive, '.bootdiag-archive.lock'), {recursive: true})
      for (const extra of [[], ['--wait']]) {
        const run = await suite.run(['archive', '-g', `${RG}-lockdir`, ...extra], {}, {timeoutMs: 60_000})
        expectOneLineError(
          run,
          1,
          new RegExp(
            `^Error: The archive lock ${escape(join(suite.archive, '.bootdiag-archive.lock'))} is a folder, not a lock file`,
          ),
        )
      }
    })
  })

  it('a damaged snapshot.json: a warning, the VM archived afresh, exit 0', async () => {
    const vm = await suite.fake.addVm({name: 'damaged-01', resourceGroup: `${RG}-damaged`})
    expect((await suite.run(['fetch', '-n', 'damaged-01', '-g', `${RG}-damaged`, '-o', 'none'])).exitCode).to.equal(0)
    const [snapshot] = await readdir(vmFolder(vm))
    const manifest = join(vmFolder(vm), snapshot, 'snapshot.json')
    await rm(manifest)
    await writeFile(manifest, '{"files": null, "vm": null}')

    const run = await suite.run(['archive', '-g', `${RG}-damaged`, '-o', 'json'])

    expect(run.exitCode, run.stderr).to.equal(0)
    expect(summaryOf(run).vms[0]).to.deep.include({result: 'new', serialLog: 'new'})
    expect(run.stderr).to.match(
      new RegExp(
        `^Warning: damaged-01: the snapshot\\.json of snapshot ${snapshot} is not valid \\(.+\\); that snapshot is skipped and the VM is archived afresh\\.\\n$`,
      ),
    )
  })

  it('fetch and archive into a read-only file system: one line saying it is read-only (EROFS), never ENOENT', async function () {
    // Given an archive on a file system mounted read-only (a tmpfs; needs root)
    const mount = join(suite.scratch, 'ro')
    await mkdir(mount)
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mount]).status !== 0) {
      process.stderr.write(
        '      (notice: cannot mount a read-only tmpfs here (needs root); the EROFS case is not tested)\n',
      )
      this.skip()
    }

    try {
      await suite.fake.addVm({name: 'ro-01', resourceGroup: `${RG}-ro`})
      for (const target of [mount, join(mount, 'archive')]) {
        const fetched = await suite.run(['fetch', '-n', 'ro-01', '-g', `${RG}-ro`, '--archive', target])
        const archived = await suite.run(['archive', '-g', `${RG}-ro`, '--archive', target])
        for (const run of [fetched, archived]) {
          expectOneLineError(
            run,
            1,
            /^Error: Cannot write \S+ \(EROFS\); nothing partial was kept\. Choose a writable folder with --archive\.$/,
          )
          expect(run.stderr).not.to.include('ENOENT')
        }
      }
    } finally {
      spawnSync('umount', [mount])
    }
  })

  describe('names with control characters from Resource Manager', () => {
    it('are shown escaped in tables, tsv, progress notes, warnings and errors; JSON keeps them, escaped the JSON way', async () => {
      // Given a VM whose name would clear the screen, retitle the window and forge a line
      const vm = await suite.fake.addVm({name: EVIL, resourceGroup: `${RG}-names`})
      await suite.fake.addVm({name: `${EVIL}-2`, resourceGroup: `${RG}-names`})
      suite.fake.faults.add({route: 'virtualMachines.retrieveBootDiagnosticsData', status: 500, vm: `${EVIL}-2`})

      // When it is listed, fetched, archived (one of them failing) and named in an error
      const runs = [
        await suite.run(['vm', 'list', '-g', `${RG}-names`, '-o', 'table']),
        await suite.run(['vm', 'list', '-g', `${RG}-names`, '-o', 'tsv']),
        await suite.run(['vm', 'list', '-g', `${RG}-names`, '--query', '[].[name, powerState]', '-o', 'tsv']),
        await suite.run(['fetch', '-n', EVIL, '-g', `${RG}-names`, '-o', 'table']),
        await suite.run(['fetch', '-n', EVIL, '-g', `${RG}-names`, '--stdout']),
        await suite.run(['archive', '-g', `${RG}-names`, '-o', 'table']),
        await suite.run(['fetch', '-n', `${EVIL}-nope`, '-g', `${RG}-names`]),
      ]

      // Then no control character reaches stdout (but the log itself, with --stdout) or stderr
      for (const [index, run] of runs.entries()) {
        expect(run.stderr, `run ${index}: ${run.stderr}`).not.to.match(CONTROL)
        if (index !== 4) expect(run.stdout.replaceAll('\t', ' '), `run ${index}`).not.to.match(CONTROL)
        expect(
          `${run.stdout}${run.stderr}`.split('\n').some((line) => line.startsWith('FORGED')),
          `run ${index}`,
        ).to.equal(false)
      }

      expect(runs[0].stdout).to.include('evil\\x1b]0;pwned\\x07\\x1b[2J FORGED: root login\\u202e')
      expect(runs[5].stderr).to.include('Failed: evil\\x1b]0;pwned\\x07\\x1b[2J\\r\\nFORGED: root login\\u202e-2 (')
      // (an error is one line: its line breaks were joined with a space before the rest was escaped)
      expect(runs[6].stderr).to.match(
        /^Error: VM 'evil\\x1b\]0;pwned\\x07\\x1b\[2J FORGED: root login\\u202e-nope' was not found/,
      )
      // And the JSON keeps the name exactly
      const listed = JSON.parse((await suite.run(['vm', 'list', '-g', `${RG}-names`, '-o', 'json'])).stdout) as Array<{
        name: string
      }>
      expect(listed.map((row) => row.name)).to.include(vm.name)
    })
  })

  describe('endpoints that fail', () => {
    for (const [route, status] of [
      ['aad.token', 503],
      ['aad.token', 500],
      ['aad.openidConfiguration', 503],
    ] as const) {
      it(`a sign-in service answering ${status} (${route}): a service error to retry, exit 1 — not bad credentials (4)`, async () => {
        suite.fake.faults.add({route, status})
        const run = await suite.run(['vm', 'list', '-g', `${RG}-signin`])
        expectOneLineError(
          run,
          1,
          new RegExp(
            `^Error: Sign-in with the service principal from AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET did not complete: the sign-in service 127\\.0\\.0\\.1:\\d+ answered HTTP ${status}\\. This is a service error, not a problem with the credentials; wait a minute and run again\\.$`,
          ),
        )
      })
    }

    it('a rejected secret is still bad credentials (exit 4)', async () => {
      const run = await suite.run(['vm', 'list', '-g', `${RG}-signin`], {AZURE_CLIENT_SECRET: 'wrong-secret-value'})
      expect(run.exitCode, run.stderr).to.equal(4)
    })

    it('a VM-list page that keeps failing: the VMs listed before it are archived, the rest reported, exit 5', async () => {
      // Given five VMs listed two per page, and the second page of the list failing every time
      const vms = []
      for (let i = 1; i <= 5; i++) vms.push(await suite.fake.addVm({name: `page-0${i}`, resourceGroup: `${RG}-pages`}))
      suite.fake.faults.add({after: 1, route: 'virtualMachines.list', status: 500})

      // When the fleet is archived
      const run = await suite.run(['archive', '-g', `${RG}-pages`, '-o', 'json'])

      // Then the first page's VMs are archived, the listing failure is reported (stderr and JSON), exit 5
      expect(run.exitCode, run.stderr).to.equal(5)
      const summary = summaryOf(run)
      expect(summary.vms.map((vm) => [vm.name, vm.result])).to.deep.equal([
        ['page-01', 'new'],
        ['page-02', 'new'],
      ])
      expect(summary.listingFailures).to.have.length(1)
      expect(summary.listingFailures![0].scope).to.match(
        /^VMs in subscription \S+, resource group rg-hostile-pages after the first 2$/,
      )
      expect(summary.listingFailures![0].error.code).to.equal('AzureError')
      expect(run.stderr).to.match(
        /^Not listed: VMs in subscription .* after the first 2: Azure request failed to list VMs/,
      )
    })
  })

  describe('scale-set instances by the names vm list prints', () => {
    it('every name vm list --include-vmss prints is accepted back by -n (with and without -g), and set/instance too', async () => {
      // Given a Uniform and a Flexible scale set
      await suite.fake.addScaleSet({capacity: 2, name: 'uni-ss', resourceGroup: `${RG}-ss`})
      await suite.fake.addScaleSet({
        capacity: 1,
        name: 'flex-ss',
        orchestrationMode: 'Flexible',
        resourceGroup: `${RG}-ss`,
      })
      const listed = JSON.parse(
        (await suite.run(['vm', 'list', '--include-vmss', '-g', `${RG}-ss`, '-o', 'json'])).stdout,
      ) as Array<{
        name: string
        resourceGroup: string
        vmss?: string
        instanceId?: string
      }>
      expect(listed.map((vm) => vm.name)).to.include.members(['uni-ss_0', 'uni-ss_1'])

      // When each is fetched by the name the listing printed
      for (const vm of listed) {
        for (const args of [
          ['fetch', '-n', vm.name, '-g', vm.resourceGroup, '-o', 'json'],
          ['fetch', '-n', vm.name, '-o', 'json'],
        ]) {
          const run = await suite.run(args)
          // Then it is that VM or instance
          expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).to.equal(0)
          expect((JSON.parse(run.stdout) as {vm: {name: string}}).vm.name).to.equal(vm.name)
        }
      }

      // And `-n uni-ss/1` (the Scale set column) names the instance as well
      const bySlash = await suite.run(['fetch', '-n', 'uni-ss/1', '-g', `${RG}-ss`, '-o', 'json'])
      expect((JSON.parse(bySlash.stdout) as {vm: {name: string}}).vm.name).to.equal('uni-ss_1')
    })

    it("an unknown name's hint leads to a listing that shows instances", async () => {
      const run = await suite.run(['fetch', '-n', 'uni-ss_9', '-g', `${RG}-ss`])
      expectOneLineError(
        run,
        1,
        /List the VMs and scale-set instances with 'bootdiag vm list -g rg-hostile-ss --all --include-vmss'\.$/,
      )
    })
  })

  it('watch on a deallocated (or stopped) VM: says at once it is not running and what to do, exit 1', async () => {
    await suite.fake.addVm({name: 'asleep-01', powerState: 'deallocated', resourceGroup: `${RG}-watch`})
    await suite.fake.addVm({name: 'asleep-02', powerState: 'stopped', resourceGroup: `${RG}-watch`})
    for (const [name, state] of [
      ['asleep-01', 'deallocated'],
      ['asleep-02', 'stopped'],
    ]) {
      const run = await suite.run(
        ['watch', '-n', name, '-g', `${RG}-watch`, '--timeout', '30m'],
        {},
        {timeoutMs: 60_000},
      )
      expectOneLineError(
        run,
        1,
        new RegExp(
          `^Error: VM '${name}' is ${state}: it is not running, so no boot will show in its serial log\\. Start it and watch the boot with 'bootdiag vm start -n ${name} -g ${RG}-watch --watch'`,
        ),
      )
    }
  })
})

function escape(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
