/**
 * The one reader of boot diagnostics blobs (fetch, archive and the guarded VM operations all read through
 * it): a blob, or its tail from an offset, into a new file, byte-exact, hashed as it streams.
 *
 * One request in the usual case, and it can be conditional:
 * - "changed since?": `If-None-Match: <ETag of last time>` → 304, no body, no file;
 * - "what is new?": `x-ms-range: bytes=<offset>-` → 206 with only the bytes from the offset on;
 * - a plain GET of the whole blob.
 *
 * The storage SDK retries a request that fails before its answer arrives (500, 503, a reset before the
 * headers), but not a body that breaks after the headers came (a reset connection, a body cut short, a
 * stalled transfer: a stream error, not a failed request), and not a 429. Both are handled here:
 * - a broken or stalled body is resumed from the last byte received, with a Range read pinned to the
 *   ETag of the first answer (If-Match), so a blob replaced mid-download is never stitched together; a
 *   replaced blob (412), or a resume answered with other bytes than asked for, starts over;
 * - a 429 is retried after its Retry-After (at most 60 s);
 * all within `attempts` requests. A file that cannot be written (a full disk, a read-only folder, a size
 * limit) is not a broken body: its error is thrown at once, as it is. Every write is checked to be whole
 * (a short write is written again, so the kernel's error surfaces instead of a file that is too short).
 *
 * What is kept is verified before the caller may keep it: its length against the answer's (Content-Range
 * for a ranged read — the blob's total size — else Content-Length), and its MD5 against the MD5 the
 * service sent, where it sent one (Content-MD5, or for a whole blob x-ms-blob-content-md5). A mismatch
 * is an error; a read that fails for any reason removes the file it created.
 *
 * CRC64 is not asked for (`rangeGetContentCrc64`, or the structured-message download): Azure computes it
 * only per range of at most 4 MiB, so a serial log of up to 1 GB would cost up to 256 requests instead of
 * one; TLS already authenticates every byte in transit (a flipped bit fails the connection, it does not
 * reach the file); the failures that do happen — a body that breaks or ends early, a blob that changes
 * mid-download — are caught by the length checks and the ETag pin; and Azurite implements neither, so it
 * could not be tested here.
 */
import {createHash, type Hash} from 'node:crypto'
import {type FileHandle, open, rm} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'

import type {BlobClient, BlobDownloadResponseParsed} from '@azure/storage-blob'

import {BootdiagError} from '../errors.js'
import {writeFully} from '../util/write-fully.js'
import {type RestErrorLike, isRestError} from './errors.js'

/** Why a blob that has no body yet is missing: said in snapshot.json and by fetch. */
export const NOT_WRITTEN_YET = 'not written yet (the blob does not exist; Azure can take a few minutes after a boot)'

/** Requests per read, counting resumes, restarts and throttled answers. */
export const DEFAULT_ATTEMPTS = 6
/** The longest Retry-After of a 429 that is waited out. */
const MAX_RETRY_AFTER_MS = 60_000

export interface BlobReadOptions {
  /** the first byte wanted (default 0: the whole blob, no Range header) */
  offset?: number
  /** only if the blob's ETag is no longer this one (304 otherwise) */
  ifNoneMatch?: string
  signal?: AbortSignal
  /** requests made before giving up (body breaks, restarts and 429s count) */
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
  /** the MD5 (base64) the service sent for exactly the bytes written, which matched them */
  contentMd5?: string
}

/**
 * Read a blob (or its tail from `offset`) into a new file at `path` — a path, or a function that gives it
 * once there is a body to write (so a 304 or a 404 creates nothing). The file is created exclusively.
 */
