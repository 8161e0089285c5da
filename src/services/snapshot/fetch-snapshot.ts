/**
 * Take a snapshot of one VM's boot diagnostics: read the VM, find its blobs, download the serial log and
 * the screenshot byte-exact, convert the screenshot to PNG, optionally analyse both witnesses (the log and
 * the screenshot, reconciled into the VM's verdict: services/witness), and commit it all
 * as one immutable snapshot in the archive store (a folder or a Blob container, store/store.ts). Either
 * the whole snapshot lands or nothing does. Every command that keeps evidence (fetch, analyze -n, the
 * guarded VM operations) comes through here.
 */
import {createHash} from 'node:crypto'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {
  MANIFEST_FILE,
  type MissingFile,
  SNAPSHOT_SCHEMA_VERSION,
  type SnapshotFileInfo,
  type SnapshotFileName,
  type SnapshotManifest,
  type SnapshotVm,
  parseManifest,
} from '../../store/manifest.js'
import {downloadBlobToFile} from '../../azure/blob-download.js'
import {describeFailure, toBootdiagErrorFromAzure} from '../../azure/errors.js'
import type {VmRef} from '../../azure/resource-id.js'
import {AuthError, BootdiagError} from '../../errors.js'
import {bmpToPng} from '../../screen/image.js'
import {BootDiagnosticsBlobs, type BootDiagnosticsBlobKind, type BlobSource} from './boot-diagnostics-blobs.js'
import type {RunContext} from '../../context/run-context.js'
import {mapWithConcurrency} from '../../util/concurrency.js'
import {type VmDetails, getVmDetails} from '../vm/details.js'
import {analyseSnapshot} from '../witness/snapshot-analysis.js'
import {type ScreenReader, screenReaderFor} from '../witness/screen-reader.js'

/** What a snapshot needs from the run: Azure, the archive, the clock, Ctrl-C and the settings (the screen reader's switch). */
export type SnapshotContext = Pick<RunContext, 'azure' | 'clock' | 'settings' | 'signal' | 'store' | 'toolVersion'>

export interface FetchOptions {
  ref: VmRef
  /** why the snapshot is taken: manual, pre-restart, archive, ... */
  reason: string
  /** the VM as already read (e.g. by the picker), to save a call */
  details?: VmDetails
  /**
   * analyse the downloaded serial log, read the screenshot, and record the VM's verdict from both in
   * snapshot.json (default true)
   */
  recordVerdict?: boolean
  /** the run's screen reader (one OCR engine for many snapshots); default: one for this snapshot alone */
  screens?: ScreenReader
}

export interface FetchResult {
  /** where the snapshot is: its folder, or its URL in a Blob container */
  snapshot: string
  /**
   * A local folder holding the snapshot's files: the snapshot itself in a folder archive; for a Blob
   * container, a temporary copy that is removed when the process exits.
   */
  localFolder: string
  vm: SnapshotVm
  storage: 'managed' | 'custom'
  files: SnapshotManifest['files']
  missing: MissingFile[]
  analysis?: SnapshotManifest['analysis']
}

const BLOB_FILES: Array<[BootDiagnosticsBlobKind, SnapshotFileName]> = [
  ['serial', 'serial.log'],
  ['screenshot', 'screenshot.bmp'],
]

export async function fetchSnapshot(context: SnapshotContext, options: FetchOptions): Promise<FetchResult> {
  const {azure, signal} = context
  const compute = await azure.compute(options.ref.subscriptionId)
  const details = options.details ?? (await getVmDetails(compute, options.ref, signal))
  const blobs = new BootDiagnosticsBlobs(compute, details, azure.credential, signal)
  const store = await context.store()
  const takenAt = context.clock.now()
  const writer = await store.beginSnapshot(details, takenAt)
  try {
    const files: SnapshotManifest['files'] = {}
    const missing: MissingFile[] = []
    for (const [kind, file] of BLOB_FILES) {
      const read = await downloadFirstAvailable(context, blobs.sources(kind), writer.partialPath(file), details)
      if (read.found) {
        await writer.keep(file)
        files[file] = read.info
      } else {
        missing.push({file, reason: read.reason})
      }
    }

    if (files['screenshot.bmp']) {
      const converted = await convertScreenshot(join(writer.folder, 'screenshot.bmp'))
      if (converted.ok) {
        await writer.writeFile('screenshot.png', converted.png)
        files['screenshot.png'] = converted.info
      } else {
        missing.push({file: 'screenshot.png', reason: converted.reason})
      }
    }

    const analysis =
      options.recordVerdict === false
        ? undefined
        : await withScreenReader(context, options.screens, (screens) =>
            analyseSnapshot(
              {
                logPath: files['serial.log'] ? join(writer.folder, 'serial.log') : undefined,
                osType: details.osType,
                screenshotPath: files['screenshot.bmp'] ? join(writer.folder, 'screenshot.bmp') : undefined,
              },
              screens,
            ),
          )
    const manifest: SnapshotManifest = {
      files,
      missing,
      reason: options.reason,
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      storage: details.bootDiagnostics.storage ?? 'managed',
      takenAt: takenAt.toISOString(),
      tool: {name: 'bootdiag', version: context.toolVersion},
      vm: snapshotVm(details),
      ...(analysis ? {analysis} : {}),
    }
    const committed = await writer.commit(manifest)
    return {
      analysis,
      files,
      localFolder: committed.localFolder,
      missing,
      snapshot: committed.location,
      storage: manifest.storage,
      vm: manifest.vm,
    }
  } catch (error) {
    await writer.abandon()
    throw error
  }
}

