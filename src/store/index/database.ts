/**
 * One index file: a SQLite database of snapshot records, tombstones of deleted snapshots, and a summary
 * row per VM (what `report` reads). A writer changes it only inside transactions, so a crash leaves it as
 * it was before or after, never between (SQLite's rollback journal); a file that is not a sound database
 * of this schema is "damaged" (DamagedIndexError) and rebuilt from the snapshots, never trusted.
 */
import {type DatabaseSync, type StatementSync, isDamagedDatabaseError, openDatabase} from './sqlite.js'
import type {SnapshotRecord} from './records.js'
import {type VmSummary, compareSnapshotNames, summariseTimeline} from './timeline.js'

export const INDEX_SCHEMA_VERSION = '1'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
  vm_key TEXT NOT NULL, name TEXT NOT NULL, taken_at TEXT NOT NULL,
  subscription_id TEXT NOT NULL, resource_group TEXT NOT NULL, vm_name TEXT NOT NULL, resource_id TEXT NOT NULL,
  vm_id TEXT, vmss TEXT, instance_id TEXT, reason TEXT NOT NULL,
  outcome TEXT, last_stage TEXT, summary TEXT, signature TEXT, screen TEXT,
  log_bytes INTEGER, log_sha256 TEXT, log_continues TEXT, log_continues_bytes INTEGER, log_carried_from TEXT,
  shot_bytes INTEGER, shot_sha256 TEXT, png_bytes INTEGER, png_sha256 TEXT,
  bytes INTEGER NOT NULL, recorded_at TEXT NOT NULL,
  PRIMARY KEY (vm_key, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS snapshots_by_time ON snapshots (taken_at);
CREATE TABLE IF NOT EXISTS deleted (
  vm_key TEXT NOT NULL, name TEXT NOT NULL, deleted_at TEXT NOT NULL, PRIMARY KEY (vm_key, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vms (
  vm_key TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, resource_group TEXT NOT NULL, latest_at TEXT NOT NULL,
  summary TEXT NOT NULL
) WITHOUT ROWID;
`

/** The file is not a sound index of this schema (damaged, truncated, another program's, another version). */
export class DamagedIndexError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    options?: {cause?: unknown},
  ) {
    super(`the index ${file} is damaged (${reason})`, options)
    this.name = 'DamagedIndexError'
  }
}

type Row = Record<string, string | number | bigint | null | Uint8Array>

export class IndexDatabase {
  private readonly statements = new Map<string, StatementSync>()

  private constructor(
    private readonly db: DatabaseSync,
    readonly file: string,
  ) {}

  /**
   * Open an index file: `create` makes the schema in a new (or empty) file; otherwise the file must
   * already be an index of this version. Anything else is a DamagedIndexError.
   */
  static open(path: string, options: {readOnly?: boolean; create?: boolean; label?: string} = {}): IndexDatabase {
    const label = options.label ?? path
    let db: DatabaseSync
    try {
      db = openDatabase(path, {readOnly: options.readOnly})
    } catch (error) {
      throw asDamaged(error, label)
    }

    const index = new IndexDatabase(db, label)
    try {
      const hasMeta = db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get()
      if (!hasMeta) {
        const empty = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as {n: number}
        if (!options.create || empty.n > 0) throw new DamagedIndexError(label, 'not a bootdiag index')
        db.exec('BEGIN')
        db.exec(SCHEMA)
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', INDEX_SCHEMA_VERSION)
        db.exec('COMMIT')
      }

      const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as {value?: string} | undefined
      if (version?.value !== INDEX_SCHEMA_VERSION)
        throw new DamagedIndexError(label, `schema ${version?.value ?? 'none'}, not ${INDEX_SCHEMA_VERSION}`)
      return index
    } catch (error) {
      index.close()
      throw asDamaged(error, label)
    }
  }

  close(): void {
    try {
      if (this.db.isOpen) this.db.close()
    } catch {
      // already closed
    }
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }

    return statement
  }

  /** Run `work` in one transaction (all of it or nothing). */
  transaction<T>(work: () => T): T {
    try {
      this.db.exec('BEGIN IMMEDIATE')
    } catch (error) {
      throw asDamaged(error, this.file)
    }

    try {
      const result = work()
      this.db.exec('COMMIT')
      return result
    } catch (error) {
      try {
        this.db.exec('ROLLBACK')
      } catch {
        // nothing to roll back
      }

      throw asDamaged(error, this.file)
    }
  }

  /** Add or replace snapshot records (idempotent: a record is a fact about an immutable snapshot). */
  putRecords(records: readonly SnapshotRecord[], recordedAt: string): void {
    const insert = this.statement(
      `INSERT OR REPLACE INTO snapshots VALUES (${Array.from({length: 27}, () => '?').join(', ')})`,
    )
    const undelete = this.statement('DELETE FROM deleted WHERE vm_key = ? AND name = ?')
    for (const r of records) {
      insert.run(
        r.vmKey,
        r.name,
        r.takenAt,
        r.subscriptionId,
        r.resourceGroup,
        r.vmName,
        r.resourceId,
        r.vmId,
        r.vmss,
        r.instanceId,
        r.reason,
        r.outcome,
        r.lastStage,
        r.summary,
        r.signature,
        r.screen === null || r.screen === undefined ? null : JSON.stringify(r.screen),
        r.log?.bytes ?? null,
        r.log?.sha256 ?? null,
        r.log?.continues?.snapshot ?? null,
        r.log?.continues?.bytes ?? null,
        r.log?.carriedFrom ?? null,
        r.screenshot?.bytes ?? null,
        r.screenshot?.sha256 ?? null,
        r.png?.bytes ?? null,
        r.png?.sha256 ?? null,
        r.bytes,
        recordedAt,
      )
      undelete.run(r.vmKey, r.name)
    }
  }

  /** A snapshot was deleted: its record goes; a tombstone stays when another index may still hold it. */
  deleteRecord(vmKey: string, name: string, deletedAt: string, tombstone: boolean): void {
    this.statement('DELETE FROM snapshots WHERE vm_key = ? AND name = ?').run(vmKey, name)
    if (tombstone)
      this.statement('INSERT OR REPLACE INTO deleted (vm_key, name, deleted_at) VALUES (?, ?, ?)').run(
        vmKey,
        name,
        deletedAt,
      )
  }

  /** This file holds every snapshot of the archive taken before `at` (a rebuild, or the first index of an empty archive). */
  vouch(at: string): void {
    this.statement("INSERT OR REPLACE INTO meta (key, value) VALUES ('complete-before', ?)").run(at)
  }

  /** When this file vouches for the whole archive up to, or undefined. */
  vouches(): string | undefined {
    try {
      const row = this.statement("SELECT value FROM meta WHERE key = 'complete-before'").get() as
        {value?: string} | undefined
      return row?.value
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  hasRecord(vmKey: string, name: string): boolean {
    return (
      this.statement('SELECT 1 AS found FROM snapshots WHERE vm_key = ? AND name = ?').get(vmKey, name) !== undefined
    )
  }

  /** Recompute the summary row of these VMs from their records here (none left: the row goes). */
  refreshSummaries(vmKeys: Iterable<string>): void {
    const put = this.statement(
      'INSERT OR REPLACE INTO vms (vm_key, subscription_id, resource_group, latest_at, summary) VALUES (?, ?, ?, ?, ?)',
    )
    const drop = this.statement('DELETE FROM vms WHERE vm_key = ?')
    for (const vmKey of new Set(vmKeys)) {
      const records = this.records(vmKey)
      if (records.length === 0) {
        drop.run(vmKey)
        continue
      }

      const summary = summariseTimeline(records)
      put.run(
        vmKey,
        summary.subscriptionId,
        summary.resourceGroup.toLowerCase(),
        summary.latestAt,
        JSON.stringify(summary),
      )
    }
  }

  /** Every VM summary in this file. */
  summaries(): VmSummary[] {
    try {
      return this.statement('SELECT summary FROM vms')
        .all()
        .map((row) => JSON.parse(String(row.summary)) as VmSummary)
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  /** Every VM summary in this file, one at a time (nothing kept), skipping the VMs `skip` names. */
  *eachSummary(skip: ReadonlySet<string>): Generator<VmSummary> {
    try {
      for (const row of this.statement('SELECT vm_key, summary FROM vms').iterate()) {
        if (skip.has(String(row.vm_key))) continue
        yield JSON.parse(String(row.summary)) as VmSummary
      }
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  /** The VMs here named so (`<subscription>/<group>/<name>` keys ending in `/<group>/<name>`, lower-case). */
  vmKeysEndingWith(suffix: string): string[] {
    try {
      return this.statement("SELECT vm_key FROM vms WHERE vm_key LIKE ? ESCAPE '\\'")
        .all(`%${suffix.replaceAll(/[\\%_]/g, '\\$&')}`)
        .map((row) => String(row.vm_key))
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  /** The VMs with a summary row here. */
  summaryKeys(): string[] {
    try {
      return this.statement('SELECT vm_key FROM vms')
        .all()
        .map((row) => String(row.vm_key))
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  /** A VM's records here, oldest first. */
  records(vmKey: string): SnapshotRecord[] {
    try {
      return this.statement('SELECT * FROM snapshots WHERE vm_key = ?')
        .all(vmKey)
        .map((row) => recordOfRow(row as Row))
        .sort((a, b) => compareSnapshotNames(a.name, b.name))
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  /** Every record here (reindex checks, tests). */
  allRecords(): SnapshotRecord[] {
    try {
      return this.statement('SELECT * FROM snapshots ORDER BY vm_key')
        .all()
        .map((row) => recordOfRow(row as Row))
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  /** The tombstones here, as `vmKey snapshot` keys. */
  tombstones(): Set<string> {
    try {
      return new Set(
        this.statement('SELECT vm_key, name FROM deleted')
          .all()
          .map((row) => `${String(row.vm_key)} ${String(row.name)}`),
      )
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  /** Every VM key with records here. */
  vmKeys(): string[] {
    try {
      return this.statement('SELECT DISTINCT vm_key FROM snapshots')
        .all()
        .map((row) => String(row.vm_key))
    } catch (error) {
      throw asDamaged(error, this.file)
    }
  }

  count(): number {
    return Number((this.statement('SELECT count(*) AS n FROM snapshots').get() as {n: number}).n)
  }
}

function text(value: Row[string]): string | null {
  return value === null || value === undefined ? null : String(value)
}

function num(value: Row[string]): number | null {
  return value === null || value === undefined ? null : Number(value)
}

function recordOfRow(row: Row): SnapshotRecord {
  const logSha = text(row.log_sha256)
  const shotSha = text(row.shot_sha256)
  const pngSha = text(row.png_sha256)
  const continues = text(row.log_continues)
  const screen = text(row.screen)
  return {
    bytes: num(row.bytes) ?? 0,
    instanceId: text(row.instance_id),
    lastStage: text(row.last_stage),
    log: logSha
      ? {
          bytes: num(row.log_bytes) ?? 0,
          carriedFrom: text(row.log_carried_from),
          continues: continues ? {bytes: num(row.log_continues_bytes) ?? 0, snapshot: continues} : null,
          sha256: logSha,
        }
      : null,
    name: String(row.name),
    outcome: text(row.outcome),
    png: pngSha ? {bytes: num(row.png_bytes) ?? 0, sha256: pngSha} : null,
    reason: String(row.reason),
    resourceGroup: String(row.resource_group),
    resourceId: String(row.resource_id),
    screen: screen ? (JSON.parse(screen) as unknown) : null,
    screenshot: shotSha ? {bytes: num(row.shot_bytes) ?? 0, sha256: shotSha} : null,
    signature: text(row.signature),
    subscriptionId: String(row.subscription_id),
    summary: text(row.summary),
    takenAt: String(row.taken_at),
    vmId: text(row.vm_id),
    vmKey: String(row.vm_key),
    vmName: String(row.vm_name),
    vmss: text(row.vmss),
  }
}

function asDamaged(error: unknown, file: string): unknown {
  if (error instanceof DamagedIndexError) return error
  if (isDamagedDatabaseError(error) || error instanceof SyntaxError || /no such (table|column)/i.test(String(error)))
    return new DamagedIndexError(file, (error as Error).message.split('\n')[0], {cause: error})
  return error
}
