/**
 * The archive in a folder (the default): snapshots are written by SnapshotWriter (staging folder, one
 * rename to commit, never overwrite), the state file is replaced by rename, the lock is a lock file, and
 * a file unchanged since the previous snapshot is hard-linked to it (same bytes, no extra space; copied
 * where the file system cannot link). Snapshots are immutable, so a shared inode is never written to.
 */
import {randomBytes} from 'node:crypto'
import type {Dirent} from 'node:fs'
import {constants, copyFile, link, readdir, rename, rm} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {UsageError} from '../errors.js'
import {writeNewFile} from './durable-file.js'
import {ArchiveIndex, claimIndex} from './index/archive-index.js'
import {FolderIndexStorage} from './index/folder-storage.js'
import {type VmLocation, SNAPSHOT_DIR_PATTERN, sortSnapshotNames, vmSegments} from './layout.js'
import {type HeldLock, type LockOptions, acquireFileLock} from './lock.js'
import {
  MANIFEST_FILE,
  SNAPSHOT_FILES,
  type SnapshotFileName,
  type SnapshotManifest,
  manifestOrNothing,
} from './manifest.js'
import {ArchiveLinkError, archiveFolder, entryKind, makeFolder, openArchiveFile, readArchiveText} from './safe-path.js'
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

  /**
   * The VM's folder, every level below the root checked not to be a link (safe-path.ts); made when
   * `create`, else undefined when it does not exist.
   */
  private vmFolder(vm: VmLocation, create: boolean): Promise<string | undefined> {
    return archiveFolder(this.location, vmSegments(vm), {create})
  }

  /** A committed snapshot's folder: the VM's folder checked, and the snapshot's own entry not a link. */
  private async snapshotFolder(vm: VmLocation, snapshot: string): Promise<string | undefined> {
    const folder = await this.vmFolder(vm, false)
    if (!folder) return undefined
    const path = join(folder, snapshot)
    const kind = await entryKind(path)
    if (kind === 'missing') return undefined
    if (kind === 'link') throw new ArchiveLinkError(path)
    if (kind !== 'folder') throw new ArchiveLinkError(path, 'not a folder')
    return path
  }

  async beginSnapshot(vm: VmLocation, takenAt: Date): Promise<SnapshotDraft> {
    return new LocalDraft(this, await SnapshotWriter.begin(this.location, vm, takenAt), vm)
  }

  async listSnapshots(vm: VmLocation): Promise<string[]> {
    const folder = await this.vmFolder(vm, false)
    if (!folder) return []
    const entries = (await listEntries(folder)).filter((entry) => SNAPSHOT_DIR_PATTERN.test(entry.name))
    const committed: string[] = []
    for (const entry of entries) {
      if (entry.isSymbolicLink()) throw new ArchiveLinkError(join(folder, entry.name))
      if (!entry.isDirectory()) continue
      // A committed snapshot holds snapshot.json (rename() moved it in with the rest).
      const manifest = join(folder, entry.name, MANIFEST_FILE)
      const kind = await entryKind(manifest)
      if (kind === 'link') throw new ArchiveLinkError(manifest)
      if (kind === 'file') committed.push(entry.name)
    }

    return sortSnapshotNames(committed)
  }

  async listArchive(): Promise<Array<{vm: VmLocation; snapshots: string[]}>> {
    const out: Array<{vm: VmLocation; snapshots: string[]}> = []
    for (const subscriptionId of await listFolders(this.location)) {
      for (const resourceGroup of await listFolders(join(this.location, subscriptionId))) {
        for (const name of await listFolders(join(this.location, subscriptionId, resourceGroup))) {
          const vm = {name, resourceGroup, subscriptionId}
          // (a VM folder holding a planted link is left as it is: nothing of it is pruned)
          const snapshots = await this.listSnapshots(vm).catch((error: unknown) => {
            if (error instanceof ArchiveLinkError) return []
            throw error
          })
          out.push({snapshots, vm})
        }
      }
    }

    return out
  }

  async readManifest(
    vm: VmLocation,
    snapshot: string,
    onProblem?: (problem: string) => void,
  ): Promise<SnapshotManifest | undefined> {
    const folder = await this.snapshotFolder(vm, snapshot)
    if (!folder) return undefined
    let text: string | undefined
    try {
      text = await readArchiveText(join(folder, MANIFEST_FILE))
    } catch (error) {
      if (error instanceof ArchiveLinkError) throw error
      onProblem?.(`unreadable (${(error as Error).message.split('\n')[0]})`)
      return undefined
    }

    return text === undefined ? undefined : manifestOrNothing(text, onProblem)
  }

  async localFile(vm: VmLocation, snapshot: string, file: SnapshotFileName): Promise<string | undefined> {
    const folder = await this.snapshotFolder(vm, snapshot)
    if (!folder) return undefined
    const path = join(folder, file)
    const kind = await entryKind(path)
    if (kind === 'missing') return undefined
    if (kind === 'link') throw new ArchiveLinkError(path)
    if (kind !== 'file') throw new ArchiveLinkError(path, 'not a file')
    return path
  }

  async openFile(
    vm: VmLocation,
    snapshot: string,
    file: SnapshotFileName,
    start = 0,
  ): Promise<AsyncIterable<Uint8Array> | undefined> {
    // the file and every folder above it checked not to be a link, and opened without following one
    const path = await this.localFile(vm, snapshot, file)
    if (!path) return undefined
    const handle = await openArchiveFile(path)
    return handle.createReadStream({autoClose: true, highWaterMark: 1024 * 1024, start})
  }

  async deleteSnapshot(vm: VmLocation, snapshot: string): Promise<void> {
    const folder = await this.vmFolder(vm, false)
    if (!folder) return
    // Renamed first, so a half-deleted snapshot never looks like a snapshot. (A link is moved and removed
    // itself, never followed: rename and rm do not follow a link they are given.)
    const doomed = join(folder, `.deleting-${snapshot}-${randomBytes(4).toString('hex')}`)
    await rename(join(folder, snapshot), doomed)
    await this.index.afterDelete(vm, snapshot)
    await rm(doomed, {force: true, recursive: true})
  }

  async readState(vm: VmLocation): Promise<string | undefined> {
    const folder = await this.vmFolder(vm, false)
    return folder ? readArchiveText(join(folder, STATE_FILE)) : undefined
  }

  async writeState(vm: VmLocation, text: string): Promise<void> {
    const folder = (await this.vmFolder(vm, true))!
    const temp = join(folder, `${STATE_FILE}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
    try {
      await writeNewFile(temp, text)
      // rename replaces whatever is at the state file's name, a link included, without following it
      await rename(temp, join(folder, STATE_FILE))
    } catch (error) {
      await rm(temp, {force: true})
      throw error
    }
  }

  async lock(options: LockOptions): Promise<HeldLock> {
    await makeFolder(this.location)
    return claimIndex(await acquireFileLock(this.location, options), this.index, options)
  }

  snapshotLocation(vm: VmLocation, snapshot: string): string {
    return join(this.location, ...vmSegments(vm), snapshot)
  }
}

class LocalDraft implements SnapshotDraft {
  constructor(
    private readonly store: LocalArchiveStore,
    private readonly writer: SnapshotWriter,
    private readonly vm: VmLocation,
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
    // never a link: link(2) would put the link itself into the snapshot, copyFile would follow it
    const source = await this.store.localFile(this.vm, fromSnapshot, file)
    if (!source) return false
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

    await this.store.index.beforeCommit(this.vm, this.writer.takenAt)
    const location = await this.writer.commit(manifest)
    const name = basename(location)
    await this.store.index.afterCommit(this.vm, name, manifest)
    return {localFolder: location, location, name}
  }

  abandon(): Promise<void> {
    return this.writer.abandon()
  }

  async dispose(): Promise<void> {}
}

async function listEntries(folder: string): Promise<Dirent[]> {
  try {
    return await readdir(folder, {withFileTypes: true})
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
