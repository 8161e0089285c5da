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
  /** `Linux` / `Windows` (the OS disk's type), when the listing or the VM's model said */
  osType?: string | null
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
  /**
   * The VM's verdict from both witnesses, when they were read: the serial log's analysis and the
   * screenshot's reading, reconciled (a failure on either side wins; a Windows VM's comes from its screen).
   * `outcome`, `lastStage`, `summary` and `signature` are that verdict; `log` and `screen` its parts.
   * Snapshots written before bootdiag read screenshots have the serial log's verdict alone (no `decidedBy`,
   * `log`, `screen`).
   */
  analysis?: SnapshotAnalysis
}

export interface SnapshotAnalysis {
  outcome: string
  lastStage: string | null
  summary: string
  /** the failure's normalised title (analysis/signature.ts), null for a healthy verdict; absent before 0.2 */
  signature?: string | null
  /** which witness gave the verdict: serial-log, screenshot, or both (they agree on a failure) */
  decidedBy?: 'serial-log' | 'screenshot' | 'both'
  /** the serial log's own verdict, when there was a log to analyse */
  log?: {outcome: string; lastStage: string | null; summary: string; signature: string | null}
  /** what the screenshot shows, when it was read (or its reading carried over: the same screenshot) */
  screen?: SnapshotScreen
  /** why the screenshot was not read although there is one (the reader is off, OCR failed, not an image) */
  screenUnread?: string
}

/** A screenshot's reading as snapshot.json keeps it: the screen object of DESIGN.md without its lines. */
export interface SnapshotScreen {
  os: string
  kind: string
  state: string
  outcome: string | null
  stage: string | null
  codes: string[]
  percent: number | null
  summary: string
  /** the Microsoft troubleshooting article for the kind */
  docs?: string
  /** console-font, ocr or none */
  reader?: string
  /** the earlier snapshot (its folder name) whose reading this is, because the screenshot is the same bytes */
  carriedFrom?: string
}
