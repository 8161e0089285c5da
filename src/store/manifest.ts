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

export type ManifestReading = {manifest: SnapshotManifest} | {problem: string}

/**
 * A snapshot.json read back from an archive, checked against its schema before anything uses it: the
 * archive may have been edited, damaged or planted. Anything unexpected is a `problem` (the caller warns,
 * skips the snapshot and archives the VM afresh). Unknown fields are allowed (later versions may add some).
 */
export function parseManifest(text: string): ManifestReading {
  const object = jsonObject(text)
  if ('problem' in object) return object
  const {data} = object
  if (data.schemaVersion !== SNAPSHOT_SCHEMA_VERSION)
    return {problem: `schemaVersion ${JSON.stringify(data.schemaVersion)} is not ${SNAPSHOT_SCHEMA_VERSION}`}
  for (const field of ['takenAt', 'reason', 'storage'] as const)
    if (typeof data[field] !== 'string') return {problem: `no ${field}`}
  const vm = data.vm
  if (!isObject(vm)) return {problem: 'no vm'}
  for (const field of ['id', 'name', 'resourceGroup', 'subscriptionId'] as const)
    if (typeof vm[field] !== 'string') return {problem: `no vm.${field}`}
  if (!(vm.vmId === null || vm.vmId === undefined || typeof vm.vmId === 'string'))
    return {problem: 'vm.vmId is not a string'}
  const files = data.files
  if (!isObject(files)) return {problem: 'no files'}
  for (const [name, info] of Object.entries(files)) {
    if (!(SNAPSHOT_FILES as readonly string[]).includes(name)) return {problem: `an unknown file '${name}'`}
    const problem = fileInfoProblem(info)
    if (problem) return {problem: `the ${name} entry ${problem}`}
  }

  if (!Array.isArray(data.missing)) return {problem: 'no missing list'}
  for (const entry of data.missing)
    if (!isObject(entry) || typeof entry.file !== 'string' || typeof entry.reason !== 'string')
      return {problem: 'a malformed missing entry'}
  const analysis = data.analysis
  if (
    analysis !== undefined &&
    !(
      isObject(analysis) &&
      typeof analysis.outcome === 'string' &&
      typeof analysis.summary === 'string' &&
      (analysis.lastStage === null || typeof analysis.lastStage === 'string')
    )
  )
    return {problem: 'a malformed analysis'}
  return {manifest: data as unknown as SnapshotManifest}
}

function fileInfoProblem(info: unknown): string | undefined {
  if (!isObject(info)) return 'is not an object'
  if (typeof info.bytes !== 'number' || !Number.isSafeInteger(info.bytes) || info.bytes < 0) return 'has no valid bytes'
  if (typeof info.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(info.sha256)) return 'has no valid sha256'
  for (const field of ['etag', 'lastModified'] as const)
    if (!(info[field] === null || info[field] === undefined || typeof info[field] === 'string'))
      return `has a malformed ${field}`
  if (
    info.carriedFrom !== undefined &&
    (typeof info.carriedFrom !== 'string' || !/^\d{8}T\d{6}Z(-\d+)?$/.test(info.carriedFrom))
  )
    return 'has a malformed carriedFrom'
  return undefined
}

/**
 * A snapshot.json's text as its manifest, or undefined with the problem told to `onProblem` (both stores'
 * readManifest: a damaged one is warned about and skipped).
 */
export function manifestOrNothing(text: string, onProblem?: (problem: string) => void): SnapshotManifest | undefined {
  const reading = parseManifest(text)
  if ('problem' in reading) {
    onProblem?.(reading.problem)
    return undefined
  }

  return reading.manifest
}

/** A file of the archive read back as JSON: an object, or the problem (not JSON, or not an object). */
export function jsonObject(text: string): {data: Record<string, unknown>} | {problem: string} {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return {problem: `not JSON (${(error as Error).message})`}
  }

  return isObject(data) ? {data} : {problem: 'not a JSON object'}
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
