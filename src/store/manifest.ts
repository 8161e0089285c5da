/**
 * snapshot.json: what a snapshot holds and where it came from. Shared by every command that writes or
 * reads snapshots (fetch, the guarded VM operations, archive, analyze SNAPSHOT_DIR). Fields may be added
 * in a later schemaVersion, none renamed.
 */

export const SNAPSHOT_SCHEMA_VERSION = 1
export const MANIFEST_FILE = 'snapshot.json'

export const SNAPSHOT_FILES = ['serial.log', 'screenshot.bmp', 'screenshot.png'] as const
export type SnapshotFileName = (typeof SNAPSHOT_FILES)[number]

export interface SnapshotFileInfo {
  bytes: number
  sha256: string
  /** the blob's ETag and Last-Modified when it was read (null for files bootdiag derived, e.g. the PNG) */
  etag: string | null
  lastModified: string | null
  /** the Content-MD5 the service sent and bootdiag verified, if any */
  contentMd5?: string
  /** for derived files: the file it was made from */
  derivedFrom?: SnapshotFileName
  /**
   * `archive` only: the earlier snapshot (its folder name) this file was copied from because Azure's blob had
   * not changed since (same ETag) — the bytes are here all the same, the snapshot is self-contained
   */
  carriedFrom?: string
  /**
   * `archive` only, serial.log: the log grew — its first `bytes` bytes are the first `bytes` bytes of that
   * earlier snapshot's serial.log (copied from it, the overlap checked against Azure's blob); only what
   * follows was downloaded. Lets `search` read the new part only.
   */
  continues?: {snapshot: string; bytes: number}
}

export interface SnapshotVm {
  id: string
  name: string
  resourceGroup: string
  subscriptionId: string
  vmId: string | null
  location: string
  powerState: string
  vmss?: string
  instanceId?: string
}

export interface MissingFile {
  file: SnapshotFileName
  /** why it is not there: not written yet by Azure, not convertible, ... */
  reason: string
}

export interface SnapshotManifest {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION
  /** ISO 8601 UTC time the snapshot was taken */
  takenAt: string
  /** why: "manual", "pre-restart", "archive", or the user's --reason */
  reason: string
  tool: {name: 'bootdiag'; version: string}
  vm: SnapshotVm
  storage: 'managed' | 'custom'
  files: Partial<Record<SnapshotFileName, SnapshotFileInfo>>
  missing: MissingFile[]
  /** the analyser's verdict on serial.log, when it was run */
  analysis?: {
    outcome: string
    lastStage: string | null
    summary: string
    /** the failure's normalised title (analysis/signature.ts), null for a healthy verdict; absent before 0.2 */
    signature?: string | null
  }
}
