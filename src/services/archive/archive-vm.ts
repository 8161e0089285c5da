/**
 * Archive one VM incrementally: compare what Azure serves now with the VM's archive state (vm-state.ts),
 * and write a new snapshot only when something changed, downloading as little as possible.
 *
 * Requests, in the usual case (3 per VM; 4 when a custom storage account must be read with the token):
 *  1. retrieveBootDiagnosticsData (POST): fresh SAS URLs for the log and the screenshot. The list calls
 *     give no blob URLs, and SAS URLs are never kept from one run to the next.
 *     If that is refused and the VM uses a custom storage account, its instance view (GET) gives the
 *     plain URLs, read with the signed-in identity instead.
 *  2. the serial log, ONE GET: `If-None-Match: <last ETag>` + `x-ms-range: bytes=<kept - 1 KiB>-`:
 *     - 304: unchanged, nothing downloaded;
 *     - 206: the log grew: only the new bytes (and the 1 KiB overlap) come down. The overlap must equal
 *       the end of the kept log, and the blob's creation time must be the same, or the log was replaced;
 *       the new serial.log is the kept one (copied from the archive, not downloaded) + the new bytes,
 *       its length checked against the blob's and its SHA-256 computed over the whole;
 *     - replaced (shorter, different overlap, new blob): a full download (a second GET).
 *  3. the screenshot, ONE GET with `If-None-Match`: 304 unchanged, 200 changed.
 *
 * A new snapshot is written when the log or the screenshot changed. Snapshots stay self-contained: a file
 * that did not change is carried over from the previous snapshot (a hard link in a folder archive, a copy
 * in a container) and its manifest entry says so (`carriedFrom`). Nothing changed: no snapshot at all.
 */
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {open, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {
  type MissingFile,
  SNAPSHOT_SCHEMA_VERSION,
  type SnapshotFileInfo,
  type SnapshotFileName,
  type SnapshotManifest,
  type SnapshotScreen,
} from '../../store/manifest.js'
import {openArchiveFile} from '../../store/safe-path.js'
import type {ArchiveStore, SnapshotDraft} from '../../store/store.js'
import {
  type BlobFileState,
  type VmArchiveState,
  STATE_VERSION,
  parseVmState,
  serializeVmState,
  stateFromManifest,
} from '../../store/vm-state.js'
import {type BlobBody, NOT_WRITTEN_YET, readBlob} from '../../azure/blob-reader.js'
import type {BlobAuth, ComputeApi} from '../../azure/clients.js'
import type {RunContext} from '../../context/run-context.js'
import {ExitCode, isBootdiagError} from '../../errors.js'
import {writeFully} from '../../util/write-fully.js'
import type {ArchiveTarget} from './targets.js'
import {BootDiagnosticsBlobs} from '../snapshot/boot-diagnostics-blobs.js'
import {convertScreenshot, snapshotVm} from '../snapshot/fetch-snapshot.js'
import {getVmDetails} from '../vm/details.js'
import {analyseSnapshot} from '../witness/snapshot-analysis.js'
import {type ScreenReader, screenReaderOff} from '../witness/screen-reader.js'

/** How much of the kept log is read again to prove the new bytes continue it. */
export const OVERLAP_BYTES = 1024

/** What archiving a VM needs from the run. */
export type ArchiveContext = Pick<
  RunContext,
  'azure' | 'clock' | 'events' | 'settings' | 'signal' | 'store' | 'toolVersion'
>

export interface ArchiveVmOptions {
  /**
   * The run's screen reader (a bounded pool with one OCR engine): a new snapshot's screenshot is read
   * through it when it changed; an unchanged one carries the reading of the snapshot it follows. Default:
   * none (the verdict is the serial log's).
   */
  screens?: ScreenReader
}

/** One VM's run: the context, with the archive store and the VM's compute client resolved once. */
interface VmRun {
  context: ArchiveContext
  store: ArchiveStore
  compute: ComputeApi
  /** snapshot.json of the VM's snapshots, read (and checked) once per run */
  manifests: Map<string, Promise<SnapshotManifest | undefined>>
}

export type LogChange = 'grown' | 'missing' | 'new' | 'replaced' | 'unchanged'
export type ScreenshotChange = 'changed' | 'missing' | 'new' | 'unchanged'

export interface VmArchiveOutcome {
  /** new: a snapshot was written; unchanged: nothing new to keep */
  result: 'new' | 'unchanged'
  /** the new snapshot's location */
  snapshot?: string
  serialLog: LogChange
  screenshot: ScreenshotChange
  /** body bytes downloaded from boot diagnostics storage (log + screenshot) */
  bytesDownloaded: number
  logBytesDownloaded: number
  /** a new snapshot's verdict, from both witnesses (as in its snapshot.json) */
  analysis?: SnapshotManifest['analysis']
  /**
   * A new snapshot only: the verdict of the snapshot it follows (the one the VM's state named), so that a
   * run can tell a VM that became a failure, or fails differently, from one that stays as it was; null when
   * this is the VM's first snapshot.
   */
  previousVerdict?: PreviousVerdict | null
  /** unchanged: the verdict of the snapshot that still holds the VM's log, and that snapshot's name */
  lastAnalysis?: NonNullable<SnapshotManifest['analysis']> & {snapshot: string}
  /** the snapshot the VM's state now builds on (retention keeps it) */
  baseline?: string
}

/** The verdict recorded in the snapshot.json of the snapshot a new one follows. */
export interface PreviousVerdict {
  /** that snapshot's folder name */
  snapshot: string
  /** its analyser's outcome; null when it has none (no serial log then) or its snapshot.json is unreadable */
  outcome: string | null
  lastStage: string | null
  /** its failure signature (computed from the verdict for snapshots written before signatures existed) */
  signature: string | null
  summary: string | null
}

type Kind = 'serial' | 'screenshot'
interface Source {
  url: string
  auth: BlobAuth
}

/** What the last snapshot knew, and where it came from. */
interface Baseline {
  state?: VmArchiveState
  /** the state must be written even if nothing changes (it was rebuilt, or is stale) */
  rewrite: boolean
  /** the state's snapshot's snapshot.json, when it was read to rebuild the state */
  manifest?: SnapshotManifest
}

export async function archiveVm(
  context: ArchiveContext,
  target: ArchiveTarget,
  options: ArchiveVmOptions = {},
): Promise<VmArchiveOutcome> {
  const [store, compute] = await Promise.all([context.store(), context.azure.compute(target.subscriptionId)])
  const run: VmRun = {compute, context, manifests: new Map(), store}
  const baseline = await loadBaseline(run, target)
  const sources = await blobSources(run, target)
  // The snapshot's draft is begun only when a body comes: an unchanged VM creates nothing at all.
  const takenAt = run.context.clock.now()
  const drafts = new DraftOnDemand(() => run.store.beginSnapshot(target, takenAt))
  try {
    const files = baseline.state?.files ?? {}
    const [log, shot] = await settleBoth(
      readSerialLog(run, target, sources.serial, files['serial.log'], baseline.state?.snapshot, drafts),
      readScreenshot(run, sources.screenshot, files['screenshot.bmp'], drafts),
    )
    const changed = ['new', 'grown', 'replaced'].includes(log.change) || ['new', 'changed'].includes(shot.change)
    const bytes = {bytesDownloaded: log.received + shot.received, logBytesDownloaded: log.received}
    if (!changed) {
      await drafts.abandon()
      const etagMoved = log.etagMoved || shot.etagMoved
      if (baseline.state && (baseline.rewrite || etagMoved)) {
        const updated = updatedState(baseline.state, run.context.clock.now(), target, {log, shot})
        await writeStateQuietly(run, target, updated)
      }

      const last = baseline.state?.analysis
      return {
        baseline: baseline.state?.snapshot,
        result: 'unchanged',
        screenshot: shot.change,
        serialLog: log.change,
        ...(last && baseline.state ? {lastAnalysis: {...last, snapshot: baseline.state.snapshot}} : {}),
        ...bytes,
      }
    }

    // Something changed: complete the snapshot, carrying over what did not.
    const draft = await drafts.get()
    const base = baseline.state
    const manifestFiles: SnapshotManifest['files'] = {}
    const missing: MissingFile[] = []
    let logState = log.state
    if (log.info) {
      manifestFiles['serial.log'] = log.info
    } else if (log.change === 'unchanged' && base?.files['serial.log']) {
      logState = await carryOrDownload(run, target, draft, 'serial.log', base, sources.serial, bytes, manifestFiles)
    } else {
      missing.push({file: 'serial.log', reason: log.reason ?? NOT_WRITTEN_YET})
    }

    let shotState = shot.state
    let pngState: VmArchiveState['files']['screenshot.png']
    if (shot.info) {
      manifestFiles['screenshot.bmp'] = shot.info
    } else if (shot.change === 'unchanged' && base?.files['screenshot.bmp']) {
      shotState = await carryOrDownload(
        run,
        target,
        draft,
        'screenshot.bmp',
        base,
        sources.screenshot,
        bytes,
        manifestFiles,
      )
      const pngInfo = base.files['screenshot.png']
      if (
        manifestFiles['screenshot.bmp']?.carriedFrom &&
        pngInfo &&
        (await carryable(run, target, base.snapshot, 'screenshot.png', pngInfo)) &&
        (await draft.carryOver('screenshot.png', base.snapshot))
      ) {
        manifestFiles['screenshot.png'] = {
          bytes: pngInfo.bytes,
          carriedFrom: base.snapshot,
          derivedFrom: 'screenshot.bmp',
          etag: null,
          lastModified: null,
          sha256: pngInfo.sha256,
        }
        pngState = pngInfo
      }
    } else {
      missing.push({file: 'screenshot.bmp', reason: shot.reason ?? NOT_WRITTEN_YET})
    }

    // A carried-over file that is gone from the archive and from Azure alike.
    if (!manifestFiles['serial.log'] && !missing.some((m) => m.file === 'serial.log'))
      missing.push({file: 'serial.log', reason: NOT_WRITTEN_YET})
    if (!manifestFiles['screenshot.bmp'] && !missing.some((m) => m.file === 'screenshot.bmp'))
      missing.push({file: 'screenshot.bmp', reason: NOT_WRITTEN_YET})

    if (manifestFiles['screenshot.bmp'] && !manifestFiles['screenshot.png']) {
      const converted = await convertScreenshot(join(draft.folder, 'screenshot.bmp'))
      if (converted.ok) {
        await draft.writeFile('screenshot.png', converted.png)
        manifestFiles['screenshot.png'] = converted.info
        pngState = {bytes: converted.info.bytes, sha256: converted.info.sha256}
      } else {
        missing.push({file: 'screenshot.png', reason: converted.reason})
      }
    }

    // The snapshot this one follows: its verdict (for --notify) and its screen's reading (to carry over).
    const previous = base ? (baseline.manifest ?? (await readManifestQuietly(run, target, base.snapshot))) : undefined
    const analysis = await analyseSnapshot(
      {
        carriedScreen: base ? carriedReading(manifestFiles, previous, base.snapshot) : undefined,
        logPath: manifestFiles['serial.log'] ? join(draft.folder, 'serial.log') : undefined,
        osType: target.osType,
        screenshotPath: manifestFiles['screenshot.bmp'] ? join(draft.folder, 'screenshot.bmp') : undefined,
      },
      options.screens ?? screenReaderOff,
    )
    const manifest: SnapshotManifest = {
      files: orderFiles(manifestFiles),
      missing,
      reason: 'archive',
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      storage: target.bootDiagnostics.storage ?? 'managed',
      takenAt: takenAt.toISOString(),
      tool: {name: 'bootdiag', version: run.context.toolVersion},
      vm: snapshotVm({...target, instanceViewBlobs: {screenshot: null, serial: null}}),
      ...(analysis ? {analysis} : {}),
    }
    const committed = await draft.commit(manifest)
    await draft.dispose()
    const state: VmArchiveState = {
      analysis: analysis ?? null,
      files: {
        ...(logState ? {'serial.log': logState} : {}),
        ...(shotState ? {'screenshot.bmp': shotState} : {}),
        ...(pngState ? {'screenshot.png': pngState} : {}),
      },
      snapshot: committed.name,
      stateVersion: STATE_VERSION,
      updatedAt: run.context.clock.now().toISOString(),
      vm: {id: target.id, vmId: target.vmId},
    }
    await writeStateQuietly(run, target, state)
    return {
      analysis,
      baseline: committed.name,
      previousVerdict: base ? await previousVerdictOf(base.snapshot, previous) : null,
      result: 'new',
      screenshot: shot.change,
      serialLog: log.change,
      snapshot: committed.location,
      ...bytes,
    }
  } catch (error) {
    await drafts.abandon()
    throw error
  }
}

/** A snapshot draft begun on first use. */
class DraftOnDemand {
  private draft?: Promise<SnapshotDraft>

  constructor(private readonly begin: () => Promise<SnapshotDraft>) {}

  get started(): boolean {
    return this.draft !== undefined
  }

  get(): Promise<SnapshotDraft> {
    this.draft ??= this.begin()
    return this.draft
  }

  /** a path in the draft, for readBlob (which asks only when a body arrives) */
  path(of: (draft: SnapshotDraft) => string): () => Promise<string> {
    return async () => of(await this.get())
  }

  async abandon(): Promise<void> {
    if (this.draft) await (await this.draft.catch(() => undefined))?.abandon()
  }
}

/** The state file, or (missing, unreadable, another VM's) one rebuilt from the newest snapshot. */
async function loadBaseline(run: VmRun, target: ArchiveTarget): Promise<Baseline> {
  const text = await run.store.readState(target)
  if (text !== undefined) {
    const reading = parseVmState(text)
    if ('problem' in reading) {
      run.context.events.warn(
        `${target.name}: its archive state file is unreadable (${reading.problem}); it is ignored and written anew.`,
      )
    } else if (sameVm(reading.state.vm.vmId, target.vmId)) {
      if (reading.state.analysis !== undefined) return {rewrite: false, state: reading.state}
      // A state from before it kept the verdict: take it from the snapshot's own snapshot.json, once.
      const manifest = await manifestOf(run, target, reading.state.snapshot)
      return {rewrite: true, state: {...reading.state, analysis: manifest?.analysis ?? null}}
    }
  }

  // No usable state: start from the newest snapshot (e.g. one `fetch` took), if it is of this VM and its
  // snapshot.json is valid (a damaged one is warned about and skipped: the VM is archived afresh).
  const snapshots = await run.store.listSnapshots(target)
  const newest = snapshots.at(-1)
  const manifest = newest ? await manifestOf(run, target, newest) : undefined
  if (newest && manifest && sameVm(manifest.vm.vmId ?? null, target.vmId))
    return {manifest, rewrite: true, state: stateFromManifest(newest, manifest, run.context.clock.now())}
  return {rewrite: true}
}

/** A snapshot's snapshot.json, or undefined when it cannot be read (never failing the VM). */
async function readManifestQuietly(
  run: VmRun,
  target: ArchiveTarget,
  snapshot: string,
): Promise<SnapshotManifest | undefined> {
  return manifestOf(run, target, snapshot).catch(() => undefined)
}

/** The verdict of the snapshot a new one follows, from its snapshot.json. */
async function previousVerdictOf(snapshot: string, manifest: SnapshotManifest | undefined): Promise<PreviousVerdict> {
  const analysis = manifest?.analysis
  if (!analysis) return {lastStage: null, outcome: null, signature: null, snapshot, summary: null}
  const signature =
    analysis.signature === undefined
      ? (await import('../../analysis/signature.js')).failureSignature(analysis)
      : analysis.signature
  return {lastStage: analysis.lastStage, outcome: analysis.outcome, signature, snapshot, summary: analysis.summary}
}

/** A snapshot's snapshot.json, read and checked once per run; a damaged one is warned about (once) and undefined. */
function manifestOf(run: VmRun, target: ArchiveTarget, snapshot: string): Promise<SnapshotManifest | undefined> {
  let reading = run.manifests.get(snapshot)
  if (!reading) {
    reading = run.store.readManifest(target, snapshot, (problem) =>
      run.context.events.warn(
        `${target.name}: the snapshot.json of snapshot ${snapshot} is not valid (${problem}); that snapshot is skipped and the VM is archived afresh.`,
      ),
    )
    run.manifests.set(snapshot, reading)
  }

  return reading
}

/**
 * Whether a kept file may be built on (a grown log stitched onto it, or carried into a new snapshot): the
 * state file's record of it must be the one its snapshot's own snapshot.json holds — the state file alone
 * is a cache anyone with write access could rewrite to match altered bytes. The bytes themselves are
 * checked against the same hash where they are read (composeGrownLog, carryOrDownload).
 */
async function keptFileTrusted(
  run: VmRun,
  target: ArchiveTarget,
  snapshot: string,
  file: SnapshotFileName,
  kept: {bytes: number; sha256: string},
): Promise<boolean> {
  const manifest = await manifestOf(run, target, snapshot)
  if (!manifest) return false
  const recorded = manifest.files[file]
  if (recorded && recorded.sha256 === kept.sha256 && recorded.bytes === kept.bytes) return true
  run.context.events.warn(
    `${target.name}: the archive state's record of ${file} in snapshot ${snapshot} differs from that snapshot's snapshot.json; the kept file is not used, it is downloaded again.`,
  )
  return false
}

/** The size and SHA-256 of a file of the archive, read without following a link. */
async function hashOf(path: string): Promise<{bytes: number; sha256: string}> {
  const handle = await openArchiveFile(path)
  const hash = createHash('sha256')
  let bytes = 0
  try {
    for await (const chunk of handle.createReadStream({autoClose: false})) {
      hash.update(chunk as Buffer)
      bytes += (chunk as Buffer).length
    }
  } finally {
    await handle.close()
  }

  return {bytes, sha256: hash.digest('hex')}
}

/**
 * The screen's reading of the snapshot this one follows, when this snapshot's screenshot is the same bytes
 * (Azure's screenshot did not change): read once, carried from snapshot to snapshot.
 */
function carriedReading(
  files: SnapshotManifest['files'],
  previous: SnapshotManifest | undefined,
  previousSnapshot: string,
): SnapshotScreen | undefined {
  const now = files['screenshot.bmp']
  const before = previous?.files['screenshot.bmp']
  const screen = previous?.analysis?.screen
  if (!now || !before || !screen || now.sha256 !== before.sha256 || now.bytes !== before.bytes) return undefined
  return {...screen, carriedFrom: screen.carriedFrom ?? previousSnapshot}
}

/** A VM deleted and created again under the same name has another vmId: its old state does not apply. */
function sameVm(kept: string | null, current: string | null): boolean {
  return !kept || !current || kept.toLowerCase() === current.toLowerCase()
}

/** Where to read the blobs: SAS URLs (one POST for both); for custom storage, the token if SAS is refused. */
async function blobSources(run: VmRun, target: ArchiveTarget): Promise<Record<Kind, Source | null>> {
  const details = {...target, instanceViewBlobs: {screenshot: null, serial: null}}
  const blobs = new BootDiagnosticsBlobs(run.compute, details, run.context.azure.credential, run.context.signal)
  try {
    const serial = await blobs.sasUrl('serial')
    const screenshot = await blobs.sasUrl('screenshot')
    const sas: BlobAuth = {kind: 'sas'}
    return {
      screenshot: screenshot ? {auth: sas, url: screenshot} : null,
      serial: serial ? {auth: sas, url: serial} : null,
    }
  } catch (error) {
    const denied = isBootdiagError(error) && error.exitCode === ExitCode.auth
    if (!denied || target.bootDiagnostics.storage !== 'custom') throw error
    const viewed = await getVmDetails(run.compute, target.ref, run.context.signal)
    const token: BlobAuth = {credential: run.context.azure.credential, kind: 'token'}
    const {serial, screenshot} = viewed.instanceViewBlobs
    return {
      screenshot: screenshot ? {auth: token, url: screenshot} : null,
      serial: serial ? {auth: token, url: serial} : null,
    }
  }
}

interface FileRead<Change> {
  change: Change
  /** body bytes received for this file */
  received: number
  /** the file as now in the draft (kept), with its manifest entry */
  info?: SnapshotFileInfo
  /** what the state should say of this blob after this run */
  state?: BlobFileState
  /** why the file is missing */
  reason?: string
  /** Azure's ETag differs from the state's although the bytes are the same */
  etagMoved?: boolean
}

/** Run both reads to the end (neither is left writing into an abandoned draft), then fail with the first error. */
async function settleBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b])
  if (ra.status === 'rejected') throw ra.reason
  if (rb.status === 'rejected') throw rb.reason
  return [ra.value, rb.value]
}

