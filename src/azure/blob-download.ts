/**
 * Downloads one whole blob, byte-exact, to a file that did not exist before — fetch's (and the guarded
 * VM operations') use of the one blob reader (blob-reader.ts), which resumes a broken body from the last
 * byte received, pinned to the ETag, and verifies length and MD5 before anything is kept. A blob that
 * does not exist is reported, not an error.
 */
import type {BlobClient} from '@azure/storage-blob'

import {BootdiagError} from '../errors.js'
import {NOT_WRITTEN_YET, readBlob} from './blob-reader.js'

export {NOT_WRITTEN_YET} from './blob-reader.js'

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
  /** requests made before giving up (body breaks, restarts and 429s count) */
  attempts?: number
  /** no byte for this long = a stalled transfer, resumed like a broken one */
  stallTimeoutMs?: number
}

export async function downloadBlobToFile(
  blob: BlobClient,
  path: string,
  options: DownloadOptions = {},
): Promise<DownloadOutcome> {
  const read = await readBlob(blob, path, options)
  if (read.status === 'missing') return {found: false, reason: NOT_WRITTEN_YET}
  if (read.status !== 'read')
    throw new BootdiagError(`Unexpected answer to a whole-blob read (${read.status}). Run again.`, {
      code: 'UnexpectedBlobAnswer',
    })
  return {
    blob: {
      bytes: read.bytes,
      etag: read.etag,
      lastModified: read.lastModified,
      sha256: read.sha256,
      ...(read.contentMd5 ? {contentMd5: read.contentMd5} : {}),
    },
    found: true,
  }
}
