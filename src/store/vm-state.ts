/**
 * The per-VM archive state, kept beside the VM's snapshots as `.archive-state.json`: which snapshot holds
 * the files Azure served last time, and each blob's ETag, size and hash, so the next `archive` run can ask
 * "changed since?" without downloading (If-None-Match) and fetch only the new bytes of a grown log.
 *
 * The state is a cache of what the snapshots already say: a missing, unreadable or foreign state file is
 * never fatal — the run rebuilds it from the newest snapshot's snapshot.json, or downloads in full.
 */
import {type SnapshotManifest, isObject, jsonObject} from './manifest.js'

export const STATE_FILE = '.archive-state.json'
export const STATE_VERSION = 1

/** What was known of one blob when the snapshot named in the state was taken. */
export interface BlobFileState {
  /** the blob's ETag (the If-None-Match of the next run); null when Azure sent none */
  etag: string | null
  /** bytes of the file as kept in the snapshot */
  bytes: number
  sha256: string
  lastModified: string | null
  /** the blob's creation time: a log deleted and written anew (redeploy) gets a new one */
  createdOn?: string | null
  /** serial log: bytes up to the last non-NUL byte (a page blob pads its last page with NULs) */
  contentBytes?: number
}

export interface VmArchiveState {
  stateVersion: typeof STATE_VERSION
  /** the snapshot (folder name, e.g. 20261125T210304Z) whose files the entries below describe */
  snapshot: string
  /** when this state was written (ISO 8601 UTC) */
  updatedAt: string
  vm: {id: string; vmId: string | null}
  /**
   * the analyser's verdict on the snapshot's serial.log, as its snapshot.json records it (null: none), so an
   * unchanged VM's last verdict is known without reading the snapshot; absent in states before 0.2
   */
  analysis?: SnapshotManifest['analysis'] | null
  files: {
    'serial.log'?: BlobFileState
    'screenshot.bmp'?: BlobFileState
    'screenshot.png'?: {bytes: number; sha256: string}
  }
}

export type StateReading = {state: VmArchiveState} | {problem: string}

/** Parse a state file's text; anything unexpected is a `problem` (the caller warns and ignores it). */
export function parseVmState(text: string): StateReading {
  const object = jsonObject(text)
  if ('problem' in object) return object
  const {data} = object
  if (data.stateVersion !== STATE_VERSION)
    return {problem: `stateVersion ${JSON.stringify(data.stateVersion)} is not ${STATE_VERSION}`}
  if (typeof data.snapshot !== 'string' || !/^\d{8}T\d{6}Z(-\d+)?$/.test(data.snapshot))
    return {problem: 'no valid snapshot name'}
  if (typeof data.updatedAt !== 'string') return {problem: 'no updatedAt'}
  const vm = data.vm
  if (!isObject(vm) || typeof vm.id !== 'string' || !(vm.vmId === null || typeof vm.vmId === 'string'))
    return {problem: 'no valid vm'}
  const files = data.files
  if (!isObject(files)) return {problem: 'no files'}
  for (const name of ['serial.log', 'screenshot.bmp'] as const) {
    const entry = files[name]
    if (entry !== undefined && !isBlobFileState(entry)) return {problem: `the ${name} entry is malformed`}
  }

  const png = files['screenshot.png']
  if (png !== undefined && !(isObject(png) && isSize(png.bytes) && isSha256(png.sha256)))
    return {problem: 'the screenshot.png entry is malformed'}
  const analysis = data.analysis
  if (
    analysis !== undefined &&
    analysis !== null &&
    !(isObject(analysis) && typeof analysis.outcome === 'string' && typeof analysis.summary === 'string')
  )
    return {problem: 'the analysis is malformed'}
  return {state: data as unknown as VmArchiveState}
}

export function serializeVmState(state: VmArchiveState): string {
  return `${JSON.stringify(state, null, 2)}\n`
}

/**
 * A state rebuilt from a snapshot's manifest (e.g. one `fetch` took, or after the state file was lost):
 * the same ETags, sizes and hashes, without what only `archive` records (creation time, content length).
 */
export function stateFromManifest(snapshot: string, manifest: SnapshotManifest, updatedAt: Date): VmArchiveState {
  const files: VmArchiveState['files'] = {}
  for (const name of ['serial.log', 'screenshot.bmp'] as const) {
    const info = manifest.files[name]
    if (info) files[name] = {bytes: info.bytes, etag: info.etag, lastModified: info.lastModified, sha256: info.sha256}
  }

  const png = manifest.files['screenshot.png']
  if (png) files['screenshot.png'] = {bytes: png.bytes, sha256: png.sha256}
  return {
    analysis: manifest.analysis ?? null,
    files,
    snapshot,
    stateVersion: STATE_VERSION,
    updatedAt: updatedAt.toISOString(),
    vm: {id: manifest.vm.id, vmId: manifest.vm.vmId ?? null},
  }
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function isSha256(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string'
}

function isBlobFileState(value: unknown): value is BlobFileState {
  return (
    isObject(value) &&
    (value.etag === null || typeof value.etag === 'string') &&
    isSize(value.bytes) &&
    isSha256(value.sha256) &&
    isOptionalString(value.lastModified) &&
    isOptionalString(value.createdOn) &&
    (value.contentBytes === undefined || (isSize(value.contentBytes) && value.contentBytes <= value.bytes))
  )
}