/** A file Azure gives no URL for yet: missing from the snapshot, with why. */
const NO_URL_YET = {
  change: 'missing',
  reason: 'Azure gives no URL for it yet (it appears after the VM boots with boot diagnostics on)',
  received: 0,
} as const

async function readSerialLog(
  run: VmRun,
  target: ArchiveTarget,
  source: Source | null,
  kept: BlobFileState | undefined,
  keptSnapshot: string | undefined,
  drafts: DraftOnDemand,
): Promise<FileRead<LogChange>> {
  if (!source) return NO_URL_YET
  const blob = await run.context.azure.blob(source.url, source.auth)
  let received = 0
  const full = async (change: 'new' | 'replaced'): Promise<FileRead<LogChange>> => {
    if (drafts.started) await rm((await drafts.get()).partialPath('serial.log'), {force: true})
    const read = await readBlob(
      blob,
      drafts.path((draft) => draft.partialPath('serial.log')),
      {signal: run.context.signal},
    )
    received += read.received
    if (read.status !== 'read') return {change: 'missing', reason: NOT_WRITTEN_YET, received}
    await (await drafts.get()).keep('serial.log')
    // Downloaded in full but the same bytes after all (e.g. a block blob re-uploaded): nothing changed.
    const same = kept && kept.sha256 === read.sha256 && kept.bytes === read.bytes
    return {
      change: same ? 'unchanged' : change,
      etagMoved: Boolean(same),
      info: fileInfo(read),
      received,
      state: logState(read, read.contentBytes),
    }
  }

  if (!kept?.etag || !keptSnapshot) return full(kept ? 'replaced' : 'new')
  const keptContent = kept.contentBytes ?? kept.bytes
  const start = Math.max(0, keptContent - OVERLAP_BYTES)
  const tail = await readBlob(
    blob,
    drafts.path((draft) => draft.scratchPath('serial.log.tail')),
    {ifNoneMatch: kept.etag, offset: start, signal: run.context.signal},
  )
  received += tail.received
  if (tail.status === 'not-modified') return {change: 'unchanged', received}
  if (tail.status === 'missing') return {change: 'missing', reason: NOT_WRITTEN_YET, received}
  if (tail.status === 'out-of-range') return full('replaced')
  const draft = await drafts.get()
  const tailPath = draft.scratchPath('serial.log.tail')
  const recreated = Boolean(kept.createdOn && tail.createdOn && kept.createdOn !== tail.createdOn)
  if (recreated || tail.total < keptContent) {
    await rm(tailPath, {force: true})
    return full('replaced')
  }

  const composed = await composeGrownLog(run, target, draft, {kept, keptContent, keptSnapshot, start, tail, tailPath})
  await rm(tailPath, {force: true})
  if (composed === 'replaced' || composed === 'unusable') return full('replaced')
  // The new log begins with the kept one's content: said in snapshot.json, so search reads only what is new.
  const info = {...composed.info, continues: {bytes: keptContent, snapshot: keptSnapshot}}
  return {change: 'grown', info, received, state: composed.state}
}

