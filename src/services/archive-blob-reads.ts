/**
 * The reads `archive` makes of boot diagnostics blobs, each ONE request in the usual case:
 * - "changed since?": GET with `If-None-Match: <ETag of last time>` → 304, no body, nothing downloaded;
 * - "what is new?": the same GET with `x-ms-range: bytes=<offset>-` → 206 with only the bytes from the
 *   offset on (the caller checks the overlap it asked for really matches what it kept);
 * - a plain full GET.
 * A body that breaks after the headers is resumed from the last byte received, pinned to the ETag of the
 * first answer (If-Match), as fetch does (azure/blob-download.ts); a blob replaced meanwhile starts over.
 * The body is hashed as it streams (SHA-256, and MD5 checked against Content-MD5 when the service sends it).
 */
import {createHash, type Hash} from 'node:crypto'
import {type FileHandle, open} from 'node:fs/promises'

import type {BlobClient, BlobDownloadResponseParsed} from '@azure/storage-blob'

import {isRestError} from '../azure/errors.js'
import {BootdiagError} from '../errors.js'

export interface BlobReadOptions {
  /** the first byte wanted (default 0: the whole blob, no Range header) */
  offset?: number
  /** only if the blob's ETag is no longer this one (304 otherwise) */
  ifNoneMatch?: string
  signal?: AbortSignal
  /** body breaks survived before giving up */
  attempts?: number
  /** no byte for this long = a stalled transfer, resumed like a broken one */
  stallTimeoutMs?: number
}

export type BlobRead =
  /** 304: the ETag is still If-None-Match's */
  | {status: 'not-modified'; received: 0}
  /** 404: no such blob (yet) */
  | {status: 'missing'; received: 0}
  /** 416: the blob is shorter than the offset asked for */
  | {status: 'out-of-range'; received: 0}
  | ({status: 'read'} & BlobBody)

export interface BlobBody {
  /** the offset of the first byte written to the file (0 when the service sent the whole blob) */
  start: number
  /** the blob's full length */
  total: number
  /** bytes written to the file (total - start) */
  bytes: number
  /** body bytes received over the wire, counting attempts that broke */
  received: number
  /** SHA-256 (hex) of the bytes written */
  sha256: string
  /** MD5 (base64) of the bytes written */
  md5: string
  /** in the file: the length up to the last non-NUL byte (page blobs pad with NULs) */
  contentBytes: number
  etag: string | null
  lastModified: string | null
  createdOn: string | null
  /** the whole blob's MD5 (base64) as stored with it (x-ms-blob-content-md5), when it has one */
  blobContentMd5?: string
  /** the Content-MD5 of a whole-blob answer, which was checked against the bytes */
  contentMd5?: string
}

/**
 * Read a blob (or its tail from `offset`) into a new file at `path` — a path, or a function that gives it
 * once there is a body to write (so a 304 or a 404 creates nothing).
 */