export async function readBlob(
  blob: BlobClient,
  path: string | (() => Promise<string>),
  options: BlobReadOptions = {},
): Promise<BlobRead> {
  const target = typeof path === 'string' ? async () => path : path
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS
  const offset = options.offset ?? 0
  let file: FileHandle | undefined
  let created: string | undefined
  const ensureFile = async () => {
    if (!file) {
      const where = await target()
      file = await open(where, 'wx')
      created = where
    }

    return file
  }

  const wire = {received: 0}
  try {
    let state = fresh(offset)
    for (let attempt = 1; ; attempt++) {
      let response: BlobDownloadResponseParsed
      const resuming = state.bytes > 0
      try {
        response = await blob.download(state.start + state.bytes, undefined, {
          abortSignal: options.signal,
          conditions: resuming
            ? state.etag
              ? {ifMatch: state.etag}
              : undefined
            : options.ifNoneMatch
              ? {ifNoneMatch: options.ifNoneMatch}
              : undefined,
          // body breaks are resumed here, where a stall or a replaced blob can be handled too
          maxRetryRequests: 0,
        })
      } catch (error) {
        if (isRestError(error) && !resuming) {
          if (error.statusCode === 304) return {received: 0, status: 'not-modified'}
          if (error.statusCode === 404) return {received: 0, status: 'missing'}
          if (error.statusCode === 416) return {received: 0, status: 'out-of-range'}
        }

        if (isRestError(error) && error.statusCode === 412 && attempt < attempts) {
          // The blob changed under us (a new boot rewrote it): start over.
          await file?.truncate(0)
          state = fresh(offset)
          continue
        }

        if (isRestError(error) && error.statusCode === 429 && attempt < attempts) {
          // Throttled (the storage SDK does not retry a 429): wait as told, then ask again.
          await sleep(retryAfterMs(error), undefined, {signal: options.signal})
          continue
        }

        throw error
      }

      if (resuming) {
        if (!response.contentRange?.startsWith(`bytes ${state.start + state.bytes}-`)) {
          // The resume was answered with other bytes than asked for: start over.
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
        state.blobContentMd5 = response.blobContentMD5 ? base64(response.blobContentMD5) : undefined
        // The MD5 of exactly what is read: a whole blob's Content-MD5 (or its stored MD5); a range's own
        // Content-MD5 is sent only when asked for, which it is not.
        const whole = state.start === 0
        state.expectedMd5 = whole
          ? response.contentMD5
            ? base64(response.contentMD5)
            : state.blobContentMd5
          : undefined
      }

      let broken: unknown
      try {
        // The body is read at once (a connection that breaks while the file is being opened keeps what came).
        if (response.readableStreamBody) await copyBody(response.readableStreamBody, ensureFile, state, wire, options)
      } catch (error) {
        if (options.signal?.aborted) throw error
        // The file could not be written (disk full, read-only, a size limit): no resume helps with that.
        if (error instanceof LocalWriteFailure) throw error.cause
        broken = error
      }

      const wanted = state.total - state.start
      if (state.bytes === wanted) break
      if (state.bytes > wanted)
        throw new BootdiagError(
          `Download corrupt: received ${state.bytes} bytes where ${wanted} were expected; nothing was kept. Run again.`,
          {code: 'LongDownload'},
        )
      if (attempt >= attempts) {
        const why = broken instanceof Error ? ` (${describeBreak(broken)})` : ''
        throw new BootdiagError(
          `Download incomplete after ${attempts} attempts: received ${state.bytes} of ${wanted} bytes${why}; nothing was kept. Run again.`,
          {
            cause: broken,
            code: 'ShortDownload',
          },
        )
      }
    }

    const md5 = state.md5.digest('base64')
    if (state.expectedMd5 && state.expectedMd5 !== md5) {
      throw new BootdiagError(
        `Download corrupt: MD5 ${md5} does not match the blob's ${state.expectedMd5}; nothing was kept. Run again.`,
        {code: 'ChecksumMismatch'},
      )
    }

    await (await ensureFile()).sync()
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
      ...(state.expectedMd5 ? {contentMd5: state.expectedMd5} : {}),
    }
  } catch (error) {
    // A read that fails leaves no file behind.
    await file?.close()
    file = undefined
    if (created) await rm(created, {force: true})
    throw error
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
  expectedMd5?: string
  sha256: Hash
  md5: Hash
}

function fresh(offset: number): ReadState {
  return {
    bytes: 0,
    contentBytes: 0,
    createdOn: null,
    etag: null,
    lastModified: null,
    md5: createHash('md5'),
    sha256: createHash('sha256'),
    start: offset,
    total: 0,
  }
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

/** Retry-After of a 429 (seconds or an HTTP date) in ms: 1 s when absent, at most 60 s. */
function retryAfterMs(error: RestErrorLike): number {
  const value = error.response?.headers?.get('retry-after')
  if (!value) return 1000
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now()
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : 1000
}

/** The storage SDK reports a closed socket as an AbortError, which reads like Ctrl-C; say what happened. */
function describeBreak(error: Error): string {
  if (error.name === 'AbortError' || /ECONNRESET|aborted|socket hang up|premature close/i.test(error.message))
    return 'the connection broke mid-transfer'
  return error.message.split('\n')[0]
}

function discard(stream: (NodeJS.ReadableStream & {destroy?: () => void}) | undefined): void {
  stream?.on('error', () => {})
  stream?.destroy?.()
}

/** A failure to write the local file, told apart from a body that broke (which is resumed). */
class LocalWriteFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the local file could not be written')
  }
}

/** Append the body to the file, hashing and counting; a silent body is destroyed after stallTimeoutMs. */
async function copyBody(
  body: NodeJS.ReadableStream,
  ensureFile: () => Promise<FileHandle>,
  state: ReadState,
  wire: {received: number},
  options: BlobReadOptions,
): Promise<void> {
  const stream = body as NodeJS.ReadableStream & {destroy?: (error?: Error) => void}
  const stallMs = options.stallTimeoutMs ?? 120_000
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => stream.destroy?.(new Error(`no data for ${Math.round(stallMs / 1000)} s`)), stallMs)
    timer.unref()
  }

  // Errors reach the loop below; one emitted after it ended (a late 'aborted' from the socket) must not crash.
  stream.on('error', () => {})
  arm()
  try {
    for await (const chunk of stream) {
      arm()
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      try {
        await writeFully(await ensureFile(), data, state.bytes)
      } catch (error) {
        throw new LocalWriteFailure(error)
      }

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
