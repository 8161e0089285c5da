import {spawnSync} from 'node:child_process'
import {mkdtemp, readFile, readdir, rm, utimes, writeFile} from 'node:fs/promises'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {LockHeldError, acquireFileLock, lockName} from '../../../src/store/lock.js'

/** A pid that surely belongs to no running process: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!
}

describe('archive: the lock file', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bootdiag-lock-'))
  })
  afterEach(() => rm(root, {force: true, recursive: true}))

  const lockFile = () => join(root, '.bootdiag-archive.lock')

  it('is taken with pid, host and time, refused to a second run (exit 6, naming the holder and --wait), and released', async () => {
    // Given a run that holds the lock
    const held = await acquireFileLock(root, {now: () => new Date('2026-11-25T21:03:04.567Z')})
    const content = JSON.parse(await readFile(lockFile(), 'utf8'))
    expect(content).to.include({host: hostname(), pid: process.pid, since: '2026-11-25T21:03:04Z'})

    // When a second run tries
    const error = await acquireFileLock(root).catch((e: Error) => e)

    // Then it is refused at once with exit code 6 and a message that says who holds it and what to do
    expect(error).to.be.instanceOf(LockHeldError)
    expect(error).to.include({code: 'ArchiveLocked', exitCode: 6})
    expect((error as Error).message).to.equal(
      `Another bootdiag archive run holds the lock on ${root} (pid ${process.pid} on ${hostname()} since 2026-11-25T21:03:04Z). Let it finish and run again, or pass --wait to wait for it.`,
    )

    // And once released, the lock can be taken again, and nothing else is left in the folder
    await held.release()
    expect(await readdir(root)).to.deep.equal([])
    const again = await acquireFileLock(root)
    await again.release()
  })

  it("a crashed run's lock (its process is gone, same host) is taken over", async () => {
    await writeFile(
      lockFile(),
      JSON.stringify({host: hostname(), pid: deadPid(), since: '2026-11-25T20:00:00Z', token: 'old'}),
    )

    const held = await acquireFileLock(root)

    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).to.equal(process.pid)
    await held.release()
  })

  it("another host's lock is live while it is refreshed, stale when it was not touched for 5 minutes", async () => {
    // Given a lock held on another machine (say, a Kubernetes pod), touched just now
    await writeFile(
      lockFile(),
      JSON.stringify({host: 'pod-archive-0', pid: 1, since: '2026-11-25T20:00:00Z', token: 'pod'}),
    )
    const error = await acquireFileLock(root).catch((e: Error) => e)
    expect((error as Error).message).to.match(/pid 1 on pod-archive-0 since 2026-11-25T20:00:00Z/)

    // When it has not been touched for 6 minutes (the pod is gone), Then it is taken over
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000)
    await utimes(lockFile(), sixMinutesAgo, sixMinutesAgo)
    const held = await acquireFileLock(root)
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).host).to.equal(hostname())
    await held.release()
  })

  it('an unreadable lock file is a lock of unknown holder until it is stale', async () => {
    await writeFile(lockFile(), 'garbage')
    const error = await acquireFileLock(root).catch((e: Error) => e)
    expect((error as Error).message).to.equal(
      `Another bootdiag archive run holds the lock on ${root}. Let it finish and run again, or pass --wait to wait for it.`,
    )
    const old = new Date(Date.now() - 10 * 60_000)
    await utimes(lockFile(), old, old)
    await (await acquireFileLock(root)).release()
  })

  it('--wait: waits (without real sleeping here) until the holder releases, telling once who it waits for', async () => {
    // Given a lock held by a live run
    const holder = await acquireFileLock(root)
    const waits: unknown[] = []
    let polls = 0

    // When another run waits, and the holder releases during its second poll
    const second = await acquireFileLock(root, {
      onWait: (who) => waits.push(who),
      sleep: async () => {
        polls++
        if (polls === 2) await holder.release()
      },
      wait: true,
    })

    // Then it got the lock after two polls and said once whom it waited for
    expect(polls).to.equal(2)
    expect(waits).to.deep.equal([holder.holder])
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).to.equal(process.pid)
    await second.release()
  })

  it('--wait stops when the run is interrupted', async () => {
    const holder = await acquireFileLock(root)
    const controller = new AbortController()
    const error = await acquireFileLock(root, {
      signal: controller.signal,
      sleep: async () => {
        controller.abort(new Error('SIGINT'))
      },
      wait: true,
    }).catch((e: Error) => e)
    expect((error as Error).message).to.equal('SIGINT')
    await holder.release()
  })

  it('shards lock separately, so N workers can share one archive', async () => {
    expect(lockName({count: 4, index: 2})).to.equal('.bootdiag-archive.shard-2-of-4.lock')
    const a = await acquireFileLock(root, {shard: {count: 2, index: 0}})
    const b = await acquireFileLock(root, {shard: {count: 2, index: 1}})
    const again = await acquireFileLock(root, {shard: {count: 2, index: 1}}).catch((e: Error) => e)
    expect(again).to.be.instanceOf(LockHeldError)
    await a.release()
    await b.release()
  })

  it('release leaves a lock that is no longer its own alone', async () => {
    const held = await acquireFileLock(root)
    await writeFile(lockFile(), JSON.stringify({host: 'other', pid: 2, since: 'x', token: 'theirs'}))
    await held.release()
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).token).to.equal('theirs')
  })
})