interface GrowthInput {
  kept: BlobFileState
  keptContent: number
  keptSnapshot: string
  start: number
  tail: {status: 'read'} & BlobBody
  tailPath: string
}

/**
 * The new serial.log = the kept log's first `start` bytes + the tail just read, if the tail's first bytes
 * (the overlap) equal the kept log's bytes from `start` to its content end. The kept copy is verified
 * against the state's SHA-256 and size first, and the result against the blob's length (and MD5 if any).
 */
async function composeGrownLog(
  run: VmRun,
  target: ArchiveTarget,
  draft: SnapshotDraft,
  input: GrowthInput,
): Promise<'replaced' | 'unusable' | {info: SnapshotFileInfo; state: BlobFileState}> {
  const {kept, keptContent, keptSnapshot, start, tail, tailPath} = input
  const keptPath = await run.store.localFile(
    target,
    keptSnapshot,
    'serial.log',
    draft.scratchPath('serial.log.previous'),
  )
  if (!keptPath) {
    run.context.events.warn(
      `${target.name}: the archived serial.log of snapshot ${keptSnapshot} is gone; downloading the whole log.`,
    )
    return 'unusable'
  }

  if (!(await keptFileTrusted(run, target, keptSnapshot, 'serial.log', kept))) return 'unusable'

  const overlapLength = keptContent - start
  const overlap = Buffer.alloc(overlapLength)
  const partial = draft.partialPath('serial.log')
  await rm(partial, {force: true})
  const out = await open(partial, 'wx')
  const sha256 = createHash('sha256')
  const md5 = createHash('md5')
  const keptHash = createHash('sha256')
  let written = 0
  try {
    // The kept log: hashed whole (to check it), its first `start` bytes copied, the overlap remembered.
    let position = 0
    const keptFile = await openArchiveFile(keptPath)
    for await (const chunk of keptFile.createReadStream()) {
      const data = chunk as Buffer
      keptHash.update(data)
      const copyEnd = Math.min(data.length, Math.max(0, start - position))
      if (copyEnd > 0) {
        await writeFully(out, data.subarray(0, copyEnd), written)
        sha256.update(data.subarray(0, copyEnd))
        md5.update(data.subarray(0, copyEnd))
        written += copyEnd
      }

      const from = Math.max(start, position)
      const to = Math.min(keptContent, position + data.length)
      if (to > from) data.copy(overlap, from - start, from - position, to - position)
      position += data.length
    }

    if (position !== kept.bytes || keptHash.digest('hex') !== kept.sha256) {
      run.context.events.warn(
        `${target.name}: the archived serial.log of snapshot ${keptSnapshot} does not match the SHA-256 its snapshot.json records; downloading the whole log.`,
      )
      return 'unusable'
    }

    const head = Buffer.alloc(overlapLength)
    const tailFile = await open(tailPath, 'r')
    try {
      await tailFile.read(head, 0, overlapLength, 0)
    } finally {
      await tailFile.close()
    }

    if (!head.equals(overlap)) return 'replaced'
    for await (const chunk of createReadStream(tailPath)) {
      const data = chunk as Buffer
      await writeFully(out, data, written)
      sha256.update(data)
      md5.update(data)
      written += data.length
    }

    await out.sync()
  } finally {
    // (a kept log downloaded from a container is a scratch file: the draft drops it at commit)
    await out.close()
  }

  const md5Base64 = md5.digest('base64')
  if (written !== tail.total || (tail.blobContentMd5 && tail.blobContentMd5 !== md5Base64)) {
    run.context.events.warn(
      `${target.name}: the log rebuilt from the archive and the new bytes does not match the blob (${written} of ${tail.total} bytes); downloading the whole log.`,
    )
    return 'unusable'
  }

  await draft.keep('serial.log')
  const digest = sha256.digest('hex')
  const body = {...tail, bytes: written, sha256: digest}
  return {info: fileInfo(body), state: logState(body, start + tail.contentBytes)}
}

