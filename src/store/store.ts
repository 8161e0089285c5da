/**
 * Where snapshots are kept — the *archive store* — behind one interface with two implementations: a
 * folder (local-store.ts) and an Azure Blob Storage container (blob-store.ts). Both use the same layout,
 * `<subscriptionId>/<resourceGroup>/<vmName>/<YYYYMMDDTHHMMSSZ>/`, and keep the same promises:
 * - a snapshot appears complete or not at all: its files are written to a local draft folder first; a
 *   folder commits with one rename, a container uploads snapshot.json last as the commit marker;
 * - an existing snapshot is never overwritten: a name taken in the same second gets -1, -2, ...;
 * - beside each VM's snapshots, `.archive-state.json` (vm-state.ts) is written atomically;
 * - one `archive` run at a time holds the lock (lock.ts: a lock file, or a lease on a lock blob);
 * - every commit and deletion is recorded in the archive's index (index/, `.bootdiag-index/`).
 *
 * `--archive` (env BOOTDIAG_ARCHIVE) names the same store for every command: a folder path, or
 * `https://ACCOUNT.blob.<suffix>/CONTAINER[/PREFIX]` (optionally with a SAS query string); open-store.ts
 * opens the one it names.
 */
import type {ArchiveIndex} from './index/archive-index.js'
import type {VmLocation} from './layout.js'
import type {HeldLock, LockOptions} from './lock.js'
import type {SnapshotFileName, SnapshotManifest} from './manifest.js'

export interface ArchiveStore {
  readonly kind: 'folder' | 'blob'
  /** where it is, for people: the folder, or the container URL (never a SAS) */
  readonly location: string
  /** start a snapshot of a VM; nothing is visible in the store until it is committed */
  beginSnapshot(vm: VmLocation, takenAt: Date): Promise<SnapshotDraft>
  /** the VM's committed snapshots (folder names), oldest first */
  listSnapshots(vm: VmLocation): Promise<string[]>
  /** every VM in the store with its committed snapshots (for retention over the whole archive) */
  listArchive(): Promise<Array<{vm: VmLocation; snapshots: string[]}>>
  /**
   * a committed snapshot's snapshot.json, checked against its schema (manifest.ts parseManifest); undefined
   * when it is gone, unreadable or not valid (`onProblem` is told why)
   */
  readManifest(
    vm: VmLocation,
    snapshot: string,
    onProblem?: (problem: string) => void,
  ): Promise<SnapshotManifest | undefined>
  /**
   * A local path that holds one file of a committed snapshot: the file itself in a folder store, a copy
   * downloaded to `scratchPath` from a container. Undefined when the snapshot or file is gone.
   */
  localFile(vm: VmLocation, snapshot: string, file: SnapshotFileName, scratchPath: string): Promise<string | undefined>
  /** delete a committed snapshot (retention): it stops being a snapshot first, then its files go */
  deleteSnapshot(vm: VmLocation, snapshot: string): Promise<void>
  /** the VM's `.archive-state.json` text, or undefined */
  readState(vm: VmLocation): Promise<string | undefined>
  /** replace the VM's `.archive-state.json` atomically */
  writeState(vm: VmLocation, text: string): Promise<void>
  /** take the archive lock (or the shard's) */
  lock(options: LockOptions): Promise<HeldLock>
  /** where a committed snapshot is, for people */
  snapshotLocation(vm: VmLocation, snapshot: string): string
  /**
   * The archive's index (index/): every commit and deletion is recorded in it, and taking the lock makes
   * this process the index writer of the archive (or the shard). `report`, `history`, `search` read it.
   */
  readonly index: ArchiveIndex
  /**
   * A committed snapshot's file as a stream from byte `start` (a Range read from a container), or
   * undefined when the snapshot or file is gone.
   */
  openFile(
    vm: VmLocation,
    snapshot: string,
    file: SnapshotFileName,
    start?: number,
  ): Promise<AsyncIterable<Uint8Array> | undefined>
}

/** A snapshot being written: files go to a local folder; commit publishes them as one snapshot. */
export interface SnapshotDraft {
  /** the local folder the snapshot's files are written to */
  readonly folder: string
  /** where to write a file while it is incomplete */
  partialPath(file: SnapshotFileName): string
  /** a path in the draft for a temporary file of the caller's (never part of the snapshot) */
  scratchPath(name: string): string
  /** the file at partialPath is complete and verified: give it its real name */
  keep(file: SnapshotFileName): Promise<void>
  /** write a whole file (derived data such as the PNG) */
  writeFile(file: SnapshotFileName, data: Uint8Array): Promise<void>
  /** put a committed snapshot's file, unchanged, into this one (a hard link where possible); false when it is gone */
  carryOver(file: SnapshotFileName, fromSnapshot: string): Promise<boolean>
  /** write snapshot.json and publish the snapshot */
  commit(manifest: SnapshotManifest): Promise<CommittedSnapshot>
  /** drop everything written so far; safe to call twice, and after commit (then a no-op) */
  abandon(): Promise<void>
  /** drop the local copy a container draft keeps after commit (a folder's draft is the snapshot: no-op) */
  dispose(): Promise<void>
}

export interface CommittedSnapshot {
  /** the snapshot's folder name, e.g. 20261125T210304Z */
  name: string
  /** where it is: a folder path, or its URL in the container */
  location: string
  /** a local folder holding its files: the snapshot itself, or (container) a copy kept until dispose() or exit */
  localFolder: string
}
