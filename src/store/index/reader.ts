/**
 * Reading the index: every writer's SQLite file and the journal lines not folded yet, merged. Records
 * are facts about immutable snapshots, so the merge is a union (minus the snapshots deleted); a VM's
 * summary row is used as it is when one file alone knows the VM, and recomputed from its records when
 * several files or journals do. A missing index (an archive written before the index existed), or a
 * damaged one, is rebuilt from the snapshots on use: published when the archive lock can be had, else
 * kept private to this run.
 */
import {rm} from 'node:fs/promises'

import {BootdiagError} from '../../errors.js'
import {DamagedIndexError, IndexDatabase} from './database.js'
import {type JournalEntry, parseJournal} from './journal.js'
import {type FleetEntry, type SnapshotRecord, indexVmKey} from './records.js'
import {type RebuildReport, rebuildIndex} from './rebuild.js'
import {sqliteAvailable} from './sqlite.js'
import {
  type IndexStorage,
  type LocalDatabase,
  isDamagedName,
  isDatabaseName,
  isFleetName,
  isJournalName,
} from './storage.js'
import {type VmSummary, compareSnapshotNames, summariseTimeline} from './timeline.js'
import type {IndexHost} from './writer.js'

export interface IndexReadOptions {
  /** said to the person running bootdiag (stderr) */
  note(message: string): void
  warn(message: string): void
  signal?: AbortSignal
  /** the whole-archive lock, for a rebuild on use (throws when another run holds it) */
  lock(): Promise<{release(): Promise<void>}>
}

interface OpenDatabase {
  name: string
  db: IndexDatabase
  local: LocalDatabase
}

export class IndexView {
  private summaryCache?: VmSummary[]

  private constructor(
    private readonly dbs: OpenDatabase[],
    private readonly commits: Map<string, SnapshotRecord[]>,
    private readonly deleted: Set<string>,
    private readonly fleetEntries: FleetEntry[],
    private readonly cleanup: Array<() => Promise<void>>,
    /** what a rebuild on use did, if one was needed */
    readonly rebuilt?: RebuildReport,
  ) {}

