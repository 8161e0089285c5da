/**
 * The archive in a folder (the default): snapshots are written by SnapshotWriter (staging folder, one
 * rename to commit, never overwrite), the state file is replaced by rename, the lock is a lock file, and
 * a file unchanged since the previous snapshot is hard-linked to it (same bytes, no extra space; copied
 * where the file system cannot link). Snapshots are immutable, so a shared inode is never written to.
 */
import {randomBytes} from 'node:crypto'
import type {Dirent} from 'node:fs'
import {constants, copyFile, link, mkdir, open, readFile, readdir, rename, rm, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {UsageError} from '../errors.js'
import {writeNewFile} from './durable-file.js'
import {ArchiveIndex, claimIndex} from './index/archive-index.js'
import {FolderIndexStorage} from './index/folder-storage.js'
import {type VmLocation, SNAPSHOT_DIR_PATTERN, sortSnapshotNames, vmDir} from './layout.js'
import {type HeldLock, type LockOptions, acquireFileLock} from './lock.js'
import {MANIFEST_FILE, SNAPSHOT_FILES, type SnapshotFileName, type SnapshotManifest} from './manifest.js'
import {SnapshotWriter} from './snapshot-writer.js'
import type {ArchiveStore, CommittedSnapshot, SnapshotDraft} from './store.js'
import {STATE_FILE} from './vm-state.js'

/** A subscription's folder at the archive's top level is named by its ID, a GUID (layout.ts). */
const SUBSCRIPTION_FOLDER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** What a file system itself may put at the top of a dedicated volume. */
const SYSTEM_ENTRIES = new Set(['lost+found'])

/**
 * Refuse a folder that is not an archive, before anything is written to it: an archive folder does not
 * exist yet, or holds only subscription folders (named by their IDs) and hidden entries (the lock, the
 * system's). Anything else — --archive pointing at a home folder, at /tmp, at one VM's folder, at a file —
 * is a usage error (exit 2) naming what is in the way, not a mess of new folders among the user's own.
 */
export async function checkArchiveFolder(root: string): Promise<void> {
  let entries: Dirent[]
  try {
    entries = await readdir(root, {withFileTypes: true})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTDIR')
      throw new UsageError(
        `--archive ${root} is not a folder. Point --archive (or BOOTDIAG_ARCHIVE) at a folder for the archive.`,
      )
    // missing: a new archive; anything else (no permission) is told by the first write
    return
  }

  const foreign = entries.filter(
    (entry) =>
      !entry.name.startsWith('.') &&
      !SYSTEM_ENTRIES.has(entry.name) &&
      !((entry.isDirectory() || entry.isSymbolicLink()) && SUBSCRIPTION_FOLDER.test(entry.name)),
  )
  if (foreign.length === 0) return
  const names = foreign.map((entry) => `'${entry.name}'`).sort()
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')
  throw new UsageError(
    `--archive ${root} is not a bootdiag archive: it holds ${shown}, which bootdiag does not write (an archive holds one folder per subscription ID). Point --archive (or BOOTDIAG_ARCHIVE) at a new or empty folder, or at an existing archive.`,
    {code: 'NotAnArchive'},
  )
}

export class LocalArchiveStore implements ArchiveStore {
  readonly kind = 'folder'
  readonly index: ArchiveIndex

  constructor(
    readonly location: string,
    options: {warn?: (message: string) => void} = {},
  ) {
    this.index = new ArchiveIndex(new FolderIndexStorage(location), this, options.warn ?? (() => {}))
  }

  async beginSnapshot(vm: VmLocation, takenAt: Date): Promise<SnapshotDraft> {
    return new LocalDraft(this.location, vm, await SnapshotWriter.begin(this.location, vm, takenAt), this.index)
  }

  async listSnapshots(vm: VmLocation): Promise<string[]> {
    const folder = vmDir(this.location, vm)
    const names = (await listNames(folder)).filter((name) => SNAPSHOT_DIR_PATTERN.test(name))
    // A committed snapshot holds snapshot.json (rename() moved it in with the rest).
    const committed = await Promise.all(
      names.map(async (name) => ((await exists(join(folder, name, MANIFEST_FILE))) ? name : undefined)),
    )
    return sortSnapshotNames(committed.filter((name): name is string => name !== undefined))
  }

  async listArchive(): Promise<Array<{vm: VmLocation; snapshots: string[]}>> {
    const out: Array<{vm: VmLocation; snapshots: string[]}> = []
    for (const subscriptionId of await listFolders(this.location)) {
      for (const resourceGroup of await listFolders(join(this.location, subscriptionId))) {
        for (const name of await listFolders(join(this.location, subscriptionId, resourceGroup))) {
          const vm = {name, resourceGroup, subscriptionId}
          out.push({snapshots: await this.listSnapshots(vm), vm})
        }
      }
    }

    return out
  }

  async readManifest(vm: VmLocation, snapshot: string): Promise<SnapshotManifest | undefined> {
    try {
      return JSON.parse(
        await readFile(join(vmDir(this.location, vm), snapshot, MANIFEST_FILE), 'utf8'),
      ) as SnapshotManifest
    } catch {
      return undefined
    }
  }

  async localFile(vm: VmLocation, snapshot: string, file: SnapshotFileName): Promise<string | undefined> {
    const path = join(vmDir(this.location, vm), snapshot, file)
    return (await exists(path)) ? path : undefined
  }

  async openFile(
    vm: VmLocation,
    snapshot: string,
    file: SnapshotFileName,
    start = 0,
  ): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const handle = await open(join(vmDir(this.location, vm), snapshot, file), 'r')
      return handle.createReadStream({autoClose: true, highWaterMark: 1024 * 1024, start})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
      throw error
    }
  }

  async deleteSnapshot(vm: VmLocation, snapshot: string): Promise<void> {
    const folder = vmDir(this.location, vm)
    // Renamed first, so a half-deleted snapshot never looks like a snapshot.
    const doomed = join(folder, `.deleting-${snapshot}-${randomBytes(4).toString('hex')}`)
    await rename(join(folder, snapshot), doomed)
    await this.index.afterDelete(vm, snapshot)
    await rm(doomed, {force: true, recursive: true})
  }

  async readState(vm: VmLocation): Promise<string | undefined> {
    try {
      return await readFile(join(vmDir(this.location, vm), STATE_FILE), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  async writeState(vm: VmLocation, text: string): Promise<void> {
    const folder = vmDir(this.location, vm)
    await mkdir(folder, {recursive: true})
    const temp = join(folder, `${STATE_FILE}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
    try {
      await writeNewFile(temp, text)
      await rename(temp, join(folder, STATE_FILE))
    } catch (error) {
      await rm(temp, {force: true})
      throw error
    }
  }

  async lock(options: LockOptions): Promise<HeldLock> {
    await mkdir(this.location, {recursive: true})
    return claimIndex(await acquireFileLock(this.location, options), this.index, options)
  }

  snapshotLocation(vm: VmLocation, snapshot: string): string {
    return join(vmDir(this.location, vm), snapshot)
  }
}

class LocalDraft implements SnapshotDraft {
  constructor(
    private readonly root: string,
    private readonly vm: VmLocation,
    private readonly writer: SnapshotWriter,
    private readonly index: ArchiveIndex,
  ) {}

  get folder(): string {
    return this.writer.stagingFolder
  }

  partialPath(file: SnapshotFileName): string {
    return this.writer.partialPath(file)
  }

  scratchPath(name: string): string {
    return join(this.writer.stagingFolder, `${name}.scratch`)
  }

  keep(file: SnapshotFileName): Promise<void> {
    return this.writer.keep(file)
  }

  writeFile(file: SnapshotFileName, data: Uint8Array): Promise<void> {
    return this.writer.writeFile(file, data)
  }

  async carryOver(file: SnapshotFileName, fromSnapshot: string): Promise<boolean> {
    const source = join(vmDir(this.root, this.vm), fromSnapshot, file)
    const target = join(this.writer.stagingFolder, file)
    try {
      await link(source, target)
      return true
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return false
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK' && code !== 'EOPNOTSUPP')
        throw error
    }

    // No hard links here: a copy (a reflink where the file system can).
    await copyFile(source, this.partialPath(file), constants.COPYFILE_FICLONE)
    await this.keep(file)
    return true
  }

  async commit(manifest: SnapshotManifest): Promise<CommittedSnapshot> {
    // Only the snapshot's own files go in: partial and scratch files are dropped.
    for (const name of await readdir(this.writer.stagingFolder)) {
      if (!(SNAPSHOT_FILES as readonly string[]).includes(name))
        await rm(join(this.writer.stagingFolder, name), {force: true, recursive: true})
    }

    await this.index.beforeCommit(this.vm, this.writer.takenAt)
    const location = await this.writer.commit(manifest)
    const name = basename(location)
    await this.index.afterCommit(this.vm, name, manifest)
    return {localFolder: location, location, name}
  }

  abandon(): Promise<void> {
    return this.writer.abandon()
  }

  async dispose(): Promise<void> {}
}

async function listNames(folder: string): Promise<string[]> {
  try {
    return await readdir(folder)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return []
    throw error
  }
}

/** Sub-folders that are part of the layout (hidden ones — staging, locks — are not). */
async function listFolders(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, {withFileTypes: true})
    return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return []
    throw error
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
