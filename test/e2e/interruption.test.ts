/**
 * Nothing partial, whatever stops a run: the built CLI interrupted by Ctrl-C (SIGINT) or SIGTERM in the
 * middle of a download, and writing to a destination that refuses writes (read-only) or runs out of room
 * (a file-size limit: the kernel fails the write part-way, as a full disk does). Each time: the documented
 * exit code, a one-line message, no snapshot and no partial file in the archive, the lock released — and
 * the next run is clean and complete.
 *
 * "Mid-download" is a state the test waits for, not a time: the screenshot's GET is held by the fake
 * (a hold on that route, let go when the test is done) and the signal is sent once the fake has that
 * request in hand — by then the serial log is already in the snapshot's staging folder.
 */
import {spawnSync} from 'node:child_process'
import {chmod, mkdir, readFile, readdir} from 'node:fs/promises'
import {join, relative} from 'node:path'

import {expect} from 'chai'

import type {FakeVm, FaultHandle} from '../fake-azure/index.js'
import {expectOneLineError} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'

const RG = 'rg-stop'

describe('e2e: interruption, read-only and full destinations leave nothing partial', function () {
  this.timeout(180_000)
  const suite = e2eSuite({fakeAzure: true})

  /** Hold each screenshot GET of these VMs until release(); `held` resolves once the fake holds them all. */
  function holdScreenshots(names: string[]): {held: Promise<void>; release(): void} {
    const gate = deferred()
    const handles: FaultHandle[] = names.map((vm) =>
      suite.fake.faults.add({holdUntil: gate.promise, path: /\.screenshot\.bmp$/, route: 'blob.get', vm}),
    )
    return {
      held: until(() => handles.every((handle) => handle.hits > 0)),
      release() {
        for (const handle of handles) handle.remove()
        gate.resolve()
      },
    }
  }

  /** Every file and folder under the archive (relative paths), hidden ones included. */
  async function everything(): Promise<string[]> {
    const entries = await readdir(suite.archive, {recursive: true, withFileTypes: true}).catch(() => [])
    return entries
      .map((entry) => `${relative(suite.archive, join(entry.parentPath, entry.name))}${entry.isDirectory() ? '/' : ''}`)
      .sort()
  }

  const snapshotFiles = (entries: string[]) => entries.filter((entry) => /\/\d{8}T\d{6}Z(-\d+)?\//.test(entry))
  const partial = (entries: string[]) =>
    entries.filter((entry) => /\.staging-|\.partial|\.tmp|\.scratch|\.lock/.test(entry))
  const vmFolder = (vm: FakeVm) =>
    join(suite.archive, vm.subscriptionId, vm.resourceGroup.toLowerCase(), vm.name.toLowerCase())

  async function expectOneCompleteSnapshot(vm: FakeVm): Promise<void> {
    const snapshots = (await readdir(vmFolder(vm))).filter((name) => /^\d{8}T\d{6}Z/.test(name))
    expect(snapshots, vm.name).to.have.length(1)
    const folder = join(vmFolder(vm), snapshots[0])
    expect((await readdir(folder)).sort()).to.deep.equal([
      'screenshot.bmp',
      'screenshot.png',
      'serial.log',
      'snapshot.json',
    ])
    expect((await readFile(join(folder, 'serial.log'))).equals(vm.serialLog!)).to.equal(true)
    expect((await readFile(join(folder, 'screenshot.bmp'))).equals(vm.screenshot!)).to.equal(true)
  }

  it('Ctrl-C during fetch: exit 130, no snapshot, no staging folder; the next fetch is complete', async () => {
    // Given a fetch whose serial log is in and whose screenshot is on its way
    const vm = await suite.fake.addVm({name: 'int-01', resourceGroup: RG})
    const hold = holdScreenshots(['int-01'])
    const run = suite.start(['fetch', '-n', 'int-01', '-g', RG, '-o', 'json'])
    await hold.held

    // When the user presses Ctrl-C
    run.child.kill('SIGINT')
    const {exitCode: code, stderr} = await run.done
    hold.release()

    // Then it exits 130 saying nothing partial was kept, and nothing was
    expect(code, stderr).to.equal(130)
    expect(stderr).to.equal('Error: Interrupted by SIGINT; nothing partial was kept.\n')
    expect(snapshotFiles(await everything())).to.deep.equal([])
    expect(partial(await everything())).to.deep.equal([])

    // When fetch runs again, Then the snapshot is complete
    const again = await suite.run(['fetch', '-n', 'int-01', '-g', RG, '-o', 'json'])
    expect(again.exitCode, again.stderr).to.equal(0)
    await expectOneCompleteSnapshot(vm)
    expect(partial(await everything())).to.deep.equal([])
  })

  it('SIGTERM during archive with three downloads in flight: exit 143, only whole snapshots, lock released; the next run finishes', async () => {
    // Given a fleet of five whose archive run is downloading three screenshots when the signal comes
    const vms = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((letter) =>
        suite.fake.addVm({name: `term-${letter}`, resourceGroup: `${RG}-fleet`}),
      ),
    )
    const hold = holdScreenshots(['term-a', 'term-c', 'term-e'])
    const run = suite.start(['archive', '-g', `${RG}-fleet`, '-o', 'json'])
    await hold.held
    await until(
      async () => (await everything()).filter((entry) => /\/\d{8}T\d{6}Z\/snapshot\.json$/.test(entry)).length === 2,
    )

    // When it is told to stop
    run.child.kill('SIGTERM')
    const {exitCode: code, stderr} = await run.done
    hold.release()

    // Then it exits 143; the two VMs it had finished are whole, the three in flight left nothing, the lock is gone
    expect(code, stderr).to.equal(143)
    expect(stderr.trimEnd().split('\n').at(-1)).to.equal('Error: Interrupted by SIGTERM; nothing partial was kept.')
    const left = await everything()
    expect(partial(left)).to.deep.equal([])
    for (const vm of [vms[1], vms[3]]) await expectOneCompleteSnapshot(vm)
    expect(snapshotFiles(left).filter((entry) => /term-[ace]\//.test(entry))).to.deep.equal([])

    // When the next run comes, Then it archives the three and leaves the two alone
    const next = await suite.run(['archive', '-g', `${RG}-fleet`, '-o', 'json'])
    expect(next.exitCode, next.stderr).to.equal(0)
    expect(JSON.parse(next.stdout).totals).to.deep.include({failed: 0, new: 3, unchanged: 2})
    for (const vm of vms) await expectOneCompleteSnapshot(vm)
    expect(partial(await everything())).to.deep.equal([])
  })

  it('a read-only archive: one line, exit 1, nothing written', async function () {
    // Given an archive folder that refuses writes (root ignores permission bits: then it is made immutable)
    await suite.fake.addVm({name: 'ro-01', resourceGroup: RG})
    await mkdir(suite.archive)
    const readOnly = await makeReadOnly(suite.archive)
    if (!readOnly) this.skip()
    try {
      // When fetch and archive write there
      const fetched = await suite.run(['fetch', '-n', 'ro-01', '-g', RG])
      const archived = await suite.run(['archive', '-g', RG])

      // Then each says so in one line, exit 1, and nothing was written
      expectOneLineError(
        fetched,
        1,
        new RegExp(
          `^Error: Cannot write ${suite.archive}/[0-9a-f-]+ \\((EACCES|EPERM)\\); nothing partial was kept\\. Choose a writable folder with --archive\\.$`,
        ),
      )
      expectOneLineError(
        archived,
        1,
        new RegExp(
          `^Error: Cannot write ${suite.archive}/\\.bootdiag-archive\\.lock\\S* \\((EACCES|EPERM)\\); nothing partial was kept\\. Choose a writable folder with --archive\\.$`,
        ),
      )
      expect(await everything()).to.deep.equal([])
    } finally {
      await readOnly.undo()
    }
  })

  it('the disk fills up part-way through a file (a file-size limit): one line, exit 1, nothing partial; with room, the next run is complete', async function () {
    // Given a limit on file size smaller than the serial log: the kernel fails the write part-way
    if (spawnSync('prlimit', ['--version']).status !== 0) this.skip()
    const vm = await suite.fake.addVm({name: 'full-01', resourceGroup: RG})
    const limit = Math.floor(vm.serialLog!.length / 2)
    const limited = (args: string[]) => suite.run(args, {}, {wrapper: ['prlimit', `--fsize=${limit}`]})

    // When fetch and archive write the snapshot
    const fetched = await limited(['fetch', '-n', 'full-01', '-g', RG])
    const archived = await limited(['archive', '-g', RG])

    // Then each stops with one line, exit 1, and leaves no snapshot and no partial file
    for (const run of [fetched, archived]) {
      expectOneLineError(
        run,
        1,
        /^Error: A file grew larger than this system lets a process write \(EFBIG: the file-size limit, ulimit -f\); nothing partial was kept\. Raise the limit or free space, then run again\.$/,
      )
    }

    expect(snapshotFiles(await everything())).to.deep.equal([])
    expect(partial(await everything())).to.deep.equal([])

    // When there is room again, Then the next run is complete
    const again = await suite.run(['archive', '-g', RG, '-o', 'json'])
    expect(again.exitCode, again.stderr).to.equal(0)
    await expectOneCompleteSnapshot(vm)
  })

  it('a write the kernel cuts short at the last byte (no error yet) never becomes a snapshot', async function () {
    // Given room for all of the serial log but its last byte, and nothing else to write that is as large
    if (spawnSync('prlimit', ['--version']).status !== 0) this.skip()
    const vm = await suite.fake.addVm({name: 'short-01', resourceGroup: RG, screenshot: null})
    const limit = vm.serialLog!.length - 1

    // When fetch writes the snapshot
    const run = await suite.run(
      ['fetch', '-n', 'short-01', '-g', RG, '-o', 'json'],
      {},
      {
        wrapper: ['prlimit', `--fsize=${limit}`],
      },
    )

    // Then it fails in one line, and no snapshot claims bytes it does not hold
    expectOneLineError(run, 1, /^Error: A file grew larger than this system lets a process write \(EFBIG/)
    expect(snapshotFiles(await everything())).to.deep.equal([])
    expect(partial(await everything())).to.deep.equal([])
  })
})

/** A promise and the function that resolves it. */
function deferred(): {promise: Promise<void>; resolve(): void} {
  let resolve!: () => void
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return {promise, resolve}
}

/** Resolve once `condition` holds, checking on each turn of the event loop (no fixed sleeps). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve))
}

/** Make a folder refuse writes: chmod for a normal user; for root (which ignores it), the immutable attribute. */
async function makeReadOnly(folder: string): Promise<{undo(): Promise<void>} | undefined> {
  if (process.getuid?.() !== 0) {
    await chmod(folder, 0o555)
    return {undo: () => chmod(folder, 0o755)}
  }

  if (spawnSync('chattr', ['+i', folder]).status !== 0) return undefined
  return {undo: async () => void spawnSync('chattr', ['-i', folder])}
}
