/**
 * Downloads one blob, byte-exact, to a file that did not exist before, hashing as it streams.
 *
 * The SDK retries failed requests, but not a body that breaks after the headers arrived (a reset
 * connection, a body cut short, a stalled transfer). This resumes those itself: a Range read from the
 * last byte received, pinned to the ETag (If-Match) so a blob replaced mid-download is never stitched
 * together; a replaced blob starts over. The result is verified — length against Content-Length, MD5
 * where the service sends one — before the caller may keep it. A blob that does not exist is reported.
 */
import {createHash, type Hash} from 'node:crypto'
import {type FileHandle, open} from 'node:fs/promises'

import type {BlobClient, BlobDownloadResponseParsed} from '@azure/storage-blob'

import {BootdiagError} from '../errors.js'
import {isRestError} from './errors.js'

export interface DownloadedBlob {
  bytes: number
  sha256: string
  etag: string | null
  lastModified: string | null
  /** base64 MD5 the service sent and that matched, if it sent one */
  contentMd5?: string
}

export type DownloadOutcome = {found: true; blob: DownloadedBlob} | {found: false; reason: string}

export interface DownloadOptions {
  signal?: AbortSignal
  /** body breaks survived before giving up */
  attempts?: number
  /** no byte for this long = a stalled transfer, resumed like a broken one */
  stallTimeoutMs?: number
}

export const NOT_WRITTEN_YET = 'not written yet (the blob does not exist; Azure can take a few minutes after a boot)'

export async function downloadBlobToFile(blob: BlobClient, path: string, options: DownloadOptions = {}): Promise<DownloadOutcome> {
  const attempts = options.attempts ?? 6
  const file = await open(path, 'wx')
  try {
    let state = freshState()
    for (let attempt = 1; ; attempt++) {
      let response: BlobDownloadResponseParsed
      try {
        response = await blob.download(state.bytes, undefined, {
          abortSignal: options.signal,
          conditions: state.etag ? {ifMatch: state.etag} : undefined,
          // resumes are done here, where a stall or a replaced blob can be handled too
          maxRetryRequests: 0,
        })
      } catch (error) {
        if (isRestError(error) && error.statusCode === 404 && state.bytes === 0) return {found: false, reason: NOT_WRITTEN_YET}
        if (isRestError(error) && error.statusCode === 412 && attempt < attempts) {
          // The blob changed under us (a new boot rewrote it): start over from byte 0.
          state = await restart(file)
          continue
        }

        throw error
      }

      if (state.bytes === 0) {
        state.total = response.contentLength
        state.etag = response.etag
        state.lastModified = response.lastModified?.toISOString() ?? null
        state.expectedMd5 = response.contentMD5 ?? response.blobContentMD5
      } else if (!response.contentRange?.startsWith(`bytes ${state.bytes}-`)) {
        // The resume was answered with something else than the bytes asked for: start over.
        discard(response.readableStreamBody)
        state = await restart(file)
        continue
      }

      const body = response.readableStreamBody
      let broken: unknown
      try {
        if (body) await copyBody(body, file, state, options)
      } catch (error) {
        if (options.signal?.aborted) throw error
        broken = error
      }

      if (state.total === undefined || state.bytes === state.total) break
      if (state.bytes > state.total) {
        throw new BootdiagError(`Download corrupt: received ${state.bytes} bytes of a ${state.total}-byte blob; nothing was kept. Run again.`, {code: 'LongDownload'})
      }

      if (attempt >= attempts) {
        const why = broken instanceof Error ? ` (${describeBreak(broken)})` : ''
        throw new BootdiagError(`Download incomplete after ${attempts} attempts: received ${state.bytes} of ${state.total} bytes${why}; nothing was kept. Run again.`, {
          cause: broken,
          code: 'ShortDownload',
        })
      }
    }

    let contentMd5: string | undefined
    if (state.expectedMd5) {
      contentMd5 = Buffer.from(state.expectedMd5).toString('base64')
      const got = state.md5.digest('base64')
      if (got !== contentMd5) {
        throw new BootdiagError(`Download corrupt: MD5 ${got} does not match the blob's ${contentMd5}; nothing was kept. Run again.`, {code: 'ChecksumMismatch'})
      }
    }

    await file.sync()
    return {
      blob: {bytes: state.bytes, etag: state.etag ?? null, lastModified: state.lastModified, sha256: state.sha256.digest('hex'), ...(contentMd5 ? {contentMd5} : {})},
      found: true,
    }
  } finally {
    await file.close()
  }
}

interface DownloadState {
  bytes: number
  total?: number
  etag?: string
  lastModified: string | null
  expectedMd5?: Uint8Array
  sha256: Hash
  md5: Hash
}

function freshState(): DownloadState {
  return {bytes: 0, lastModified: null, md5: createHash('md5'), sha256: createHash('sha256')}
}

/** The storage SDK reports a closed socket as an AbortError, which reads like Ctrl-C; say what happened. */
function describeBreak(error: Error): string {
  if (error.name === 'AbortError' || /ECONNRESET|aborted|socket hang up|premature close/i.test(error.message)) return 'the connection broke mid-transfer'
  return error.message.split('\n')[0]
}

function discard(body: NodeJS.ReadableStream | undefined): void {
  const stream = body as (NodeJS.ReadableStream & {destroy?: () => void}) | undefined
  stream?.on('error', () => {})
  stream?.destroy?.()
}

async function restart(file: FileHandle): Promise<DownloadState> {
  await file.truncate(0)
  return freshState()
}

/** Append the body to the file, hashing; a silent body is destroyed after stallTimeoutMs. */
async function copyBody(body: NodeJS.ReadableStream, file: FileHandle, state: DownloadState, options: DownloadOptions): Promise<void> {
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
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
      await file.write(data, 0, data.length, state.bytes)
      state.bytes += data.length
      state.sha256.update(data)
      state.md5.update(data)
    }
  } finally {
    clearTimeout(timer)
  }
}