export async function readBlob(blob: BlobClient, path: string | (() => Promise<string>), options: BlobReadOptions = {}): Promise<BlobRead> {
  const target = typeof path === 'string' ? async () => path : path
  const attempts = options.attempts ?? 6
  const offset = options.offset ?? 0
  let file: FileHandle | undefined
  const wire = {received: 0}
  try {
    let state = fresh(offset)
    for (let attempt = 1; ; attempt++) {
      let response: BlobDownloadResponseParsed
      const resuming = state.bytes > 0
      try {
        response = await blob.download(state.start + state.bytes, undefined, {
          abortSignal: options.signal,
          conditions: resuming ? (state.etag ? {ifMatch: state.etag} : undefined) : options.ifNoneMatch ? {ifNoneMatch: options.ifNoneMatch} : undefined,
          // resumes are done here, where a stall or a replaced blob can be handled too
          maxRetryRequests: 0,
        })
      } catch (error) {
        if (isRestError(error) && !resuming) {
          if (error.statusCode === 304) return {received: 0, status: 'not-modified'}
          if (error.statusCode === 404) return {received: 0, status: 'missing'}
          if (error.statusCode === 416) return {received: 0, status: 'out-of-range'}
        }

        if (isRestError(error) && error.statusCode === 412 && attempt < attempts) {
          // The blob changed under us: start over.
          await file?.truncate(0)
          state = fresh(offset)
          continue
        }

        throw error
      }

      if (resuming) {
        if (!response.contentRange?.startsWith(`bytes ${state.start + state.bytes}-`)) {
          discard(response.readableStreamBody)
          await file?.truncate(0)
          state = fresh(offset)
          continue
        }
      } else {
        // The first answer fixes what is read: 206 from the offset, or 200 with the whole blob.
        const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.contentRange ?? '')
        state.start = range ? Number(range[1]) : 0
        state.total = range ? Number(range[3]) : (response.contentLength ?? 0)
        state.etag = response.etag ?? null
        state.lastModified = response.lastModified?.toISOString() ?? null
        state.createdOn = response.createdOn?.toISOString() ?? null
        state.blobContentMd5 = response.blobContentMD5 ? Buffer.from(response.blobContentMD5).toString('base64') : undefined
        state.contentMd5 = !range && response.contentMD5 ? Buffer.from(response.contentMD5).toString('base64') : undefined
      }

      // The body is read at once (a connection that breaks while the file is being opened keeps what came).
      const ensureFile = async () => {
        file ??= await open(await target(), 'wx')
        return file
      }

      let broken: unknown
      try {
        if (response.readableStreamBody) await copyBody(response.readableStreamBody, ensureFile, state, wire, options)
      } catch (error) {
        if (options.signal?.aborted) throw error
        broken = error
      }

      const wanted = state.total - state.start
      if (state.bytes === wanted) break
      if (state.bytes > wanted) throw new BootdiagError(`Download corrupt: received ${state.bytes} bytes where ${wanted} were expected; nothing was kept. Run again.`, {code: 'LongDownload'})
      if (attempt >= attempts) {
        const why = broken instanceof Error ? ` (${broken.message.split('\n')[0]})` : ''
        throw new BootdiagError(`Download incomplete after ${attempts} attempts: received ${state.bytes} of ${wanted} bytes${why}; nothing was kept. Run again.`, {
          cause: broken,
          code: 'ShortDownload',
        })
      }
    }

    const md5 = state.md5.digest('base64')
    if (state.contentMd5 && state.contentMd5 !== md5) {
      throw new BootdiagError(`Download corrupt: MD5 ${md5} does not match the blob's ${state.contentMd5}; nothing was kept. Run again.`, {code: 'ChecksumMismatch'})
    }

    file ??= await open(await target(), 'wx')
    await file.sync()
    return {
      bytes: state.bytes,
      contentBytes: state.contentBytes,
      createdOn: state.createdOn,
      etag: state.etag,
      lastModified: state.lastModified,
      md5,
      received: wire.received,
      sha256: state.sha256.digest('hex'),
      start: state.start,
      status: 'read',
      total: state.total,
      ...(state.blobContentMd5 ? {blobContentMd5: state.blobContentMd5} : {}),
      ...(state.contentMd5 ? {contentMd5: state.contentMd5} : {}),
    }
  } finally {
    await file?.close()
  }
}

interface ReadState {
  start: number
  total: number
  bytes: number
  contentBytes: number
  etag: string | null
  lastModified: string | null
  createdOn: string | null
  blobContentMd5?: string
  contentMd5?: string
  sha256: Hash
  md5: Hash
}

function fresh(offset: number): ReadState {
  return {bytes: 0, contentBytes: 0, createdOn: null, etag: null, lastModified: null, md5: createHash('md5'), sha256: createHash('sha256'), start: offset, total: 0}
}

function discard(body: NodeJS.ReadableStream | undefined): void {
  const stream = body as (NodeJS.ReadableStream & {destroy?: () => void}) | undefined
  stream?.on('error', () => {})
  stream?.destroy?.()
}

/** Append the body to the file, hashing and counting; a silent body is destroyed after stallTimeoutMs. */
async function copyBody(body: NodeJS.ReadableStream, ensureFile: () => Promise<FileHandle>, state: ReadState, wire: {received: number}, options: BlobReadOptions): Promise<void> {
  const stream = body as NodeJS.ReadableStream & {destroy?: (error?: Error) => void}
  const stallMs = options.stallTimeoutMs ?? 120_000
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => stream.destroy?.(new Error(`no data for ${Math.round(stallMs / 1000)} s`)), stallMs)
    timer.unref()
  }

  stream.on('error', () => {})
  arm()
  try {
    for await (const chunk of stream) {
      arm()
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
      const file = await ensureFile()
      await file.write(data, 0, data.length, state.bytes)
      const last = lastNonNul(data)
      if (last >= 0) state.contentBytes = state.bytes + last + 1
      state.bytes += data.length
      wire.received += data.length
      state.sha256.update(data)
      state.md5.update(data)
    }
  } finally {
    clearTimeout(timer)
  }
}

/** Index of the last byte that is not NUL, or -1. */
export function lastNonNul(data: Uint8Array): number {
  for (let i = data.length - 1; i >= 0; i--) if (data[i] !== 0) return i
  return -1
}
