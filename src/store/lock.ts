/**
 * The archive lock: one `archive` run per archive (or per shard of it) at a time. A second run stops at
 * once with exit code 6 and a message naming the holder, or waits for it with --wait.
 *
 * In a folder the lock is a file, `.bootdiag-archive.lock` (`.bootdiag-archive.shard-I-of-N.lock` for a
 * shard), created exclusively (link(2) of a fully written temp file, so no reader sees half a lock) and
 * holding {pid, host, since, token}. The holder touches it every 30 s. A lock is stale — left by a run that
 * crashed or was killed — when its process is gone (same host) or it was not touched for 5 minutes (any
 * host, e.g. a Kubernetes pod that no longer exists). A stale lock is taken over safely: it is renamed
 * aside and checked to be the one judged stale (its token) before it is removed; a live lock renamed by a
 * racing run is put back. In a Blob container the lock is a lease on a lock blob (blob-store.ts).
 */
import {randomBytes} from 'node:crypto'
import {hostname} from 'node:os'
import {link, lstat, rename, unlink, utimes} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as sleepFor} from 'node:timers/promises'

import {BootdiagError, ExitCode} from '../errors.js'
import {printable} from '../util/printable.js'
import {writeNewFile} from './durable-file.js'
import {ArchiveLinkError, entryKind, readArchiveText} from './safe-path.js'
import {isProcessAlive} from './snapshot-writer.js'

/** Who holds a lock. */
export interface LockHolder {
  pid: number
  host: string
  /** ISO 8601 UTC time the holder took the lock */
  since: string
}

export interface LockOptions {
  /** the whole archive, or one shard of it (shards lock separately, so N workers run side by side) */
  shard?: {index: number; count: number}
  /** wait for the holder to finish instead of failing at once */
  wait?: boolean
  signal?: AbortSignal
  /** told once, when a wait starts */
  onWait?(holder: LockHolder | undefined): void
  /** told when a held lock was lost (taken over by another run after a long stall) */
  onLost?(message: string): void
  /** told when a stale lock (a crashed run's) was taken over */
  onTakeover?(holder: LockHolder | undefined): void
  /** tests: a fake clock and sleep */
  now?: () => Date
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export interface HeldLock {
  holder: LockHolder
  release(): Promise<void>
}

/** Another run holds the lock (exit 6). */
export class LockHeldError extends BootdiagError {
  constructor(
    readonly archive: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder ? ` (pid ${holder.pid} on ${holder.host} since ${holder.since})` : ''
    super(
      `Another bootdiag archive run holds the lock on ${archive}${who}. Let it finish and run again, or pass --wait to wait for it.`,
      {
        code: 'ArchiveLocked',
        exitCode: ExitCode.locked,
      },
    )
    this.name = 'LockHeldError'
  }
}

/** The lock's name in the archive: `.bootdiag-archive.lock`, or `.bootdiag-archive.shard-I-of-N.lock`. */
export function lockName(shard?: {index: number; count: number}): string {
  return shard ? `.bootdiag-archive.shard-${shard.index}-of-${shard.count}.lock` : '.bootdiag-archive.lock'
}

export const FILE_LOCK_TIMING = {
  /** how often the holder touches the lock file */
  heartbeatMs: 30_000,
  /** a lock file untouched this long is stale, whoever holds it */
  staleAfterMs: 5 * 60_000,
  /** how often --wait looks again */
  pollMs: 2000,
}

interface LockFileContent extends LockHolder {
  token: string
}

/** Take the lock file in `folder`; throws LockHeldError when another live run holds it (unless `wait`). */
export async function acquireFileLock(
  folder: string,
  options: LockOptions = {},
  timing = FILE_LOCK_TIMING,
): Promise<HeldLock> {
  const path = join(folder, lockName(options.shard))
  const now = options.now ?? (() => new Date())
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, {signal}))
  const mine: LockFileContent = {
    host: hostname(),
    pid: process.pid,
    since: now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z'),
    token: randomBytes(12).toString('hex'),
  }
  let waiting = false
  for (;;) {
    options.signal?.throwIfAborted()
    if (await createExclusively(path, `${JSON.stringify(mine)}\n`)) return holdFileLock(path, mine, options, timing)
    const existing = await readLockFile(path)
    if (existing === 'gone') continue
    if (await isStale(path, existing, now(), timing)) {
      if (await takeOverStale(path, existing))
        options.onTakeover?.(existing === 'unreadable' ? undefined : holderOf(existing))
      continue
    }

    const holder = existing === 'unreadable' ? undefined : holderOf(existing)
    if (!options.wait) throw new LockHeldError(folder, holder)
    if (!waiting) options.onWait?.(holder)
    waiting = true
    await sleep(timing.pollMs, options.signal)
  }
}