async function readScreenshot(
  run: VmRun,
  source: Source | null,
  kept: BlobFileState | undefined,
  drafts: DraftOnDemand,
): Promise<FileRead<ScreenshotChange>> {
  if (!source) return NO_URL_YET
  const blob = await run.context.azure.blob(source.url, source.auth)
  const read = await readBlob(
    blob,
    drafts.path((draft) => draft.partialPath('screenshot.bmp')),
    {ifNoneMatch: kept?.etag ?? undefined, signal: run.context.signal},
  )
  if (read.status === 'not-modified') return {change: 'unchanged', received: 0}
  if (read.status !== 'read') return {change: 'missing', reason: NOT_WRITTEN_YET, received: read.received}
  await (await drafts.get()).keep('screenshot.bmp')
  const same = kept && kept.sha256 === read.sha256 && kept.bytes === read.bytes
  return {
    change: same ? 'unchanged' : kept ? 'changed' : 'new',
    etagMoved: Boolean(same),
    info: fileInfo(read),
    received: read.received,
    state: blobState(read),
  }
}

/**
 * An unchanged file (304) in a snapshot that is being written: carried over from the kept snapshot; when
 * that copy is gone (pruned, deleted by hand), downloaded after all.
 */
async function carryOrDownload(
  run: VmRun,
  target: ArchiveTarget,
  draft: SnapshotDraft,
  file: 'screenshot.bmp' | 'serial.log',
  base: VmArchiveState,
  source: Source | null,
  bytes: {bytesDownloaded: number; logBytesDownloaded: number},
  files: SnapshotManifest['files'],
): Promise<BlobFileState | undefined> {
  const kept = base.files[file]!
  if ((await carryable(run, target, base.snapshot, file, kept)) && (await draft.carryOver(file, base.snapshot))) {
    files[file] = {
      bytes: kept.bytes,
      carriedFrom: base.snapshot,
      etag: kept.etag,
      lastModified: kept.lastModified,
      sha256: kept.sha256,
    }
    return kept
  }

  if (!source) return undefined
  const read = await readBlob(await run.context.azure.blob(source.url, source.auth), draft.partialPath(file), {
    signal: run.context.signal,
  })
  bytes.bytesDownloaded += read.received
  if (file === 'serial.log') bytes.logBytesDownloaded += read.received
  if (read.status !== 'read') return undefined
  await draft.keep(file)
  files[file] = fileInfo(read)
  return file === 'serial.log' ? logState(read, read.contentBytes) : blobState(read)
}

