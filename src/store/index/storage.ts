/**
 * Where an archive's index lives: the folder `.bootdiag-index/` at the archive's top, in a folder archive
 * or a Blob container alike (folder-storage.ts, blob-storage.ts). Its objects:
 *
 *   <writer>.sqlite      the SQLite index file of one writer (archive, shard-I-of-N), written only by it
 *   <writer>.journal     that writer's write-ahead journal (JSON lines), folded into its .sqlite
 *   <writer>.fleet.json  the VMs that writer's last run listed (boot diagnostics on or off)
 *   adhoc/<id>.journal   the journal of one fetch / analyze -n / guarded operation (a process that holds
 *                        no lock), folded later by an archive run into its own .sqlite
 *   <x>.damaged-<stamp>  an index file found damaged, kept aside (its presence asks for a rebuild)
 *
 * No two writers ever write the same object: writers of the whole archive and of each shard are one at a
 * time (the archive lock, the shard's lock), and every unlocked process writes a journal of its own.
 */
export const INDEX_FOLDER = '.bootdiag-index'

export interface IndexObject {
  /** relative to the index folder, e.g. `archive.sqlite`, `adhoc/20261125T210304Z-host-123-ab12.journal` */
  name: string
  modified: Date
  /** what remove() checks: a folder's mtime and size, a blob's ETag */
  version: string
  bytes: number
}

/** A database file as a local path: the file itself (folder), or a downloaded copy (container). */
export interface LocalDatabase {
  path: string
  /** the object existed before */
  existed: boolean
  /** make the changes visible: nothing to do in a folder; upload the copy (If-Match what was read) from a container */
  publish(): Promise<void>
  /** drop a downloaded copy */
  release(): Promise<void>
}

/** Someone else changed an index object between our read and our write (a container's If-Match failed). */
export class IndexConflictError extends Error {
  constructor(name: string) {
    super(`the index object ${name} was changed by another writer meanwhile`)
    this.name = 'IndexConflictError'
  }
}

export interface IndexStorage {
  /** for messages */
  readonly location: string
  /** the journal entries a writer may keep unfolded at the end of a run (1 in a folder: always fold) */
  readonly foldThreshold: number
  /** every index object (SQLite's own rollback journals beside a database are not objects) */
  list(): Promise<IndexObject[]>
  readText(name: string): Promise<{text: string; version: string} | undefined>
  /** replace (or create) an object atomically */
  writeText(name: string, text: string): Promise<void>
  /** append to a journal (created on first use) */
  append(name: string, text: string): Promise<void>
  /** delete an object, only when it is still the version read (changed since: kept); gone: fine */
  remove(name: string, version?: string): Promise<void>
  /** a database to read, or undefined when there is none */
  databaseForRead(name: string): Promise<LocalDatabase | undefined>
  /** a database to change (a new one when there is none) */
  databaseForWrite(name: string): Promise<LocalDatabase>
  /** the complete database file at `localPath` becomes `name`, in one step */
  replaceDatabase(name: string, localPath: string): Promise<void>
  /** keep a damaged database aside as `<name>.damaged-<stamp>` (from `localCopy` when the object is remote) */
  setAside(name: string, stamp: string, localCopy?: string): Promise<void>
  /** the archive holds at least one committed snapshot */
  hasSnapshots(): Promise<boolean>
  /** a private folder for local copies, removed when the process ends */
  scratch(): Promise<string>
}

/** Objects by kind. */
export function isDatabaseName(name: string): boolean {
  return !name.includes('/') && name.endsWith('.sqlite')
}

export function isJournalName(name: string): boolean {
  return name.endsWith('.journal') && (!name.includes('/') || name.startsWith('adhoc/'))
}

export function isFleetName(name: string): boolean {
  return !name.includes('/') && name.endsWith('.fleet.json')
}

export function isDamagedName(name: string): boolean {
  return /\.damaged-[0-9TZ-]+$/.test(name)
}

/** The objects of the index proper (not SQLite's temporary files, not foreign files). */
export function isIndexObjectName(name: string): boolean {
  return isDatabaseName(name) || isJournalName(name) || isFleetName(name) || isDamagedName(name)
}
