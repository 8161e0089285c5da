/**
 * Writes one snapshot so that it is either complete or absent: every file goes to a temp name in a
 * private staging folder and is renamed when complete and verified; the folder is renamed into place
 * last. An existing snapshot is never touched: a clash in the same second takes the next free suffix.
 * A run killed mid-write leaves only a hidden staging folder, which the next run removes.
 */
import {randomBytes} from 'node:crypto'
import {mkdir, readdir, rename, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {fsyncFolder, writeNewFile} from './durable-file.js'
import {MANIFEST_FILE, type SnapshotFileName, type SnapshotManifest} from './manifest.js'
import {type VmLocation, snapshotStamp, vmSegments} from './layout.js'
import {ArchiveLinkError, archiveFolder, dropEmptyFolders, entryKind} from './safe-path.js'

const STAGING_PREFIX = '.staging-'
const MAX_SAME_SECOND = 1000

export class SnapshotWriter {
  private finished = false

  private constructor(
    private readonly archiveRoot: string,
    private readonly vm: VmLocation,
    /** the VM's folder in the archive */
    readonly vmFolder: string,
    /** the private folder files are written to before the snapshot is committed */
    readonly stagingFolder: string,
    readonly takenAt: Date,
  ) {}

  /** Start a snapshot: the VM's folder (made level by level, no link followed) and a fresh staging folder in it. */
  static async begin(archiveRoot: string, vm: VmLocation, takenAt: Date): Promise<SnapshotWriter> {
    for (let attempt = 1; ; attempt++) {
      const folder = (await archiveFolder(archiveRoot, vmSegments(vm), {create: true}))!
      await removeAbandonedStaging(folder)
      const staging = join(folder, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`)
      try {
        await mkdir(staging)
        return new SnapshotWriter(archiveRoot, vm, folder, staging, takenAt)
      } catch (error) {
        // another run dropped the (then empty) VM folder meanwhile: make it again
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw error
      }
    }
  }

  /** Where to write a file while it is incomplete. */
  partialPath(file: SnapshotFileName): string {
    return join(this.stagingFolder, `${file}.partial`)
  }

  /** The file at partialPath is complete and verified: give it its real name. */
  async keep(file: SnapshotFileName): Promise<void> {
    await rename(this.partialPath(file), join(this.stagingFolder, file))
  }

  /** Write a whole file (derived data such as the PNG) through a temp name. */
  async writeFile(file: SnapshotFileName, data: Uint8Array): Promise<void> {
    await writeNewFile(this.partialPath(file), data)
    await this.keep(file)
  }

  /** Write snapshot.json and move the snapshot into place. Returns the snapshot's folder. */
  async commit(manifest: SnapshotManifest): Promise<string> {
    await writeNewFile(join(this.stagingFolder, `${MANIFEST_FILE}.partial`), `${JSON.stringify(manifest, null, 2)}\n`)
    await rename(join(this.stagingFolder, `${MANIFEST_FILE}.partial`), join(this.stagingFolder, MANIFEST_FILE))
    await fsyncFolder(this.stagingFolder)
    const stamp = snapshotStamp(this.takenAt)
    for (let n = 0; n < MAX_SAME_SECOND; n++) {
      const target = join(this.vmFolder, n === 0 ? stamp : `${stamp}-${n}`)
      try {
        // rename() never replaces a non-empty folder, and every snapshot holds snapshot.json.
        await rename(this.stagingFolder, target)
        this.finished = true
        await fsyncFolder(this.vmFolder)
        return target
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        // a link (or a file) where a snapshot folder would go: never renamed over, never followed
        const kind = code === 'ENOTDIR' || code === 'EEXIST' ? await entryKind(target) : 'folder'
        if (kind === 'link') throw new ArchiveLinkError(target)
        if (kind === 'file' || kind === 'other') throw new ArchiveLinkError(target, 'not a folder')
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EISDIR') throw error
      }
    }

    throw new Error(`more than ${MAX_SAME_SECOND} snapshots of one VM in one second`)
  }

  /** Drop everything written so far (on failure or interruption). Safe to call twice. */
  async abandon(): Promise<void> {
    if (this.finished) return
    this.finished = true
    await rm(this.stagingFolder, {force: true, recursive: true})
    // a VM whose snapshot failed leaves no empty folder (nor empty resource group or subscription folder)
    await dropEmptyFolders(this.archiveRoot, vmSegments(this.vm))
  }
}

/** Staging folders whose process is gone were abandoned (killed run): remove them. */
async function removeAbandonedStaging(folder: string): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(folder)
  } catch {
    return
  }

  for (const entry of entries) {
    if (!entry.startsWith(STAGING_PREFIX)) continue
    const pid = Number(entry.slice(STAGING_PREFIX.length).split('-')[0])
    if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) continue
    await rm(join(folder, entry), {force: true, recursive: true})
  }
}

/** Whether a process with this id runs on this machine (EPERM: it does, as another user). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
