/**
 * Node's built-in SQLite (`node:sqlite`, Node ≥ 22.13 without a flag), loaded on first use through
 * `process.getBuiltinModule` so that a Node without it (20, or an early 22) still runs every other
 * command: writers then keep only their journals, and the commands that read the index say what they
 * need. Its one-time ExperimentalWarning ("SQLite is an experimental feature") is not shown to users;
 * every other warning still is.
 */
import type * as Sqlite from 'node:sqlite'

export type DatabaseSync = Sqlite.DatabaseSync
export type StatementSync = Sqlite.StatementSync

let loaded: typeof Sqlite | null | undefined

/** The node:sqlite module, or null when this Node has none. */
export function sqliteModule(): typeof Sqlite | null {
  if (loaded !== undefined) return loaded
  const original = Reflect.get(process, 'emitWarning') as (...args: unknown[]) => void
  const filtered = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    if (isSqliteExperimentalWarning(warning, rest[0])) return
    Reflect.apply(original, this, [warning, ...rest])
  }
  Reflect.set(process, 'emitWarning', filtered)
  try {
    loaded = process.getBuiltinModule?.('node:sqlite') ?? null
  } catch {
    loaded = null
  } finally {
    Reflect.set(process, 'emitWarning', original)
  }

  return loaded
}

/** Exactly the warning node:sqlite emits when it loads: ExperimentalWarning, naming SQLite. */
export function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const type =
    typeof typeOrOptions === 'string'
      ? typeOrOptions
      : typeof typeOrOptions === 'object' && typeOrOptions !== null
        ? (typeOrOptions as {type?: unknown}).type
        : undefined
  const name = typeof warning === 'string' ? type : (warning.name ?? type)
  const message = typeof warning === 'string' ? warning : warning.message
  return (name === 'ExperimentalWarning' || type === 'ExperimentalWarning') && /\bSQLite\b/i.test(message)
}

export function sqliteAvailable(): boolean {
  return sqliteModule() !== null
}

/** Open (or create) a database file; a busy database is waited for (another process in a transaction). */
export function openDatabase(path: string, options: {readOnly?: boolean} = {}): DatabaseSync {
  const sqlite = sqliteModule()
  if (!sqlite) throw new Error('node:sqlite is not available in this Node')
  const db = new sqlite.DatabaseSync(path, {readOnly: options.readOnly === true})
  try {
    db.exec('PRAGMA busy_timeout = 10000')
    if (!options.readOnly) {
      // A rollback journal beside the file (never WAL: it needs shared memory, which network file systems
      // and read-only readers lack); every transaction reaches the disk before it counts.
      db.exec('PRAGMA journal_mode = DELETE')
      db.exec('PRAGMA synchronous = FULL')
    }
  } catch (error) {
    db.close()
    throw error
  }

  return db
}

/** SQLite's answers that mean the file is not a (sound) database: damaged, truncated, or something else. */
export function isDamagedDatabaseError(error: unknown): boolean {
  const text = `${(error as {code?: string})?.code ?? ''} ${(error as Error)?.message ?? ''}`
  return /SQLITE_(CORRUPT|NOTADB)|malformed|not a database|file is not a database|disk image/i.test(text)
}