function holderOf(content: LockFileContent): LockHolder {
  return {host: content.host, pid: content.pid, since: content.since}
}

/** Create `path` with `text` only if it does not exist: a temp file linked into place, never half-written. */
async function createExclusively(path: string, text: string): Promise<boolean> {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  await writeNewFile(temp, text)

  try {
    await link(temp, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await unlink(temp).catch(() => {})
  }
}

/** A lock path that can be neither created nor read — a link, a folder, no permission: said at once (exit 1). */
export class LockUnusableError extends BootdiagError {
  constructor(path: string, why: string, cause?: unknown) {
    super(
      `The archive lock ${printable(path)} ${why}, so this run cannot take the lock. Remove it (or fix its permissions) and run again.`,
      {cause, code: 'ArchiveLockUnusable'},
    )
    this.name = 'LockUnusableError'
  }
}

/**
 * The lock file's content, never through a link: a link (a dangling one would read as gone while link(2)
 * still finds it taken — a loop at full CPU), a folder, or a file that cannot be read is a LockUnusableError.
 */
async function readLockFile(path: string): Promise<LockFileContent | 'gone' | 'unreadable'> {
  let text: string
  try {
    const read = await readArchiveText(path)
    if (read === undefined) return 'gone'
    text = read
  } catch (error) {
    if (error instanceof ArchiveLinkError) {
      const kind = await entryKind(path).catch(() => 'other' as const)
      throw new LockUnusableError(
        path,
        kind === 'link'
          ? 'is a symbolic link (bootdiag never follows links inside the archive)'
          : kind === 'folder'
            ? 'is a folder, not a lock file'
            : 'is not a regular file',
        error,
      )
    }

    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EISDIR') throw new LockUnusableError(path, 'is a folder, not a lock file', error)
    throw new LockUnusableError(path, `cannot be read (${code ?? (error as Error).message})`, error)
  }

  try {
    const data = JSON.parse(text) as Partial<LockFileContent>
    if (
      typeof data.pid === 'number' &&
      typeof data.host === 'string' &&
      typeof data.since === 'string' &&
      typeof data.token === 'string'
    )
      return data as LockFileContent
  } catch {
    // fall through
  }

  return 'unreadable'
}

async function isStale(
  path: string,
  content: LockFileContent | 'unreadable',
  now: Date,
  timing: typeof FILE_LOCK_TIMING,
): Promise<boolean> {
  let touched: number
  try {
    touched = (await lstat(path)).mtimeMs
  } catch {
    return false
  }

  if (now.getTime() - touched > timing.staleAfterMs) return true
  return content !== 'unreadable' && content.host === hostname() && !isProcessAlive(content.pid)
}

/** Remove a stale lock — and only that one: a lock a racing run created meanwhile is put back. True when removed. */
async function takeOverStale(path: string, judged: LockFileContent | 'unreadable'): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await rename(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }

  const moved = await readLockFile(aside)
  const same =
    judged === 'unreadable'
      ? moved === 'unreadable'
      : moved !== 'gone' && moved !== 'unreadable' && moved.token === judged.token
  if (!same) {
    // Not the lock judged stale: put it back (link never replaces a lock created in the meantime).
    await link(aside, path).catch(() => {})
  }

  await unlink(aside).catch(() => {})
  return same
}

function holdFileLock(
  path: string,
  mine: LockFileContent,
  options: LockOptions,
  timing: typeof FILE_LOCK_TIMING,
): HeldLock {
  let lost = false
  const heartbeat = setInterval(() => {
    void (async () => {
      const current = await readLockFile(path).catch(() => 'unreadable' as const)
      if (current === 'gone' || current === 'unreadable' || current.token !== mine.token) {
        if (!lost)
          options.onLost?.(
            `The archive lock ${path} was taken over by another run; this run goes on, but the two may overlap.`,
          )
        lost = true
        return
      }

      const now = new Date()
      await utimes(path, now, now).catch(() => {})
    })()
  }, timing.heartbeatMs)
  heartbeat.unref()
  let released = false
  return {
    holder: holderOf(mine),
    async release() {
      if (released) return
      released = true
      clearInterval(heartbeat)
      const current = await readLockFile(path).catch(() => 'unreadable' as const)
      if (current !== 'gone' && current !== 'unreadable' && current.token === mine.token)
        await unlink(path).catch(() => {})
    },
  }
}