/**
 * A kept file that may be carried into a new snapshot: its record agrees with its snapshot's snapshot.json,
 * and in a folder archive (where reading it is cheap) its bytes still have that hash. A container's copy is
 * server-side; its bytes are not read back.
 */
async function carryable(
  run: VmRun,
  target: ArchiveTarget,
  snapshot: string,
  file: SnapshotFileName,
  kept: {bytes: number; sha256: string},
): Promise<boolean> {
  if (!(await keptFileTrusted(run, target, snapshot, file, kept))) return false
  if (run.store.kind !== 'folder') return true
  const path = await run.store.localFile(target, snapshot, file, '')
  if (!path) return false
  const actual = await hashOf(path)
  if (actual.sha256 === kept.sha256 && actual.bytes === kept.bytes) return true
  run.context.events.warn(
    `${target.name}: the archived ${file} of snapshot ${snapshot} does not match the SHA-256 its snapshot.json records; it is downloaded again.`,
  )
  return false
}

function fileInfo(read: Pick<BlobBody, 'bytes' | 'sha256' | 'etag' | 'lastModified' | 'contentMd5'>): SnapshotFileInfo {
  return {
    bytes: read.bytes,
    etag: read.etag,
    lastModified: read.lastModified,
    sha256: read.sha256,
    ...(read.contentMd5 ? {contentMd5: read.contentMd5} : {}),
  }
}

