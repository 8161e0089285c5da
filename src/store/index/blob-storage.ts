/**
 * The index of a Blob-container archive: the blobs under `<prefix>/.bootdiag-index/`. A database is a
 * block blob, changed on a local copy and uploaded whole with `If-Match: <ETag read>` (`If-None-Match: *`
 * when new), so a write never lands over one it did not see; a journal is an append blob (each append is
 * atomic); a text object is one Put Blob (atomic).
 */
import {rm} from 'node:fs/promises'
import {join} from 'node:path'
import {randomBytes} from 'node:crypto'

import type {ContainerClient} from '@azure/storage-blob'

import {isRestError} from '../../azure/errors.js'
import type {BootdiagError} from '../../errors.js'
import {indexScratch} from './scratch.js'
import {
  INDEX_FOLDER,
  IndexConflictError,
  type IndexObject,
  type IndexStorage,
  type LocalDatabase,
  isIndexObjectName,
} from './storage.js'

/** What the index needs of the container archive (blob-store.ts). */
export interface ContainerArchive {
  readonly location: string
  readonly container: ContainerClient
  blobName(...parts: string[]): string
  ensureContainer(): Promise<void>
  mapError(error: unknown, action: string): BootdiagError
}

/** Journals may stay unfolded up to this many entries (folding downloads and uploads the whole database). */
const BLOB_FOLD_THRESHOLD = 500

export class BlobIndexStorage implements IndexStorage {
  readonly foldThreshold = BLOB_FOLD_THRESHOLD
  readonly location: string
  private readonly prefix: string

  constructor(private readonly archive: ContainerArchive) {
    this.prefix = archive.blobName(INDEX_FOLDER)
    this.location = `${archive.location}/${INDEX_FOLDER}`
  }

  private blob(name: string): string {
    return `${this.prefix}/${name}`
  }

  async list(): Promise<IndexObject[]> {
    const out: IndexObject[] = []
    try {
      for await (const item of this.archive.container.listBlobsFlat({prefix: `${this.prefix}/`})) {
        const name = item.name.slice(this.prefix.length + 1)
        if (!isIndexObjectName(name)) continue
        out.push({
          bytes: item.properties.contentLength ?? 0,
          modified: item.properties.lastModified ?? new Date(0),
          name,
          version: item.properties.etag ?? '',
        })
      }
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return []
      throw this.archive.mapError(error, 'list the archive index')
    }

    return out
  }

  async readText(name: string): Promise<{text: string; version: string} | undefined> {
    try {
      const response = await this.archive.container.getBlobClient(this.blob(name)).download()
      const chunks: Buffer[] = []
      for await (const chunk of response.readableStreamBody ?? [])
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
      return {text: Buffer.concat(chunks).toString('utf8'), version: response.etag ?? ''}
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return undefined
      throw this.archive.mapError(error, 'read the archive index')
    }
  }

  async writeText(name: string, text: string): Promise<void> {
    await this.archive.ensureContainer()
    try {
      await this.archive.container
        .getBlockBlobClient(this.blob(name))
        .upload(text, Buffer.byteLength(text), {blobHTTPHeaders: {blobContentType: 'application/json'}})
    } catch (error) {
      throw this.archive.mapError(error, 'write the archive index')
    }
  }

  async append(name: string, text: string): Promise<void> {
    await this.archive.ensureContainer()
    const blob = this.archive.container.getAppendBlobClient(this.blob(name))
    const body = Buffer.from(text)
    try {
      await blob.appendBlock(body, body.length)
    } catch (error) {
      if (!(isRestError(error) && error.statusCode === 404))
        throw this.archive.mapError(error, 'write the archive index')
      try {
        await blob.createIfNotExists({blobHTTPHeaders: {blobContentType: 'application/x-ndjson'}})
        await blob.appendBlock(body, body.length)
      } catch (second) {
        throw this.archive.mapError(second, 'write the archive index')
      }
    }
  }

  async remove(name: string, version?: string): Promise<void> {
    try {
      await this.archive.container
        .getBlobClient(this.blob(name))
        .deleteIfExists(version ? {conditions: {ifMatch: version}} : {})
    } catch (error) {
      // 412: it changed since it was read, so it is kept
      if (isRestError(error) && (error.statusCode === 412 || error.statusCode === 404)) return
      throw this.archive.mapError(error, 'tidy the archive index')
    }
  }

  async databaseForRead(name: string): Promise<LocalDatabase | undefined> {
    const copy = await this.download(name)
    if (!copy) return undefined
    return {existed: true, path: copy.path, publish: async () => {}, release: () => rm(copy.path, {force: true})}
  }

  async databaseForWrite(name: string): Promise<LocalDatabase> {
    const copy = await this.download(name)
    const path = copy?.path ?? join(await this.scratch(), `${randomBytes(6).toString('hex')}-${name}`)
    return {
      existed: copy !== undefined,
      path,
      publish: async () => {
        await this.archive.ensureContainer()
        try {
          await this.archive.container.getBlockBlobClient(this.blob(name)).uploadFile(path, {
            blobHTTPHeaders: {blobContentType: 'application/vnd.sqlite3'},
            conditions: copy ? {ifMatch: copy.etag} : {ifNoneMatch: '*'},
          })
        } catch (error) {
          if (isRestError(error) && (error.statusCode === 412 || error.statusCode === 409))
            throw new IndexConflictError(name)
          throw this.archive.mapError(error, 'write the archive index')
        }
      },
      release: async () => {
        await rm(path, {force: true})
        await rm(`${path}-journal`, {force: true})
      },
    }
  }

  async replaceDatabase(name: string, localPath: string): Promise<void> {
    await this.archive.ensureContainer()
    try {
      await this.archive.container.getBlockBlobClient(this.blob(name)).uploadFile(localPath, {
        blobHTTPHeaders: {blobContentType: 'application/vnd.sqlite3'},
      })
    } catch (error) {
      throw this.archive.mapError(error, 'write the archive index')
    }
  }

  async setAside(name: string, stamp: string, localCopy?: string): Promise<void> {
    const aside = `${name}.damaged-${stamp}`
    try {
      const target = this.archive.container.getBlockBlobClient(this.blob(aside))
      if (localCopy) await target.uploadFile(localCopy)
      else await target.upload('', 0)
      await this.archive.container.getBlobClient(this.blob(name)).deleteIfExists()
    } catch (error) {
      throw this.archive.mapError(error, 'set a damaged index aside')
    }
  }

  async hasSnapshots(): Promise<boolean> {
    const root = this.archive.blobName()
    const prefix = root ? `${root}/` : ''
    try {
      for await (const page of this.archive.container
        .listBlobsFlat(prefix ? {prefix} : {})
        .byPage({maxPageSize: 500})) {
        for (const item of page.segment.blobItems) {
          const parts = item.name.slice(prefix.length).split('/')
          if (parts.length === 5 && parts[4] === 'snapshot.json' && !parts[0].startsWith('.')) return true
        }
      }
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return false
      throw this.archive.mapError(error, 'list the archive')
    }

    return false
  }

  scratch(): Promise<string> {
    return indexScratch()
  }

  private async download(name: string): Promise<{path: string; etag: string} | undefined> {
    const path = join(await this.scratch(), `${randomBytes(6).toString('hex')}-${name}`)
    try {
      const response = await this.archive.container.getBlobClient(this.blob(name)).downloadToFile(path)
      return {etag: response.etag ?? '', path}
    } catch (error) {
      await rm(path, {force: true})
      if (isRestError(error) && error.statusCode === 404) return undefined
      throw this.archive.mapError(error, 'read the archive index')
    }
  }
}
