/**
 * The archive's index (issue 11): a cache of what the snapshots say — who, when, why, files with sizes
 * and hashes, the verdicts, what changed — that answers `report`, `history` and `search` without reading
 * every snapshot.json. Snapshots stay the truth: the index is written after them, never blocks or fails
 * them, and is rebuilt from them (`archive --reindex`, or on use when missing or damaged).
 *
 * One per store: `writer` records (the store calls it at commit, deletion and lock time), `open()` reads.
 */
import type {VmLocation} from '../layout.js'
import type {HeldLock, LockOptions} from '../lock.js'
import type {SnapshotManifest} from '../manifest.js'
import {type IndexReadOptions, IndexView} from './reader.js'
import {type RebuildOptions, type RebuildReport, rebuildIndex} from './rebuild.js'
import type {IndexStorage} from './storage.js'
import {type IndexHost, IndexWriter, writerName} from './writer.js'

export class ArchiveIndex {
  readonly writer: IndexWriter

  constructor(
    readonly storage: IndexStorage,
    private readonly host: IndexHost,
    warn: (message: string) => void,
  ) {
    this.writer = new IndexWriter(storage, host, warn)
  }

  /** Read the index (merged across writers); rebuilt first when missing or damaged. */
  open(options: IndexReadOptions): Promise<IndexView> {
    return IndexView.open(this.storage, this.host, options)
  }

  /** Rebuild the index from every snapshot.json; the caller holds the archive lock. */
  async reindex(options: Omit<RebuildOptions, 'publish'> = {}): Promise<RebuildReport> {
    return (await rebuildIndex(this.storage, this.host, {...options, publish: true})).report
  }

  beforeCommit(vm: VmLocation, takenAt: Date): Promise<void> {
    return this.writer.beforeCommit(vm, takenAt)
  }

  afterCommit(vm: VmLocation, name: string, manifest: SnapshotManifest): Promise<void> {
    return this.writer.afterCommit(vm, name, manifest)
  }

  afterDelete(vm: VmLocation, name: string): Promise<void> {
    return this.writer.afterDelete(vm, name)
  }
}

/**
 * The archive lock makes this process the index writer of the archive (or of the shard): it folds what an
 * earlier run of that writer left, and folds its own journal before the lock goes.
 */
export async function claimIndex(held: HeldLock, index: ArchiveIndex, options: LockOptions): Promise<HeldLock> {
  await index.writer.claim(writerName(options.shard))
  return {
    holder: held.holder,
    async release() {
      try {
        await index.writer.releaseClaim()
      } finally {
        await held.release()
      }
    },
  }
}
