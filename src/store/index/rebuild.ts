/**
 * Rebuild the index from the snapshots themselves (`bootdiag archive --reindex`, or on first use of an
 * archive whose index is missing or damaged): every committed snapshot's snapshot.json is read and
 * recorded in one new database, which then replaces `archive.sqlite` in one step and vouches for every
 * snapshot taken before the rebuild began. Index objects the rebuild covers (journals, other writers'
 * databases, damaged files set aside) are removed — only those unchanged since it began; anything written
 * meanwhile is kept and merged as usual.
 */
import {join} from 'node:path'
import {randomBytes} from 'node:crypto'
import {rm} from 'node:fs/promises'

import {mapWithConcurrency} from '../../util/concurrency.js'
import {IndexDatabase} from './database.js'
import {type SnapshotRecord, recordOfManifest} from './records.js'
import {type IndexStorage, isDatabaseName, isDamagedName, isJournalName} from './storage.js'
import type {IndexHost} from './writer.js'

export const REBUILT_DATABASE = 'archive.sqlite'

export interface RebuildReport {
  vms: number
  snapshots: number
  /** snapshot folders whose snapshot.json could not be read (left out) */
  unreadable: number
  /** index objects the rebuild replaced */
  replaced: number
}

export interface RebuildOptions {
  signal?: AbortSignal
  now?: () => Date
  /** publish as archive.sqlite (needs the archive lock); false: keep it as a private local file */
  publish: boolean
  /** snapshots read so far */
  onProgress?(done: number, total: number): void
}

export interface RebuiltIndex {
  report: RebuildReport
  /** the new database: a local file (the caller removes it when not published) */
  path: string
}

export async function rebuildIndex(
  storage: IndexStorage,
  host: IndexHost,
  options: RebuildOptions,
): Promise<RebuiltIndex> {
  const now = options.now ?? (() => new Date())
  const startedAt = now().toISOString()
  const before = await storage.list()
  const path = join(await storage.scratch(), `rebuild-${randomBytes(6).toString('hex')}.sqlite`)
  const db = IndexDatabase.open(path, {create: true, label: path})
  const report: RebuildReport = {replaced: 0, snapshots: 0, unreadable: 0, vms: 0}
  try {
    const archive = await host.listArchive()
    const total = archive.reduce((sum, entry) => sum + entry.snapshots.length, 0)
    let done = 0
    // VMs in batches: their manifests read 16 at a time, written in one transaction per batch.
    const BATCH = 200
    for (let i = 0; i < archive.length; i += BATCH) {
      options.signal?.throwIfAborted()
      const batch = archive.slice(i, i + BATCH)
      const perVm = await mapWithConcurrency(batch, 16, async ({snapshots, vm}) => {
        const records: SnapshotRecord[] = []
        for (const name of snapshots) {
          options.signal?.throwIfAborted()
          const manifest = await host.readManifest(vm, name)
          if (manifest?.takenAt && manifest.vm) records.push(recordOfManifest(vm, name, manifest))
          else report.unreadable++
        }

        return records
      })
      const records = perVm.flat()
      db.transaction(() => {
        db.putRecords(records, startedAt)
        db.refreshSummaries(records.map((r) => r.vmKey))
      })
      report.snapshots += records.length
      report.vms += perVm.filter((r) => r.length > 0).length
      done += batch.reduce((sum, entry) => sum + entry.snapshots.length, 0)
      options.onProgress?.(done, total)
    }

    db.transaction(() => db.vouch(startedAt))
  } catch (error) {
    db.close()
    await rm(path, {force: true})
    throw error
  }

  db.close()
  if (!options.publish) return {path, report}
  try {
    await storage.replaceDatabase(REBUILT_DATABASE, path)
  } finally {
    await rm(path, {force: true})
  }

  for (const object of before) {
    if (object.name === REBUILT_DATABASE) continue
    if (isDatabaseName(object.name) || isJournalName(object.name) || isDamagedName(object.name)) {
      await storage.remove(object.name, object.version)
      report.replaced++
    }
  }

  return {path: '', report}
}
