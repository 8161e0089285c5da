/**
 * Records every write into the archive in its index. The store calls it around each snapshot commit and
 * deletion (so fetch, analyze -n, the guarded VM operations and archive are all covered), and when an
 * archive run takes and releases its lock:
 *
 * - before a commit, a `begin` line; after it, a `commit` line with the snapshot's record; after a
 *   deletion, a `delete` line — appended to the writer's journal;
 * - a locked writer (a whole-archive run, or one shard's run) folds its journal into its own SQLite file
 *   when it takes the lock (what a killed run left) and when it releases it, and folds the journals of
 *   unlocked processes that have finished (ad hoc journals older than ADHOC_SETTLE_MS);
 * - an unlocked process (fetch, ...) writes only its own ad hoc journal.
 *
 * Nothing here can fail a snapshot: the snapshots are the truth and the index a cache of them. A failure
 * is told once (`warn`) and `bootdiag archive --reindex` rebuilds the index from the snapshots.
 */
import {randomBytes} from 'node:crypto'
import {hostname} from 'node:os'

import {isWriteFailure} from '../../errors.js'
import {type VmLocation, snapshotStamp} from '../layout.js'
import type {SnapshotManifest} from '../manifest.js'
import {DamagedIndexError, IndexDatabase} from './database.js'
import {type JournalEntry, journalLine, parseJournal} from './journal.js'
import {
  type FleetEntry,
  type FleetScope,
  type SnapshotRecord,
  inFleetScope,
  indexVmKey,
  recordOfManifest,
} from './records.js'
import {sqliteAvailable} from './sqlite.js'
import {IndexConflictError, type IndexObject, type IndexStorage, isDatabaseName, isJournalName} from './storage.js'

/** What the index needs of its store. */
export interface IndexHost {
  readonly location: string
  listSnapshots(vm: VmLocation): Promise<string[]>
  readManifest(vm: VmLocation, snapshot: string): Promise<SnapshotManifest | undefined>
  listArchive(): Promise<Array<{vm: VmLocation; snapshots: string[]}>>
}

/** An unlocked process's journal is folded once it has not changed for this long (its process is done). */
export const ADHOC_SETTLE_MS = 10 * 60_000

/** The writer of the whole archive, or of one shard: the name of its objects. */
export function writerName(shard?: {index: number; count: number}): string {
  return shard ? `shard-${shard.index}-of-${shard.count}` : 'archive'
}

export interface FoldReport {
  records: number
  deletions: number
  journals: number
}

export class IndexWriter {
  /** the locked writer this process is (undefined: an unlocked, ad hoc one) */
  private claimed?: string
  private adhocId?: string
  private appending: Promise<void> = Promise.resolve()
  private warned = false

