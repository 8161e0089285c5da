/**
 * Bad input, as a user meets it, each one line on stderr with its documented exit code (README "Exit
 * codes"): what the other end-to-end files do not already cover — an unknown subscription, a sign-in
 * token Azure rejects (401), a missing role (403), the storage firewall, an --archive that is not an
 * archive, runs at the same time, a corrupt state file. (Unknown VM, resource group and cloud, boot
 * diagnostics disabled, a malformed --ids, an expired SAS and a missing storage role are in
 * vm-list-fetch.test.ts; bad flags in usage-errors.test.ts; a held lock in archive.test.ts.)
 */
import {mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import type {FakeVm} from '../fake-azure/index.js'
import {expectOneLineError} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'

const RG = 'rg-bad'
const NOBODY = '00000000-0000-4000-8000-000000000000'

describe('e2e: bad input is one line with its exit code', function () {
  this.timeout(180_000)
  let web: FakeVm
  const suite = e2eSuite({
    env: {BOOTDIAG_MAX_RETRIES: '0'},
    fakeAzure: true,
    async setup(fake) {
      web = await fake.addVm({name: 'web-01', resourceGroup: RG})
    },
  })

  const vmFolder = (vm: FakeVm) =>
    join(suite.archive, vm.subscriptionId, vm.resourceGroup.toLowerCase(), vm.name.toLowerCase())
  const snapshotsOf = async (vm: FakeVm) =>
    (await readdir(vmFolder(vm)).catch(() => [] as string[]))
      .filter((name) => /^\d{8}T\d{6}Z(-\d+)?$/.test(name))
      .sort()

  describe('Azure says no', () => {
    it('an unknown subscription, by ID or by name: exit 1, says how to list yours', async () => {
      expectOneLineError(
        await suite.run(['vm', 'list', '--subscription', NOBODY]),
        1,
        new RegExp(
          `^Error: Subscription '${NOBODY}' was not found or is not visible to this identity\\. List yours with 'az account list', then pass --subscription\\.$`,
        ),
      )
      expectOneLineError(
        await suite.run(['fetch', '-n', 'web-01', '-g', RG, '--subscription', 'No Such Subscription']),
        1,
        /^Error: .*'No Such Subscription'.*--subscription/,
      )
      expect(await readdir(suite.scratch)).not.to.include('archive')
    })

    it('Resource Manager rejects the sign-in token (401): exit 4, says to sign in again', async () => {
      const rejected = suite.fake.faults.add({
        errorCode: 'InvalidAuthenticationToken',
        message: 'The access token is invalid.',
        route: /^virtualMachines\./,
        service: 'arm',
        status: 401,
      })
      try {
        expectOneLineError(
          await suite.run(['vm', 'list']),
          4,
          /^Error: Azure rejected the sign-in token.* \(InvalidAuthenticationToken\)\. Sign in again \(e\.g\. 'az login'\), and check that --cloud\/--arm-endpoint match the account's cloud\.$/,
        )
      } finally {
        rejected.remove()
      }
    })

    it('a missing role (403): exit 4, names the role — Reader to list, Virtual Machine Contributor to read boot diagnostics', async () => {
      const nobody = suite.fake.addPrincipal({grants: []})
      expectOneLineError(
        await suite.run(['vm', 'list'], suite.fake.env({principal: nobody})),
        4,
        /^Error: Permission denied.*Ask for the 'Reader' role/,
      )

      const reader = suite.fake.addPrincipal({grants: [{role: 'Reader', scope: '/'}]})
      expectOneLineError(
        await suite.run(['fetch', '-n', 'web-01', '-g', RG], suite.fake.env({principal: reader})),
        4,
        /^Error: Permission denied to get the boot diagnostics URLs of VM 'web-01': the identity may not perform Microsoft\.Compute\/virtualMachines\/retrieveBootDiagnosticsData\/action .*'Virtual Machine Contributor'/,
      )
      expect(await snapshotsOf(web)).to.deep.equal([])
    })

    it('the storage firewall refuses this machine (403 AuthorizationFailure): exit 4, says to allow the network', async () => {
      const firewall = suite.fake.faults.add({
        errorCode: 'AuthorizationFailure',
        message: 'This request is not authorized to perform this operation.',
        route: 'blob.get',
        service: 'blob',
        status: 403,
      })
      try {
        expectOneLineError(
          await suite.run(['fetch', '-n', 'web-01', '-g', RG]),
          4,
          /^Error: The storage account 127\.0\.0\.1:\d+ refused the request: its firewall or network rules do not allow this machine\. Allow this network in the account's Networking settings, or run bootdiag from an allowed network\.$/,
        )
        expect(await snapshotsOf(web)).to.deep.equal([])
      } finally {
        firewall.remove()
      }
    })
  })

  describe('an --archive that is not an archive', () => {
    it('a file: exit 2, nothing written', async () => {
      const file = join(suite.scratch, 'notes.txt')
      await writeFile(file, 'my notes\n')
      for (const args of [
        ['fetch', '-n', 'web-01', '-g', RG],
        ['archive', '-g', RG],
      ]) {
        expectOneLineError(
          await suite.run([...args, '--archive', file]),
          2,
          new RegExp(
            `^Error: --archive ${file} is not a folder\\. Point --archive \\(or BOOTDIAG_ARCHIVE\\) at a folder for the archive\\.$`,
          ),
        )
      }

      expect(await readFile(file, 'utf8')).to.equal('my notes\n')
    })

    it('a folder holding other things (a home folder by mistake): exit 2, names what is there, writes nothing', async () => {
      // Given a folder with the user's own files in it
      const home = join(suite.scratch, 'home')
      await mkdir(join(home, 'Documents'), {recursive: true})
      await mkdir(join(home, 'Downloads'))
      await writeFile(join(home, '.bashrc'), '')
      await writeFile(join(home, 'todo.txt'), '')
      await writeFile(join(home, 'z.txt'), '')

      // When fetch and archive are pointed at it, Then each refuses in one line, naming what is in the way
      const refusal = `--archive ${home} is not a bootdiag archive: it holds 'Documents', 'Downloads', 'todo.txt' and 1 more, which bootdiag does not write (an archive holds one folder per subscription ID). Point --archive (or BOOTDIAG_ARCHIVE) at a new or empty folder, or at an existing archive.`
      for (const args of [
        ['fetch', '-n', 'web-01', '-g', RG],
        ['archive', '-g', RG],
      ]) {
        expectOneLineError(
          await suite.run(args, {BOOTDIAG_ARCHIVE: home}),
          2,
          new RegExp(`^Error: ${escape(refusal)}$`),
        )
      }

      // And a guarded restart does not restart the VM without its snapshot, not even with --force
      for (const force of [[], ['--force']]) {
        expectOneLineError(
          await suite.run(['vm', 'restart', '-n', 'web-01', '-g', RG, '--yes', ...force], {BOOTDIAG_ARCHIVE: home}),
          2,
          new RegExp(`^Error: Did not restart VM 'web-01': ${escape(refusal)}$`),
        )
      }

      // And nothing was added, nor the VM restarted
      expect((await readdir(home)).sort()).to.deep.equal(['.bashrc', 'Documents', 'Downloads', 'todo.txt', 'z.txt'])
      expect(suite.fake.state.vm(web).bootCount).to.equal(1)
    })

    it('an existing archive, a new folder and an empty one are archives', async () => {
      const empty = join(suite.scratch, 'empty')
      await mkdir(empty)
      for (const where of [suite.archive, empty, suite.archive]) {
        const run = await suite.run(['fetch', '-n', 'web-01', '-g', RG, '-o', 'none'], {BOOTDIAG_ARCHIVE: where})
        expect(run.exitCode, run.stderr).to.equal(0)
      }

      expect(await snapshotsOf(web)).to.have.length(2)
    })
  })

  describe('runs at the same time', () => {
    it('two archive runs: the second stops at once with exit 6, naming the first; the first completes', async () => {
      // Given an archive run that is holding a download (and so the lock)
      await suite.fake.addVm({name: 'busy-01', resourceGroup: `${RG}-busy`})
      const gate = deferred()
      const hold = suite.fake.faults.add({holdUntil: gate.promise, route: 'blob.get', vm: 'busy-01'})
      const first = suite.start(['archive', '-g', `${RG}-busy`, '-o', 'json'])
      try {
        await until(() => hold.hits > 0)

        // When a second run starts
        const second = await suite.run(['archive', '-g', `${RG}-busy`])

        // Then it stops at once, naming the live run that holds the lock
        expectOneLineError(
          second,
          6,
          /^Error: Another bootdiag archive run holds the lock on .+ \(pid \d+ on .+ since .+\)\. Let it finish and run again, or pass --wait to wait for it\.$/,
        )
        expect(second.stderr).to.include(`(pid ${first.child.pid} on `)
      } finally {
        hold.remove()
        gate.resolve()
      }

      // And, let go, the first finishes its work
      const done = await first.done
      expect(done.exitCode, done.stderr).to.equal(0)
      expect(JSON.parse(done.stdout).totals).to.deep.include({failed: 0, new: 1})
    })

    it('three fetches of one VM at once: three complete snapshots, none over another (same second: -1, -2)', async () => {
      const runs = await Promise.all([0, 1, 2].map(() => suite.run(['fetch', '-n', 'web-01', '-g', RG, '-o', 'json'])))

      const folders = runs.map((run) => {
        expect(run.exitCode, run.stderr).to.equal(0)
        return JSON.parse(run.stdout).snapshot as string
      })
      expect(new Set(folders).size).to.equal(3)
      const names = await snapshotsOf(web)
      expect(names).to.have.length(3)
      for (const name of names) {
        expect((await readdir(join(vmFolder(web), name))).sort()).to.deep.equal([
          'screenshot.bmp',
          'screenshot.png',
          'serial.log',
          'snapshot.json',
        ])
        expect((await readFile(join(vmFolder(web), name, 'serial.log'))).equals(web.serialLog!)).to.equal(true)
      }

      expect((await readdir(vmFolder(web))).filter((name) => name.startsWith('.staging-'))).to.deep.equal([])
    })
  })

  it('a corrupt state file: one warning line, exit 0, rebuilt from the newest snapshot (nothing downloaded again)', async () => {
    // Given a VM archived once, whose state file was then damaged
    const vm = await suite.fake.addVm({name: 'state-01', resourceGroup: `${RG}-state`})
    expect((await suite.run(['archive', '-g', `${RG}-state`])).exitCode).to.equal(0)
    await writeFile(join(vmFolder(vm), '.archive-state.json'), '{"stateVersion": 1, "snapshot": ')

    // When archive runs again
    const run = await suite.run(['archive', '-g', `${RG}-state`, '-o', 'json'])

    // Then it says so in one line and goes on: nothing new, no log bytes, one snapshot, a readable state again
    expect(run.exitCode, run.stderr).to.equal(0)
    expect(run.stderr).to.match(
      /^Warning: state-01: its archive state file is unreadable \(not JSON [^\n]*\); it is ignored and written anew\.\n$/,
    )
    expect(JSON.parse(run.stdout).totals).to.deep.include({logBytesDownloaded: 0, new: 0, unchanged: 1})
    expect(await snapshotsOf(vm)).to.have.length(1)
    expect(JSON.parse(await readFile(join(vmFolder(vm), '.archive-state.json'), 'utf8'))).to.include({stateVersion: 1})
  })
})

function escape(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A promise and the function that resolves it. */
function deferred(): {promise: Promise<void>; resolve(): void} {
  let resolve!: () => void
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return {promise, resolve}
}

/** Resolve once `condition` holds, checking on each turn of the event loop (no fixed sleeps). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve))
}