/** One VM of several: its snapshot, or why there is none. */
export type FetchOutcome = {ref: VmRef; result: FetchResult} | {ref: VmRef; failure: BootdiagError}

/** Snapshots of several VMs, FETCH_CONCURRENCY at a time; a VM that fails does not stop the others (Ctrl-C does). */
export async function fetchSnapshots(
  context: SnapshotContext,
  refs: VmRef[],
  options: Omit<FetchOptions, 'ref' | 'details'>,
): Promise<FetchOutcome[]> {
  // one screen reader (one OCR engine) for all of them
  return withScreenReader(context, options.screens, (screens) =>
    mapWithConcurrency(refs, FETCH_CONCURRENCY, async (ref): Promise<FetchOutcome> => {
      try {
        return {ref, result: await fetchSnapshot(context, {...options, ref, screens})}
      } catch (error) {
        const failure = describeFailure(error, context.signal)
        if (failure.code === 'Interrupted') throw failure
        return {failure, ref}
      }
    }),
  )
}

/** Run `use` with the caller's screen reader, or with one made for it and closed after. */
async function withScreenReader<T>(
  context: Pick<RunContext, 'settings'>,
  given: ScreenReader | undefined,
  use: (screens: ScreenReader) => Promise<T>,
): Promise<T> {
  if (given) return use(given)
  const screens = screenReaderFor(context.settings)
  try {
    return await use(screens)
  } finally {
    await screens.close()
  }
}

/** VMs snapshotted at once by `fetch --ids A B C`. */
export const FETCH_CONCURRENCY = 4

export function snapshotVm(details: VmDetails): SnapshotVm {
  return {
    id: details.id,
    location: details.location,
    name: details.name,
    powerState: details.powerState,
    resourceGroup: details.resourceGroup,
    subscriptionId: details.subscriptionId,
    vmId: details.vmId,
    ...(details.osType ? {osType: details.osType} : {}),
    ...(details.vmss ? {instanceId: details.instanceId, vmss: details.vmss} : {}),
  }
}

type ReadResult = {found: true; info: SnapshotFileInfo} | {found: false; reason: string}

/** Try each source in turn; a permission failure on the storage account falls through to the SAS URL. */
async function downloadFirstAvailable(
  context: Pick<RunContext, 'azure' | 'signal'>,
  sources: BlobSource[],
  path: string,
  vm: VmDetails,
): Promise<ReadResult> {
  const {signal} = context
  let denied: BootdiagError | undefined
  for (const source of sources) {
    try {
      const url = await source.url()
      if (!url)
        return {
          found: false,
          reason: 'Azure has none for this VM yet (it appears after the VM boots with boot diagnostics on)',
        }
      const outcome = await downloadBlobToFile(await context.azure.blob(url, source.auth), path, {signal})
      if (!outcome.found) return {found: false, reason: outcome.reason}
      const {blob} = outcome
      return {
        found: true,
        info: {
          bytes: blob.bytes,
          etag: blob.etag,
          lastModified: blob.lastModified,
          sha256: blob.sha256,
          ...(blob.contentMd5 ? {contentMd5: blob.contentMd5} : {}),
        },
      }
    } catch (error) {
      await rm(path, {force: true})
      const mapped = toBootdiagErrorFromAzure(error, {
        action: `read the boot diagnostics of VM '${vm.name}'`,
        resourceGroup: vm.resourceGroup,
        vmName: vm.name,
      })
      if (mapped instanceof AuthError && source.via === 'storage-account') {
        denied = mapped
        continue
      }

      if (mapped instanceof AuthError && denied) {
        throw new AuthError(
          `${denied.message.replace(/\.$/, '')}; the fallback through retrieveBootDiagnosticsData failed too: ${mapped.message}`,
          {cause: error, code: denied.code},
        )
      }

      throw mapped ?? error
    }
  }

  throw denied ?? new BootdiagError('No way to read the boot diagnostics blobs was found.', {code: 'NoBlobSource'})
}

type Conversion = {ok: true; png: Buffer; info: SnapshotFileInfo} | {ok: false; reason: string}

/** screenshot.bmp → PNG; a BMP that cannot be converted is reported, never an error (the BMP is kept). */
export async function convertScreenshot(bmpPath: string): Promise<Conversion> {
  try {
    const png = bmpToPng(await readFile(bmpPath))
    return {
      info: {
        bytes: png.length,
        derivedFrom: 'screenshot.bmp',
        etag: null,
        lastModified: null,
        sha256: createHash('sha256').update(png).digest('hex'),
      },
      ok: true,
      png,
    }
  } catch (error) {
    return {
      ok: false,
      reason: `the screenshot could not be converted (${(error as Error).message}); screenshot.bmp is kept as served`,
    }
  }
}

/** Read a committed snapshot's manifest, checked against its schema (a damaged one is an error naming why). */
export async function readManifest(snapshotFolder: string): Promise<SnapshotManifest> {
  const path = join(snapshotFolder, MANIFEST_FILE)
  const reading = parseManifest(await readFile(path, 'utf8'))
  if ('problem' in reading)
    throw new BootdiagError(`${path} is not a valid snapshot.json (${reading.problem}).`, {code: 'NotASnapshot'})
  return reading.manifest
}