function blobState(read: Pick<BlobBody, 'bytes' | 'sha256' | 'etag' | 'lastModified' | 'createdOn'>): BlobFileState {
  return {
    bytes: read.bytes,
    createdOn: read.createdOn,
    etag: read.etag,
    lastModified: read.lastModified,
    sha256: read.sha256,
  }
}

function logState(
  read: Pick<BlobBody, 'bytes' | 'sha256' | 'etag' | 'lastModified' | 'createdOn'>,
  contentBytes: number,
): BlobFileState {
  return {...blobState(read), contentBytes}
}

/** The state after a run that wrote no snapshot: the same snapshot, with Azure's current ETags. */
function updatedState(
  state: VmArchiveState,
  now: Date,
  target: ArchiveTarget,
  reads: {log: FileRead<LogChange>; shot: FileRead<ScreenshotChange>},
): VmArchiveState {
  const files = {...state.files}
  // Same bytes under a new ETag: remember the new ETag (the kept file and its hash stay valid).
  if (reads.log.etagMoved && reads.log.state && files['serial.log']) files['serial.log'] = {...reads.log.state}
  if (reads.shot.etagMoved && reads.shot.state && files['screenshot.bmp'])
    files['screenshot.bmp'] = {...reads.shot.state}
  return {...state, files, updatedAt: now.toISOString(), vm: {id: target.id, vmId: target.vmId ?? state.vm.vmId}}
}

async function writeStateQuietly(run: VmRun, target: ArchiveTarget, state: VmArchiveState): Promise<void> {
  try {
    await run.store.writeState(target, serializeVmState(state))
  } catch (error) {
    // The snapshot is what matters; without the state the next run rebuilds it from the newest snapshot.
    run.context.events.warn(
      `${target.name}: could not write its archive state (${(error as Error).message.split('\n')[0]}); the next run rebuilds it.`,
    )
  }
}

function orderFiles(files: SnapshotManifest['files']): SnapshotManifest['files'] {
  const ordered: SnapshotManifest['files'] = {}
  for (const name of ['serial.log', 'screenshot.bmp', 'screenshot.png'] as SnapshotFileName[])
    if (files[name]) ordered[name] = files[name]
  return ordered
}