  constructor(
    private readonly storage: IndexStorage,
    private readonly host: IndexHost,
    private readonly warn: (message: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get name(): string | undefined {
    return this.claimed
  }

  private journalName(): string {
    if (this.claimed) return `${this.claimed}.journal`
    this.adhocId ??= `${snapshotStamp(this.now())}-${hostname()
      .replaceAll(/[^A-Za-z0-9-]/g, '_')
      .slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`
    return `adhoc/${this.adhocId}.journal`
  }

  /** This process now holds the lock of `writer` (archive, shard-I-of-N): fold what an earlier run of it left. */
  async claim(writer: string): Promise<void> {
    await this.appending
    this.claimed = writer
    await this.quietly(async () => {
      // The first index of an archive that holds no snapshot yet covers every snapshot from now on (all
      // are journaled): it vouches for the whole archive. Otherwise readers rebuild from the snapshots once.
      const objects = await this.storage.list()
      const first = !objects.some((o) => isDatabaseName(o.name) || isJournalName(o.name))
      if (first) {
        if (!(await this.storage.hasSnapshots()))
          await this.storage.append(this.journalName(), journalLine({at: this.now().toISOString(), op: 'vouch', v: 1}))
        return
      }

      // What an earlier run of this writer left: folded now when it was killed mid-commit (a begin without
      // its commit must be looked up while the snapshots are fresh), else as the threshold says.
      const own = objects.find((o) => o.name === this.journalName())
      if (!own) return
      const entries = parseJournal((await this.storage.readText(own.name))?.text ?? '')
      await this.fold({adhoc: false, force: hasUnfinishedCommit(entries)})
    })
  }

  /** The lock is about to be released: fold this run's journal (and finished ad hoc journals). */
  async releaseClaim(): Promise<void> {
    if (!this.claimed) return
    await this.appending
    await this.quietly(() => this.fold({adhoc: true, force: false}))
    this.claimed = undefined
  }

  async beforeCommit(vm: VmLocation, takenAt: Date): Promise<void> {
    await this.journal({at: this.now().toISOString(), op: 'begin', stamp: snapshotStamp(takenAt), v: 1, vm: plain(vm)})
  }

  async afterCommit(vm: VmLocation, name: string, manifest: SnapshotManifest): Promise<void> {
    let record: SnapshotRecord
    try {
      record = recordOfManifest(vm, name, manifest)
    } catch (error) {
      this.tell(error)
      return
    }

    await this.journal({at: this.now().toISOString(), op: 'commit', record, v: 1})
  }

  async afterDelete(vm: VmLocation, name: string): Promise<void> {
    await this.journal({at: this.now().toISOString(), name, op: 'delete', v: 1, vmKey: indexVmKey(vm)})
  }

  /**
   * The VMs this run listed (boot diagnostics on or off): replaces this writer's earlier listing within
   * the run's scope, keeps the rest; a VM still without boot diagnostics keeps the time it was first seen so.
   */
  async recordFleet(entries: FleetEntry[], scope: FleetScope): Promise<void> {
    if (!this.claimed) return
    const name = `${this.claimed}.fleet.json`
    await this.quietly(async () => {
      const previous = await this.storage.readText(name)
      let kept: FleetEntry[] = []
      if (previous) {
        try {
          kept = (JSON.parse(previous.text) as {vms?: FleetEntry[]}).vms ?? []
        } catch {
          kept = []
        }
      }

      const before = new Map(kept.map((entry) => [entry.vmKey, entry]))
      const fresh = entries.map((entry) => {
        const earlier = before.get(entry.vmKey)
        const disabledSince =
          entry.bootDiagnostics === 'disabled'
            ? earlier?.bootDiagnostics === 'disabled'
              ? (earlier.disabledSince ?? earlier.seenAt)
              : entry.seenAt
            : null
        return {...entry, disabledSince}
      })
      const freshKeys = new Set(fresh.map((entry) => entry.vmKey))
      const vms = [...kept.filter((entry) => !inFleetScope(entry, scope) && !freshKeys.has(entry.vmKey)), ...fresh]
      await this.storage.writeText(name, `${JSON.stringify({updatedAt: this.now().toISOString(), version: 1, vms})}\n`)
    })
  }

  private async journal(entry: JournalEntry): Promise<void> {
    const name = this.journalName()
    const line = journalLine(entry)
    const next = this.appending.then(() => this.quietly(() => this.storage.append(name, line)))
    this.appending = next
    await next
  }

  /**
   * Fold journals into this writer's database: its own journal, and (adhoc) the ad hoc journals that
   * have settled. `force` folds even below the storage's threshold. Journals folded are removed only if
   * unchanged since they were read; folding twice is harmless (records are facts; the union is the same).
   */
  async fold(options: {adhoc: boolean; force: boolean}): Promise<FoldReport> {
    const report: FoldReport = {deletions: 0, journals: 0, records: 0}
    if (!this.claimed || !sqliteAvailable()) return report
    const dbName = `${this.claimed}.sqlite`
    const objects = await this.storage.list()
    const own = objects.find((o) => o.name === `${this.claimed}.journal`)
    const settled = options.adhoc
      ? objects.filter(
          (o) =>
            o.name.startsWith('adhoc/') &&
            isJournalName(o.name) &&
            this.now().getTime() - o.modified.getTime() >= ADHOC_SETTLE_MS,
        )
      : []
    const journals: Array<{object: IndexObject; entries: JournalEntry[]; version: string}> = []
    for (const object of [...(own ? [own] : []), ...settled]) {
      const read = await this.storage.readText(object.name)
      if (read) journals.push({entries: parseJournal(read.text), object, version: read.version})
    }

    const entries = journals.flatMap((j) => j.entries)
    const pending = entries.length
    const hasDatabase = objects.some((o) => o.name === dbName)
    if (pending === 0 && journals.length === 0) return report
    if (!options.force && hasDatabase && settled.length === 0 && pending < this.storage.foldThreshold) return report

    const vouch = entries.find((entry) => entry.op === 'vouch')?.at
    for (let attempt = 0; ; attempt++) {
      try {
        const counts = await this.foldInto(dbName, entries, vouch)
        report.records = counts.records
        report.deletions = counts.deletions
        break
      } catch (error) {
        if (error instanceof IndexConflictError && attempt < 2) continue
        throw error
      }
    }

    for (const journal of journals) await this.storage.remove(journal.object.name, journal.version)
    report.journals = journals.length
    return report
  }

  private async foldInto(
    dbName: string,
    entries: JournalEntry[],
    vouch: string | undefined,
  ): Promise<{records: number; deletions: number}> {
    let local = await this.storage.databaseForWrite(dbName)
    let db: IndexDatabase
    try {
      db = IndexDatabase.open(local.path, {create: true, label: `${this.storage.location}/${dbName}`})
    } catch (error) {
      if (!(error instanceof DamagedIndexError)) {
        await local.release()
        throw error
      }

      this.warn(
        `The archive index ${this.storage.location}/${dbName} is damaged; it is set aside and rebuilt from the snapshots on next use.`,
      )
      await this.storage.setAside(dbName, snapshotStamp(this.now()), local.path)
      await local.release()
      local = await this.storage.databaseForWrite(dbName)
      db = IndexDatabase.open(local.path, {create: true, label: `${this.storage.location}/${dbName}`})
    }

    try {
      const records = new Map<string, SnapshotRecord>()
      const deletions: Array<{vmKey: string; name: string; at: string}> = []
      const begun: Array<{vm: VmLocation; stamp: string}> = []
      for (const entry of entries) {
        if (entry.op === 'commit') records.set(`${entry.record.vmKey} ${entry.record.name}`, entry.record)
        else if (entry.op === 'delete') deletions.push(entry)
        else if (entry.op === 'begin') begun.push(entry)
      }

      // A begin without its commit: the writer was killed between the two. Look at the VM's snapshots.
      for (const {vm, stamp} of begun) {
        const vmKey = indexVmKey(vm)
        const stamped = new RegExp(`^${stamp}(-\\d+)?$`)
        if ([...records.values()].some((r) => r.vmKey === vmKey && stamped.test(r.name))) continue
        for (const name of await this.host.listSnapshots(vm)) {
          if (!stamped.test(name) || records.has(`${vmKey} ${name}`) || db.hasRecord(vmKey, name)) continue
          const manifest = await this.host.readManifest(vm, name)
          if (manifest) records.set(`${vmKey} ${name}`, recordOfManifest(vm, name, manifest))
        }
      }

      const recordedAt = this.now().toISOString()
      db.transaction(() => {
        if (vouch) db.vouch(vouch)
        db.putRecords([...records.values()], recordedAt)
        for (const deletion of deletions) {
          const key = `${deletion.vmKey} ${deletion.name}`
          records.delete(key)
          db.deleteRecord(deletion.vmKey, deletion.name, deletion.at, !db.hasRecord(deletion.vmKey, deletion.name))
        }

        db.refreshSummaries([...records.values()].map((r) => r.vmKey).concat(deletions.map((d) => d.vmKey)))
      })
      db.close()
      await local.publish()
      return {deletions: deletions.length, records: records.size}
    } finally {
      db.close()
      await local.release()
    }
  }

  private async quietly(work: () => Promise<unknown>): Promise<void> {
    try {
      await work()
    } catch (error) {
      // A full disk, a size limit, a read-only archive: the snapshots fail alike and their error says so;
      // what the journal holds stays for the next run to fold. Anything else is told once.
      if (!isWriteFailure(error) && !isSqliteWriteFailure(error)) this.tell(error)
    }
  }

  private tell(error: unknown): void {
    if (this.warned) return
    this.warned = true
    this.warn(
      `The archive index in ${this.storage.location} could not be updated (${(error as Error)?.message?.split('\n')[0] ?? String(error)}); the snapshots are safe, and 'bootdiag archive --reindex' rebuilds the index from them.`,
    )
  }
}

/** SQLite could not write its file: the disk is full, or the file system refused (SQLITE_FULL, SQLITE_IOERR). */
function isSqliteWriteFailure(error: unknown): boolean {
  return /database or disk is full|disk I\/O error|attempt to write a readonly database/i.test(
    (error as Error)?.message ?? '',
  )
}

/** A `begin` with no `commit` of the same VM and stamp after it: the writer was killed in between. */
export function hasUnfinishedCommit(entries: JournalEntry[]): boolean {
  const open = new Set<string>()
  for (const entry of entries) {
    if (entry.op === 'begin') open.add(`${indexVmKey(entry.vm)} ${entry.stamp}`)
    else if (entry.op === 'commit') open.delete(`${entry.record.vmKey} ${entry.record.name.replace(/-\d+$/, '')}`)
  }

  return open.size > 0
}

function plain(vm: VmLocation): VmLocation {
  return {name: vm.name, resourceGroup: vm.resourceGroup, subscriptionId: vm.subscriptionId}
}
