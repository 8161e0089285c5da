/**
 * The index of a folder archive: `<archive>/.bootdiag-index/`. Databases are changed in place inside
 * SQLite transactions (a crash is rolled back from SQLite's journal beside the file); text objects are
 * replaced by rename; journals are appended (O_APPEND). A database is replaced whole by rename.
 *
 * Like the snapshots, the index never goes through a link planted in the archive: each folder of its path
 * is checked (safe-path.ts), and a link where one of its files belongs is refused (ArchiveLinkError).
 */
import {randomBytes} from 'node:crypto'
import type {Dirent} from 'node:fs'
import {constants} from 'node:fs'
import {open, readFile, readdir, rename, rm, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {writeNewFile} from '../durable-file.js'
import {ArchiveLinkError, archiveFolder, entryKind, readArchiveText} from '../safe-path.js'
import {indexScratch} from './scratch.js'
import {INDEX_FOLDER, type IndexObject, type IndexStorage, type LocalDatabase, isIndexObjectName} from './storage.js'

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0
const SUBSCRIPTION_FOLDER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class FolderIndexStorage implements IndexStorage {
  readonly foldThreshold = 1
  readonly location: string

  constructor(private readonly archiveRoot: string) {
    this.location = join(archiveRoot, INDEX_FOLDER)
  }

  private path(name: string): string {
    return join(this.location, ...name.split('/'))
  }

  /** The folder that holds `name`, each level below the archive checked not to be a link; made if missing. */
  private async folderFor(name: string): Promise<void> {
    await archiveFolder(this.archiveRoot, [INDEX_FOLDER, ...name.split('/').slice(0, -1)], {create: true})
  }

  /** `name`'s path, refused when a link (or anything but a file) is there, or in a folder above it. */
  private async filePath(name: string, create: boolean): Promise<string | undefined> {
    const segments = [INDEX_FOLDER, ...name.split('/').slice(0, -1)]
    if (!(await archiveFolder(this.archiveRoot, segments, {create}))) return undefined
    const path = this.path(name)
    const kind = await entryKind(path)
    if (kind === 'link') throw new ArchiveLinkError(path)
    if (kind !== 'file' && kind !== 'missing') throw new ArchiveLinkError(path, 'not a file')
    return path
  }

  async list(): Promise<IndexObject[]> {
    const out: IndexObject[] = []
    const walk = async (folder: string, prefix: string) => {
      let entries: Dirent[]
      try {
        entries = await readdir(folder, {withFileTypes: true})
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
        throw error
      }

      for (const entry of entries) {
        const name = `${prefix}${entry.name}`
        if (entry.isDirectory() && prefix === '' && entry.name === 'adhoc') {
          await walk(join(folder, entry.name), 'adhoc/')
          continue
        }

        if (!entry.isFile() || !isIndexObjectName(name)) continue
        const info = await stat(join(folder, entry.name)).catch(() => undefined)
        if (!info) continue
        out.push({bytes: info.size, modified: info.mtime, name, version: `${info.mtimeMs}:${info.size}`})
      }
    }

    if (!(await archiveFolder(this.archiveRoot, [INDEX_FOLDER], {create: false}))) return out
    await walk(this.location, '')
    return out
  }

  async readText(name: string): Promise<{text: string; version: string} | undefined> {
    try {
      const path = await this.filePath(name, false)
      if (!path) return undefined
      const text = await readArchiveText(path)
      if (text === undefined) return undefined
      const info = await stat(path)
      return {text, version: `${info.mtimeMs}:${info.size}`}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  async writeText(name: string, text: string): Promise<void> {
    const path = this.path(name)
    await this.folderFor(name)
    const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    try {
      await writeNewFile(temp, text)
      await rename(temp, path)
    } catch (error) {
      await rm(temp, {force: true})
      throw error
    }
  }

  async append(name: string, text: string): Promise<void> {
    const path = (await this.filePath(name, true))!
    let handle
    try {
      handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NO_FOLLOW, 0o666)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new ArchiveLinkError(path)
      throw error
    }

    try {
      await handle.appendFile(text)
    } finally {
      await handle.close()
    }
  }

  async remove(name: string, version?: string): Promise<void> {
    const path = this.path(name)
    if (version !== undefined) {
      const info = await stat(path).catch(() => undefined)
      if (!info || `${info.mtimeMs}:${info.size}` !== version) return
    }

    await rm(path, {force: true})
  }

  async databaseForRead(name: string): Promise<LocalDatabase | undefined> {
    const path = await this.filePath(name, false)
    if (!path) return undefined
    const info = await stat(path).catch(() => undefined)
    if (!info?.isFile()) return undefined
    return {existed: true, path, publish: async () => {}, release: async () => {}}
  }

  async databaseForWrite(name: string): Promise<LocalDatabase> {
    const path = (await this.filePath(name, true))!
    const existed = (await stat(path).catch(() => undefined)) !== undefined
    return {existed, path, publish: async () => {}, release: async () => {}}
  }

  async replaceDatabase(name: string, localPath: string): Promise<void> {
    const path = (await this.filePath(name, true))!
    const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    // Across file systems (the scratch folder is elsewhere): copy in beside it first, then one rename.
    await writeNewFile(temp, await readFile(localPath))
    // A rollback journal left by a crashed writer belongs to the old file: it must not be applied to the new one.
    await rm(`${path}-journal`, {force: true})
    await rename(temp, path)
  }

  async setAside(name: string, stamp: string): Promise<void> {
    const path = this.path(name)
    await rename(path, `${path}.damaged-${stamp}`).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    })
    await rm(`${path}-journal`, {force: true})
  }

  async hasSnapshots(): Promise<boolean> {
    let subscriptions: string[]
    try {
      subscriptions = (await readdir(this.archiveRoot)).filter((name) => SUBSCRIPTION_FOLDER.test(name))
    } catch {
      return false
    }

    // One level deep is enough to know: a subscription folder holds resource groups, then VMs.
    for (const subscription of subscriptions) {
      const groups = await readdir(join(this.archiveRoot, subscription)).catch(() => [] as string[])
      for (const group of groups) {
        const vms = await readdir(join(this.archiveRoot, subscription, group)).catch(() => [] as string[])
        for (const vm of vms) {
          const names = await readdir(join(this.archiveRoot, subscription, group, vm)).catch(() => [] as string[])
          if (names.some((n) => /^\d{8}T\d{6}Z(-\d+)?$/.test(n))) return true
        }
      }
    }

    return false
  }

  scratch(): Promise<string> {
    return indexScratch()
  }
}