  static async open(storage: IndexStorage, host: IndexHost, options: IndexReadOptions): Promise<IndexView> {
    if (!sqliteAvailable()) {
      throw new BootdiagError(
        `Reading the archive's index needs Node.js 22.13 or later (node:sqlite); this is Node ${process.versions.node}. Run bootdiag with a newer Node.`,
        {code: 'IndexUnavailable'},
      )
    }

    let privateRebuild: {path: string; report: RebuildReport} | undefined
    let published: RebuildReport | undefined
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted()
      const objects = await storage.list()
      const opened: OpenDatabase[] = []
      const damaged = objects.filter((o) => isDamagedName(o.name)).map((o) => o.name)
      for (const object of objects.filter((o) => isDatabaseName(o.name))) {
        const local = await storage.databaseForRead(object.name)
        if (!local) continue
        try {
          const db = openForRead(local.path, `${storage.location}/${object.name}`)
          db.vouches()
          opened.push({db, local, name: object.name})
        } catch (error) {
          await local.release()
          if (!(error instanceof DamagedIndexError)) throw error
          damaged.push(object.name)
        }
      }

      if (privateRebuild) {
        const db = IndexDatabase.open(privateRebuild.path, {label: 'the index rebuilt for this run', readOnly: true})
        const path = privateRebuild.path
        opened.push({
          db,
          local: {existed: true, path, publish: async () => {}, release: () => rm(path, {force: true})},
          name: '(rebuilt)',
        })
      }

      // Journal lines not folded yet (read once; a journal's vouch counts as its database's would).
      const journals: JournalEntry[] = []
      for (const object of objects.filter((o) => isJournalName(o.name)))
        journals.push(...parseJournal((await storage.readText(object.name))?.text ?? ''))
      const vouched = opened.some((o) => o.db.vouches() !== undefined) || journals.some((entry) => entry.op === 'vouch')
      const problem =
        attempt > 0
          ? undefined
          : damaged.length > 0
            ? `damaged (${damaged.join(', ')})`
            : !vouched && (await storage.hasSnapshots())
              ? 'missing or incomplete'
              : undefined
      if (problem) {
        for (const o of opened) {
          o.db.close()
          await o.local.release()
        }

        options.note(`The archive's index is ${problem}; rebuilding it from the snapshots…`)
        let lock: {release(): Promise<void>} | undefined
        try {
          lock = await options.lock()
        } catch {
          lock = undefined
        }

        if (lock) {
          try {
            published = (await rebuildIndex(storage, host, {publish: true, signal: options.signal})).report
          } finally {
            await lock.release()
          }
        } else {
          options.note(
            "Another run holds the archive lock (or the archive is read-only here): the rebuilt index is used for this run only; 'bootdiag archive --reindex' keeps one.",
          )
          privateRebuild = await rebuildIndex(storage, host, {publish: false, signal: options.signal})
        }

        continue
      }

      // Commits and deletions not folded yet, and each database's tombstones.
      const commits = new Map<string, SnapshotRecord[]>()
      const deleted = new Set<string>()
      for (const entry of journals) {
        if (entry.op === 'commit') {
          const list = commits.get(entry.record.vmKey) ?? []
          list.push(entry.record)
          commits.set(entry.record.vmKey, list)
        } else if (entry.op === 'delete') {
          deleted.add(`${entry.vmKey} ${entry.name}`)
          if (!commits.has(entry.vmKey)) commits.set(entry.vmKey, [])
        }
      }

      for (const o of opened) for (const key of o.db.tombstones()) deleted.add(key)
      const fleet = new Map<string, FleetEntry>()
      for (const object of objects.filter((o) => isFleetName(o.name))) {
        const read = await storage.readText(object.name)
        let vms: FleetEntry[] = []
        try {
          vms = (JSON.parse(read?.text ?? '{}') as {vms?: FleetEntry[]}).vms ?? []
        } catch {
          options.warn(`The fleet listing ${storage.location}/${object.name} is unreadable; it is ignored.`)
        }

        for (const entry of vms) {
          const known = fleet.get(entry.vmKey)
          if (!known || known.seenAt < entry.seenAt) fleet.set(entry.vmKey, entry)
        }
      }

      const cleanup = opened.map((o) => async () => {
        o.db.close()
        await o.local.release()
      })
      return new IndexView(opened, commits, deleted, [...fleet.values()], cleanup, published ?? privateRebuild?.report)
    }
  }

  /** Every VM with snapshots: its summary (latest verdict, since when, what changed, the recent snapshots). */
  summaries(): VmSummary[] {
    this.summaryCache ??= [...this.eachSummary()]
    return this.summaryCache
  }

  /**
   * The summaries one at a time, nothing kept (a fleet of 100,000 VMs reads in little memory): a VM one
   * file alone knows comes as that file has it; one that several files or the journals know is recomputed
   * from its records.
   */
  *eachSummary(): Generator<VmSummary> {
    if (this.summaryCache) {
      yield* this.summaryCache
      return
    }

    const exact = new Set<string>([...this.commits.keys(), ...[...this.deleted].map((key) => key.split(' ')[0])])
    if (this.dbs.length > 1) {
      const seen = new Set<string>()
      for (const o of this.dbs)
        for (const key of o.db.summaryKeys()) {
          if (seen.has(key)) exact.add(key)
          seen.add(key)
        }
    }

    for (const o of this.dbs) yield* o.db.eachSummary(exact)
    for (const vmKey of exact) {
      const records = this.records(vmKey)
      if (records.length > 0) yield summariseTimeline(records)
    }
  }

  /** The VMs of this resource group and name, in any subscription (their keys), without reading every summary. */
  vmsNamed(resourceGroup: string, name: string): string[] {
    const suffix = `/${indexVmKey({name, resourceGroup, subscriptionId: 'x'}).split('/').slice(1).join('/')}`
    const keys = new Set<string>()
    for (const o of this.dbs) for (const key of o.db.vmKeysEndingWith(suffix)) keys.add(key)
    for (const key of this.commits.keys()) if (key.endsWith(suffix)) keys.add(key)
    return [...keys].filter((key) => this.records(key).length > 0)
  }

  /** A VM's snapshots, oldest first, from every file and journal. */
  records(vmKey: string): SnapshotRecord[] {
    const byName = new Map<string, SnapshotRecord>()
    for (const o of this.dbs) for (const record of o.db.records(vmKey)) byName.set(record.name, record)
    for (const record of this.commits.get(vmKey) ?? []) byName.set(record.name, record)
    return [...byName.values()]
      .filter((record) => !this.deleted.has(`${vmKey} ${record.name}`))
      .sort((a, b) => compareSnapshotNames(a.name, b.name))
  }

  /** The VMs archive runs listed last (boot diagnostics on or off), one entry per VM (the latest seen). */
  fleet(): FleetEntry[] {
    return this.fleetEntries
  }

  async close(): Promise<void> {
    for (const done of this.cleanup.splice(0)) await done().catch(() => {})
  }
}

/** Read-only where possible; a database left mid-transaction by a killed writer needs a writable open to roll back. */
function openForRead(path: string, label: string): IndexDatabase {
  try {
    return IndexDatabase.open(path, {label, readOnly: true})
  } catch (error) {
    if (error instanceof DamagedIndexError) throw error
    return IndexDatabase.open(path, {label})
  }
}
